/**
 * Models: CreateModel (201), GetModel, GetModels, UpdateModel (replace /description, /schema),
 * DeleteModel (202; refused while a method request uses the model). Every API starts with Empty and
 * Error (rest-apis.ts). Texts recorded against AWS (LocalStack's TestApiGatewayApiModels and
 * test_put_method_model snapshots).
 *
 * ## Gaps
 * - GetModelTemplate is not implemented.
 */
import type { KvStore } from "../../../storage/kv.ts";
import { randomId } from "../../execute-api/api-ids.ts";
import type { OperationHandler } from "../../service.ts";
import { badRequest, conflict, modelNotFound } from "./errors.ts";
import { defined, type Json, limitOf, operation, page, str } from "./http.ts";
import { patchOperations, unsupportedPatch } from "./patch.ts";
import { type ApiState, editApi, requireApi, resourcePath } from "./store.ts";

/** A JSON schema needs at least one member ("{}" and an empty string are refused). */
function checkSchema(schema: string | undefined): string {
  let parsed: unknown;
  try {
    parsed = schema === undefined || schema === "" ? undefined : JSON.parse(schema);
  } catch {
    parsed = undefined;
  }
  if (parsed === null || typeof parsed !== "object" || Object.keys(parsed).length === 0) {
    throw badRequest("Model schema must have at least 1 property or array items defined");
  }
  return schema as string;
}

export function buildModel(body: Json): Json {
  const name = str(body, "name");
  if (!name) throw badRequest("Model name must be non-empty");
  return defined({
    id: randomId(6),
    name,
    description: str(body, "description"),
    schema: checkSchema(str(body, "schema")),
    contentType: str(body, "contentType") ?? "application/json",
  });
}

/** Where a method request uses the model: "{path}/{METHOD}" ("//ANY" for the root). */
function modelUse(state: ApiState, name: string): string | undefined {
  for (const resource of Object.values(state.resources)) {
    for (const method of Object.values(resource.resourceMethods ?? {})) {
      if (Object.values(method.requestModels ?? {}).includes(name)) {
        return `${resourcePath(state, resource.id)}/${method.httpMethod}`;
      }
    }
  }
  return undefined;
}

export function modelOperations(storage: KvStore): Record<string, OperationHandler> {
  return {
    CreateModel: operation(async (request) => {
      const { accountId, region } = request.context;
      const apiId = request.label("restapi_id");
      await requireApi(storage, accountId, region, apiId);
      const model = buildModel(request.body);
      await editApi(storage, accountId, region, apiId, (state) => {
        if (state.models[String(model.name)] !== undefined) {
          throw conflict("Model name already exists for this REST API");
        }
        state.models[String(model.name)] = model;
      });
      return { status: 201, body: model };
    }),

    GetModel: operation(async (request) => {
      const { accountId, region } = request.context;
      const state = await requireApi(storage, accountId, region, request.label("restapi_id"));
      const name = request.label("model_name");
      const model = state.models[name];
      if (model === undefined) throw modelNotFound(name);
      return { body: model };
    }),

    GetModels: operation(async (request) => {
      const { accountId, region } = request.context;
      const state = await requireApi(storage, accountId, region, request.label("restapi_id"));
      const models = Object.values(state.models).sort((a, b) => String(a.id).localeCompare(String(b.id)));
      return { body: page(models, request.query("position"), limitOf(request)) };
    }),

    UpdateModel: operation(async (request) => {
      const { accountId, region } = request.context;
      const ops = patchOperations(request.body, "updateModelInput");
      const name = request.label("model_name");
      const out = await editApi(storage, accountId, region, request.label("restapi_id"), (state) => {
        const current = state.models[name];
        if (current === undefined) throw modelNotFound(name);
        const next = { ...current };
        for (const op of ops) {
          const paths = ["/description", "/schema"];
          if (op.op !== "replace" || !paths.includes(op.path ?? "")) throw unsupportedPatch(op, paths);
          if (op.path === "/schema") next.schema = checkSchema(op.value);
          else if (op.value) next.description = op.value;
          else delete next.description;
        }
        state.models[name] = next;
        return next;
      });
      return { body: out };
    }),

    DeleteModel: operation(async (request) => {
      const { accountId, region } = request.context;
      const name = request.label("model_name");
      await editApi(storage, accountId, region, request.label("restapi_id"), (state) => {
        if (state.models[name] === undefined) throw modelNotFound(name);
        const use = modelUse(state, name);
        if (use !== undefined)
          throw conflict(`Cannot delete model '${name}', is referenced in method request: ${use}`);
        delete state.models[name];
      });
      return { status: 202 };
    }),
  };
}
