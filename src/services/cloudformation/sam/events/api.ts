/**
 * A function's `Api` event: a method of a REST API (the implicit ServerlessRestApi, or the
 * AWS::Serverless::Api named by RestApiId) integrated with the function through aws_proxy, and the
 * AWS::Lambda::Permission `<Fn><Event>Permission<Stage>` that lets API Gateway invoke it.
 */
import { invalidEvent, invalidResource } from "../errors.ts";
import { type Expansion, IMPLICIT_REST_API } from "../expansion.ts";
import {
  conditionalContents,
  fnSub,
  isIntrinsic,
  isObject,
  type JsonObject,
  makeConditional,
  ref,
} from "../json.ts";
import { hashedLogicalId } from "../logical-ids.ts";
import { checkEventAuthorizer } from "./event-authorizer.ts";
import { apiInvokePermission, permissionLogicalId, restPermissionPath } from "./paths.ts";
import type { FunctionTarget } from "./target.ts";

export function expandApiEvent(
  expansion: Expansion,
  target: FunctionTarget,
  eventId: string,
  properties: JsonObject,
): void {
  const { functionId } = target;
  const path = properties.Path;
  const rawMethod = properties.Method;
  if (path === undefined) throw invalidEvent(functionId, eventId, "Property 'Path' is required.");
  if (rawMethod === undefined) throw invalidEvent(functionId, eventId, "Property 'Method' is required.");
  if (typeof path !== "string")
    throw invalidEvent(functionId, eventId, "Property 'Path' should be a string.");
  if (typeof rawMethod !== "string")
    throw invalidEvent(functionId, eventId, "Property 'Method' should be a string.");
  const method = rawMethod.toLowerCase();

  const restApiId = properties.RestApiId ?? ref(IMPLICIT_REST_API);
  const apiLogicalId = isObject(restApiId) && typeof restApiId.Ref === "string" ? restApiId.Ref : restApiId;
  let stageSuffix = "Prod";
  if (properties.RestApiId !== undefined) {
    stageSuffix = "AllStages";
    if (typeof apiLogicalId === "string") {
      const apiResource = expansion.resources[apiLogicalId];
      if (!isObject(apiResource)) {
        throw invalidEvent(
          functionId,
          eventId,
          "RestApiId property of Api event must reference a valid resource in the same template.",
        );
      }
      const stageName = apiResource.Properties?.StageName;
      if (typeof stageName === "string") {
        if (stageName === "") throw invalidResource(apiLogicalId, "StageName cannot be empty.");
        stageSuffix = stageName;
      } else {
        stageSuffix = "Stage";
      }
    }
  }

  const permissionId = permissionLogicalId(`${functionId}${eventId}`, stageSuffix, hashedLogicalId);
  const permissionMethod = method === "any" ? "*" : method.toUpperCase();
  expansion.output[permissionId] = apiInvokePermission(
    target,
    expansion.context.partition,
    restApiId,
    `${permissionMethod}${restPermissionPath(path)}`,
  );

  const api = typeof apiLogicalId === "string" ? expansion.restApis.get(apiLogicalId) : undefined;
  if (api?.swagger === undefined) return;
  addLambdaIntegration(expansion, target, eventId, api.properties, api.swagger, path, method, properties);
}

/** The swagger method key: API Gateway's `x-amazon-apigateway-any-method` for ANY. */
export function swaggerMethodKey(method: string): string {
  return method === "any" ? "x-amazon-apigateway-any-method" : method;
}

function addLambdaIntegration(
  expansion: Expansion,
  target: FunctionTarget,
  eventId: string,
  apiProperties: JsonObject,
  swagger: JsonObject,
  path: string,
  method: string,
  event: JsonObject,
): void {
  const paths = swagger.paths as Record<string, JsonObject>;
  const methodKey = swaggerMethodKey(method);
  paths[path] ??= {};
  // The path item may be wrapped in Fn::If (api-paths.ts) and the method too (a conditional function).
  const pathItem = conditionalContents(paths[path])[0] ?? {};
  if (
    conditionalContents(pathItem[methodKey]).some((existing) => "x-amazon-apigateway-integration" in existing)
  ) {
    throw invalidEvent(
      target.functionId,
      eventId,
      `API method "${method}" defined multiple times for path "${path}".`,
    );
  }
  const condition = target.resource.Condition;
  const partition = expansion.context.partition;
  const streaming = event.ResponseTransferMode === "RESPONSE_STREAM";
  const integration: JsonObject = {
    type: "aws_proxy",
    httpMethod: "POST",
    uri: conditional(
      condition,
      fnSub(
        streaming
          ? `arn:${partition}:apigateway:\${AWS::Region}:lambda:path/2021-11-15/functions/\${${target.arnSubExpression}}/response-streaming-invocations`
          : `arn:${partition}:apigateway:\${AWS::Region}:lambda:path/2015-03-31/functions/\${${target.arnSubExpression}}/invocations`,
      ),
    ),
  };
  // Response streaming: Lambda's 2021-11-15 streaming invoke API, and API Gateway's STREAM transfer mode.
  if (streaming) integration.responseTransferMode = "STREAM";
  const auth = event.Auth;
  const apiAuth = isObject(apiProperties.Auth) ? apiProperties.Auth : undefined;
  const methodAuth = isObject(auth) ? auth : undefined;
  if (
    methodAuth?.Authorizer === "AWS_IAM" ||
    (apiAuth?.DefaultAuthorizer === "AWS_IAM" && methodAuth === undefined)
  ) {
    const credentials = integrationCredentials(partition, methodAuth, apiAuth);
    if (credentials !== "NONE") integration.credentials = credentials;
  }
  if (event.TimeoutInMillis !== undefined) integration.timeoutInMillis = event.TimeoutInMillis;
  const operation: JsonObject = isObject(pathItem[methodKey]) ? pathItem[methodKey] : {};
  operation["x-amazon-apigateway-integration"] = integration;
  operation.responses ??= {};
  pathItem[methodKey] = conditional(condition, operation);

  addAuth(target, eventId, apiAuth, swagger, operation, path, method, auth);
  if (event.RequestModel !== undefined) {
    addRequestModel(target, eventId, apiProperties, swagger, operation, path, method, event.RequestModel);
  }
  if (event.RequestParameters !== undefined) {
    addRequestParameters(target, eventId, operation, integration, event.RequestParameters);
  }
}

/** The value, or SAM's Fn::If on the function's condition around it. */
export function conditional(condition: string | undefined, value: JsonObject): JsonObject {
  return condition === undefined ? value : makeConditional(condition, value);
}

/**
 * RequestModel: the method's body parameter (swagger 2) or requestBody (OpenAPI 3) refers to one of the
 * API's Models; ValidateBody/ValidateParameters select one of SAM's named request validators.
 */
function addRequestModel(
  target: FunctionTarget,
  eventId: string,
  apiProperties: JsonObject,
  swagger: JsonObject,
  operation: JsonObject,
  path: string,
  method: string,
  requestModel: unknown,
): void {
  if (!isObject(requestModel))
    throw invalidEvent(target.functionId, eventId, "Property 'RequestModel' should be a map.");
  const model = requestModel.Model;
  if (!model) return;
  const fail = (reason: string) =>
    invalidEvent(
      target.functionId,
      eventId,
      `Unable to set RequestModel [${String(model)}] on API method [${method}] for path [${path}] ${reason}`,
    );
  const models = apiProperties.Models;
  if (!models) throw fail("because the related API does not define any Models.");
  if (!isIntrinsic(models) && !isObject(models))
    throw fail("because the related API Models defined is of invalid type.");
  if (typeof model !== "string") throw fail("because the related API does not contain valid Models.");
  if (!isObject(models) || !models[model]) throw fail("because it wasn't defined in the API's Models.");

  const name = model.toLowerCase();
  const required = requestModel.Required;
  if (swagger.swagger !== undefined) {
    const parameter: JsonObject = { in: "body", name, schema: { $ref: `#/definitions/${name}` } };
    if (required !== undefined) parameter.required = required;
    operation.parameters = [...(Array.isArray(operation.parameters) ? operation.parameters : []), parameter];
  } else if (typeof swagger.openapi === "string" && /^3(\.\d)(\.\d)?$/.test(swagger.openapi)) {
    const requestBody: JsonObject = {
      content: { "application/json": { schema: { $ref: `#/components/schemas/${name}` } } },
    };
    if (required !== undefined) requestBody.required = required;
    operation.requestBody = requestBody;
  }

  let validateBody = requestModel.ValidateBody;
  let validateParameters = requestModel.ValidateParameters;
  if (validateBody === undefined && validateParameters === undefined) return;
  validateBody ??= false;
  validateParameters ??= false;
  if (typeof validateBody !== "boolean" || typeof validateParameters !== "boolean") {
    throw invalidEvent(
      target.functionId,
      eventId,
      `Unable to set Validator to RequestModel [${model}] on API method [${method}] for path [${path}] ValidateBody and ValidateParameters must be a boolean type, strings or intrinsics are not supported.`,
    );
  }
  const validator =
    validateBody && validateParameters
      ? "body-and-params"
      : validateBody
        ? "body-only"
        : validateParameters
          ? "params-only"
          : "no-validation";
  const validators: JsonObject = isObject(swagger["x-amazon-apigateway-request-validators"])
    ? swagger["x-amazon-apigateway-request-validators"]
    : {};
  validators[validator] ??= {
    validateRequestBody: validateBody,
    validateRequestParameters: validateParameters,
  };
  swagger["x-amazon-apigateway-request-validators"] = validators;
  operation["x-amazon-apigateway-request-validator"] = validator;
}

/** The event's Auth: its authorizer and API key requirement on the method (SAM's add_auth_to_swagger). */
function addAuth(
  target: FunctionTarget,
  eventId: string,
  apiAuth: JsonObject | undefined,
  swagger: JsonObject,
  operation: JsonObject,
  path: string,
  method: string,
  auth: unknown,
): void {
  if (auth === undefined) return;
  if (!isObject(auth)) throw invalidEvent(target.functionId, eventId, "Property 'Auth' should be a map.");
  const authorizer = auth.Authorizer;
  if (typeof authorizer === "string") {
    checkEventAuthorizer(target, eventId, apiAuth, authorizer, true, path, method);
    const authorizers = isObject(apiAuth?.Authorizers) ? apiAuth.Authorizers : undefined;
    let scopes: unknown = [];
    const definition = authorizer !== "NONE" ? authorizers?.[authorizer] : undefined;
    if (isObject(definition)) {
      const chosen =
        auth.AuthorizationScopes !== undefined ? auth.AuthorizationScopes : definition.AuthorizationScopes;
      if (chosen !== undefined) scopes = chosen;
    }
    const existing = Array.isArray(operation.security) ? operation.security : [];
    operation.security = [...existing, { [authorizer]: scopes }];
    if (authorizer === "AWS_IAM") {
      const definitions = isObject(swagger.securityDefinitions) ? swagger.securityDefinitions : {};
      definitions.AWS_IAM ??= {
        "x-amazon-apigateway-authtype": "awsSigv4",
        type: "apiKey",
        name: "Authorization",
        in: "header",
      };
      swagger.securityDefinitions = definitions;
    }
  }
  const apiKeyRequired = auth.ApiKeyRequired;
  if (apiKeyRequired !== undefined && apiKeyRequired !== null) {
    if (!apiKeyRequired && apiAuth?.ApiKeyRequired !== true) {
      throw invalidEvent(
        target.functionId,
        eventId,
        `Unable to set ApiKeyRequired [False] on API method [${method}] for path [${path}] because the related API does not specify any ApiKeyRequired.`,
      );
    }
    // `api_key_false` marks a method the API-wide ApiKeyRequired must leave alone; api.ts removes it.
    const marker = apiKeyRequired ? "api_key" : "api_key_false";
    if (apiKeyRequired) {
      swagger.securityDefinitions = {
        ...(isObject(swagger.securityDefinitions) ? swagger.securityDefinitions : {}),
        api_key: { type: "apiKey", name: "x-api-key", in: "header" },
      };
    }
    const existing = Array.isArray(operation.security) ? operation.security : [];
    operation.security = [...existing, { [marker]: [] }];
  }
}

/**
 * IAM-authorised methods call the function with the caller's credentials unless an InvokeRole is given
 * (SwaggerEditor._generate_integration_credentials): `InvokeRole: CALLER_CREDENTIALS` or none means
 * `arn:<partition>:iam::*:user/*`; an InvokeRole present but empty means NONE.
 */
function integrationCredentials(
  partition: string,
  methodAuth: JsonObject | undefined,
  apiAuth: JsonObject | undefined,
): unknown {
  const roleOf = (auth: JsonObject | undefined): unknown => {
    if (auth === undefined || !("InvokeRole" in auth)) return undefined;
    return auth.InvokeRole || "NONE";
  };
  const role = roleOf(methodAuth) || roleOf(apiAuth);
  return role && role !== "CALLER_CREDENTIALS" ? role : `arn:${partition}:iam::*:user/*`;
}

const REQUEST_PARAMETER_NAME = /^method\.request\.(querystring|path|header)\./;
const REQUEST_PARAMETER_KEYS_ERROR =
  "Invalid value for 'RequestParameters' property. Keys must be in the format 'method.request.[querystring|path|header].{value}', e.g 'method.request.header.Authorization'.";

/**
 * RequestParameters: each `method.request.<where>.<name>` (a string, or a one-key map of {Required,
 * Caching}) becomes a swagger parameter; cached ones are listed in the integration's cacheKeyParameters.
 */
function addRequestParameters(
  target: FunctionTarget,
  eventId: string,
  operation: JsonObject,
  integration: JsonObject,
  requestParameters: unknown,
): void {
  const fail = (reason: string) => invalidEvent(target.functionId, eventId, reason);
  if (!Array.isArray(requestParameters)) throw fail("Property 'RequestParameters' should be a list.");
  const parameters = Array.isArray(operation.parameters) ? operation.parameters : [];
  for (const entry of requestParameters) {
    let name: string;
    let settings: JsonObject = { Required: false, Caching: false };
    if (isObject(entry)) {
      const [first] = Object.entries(entry);
      if (first === undefined) throw fail(REQUEST_PARAMETER_KEYS_ERROR);
      const [key, value] = first;
      if (!REQUEST_PARAMETER_NAME.test(key)) throw fail(REQUEST_PARAMETER_KEYS_ERROR);
      if (!isObject(value) || !Object.keys(value).every((k) => k === "Required" || k === "Caching")) {
        throw fail(
          "Invalid value for 'RequestParameters' property. Values must be an object, e.g { Required: true, Caching: false }",
        );
      }
      name = key;
      settings = { ...settings, ...value };
    } else if (typeof entry === "string") {
      if (!REQUEST_PARAMETER_NAME.test(entry)) throw fail(REQUEST_PARAMETER_KEYS_ERROR);
      name = entry;
    } else {
      throw fail(
        "Invalid value for 'RequestParameters' property. Property must be either a string or an object",
      );
    }
    const locationName = name.replace("method.request.", "");
    const dot = locationName.indexOf(".");
    const location = locationName.slice(0, dot);
    parameters.push({
      in: location === "querystring" ? "query" : location,
      name: locationName.slice(dot + 1),
      required: settings.Required,
      type: "string",
    });
    if (settings.Caching) {
      const cacheKeys = Array.isArray(integration.cacheKeyParameters) ? integration.cacheKeyParameters : [];
      integration.cacheKeyParameters = [...cacheKeys, name];
    }
  }
  operation.parameters = parameters;
}
