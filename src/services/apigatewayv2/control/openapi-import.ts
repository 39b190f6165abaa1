/**
 * Reading an OpenAPI 3.0 document into what an HTTP API is made of (API Gateway developer guide,
 * "Working with OpenAPI definitions for HTTP APIs" and "OpenAPI extensions"):
 *
 * - info.title → name, info.version → version, info.description → description;
 *   x-amazon-apigateway-cors → corsConfiguration
 * - paths.{path}.{method} → route "METHOD path" (x-amazon-apigateway-any-method → ANY;
 *   `/$default` with any-method → the `$default` route)
 * - an operation's x-amazon-apigateway-integration → one integration for that route (type
 *   aws_proxy/http_proxy, uri, httpMethod, payloadFormatVersion, timeoutInMillis, connectionType,
 *   connectionId, credentials, requestParameters, responseParameters, tlsConfig)
 * - components.securitySchemes with x-amazon-apigateway-authorizer → authorizers (type jwt or request);
 *   security on an operation (or the document) → the route's authorizer and JWT scopes;
 *   x-amazon-apigateway-authtype awsSigv4 → AWS_IAM
 *
 * Pure: no storage; import-export.ts writes the result.
 *
 * - components.x-amazon-apigateway-integrations → integrations an operation names with `$ref`, or
 *   standalone integrations (how ExportApi writes integrations no route uses)
 *
 * ## Gaps
 * - `$ref` is resolved only for integrations.
 */
import { parseOpenApiText } from "../../execute-api/openapi-text.ts";
import type { ApiRecord, AuthorizerRecord, IntegrationRecord, RouteRecord } from "../snapshot.ts";
import { badRequest } from "./errors.ts";

export interface ImportedRoute {
  route: Partial<RouteRecord> & { routeKey: string };
  integration?: Partial<IntegrationRecord>;
  /** The security scheme name the route's authorizer comes from. */
  authorizerName?: string;
}

export interface ImportedApi {
  api: Partial<ApiRecord> & { name: string };
  authorizers: Record<string, Partial<AuthorizerRecord>>;
  routes: ImportedRoute[];
  /** Integrations under components.x-amazon-apigateway-integrations that no route references. */
  unusedIntegrations: Partial<IntegrationRecord>[];
  warnings: string[];
}

type Json = Record<string, unknown>;

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch"];
const ANY_METHOD = "x-amazon-apigateway-any-method";

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The document, in JSON or YAML (one parser: YAML 1.2 is a superset of JSON). Texts are Stratus's
 * (unconfirmed).
 */
export function parseDocument(body: string): Json {
  let value: unknown;
  try {
    value = parseOpenApiText(body);
  } catch {
    throw badRequest("Invalid OpenAPI input: the body is neither valid JSON nor valid YAML");
  }
  if (!isObject(value)) throw badRequest("Invalid OpenAPI input: the document must be an object");
  return value;
}

function stringOr(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

function identitySources(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === "string");
  if (typeof value === "string")
    return value
      .split(",")
      .map((s) => s.trim())
      .filter((s) => s !== "");
  return [];
}

function authorizerOf(name: string, scheme: Json): Partial<AuthorizerRecord> | undefined {
  const ext = scheme["x-amazon-apigateway-authorizer"];
  if (!isObject(ext)) return undefined;
  const type = String(ext.type ?? "").toLowerCase();
  if (type === "jwt") {
    const jwt = isObject(ext.jwtConfiguration) ? ext.jwtConfiguration : {};
    return {
      name,
      authorizerType: "JWT",
      identitySource: identitySources(ext.identitySource),
      jwtConfiguration: {
        ...(Array.isArray(jwt.audience) ? { audience: jwt.audience.map(String) } : {}),
        ...(typeof jwt.issuer === "string" ? { issuer: jwt.issuer } : {}),
      },
    };
  }
  if (type === "request") {
    const record: Partial<AuthorizerRecord> = {
      name,
      authorizerType: "REQUEST",
      identitySource: identitySources(ext.identitySource),
    };
    if (typeof ext.authorizerUri === "string") record.authorizerUri = ext.authorizerUri;
    if (typeof ext.authorizerPayloadFormatVersion === "string") {
      record.authorizerPayloadFormatVersion = ext.authorizerPayloadFormatVersion as "1.0" | "2.0";
    }
    if (typeof ext.authorizerResultTtlInSeconds === "number") {
      record.authorizerResultTtlInSeconds = ext.authorizerResultTtlInSeconds;
    }
    if (typeof ext.enableSimpleResponses === "boolean")
      record.enableSimpleResponses = ext.enableSimpleResponses;
    if (typeof ext.authorizerCredentials === "string")
      record.authorizerCredentialsArn = ext.authorizerCredentials;
    return record;
  }
  throw badRequest(`Unsupported authorizer type in security scheme ${name}: ${String(ext.type)}`);
}

function integrationOf(ext: Json): Partial<IntegrationRecord> {
  const out: Partial<IntegrationRecord> = {
    integrationType: String(ext.type ?? "").toUpperCase() as IntegrationRecord["integrationType"],
  };
  const uri = stringOr(ext.uri);
  if (uri !== undefined) out.integrationUri = uri;
  const method = stringOr(ext.httpMethod);
  if (method !== undefined) out.integrationMethod = method;
  // An imported integration without a payload format version gets 1.0 (the SDK path requires one).
  out.payloadFormatVersion = (stringOr(ext.payloadFormatVersion) ?? "1.0") as "1.0" | "2.0";
  if (typeof ext.timeoutInMillis === "number") out.timeoutInMillis = ext.timeoutInMillis;
  const connectionType = stringOr(ext.connectionType);
  if (connectionType !== undefined) out.connectionType = connectionType;
  const connectionId = stringOr(ext.connectionId);
  if (connectionId !== undefined) out.connectionId = connectionId;
  const credentials = stringOr(ext.credentials);
  if (credentials !== undefined) out.credentialsArn = credentials;
  if (isObject(ext.requestParameters))
    out.requestParameters = ext.requestParameters as Record<string, string>;
  if (isObject(ext.responseParameters)) {
    out.responseParameters = ext.responseParameters as Record<string, Record<string, string>>;
  }
  if (isObject(ext.tlsConfig)) out.tlsConfig = ext.tlsConfig;
  return out;
}

/** The first requirement of an operation's (or the document's) `security` list. */
function securityOf(security: unknown): { name: string; scopes: string[] } | undefined {
  if (!Array.isArray(security)) return undefined;
  const first = security.find(isObject);
  if (first === undefined) return undefined;
  const [name, scopes] = Object.entries(first)[0] ?? [];
  if (name === undefined) return undefined;
  return { name, scopes: Array.isArray(scopes) ? scopes.map(String) : [] };
}

export function readOpenApi(document: Json): ImportedApi {
  const openapi = stringOr(document.openapi);
  if (openapi === undefined || !openapi.startsWith("3.")) {
    throw badRequest("Only OpenAPI 3.0 definitions can be imported into HTTP APIs");
  }
  const info = isObject(document.info) ? document.info : {};
  const title = stringOr(info.title);
  if (title === undefined || title === "") throw badRequest("Invalid OpenAPI input: info.title is required");
  const api: ImportedApi["api"] = { name: title };
  const version = stringOr(info.version);
  if (version !== undefined) api.version = version;
  const description = stringOr(info.description);
  if (description !== undefined) api.description = description;
  const cors = document["x-amazon-apigateway-cors"];
  if (isObject(cors)) api.corsConfiguration = cors as ApiRecord["corsConfiguration"];

  const warnings: string[] = [];
  const authorizers: ImportedApi["authorizers"] = {};
  const iamSchemes = new Set<string>();
  const components = isObject(document.components) ? document.components : {};
  const schemes = isObject(components.securitySchemes) ? components.securitySchemes : {};
  for (const [name, scheme] of Object.entries(schemes)) {
    if (!isObject(scheme)) continue;
    if (scheme["x-amazon-apigateway-authtype"] === "awsSigv4") {
      iamSchemes.add(name);
      continue;
    }
    const authorizer = authorizerOf(name, scheme);
    if (authorizer !== undefined) authorizers[name] = authorizer;
    else warnings.push(`Security scheme ${name} has no x-amazon-apigateway-authorizer and was ignored`);
  }

  const reusable = isObject(components["x-amazon-apigateway-integrations"])
    ? components["x-amazon-apigateway-integrations"]
    : {};
  const referenced = new Set<string>();
  /** An operation's integration, inline or `$ref: "#/components/x-amazon-apigateway-integrations/{name}"`. */
  const integrationFor = (ext: Json, routeKey: string): Json => {
    const ref = ext.$ref;
    if (typeof ref !== "string") return ext;
    const name = ref.replace(/^#\/components\/x-amazon-apigateway-integrations\//, "");
    const target = reusable[name];
    if (name === ref || !isObject(target))
      throw badRequest(`Invalid integration reference ${ref} in route ${routeKey}`);
    referenced.add(name);
    return target;
  };
  const routes: ImportedRoute[] = [];
  const paths = isObject(document.paths) ? document.paths : {};
  for (const [path, item] of Object.entries(paths)) {
    if (!isObject(item)) continue;
    for (const [key, operation] of Object.entries(item)) {
      const method = key === ANY_METHOD ? "ANY" : METHODS.includes(key) ? key.toUpperCase() : undefined;
      if (method === undefined || !isObject(operation)) continue;
      const routeKey = path === "/$default" && method === "ANY" ? "$default" : `${method} ${path}`;
      const imported: ImportedRoute = { route: { routeKey } };
      const ext = operation["x-amazon-apigateway-integration"];
      if (isObject(ext)) imported.integration = integrationOf(integrationFor(ext, routeKey));
      else warnings.push(`Route ${routeKey} has no x-amazon-apigateway-integration`);
      const security = securityOf(operation.security ?? document.security);
      if (security !== undefined) {
        if (iamSchemes.has(security.name)) {
          imported.route.authorizationType = "AWS_IAM";
        } else if (authorizers[security.name] !== undefined) {
          const type = authorizers[security.name]?.authorizerType;
          imported.route.authorizationType = type === "JWT" ? "JWT" : "CUSTOM";
          if (type === "JWT" && security.scopes.length > 0)
            imported.route.authorizationScopes = security.scopes;
          imported.authorizerName = security.name;
        } else {
          throw badRequest(`Security scheme ${security.name} of route ${routeKey} is not defined`);
        }
      }
      routes.push(imported);
    }
  }
  const unusedIntegrations = Object.entries(reusable)
    .filter(([name, ext]) => !referenced.has(name) && isObject(ext))
    .map(([, ext]) => integrationOf(ext as Json));
  return { api, authorizers, routes, unusedIntegrations, warnings };
}
