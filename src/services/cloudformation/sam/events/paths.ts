/**
 * Helpers shared by the API event sources: the execute-api source ARN of a permission, and path
 * normalisation as SAM does it (trailing slash removed, path parameters turned into `*`).
 */
import { fnSub, type JsonObject } from "../json.ts";

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
