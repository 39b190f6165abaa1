/**
 * RestApis: CreateRestApi (201), GetRestApi, GetRestApis, UpdateRestApi, DeleteRestApi (202).
 *
 * A new API gets its root resource "/" and API Gateway's two default models, Empty and Error (their
 * names, descriptions and schemas as GetModels answers them on AWS). Defaults and texts recorded
 * against AWS in LocalStack's test_apigateway_api snapshots: apiKeySource HEADER,
 * disableExecuteApiEndpoint false, endpointConfiguration EDGE/ipv4 (PRIVATE: dualstack), the
 * description, compression-size and endpoint-type errors.
 *
 * ## Gaps
 * - cloneFrom, policy evaluation, securityPolicy and endpointAccessMode are stored or ignored, never
 *   enforced.
 */
import type { KvStore } from "../../../storage/kv.ts";
import { allocateApiId, randomId, releaseApiId } from "../../execute-api/api-ids.ts";
import type { OperationHandler } from "../../service.ts";
import { badRequest, enumViolation, serializationError, validationErrors } from "./errors.ts";
import { bool, defined, type Json, limitOf, operation, page, str, stringList, stringMap } from "./http.ts";
import {
  invalidPatchOperation,
  invalidPatchPath,
  keyUnder,
  type PatchOperation,
  patchOperations,
} from "./patch.ts";
import {
  type ApiState,
  deleteApiRecord,
  deleteDeploymentSnapshot,
  FORMAT_VERSION,
  listApis,
  requireApi,
  writeApi,
} from "./store.ts";

const COMPRESSION_MAX = 10485760;
const ENDPOINT_TYPES = ["PRIVATE", "EDGE", "REGIONAL"];
const IP_ADDRESS_TYPES = ["ipv4", "dualstack"];

/** API Gateway's default models, as GetModels lists them for a new API. */
export function defaultModels(): Record<string, Json> {
  return {
    Empty: {
      id: randomId(6),
      name: "Empty",
      description: "This is a default empty schema model",
      schema:
        '{\n  "$schema": "http://json-schema.org/draft-04/schema#",\n  "title" : "Empty Schema",\n  "type" : "object"\n}',
      contentType: "application/json",
    },
    Error: {
      id: randomId(6),
      name: "Error",
      description: "This is a default error schema model",
      schema:
        '{\n  "$schema" : "http://json-schema.org/draft-04/schema#",\n  "title" : "Error Schema",\n  "type" : "object",\n  "properties" : {\n    "message" : { "type" : "string" }\n  }\n}',
      contentType: "application/json",
    },
  };
}

/** The RestApi as API Gateway answers it. */
export function restApiView(state: ApiState): Json {
  return { ...state.api };
}

function endpointConfiguration(body: Json): Json {
  const raw = body.endpointConfiguration as Json | undefined;
  if (raw === undefined || raw === null) return { types: ["EDGE"], ipAddressType: "ipv4" };
  if (typeof raw !== "object" || Array.isArray(raw)) throw serializationError(raw);
  const types = stringList(raw, "types");
  const ipAddressType = str(raw, "ipAddressType");
  const messages: string[] = [];
  if (types?.some((t) => !ENDPOINT_TYPES.includes(t))) {
    messages.push(
      `Value '[${types.join(", ")}]' at 'createRestApiInput.endpointConfiguration.types' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [${ENDPOINT_TYPES.join(", ")}]]`,
    );
  }
  if (ipAddressType !== undefined && !IP_ADDRESS_TYPES.includes(ipAddressType)) {
    messages.push(
      enumViolation(
        ipAddressType,
        "createRestApiInput.endpointConfiguration.ipAddressType",
        IP_ADDRESS_TYPES,
      ),
    );
  }
  if (messages.length > 0) throw validationErrors(messages);
  const chosen = types ?? ["EDGE"];
  if (chosen.length === 0)
    throw badRequest("REGIONAL Configuration and EDGE Configuration cannot be both DISABLED.");
  if (chosen.length > 1) throw badRequest("Cannot create an api with multiple Endpoint Types.");
  const isPrivate = chosen[0] === "PRIVATE";
  if (isPrivate && ipAddressType === "ipv4") {
    throw badRequest("Only dualstack ipAddressType is supported for Private APIs.");
  }
  const out: Json = { types: chosen, ipAddressType: ipAddressType ?? (isPrivate ? "dualstack" : "ipv4") };
  const vpcEndpointIds = stringList(raw, "vpcEndpointIds");
  if (vpcEndpointIds !== undefined) out.vpcEndpointIds = vpcEndpointIds;
  return out;
}

function checkCompression(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > COMPRESSION_MAX) {
    throw badRequest(`Invalid minimum compression size, must be between 0 and ${COMPRESSION_MAX}`);
  }
  return value;
}

/** The attributes CreateRestApi, ImportRestApi and PutRestApi share, checked as CreateRestApi does. */
export function restApiAttributes(body: Json): Json {
  const description = str(body, "description");
  if (description === "") throw badRequest("Description cannot be an empty string");
  const apiKeySource = str(body, "apiKeySource");
  if (apiKeySource !== undefined && apiKeySource !== "HEADER" && apiKeySource !== "AUTHORIZER") {
    throw validationErrors([
      enumViolation(apiKeySource, "createRestApiInput.apiKeySource", ["HEADER", "AUTHORIZER"]),
    ]);
  }
  const binaryMediaTypes = stringList(body, "binaryMediaTypes");
  const tags = stringMap(body, "tags");
  return defined({
    description,
    version: str(body, "version"),
    binaryMediaTypes: binaryMediaTypes?.length ? binaryMediaTypes : undefined,
    minimumCompressionSize: checkCompression(body.minimumCompressionSize),
    apiKeySource: apiKeySource ?? "HEADER",
    endpointConfiguration: endpointConfiguration(body),
    policy: str(body, "policy"),
    tags: tags && Object.keys(tags).length > 0 ? tags : undefined,
    disableExecuteApiEndpoint: bool(body, "disableExecuteApiEndpoint") ?? false,
  });
}

/**
 * Creates an API record (root resource, default models) in one transaction; `prepare` may fill it in
 * (ImportRestApi) before it is written, and a throw from it leaves nothing behind.
 */
export async function createApiState(
  storage: KvStore,
  accountId: string,
  region: string,
  name: string,
  attributes: Json,
  createdDate: number,
  prepare: (state: ApiState) => void = () => {},
): Promise<ApiState> {
  return storage.transaction(async (tx) => {
    const id = await allocateApiId(tx, { accountId, region, kind: "rest" });
    const rootResourceId = randomId(10);
    const state: ApiState = {
      v: FORMAT_VERSION,
      api: { id, name, createdDate, ...attributes, rootResourceId },
      resources: { [rootResourceId]: { id: rootResourceId, path: "/" } },
      authorizers: {},
      models: defaultModels(),
      requestValidators: {},
      gatewayResponses: {},
      deployments: {},
      stages: {},
    };
    prepare(state);
    writeApi(tx, accountId, region, state);
    return state;
  });
}

function applyRestApiPatch(api: Json, op: PatchOperation): void {
  const path = op.path;
  switch (path) {
    case "/name":
    case "/description":
    case "/version":
    case "/policy":
    case "/apiKeySource": {
      if (op.op !== "replace") throw invalidPatchOperation("replace");
      const key = path.slice(1);
      if (key === "name" && !op.value) throw badRequest("Invalid REST API name specified");
      if (key === "apiKeySource" && op.value !== "HEADER" && op.value !== "AUTHORIZER") {
        throw badRequest(`Invalid apiKeySource specified. Valid options are HEADER,AUTHORIZER`);
      }
      if (op.value === undefined || op.value === "") delete api[key];
      else api[key] = op.value;
      return;
    }
    case "/minimumCompressionSize": {
      if (op.op !== "replace") throw invalidPatchOperation("replace");
      if (op.value === undefined || op.value === "") {
        delete api.minimumCompressionSize;
        return;
      }
      const size = /^-?\d+$/.test(op.value) ? Number(op.value) : Number.NaN;
      api.minimumCompressionSize = checkCompression(size);
      return;
    }
    case "/disableExecuteApiEndpoint": {
      if (op.op !== "replace") throw invalidPatchOperation("replace");
      api.disableExecuteApiEndpoint = op.value === "true";
      return;
    }
    case "/endpointConfiguration/ipAddressType": {
      if (op.op !== "replace") throw invalidPatchOperation("replace");
      if (!IP_ADDRESS_TYPES.includes(op.value ?? "")) {
        throw badRequest("ipAddressType must be either ipv4 or dualstack.");
      }
      const config = { ...(api.endpointConfiguration as Json) };
      if ((config.types as string[] | undefined)?.[0] === "PRIVATE" && op.value === "ipv4") {
        throw badRequest("Only dualstack ipAddressType is supported for Private APIs.");
      }
      config.ipAddressType = op.value;
      api.endpointConfiguration = config;
      return;
    }
    default:
      break;
  }
  const mediaType = keyUnder(path, "/binaryMediaTypes/");
  if (mediaType !== undefined) {
    const types = [...((api.binaryMediaTypes as string[] | undefined) ?? [])];
    const at = types.indexOf(mediaType);
    if (op.op === "add") {
      if (at < 0) types.push(mediaType);
    } else if (op.op === "remove") {
      if (at >= 0) types.splice(at, 1);
    } else if (op.op === "replace") {
      if (at >= 0) types.splice(at, 1, op.value ?? mediaType);
      else if (op.value) types.push(op.value);
    } else throw invalidPatchOperation("add, remove, replace");
    if (types.length > 0) api.binaryMediaTypes = types;
    else delete api.binaryMediaTypes;
    return;
  }
  const endpointType = keyUnder(path, "/endpointConfiguration/types/");
  if (endpointType !== undefined) {
    if (op.op !== "replace" && op.op !== "add" && op.op !== "remove") {
      throw badRequest("Invalid patch operation specified. Must be 'add'|'remove'|'replace'");
    }
    if (op.op === "replace") {
      if (!ENDPOINT_TYPES.includes(op.value ?? "")) {
        throw badRequest("Invalid EndpointTypes specified. Valid options are REGIONAL,EDGE,PRIVATE");
      }
      const config: Json = { ...(api.endpointConfiguration as Json), types: [op.value] };
      // A private API is dualstack only (recorded: replacing EDGE with PRIVATE answers dualstack).
      if (op.value === "PRIVATE") config.ipAddressType = "dualstack";
      api.endpointConfiguration = config;
    }
    return;
  }
  throw invalidPatchPath(path);
}

export function restApiOperations(storage: KvStore): Record<string, OperationHandler> {
  return {
    CreateRestApi: operation(async (request) => {
      const { accountId, region } = request.context;
      const name = str(request.body, "name");
      const attributes = restApiAttributes(request.body);
      if (name === undefined) {
        throw validationErrors([
          "Value null at 'createRestApiInput.name' failed to satisfy constraint: Member must not be null",
        ]);
      }
      const state = await createApiState(storage, accountId, region, name, attributes, request.nowSeconds());
      return { status: 201, body: restApiView(state) };
    }),

    GetRestApi: operation(async (request) => {
      const { accountId, region } = request.context;
      const state = await requireApi(storage, accountId, region, request.label("restapi_id"));
      return { body: restApiView(state) };
    }),

    GetRestApis: operation(async (request) => {
      const { accountId, region } = request.context;
      const apis = (await listApis(storage, accountId, region))
        .map(restApiView)
        .sort(
          (a, b) => Number(a.createdDate) - Number(b.createdDate) || String(a.id).localeCompare(String(b.id)),
        );
      return { body: page(apis, request.query("position"), limitOf(request)) };
    }),

    UpdateRestApi: operation(async (request) => {
      const { accountId, region } = request.context;
      const ops = patchOperations(request.body, "updateRestApiInput");
      const state = await storage.transaction(async (tx) => {
        const current = await requireApi(tx, accountId, region, request.label("restapi_id"));
        const api = { ...current.api };
        for (const op of ops) applyRestApiPatch(api, op);
        current.api = api as ApiState["api"];
        writeApi(tx, accountId, region, current);
        return current;
      });
      return { body: { ...restApiView(state), tags: state.api.tags ?? {} } };
    }),

    DeleteRestApi: operation(async (request) => {
      const { accountId, region } = request.context;
      const apiId = request.label("restapi_id");
      await storage.transaction(async (tx) => {
        const state = await requireApi(tx, accountId, region, apiId);
        for (const deploymentId of Object.keys(state.deployments)) {
          deleteDeploymentSnapshot(tx, accountId, region, apiId, deploymentId);
        }
        deleteApiRecord(tx, accountId, region, apiId);
        releaseApiId(tx, apiId);
      });
      return { status: 202 };
    }),
  };
}
