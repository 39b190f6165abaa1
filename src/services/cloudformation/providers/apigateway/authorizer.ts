/**
 * AWS::ApiGateway::Authorizer (TOKEN, REQUEST, COGNITO_USER_POOLS): CreateAuthorizer; update through
 * UpdateAuthorizer's patch operations for what changed; RestApiId is create-only. Ref is the
 * authorizer id; GetAtt AuthorizerId.
 */
import type { ResourceProvider } from "../types.ts";
import { ignoringNotFound, type PatchOperation, replaceIfChanged } from "./calls.ts";
import { optInt, optString, optStringList, type Properties, reqString } from "./properties.ts";

const SCALARS: Array<[string, string]> = [
  ["Name", "/name"],
  ["Type", "/type"],
  ["AuthType", "/authType"],
  ["AuthorizerUri", "/authorizerUri"],
  ["AuthorizerCredentials", "/authorizerCredentials"],
  ["IdentitySource", "/identitySource"],
  ["IdentityValidationExpression", "/identityValidationExpression"],
];

function authorizerPatch(before: Readonly<Properties>, after: Properties): PatchOperation[] {
  const ops: PatchOperation[] = [];
  for (const [name, path] of SCALARS) {
    const old = optString(before as Properties, name);
    const next = optString(after, name);
    if (next === undefined && old !== undefined) ops.push({ op: "remove", path });
    else ops.push(...replaceIfChanged(path, old, next));
  }
  ops.push(
    ...replaceIfChanged(
      "/authorizerResultTtlInSeconds",
      optInt(before as Properties, "AuthorizerResultTtlInSeconds") ?? 300,
      optInt(after, "AuthorizerResultTtlInSeconds") ?? 300,
    ),
  );
  // providerARNs take the ARN as the operation's value, not in the path.
  const old = new Set(optStringList(before as Properties, "ProviderARNs") ?? []);
  const next = new Set(optStringList(after, "ProviderARNs") ?? []);
  for (const arn of old) if (!next.has(arn)) ops.push({ op: "remove", path: "/providerARNs", value: arn });
  for (const arn of next) if (!old.has(arn)) ops.push({ op: "add", path: "/providerARNs", value: arn });
  return ops;
}

export const authorizerProvider: ResourceProvider = {
  replaceOn: ["RestApiId"],

  async create(context, props) {
    const created = await context.call.call("apigateway", "CreateAuthorizer", {
      restApiId: reqString(props, "RestApiId"),
      name: reqString(props, "Name"),
      type: reqString(props, "Type"),
      providerARNs: optStringList(props, "ProviderARNs"),
      authType: optString(props, "AuthType"),
      authorizerUri: optString(props, "AuthorizerUri"),
      authorizerCredentials: optString(props, "AuthorizerCredentials"),
      identitySource: optString(props, "IdentitySource"),
      identityValidationExpression: optString(props, "IdentityValidationExpression"),
      authorizerResultTtlInSeconds: optInt(props, "AuthorizerResultTtlInSeconds"),
    });
    const id = String(created.id);
    return { physicalId: id, attributes: { AuthorizerId: id } };
  },

  async update(context, current, props) {
    const ops = authorizerPatch(current.properties, props);
    if (ops.length > 0) {
      await context.call.call("apigateway", "UpdateAuthorizer", {
        restApiId: reqString(props, "RestApiId"),
        authorizerId: current.physicalId,
        patchOperations: ops,
      });
    }
    return { physicalId: current.physicalId, attributes: { AuthorizerId: current.physicalId } };
  },

  async delete(context, current) {
    const restApiId = String(current.properties.RestApiId ?? "");
    await ignoringNotFound(() =>
      context.call.call("apigateway", "DeleteAuthorizer", { restApiId, authorizerId: current.physicalId }),
    );
  },
};
