/**
 * Integrations and integration responses: PutIntegration (201), GetIntegration, UpdateIntegration,
 * DeleteIntegration (204); PutIntegrationResponse (201), GetIntegrationResponse,
 * UpdateIntegrationResponse, DeleteIntegrationResponse (204).
 *
 * An integration answers with API Gateway's defaults filled in: passthroughBehavior WHEN_NO_MATCH,
 * timeoutInMillis 29000, cacheNamespace (the resource id), cacheKeyParameters [] (recorded against AWS
 * in LocalStack's snapshots, as are the not-found texts and the enum ValidationException). The uri
 * and httpMethod rules and their texts ("Enumeration value for HttpMethod must be non-empty",
 * "Invalid HTTP endpoint specified for URI", "Invalid ARN specified in the request", "AWS ARN for
 * integration must contain path or action", the AWS_PROXY target rule) are those moto's and
 * cloudemu's tests hold against AWS; "No integration defined for method" is what Terraform users
 * report from PutIntegrationResponse.
 *
 * Lambda integration uris: arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{fnArn}/invocations.
 *
 * ## Gaps
 * - The passthroughBehavior text is Stratus's own (no AWS recording found).
 * - connectionType VPC_LINK and tlsConfig are stored, never used.
 */
import type { KvStore } from "../../../storage/kv.ts";
import type { OperationHandler } from "../../service.ts";
import type { IntegrationRecord, IntegrationResponseRecord } from "../snapshot.ts";
import {
  badRequest,
  conflict,
  enumViolation,
  integrationNotFound,
  notFound,
  responseNotFound,
  serializationError,
  statusCodeViolations,
  validationErrors,
} from "./errors.ts";
import {
  type ControlRequest,
  defined,
  int,
  type Json,
  operation,
  str,
  stringList,
  stringMap,
} from "./http.ts";
import { editMethod, readMethod } from "./methods.ts";
import { invalidPatchPath, type PatchOperation, patchOperations, patchStringMap } from "./patch.ts";
import { requireResource } from "./resources.ts";

const TYPES = ["HTTP", "MOCK", "AWS_PROXY", "HTTP_PROXY", "AWS"];
const PASSTHROUGH = ["WHEN_NO_MATCH", "WHEN_NO_TEMPLATES", "NEVER"];
const CONTENT_HANDLING = ["CONVERT_TO_BINARY", "CONVERT_TO_TEXT"];
const TIMEOUT_MS_MIN = 50;
const TIMEOUT_MS_MAX = 29000;
const CONTENT_TYPE = /^[\w.+-]+\/[\w.+*-]+$/;

/** The uri rules of an integration type (shared with the OpenAPI importer). */
export function checkIntegrationTarget(
  type: string,
  httpMethod: string | undefined,
  uri: string | undefined,
): void {
  if (type === "MOCK") return;
  if (!httpMethod) throw badRequest("Enumeration value for HttpMethod must be non-empty");
  if (type === "HTTP" || type === "HTTP_PROXY") {
    let url: URL | undefined;
    try {
      // Stage variables may stand anywhere in the URL; they resolve at invoke time.
      url = new URL((uri ?? "").replace(/\$\{stageVariables\.[^}]*\}/g, "x"));
    } catch {
      url = undefined;
    }
    if (url === undefined || (url.protocol !== "http:" && url.protocol !== "https:") || url.host === "") {
      throw badRequest("Invalid HTTP endpoint specified for URI");
    }
    return;
  }
  const parts = (uri ?? "").split(":");
  if (parts.length < 6 || parts[0] !== "arn" || parts[2] !== "apigateway") {
    throw badRequest("Invalid ARN specified in the request");
  }
  const target = parts.slice(5).join(":");
  if (!target.startsWith("path/") && !target.startsWith("action/")) {
    throw badRequest("AWS ARN for integration must contain path or action");
  }
  if (type === "AWS_PROXY" && parts[4] !== "lambda" && parts[4] !== "firehose") {
    throw badRequest(
      "Integrations of type 'AWS_PROXY' currently only supports Lambda function and Firehose stream invocations.",
    );
  }
}

function checkTimeout(timeout: number | undefined): number {
  if (timeout === undefined) return TIMEOUT_MS_MAX;
  if (timeout < TIMEOUT_MS_MIN || timeout > TIMEOUT_MS_MAX) {
    throw badRequest(`Timeout should be between ${TIMEOUT_MS_MIN} ms and ${TIMEOUT_MS_MAX} ms`);
  }
  return timeout;
}

function checkPassthrough(value: string | undefined): string {
  if (value === undefined) return "WHEN_NO_MATCH";
  if (!PASSTHROUGH.includes(value)) {
    throw badRequest(`Invalid passthrough behavior specified. Valid options are ${PASSTHROUGH.join(",")}`);
  }
  return value;
}

function checkContentHandling(value: string | undefined, at: string): string | undefined {
  if (value !== undefined && !CONTENT_HANDLING.includes(value)) {
    throw validationErrors([enumViolation(value, at, CONTENT_HANDLING)]);
  }
  return value;
}

/** Templates by Content-Type; a null template is kept (AWS answers it as null). */
function templates(body: Json, name: string): Record<string, string | null> | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "object" || Array.isArray(value)) throw serializationError(value);
  const out: Record<string, string | null> = {};
  for (const [contentType, template] of Object.entries(value as Json)) {
    if (template !== null && typeof template !== "string") throw serializationError(template);
    if (!CONTENT_TYPE.test(contentType)) {
      throw badRequest(
        `Validation Result: warnings : [], errors : [Invalid content type specified: ${contentType}]`,
      );
    }
    out[contentType] = template === "" ? null : (template as string | null);
  }
  return out;
}

/** The integration PutIntegration stores (also used by the OpenAPI importer). */
export function buildIntegration(
  body: Json,
  resourceId: string,
  httpMethodKey = "httpMethod",
): IntegrationRecord {
  const type = str(body, "type") ?? "";
  if (!TYPES.includes(type)) {
    throw validationErrors([enumViolation(type, "putIntegrationInput.type", TYPES)]);
  }
  const httpMethod = str(body, httpMethodKey);
  const uri = str(body, "uri");
  checkIntegrationTarget(type, httpMethod, uri);
  return defined({
    type,
    httpMethod: type === "MOCK" ? undefined : httpMethod,
    uri: type === "MOCK" ? undefined : uri,
    connectionType: str(body, "connectionType"),
    connectionId: str(body, "connectionId"),
    credentials: str(body, "credentials"),
    requestParameters: stringMap(body, "requestParameters"),
    requestTemplates: templates(body, "requestTemplates"),
    passthroughBehavior: checkPassthrough(str(body, "passthroughBehavior")),
    contentHandling: checkContentHandling(
      str(body, "contentHandling"),
      "putIntegrationInput.contentHandling",
    ),
    timeoutInMillis: checkTimeout(int(body, "timeoutInMillis")),
    cacheNamespace: str(body, "cacheNamespace") ?? resourceId,
    cacheKeyParameters: stringList(body, "cacheKeyParameters") ?? [],
  }) as IntegrationRecord;
}

export function buildIntegrationResponse(statusCode: string, body: Json): IntegrationResponseRecord {
  return defined({
    statusCode,
    selectionPattern: str(body, "selectionPattern"),
    responseParameters: stringMap(body, "responseParameters"),
    responseTemplates: templates(body, "responseTemplates"),
    contentHandling: checkContentHandling(
      str(body, "contentHandling"),
      "putIntegrationResponseInput.contentHandling",
    ),
  }) as unknown as IntegrationResponseRecord;
}

function applyIntegrationPatch(integration: IntegrationRecord, op: PatchOperation): void {
  const scalars = [
    "/uri",
    "/httpMethod",
    "/passthroughBehavior",
    "/timeoutInMillis",
    "/contentHandling",
    "/credentials",
    "/connectionId",
    "/connectionType",
    "/cacheNamespace",
  ];
  if (op.path !== undefined && scalars.includes(op.path)) {
    const key = op.path.slice(1);
    if (op.op === "remove" || op.value === undefined) delete integration[key];
    else if (key === "timeoutInMillis") integration.timeoutInMillis = checkTimeout(Number(op.value));
    else if (key === "passthroughBehavior") integration.passthroughBehavior = checkPassthrough(op.value);
    else integration[key] = op.value;
    return;
  }
  for (const [prefix, member] of [
    ["/requestParameters/", "requestParameters"],
    ["/requestTemplates/", "requestTemplates"],
  ] as const) {
    if (op.path?.startsWith(prefix) && op.path.length > prefix.length) {
      const key = op.path.slice(prefix.length).replace(/~1/g, "/").replace(/~0/g, "~");
      patchStringMap(integration, member, key, op);
      return;
    }
  }
  if (op.path?.startsWith("/cacheKeyParameters/")) {
    const key = op.path.slice("/cacheKeyParameters/".length);
    const keys = new Set(integration.cacheKeyParameters ?? []);
    if (op.op === "remove") keys.delete(key);
    else keys.add(key);
    integration.cacheKeyParameters = [...keys];
    return;
  }
  throw invalidPatchPath(op.path);
}

function applyIntegrationResponsePatch(response: IntegrationResponseRecord, op: PatchOperation): void {
  const target = response as unknown as Json;
  if (op.path === "/selectionPattern" || op.path === "/contentHandling") {
    const key = op.path.slice(1);
    if (op.op === "remove" || op.value === undefined) delete target[key];
    else target[key] = op.value;
    return;
  }
  for (const [prefix, member] of [
    ["/responseParameters/", "responseParameters"],
    ["/responseTemplates/", "responseTemplates"],
  ] as const) {
    if (op.path?.startsWith(prefix) && op.path.length > prefix.length) {
      const key = op.path.slice(prefix.length).replace(/~1/g, "/").replace(/~0/g, "~");
      patchStringMap(target, member, key, op);
      return;
    }
  }
  throw invalidPatchPath(op.path);
}

async function readMethodResource(storage: KvStore, request: ControlRequest) {
  const { accountId, region } = request.context;
  return requireResource(
    storage,
    accountId,
    region,
    request.label("restapi_id"),
    request.label("resource_id"),
  );
}

function checkedStatus(statusCode: string): string {
  const violations = statusCodeViolations(statusCode);
  if (violations.length > 0) throw validationErrors(violations);
  return statusCode;
}

export function integrationOperations(storage: KvStore): Record<string, OperationHandler> {
  return {
    PutIntegration: operation(async (request) => {
      const out = await editMethod(storage, request, (_state, resource, method) => {
        // The body's `httpMethod` is the integration's method (the label is the method's own).
        const integration = buildIntegration(request.body, resource.id);
        method.methodIntegration = integration;
        return integration;
      });
      return { status: 201, body: out };
    }),

    GetIntegration: operation(async (request) => {
      const { method } = await readMethod(storage, request);
      if (method.methodIntegration === undefined) throw integrationNotFound();
      return { body: method.methodIntegration };
    }),

    UpdateIntegration: operation(async (request) => {
      const ops = patchOperations(request.body, "updateIntegrationInput");
      const out = await editMethod(storage, request, (_state, _resource, method) => {
        if (method.methodIntegration === undefined) throw integrationNotFound();
        const next = structuredClone(method.methodIntegration);
        for (const op of ops) applyIntegrationPatch(next, op);
        method.methodIntegration = next;
        return next;
      });
      return { body: out };
    }),

    DeleteIntegration: operation(async (request) => {
      await editMethod(storage, request, (_state, _resource, method) => {
        if (method.methodIntegration === undefined) throw integrationNotFound();
        delete method.methodIntegration;
      });
      return { status: 204 };
    }),

    PutIntegrationResponse: operation(async (request) => {
      const statusCode = checkedStatus(request.label("status_code"));
      const response = buildIntegrationResponse(statusCode, request.body);
      await editMethod(storage, request, (_state, _resource, method) => {
        const integration = method.methodIntegration;
        if (integration === undefined) throw notFound("No integration defined for method");
        // One response may go without a selection pattern (the default); AWS refuses a second
        // (Terraform users report the text).
        const isDefault = (r: IntegrationResponseRecord) => !r.selectionPattern;
        const clash = Object.values(integration.integrationResponses ?? {}).some(
          (other) => other.statusCode !== statusCode && isDefault(other),
        );
        if (isDefault(response) && clash) {
          throw conflict("Integration response with selection pattern default already exists");
        }
        integration.integrationResponses = {
          ...(integration.integrationResponses ?? {}),
          [statusCode]: response,
        };
      });
      return { status: 201, body: response };
    }),

    GetIntegrationResponse: operation(async (request) => {
      const statusCode = checkedStatus(request.label("status_code"));
      const { method } = await readMethod(storage, request);
      if (method.methodIntegration === undefined) throw integrationNotFound();
      const response = method.methodIntegration.integrationResponses?.[statusCode];
      if (response === undefined) throw responseNotFound();
      return { body: response };
    }),

    UpdateIntegrationResponse: operation(async (request) => {
      const statusCode = request.label("status_code");
      const ops = patchOperations(
        request.body,
        "updateIntegrationResponseInput",
        statusCodeViolations(statusCode),
      );
      const out = await editMethod(storage, request, (_state, _resource, method) => {
        const integration = method.methodIntegration;
        if (integration === undefined) throw integrationNotFound();
        const current = integration.integrationResponses?.[statusCode];
        if (current === undefined) throw responseNotFound();
        const next = structuredClone(current);
        for (const op of ops) applyIntegrationResponsePatch(next, op);
        integration.integrationResponses = {
          ...(integration.integrationResponses ?? {}),
          [statusCode]: next,
        };
        return next;
      });
      return { body: out };
    }),

    DeleteIntegrationResponse: operation(async (request) => {
      const statusCode = checkedStatus(request.label("status_code"));
      // A method that does not exist has no integration: AWS names the integration here (recorded).
      const { resource } = await readMethodResource(storage, request);
      if (resource.resourceMethods?.[request.label("http_method")] === undefined) throw integrationNotFound();
      await editMethod(storage, request, (_state, _resource, method) => {
        const integration = method.methodIntegration;
        if (integration === undefined) throw integrationNotFound();
        if (integration.integrationResponses?.[statusCode] === undefined) throw responseNotFound();
        delete integration.integrationResponses[statusCode];
        if (Object.keys(integration.integrationResponses).length === 0)
          delete integration.integrationResponses;
      });
      return { status: 204 };
    }),
  };
}
