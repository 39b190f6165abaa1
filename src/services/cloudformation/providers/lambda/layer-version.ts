/**
 * AWS::Lambda::LayerVersion: PublishLayerVersion of Content (S3Bucket/S3Key/S3ObjectVersion, read by
 * Lambda from Stratus's S3) under LayerName, which CloudFormation generates when the template gives
 * none. Ref and Fn::GetAtt LayerVersionArn are the version's ARN (`...:layer:NAME:1`). Every property is
 * create-only, so any change publishes a new version and deletes the old one. Delete is
 * DeleteLayerVersion (Lambda answers success for a version already gone).
 */

import { defined, objectValue, requireProperties, stringList, stringValue } from "../property-values.ts";
import type { ResourceProvider } from "../types.ts";

/** Lambda's LayerName limit (a name, not an ARN, within the model's 140). */
const LAYER_NAME_MAX = 140;

/** `arn:aws:lambda:REGION:ACCOUNT:layer:NAME:VERSION` → name and version number. */
export function parseLayerVersionArn(arn: string): { name: string; version: number } | undefined {
  const parts = arn.split(":");
  if (parts[5] !== "layer" || parts[6] === undefined || !/^[0-9]+$/.test(parts[7] ?? "")) return undefined;
  return { name: parts[6], version: Number(parts[7]) };
}

export const layerVersionProvider: ResourceProvider = {
  replaceOn: [
    "CompatibleRuntimes",
    "LicenseInfo",
    "CompatibleArchitectures",
    "LayerName",
    "Description",
    "Content",
  ],
  async create(context, properties) {
    requireProperties(context, properties, ["Content"]);
    const content = objectValue(context, properties.Content, "Content") ?? {};
    const answer = await context.call.call(
      "lambda",
      "PublishLayerVersion",
      defined({
        LayerName:
          stringValue(context, properties.LayerName, "LayerName") ??
          context.physicalName({ maxLength: LAYER_NAME_MAX }),
        Description: stringValue(context, properties.Description, "Description"),
        Content: defined({
          S3Bucket: stringValue(context, content.S3Bucket, "Content/S3Bucket"),
          S3Key: stringValue(context, content.S3Key, "Content/S3Key"),
          S3ObjectVersion: stringValue(context, content.S3ObjectVersion, "Content/S3ObjectVersion"),
        }),
        CompatibleRuntimes: stringList(context, properties.CompatibleRuntimes, "CompatibleRuntimes"),
        CompatibleArchitectures: stringList(
          context,
          properties.CompatibleArchitectures,
          "CompatibleArchitectures",
        ),
        LicenseInfo: stringValue(context, properties.LicenseInfo, "LicenseInfo"),
      }),
    );
    const arn = String(answer.LayerVersionArn);
    return { physicalId: arn, attributes: { LayerVersionArn: arn } };
  },
  async delete(context, current) {
    const layer = parseLayerVersionArn(current.physicalId);
    if (layer === undefined) return;
    await context.call.call("lambda", "DeleteLayerVersion", {
      LayerName: layer.name,
      VersionNumber: layer.version,
    });
  },
};
