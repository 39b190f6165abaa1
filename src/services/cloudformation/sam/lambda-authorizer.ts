/**
 * What the REST API (./api.ts) and HTTP API (./http-api.ts) expansions read and write alike for SAM's
 * Lambda authorizers: the API's `Auth.Authorizers`, the `authorizerUri` that has API Gateway invoke
 * the function, the identity sources named by the authorizer's Identity lists (each list's entries
 * behind that API type's prefix), and the permission letting API Gateway invoke the function.
 */
import type { TemplateResource } from "../template/types.ts";
import { executeApiSourceArn } from "./events/paths.ts";
import { fnSub, isObject, type JsonObject, ref } from "./json.ts";

/** The API's `Auth.Authorizers` map (empty when there is none). */
export function authorizersOf(auth: unknown): JsonObject {
  return isObject(auth) && isObject(auth.Authorizers) ? auth.Authorizers : {};
}

/** The Fn::Sub of the Lambda invocation URI API Gateway calls for the authorizer function. */
export function lambdaAuthorizerUri(partition: string, functionArn: unknown): JsonObject {
  return fnSub(
    `arn:${partition}:apigateway:\${AWS::Region}:lambda:path/2015-03-31/functions/\${__FunctionArn__}/invocations`,
    { __FunctionArn__: functionArn },
  );
}

/** Identity's Headers, QueryStrings, StageVariables and Context entries, in `prefixes`' order, each behind its prefix. */
export function identitySources(identity: JsonObject, prefixes: readonly [string, string][]): string[] {
  const sources: string[] = [];
  for (const [key, prefix] of prefixes) {
    const values = identity[key];
    if (Array.isArray(values)) for (const value of values) sources.push(`${prefix}${String(value)}`);
  }
  return sources;
}

/**
 * `<Api><Name>AuthorizerPermission`: lets API Gateway invoke the authorizer function from any
 * authorizer of the API `apiLogicalId` (`partition` as the SourceArn spells it).
 */
export function authorizerPermission(
  partition: string,
  apiLogicalId: string,
  functionArn: unknown,
  attributes: Partial<TemplateResource>,
): TemplateResource {
  return {
    Type: "AWS::Lambda::Permission",
    ...attributes,
    Properties: {
      Action: "lambda:InvokeFunction",
      FunctionName: functionArn,
      Principal: "apigateway.amazonaws.com",
      SourceArn: executeApiSourceArn(partition, `\${__ApiId__}/authorizers/*`, {
        __ApiId__: ref(apiLogicalId),
      }),
    },
  };
}
