/**
 * Methods and method responses: PutMethod (201), GetMethod, UpdateMethod, DeleteMethod (204);
 * PutMethodResponse (201), GetMethodResponse, UpdateMethodResponse (201, as the model says),
 * DeleteMethodResponse (204).
 *
 * Texts and behaviour recorded against AWS (LocalStack's test_apigateway_api snapshots): the HttpMethod
 * list, the authorizer rule for CUSTOM/COGNITO_USER_POOLS, validator and model references, unique
 * parameter names, UpdateMethod's patch paths (an authorizerId only shows while the type needs one),
 * UpdateMethodResponse's missing-parameter and missing-Content-Type answers.
 *
 * ## By design
 * - COGNITO_USER_POOLS methods are refused with a BadRequestException until Stratus emulates Cognito:
 *   accepting them would let requests through that AWS would check against a user pool.
 */
import type { KvStore, KvTransaction } from "../../../storage/kv.ts";
import type { OperationHandler } from "../../service.ts";
import type { MethodRecord, ResourceRecord } from "../snapshot.ts";
import {
  badRequest,
  conflict,
  contentTypeNotFound,
  methodNotFound,
  parameterNotFound,
  responseNotFound,
  statusCodeViolations,
  validationErrors,
} from "./errors.ts";
import {
  bool,
  boolMap,
  type ControlRequest,
  defined,
  type Json,
  operation,
  str,
  stringList,
  stringMap,
} from "./http.ts";
import {
  invalidPatchOperation,
  invalidPatchPath,
  type PatchOperation,
  patchBool,
  patchOperations,
  patchStringMap,
} from "./patch.ts";
import { requireResource } from "./resources.ts";
import { type ApiState, writeApi } from "./store.ts";

export const HTTP_METHODS = ["GET", "PUT", "POST", "DELETE", "PATCH", "OPTIONS", "HEAD", "ANY"];
const AUTHORIZATION_TYPES = ["NONE", "AWS_IAM", "CUSTOM", "COGNITO_USER_POOLS"];

const cognitoUnsupported = () =>
  badRequest(
    "Stratus does not emulate Amazon Cognito yet: authorizationType COGNITO_USER_POOLS is not supported.",
  );

export function requireMethod(resource: ResourceRecord, httpMethod: string): MethodRecord {
  const method = resource.resourceMethods?.[httpMethod];
  if (method === undefined) throw methodNotFound();
  return method;
}

/** Loads API, resource and method for an edit, runs `edit`, writes the API back. */
export async function editMethod<T>(
  storage: KvStore,
  request: ControlRequest,
  edit: (state: ApiState, resource: ResourceRecord, method: MethodRecord, tx: KvTransaction) => T,
): Promise<T> {
  const { accountId, region } = request.context;
  return storage.transaction(async (tx) => {
    const { state, resource } = await requireResource(
      tx,
      accountId,
      region,
      request.label("restapi_id"),
      request.label("resource_id"),
    );
    const method = requireMethod(resource, request.label("http_method"));
    const out = edit(state, resource, method, tx);
    writeApi(tx, accountId, region, state);
    return out;
  });
}

export async function readMethod(
  storage: KvStore,
  request: ControlRequest,
): Promise<{ state: ApiState; resource: ResourceRecord; method: MethodRecord }> {
  const { accountId, region } = request.context;
  const { state, resource } = await requireResource(
    storage,
    accountId,
    region,
    request.label("restapi_id"),
    request.label("resource_id"),
  );
  return { state, resource, method: requireMethod(resource, request.label("http_method")) };
}

function invalidAuthorizer() {
  return badRequest(
    "Invalid authorizer ID specified. Setting the authorization type to CUSTOM or COGNITO_USER_POOLS requires a valid authorizer.",
  );
}

/** The references a method holds must exist (authorizer, validator, models). */
function checkReferences(state: ApiState, method: MethodRecord): void {
  if (method.authorizationType === "COGNITO_USER_POOLS") throw cognitoUnsupported();
  if (method.authorizationType === "CUSTOM") {
    if (method.authorizerId === undefined || state.authorizers[method.authorizerId] === undefined) {
      throw invalidAuthorizer();
    }
  }
  if (
    method.requestValidatorId !== undefined &&
    state.requestValidators[method.requestValidatorId] === undefined
  ) {
    throw badRequest("Invalid Request Validator identifier specified");
  }
  for (const model of Object.values(method.requestModels ?? {})) {
    if (state.models[model] === undefined) throw badRequest(`Invalid model identifier specified: ${model}`);
  }
  const names = new Set<string>();
  for (const key of Object.keys(method.requestParameters ?? {})) {
    const name = key.split(".").slice(3).join(".");
    if (names.has(name))
      throw badRequest("Parameter names must be unique across querystring, header and path");
    names.add(name);
  }
}

function applyMethodPatch(method: MethodRecord, op: PatchOperation): void {
  const scalar = [
    "/authorizationType",
    "/authorizerId",
    "/apiKeyRequired",
    "/operationName",
    "/requestValidatorId",
  ];
  if (op.path !== undefined && scalar.includes(op.path)) {
    if (op.op !== "replace") throw invalidPatchOperation("replace");
    const key = op.path.slice(1);
    if (key === "apiKeyRequired") method.apiKeyRequired = patchBool(op);
    else if (op.value === undefined || op.value === "") delete method[key];
    else method[key] = op.value;
    return;
  }
  for (const [prefix, member] of [
    ["/requestParameters/", "requestParameters"],
    ["/requestModels/", "requestModels"],
  ] as const) {
    if (op.path?.startsWith(prefix)) {
      const raw = op.path.slice(prefix.length);
      // A Content-Type must arrive escaped (application~1json); a raw "/" is another path.
      if (raw === "" || raw.includes("/")) throw invalidPatchPath(op.path);
      const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
      const value = member === "requestParameters" ? patchBool(op) : op.value;
      patchStringMap(method, member, key, op, value);
      return;
    }
  }
  if (op.path === "/authorizationScopes") {
    const scopes = new Set(method.authorizationScopes ?? []);
    if (op.op === "add" && op.value) scopes.add(op.value);
    else if (op.op === "remove" && op.value) scopes.delete(op.value);
    else throw invalidPatchOperation("add, remove");
    method.authorizationScopes = [...scopes];
    if (scopes.size === 0) delete method.authorizationScopes;
    return;
  }
  throw invalidPatchPath(op.path);
}

function applyMethodResponsePatch(response: Json, op: PatchOperation): void {
  for (const [prefix, member] of [
    ["/responseParameters/", "responseParameters"],
    ["/responseModels/", "responseModels"],
  ] as const) {
    if (op.path?.startsWith(prefix)) {
      const key = op.path.slice(prefix.length).replace(/~1/g, "/").replace(/~0/g, "~");
      const existing = (response[member] as Json | undefined) ?? {};
      if ((op.op === "remove" || op.op === "replace") && !(key in existing)) {
        throw member === "responseParameters" ? parameterNotFound() : contentTypeNotFound();
      }
      const value = member === "responseParameters" ? patchBool(op) : op.value;
      patchStringMap(response, member, key, op, value);
      return;
    }
  }
  throw invalidPatchPath(op.path);
}

export function methodOperations(storage: KvStore): Record<string, OperationHandler> {
  return {
    PutMethod: operation(async (request) => {
      const { accountId, region } = request.context;
      const httpMethod = request.label("http_method");
      const body = request.body;
      const out = await storage.transaction(async (tx) => {
        const { state, resource } = await requireResource(
          tx,
          accountId,
          region,
          request.label("restapi_id"),
          request.label("resource_id"),
        );
        if (!HTTP_METHODS.includes(httpMethod)) {
          throw badRequest(`Invalid HttpMethod specified. Valid options are ${HTTP_METHODS.join(",")}`);
        }
        const authorizationType = str(body, "authorizationType") ?? "";
        if (!AUTHORIZATION_TYPES.includes(authorizationType)) {
          throw badRequest("Invalid authorization type specified");
        }
        if (resource.resourceMethods?.[httpMethod] !== undefined) {
          throw conflict("Method already exists for this resource");
        }
        const needsAuthorizer = authorizationType === "CUSTOM" || authorizationType === "COGNITO_USER_POOLS";
        const method = defined({
          httpMethod,
          authorizationType,
          authorizerId: needsAuthorizer ? str(body, "authorizerId") : undefined,
          apiKeyRequired: bool(body, "apiKeyRequired") ?? false,
          requestValidatorId: str(body, "requestValidatorId"),
          operationName: str(body, "operationName"),
          requestParameters: boolMap(body, "requestParameters"),
          requestModels: stringMap(body, "requestModels"),
          authorizationScopes: stringList(body, "authorizationScopes"),
        }) as MethodRecord;
        checkReferences(state, method);
        resource.resourceMethods = { ...(resource.resourceMethods ?? {}), [httpMethod]: method };
        writeApi(tx, accountId, region, state);
        return method;
      });
      return { status: 201, body: out };
    }),

    GetMethod: operation(async (request) => ({ body: (await readMethod(storage, request)).method })),

    UpdateMethod: operation(async (request) => {
      const ops = patchOperations(request.body, "updateMethodInput");
      const out = await editMethod(storage, request, (state, resource, method) => {
        const next = structuredClone(method);
        for (const op of ops) applyMethodPatch(next, op);
        if (next.authorizationType !== "CUSTOM" && next.authorizationType !== "COGNITO_USER_POOLS") {
          delete next.authorizerId;
        }
        if (!AUTHORIZATION_TYPES.includes(next.authorizationType)) {
          throw badRequest("Invalid authorization type specified");
        }
        checkReferences(state, next);
        (resource.resourceMethods as Record<string, MethodRecord>)[method.httpMethod] = next;
        return next;
      });
      return { body: out };
    }),

    DeleteMethod: operation(async (request) => {
      await editMethod(storage, request, (_state, resource, method) => {
        delete (resource.resourceMethods as Record<string, MethodRecord>)[method.httpMethod];
        if (Object.keys(resource.resourceMethods ?? {}).length === 0) delete resource.resourceMethods;
      });
      return { status: 204 };
    }),

    PutMethodResponse: operation(async (request) => {
      const statusCode = request.label("status_code");
      const violations = statusCodeViolations(statusCode);
      if (violations.length > 0) throw validationErrors(violations);
      const response = defined({
        statusCode,
        responseParameters: boolMap(request.body, "responseParameters"),
        responseModels: stringMap(request.body, "responseModels"),
      });
      await editMethod(storage, request, (state, _resource, method) => {
        for (const model of Object.values((response.responseModels as Json | undefined) ?? {})) {
          if (state.models[String(model)] === undefined) {
            throw badRequest(`Invalid model identifier specified: ${String(model)}`);
          }
        }
        method.methodResponses = { ...(method.methodResponses ?? {}), [statusCode]: response };
      });
      return { status: 201, body: response };
    }),

    GetMethodResponse: operation(async (request) => {
      const statusCode = request.label("status_code");
      const violations = statusCodeViolations(statusCode);
      if (violations.length > 0) throw validationErrors(violations);
      const { method } = await readMethod(storage, request);
      const response = method.methodResponses?.[statusCode];
      if (response === undefined) throw responseNotFound();
      return { body: response };
    }),

    UpdateMethodResponse: operation(async (request) => {
      const statusCode = request.label("status_code");
      const ops = patchOperations(
        request.body,
        "updateMethodResponseInput",
        statusCodeViolations(statusCode),
      );
      const out = await editMethod(storage, request, (_state, _resource, method) => {
        const current = method.methodResponses?.[statusCode];
        if (current === undefined) throw responseNotFound();
        const next = structuredClone(current);
        for (const op of ops) applyMethodResponsePatch(next, op);
        method.methodResponses = { ...(method.methodResponses ?? {}), [statusCode]: next };
        return next;
      });
      return { status: 201, body: out };
    }),

    DeleteMethodResponse: operation(async (request) => {
      const statusCode = request.label("status_code");
      const violations = statusCodeViolations(statusCode);
      if (violations.length > 0) throw validationErrors(violations);
      await editMethod(storage, request, (_state, _resource, method) => {
        if (method.methodResponses?.[statusCode] === undefined) throw responseNotFound();
        delete method.methodResponses[statusCode];
        if (Object.keys(method.methodResponses).length === 0) delete method.methodResponses;
      });
      return { status: 204 };
    }),
  };
}
