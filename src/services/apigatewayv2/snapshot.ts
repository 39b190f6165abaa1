/**
 * The seam between the HTTP API control plane (control/) and its data plane (data-plane/): what an
 * invoke URL serves for one stage. Records are the API's own wire shapes (camelCase, as GetApi,
 * GetRoute, GetIntegration, GetAuthorizer and GetStage answer them), so the control plane stores
 * what it answers and the data plane reads the same names AWS documents.
 *
 * A stage serves the deployment it points to (`stage.deploymentId`); a deployment is a snapshot of the
 * API's routes, integrations and authorizers when it was made (auto-deploy stages get a new one on
 * every change), so editing a route does nothing until it is deployed — as on AWS.
 */
import type { KvReader } from "../../storage/kv.ts";

export interface ApiRecord {
  apiId: string;
  name: string;
  protocolType: "HTTP" | "WEBSOCKET";
  apiEndpoint?: string;
  routeSelectionExpression?: string;
  apiKeySelectionExpression?: string;
  corsConfiguration?: {
    allowCredentials?: boolean;
    allowHeaders?: string[];
    allowMethods?: string[];
    allowOrigins?: string[];
    exposeHeaders?: string[];
    maxAge?: number;
  };
  disableExecuteApiEndpoint?: boolean;
  [member: string]: unknown;
}

export interface RouteRecord {
  routeId: string;
  routeKey: string;
  /** "integrations/{integrationId}" */
  target?: string;
  authorizationType?: "NONE" | "JWT" | "AWS_IAM" | "CUSTOM";
  authorizerId?: string;
  authorizationScopes?: string[];
  apiKeyRequired?: boolean;
  requestParameters?: Record<string, { required?: boolean }>;
  [member: string]: unknown;
}

export interface IntegrationRecord {
  integrationId: string;
  integrationType: "AWS_PROXY" | "HTTP_PROXY" | "AWS" | "HTTP" | "MOCK";
  integrationUri?: string;
  integrationMethod?: string;
  integrationSubtype?: string;
  payloadFormatVersion?: "1.0" | "2.0";
  timeoutInMillis?: number;
  requestParameters?: Record<string, string>;
  responseParameters?: Record<string, Record<string, string>>;
  connectionType?: string;
  [member: string]: unknown;
}

export interface AuthorizerRecord {
  authorizerId: string;
  name: string;
  authorizerType: "JWT" | "REQUEST";
  identitySource?: string[];
  jwtConfiguration?: { audience?: string[]; issuer?: string };
  authorizerUri?: string;
  authorizerPayloadFormatVersion?: "1.0" | "2.0";
  authorizerResultTtlInSeconds?: number;
  enableSimpleResponses?: boolean;
  identityValidationExpression?: string;
  [member: string]: unknown;
}

export interface RouteSettings {
  throttlingBurstLimit?: number;
  throttlingRateLimit?: number;
  detailedMetricsEnabled?: boolean;
  [member: string]: unknown;
}

export interface StageRecord {
  stageName: string;
  deploymentId?: string;
  autoDeploy?: boolean;
  stageVariables?: Record<string, string>;
  defaultRouteSettings?: RouteSettings;
  routeSettings?: Record<string, RouteSettings>;
  accessLogSettings?: { destinationArn?: string; format?: string };
  [member: string]: unknown;
}

/** What one stage serves: the API (CORS lives on the API itself, not in deployments) and its deployment. */
export interface HttpApiStageSnapshot {
  api: ApiRecord;
  stage: StageRecord;
  deploymentId: string;
  routes: RouteRecord[];
  integrations: Record<string, IntegrationRecord>;
  authorizers: Record<string, AuthorizerRecord>;
}

/** Implemented by the control plane; used by the data plane. */
export interface HttpApiSnapshots {
  /** The stage's served snapshot; undefined when the API or stage does not exist or was never deployed. */
  stageSnapshot(
    reader: KvReader,
    accountId: string,
    region: string,
    apiId: string,
    stageName: string,
  ): Promise<HttpApiStageSnapshot | undefined>;
  /**
   * Whether the API has a stage of that name (to tell `$default` from a named stage in the first path
   * segment): one keyed read, where listing every stage cost each request as much as the gateway's
   * own work (a profile of HTTP API → Lambda: ~650 ms in 14k requests).
   */
  hasStage(
    reader: KvReader,
    accountId: string,
    region: string,
    apiId: string,
    stageName: string,
  ): Promise<boolean>;
}
