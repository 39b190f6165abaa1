/**
 * Request validators: a method with a requestValidatorId whose validator has validateRequestParameters
 * needs every `method.request.{header|querystring|path}.X` its requestParameters mark required (400
 * BAD_REQUEST_PARAMETERS "Missing required request parameters: [a, b]", names sorted); with
 * validateRequestBody the body must be JSON valid against the method's requestModels model for its
 * Content-Type (application/json when none, else `$default`, else the Empty model) — else 400
 * BAD_REQUEST_BODY "Invalid request body". An empty body is validated as `{}`.
 *
 * Sources: API Gateway developer guide, "Request validation for REST APIs"; LocalStack's method
 * request handler, validated against AWS (texts, name order, the empty-body rule).
 */
import type { Json } from "../snapshot.ts";
import { GatewayError } from "./gateway-responses.ts";
import { headerValue, type Invocation, queryValue } from "./invocation.ts";
import { type Schema, validateSchema } from "./json-schema.ts";

function badParameters(names: string[]): GatewayError {
  return new GatewayError(
    "BAD_REQUEST_PARAMETERS",
    `Missing required request parameters: [${names.join(", ")}]`,
    "BadRequestException",
  );
}

const badBody = () => new GatewayError("BAD_REQUEST_BODY", "Invalid request body", "BadRequestException");

function parseSchema(model: Json | undefined): Schema | undefined {
  if (model === undefined) return undefined;
  const schema = model.schema;
  if (typeof schema === "object" && schema !== null) return schema as Schema;
  if (typeof schema !== "string") return undefined;
  try {
    return JSON.parse(schema) as Schema;
  } catch {
    return undefined;
  }
}

export function validateRequest(invocation: Invocation): void {
  const method = invocation.match?.method;
  const validatorId = method?.requestValidatorId;
  if (method === undefined || validatorId === undefined || validatorId === "") return;
  const validator = invocation.deployment.requestValidators[validatorId];
  if (validator === undefined) return;

  if (validator.validateRequestParameters === true) {
    const missing: string[] = [];
    for (const [parameter, required] of Object.entries(method.requestParameters ?? {}).sort(([a], [b]) =>
      a < b ? -1 : 1,
    )) {
      if (required !== true) continue;
      const match =
        /^method\.request\.(header|querystring|path|multivaluequerystring|multivalueheader)\.(.+)$/.exec(
          parameter,
        );
      if (!match) continue;
      const name = match[2] ?? "";
      const location = (match[1] ?? "").replace(/^multivalue/, "");
      const present =
        location === "header"
          ? headerValue(invocation, name) !== undefined
          : location === "querystring"
            ? queryValue(invocation, name) !== undefined
            : invocation.match?.pathParameters[name] !== undefined;
      if (!present) missing.push(name);
    }
    if (missing.length > 0) throw badParameters(missing);
  }

  if (validator.validateRequestBody === true) {
    const models = invocation.deployment.models;
    const requestModels = method.requestModels ?? {};
    const contentType =
      (headerValue(invocation, "content-type") ?? "application/json").split(";")[0]?.trim().toLowerCase() ??
      "";
    const modelName = requestModels[contentType] ?? requestModels.$default;
    // No model for the body: the Empty model, `{"type": "object"}`.
    const schema = modelName === undefined ? { type: "object" } : parseSchema(models[modelName]);
    if (schema === undefined) throw badBody();
    let body: unknown;
    try {
      const text = invocation.request.body.toString("utf8");
      body = JSON.parse(text.trim() === "" ? "{}" : text);
    } catch {
      throw badBody();
    }
    if (!validateSchema(body, schema, (name) => parseSchema(models[name]))) throw badBody();
  }
}
