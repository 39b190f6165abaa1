/**
 * AWS::Lambda::LayerVersionPermission: AddLayerVersionPermission on the layer version
 * LayerVersionArn names, with a statement id Stratus generates. Ref and Fn::GetAtt Id are
 * `LAYER_VERSION_ARN#STATEMENT_ID` (the form AWS's resource handler uses, not confirmed by a
 * recording), which is all the delete needs. Every property is create-only, so any change replaces.
 * Delete is RemoveLayerVersionPermission; a layer version or statement already gone is success.
 */
import { randomUUID } from "node:crypto";
import { defined, requireProperties, stringValue, validationFailure } from "../property-values.ts";
import type { ResourceProvider } from "../types.ts";
import { parseLayerVersionArn } from "./layer-version.ts";
import { ignoringNotFound } from "./service-errors.ts";

export const layerVersionPermissionProvider: ResourceProvider = {
  replaceOn: ["LayerVersionArn", "Action", "Principal", "OrganizationId"],
  async create(context, properties) {
    requireProperties(context, properties, ["LayerVersionArn", "Action", "Principal"]);
    const arn = stringValue(context, properties.LayerVersionArn, "LayerVersionArn") ?? "";
    const layer = parseLayerVersionArn(arn);
    if (layer === undefined) {
      throw validationFailure(
        context,
        `#/LayerVersionArn: string [${arn}] does not match pattern of a layer version ARN`,
      );
    }
    const statementId = randomUUID();
    await context.call.call(
      "lambda",
      "AddLayerVersionPermission",
      defined({
        LayerName: layer.name,
        VersionNumber: layer.version,
        StatementId: statementId,
        Action: stringValue(context, properties.Action, "Action"),
        Principal: stringValue(context, properties.Principal, "Principal"),
        OrganizationId: stringValue(context, properties.OrganizationId, "OrganizationId"),
      }),
    );
    const id = `${arn}#${statementId}`;
    return { physicalId: id, attributes: { Id: id } };
  },
  async delete(context, current) {
    const separator = current.physicalId.lastIndexOf("#");
    const layer = parseLayerVersionArn(current.physicalId.slice(0, separator));
    if (separator < 0 || layer === undefined) return;
    await ignoringNotFound(() =>
      context.call.call("lambda", "RemoveLayerVersionPermission", {
        LayerName: layer.name,
        VersionNumber: layer.version,
        StatementId: current.physicalId.slice(separator + 1),
      }),
    );
  },
};
