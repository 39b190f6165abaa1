/**
 * Where a deployed stack's APIs answer on Stratus. A template's outputs name AWS URLs
 * (`https://{id}.execute-api.{region}.amazonaws.com/...`); this finds, for every API Gateway API
 * (v1 REST, v2 HTTP/WebSocket) and every Lambda function URL in the stack, the local URLs that reach
 * it, in both of Stratus's forms:
 *
 *   http://127.0.0.1:4566/_aws/execute-api/{apiId}/{stage}/    path form: works with any client
 *   http://{apiId}.execute-api.localhost:4566/{stage}/          host form: like AWS's own URLs
 *
 * (the `$default` stage of an HTTP API has no stage segment). Stages are read with the API Gateway
 * SDK clients when they are installed (they come with a checkout's `npm install`); without them the
 * stage resources of the stack stand in.
 */
import type { LambdaClient } from "@aws-sdk/client-lambda";
import type { DeploySdk } from "./clients.ts";
import { CLI_CREDENTIALS } from "./clients.ts";

export interface StackResourceSummary {
  readonly LogicalResourceId?: string | undefined;
  readonly PhysicalResourceId?: string | undefined;
  readonly ResourceType?: string | undefined;
}

export interface LocalEndpoint {
  readonly logicalId: string;
  readonly resourceType: string;
  /** The stage, for an API; undefined for a function URL. */
  readonly stage: string | undefined;
  readonly pathUrl: string;
  readonly hostUrl: string;
}

/** Lists an API's stage names (GetStages of the matching API Gateway). */
export type StageLister = (kind: "v1" | "v2", apiId: string) => Promise<string[] | undefined>;

const DEFAULT_STAGE = "$default";

/** The two local URLs of an API's stage, on the Stratus at `endpoint`. */
export function executeApiUrls(
  endpoint: string,
  apiId: string,
  stage: string,
): { pathUrl: string; hostUrl: string } {
  const url = new URL(endpoint);
  const suffix = stage === DEFAULT_STAGE ? "" : `${encodeURIComponent(stage)}/`;
  const port = url.port === "" ? "" : `:${url.port}`;
  return {
    pathUrl: `${url.protocol}//${url.host}/_aws/execute-api/${apiId}/${suffix}`,
    hostUrl: `${url.protocol}//${apiId}.execute-api.localhost${port}/${suffix}`,
  };
}

/** The path form of a function URL that Lambda gave in its host form. */
export function functionUrlPathForm(endpoint: string, functionUrl: string): string | undefined {
  const urlId = /^https?:\/\/([^./]+)\.lambda-url\./.exec(functionUrl)?.[1];
  if (urlId === undefined) return undefined;
  const url = new URL(endpoint);
  return `${url.protocol}//${url.host}/_aws/lambda-url/${urlId}/`;
}

/** Every API stage and function URL of the stack, with its local URLs. */
export async function findLocalEndpoints(
  endpoint: string,
  resources: readonly StackResourceSummary[],
  listStages: StageLister,
  functionUrlOf: (functionName: string) => Promise<string | undefined>,
): Promise<LocalEndpoint[]> {
  const endpoints: LocalEndpoint[] = [];
  for (const resource of resources) {
    const {
      LogicalResourceId: logicalId = "",
      PhysicalResourceId: apiId,
      ResourceType: type = "",
    } = resource;
    if (apiId === undefined || apiId === "") continue;
    const kind =
      type === "AWS::ApiGatewayV2::Api" ? "v2" : type === "AWS::ApiGateway::RestApi" ? "v1" : undefined;
    if (kind === undefined) continue;
    const stages = (await listStages(kind, apiId)) ?? stagesFromResources(resources, logicalId, kind);
    for (const stage of stages) {
      endpoints.push({ logicalId, resourceType: type, stage, ...executeApiUrls(endpoint, apiId, stage) });
    }
  }
  if (resources.some((r) => r.ResourceType === "AWS::Lambda::Url")) {
    for (const resource of resources) {
      if (resource.ResourceType !== "AWS::Lambda::Function" || !resource.PhysicalResourceId) continue;
      const hostUrl = await functionUrlOf(resource.PhysicalResourceId);
      if (hostUrl === undefined) continue;
      const pathUrl = functionUrlPathForm(endpoint, hostUrl) ?? hostUrl;
      endpoints.push({
        logicalId: resource.LogicalResourceId ?? "",
        resourceType: "AWS::Lambda::Url",
        stage: undefined,
        pathUrl,
        hostUrl,
      });
    }
  }
  return endpoints;
}

/**
 * Stage names from the stack itself, for when the API Gateway clients are not installed: the stage
 * resources named after the API (SAM names them `{Api}{Stage}Stage`, `{Api}ApiGatewayDefaultStage`),
 * whose physical ids are the stage names.
 */
function stagesFromResources(
  resources: readonly StackResourceSummary[],
  apiLogicalId: string,
  kind: "v1" | "v2",
) {
  const stageType = kind === "v2" ? "AWS::ApiGatewayV2::Stage" : "AWS::ApiGateway::Stage";
  const stages = resources.filter((r) => r.ResourceType === stageType && r.PhysicalResourceId);
  const own = stages.filter((r) => r.LogicalResourceId?.startsWith(apiLogicalId));
  return (own.length > 0 ? own : stages).map((r) => r.PhysicalResourceId as string);
}

/** A StageLister through the API Gateway SDK clients; answers undefined when they are not installed. */
export function sdkStageLister(endpoint: string, region: string): StageLister {
  const config = { endpoint, region, credentials: CLI_CREDENTIALS };
  return async (kind, apiId) => {
    try {
      if (kind === "v2") {
        const sdk = await import("@aws-sdk/client-apigatewayv2");
        const client = new sdk.ApiGatewayV2Client(config);
        try {
          const answer = await client.send(new sdk.GetStagesCommand({ ApiId: apiId }));
          return (answer.Items ?? []).map((stage) => stage.StageName ?? "").filter((name) => name !== "");
        } finally {
          client.destroy();
        }
      }
      const sdk = await import("@aws-sdk/client-api-gateway");
      const client = new sdk.APIGatewayClient(config);
      try {
        const answer = await client.send(new sdk.GetStagesCommand({ restApiId: apiId }));
        return (answer.item ?? []).map((stage) => stage.stageName ?? "").filter((name) => name !== "");
      } finally {
        client.destroy();
      }
    } catch {
      // Not installed, or the API cannot be read: the stack's own stage resources stand in.
      return undefined;
    }
  };
}

/** The function's URL (FunctionUrl of GetFunctionUrlConfig), or undefined when it has none. */
export function lambdaFunctionUrl(sdk: DeploySdk["lambda"], lambda: LambdaClient) {
  return async (functionName: string): Promise<string | undefined> => {
    try {
      const answer = await lambda.send(new sdk.GetFunctionUrlConfigCommand({ FunctionName: functionName }));
      return answer.FunctionUrl;
    } catch {
      return undefined;
    }
  };
}

/** The "Local endpoints" block printed after the outputs. */
export function renderEndpoints(endpoints: readonly LocalEndpoint[], width: number): string {
  const rule = "-".repeat(width);
  const blocks = endpoints.map((e) => {
    const what = e.stage === undefined ? e.resourceType : `${e.resourceType}, stage ${e.stage}`;
    return [`${e.logicalId} (${what})`, `  ${e.pathUrl}`, `  ${e.hostUrl}`].join("\n");
  });
  return ["Local endpoints on Stratus", rule, ...blocks, rule].join("\n");
}
