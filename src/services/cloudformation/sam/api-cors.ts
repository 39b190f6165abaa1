/**
 * SAM's Cors for a REST API (AWS::Serverless::Api `Cors`): an OPTIONS mock integration added to every
 * path of the swagger body, answering the configured Access-Control-* headers, as SAM's swagger
 * editor writes it (checked against samtranslator by the SAM oracle tests).
 */
import { invalidResource } from "./errors.ts";
import { conditionalContents, isIntrinsic, isObject, type JsonObject } from "./json.ts";

const ALL_HTTP_METHODS = ["OPTIONS", "GET", "HEAD", "POST", "PUT", "DELETE", "PATCH"];
const ANY_METHOD = "x-amazon-apigateway-any-method";

const CORS_KEYS = ["AllowMethods", "AllowHeaders", "AllowOrigin", "MaxAge", "AllowCredentials"];

/** An OPTIONS mock integration on every path answering the CORS headers (SwaggerEditor.add_cors). */
export function addCors(logicalId: string, body: JsonObject, cors: unknown): void {
  let settings: JsonObject;
  if (typeof cors === "string" || isIntrinsic(cors)) settings = { AllowOrigin: cors };
  else if (isObject(cors)) {
    for (const key of Object.keys(cors))
      if (!CORS_KEYS.includes(key))
        throw invalidResource(logicalId, `Invalid key '${key}' for 'Cors' property.`);
    settings = cors;
  } else throw invalidResource(logicalId, "Invalid value for 'Cors' property");
  if (
    settings.AllowCredentials === true &&
    (settings.AllowOrigin === undefined || settings.AllowOrigin === "'*'")
  ) {
    throw invalidResource(
      logicalId,
      "Unable to add Cors configuration because 'AllowCredentials' can not be true when 'AllowOrigin' is \"'*'\" or not set",
    );
  }
  const paths = isObject(body.paths) ? body.paths : {};
  const processed = new Set<string>();
  for (const [path, wrapped] of Object.entries(paths)) {
    const normalized = path === "/" ? path : path.replace(/\/+$/, "");
    if (processed.has(normalized)) continue;
    processed.add(normalized);
    for (const pathItem of conditionalContents(wrapped)) {
      if ("options" in pathItem) continue;
      if (!settings.AllowOrigin)
        throw invalidResource(logicalId, "Invalid input. Value for AllowedOrigins is required");
      let allowMethods = settings.AllowMethods;
      if (!allowMethods) {
        const methods = Object.keys(pathItem).includes(ANY_METHOD)
          ? ALL_HTTP_METHODS
          : [...Object.keys(pathItem), "options"];
        allowMethods = `'${[...new Set(methods.map((method) => method.toUpperCase()))].sort().join(",")}'`;
      }
      pathItem.options = corsOptionsMethod(
        settings.AllowOrigin,
        settings.AllowHeaders,
        allowMethods,
        settings.MaxAge,
        settings.AllowCredentials === true,
      );
    }
  }
}

function corsOptionsMethod(
  origin: unknown,
  headers: unknown,
  methods: unknown,
  maxAge: unknown,
  credentials: boolean,
): JsonObject {
  const parameters: JsonObject = { "method.response.header.Access-Control-Allow-Origin": origin };
  const responseHeaders: JsonObject = { "Access-Control-Allow-Origin": { type: "string" } };
  if (headers) {
    parameters["method.response.header.Access-Control-Allow-Headers"] = headers;
    responseHeaders["Access-Control-Allow-Headers"] = { type: "string" };
  }
  if (methods) {
    parameters["method.response.header.Access-Control-Allow-Methods"] = methods;
    responseHeaders["Access-Control-Allow-Methods"] = { type: "string" };
  }
  if (maxAge !== undefined) {
    parameters["method.response.header.Access-Control-Max-Age"] = maxAge;
    responseHeaders["Access-Control-Max-Age"] = { type: "integer" };
  }
  if (credentials) {
    parameters["method.response.header.Access-Control-Allow-Credentials"] = "'true'";
    responseHeaders["Access-Control-Allow-Credentials"] = { type: "string" };
  }
  return {
    summary: "CORS support",
    consumes: ["application/json"],
    produces: ["application/json"],
    "x-amazon-apigateway-integration": {
      type: "mock",
      requestTemplates: { "application/json": '{\n  "statusCode" : 200\n}\n' },
      responses: {
        default: {
          statusCode: "200",
          responseParameters: parameters,
          responseTemplates: { "application/json": "{}\n" },
        },
      },
    },
    responses: { "200": { description: "Default response for CORS method", headers: responseHeaders } },
  };
}
