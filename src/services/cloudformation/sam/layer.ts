/**
 * AWS::Serverless::LayerVersion → AWS::Lambda::LayerVersion under a new logical id, `<Layer><hash>`, so a
 * change of the layer publishes a new version (the hash covers the SAM resource itself minus its
 * DeletionPolicy/UpdateReplacePolicy/Metadata, as SAM computes it). RetentionPolicy becomes the
 * DeletionPolicy (Retain by default). References to the old id are rewritten by the transform.
 */
import type { TemplateResource } from "../template/types.ts";
import { s3Location } from "./code-uri.ts";
import { invalidResource } from "./errors.ts";
import { compact, type Expansion } from "./expansion.ts";
import { isIntrinsic, type JsonObject, resolveParameterRefs } from "./json.ts";
import { hashedLogicalId } from "./logical-ids.ts";

export function expandLayerVersion(
  expansion: Expansion,
  logicalId: string,
  resource: TemplateResource,
): void {
  const properties = (resource.Properties ?? {}) as JsonObject;
  const { parameters } = expansion.context;
  if (properties.ContentUri === undefined)
    throw invalidResource(logicalId, "Missing required property 'ContentUri'.");
  const content = s3Location(logicalId, "ContentUri", properties.ContentUri, parameters, {
    bucket: "S3Bucket",
    key: "S3Key",
    version: "S3ObjectVersion",
  });
  const deletionPolicy = retentionPolicy(
    logicalId,
    resolveParameterRefs(properties.RetentionPolicy, parameters),
  );
  const layer: TemplateResource = {
    Type: "AWS::Lambda::LayerVersion",
    Properties: compact({
      Content: content,
      Description: properties.Description,
      LayerName: properties.LayerName ?? logicalId,
      CompatibleArchitectures: properties.CompatibleArchitectures,
      CompatibleRuntimes: properties.CompatibleRuntimes,
      LicenseInfo: properties.LicenseInfo,
    }),
  };
  if (resource.Condition !== undefined) layer.Condition = resource.Condition;
  if (resource.DependsOn !== undefined) layer.DependsOn = resource.DependsOn;
  const newId = hashedLogicalId(logicalId, { [logicalId]: hashedForm(resource, properties, parameters) });
  layer.DeletionPolicy =
    properties.RetentionPolicy !== undefined ? deletionPolicy : (resource.DeletionPolicy ?? "Retain");
  if (resource.UpdateReplacePolicy !== undefined) layer.UpdateReplacePolicy = resource.UpdateReplacePolicy;
  if (resource.Metadata !== undefined) layer.Metadata = resource.Metadata;
  expansion.output[newId] = layer;
  expansion.renamed.set(logicalId, newId);
}

function retentionPolicy(logicalId: string, value: unknown): "Retain" | "Delete" {
  const options = "['Retain', 'Delete']";
  if (value === undefined || value === null) return "Retain";
  if (isIntrinsic(value)) {
    throw invalidResource(
      logicalId,
      `'RetentionPolicy' does not accept intrinsic functions, please use one of the following options: ${options}`,
    );
  }
  if (typeof value !== "string") {
    throw invalidResource(
      logicalId,
      `Invalid 'RetentionPolicy' type, please use one of the following options: ${options}`,
    );
  }
  if (value.toLowerCase() === "retain") return "Retain";
  if (value.toLowerCase() === "delete") return "Delete";
  throw invalidResource(logicalId, `'RetentionPolicy' must be one of the following options: ${options}.`);
}

/**
 * What SAM hashes: the AWS::Serverless::LayerVersion as written (Type, Properties with parameter Refs
 * resolved in LayerName/LicenseInfo/Description/RetentionPolicy, Condition, DependsOn).
 */
function hashedForm(
  resource: TemplateResource,
  properties: JsonObject,
  parameters: ReadonlyMap<string, unknown>,
): JsonObject {
  const resolved: JsonObject = { ...properties };
  for (const name of ["LayerName", "LicenseInfo", "Description", "RetentionPolicy"]) {
    if (resolved[name] !== undefined) resolved[name] = resolveParameterRefs(resolved[name], parameters);
  }
  const form: JsonObject = { Type: resource.Type, Properties: resolved };
  if (resource.Condition !== undefined) form.Condition = resource.Condition;
  if (resource.DependsOn !== undefined) form.DependsOn = resource.DependsOn;
  return form;
}
