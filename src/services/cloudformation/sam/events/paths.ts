/**
 * Helpers shared by the API event sources: the permission letting API Gateway invoke the function and
 * its execute-api source ARN and logical id, and path normalisation as SAM does it (trailing slash
 * removed, path parameters turned into `*`).
 */
import type { TemplateResource } from "../../template/types.ts";
import { passthroughAttributes } from "../expansion.ts";
import { fnSub, type JsonObject } from "../json.ts";
import type { FunctionTarget } from "./target.ts";

/** REST: `{x}`, `{x+}` and `{proxy+}` become `*` (SwaggerEditor.get_path_without_trailing_slash). */
export function restPermissionPath(path: string): string {
  const trimmed = path.replace(/^(.+)\/$/, "$1");
  return trimmed.replace(/{([a-zA-Z0-9._-]+|[a-zA-Z0-9._-]+\+|proxy\+)}/g, "*");
}

/** HTTP API: `{x}` and `{proxy+}` become `*` (OpenApiEditor.get_path_without_trailing_slash). */
export function httpPermissionPath(path: string): string {
  const trimmed = path.replace(/^(.+)\/$/, "$1");
  return trimmed.replace(/{([a-zA-Z0-9._-]+|proxy\+)}/g, "*");
}

/** `arn:<partition>:execute-api:${AWS::Region}:${AWS::AccountId}:${__ApiId__}/${__Stage__}/<rest>`. */
export function executeApiSourceArn(partition: string, resource: string, variables: JsonObject): JsonObject {
  return fnSub(`arn:${partition}:execute-api:\${AWS::Region}:\${AWS::AccountId}:${resource}`, variables);
}

/** The permission's logical id: `<Fn><Event>Permission<Suffix>`, hashed when the suffix is not alphanumeric. */
export function permissionLogicalId(
  prefix: string,
  suffix: string,
  hash: (prefix: string, data: string) => string,
): string {
  if (suffix === "" || /^[A-Za-z0-9]+$/.test(suffix)) return `${prefix}Permission${suffix}`;
  return hash(`${prefix}Permission`, suffix);
}

/**
 * The AWS::Lambda::Permission letting API Gateway invoke the event's function for `methodAndPath`
 * (e.g. `GET/items/*`) of the API `apiId`, from any stage (`partition` as the SourceArn spells it).
 */
export function apiInvokePermission(
  target: FunctionTarget,
  partition: string,
  apiId: unknown,
  methodAndPath: string,
): TemplateResource {
  return {
    Type: "AWS::Lambda::Permission",
    ...passthroughAttributes(target.resource),
    Properties: {
      Action: "lambda:InvokeFunction",
      FunctionName: target.nameOrArn,
      Principal: "apigateway.amazonaws.com",
      SourceArn: executeApiSourceArn(partition, `\${__ApiId__}/\${__Stage__}/${methodAndPath}`, {
        __ApiId__: apiId,
        __Stage__: "*",
      }),
    },
  };
}
