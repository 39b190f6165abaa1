/**
 * Writing an HTTP API as an OpenAPI 3.0 document (ExportApi, Specification OAS30), in the layout AWS
 * exports: openapi 3.0.1; info {title, version}; servers with the invoke URL and a basePath variable
 * (the stage); one operation per route with `responses.default.description` "Default response for
 * {routeKey}", path parameters, `security` and x-amazon-apigateway-integration; the `$default` route
 * as path `/$default` with x-amazon-apigateway-any-method; authorizers under
 * components.securitySchemes; integrations no route uses under
 * components.x-amazon-apigateway-integrations as `unusedIntegration_{id}`; an API without a version
 * gets its creation time as info.version; x-amazon-apigateway-cors and x-amazon-apigateway-importexport-version
 * "1.0". IncludeExtensions false drops every x-amazon-apigateway-* member.
 */
import type { AuthorizerRecord, IntegrationRecord, RouteRecord } from "../snapshot.ts";
import type { StoredApi } from "./records.ts";

type Json = Record<string, unknown>;

export interface ExportSource {
  api: StoredApi;
  endpoint: string;
  stageName?: string;
  routes: RouteRecord[];
  integrations: Record<string, IntegrationRecord>;
  authorizers: Record<string, AuthorizerRecord>;
  includeExtensions: boolean;
}

function integrationExtension(integration: IntegrationRecord): Json {
  const out: Json = {};
  if (integration.payloadFormatVersion !== undefined)
    out.payloadFormatVersion = integration.payloadFormatVersion;
  out.type = integration.integrationType.toLowerCase();
  if (integration.integrationMethod !== undefined) out.httpMethod = integration.integrationMethod;
  if (integration.integrationUri !== undefined) out.uri = integration.integrationUri;
  if (integration.connectionType !== undefined) out.connectionType = integration.connectionType;
  if (integration.connectionId !== undefined) out.connectionId = integration.connectionId;
  if (integration.credentialsArn !== undefined) out.credentials = integration.credentialsArn;
  // AWS's exports leave the default timeout out.
  if (integration.timeoutInMillis !== undefined && integration.timeoutInMillis !== 30000) {
    out.timeoutInMillis = integration.timeoutInMillis;
  }
  if (integration.requestParameters !== undefined) out.requestParameters = integration.requestParameters;
  if (integration.responseParameters !== undefined) out.responseParameters = integration.responseParameters;
  if (integration.tlsConfig !== undefined) out.tlsConfig = integration.tlsConfig;
  return out;
}

function securityScheme(authorizer: AuthorizerRecord): Json {
  const ext: Json = {
    identitySource: (authorizer.identitySource ?? []).join(", "),
    type: authorizer.authorizerType === "JWT" ? "jwt" : "request",
  };
  if (authorizer.authorizerType === "JWT") {
    ext.jwtConfiguration = authorizer.jwtConfiguration ?? {};
  } else {
    if (authorizer.authorizerUri !== undefined) ext.authorizerUri = authorizer.authorizerUri;
    if (authorizer.authorizerPayloadFormatVersion !== undefined) {
      ext.authorizerPayloadFormatVersion = authorizer.authorizerPayloadFormatVersion;
    }
    if (authorizer.authorizerResultTtlInSeconds !== undefined) {
      ext.authorizerResultTtlInSeconds = authorizer.authorizerResultTtlInSeconds;
    }
    if (authorizer.enableSimpleResponses !== undefined)
      ext.enableSimpleResponses = authorizer.enableSimpleResponses;
    if (authorizer.authorizerCredentialsArn !== undefined)
      ext.authorizerCredentials = authorizer.authorizerCredentialsArn;
  }
  const header = /^\$request\.header\.(.+)$/.exec(authorizer.identitySource?.[0] ?? "");
  return authorizer.authorizerType === "JWT"
    ? { type: "oauth2", flows: {}, "x-amazon-apigateway-authorizer": ext }
    : { type: "apiKey", name: header?.[1] ?? "Unused", in: "header", "x-amazon-apigateway-authorizer": ext };
}

function components(schemes: Record<string, Json>, unused: Record<string, Json>): Json {
  const out: Json = {};
  if (Object.keys(schemes).length > 0) out.securitySchemes = schemes;
  if (Object.keys(unused).length > 0) out["x-amazon-apigateway-integrations"] = unused;
  return Object.keys(out).length > 0 ? { components: out } : {};
}

function withoutExtensions(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutExtensions);
  if (typeof value !== "object" || value === null) return value;
  const out: Json = {};
  for (const [key, item] of Object.entries(value)) {
    if (!key.startsWith("x-amazon-apigateway-")) out[key] = withoutExtensions(item);
  }
  return out;
}

/** An API without a version exports its creation time as "2023-04-30 00:45:35UTC" (recorded exports). */
function exportVersionOf(createdDate: string): string {
  return `${createdDate.slice(0, 10)} ${createdDate.slice(11, 19)}UTC`;
}

export function exportOpenApi(source: ExportSource): Json {
  const { api, routes, integrations, authorizers } = source;
  const paths: Record<string, Json> = {};
  const schemes: Record<string, Json> = {};
  let usesIam = false;
  const sorted = [...routes].sort((a, b) => a.routeKey.localeCompare(b.routeKey));
  for (const route of sorted) {
    const isDefault = route.routeKey === "$default";
    const [method = "ANY", path = "/"] = isDefault ? ["ANY", "/$default"] : route.routeKey.split(" ", 2);
    const operation: Json = {
      responses: { default: { description: `Default response for ${route.routeKey}` } },
    };
    const params = [...path.matchAll(/\{([^}+]+)\+?\}/g)].map((m) => ({
      name: m[1],
      in: "path",
      description: `Generated path parameter for ${m[1]}`,
      required: true,
      schema: { type: "string" },
    }));
    if (params.length > 0) operation.parameters = params;
    const authorizer = route.authorizerId === undefined ? undefined : authorizers[route.authorizerId];
    if (authorizer !== undefined) {
      schemes[authorizer.name] = securityScheme(authorizer);
      operation.security = [{ [authorizer.name]: route.authorizationScopes ?? [] }];
    } else if (route.authorizationType === "AWS_IAM") {
      usesIam = true;
      operation.security = [{ sigv4: [] }];
    }
    const integrationId = /^integrations\/(.+)$/.exec(route.target ?? "")?.[1];
    const integration = integrationId === undefined ? undefined : integrations[integrationId];
    if (integration !== undefined)
      operation["x-amazon-apigateway-integration"] = integrationExtension(integration);
    const key = method === "ANY" ? "x-amazon-apigateway-any-method" : method.toLowerCase();
    paths[path] = { ...paths[path], [key]: operation };
  }
  // Integrations no route targets are kept under components, as AWS exports them.
  const targeted = new Set(routes.map((route) => /^integrations\/(.+)$/.exec(route.target ?? "")?.[1]));
  const unused: Record<string, Json> = {};
  for (const [id, integration] of Object.entries(integrations)) {
    if (!targeted.has(id)) unused[`unusedIntegration_${id}`] = integrationExtension(integration);
  }
  if (usesIam) {
    schemes.sigv4 = {
      type: "apiKey",
      name: "Authorization",
      in: "header",
      "x-amazon-apigateway-authtype": "awsSigv4",
    };
  }
  const document: Json = {
    openapi: "3.0.1",
    info: {
      title: api.name,
      ...(api.description === undefined ? {} : { description: api.description }),
      version: (api.version as string | undefined) ?? exportVersionOf(api.createdDate),
    },
    servers: [
      {
        url: `${source.endpoint}/{basePath}`,
        variables: {
          basePath: {
            default:
              source.stageName === undefined || source.stageName === "$default" ? "" : source.stageName,
          },
        },
      },
    ],
    paths,
    ...components(schemes, unused),
    ...(api.corsConfiguration === undefined ? {} : { "x-amazon-apigateway-cors": api.corsConfiguration }),
    "x-amazon-apigateway-importexport-version": "1.0",
  };
  return source.includeExtensions ? document : (withoutExtensions(document) as Json);
}
