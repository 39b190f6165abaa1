/**
 * AWS::ApiGateway::Model: CreateModel (Schema as an object or as text; a generated alphanumeric name
 * when the template gives none, since model names allow nothing else). Description and Schema update
 * in place through UpdateModel; ContentType, Name and RestApiId are create-only. Ref is the model name.
 */
import type { ResourceProvider } from "../types.ts";
import { ignoringNotFound, type PatchOperation, replaceIfChanged } from "./calls.ts";
import { optString, type Properties, reqString } from "./properties.ts";

function schemaText(props: Readonly<Properties>): string | undefined {
  const schema = props.Schema;
  if (schema === undefined || schema === null) return undefined;
  return typeof schema === "string" ? schema : JSON.stringify(schema);
}

export const modelProvider: ResourceProvider = {
  replaceOn: ["ContentType", "Name", "RestApiId"],

  async create(context, props) {
    const name =
      optString(props, "Name") ??
      context.physicalName({ maxLength: 128, separator: "" }).replace(/[^A-Za-z0-9]/g, "");
    await context.call.call("apigateway", "CreateModel", {
      restApiId: reqString(props, "RestApiId"),
      name,
      description: optString(props, "Description"),
      schema: schemaText(props),
      contentType: optString(props, "ContentType") ?? "application/json",
    });
    return { physicalId: name, attributes: {} };
  },

  async update(context, current, props) {
    const ops: PatchOperation[] = [
      ...replaceIfChanged(
        "/description",
        optString(current.properties, "Description") ?? "",
        optString(props, "Description") ?? "",
      ),
      ...replaceIfChanged("/schema", schemaText(current.properties), schemaText(props)),
    ];
    if (ops.length > 0) {
      await context.call.call("apigateway", "UpdateModel", {
        restApiId: reqString(props, "RestApiId"),
        modelName: current.physicalId,
        patchOperations: ops,
      });
    }
    return { physicalId: current.physicalId, attributes: {} };
  },

  async delete(context, current) {
    const restApiId = String(current.properties.RestApiId ?? "");
    await ignoringNotFound(() =>
      context.call.call("apigateway", "DeleteModel", { restApiId, modelName: current.physicalId }),
    );
  },
};
