/**
 * Reads an OpenAPI document (Swagger 2.0 or OpenAPI 3.0, JSON) into what API Gateway builds from it,
 * with API Gateway's extensions:
 *   x-amazon-apigateway-integration (type, uri, httpMethod, credentials, requestParameters,
 *     requestTemplates, passthroughBehavior, contentHandling, timeoutInMillis, cacheNamespace,
 *     cacheKeyParameters, connectionType, connectionId, responses {selection pattern | "default":
 *     {statusCode, responseParameters, responseTemplates, contentHandling}})
 *   x-amazon-apigateway-any-method, x-amazon-apigateway-authorizer and -authtype on security schemes,
 *   x-amazon-apigateway-api-key-source, x-amazon-apigateway-binary-media-types,
 *   x-amazon-apigateway-gateway-responses, x-amazon-apigateway-request-validators and
 *   x-amazon-apigateway-request-validator (document default and per operation).
 * Security requirements decide each method's authorization: a scheme with an authorizer → CUSTOM (or
 * COGNITO_USER_POOLS), an `apiKey` scheme without one → apiKeyRequired, x-amazon-apigateway-authtype
 * awsSigv4 → AWS_IAM.
 *
 * ## Gaps
 * - YAML documents are refused with a BadRequestException (no YAML parser among Stratus's dependencies).
 * - Schemas are stored as written; AWS rewrites `$ref`s between models into model URLs. Local `$ref`s
 *   to parameters, request bodies and responses are followed; external ones are not.
 * - Documentation parts in the document are ignored.
 */
import { parseOpenApiText } from "../../execute-api/openapi-text.ts";
import type { IntegrationRecord, MethodRecord } from "../snapshot.ts";
import { buildAuthorizer } from "./authorizers.ts";
import { badRequest } from "./errors.ts";
import { buildGatewayResponse } from "./gateway-responses.ts";
import { defined, type Json } from "./http.ts";
import { buildIntegration, buildIntegrationResponse } from "./integrations.ts";

export interface ImportedMethod {
  method: MethodRecord;
  /** The authorizer's name (ids are given when the API is written). */
  authorizerName?: string;
  validatorName?: string;
}

export interface ImportedApi {
  title?: string;
  attributes: Json;
  models: Record<string, Json>;
  /** By name, without ids. */
  authorizers: Record<string, Json>;
  /** By name, without ids. */
  validators: Record<string, Json>;
  gatewayResponses: Record<string, Json>;
  /** Path → HTTP method → method. */
  paths: Record<string, Record<string, ImportedMethod>>;
  warnings: string[];
}

const VERBS: Record<string, string> = {
  get: "GET",
  put: "PUT",
  post: "POST",
  delete: "DELETE",
  patch: "PATCH",
  options: "OPTIONS",
  head: "HEAD",
  "x-amazon-apigateway-any-method": "ANY",
};

const obj = (value: unknown): Json =>
  value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Json) : {};

export function parseDocument(raw: Buffer): Json {
  let doc: unknown;
  try {
    doc = parseOpenApiText(raw.toString("utf8"));
  } catch {
    throw badRequest("Unable to build importer with provided input.");
  }
  const document = obj(doc);
  if (document.swagger === undefined && document.openapi === undefined) {
    throw badRequest("Unable to build importer with provided input.");
  }
  return document;
}

/** "#/definitions/Pet" or "#/components/schemas/Pet" → "Pet". */
function refName(schema: unknown): string | undefined {
  const ref = obj(schema).$ref;
  return typeof ref === "string" ? ref.split("/").pop() : undefined;
}

function upperOrSelf(value: unknown): unknown {
  return typeof value === "string" ? value.toUpperCase() : value;
}

function integrationOf(raw: Json, resourceId: string): IntegrationRecord {
  const body: Json = {
    ...raw,
    type: upperOrSelf(raw.type),
    passthroughBehavior: upperOrSelf(raw.passthroughBehavior),
    contentHandling: upperOrSelf(raw.contentHandling),
  };
  delete body.responses;
  const integration = buildIntegration(body, resourceId);
  const responses: Record<string, ReturnType<typeof buildIntegrationResponse>> = {};
  for (const [pattern, value] of Object.entries(obj(raw.responses))) {
    const response = obj(value);
    const statusCode = String(response.statusCode ?? "200");
    const built = buildIntegrationResponse(statusCode, {
      ...response,
      statusCode: undefined,
      contentHandling: upperOrSelf(response.contentHandling),
      selectionPattern: pattern === "default" ? undefined : pattern,
    });
    responses[statusCode] = built;
  }
  if (Object.keys(responses).length > 0) integration.integrationResponses = responses;
  return integration;
}

function authorizerOf(name: string, scheme: Json): Json | undefined {
  const raw = obj(scheme["x-amazon-apigateway-authorizer"]);
  if (Object.keys(raw).length === 0) return undefined;
  const type = String(raw.type ?? "token").toUpperCase();
  const identitySource =
    raw.identitySource ??
    (type === "TOKEN" && scheme.in === "header" && typeof scheme.name === "string"
      ? `method.request.header.${scheme.name}`
      : undefined);
  const built = buildAuthorizer(
    defined({
      name,
      type,
      authorizerUri: raw.authorizerUri,
      authorizerCredentials: raw.authorizerCredentials,
      identitySource,
      identityValidationExpression: raw.identityValidationExpression,
      authorizerResultTtlInSeconds: raw.authorizerResultTtlInSeconds,
      providerARNs: raw.providerARNs,
      authType: scheme["x-amazon-apigateway-authtype"],
    }),
    "",
  );
  delete built.id;
  return built;
}

/** What a method's security requirements make of it. */
function applySecurity(
  imported: ImportedMethod,
  requirements: unknown,
  schemes: Json,
  authorizers: Record<string, Json>,
): void {
  const method = imported.method;
  for (const requirement of Array.isArray(requirements) ? requirements : []) {
    for (const [name, scopes] of Object.entries(obj(requirement))) {
      const scheme = obj(schemes[name]);
      const authorizer = authorizers[name];
      if (authorizer !== undefined) {
        method.authorizationType = authorizer.type === "COGNITO_USER_POOLS" ? "COGNITO_USER_POOLS" : "CUSTOM";
        imported.authorizerName = name;
        if (Array.isArray(scopes) && scopes.length > 0) method.authorizationScopes = scopes.map(String);
      } else if (scheme["x-amazon-apigateway-authtype"] === "awsSigv4") {
        method.authorizationType = "AWS_IAM";
      } else if (scheme.type === "apiKey") {
        method.apiKeyRequired = true;
      }
    }
  }
}

/**
 * Follows a local `$ref` ("#/components/parameters/id", "#/parameters/id", "#/components/responses/x")
 * to the object it names; schemas are not followed (their `$ref` names a model).
 */
function derefIn(doc: Json, node: unknown): Json {
  let current = obj(node);
  for (let hops = 0; hops < 10 && typeof current.$ref === "string" && current.$ref.startsWith("#/"); hops++) {
    let target: unknown = doc;
    for (const token of current.$ref.slice(2).split("/")) {
      target = obj(target)[token.replace(/~1/g, "/").replace(/~0/g, "~")];
    }
    current = obj(target);
  }
  return current;
}

export function readOpenApi(doc: Json): ImportedApi {
  const deref = (node: unknown) => derefIn(doc, node);
  const isOas3 = doc.openapi !== undefined;
  const info = obj(doc.info);
  const warnings: string[] = [];
  const schemes = obj(isOas3 ? obj(doc.components).securitySchemes : doc.securityDefinitions);
  const schemas = obj(isOas3 ? obj(doc.components).schemas : doc.definitions);

  const models: Record<string, Json> = {};
  for (const [name, schema] of Object.entries(schemas)) {
    models[name] = { name, schema: JSON.stringify(schema), contentType: "application/json" };
  }
  const authorizers: Record<string, Json> = {};
  for (const [name, scheme] of Object.entries(schemes)) {
    const authorizer = authorizerOf(name, obj(scheme));
    if (authorizer !== undefined) authorizers[name] = authorizer;
  }
  const validators: Record<string, Json> = {};
  for (const [name, value] of Object.entries(obj(doc["x-amazon-apigateway-request-validators"]))) {
    const raw = obj(value);
    validators[name] = {
      name,
      validateRequestBody: raw.validateRequestBody === true,
      validateRequestParameters: raw.validateRequestParameters === true,
    };
  }
  const gatewayResponses: Record<string, Json> = {};
  for (const [type, value] of Object.entries(obj(doc["x-amazon-apigateway-gateway-responses"]))) {
    gatewayResponses[type] = buildGatewayResponse(type, obj(value));
  }

  const defaultValidator = doc["x-amazon-apigateway-request-validator"];
  const paths: Record<string, Record<string, ImportedMethod>> = {};
  for (const [path, item] of Object.entries(obj(doc.paths))) {
    const pathItem = obj(item);
    const shared = Array.isArray(pathItem.parameters) ? pathItem.parameters : [];
    const methods: Record<string, ImportedMethod> = {};
    for (const [key, value] of Object.entries(pathItem)) {
      const verb = VERBS[key];
      if (verb === undefined) continue;
      const op = obj(value);
      const method: MethodRecord = { httpMethod: verb, authorizationType: "NONE", apiKeyRequired: false };
      if (typeof op.operationId === "string") method.operationName = op.operationId;
      const requestParameters: Record<string, boolean> = {};
      const requestModels: Record<string, string> = {};
      for (const parameter of [...shared, ...(Array.isArray(op.parameters) ? op.parameters : [])]) {
        const p = deref(parameter);
        const location = { query: "querystring", header: "header", path: "path" }[String(p.in)];
        if (location !== undefined) {
          requestParameters[`method.request.${location}.${String(p.name)}`] = p.required === true;
        } else if (p.in === "body") {
          const model = refName(p.schema);
          const consumes = Array.isArray(op.consumes) ? op.consumes : ["application/json"];
          if (model !== undefined) for (const type of consumes) requestModels[String(type)] = model;
        }
      }
      for (const [type, media] of Object.entries(obj(deref(op.requestBody).content))) {
        const model = refName(obj(media).schema);
        if (model !== undefined) requestModels[type] = model;
      }
      if (Object.keys(requestParameters).length > 0) method.requestParameters = requestParameters;
      if (Object.keys(requestModels).length > 0) method.requestModels = requestModels;
      const methodResponses: Record<string, Json> = {};
      for (const [statusCode, value] of Object.entries(obj(op.responses))) {
        if (!/^[1-5]\d\d$/.test(statusCode)) continue;
        const response = deref(value);
        const responseParameters: Record<string, boolean> = {};
        for (const header of Object.keys(obj(response.headers))) {
          responseParameters[`method.response.header.${header}`] = false;
        }
        const responseModels: Record<string, string> = {};
        const swaggerModel = refName(response.schema);
        if (swaggerModel !== undefined) responseModels["application/json"] = swaggerModel;
        for (const [type, media] of Object.entries(obj(response.content))) {
          const model = refName(obj(media).schema);
          if (model !== undefined) responseModels[type] = model;
        }
        methodResponses[statusCode] = defined({
          statusCode,
          responseParameters: Object.keys(responseParameters).length > 0 ? responseParameters : undefined,
          responseModels: Object.keys(responseModels).length > 0 ? responseModels : undefined,
        });
      }
      if (Object.keys(methodResponses).length > 0) method.methodResponses = methodResponses;
      const imported: ImportedMethod = { method };
      applySecurity(imported, op.security ?? doc.security, schemes, authorizers);
      const validator = op["x-amazon-apigateway-request-validator"] ?? defaultValidator;
      if (typeof validator === "string") imported.validatorName = validator;
      const integration = op["x-amazon-apigateway-integration"];
      if (integration !== undefined) {
        // The resource id is not known yet; the writer fills cacheNamespace.
        method.methodIntegration = integrationOf(obj(integration), "");
      } else {
        warnings.push(`No integration defined for method ${verb} ${path}`);
      }
      methods[verb] = imported;
    }
    paths[path] = methods;
  }

  const attributes = defined({
    description:
      typeof info.description === "string" && info.description !== "" ? info.description : undefined,
    version: typeof info.version === "string" ? info.version : undefined,
    apiKeySource: doc["x-amazon-apigateway-api-key-source"],
    binaryMediaTypes: Array.isArray(doc["x-amazon-apigateway-binary-media-types"])
      ? doc["x-amazon-apigateway-binary-media-types"]
      : undefined,
  });
  return {
    title: typeof info.title === "string" ? info.title : undefined,
    attributes,
    models,
    authorizers,
    validators,
    gatewayResponses,
    paths,
    warnings,
  };
}
