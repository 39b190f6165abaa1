/**
 * Writes an imported OpenAPI document (openapi-import.ts) into an API: ImportRestApi into a new one,
 * PutRestApi into an existing one in `overwrite` mode (the document replaces resources, methods,
 * models, authorizers, validators and gateway responses; the root resource, stages and deployments
 * stay) or `merge` mode (the document's methods, models, authorizers... are added or replace those of
 * the same path, name or type; everything else stays).
 */
import { randomId } from "../../execute-api/api-ids.ts";
import type { MethodRecord, ResourceRecord } from "../snapshot.ts";
import { badRequest } from "./errors.ts";
import type { Json } from "./http.ts";
import type { ImportedApi } from "./openapi-import.ts";
import { defaultModels } from "./rest-apis.ts";
import type { ApiState } from "./store.ts";

export type PutMode = "overwrite" | "merge";

function idsByName(existing: Record<string, Json>): Map<string, string> {
  return new Map(Object.values(existing).map((item) => [String(item.name), String(item.id)]));
}

/** The resource at `path`, created (with its ancestors) when missing. */
function ensureResource(state: ApiState, path: string): ResourceRecord {
  let current = state.resources[state.api.rootResourceId] as ResourceRecord;
  for (const pathPart of path.split("/").filter((part) => part !== "")) {
    const child = Object.values(state.resources).find(
      (r) => r.parentId === current.id && r.pathPart === pathPart,
    );
    if (child !== undefined) {
      current = child;
      continue;
    }
    const created: ResourceRecord = { id: randomId(6), parentId: current.id, pathPart, path: "" };
    state.resources[created.id] = created;
    current = created;
  }
  return current;
}

export function applyImport(state: ApiState, imported: ImportedApi, mode: PutMode): void {
  if (mode === "overwrite") {
    const root = state.resources[state.api.rootResourceId] as ResourceRecord;
    state.resources = { [root.id]: { id: root.id, path: "/" } };
    state.models = defaultModels();
    state.authorizers = {};
    state.requestValidators = {};
    state.gatewayResponses = {};
  }
  for (const [name, model] of Object.entries(imported.models)) {
    state.models[name] = { id: (state.models[name]?.id as string | undefined) ?? randomId(6), ...model };
  }
  const authorizerIds = idsByName(state.authorizers);
  for (const [name, authorizer] of Object.entries(imported.authorizers)) {
    const id = authorizerIds.get(name) ?? randomId(6);
    authorizerIds.set(name, id);
    state.authorizers[id] = { id, ...authorizer };
  }
  const validatorIds = idsByName(state.requestValidators);
  for (const [name, validator] of Object.entries(imported.validators)) {
    const id = validatorIds.get(name) ?? randomId(6);
    validatorIds.set(name, id);
    state.requestValidators[id] = { id, ...validator };
  }
  Object.assign(state.gatewayResponses, imported.gatewayResponses);

  for (const [path, methods] of Object.entries(imported.paths)) {
    const resource = ensureResource(state, path);
    for (const [verb, entry] of Object.entries(methods)) {
      const method: MethodRecord = structuredClone(entry.method);
      if (method.authorizationType === "COGNITO_USER_POOLS") {
        throw badRequest(
          "Stratus does not emulate Amazon Cognito yet: authorizationType COGNITO_USER_POOLS is not supported.",
        );
      }
      if (entry.authorizerName !== undefined) method.authorizerId = authorizerIds.get(entry.authorizerName);
      if (entry.validatorName !== undefined) {
        const id = validatorIds.get(entry.validatorName);
        if (id === undefined) throw badRequest(`Invalid Request Validator identifier specified`);
        method.requestValidatorId = id;
      }
      if (method.methodIntegration !== undefined && method.methodIntegration.cacheNamespace === "") {
        method.methodIntegration.cacheNamespace = resource.id;
      }
      resource.resourceMethods = { ...(resource.resourceMethods ?? {}), [verb]: method };
    }
  }
}
