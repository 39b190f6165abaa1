/**
 * AWS::Serverless::Api (explicit, or SAM's implicit ServerlessRestApi) → AWS::ApiGateway::RestApi with
 * the swagger body (SAM's generated one once the functions' Api events have added their paths, or the
 * user's DefinitionBody), a Deployment `<Api>Deployment<hash>`, the Stage `<Api><StageName>Stage`, and a
 * permission per Lambda authorizer. Cors and Auth are written into the body as SAM writes them.
 */
import type { TemplateResource } from "../template/types.ts";
import { addCors } from "./api-cors.ts";
import { s3Location } from "./code-uri.ts";
import { invalidResource, invalidTemplate } from "./errors.ts";
import { compact, type Expansion, passthroughAttributes, type RestApiState } from "./expansion.ts";
import { deepClone, isIntrinsic, isObject, type JsonObject, ref, tagList } from "./json.ts";
import {
  authorizerPermission,
  authorizersOf,
  identitySources,
  lambdaAuthorizerUri,
} from "./lambda-authorizer.ts";
import { hashedLogicalId, samHash } from "./logical-ids.ts";
import { forEachIntegratedOperation } from "./openapi-operations.ts";
import { expandUsagePlan } from "./usage-plan.ts";

const OPENAPI_3 = /^3(\.\d)(\.\d)?$/;

/** SAM's swagger skeleton for an API whose body it manages. */
export function swaggerSkeleton(): JsonObject {
  return { swagger: "2.0", info: { version: "1.0", title: ref("AWS::StackName") }, paths: {} };
}

/** Registers an API before the functions' events add their paths to it. */
export function registerRestApi(expansion: Expansion, logicalId: string, resource: TemplateResource): void {
  const properties = (resource.Properties ?? {}) as JsonObject;
  const managed = properties.DefinitionBody === undefined && properties.DefinitionUri === undefined;
  const swagger = managed ? swaggerSkeleton() : undefined;
  if (
    swagger !== undefined &&
    typeof properties.OpenApiVersion === "string" &&
    OPENAPI_3.test(properties.OpenApiVersion)
  ) {
    delete swagger.swagger;
    swagger.openapi = properties.OpenApiVersion;
  }
  const state: RestApiState = { logicalId, resource, properties, swagger };
  expansion.restApis.set(logicalId, state);
}

export function expandRestApi(expansion: Expansion, api: RestApiState): void {
  const { logicalId, properties, resource } = api;
  const { partition } = expansion.context;
  if (properties.DefinitionUri !== undefined && properties.DefinitionBody !== undefined) {
    throw invalidResource(
      logicalId,
      "Specify either 'DefinitionUri' or 'DefinitionBody' property and not both.",
    );
  }
  const openApiVersion = properties.OpenApiVersion;
  if (
    openApiVersion !== undefined &&
    !(typeof openApiVersion === "string" && /^[23](\.\d)(\.\d)?$/.test(openApiVersion))
  ) {
    throw invalidResource(logicalId, "The OpenApiVersion value must be of the format '3.0.0'.");
  }
  const stageName = properties.StageName;
  if (stageName === undefined) throw invalidResource(logicalId, "Missing required property 'StageName'.");

  let body =
    api.swagger ??
    (properties.DefinitionBody === undefined
      ? undefined
      : deepClone(properties.DefinitionBody as JsonObject));
  const restApi: Record<string, unknown> = {};
  restApi.BinaryMediaTypes = properties.BinaryMediaTypes;
  restApi.MinimumCompressionSize = properties.MinimumCompressionSize;
  if (properties.EndpointConfiguration !== undefined)
    Object.assign(restApi, endpointConfiguration(logicalId, properties.EndpointConfiguration));

  if (properties.Cors !== undefined) {
    if (body === undefined)
      throw invalidResource(
        logicalId,
        "Cors works only with inline Swagger specified in 'DefinitionBody' property.",
      );
    addCors(logicalId, body, properties.Cors);
  }
  if (properties.Auth !== undefined) {
    if (body === undefined)
      throw invalidResource(
        logicalId,
        "Auth works only with inline Swagger specified in 'DefinitionBody' property.",
      );
    addAuth(expansion, logicalId, body, properties.Auth);
    // SAM post-processes the body for OpenAPI 3 here and again below: headers of OPTIONS get their
    // `schema` wrapper twice. Reproduced so the body is the one SAM deploys.
    body = openApi3PostProcess(body, typeof openApiVersion === "string" ? openApiVersion : undefined);
  }
  if (properties.GatewayResponses !== undefined)
    addGatewayResponses(logicalId, body, properties.GatewayResponses);
  if (Array.isArray(properties.BinaryMediaTypes) && body !== undefined) {
    body["x-amazon-apigateway-binary-media-types"] = properties.BinaryMediaTypes.map((type) =>
      typeof type === "string" ? type.replace(/~1/g, "/") : type,
    );
  }
  if (properties.Models !== undefined) {
    if (body === undefined)
      throw invalidResource(
        logicalId,
        "Models works only with inline Swagger specified in 'DefinitionBody' property.",
      );
    addModels(logicalId, body, properties.Models);
    // SAM's _add_models post-processes for OpenAPI 3 once more (see the Auth step above).
    body = openApi3PostProcess(body, typeof openApiVersion === "string" ? openApiVersion : undefined);
  }
  if (properties.DisableExecuteApiEndpoint !== undefined) {
    if (body === undefined) {
      throw invalidResource(
        logicalId,
        "DisableExecuteApiEndpoint works only within 'DefinitionBody' property.",
      );
    }
    disableExecuteApiEndpoint(body, properties.DisableExecuteApiEndpoint);
  }
  if (properties.DefinitionUri !== undefined) {
    restApi.BodyS3Location = definitionUriLocation(expansion, logicalId, properties.DefinitionUri);
  } else if (body !== undefined) {
    body = openApi3PostProcess(body, typeof openApiVersion === "string" ? openApiVersion : undefined);
    restApi.Body = body;
  }
  restApi.Name = properties.Name;
  restApi.Description = properties.Description;
  restApi.Mode = properties.Mode;
  restApi.ApiKeySourceType = properties.ApiKeySourceType;
  restApi.FailOnWarnings = properties.FailOnWarnings;
  restApi.Policy = properties.Policy;
  restApi.SecurityPolicy = properties.SecurityPolicy;
  restApi.EndpointAccessMode = properties.EndpointAccessMode;
  const attributes = passthroughAttributes(resource);
  const restApiResource: TemplateResource = {
    Type: "AWS::ApiGateway::RestApi",
    ...attributes,
    Properties: compact(restApi),
  };
  if (resource.DependsOn !== undefined) restApiResource.DependsOn = resource.DependsOn;
  expansion.output[logicalId] = restApiResource;

  // The deployment's id changes with the body so CloudFormation redeploys the API when it changes. SAM
  // hashes Python's str() of the swagger (its dict order); we hash its sorted JSON: same role, other digits.
  const deployed = restApi.Body ?? restApi.BodyS3Location;
  // AlwaysDeploy: SAM hashes the current time (whole seconds) so every deploy makes a new Deployment.
  const hashInput =
    properties.AlwaysDeploy === true
      ? String(Math.floor(Date.now() / 1000))
      : [samHash(deployed), openApiVersion ?? ""].join("||");
  const deploymentId = hashedLogicalId(`${logicalId}Deployment`, hashInput);
  const digest = samHash(hashInput);
  expansion.output[deploymentId] = {
    Type: "AWS::ApiGateway::Deployment",
    ...attributes,
    Properties: compact({
      Description: `RestApi deployment id: ${digest}`,
      RestApiId: ref(logicalId),
      StageName: openApiVersion === undefined ? "Stage" : undefined,
    }),
  };
  const stagePrefix = typeof stageName === "string" ? stageName : "";
  const stageId = /^[A-Za-z0-9]+$/.test(stagePrefix)
    ? `${logicalId}${stagePrefix}Stage`
    : hashedLogicalId(`${logicalId}Stage`, stagePrefix);
  expansion.output[stageId] = {
    Type: "AWS::ApiGateway::Stage",
    ...attributes,
    Properties: compact({
      DeploymentId: ref(deploymentId),
      RestApiId: ref(logicalId),
      StageName: stageName,
      CacheClusterEnabled: properties.CacheClusterEnabled,
      CacheClusterSize: properties.CacheClusterSize,
      Variables: properties.Variables,
      MethodSettings: properties.MethodSettings,
      AccessLogSetting: properties.AccessLogSetting,
      CanarySetting: properties.CanarySetting,
      TracingEnabled: properties.TracingEnabled,
      Tags: properties.Tags === undefined ? undefined : tagList(properties.Tags),
    }),
  };
  expansion.samReferences.set(`${logicalId}.Stage`, stageId);
  expandUsagePlan(expansion, api, stageId);
  expansion.samReferences.set(`${logicalId}.Deployment`, deploymentId);

  for (const [name, authorizer] of Object.entries(authorizersOf(properties.Auth))) {
    if (
      !isObject(authorizer) ||
      authorizer.FunctionArn === undefined ||
      authorizer.DisableFunctionDefaultPermissions === true
    )
      continue;
    expansion.output[`${logicalId}${name}AuthorizerPermission`] = authorizerPermission(
      partition,
      logicalId,
      authorizer.FunctionArn,
      attributes,
    );
  }
}

function endpointConfiguration(logicalId: string, value: unknown): JsonObject {
  if (isObject(value) && value.Type !== undefined) {
    const configuration: JsonObject = { Types: [value.Type] };
    if ("VPCEndpointIds" in value && "VpcEndpointIds" in value) {
      throw invalidResource(
        logicalId,
        "'VPCEndpointIds' and 'VpcEndpointIds' cannot be used together in EndpointConfiguration.",
      );
    }
    const vpcEndpointIds = value.VPCEndpointIds ?? value.VpcEndpointIds;
    if (vpcEndpointIds !== undefined) configuration.VpcEndpointIds = vpcEndpointIds;
    if (value.IpAddressType !== undefined) configuration.IpAddressType = value.IpAddressType;
    return { EndpointConfiguration: configuration, Parameters: { endpointConfigurationTypes: value.Type } };
  }
  return { EndpointConfiguration: { Types: [value] }, Parameters: { endpointConfigurationTypes: value } };
}

function definitionUriLocation(expansion: Expansion, logicalId: string, uri: unknown): JsonObject {
  return s3Location(logicalId, "DefinitionUri", uri, expansion.context.parameters, {
    bucket: "Bucket",
    key: "Key",
    version: "Version",
  });
}

const AUTH_KEYS = [
  "DefaultAuthorizer",
  "Authorizers",
  "AddDefaultAuthorizerToCorsPreflight",
  "AddApiKeyRequiredToCorsPreflight",
  "ApiKeyRequired",
  "ResourcePolicy",
  "UsagePlan",
  "InvokeRole",
];

/** securityDefinitions for the authorizers, and the default authorizer / API key on every method. */
function addAuth(expansion: Expansion, logicalId: string, body: JsonObject, auth: unknown): void {
  if (!isObject(auth) || !Object.keys(auth).every((key) => AUTH_KEYS.includes(key))) {
    throw invalidResource(logicalId, "Invalid value for 'Auth' property");
  }
  if (auth.ResourcePolicy !== undefined)
    throw invalidResource(logicalId, "Stratus does not support 'Auth.ResourcePolicy' yet.");
  const authorizers = authorizersOf(auth);
  const definitions: JsonObject = {};
  const defaultAuthorizer = auth.DefaultAuthorizer;
  if (defaultAuthorizer === "AWS_IAM") definitions.AWS_IAM = awsIamSecurityDefinition();
  for (const [name, authorizer] of Object.entries(authorizers)) {
    definitions[name] = authorizerSecurityDefinition(expansion, logicalId, name, authorizer);
  }
  if (Object.keys(definitions).length > 0) {
    body.securityDefinitions = {
      ...(isObject(body.securityDefinitions) ? body.securityDefinitions : {}),
      ...definitions,
    };
    if (defaultAuthorizer !== undefined) {
      if (typeof defaultAuthorizer !== "string")
        throw invalidResource(logicalId, "DefaultAuthorizer is not a string.");
      if (definitions[defaultAuthorizer] === undefined) {
        throw invalidResource(
          logicalId,
          `Unable to set DefaultAuthorizer because '${defaultAuthorizer}' was not defined in 'Authorizers'.`,
        );
      }
      const names = new Set(["AWS_IAM", ...Object.keys(authorizers)]);
      const scopes = isObject(authorizers[defaultAuthorizer])
        ? (authorizers[defaultAuthorizer].AuthorizationScopes ?? [])
        : [];
      forEachIntegratedOperation(body, auth.AddDefaultAuthorizerToCorsPreflight !== false, (operation) => {
        const existing = Array.isArray(operation.security) ? (operation.security as JsonObject[]) : [];
        const authorizerSecurity = existing.filter((security) =>
          Object.keys(security).some((key) => names.has(key)),
        );
        const others = existing.filter((security) => !Object.keys(security).some((key) => names.has(key)));
        const noneIndex = others.findIndex((security) => "NONE" in security);
        let security: JsonObject[];
        if (noneIndex > -1) security = others.filter((_, index) => index !== noneIndex);
        else if (authorizerSecurity.length > 0) security = [...others, ...authorizerSecurity];
        else security = [...others, { [defaultAuthorizer]: scopes }];
        if (security.length > 0) operation.security = security;
        const first = Array.isArray(operation.security) ? operation.security[0] : undefined;
        if (isObject(first) && "AWS_IAM" in first && isObject(body.securityDefinitions)) {
          body.securityDefinitions.AWS_IAM ??= awsIamSecurityDefinition();
        }
      });
    }
  }
  if (auth.ApiKeyRequired === true) {
    body.securityDefinitions = {
      ...(isObject(body.securityDefinitions) ? body.securityDefinitions : {}),
      api_key: { type: "apiKey", name: "x-api-key", in: "header" },
    };
    const keyOnPreflight = auth.AddApiKeyRequiredToCorsPreflight !== false;
    forEachIntegratedOperation(body, true, (operation, method) => {
      const existing = Array.isArray(operation.security) ? (operation.security as JsonObject[]) : [];
      const isApiKey = (security: JsonObject) => "api_key" in security || "api_key_false" in security;
      const others = existing.filter((security) => !isApiKey(security));
      const optedOut = existing.some((security) => "api_key_false" in security);
      let security = optedOut ? others : [...others, { api_key: [] }];
      if (method === "options" && !keyOnPreflight) security = others;
      if (JSON.stringify(security) !== JSON.stringify(existing)) operation.security = security;
    });
  }
}

function awsIamSecurityDefinition(): JsonObject {
  return { "x-amazon-apigateway-authtype": "awsSigv4", type: "apiKey", name: "Authorization", in: "header" };
}

/** The swagger securityDefinition of a Lambda (TOKEN/REQUEST) or Cognito authorizer (ApiGatewayAuthorizer.generate_swagger). */
function authorizerSecurityDefinition(
  expansion: Expansion,
  logicalId: string,
  name: string,
  authorizer: unknown,
): JsonObject {
  if (!isObject(authorizer)) throw invalidResource(logicalId, `Authorizer ${name} must be a dictionary.`);
  const payloadType = authorizer.FunctionPayloadType ?? "TOKEN";
  if (payloadType !== "TOKEN" && payloadType !== "REQUEST") {
    throw invalidResource(
      logicalId,
      `${name} Authorizer has invalid 'FunctionPayloadType': ${String(payloadType)}.`,
    );
  }
  const identity = isObject(authorizer.Identity) ? authorizer.Identity : undefined;
  if (authorizer.Identity !== undefined && identity === undefined) {
    throw invalidResource(
      logicalId,
      "Auth.Authorizers.<Authorizer>.Identity must be a dict (LambdaTokenAuthorizationIdentity, LambdaRequestAuthorizationIdentity or CognitoAuthorizationIdentity).",
    );
  }
  if (authorizer.UserPoolArn !== undefined) {
    const definition: JsonObject = {
      type: "apiKey",
      name: identity?.Header ?? "Authorization",
      in: "header",
      "x-amazon-apigateway-authtype": "cognito_user_pools",
      "x-amazon-apigateway-authorizer": {
        type: "cognito_user_pools",
        providerARNs: Array.isArray(authorizer.UserPoolArn)
          ? authorizer.UserPoolArn
          : [authorizer.UserPoolArn],
      },
    };
    if (identity?.ValidationExpression !== undefined) {
      (definition["x-amazon-apigateway-authorizer"] as JsonObject).identityValidationExpression =
        identity.ValidationExpression;
    }
    return definition;
  }
  if (authorizer.FunctionArn === undefined)
    throw invalidResource(logicalId, `Authorizer ${name} must specify FunctionArn or UserPoolArn.`);
  const identitySource = requestIdentitySource(identity);
  if (
    payloadType === "REQUEST" &&
    identitySource === "" &&
    !(identity?.ReauthorizeEvery !== undefined && Number(identity.ReauthorizeEvery) === 0)
  ) {
    throw invalidResource(
      logicalId,
      `${name} Authorizer must specify Identity with at least one of Headers, QueryStrings, StageVariables, or Context.`,
    );
  }
  const lambdaAuthorizer: JsonObject = {
    type: payloadType === "REQUEST" ? "request" : "token",
    authorizerUri: lambdaAuthorizerUri(expansion.context.partition, authorizer.FunctionArn),
  };
  if (identity?.ReauthorizeEvery !== undefined)
    lambdaAuthorizer.authorizerResultTtlInSeconds = identity.ReauthorizeEvery;
  if (authorizer.FunctionInvokeRole !== undefined)
    lambdaAuthorizer.authorizerCredentials = authorizer.FunctionInvokeRole;
  if (payloadType === "REQUEST" && identitySource !== "") lambdaAuthorizer.identitySource = identitySource;
  if (payloadType === "TOKEN" && identity?.ValidationExpression !== undefined) {
    lambdaAuthorizer.identityValidationExpression = identity.ValidationExpression;
  }
  return {
    type: "apiKey",
    name: payloadType === "REQUEST" ? "Unused" : (identity?.Header ?? "Authorization"),
    in: "header",
    "x-amazon-apigateway-authtype": "custom",
    "x-amazon-apigateway-authorizer": lambdaAuthorizer,
  };
}

function requestIdentitySource(identity: JsonObject | undefined): string {
  if (identity === undefined) return "";
  return identitySources(identity, [
    ["Headers", "method.request.header."],
    ["QueryStrings", "method.request.querystring."],
    ["StageVariables", "stageVariables."],
    ["Context", "context."],
  ]).join(", ");
}

const GATEWAY_RESPONSE_PROPERTIES = ["ResponseParameters", "ResponseTemplates", "StatusCode"];

/** GatewayResponses → the `x-amazon-apigateway-gateway-responses` extension (SAM's ApiGatewayResponse). */
function addGatewayResponses(
  logicalId: string,
  body: JsonObject | undefined,
  gatewayResponses: unknown,
): void {
  if (!isObject(gatewayResponses) || Object.keys(gatewayResponses).length === 0) return;
  if (body === undefined) {
    throw invalidResource(
      logicalId,
      "GatewayResponses works only with inline Swagger specified in 'DefinitionBody' property.",
    );
  }
  for (const [type, response] of Object.entries(gatewayResponses)) {
    if (isIntrinsic(response)) {
      throw invalidResource(
        logicalId,
        "Unable to set GatewayResponses attribute because intrinsic functions are not supported for this field.",
      );
    }
    if (!isObject(response)) {
      const pythonType = Array.isArray(response)
        ? "list"
        : typeof response === "string"
          ? "str"
          : typeof response;
      throw invalidResource(
        logicalId,
        `Invalid property type '${pythonType}' for GatewayResponses. Expected an object of type 'GatewayResponse'.`,
      );
    }
    for (const key of Object.keys(response)) {
      if (!GATEWAY_RESPONSE_PROPERTIES.includes(key)) {
        throw invalidResource(
          logicalId,
          `Invalid property '${key}' in 'GatewayResponses' property '${type}'.`,
        );
      }
    }
  }
  const responses: JsonObject = isObject(body["x-amazon-apigateway-gateway-responses"])
    ? body["x-amazon-apigateway-gateway-responses"]
    : {};
  for (const [type, response] of Object.entries(gatewayResponses) as [string, JsonObject][]) {
    const parameters = isObject(response.ResponseParameters) ? response.ResponseParameters : {};
    for (const key of Object.keys(parameters)) {
      if (!["Headers", "Paths", "QueryStrings"].includes(key)) {
        throw invalidResource(logicalId, `Invalid gateway response parameter '${key}'`);
      }
    }
    const statusCode =
      response.StatusCode === undefined || response.StatusCode === null
        ? undefined
        : String(response.StatusCode);
    if (statusCode !== undefined && response.StatusCode && !/^[0-9]{1,3}$/.test(statusCode)) {
      throw invalidResource(logicalId, "Property 'StatusCode' must be numeric");
    }
    const prefixed: JsonObject = {};
    for (const [property, prefix] of [
      ["Headers", "header."],
      ["Paths", "path."],
      ["QueryStrings", "querystring."],
    ] as const) {
      const values = isObject(parameters[property]) ? parameters[property] : {};
      for (const [key, value] of Object.entries(values)) prefixed[`gatewayresponse.${prefix}${key}`] = value;
    }
    const swagger: JsonObject = {
      responseParameters: prefixed,
      responseTemplates: response.ResponseTemplates || {},
    };
    if (statusCode) swagger.statusCode = statusCode;
    responses[type] = swagger;
  }
  body["x-amazon-apigateway-gateway-responses"] = responses;
}

/** Models → swagger `definitions`, named in lower case (SwaggerEditor.add_models). */
function addModels(logicalId: string, body: JsonObject, models: unknown): void {
  if (!isObject(models) || Object.keys(models).length === 0) return;
  if (!Object.values(models).every(isObject))
    throw invalidResource(logicalId, "Invalid value for 'Models' property");
  const definitions: JsonObject = isObject(body.definitions) ? body.definitions : {};
  for (const [name, schema] of Object.entries(models) as [string, JsonObject][]) {
    if (!schema.type) throw invalidTemplate("'Models' schema is missing 'type'.");
    definitions[name.toLowerCase()] = schema;
  }
  body.definitions = definitions;
}

/** DisableExecuteApiEndpoint: in `servers` for an OpenAPI 3 body, at the top level of a swagger 2 one. */
function disableExecuteApiEndpoint(body: JsonObject, value: unknown): void {
  const key = "x-amazon-apigateway-endpoint-configuration";
  const place = (holder: JsonObject) => {
    const configuration = isObject(holder[key]) ? holder[key] : {};
    configuration.disableExecuteApiEndpoint = value;
    holder[key] = configuration;
  };
  if (typeof body.openapi === "string" && OPENAPI_3.test(body.openapi)) {
    const servers = Array.isArray(body.servers) ? (body.servers as JsonObject[]) : [{}];
    for (const server of servers) place(server);
    body.servers = servers;
  } else {
    place(body);
  }
}

/** OpenApiVersion 3.x: securityDefinitions/definitions move under components, OPTIONS headers get a schema. */
function openApi3PostProcess(body: JsonObject, openApiVersion: string | undefined): JsonObject {
  if (body.swagger !== undefined) return body;
  const version =
    typeof body.openapi === "string" && openApiVersion === undefined ? body.openapi : openApiVersion;
  if (typeof version !== "string" || !OPENAPI_3.test(version)) return body;
  if (isObject(body.securityDefinitions) && Object.keys(body.securityDefinitions).length > 0) {
    body.components = {
      ...(isObject(body.components) ? body.components : {}),
      securitySchemes: body.securityDefinitions,
    };
    delete body.securityDefinitions;
  }
  if (isObject(body.definitions) && Object.keys(body.definitions).length > 0) {
    body.components = { ...(isObject(body.components) ? body.components : {}), schemas: body.definitions };
    delete body.definitions;
  }
  const paths = isObject(body.paths) ? body.paths : {};
  for (const pathItem of Object.values(paths)) {
    const options = isObject(pathItem) ? pathItem.options : undefined;
    if (!isObject(options)) continue;
    delete options.produces;
    delete options.consumes;
    const responses = isObject(options.responses) ? options.responses : undefined;
    const ok = responses !== undefined && isObject(responses["200"]) ? responses["200"] : undefined;
    if (ok !== undefined && isObject(ok.headers)) {
      for (const [header, value] of Object.entries(ok.headers)) ok.headers[header] = { schema: value };
    }
  }
  return body;
}
