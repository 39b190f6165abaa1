/**
 * Invoking the Lambda function an integration or authorizer names. `integrationUri` and
 * `authorizerUri` hold either a function ARN (or name) or API Gateway's invocation URI
 * `arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{function ARN}/invocations`; either
 * may use `${stageVariables.name}`.
 */
import type { FunctionInvoker, InProcessResult } from "../../lambda/invoke/invoker.ts";
import type { ServedRequest } from "./served-request.ts";

const INVOCATION_URI = /^arn:[^:]+:apigateway:[^:]*:lambda:path\/[^/]+\/functions\/(.+)\/invocations$/;

/** The function ARN (or name) a URI names, stage variables substituted. */
export function functionOf(uri: string, stageVariables: Record<string, string> | undefined): string {
  if (!uri.includes("${")) return constantFunctionOf(uri);
  const substituted = uri.replace(
    /\$\{stageVariables\.([A-Za-z0-9_]+)\}/g,
    (_, name: string) => stageVariables?.[name] ?? "",
  );
  return INVOCATION_URI.exec(substituted)?.[1] ?? substituted;
}

/**
 * Functions named by URIs without stage variables, by URI: the same few integrations serve every
 * request, and the two regular expressions per invoke showed in profiles of HTTP API → Lambda.
 */
const constantFunctions = new Map<string, string>();
const CONSTANT_FUNCTIONS_MAX = 1000;

function constantFunctionOf(uri: string): string {
  let functionName = constantFunctions.get(uri);
  if (functionName === undefined) {
    functionName = INVOCATION_URI.exec(uri)?.[1] ?? uri;
    if (constantFunctions.size >= CONSTANT_FUNCTIONS_MAX) constantFunctions.clear();
    constantFunctions.set(uri, functionName);
  }
  return functionName;
}

/** The region a function ARN names, else the API's. */
function regionOf(functionName: string, fallback: string): string {
  const parts = functionName.split(":");
  return parts[0] === "arn" && parts.length >= 7 && parts[3] ? parts[3] : fallback;
}

export function invokeTarget(
  invoker: FunctionInvoker,
  uri: string,
  served: ServedRequest,
  payload: unknown,
): Promise<InProcessResult> {
  const functionName = functionOf(uri, served.snapshot?.stage.stageVariables);
  return invoker.invoke({
    accountId: served.owner.accountId,
    region: regionOf(functionName, served.owner.region),
    functionName,
    payload: Buffer.from(JSON.stringify(payload)),
    endpointUrl: served.request.endpoint,
  });
}
