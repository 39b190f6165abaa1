/**
 * AWS::ApiGateway::ApiKey: CreateApiKey (a generated name when the template gives none; Name, Value
 * and GenerateDistinctId are create-only). Update: description, enabled, customer id and stage keys
 * through UpdateApiKey, tags through TagResource/UntagResource. Ref is the key id; GetAtt APIKeyId.
 */
import type { ResourceProvider } from "../types.ts";
import { ignoringNotFound, type PatchOperation, replaceIfChanged } from "./calls.ts";
import { optBool, optList, optString, type Properties, tagMap } from "./properties.ts";
import { apiGatewayArn, retag } from "./tags.ts";

/** StageKeys [{RestApiId, StageName}] as "{restApiId}/{stageName}" strings. */
function stageKeys(props: Readonly<Properties>): string[] {
  return (optList(props as Properties, "StageKeys") ?? []).map((item) => {
    const key = (item ?? {}) as Properties;
    return `${optString(key, "RestApiId") ?? ""}/${optString(key, "StageName") ?? ""}`;
  });
}

function apiKeyPatch(before: Readonly<Properties>, after: Properties): PatchOperation[] {
  const ops: PatchOperation[] = [];
  for (const [name, path] of [
    ["Description", "/description"],
    ["CustomerId", "/customerId"],
  ] as const) {
    ops.push(
      ...replaceIfChanged(path, optString(before as Properties, name) ?? "", optString(after, name) ?? ""),
    );
  }
  ops.push(
    ...replaceIfChanged(
      "/enabled",
      optBool(before as Properties, "Enabled") ?? false,
      optBool(after, "Enabled") ?? false,
    ),
  );
  const old = new Set(stageKeys(before));
  const next = new Set(stageKeys(after));
  for (const key of old) if (!next.has(key)) ops.push({ op: "remove", path: "/stages", value: key });
  for (const key of next) if (!old.has(key)) ops.push({ op: "add", path: "/stages", value: key });
  return ops;
}

export const apiKeyProvider: ResourceProvider = {
  replaceOn: ["Name", "Value", "GenerateDistinctId"],

  async create(context, props) {
    const created = await context.call.call("apigateway", "CreateApiKey", {
      name: optString(props, "Name") ?? context.physicalName({ maxLength: 1024 }),
      description: optString(props, "Description"),
      enabled: optBool(props, "Enabled") ?? false,
      generateDistinctId: optBool(props, "GenerateDistinctId"),
      value: optString(props, "Value"),
      customerId: optString(props, "CustomerId"),
      stageKeys: stageKeys(props).map((key) => {
        const [restApiId, stageName] = key.split("/");
        return { restApiId, stageName };
      }),
      tags: tagMap(props),
    });
    const id = String(created.id);
    return { physicalId: id, attributes: { APIKeyId: id } };
  },

  async update(context, current, props) {
    const apiKey = current.physicalId;
    const ops = apiKeyPatch(current.properties, props);
    if (ops.length > 0)
      await context.call.call("apigateway", "UpdateApiKey", { apiKey, patchOperations: ops });
    await retag(
      context,
      "apigateway",
      apiGatewayArn(context, `/apikeys/${apiKey}`),
      tagMap(current.properties),
      tagMap(props),
    );
    return { physicalId: apiKey, attributes: { APIKeyId: apiKey } };
  },

  async delete(context, current) {
    await ignoringNotFound(() =>
      context.call.call("apigateway", "DeleteApiKey", { apiKey: current.physicalId }),
    );
  },
};
