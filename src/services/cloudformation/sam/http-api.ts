/**
 * AWS::Serverless::HttpApi (explicit, or SAM's implicit ServerlessHttpApi) → AWS::ApiGatewayV2::Api with
 * the OpenAPI 3 body (SAM's generated one once the HttpApi events have added their routes, or the user's
 * DefinitionBody) carrying CORS, authorizers and tags as API Gateway's OpenAPI extensions, and an
 * auto-deploying AWS::ApiGatewayV2::Stage (`<Api>ApiGatewayDefaultStage` for `$default`).
 */
import { isDeepStrictEqual } from "node:util";
import type { TemplateResource } from "../template/types.ts";
import { s3Location } from "./code-uri.ts";
import { invalidResource } from "./errors.ts";
import { compact, type Expansion, type HttpApiState, passthroughAttributes } from "./expansion.ts";
import { deepClone, isIntrinsic, isObject, type JsonObject, ref } from "./json.ts";
import {
  authorizerPermission,
  authorizersOf,
  identitySources,
  lambdaAuthorizerUri,
} from "./lambda-authorizer.ts";
import { hashedLogicalId } from "./logical-ids.ts";
import { forEachIntegratedOperation } from "./openapi-operations.ts";

const DEFAULT_STAGE = "$default";
const TAG_NAME = "httpapi:createdBy";

export function openApiSkeleton(): JsonObject {
  return { openapi: "3.0.1", info: { version: "1.0", title: ref("AWS::StackName") }, paths: {} };
}

export function registerHttpApi(expansion: Expansion, logicalId: string, resource: TemplateResource): void {
  const properties = (resource.Properties ?? {}) as JsonObject;
  const managed = properties.DefinitionBody === undefined && properties.DefinitionUri === undefined;
  const userBody = isObject(properties.DefinitionBody) ? deepClone(properties.DefinitionBody) : undefined;
  expansion.httpApis.set(logicalId, {
    logicalId,
    resource,
    properties,
    managed,
    openApi: managed ? openApiSkeleton() : userBody,
  });
}

export function expandHttpApi(expansion: Expansion, api: HttpApiState): void {
  const { logicalId, properties, resource } = api;
  if (properties.DefinitionUri !== undefined && properties.DefinitionBody !== undefined) {
    throw invalidResource(
      logicalId,
      "Specify either 'DefinitionUri' or 'DefinitionBody' property and not both.",
    );
  }
  const body = api.openApi;
  if (properties.CorsConfiguration !== undefined && properties.CorsConfiguration !== false) {
    if (body === undefined)
      throw invalidResource(
        logicalId,
        "Cors works only with inline OpenApi specified in 'DefinitionBody' property.",
      );
    addCors(logicalId, body, properties.CorsConfiguration);
  }
  if (properties.Auth !== undefined) {
    if (body === undefined) {
      throw invalidResource(
        logicalId,
        "Auth works only with inline OpenApi specified in the 'DefinitionBody' property.",
      );
    }
    addAuth(expansion, logicalId, body, properties.Auth);
  }
  const tags: JsonObject = { ...(isObject(properties.Tags) ? properties.Tags : {}) };
  if (properties.Tags !== undefined && body === undefined) {
    throw invalidResource(
      logicalId,
      "Tags works only with inline OpenApi specified in the 'DefinitionBody' property.",
    );
  }
  if (body !== undefined) {
    tags[TAG_NAME] = "SAM";
    const list = Array.isArray(body.tags) ? (body.tags as JsonObject[]) : [];
    for (const [name, value] of Object.entries(tags)) {
      const existing = list.find((tag) => tag.name === name);
      if (existing !== undefined) existing["x-amazon-apigateway-tag-value"] = value;
      else list.push({ name, "x-amazon-apigateway-tag-value": value });
    }
    body.tags = list;
    if (properties.DisableExecuteApiEndpoint !== undefined) {
      // API Gateway reads the switch from the OpenAPI `servers` entries.
      const servers = Array.isArray(body.servers) ? (body.servers as JsonObject[]) : [{}];
      for (const server of servers) {
        const configuration = isObject(server["x-amazon-apigateway-endpoint-configuration"])
          ? server["x-amazon-apigateway-endpoint-configuration"]
          : {};
        configuration.disableExecuteApiEndpoint = properties.DisableExecuteApiEndpoint;
        server["x-amazon-apigateway-endpoint-configuration"] = configuration;
      }
      body.servers = servers;
    }
    const info = isObject(body.info) ? body.info : {};
    body.info = info;
    if (properties.Name !== undefined) {
      if (!isDeepStrictEqual(info.title, { Ref: "AWS::StackName" })) {
        throw invalidResource(
          logicalId,
          "Unable to set Name because it is already defined within inline OpenAPI specified in the 'DefinitionBody' property.",
        );
      }
      info.title = properties.Name;
    }
    if (properties.Description !== undefined) {
      if (info.description) {
        throw invalidResource(
          logicalId,
          "Unable to set Description because it is already defined within inline OpenAPI specified in the 'DefinitionBody' property.",
        );
      }
      info.description = properties.Description;
    }
  }

  if (body === undefined) {
    if (properties.DisableExecuteApiEndpoint !== undefined) {
      throw invalidResource(
        logicalId,
        "DisableExecuteApiEndpoint works only within 'DefinitionBody' property.",
      );
    }
    if (properties.Name !== undefined) {
      throw invalidResource(
        logicalId,
        "Name works only with inline OpenApi specified in the 'DefinitionBody' property.",
      );
    }
    if (properties.Description !== undefined) {
      throw invalidResource(
        logicalId,
        "Description works only with inline OpenApi specified in the 'DefinitionBody' property.",
      );
    }
  }
  const httpApi: Record<string, unknown> = { FailOnWarnings: properties.FailOnWarnings };
  if (properties.DefinitionUri !== undefined) {
    httpApi.BodyS3Location = s3Location(
      logicalId,
      "DefinitionUri",
      properties.DefinitionUri,
      expansion.context.parameters,
      {
        bucket: "Bucket",
        key: "Key",
        version: "Version",
      },
    );
  } else if (body !== undefined) {
    httpApi.Body = body;
  } else {
    throw invalidResource(
      logicalId,
      "'DefinitionUri' or 'DefinitionBody' are required properties of an 'AWS::Serverless::HttpApi'. Add a value for one of these properties or add a 'HttpApi' event to an 'AWS::Serverless::Function'.",
    );
  }
  const attributes = passthroughAttributes(resource);
  const apiResource: TemplateResource = {
    Type: "AWS::ApiGatewayV2::Api",
    ...attributes,
    Properties: compact(httpApi),
  };
  if (resource.DependsOn !== undefined) apiResource.DependsOn = resource.DependsOn;
  expansion.output[logicalId] = apiResource;

  const stageName = properties.StageName ?? DEFAULT_STAGE;
  const prefix = typeof stageName === "string" ? stageName : "";
  let stageId: string;
  if (/^[A-Za-z0-9]+$/.test(prefix)) stageId = `${logicalId}${prefix}Stage`;
  else if (prefix === DEFAULT_STAGE) stageId = `${logicalId}ApiGatewayDefaultStage`;
  else stageId = hashedLogicalId(`${logicalId}Stage`, prefix);
  expansion.output[stageId] = {
    Type: "AWS::ApiGatewayV2::Stage",
    ...attributes,
    Properties: compact({
      ApiId: ref(logicalId),
      StageName: stageName,
      StageVariables: properties.StageVariables,
      AccessLogSettings: properties.AccessLogSettings,
      DefaultRouteSettings: properties.DefaultRouteSettings,
      Tags: body === undefined && properties.Tags === undefined ? undefined : tags,
      AutoDeploy: true,
      RouteSettings: properties.RouteSettings,
    }),
  };
  expansion.samReferences.set(`${logicalId}.Stage`, stageId);

  for (const [name, authorizer] of Object.entries(authorizersOf(properties.Auth))) {
    if (
      !isObject(authorizer) ||
      authorizer.FunctionArn === undefined ||
      authorizer.EnableFunctionDefaultPermissions !== true
    )
      continue;
    expansion.output[`${logicalId}${name}AuthorizerPermission`] = authorizerPermission(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: SAM writes the pseudo parameter for HTTP APIs.
      "${AWS::Partition}",
      logicalId,
      authorizer.FunctionArn,
      attributes,
    );
  }
}

const CORS_KEYS = [
  "AllowOrigins",
  "AllowHeaders",
  "AllowMethods",
  "ExposeHeaders",
  "MaxAge",
  "AllowCredentials",
];

/** CorsConfiguration → the `x-amazon-apigateway-cors` extension (true means every origin). */
function addCors(logicalId: string, body: JsonObject, cors: unknown): void {
  let settings: JsonObject;
  if (typeof cors === "boolean") settings = { AllowOrigins: ["*"] };
  else if (isIntrinsic(cors)) settings = { AllowOrigins: cors };
  else if (isObject(cors)) {
    for (const key of Object.keys(cors))
      if (!CORS_KEYS.includes(key))
        throw invalidResource(logicalId, `Invalid key '${key}' for 'Cors' property.`);
    settings = cors;
  } else throw invalidResource(logicalId, "Invalid value for 'Cors' property.");
  const origins = settings.AllowOrigins;
  if (
    settings.AllowCredentials === true &&
    Array.isArray(origins) &&
    origins.length === 1 &&
    origins[0] === "*"
  ) {
    throw invalidResource(
      logicalId,
      "Unable to add Cors configuration because 'AllowCredentials' can not be true when 'AllowOrigin' is \"'*'\" or not set.",
    );
  }
  const configuration: JsonObject = isObject(body["x-amazon-apigateway-cors"])
    ? body["x-amazon-apigateway-cors"]
    : {};
  if (origins) configuration.allowOrigins = origins;
  if (settings.AllowHeaders) configuration.allowHeaders = settings.AllowHeaders;
  if (settings.AllowMethods) configuration.allowMethods = settings.AllowMethods;
  if (settings.ExposeHeaders) configuration.exposeHeaders = settings.ExposeHeaders;
  if (settings.MaxAge !== undefined) configuration.maxAge = settings.MaxAge;
  if (settings.AllowCredentials === true) configuration.allowCredentials = true;
  body["x-amazon-apigateway-cors"] = configuration;
}

const AUTH_KEYS = ["Authorizers", "DefaultAuthorizer", "EnableIamAuthorizer"];

/** components.securitySchemes for the authorizers, and the default authorizer on routes without security. */
function addAuth(expansion: Expansion, logicalId: string, body: JsonObject, auth: unknown): void {
  if (!isObject(auth) || !Object.keys(auth).every((key) => AUTH_KEYS.includes(key))) {
    throw invalidResource(logicalId, "Invalid value for 'Auth' property");
  }
  const schemes: JsonObject = {};
  const scopesByName: Record<string, unknown> = {};
  if (auth.EnableIamAuthorizer === true) {
    schemes.AWS_IAM = {
      type: "apiKey",
      name: "Authorization",
      in: "header",
      "x-amazon-apigateway-authtype": "awsSigv4",
    };
  }
  for (const [name, authorizer] of Object.entries(authorizersOf(auth))) {
    if (!isObject(authorizer))
      throw invalidResource(logicalId, `Property 'Auth.Authorizers.${name}' should be a map.`);
    schemes[name] = authorizerScheme(expansion, logicalId, name, authorizer);
    scopesByName[name] = authorizer.AuthorizationScopes;
  }
  if (Object.keys(schemes).length > 0) {
    const components = isObject(body.components) ? body.components : {};
    components.securitySchemes = {
      ...(isObject(components.securitySchemes) ? components.securitySchemes : {}),
      ...schemes,
    };
    body.components = components;
  }
  const defaultAuthorizer = auth.DefaultAuthorizer;
  if (defaultAuthorizer === undefined) return;
  if (typeof defaultAuthorizer !== "string")
    throw invalidResource(logicalId, "Property 'Auth.DefaultAuthorizer' should be a string.");
  if (schemes[defaultAuthorizer] === undefined) {
    throw invalidResource(
      logicalId,
      `Unable to set DefaultAuthorizer because '${defaultAuthorizer}' was not defined in 'Authorizers'.`,
    );
  }
  const scopes = scopesByName[defaultAuthorizer] ?? [];
  forEachIntegratedOperation(body, true, (operation) => {
    if (Array.isArray(operation.security) && operation.security.length > 0) return;
    operation.security = [{ [defaultAuthorizer]: scopes }];
  });
}

/** One authorizer's security scheme: JWT (JwtConfiguration) or Lambda REQUEST (FunctionArn). */
function authorizerScheme(
  expansion: Expansion,
  logicalId: string,
  name: string,
  authorizer: JsonObject,
): JsonObject {
  if (authorizer.OpenIdConnectUrl !== undefined) {
    throw invalidResource(
      logicalId,
      `'OpenIdConnectUrl' is no longer a supported property for authorizer '${name}'. Please refer to the AWS SAM documentation.`,
    );
  }
  if (authorizer.JwtConfiguration !== undefined) {
    if (authorizer.IdentitySource === undefined)
      throw invalidResource(logicalId, `${name} OAuth2 Authorizer must define 'IdentitySource'.`);
    return {
      type: "oauth2",
      "x-amazon-apigateway-authorizer": {
        jwtConfiguration: authorizer.JwtConfiguration,
        identitySource: authorizer.IdentitySource,
        type: "jwt",
      },
    };
  }
  if (authorizer.FunctionArn === undefined)
    throw invalidResource(logicalId, `${name} Lambda Authorizer must define 'FunctionArn'.`);
  if (authorizer.AuthorizerPayloadFormatVersion === undefined) {
    throw invalidResource(
      logicalId,
      `${name} Lambda Authorizer must define 'AuthorizerPayloadFormatVersion'.`,
    );
  }
  const lambdaAuthorizer: JsonObject = {
    type: "request",
    authorizerUri: lambdaAuthorizerUri(expansion.context.partition, authorizer.FunctionArn),
  };
  if (authorizer.FunctionInvokeRole !== undefined && authorizer.FunctionInvokeRole !== "NONE") {
    lambdaAuthorizer.authorizerCredentials = authorizer.FunctionInvokeRole;
  }
  if (isObject(authorizer.Identity)) {
    const identity = authorizer.Identity;
    if (identity.ReauthorizeEvery !== undefined)
      lambdaAuthorizer.authorizerResultTtlInSeconds = identity.ReauthorizeEvery;
    lambdaAuthorizer.identitySource = identitySources(identity, [
      ["Headers", "$request.header."],
      ["QueryStrings", "$request.querystring."],
      ["StageVariables", "$stageVariables."],
      ["Context", "$context."],
    ]);
  }
  lambdaAuthorizer.authorizerPayloadFormatVersion = authorizer.AuthorizerPayloadFormatVersion;
  if (authorizer.EnableSimpleResponses)
    lambdaAuthorizer.enableSimpleResponses = authorizer.EnableSimpleResponses;
  return { type: "apiKey", name: "Unused", in: "header", "x-amazon-apigateway-authorizer": lambdaAuthorizer };
}
