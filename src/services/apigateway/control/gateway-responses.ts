/**
 * Gateway responses: PutGatewayResponse (201), GetGatewayResponse, GetGatewayResponses,
 * UpdateGatewayResponse, DeleteGatewayResponse (202).
 *
 * Every API has API Gateway's default responses (defaultResponse true, the template
 * {"message":$context.error.messageString}); a response type the user has not put inherits what the
 * user put for DEFAULT_4XX or DEFAULT_5XX (status code, parameters, templates), as AWS lists it.
 * Everything here recorded against AWS in LocalStack's TestApiGatewayGatewayResponse snapshots,
 * including the enum order of the ValidationException and UpdateGatewayResponse's texts.
 */
import type { KvStore } from "../../../storage/kv.ts";
import type { OperationHandler } from "../../service.ts";
import {
  badRequest,
  enumViolation,
  gatewayResponseNotSet,
  parameterNotFound,
  validationErrors,
} from "./errors.ts";
import { defined, type Json, operation, str, stringMap } from "./http.ts";
import { invalidPatchPath, type PatchOperation, patchOperations } from "./patch.ts";
import { type ApiState, editApi, requireApi } from "./store.ts";

/** Default status code of each type (absent: DEFAULT_4XX, DEFAULT_5XX), in AWS's listing order. */
export const GATEWAY_RESPONSE_DEFAULTS: Record<string, string | undefined> = {
  ACCESS_DENIED: "403",
  API_CONFIGURATION_ERROR: "500",
  AUTHORIZER_CONFIGURATION_ERROR: "500",
  AUTHORIZER_FAILURE: "500",
  BAD_REQUEST_BODY: "400",
  BAD_REQUEST_PARAMETERS: "400",
  DEFAULT_4XX: undefined,
  DEFAULT_5XX: undefined,
  EXPIRED_TOKEN: "403",
  INTEGRATION_FAILURE: "504",
  INTEGRATION_TIMEOUT: "504",
  INVALID_API_KEY: "403",
  INVALID_SIGNATURE: "403",
  MISSING_AUTHENTICATION_TOKEN: "403",
  QUOTA_EXCEEDED: "429",
  REQUEST_TOO_LARGE: "413",
  RESOURCE_NOT_FOUND: "404",
  THROTTLED: "429",
  UNAUTHORIZED: "401",
  UNSUPPORTED_MEDIA_TYPE: "415",
  WAF_FILTERED: "403",
};

/** The order coral lists the enum in its ValidationException (recorded). */
const ENUM_ORDER = [
  "REQUEST_TOO_LARGE",
  "RESOURCE_NOT_FOUND",
  "AUTHORIZER_CONFIGURATION_ERROR",
  "MISSING_AUTHENTICATION_TOKEN",
  "BAD_REQUEST_BODY",
  "INVALID_SIGNATURE",
  "INVALID_API_KEY",
  "BAD_REQUEST_PARAMETERS",
  "AUTHORIZER_FAILURE",
  "UNAUTHORIZED",
  "INTEGRATION_TIMEOUT",
  "ACCESS_DENIED",
  "DEFAULT_4XX",
  "DEFAULT_5XX",
  "WAF_FILTERED",
  "QUOTA_EXCEEDED",
  "THROTTLED",
  "API_CONFIGURATION_ERROR",
  "UNSUPPORTED_MEDIA_TYPE",
  "INTEGRATION_FAILURE",
  "EXPIRED_TOKEN",
];

const DEFAULT_TEMPLATES = { "application/json": '{"message":$context.error.messageString}' };

function checkType(responseType: string): string {
  if (!(responseType in GATEWAY_RESPONSE_DEFAULTS)) {
    throw validationErrors([enumViolation(responseType, "responseType", ENUM_ORDER)]);
  }
  return responseType;
}

/** The response AWS lists for a type the user has not put. */
function inheritedResponse(state: ApiState, responseType: string): Json {
  const status = GATEWAY_RESPONSE_DEFAULTS[responseType];
  const family = status === undefined ? undefined : status.startsWith("5") ? "DEFAULT_5XX" : "DEFAULT_4XX";
  const parent = family === undefined ? undefined : state.gatewayResponses[family];
  return defined({
    defaultResponse: true,
    responseParameters: { ...((parent?.responseParameters as Json | undefined) ?? {}) },
    responseTemplates: { ...((parent?.responseTemplates as Json | undefined) ?? DEFAULT_TEMPLATES) },
    responseType,
    statusCode: (parent?.statusCode as string | undefined) ?? status,
  });
}

export function gatewayResponseView(state: ApiState, responseType: string): Json {
  return state.gatewayResponses[responseType] ?? inheritedResponse(state, responseType);
}

export function buildGatewayResponse(responseType: string, body: Json): Json {
  const templates = stringMap(body, "responseTemplates");
  return defined({
    defaultResponse: false,
    responseParameters: stringMap(body, "responseParameters") ?? {},
    responseTemplates: templates && Object.keys(templates).length > 0 ? templates : { ...DEFAULT_TEMPLATES },
    responseType,
    statusCode: str(body, "statusCode") ?? GATEWAY_RESPONSE_DEFAULTS[responseType],
  });
}

function applyGatewayResponsePatch(response: Json, op: PatchOperation): void {
  if (op.path === "/statusCode") {
    if (op.op !== "replace") throw invalidPatchPath(op.path);
    response.statusCode = op.value;
    return;
  }
  for (const [prefix, member] of [
    ["/responseParameters/", "responseParameters"],
    ["/responseTemplates/", "responseTemplates"],
  ] as const) {
    if (op.path?.startsWith(prefix) && op.path.length > prefix.length) {
      const key = op.path.slice(prefix.length).replace(/~1/g, "/").replace(/~0/g, "~");
      const map = { ...((response[member] as Json | undefined) ?? {}) };
      if (op.op === "remove") delete map[key];
      else {
        if (!op.value) throw badRequest(`Invalid null or empty value in ${member}`);
        if (op.op === "replace" && !(key in map)) throw parameterNotFound();
        map[key] = op.value;
      }
      response[member] = map;
      return;
    }
  }
  throw invalidPatchPath(op.path);
}

export function gatewayResponseOperations(storage: KvStore): Record<string, OperationHandler> {
  return {
    PutGatewayResponse: operation(async (request) => {
      const { accountId, region } = request.context;
      const apiId = request.label("restapi_id");
      await requireApi(storage, accountId, region, apiId);
      const responseType = checkType(request.label("response_type"));
      const response = buildGatewayResponse(responseType, request.body);
      await editApi(storage, accountId, region, apiId, (state) => {
        state.gatewayResponses[responseType] = response;
      });
      return { status: 201, body: response };
    }),

    GetGatewayResponse: operation(async (request) => {
      const { accountId, region } = request.context;
      const state = await requireApi(storage, accountId, region, request.label("restapi_id"));
      return { body: gatewayResponseView(state, checkType(request.label("response_type"))) };
    }),

    GetGatewayResponses: operation(async (request) => {
      const { accountId, region } = request.context;
      const state = await requireApi(storage, accountId, region, request.label("restapi_id"));
      const items = Object.keys(GATEWAY_RESPONSE_DEFAULTS).map((type) => gatewayResponseView(state, type));
      return { body: { item: items } };
    }),

    UpdateGatewayResponse: operation(async (request) => {
      const { accountId, region } = request.context;
      const apiId = request.label("restapi_id");
      await requireApi(storage, accountId, region, apiId);
      const responseType = checkType(request.label("response_type"));
      const ops = patchOperations(request.body, "updateGatewayResponseInput");
      const out = await editApi(storage, accountId, region, apiId, (state) => {
        const next = structuredClone(gatewayResponseView(state, responseType));
        next.defaultResponse = false;
        for (const op of ops) applyGatewayResponsePatch(next, op);
        state.gatewayResponses[responseType] = next;
        return next;
      });
      return { body: out };
    }),

    DeleteGatewayResponse: operation(async (request) => {
      const { accountId, region } = request.context;
      const apiId = request.label("restapi_id");
      await requireApi(storage, accountId, region, apiId);
      const responseType = checkType(request.label("response_type"));
      await editApi(storage, accountId, region, apiId, (state) => {
        if (state.gatewayResponses[responseType] === undefined) throw gatewayResponseNotSet();
        delete state.gatewayResponses[responseType];
      });
      return { status: 202 };
    }),
  };
}
