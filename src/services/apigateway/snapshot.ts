/**
 * The seam between the REST API control plane (control/) and its data plane (data-plane/). Records are
 * the API's own wire shapes (RestApi, Resource with resourceMethods → Method with methodIntegration →
 * Integration with integrationResponses, MethodResponse, Authorizer, Model, RequestValidator,
 * GatewayResponse, Stage, ApiKey, UsagePlan: camelCase as API Gateway answers them), so the control plane
 * stores what it answers and the data plane reads the names AWS documents.
 *
 * A stage serves the deployment it points to; CreateDeployment snapshots the API's resources, methods,
 * integrations, authorizers, models, validators and gateway responses, so editing a method does
 * nothing until it is deployed — as on AWS. API keys and usage plans are account-level, read live.
 */
import type { KvReader } from "../../storage/kv.ts";

export type Json = Record<string, unknown>;

export interface IntegrationResponseRecord {
  statusCode: string;
  selectionPattern?: string;
  responseParameters?: Record<string, string>;
  responseTemplates?: Record<string, string>;
  contentHandling?: string;
}

export interface IntegrationRecord {
  type: "AWS" | "AWS_PROXY" | "HTTP" | "HTTP_PROXY" | "MOCK";
  httpMethod?: string;
  uri?: string;
  requestParameters?: Record<string, string>;
  requestTemplates?: Record<string, string>;
  passthroughBehavior?: string;
  contentHandling?: string;
  timeoutInMillis?: number;
  cacheKeyParameters?: string[];
  integrationResponses?: Record<string, IntegrationResponseRecord>;
  [member: string]: unknown;
}

export interface MethodRecord {
  httpMethod: string;
  authorizationType: string;
  authorizerId?: string;
  apiKeyRequired?: boolean;
  requestValidatorId?: string;
  operationName?: string;
  requestParameters?: Record<string, boolean>;
  requestModels?: Record<string, string>;
  authorizationScopes?: string[];
  methodResponses?: Record<string, Json>;
  methodIntegration?: IntegrationRecord;
  [member: string]: unknown;
}

export interface ResourceRecord {
  id: string;
  parentId?: string;
  pathPart?: string;
  path: string;
  resourceMethods?: Record<string, MethodRecord>;
}

export interface RestApiRecord {
  id: string;
  name: string;
  rootResourceId: string;
  binaryMediaTypes?: string[];
  apiKeySource?: "HEADER" | "AUTHORIZER";
  disableExecuteApiEndpoint?: boolean;
  minimumCompressionSize?: number;
  [member: string]: unknown;
}

export interface StageRecord {
  stageName: string;
  deploymentId: string;
  variables?: Record<string, string>;
  /**
   * "{resourcePath}/{httpMethod}" (or "*\/*") → settings (throttlingRateLimit, throttlingBurstLimit...).
   * Keys are as UpdateStage addressed them, as AWS keys them: the resource path JSON-pointer escaped and
   * without its leading slash ("~1pets/GET", "~1pets~1{id}/*", "*\/GET"); AWS fills every member of
   * a new key with its defaults (throttlingRateLimit 10000, throttlingBurstLimit 5000...).
   */
  methodSettings?: Record<string, Json>;
  [member: string]: unknown;
}

/** What one deployment serves. */
export interface RestApiDeploymentSnapshot {
  api: RestApiRecord;
  deploymentId: string;
  resources: ResourceRecord[];
  /** By id. */
  authorizers: Record<string, Json>;
  /** By name. */
  models: Record<string, Json>;
  /** By id. */
  requestValidators: Record<string, Json>;
  /** By responseType; only those the user put (the data plane applies AWS's defaults for the rest). */
  gatewayResponses: Record<string, Json>;
}

/** Implemented by the control plane; used by the data plane. */
export interface RestApiSnapshots {
  /** The stage and the deployment it serves; undefined when the API or stage does not exist. */
  stageSnapshot(
    reader: KvReader,
    accountId: string,
    region: string,
    apiId: string,
    stageName: string,
  ): Promise<{ stage: StageRecord; deployment: RestApiDeploymentSnapshot } | undefined>;
  /** An API key by its value (for x-api-key), or undefined. */
  apiKeyByValue(
    reader: KvReader,
    accountId: string,
    region: string,
    value: string,
  ): Promise<Json | undefined>;
  /** Usage plans that include this API stage, with the ids of their keys. */
  usagePlansForStage(
    reader: KvReader,
    accountId: string,
    region: string,
    apiId: string,
    stageName: string,
  ): Promise<{ plan: Json; keyIds: string[] }[]>;
  /**
   * The API's current, undeployed configuration in the deployment shape (TestInvokeMethod runs it);
   * `deploymentId` is "" since no deployment holds it. Undefined when the API does not exist.
   */
  currentSnapshot?(
    reader: KvReader,
    accountId: string,
    region: string,
    apiId: string,
  ): Promise<RestApiDeploymentSnapshot | undefined>;
}
