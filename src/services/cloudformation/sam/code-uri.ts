/**
 * CodeUri / ContentUri → the S3 location object of AWS::Lambda::Function.Code or LayerVersion.Content.
 * SAM accepts `s3://bucket/key[?versionId=v]` or `{Bucket, Key, Version}`; a local path is packaged by
 * the CLI (`sam package` / `stratus deploy`) before the transform, so here it is SAM's error.
 */
import { invalidResource } from "./errors.ts";
import { isObject, type JsonObject, resolveParameterRefs } from "./json.ts";

export function s3Location(
  logicalId: string,
  propertyName: "CodeUri" | "ContentUri" | "DefinitionUri",
  uri: unknown,
  parameters: ReadonlyMap<string, unknown>,
  keys: { bucket: string; key: string; version: string },
): JsonObject {
  const value = resolveParameterRefs(uri, parameters);
  if (isObject(value) && ("Bucket" in value || "Key" in value) && !("Ref" in value)) {
    if (value.Bucket === undefined || value.Key === undefined) {
      throw invalidResource(
        logicalId,
        `'${propertyName}' requires Bucket and Key properties to be specified.`,
      );
    }
    const location: JsonObject = { [keys.bucket]: value.Bucket, [keys.key]: value.Key };
    if (value.Version !== undefined) location[keys.version] = value.Version;
    return location;
  }
  const parsed = typeof value === "string" ? parseS3Uri(value) : undefined;
  if (parsed === undefined) {
    throw invalidResource(
      logicalId,
      `'${propertyName}' is not a valid S3 Uri of the form 's3://bucket/key' with optional versionId query parameter.`,
    );
  }
  const location: JsonObject = { [keys.bucket]: parsed.bucket, [keys.key]: parsed.key };
  if (parsed.version !== undefined) location[keys.version] = parsed.version;
  return location;
}

function parseS3Uri(uri: string): { bucket: string; key: string; version?: string } | undefined {
  const match = /^s3:\/\/([^/]+)\/([^?]+)(?:\?(.*))?$/.exec(uri);
  if (match === null) return undefined;
  const [, bucket, key, query] = match as unknown as [string, string, string, string | undefined];
  const version =
    query === undefined ? undefined : (new URLSearchParams(query).get("versionId") ?? undefined);
  return version === undefined ? { bucket, key } : { bucket, key, version };
}
