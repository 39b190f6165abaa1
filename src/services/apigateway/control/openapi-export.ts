/**
 * GetExport's document: a stage's deployment as OpenAPI 3.0.1 (`oas30`) or Swagger 2.0 (`swagger`),
 * with API Gateway's extensions when asked for (`extensions=integrations` adds
 * x-amazon-apigateway-integration; `extensions=apigateway` adds it and the API-level extensions;
 * `authorizers` the authorizer extensions). Servers/host name the stage's AWS invoke URL, as AWS
 * exports it; integration types and passthrough behaviours are written in lower case, as AWS writes
 * them.
 */
import type { IntegrationRecord, MethodRecord, RestApiDeploymentSnapshot } from "../snapshot.ts";
import { defined, type Json } from "./http.ts";

export type ExportType = "oas30" | "swagger";

const VERB_KEYS: Record<string, string> = {
  GET: "get",
  PUT: "put",
  POST: "post",
  DELETE: "delete",
  PATCH: "patch",
  OPTIONS: "options",
  HEAD: "head",
  ANY: "x-amazon-apigateway-any-method",
};

function parseSchema(schema: unknown): unknown {
  try {
    return JSON.parse(String(schema));
  } catch {
    return {};
  }
}

function integrationExtension(integration: IntegrationRecord): Json {
  const responses: Json = {};
  for (const response of Object.values(integration.integrationResponses ?? {})) {
    responses[response.selectionPattern ?? "default"] = defined({
      statusCode: response.statusCode,
      responseParameters: response.responseParameters,
      responseTemplates: response.responseTemplates,
      contentHandling: response.contentHandling,
    });
  }
  return defined({
    type: integration.type.toLowerCase(),
    httpMethod: integration.httpMethod,
    uri: integration.uri,
    credentials: integration.credentials,
    requestParameters: integration.requestParameters,
    requestTemplates: integration.requestTemplates,
    passthroughBehavior: integration.passthroughBehavior?.toLowerCase(),
    contentHandling: integration.contentHandling,
    timeoutInMillis: integration.timeoutInMillis,
    cacheNamespace: integration.cacheNamespace,
    cacheKeyParameters: integration.cacheKeyParameters?.length ? integration.cacheKeyParameters : undefined,
    connectionType: integration.connectionType,
    connectionId: integration.connectionId,
    responses: Object.keys(responses).length > 0 ? responses : undefined,
  });
}

export function exportDocument(
  snapshot: RestApiDeploymentSnapshot,
  stageName: string,
  region: string,
  type: ExportType,
  extensions: Set<string>,
): Json {
  const oas3 = type === "oas30";
  const ref = (model: string) => (oas3 ? `#/components/schemas/${model}` : `#/definitions/${model}`);
  const withIntegrations = extensions.has("integrations") || extensions.has("apigateway");
  const withAuthorizers = withIntegrations || extensions.has("authorizers");
  const api = snapshot.api;
  const authorizerNames = new Map(
    Object.values(snapshot.authorizers).map((a) => [String(a.id), String(a.name)]),
  );
  const validatorNames = new Map(
    Object.values(snapshot.requestValidators).map((v) => [String(v.id), String(v.name)]),
  );
  let usesApiKey = false;
  let usesSigv4 = false;

  const operationOf = (method: MethodRecord): Json => {
    const parameters: Json[] = [];
    for (const [key, required] of Object.entries(method.requestParameters ?? {})) {
      const [, , location, ...rest] = key.split(".");
      const where = { path: "path", querystring: "query", header: "header" }[location ?? ""];
      if (where === undefined) continue;
      const parameter: Json = {
        name: rest.join("."),
        in: where,
        required: where === "path" ? true : required,
      };
      if (oas3) parameter.schema = { type: "string" };
      else parameter.type = "string";
      parameters.push(parameter);
    }
    const models = Object.entries(method.requestModels ?? {});
    let requestBody: Json | undefined;
    if (models.length > 0) {
      if (oas3) {
        requestBody = {
          content: Object.fromEntries(models.map(([ct, model]) => [ct, { schema: { $ref: ref(model) } }])),
          required: true,
        };
      } else {
        const [, model] = models[0] as [string, string];
        parameters.push({ in: "body", name: model, required: true, schema: { $ref: ref(model) } });
      }
    }
    const responses: Json = {};
    for (const response of Object.values(method.methodResponses ?? {})) {
      const code = String(response.statusCode);
      const headers: Json = {};
      for (const key of Object.keys((response.responseParameters as Json | undefined) ?? {})) {
        headers[key.replace(/^method\.response\.header\./, "")] = oas3
          ? { schema: { type: "string" } }
          : { type: "string" };
      }
      const responseModels = Object.entries(
        (response.responseModels as Record<string, string> | undefined) ?? {},
      );
      const out: Json = { description: `${code} response` };
      if (responseModels.length > 0) {
        if (oas3) {
          out.content = Object.fromEntries(
            responseModels.map(([ct, model]) => [ct, { schema: { $ref: ref(model) } }]),
          );
        } else out.schema = { $ref: ref((responseModels[0] as [string, string])[1]) };
      }
      if (Object.keys(headers).length > 0) out.headers = headers;
      responses[code] = out;
    }
    const security: Json[] = [];
    if (method.authorizationType === "CUSTOM" && method.authorizerId !== undefined) {
      security.push({ [authorizerNames.get(method.authorizerId) ?? method.authorizerId]: [] });
    }
    if (method.authorizationType === "AWS_IAM") {
      usesSigv4 = true;
      security.push({ sigv4: [] });
    }
    if (method.apiKeyRequired) {
      usesApiKey = true;
      security.push({ api_key: [] });
    }
    const operation: Json = defined({
      operationId: method.operationName,
      parameters: parameters.length > 0 ? parameters : undefined,
      requestBody,
      responses,
      security: security.length > 0 ? security : undefined,
    });
    if (extensions.has("apigateway") && method.requestValidatorId !== undefined) {
      operation["x-amazon-apigateway-request-validator"] = validatorNames.get(method.requestValidatorId);
    }
    if (withIntegrations && method.methodIntegration !== undefined) {
      operation["x-amazon-apigateway-integration"] = integrationExtension(method.methodIntegration);
    }
    return operation;
  };

  const paths: Json = {};
  for (const resource of snapshot.resources) {
    const methods = Object.values(resource.resourceMethods ?? {});
    if (methods.length === 0) continue;
    const item: Json = {};
    for (const method of methods)
      item[VERB_KEYS[method.httpMethod] ?? method.httpMethod.toLowerCase()] = operationOf(method);
    paths[resource.path] = item;
  }

  const schemes: Json = {};
  if (usesApiKey) schemes.api_key = { type: "apiKey", name: "x-api-key", in: "header" };
  if (usesSigv4) {
    schemes.sigv4 = {
      type: "apiKey",
      name: "Authorization",
      in: "header",
      "x-amazon-apigateway-authtype": "awsSigv4",
    };
  }
  for (const authorizer of Object.values(snapshot.authorizers)) {
    const source = String(authorizer.identitySource ?? "");
    const header = /^method\.request\.header\.([^,\s]+)$/.exec(source)?.[1];
    const scheme: Json = { type: "apiKey", name: header ?? "Unused", in: "header" };
    if (withAuthorizers) {
      scheme["x-amazon-apigateway-authtype"] = authorizer.authType ?? "custom";
      scheme["x-amazon-apigateway-authorizer"] = defined({
        type: String(authorizer.type).toLowerCase(),
        authorizerUri: authorizer.authorizerUri,
        authorizerCredentials: authorizer.authorizerCredentials,
        identitySource: authorizer.type === "REQUEST" ? authorizer.identitySource : undefined,
        identityValidationExpression: authorizer.identityValidationExpression,
        authorizerResultTtlInSeconds: authorizer.authorizerResultTtlInSeconds,
        providerARNs: authorizer.providerARNs,
      });
    }
    schemes[String(authorizer.name)] = scheme;
  }
  const schemas: Json = {};
  for (const model of Object.values(snapshot.models)) schemas[String(model.name)] = parseSchema(model.schema);

  const info = defined({
    title: api.name,
    description: api.description,
    version: api.version ?? new Date(Number(api.createdDate) * 1000).toISOString().replace(/\.\d+Z$/, "Z"),
  });
  const host = `${api.id}.execute-api.${region}.amazonaws.com`;
  const doc: Json = oas3
    ? {
        openapi: "3.0.1",
        info,
        servers: [{ url: `https://${host}/{basePath}`, variables: { basePath: { default: stageName } } }],
        paths,
        components: defined({
          schemas: Object.keys(schemas).length > 0 ? schemas : undefined,
          securitySchemes: Object.keys(schemes).length > 0 ? schemes : undefined,
        }),
      }
    : defined({
        swagger: "2.0",
        info,
        host,
        basePath: `/${stageName}`,
        schemes: ["https"],
        paths,
        securityDefinitions: Object.keys(schemes).length > 0 ? schemes : undefined,
        definitions: Object.keys(schemas).length > 0 ? schemas : undefined,
      });
  if (extensions.has("apigateway")) {
    if (api.binaryMediaTypes !== undefined)
      doc["x-amazon-apigateway-binary-media-types"] = api.binaryMediaTypes;
    if (api.apiKeySource === "AUTHORIZER") doc["x-amazon-apigateway-api-key-source"] = "AUTHORIZER";
    const validators: Json = {};
    for (const v of Object.values(snapshot.requestValidators)) {
      validators[String(v.name)] = {
        validateRequestBody: v.validateRequestBody,
        validateRequestParameters: v.validateRequestParameters,
      };
    }
    if (Object.keys(validators).length > 0) doc["x-amazon-apigateway-request-validators"] = validators;
    const responses: Json = {};
    for (const [type, response] of Object.entries(snapshot.gatewayResponses)) {
      responses[type] = defined({
        statusCode: response.statusCode,
        responseParameters: response.responseParameters,
        responseTemplates: response.responseTemplates,
      });
    }
    if (Object.keys(responses).length > 0) doc["x-amazon-apigateway-gateway-responses"] = responses;
  }
  return doc;
}
