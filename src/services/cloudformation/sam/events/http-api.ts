/**
 * A function's `HttpApi` event: a route of an HTTP API (the implicit ServerlessHttpApi, or the
 * AWS::Serverless::HttpApi named by ApiId) integrated through aws_proxy with payload format 2.0, and the
 * AWS::Lambda::Permission `<Fn><Event>Permission`. Without Path and Method the event is the `$default`
 * route, as SAM's implicit HTTP API plugin makes it.
 */
import { invalidEvent } from "../errors.ts";
import { type Expansion, IMPLICIT_HTTP_API } from "../expansion.ts";
import { conditionalContents, fnSub, isObject, type JsonObject, ref } from "../json.ts";
import { hashedLogicalId } from "../logical-ids.ts";
import { conditional, swaggerMethodKey } from "./api.ts";
import { checkEventAuthorizer } from "./event-authorizer.ts";
import { apiInvokePermission, httpPermissionPath, permissionLogicalId } from "./paths.ts";
import type { FunctionTarget } from "./target.ts";

const DEFAULT_PATH = "$default";

export function expandHttpApiEvent(
  expansion: Expansion,
  target: FunctionTarget,
  eventId: string,
  properties: JsonObject,
): void {
  const path = typeof properties.Path === "string" ? properties.Path : DEFAULT_PATH;
  const rawMethod =
    typeof properties.Method === "string" ? properties.Method : "x-amazon-apigateway-any-method";
  const method = rawMethod.toLowerCase();
  const apiId = properties.ApiId ?? ref(IMPLICIT_HTTP_API);
  const apiLogicalId = isObject(apiId) && typeof apiId.Ref === "string" ? apiId.Ref : apiId;
  const api = typeof apiLogicalId === "string" ? expansion.httpApis.get(apiLogicalId) : undefined;

  let permissionPath = path.replace(/^(.+)\/$/, "$1");
  if (permissionPath === DEFAULT_PATH) permissionPath = "";
  permissionPath = httpPermissionPath(permissionPath);
  const isAny = method === "any" || method === "x-amazon-apigateway-any-method";
  const permissionMethod = isAny ? "*" : method.toUpperCase();
  const permissionId = permissionLogicalId(`${target.functionId}${eventId}`, "", hashedLogicalId);
  const coveredByDefaultRoute =
    path !== DEFAULT_PATH && defaultRouteIntegratesFunction(expansion, target, apiLogicalId, api?.openApi);
  if (!coveredByDefaultRoute)
    expansion.output[permissionId] = apiInvokePermission(
      target,
      // biome-ignore lint/suspicious/noTemplateCurlyInString: SAM writes the pseudo parameter for HTTP APIs.
      "${AWS::Partition}",
      apiId,
      `${permissionMethod}${permissionPath}`,
    );

  if (properties.RouteSettings !== undefined && api !== undefined)
    addRouteSettings(target, eventId, api.properties, path, rawMethod, properties.RouteSettings);
  const openApi = api?.openApi;
  if (api === undefined || openApi === undefined) return;
  const paths = openApi.paths as Record<string, Record<string, JsonObject>>;
  const methodKey = swaggerMethodKey(isAny ? "any" : method);
  paths[path] ??= {};
  const pathItem = (conditionalContents(paths[path])[0] ?? {}) as Record<string, JsonObject>;
  const existingContents = conditionalContents(pathItem[methodKey]);
  if (existingContents.some((existing) => "x-amazon-apigateway-integration" in existing)) {
    if (api.managed)
      throw invalidEvent(
        target.functionId,
        eventId,
        `API method '${method}' defined multiple times for path '${path}'.`,
      );
    return;
  }
  const condition = target.resource.Condition;
  const integration: JsonObject = {
    type: "aws_proxy",
    httpMethod: "POST",
    payloadFormatVersion: "2.0",
    uri: conditional(
      condition,
      fnSub(
        `arn:\${AWS::Partition}:apigateway:\${AWS::Region}:lambda:path/2015-03-31/functions/\${${target.arnSubExpression}}/invocations`,
      ),
    ),
  };
  const operation: JsonObject = existingContents[0] ?? {};
  operation["x-amazon-apigateway-integration"] = integration;
  if (path === DEFAULT_PATH && methodKey === "x-amazon-apigateway-any-method")
    operation.isDefaultRoute = true;
  operation.responses ??= {};
  pathItem[methodKey] = conditional(condition, operation);

  if (properties.Auth !== undefined)
    addRouteAuth(target, eventId, api.properties, operation, path, method, properties.Auth);
  if (properties.TimeoutInMillis !== undefined) integration.timeoutInMillis = properties.TimeoutInMillis;
  const pathParameters = [...path.matchAll(/{(.*?)}/g)].map((match) => match[1] as string);
  if (pathParameters.length > 0) {
    operation.parameters = pathParameters.map((name) => ({ name, in: "path", required: true }));
  }
  if (properties.PayloadFormatVersion !== undefined)
    integration.payloadFormatVersion = properties.PayloadFormatVersion;
}

/**
 * SAM gives a route no permission of its own when the API's `$default` route already integrates the same
 * function (its permission, `.../*`, covers every route). SAM decides by looking at the body while it
 * adds the function's events one by one, in an order set by Python 2.7 dict hashing; we decide on the
 * whole set: the function's own default-route event on that API, or a user body's `$default` route
 * whose integration URI names `${Function.Arn}`. Not for an aliased function (its URI has no `.Arn`).
 */
function defaultRouteIntegratesFunction(
  expansion: Expansion,
  target: FunctionTarget,
  apiLogicalId: unknown,
  body: JsonObject | undefined,
): boolean {
  if (target.arnSubExpression !== `${target.functionId}.Arn`) return false;
  const events = expansion.resources[target.functionId]?.Properties?.Events;
  const managed = typeof apiLogicalId === "string" && expansion.httpApis.get(apiLogicalId)?.managed === true;
  if (managed && isObject(events)) {
    return Object.values(events).some((event) => {
      if (!isObject(event) || event.Type !== "HttpApi") return false;
      const properties = isObject(event.Properties) ? event.Properties : {};
      const eventApi = properties.ApiId ?? ref(IMPLICIT_HTTP_API);
      const eventApiId = isObject(eventApi) && typeof eventApi.Ref === "string" ? eventApi.Ref : eventApi;
      const eventPath = typeof properties.Path === "string" ? properties.Path : DEFAULT_PATH;
      const eventMethod = typeof properties.Method === "string" ? properties.Method.toLowerCase() : "any";
      return (
        eventApiId === apiLogicalId &&
        eventPath === DEFAULT_PATH &&
        (eventMethod === "any" || eventMethod === "x-amazon-apigateway-any-method")
      );
    });
  }
  const userBody = body;
  const paths = isObject(userBody) && isObject(userBody.paths) ? userBody.paths : undefined;
  const defaultRoute =
    paths !== undefined && isObject(paths[DEFAULT_PATH])
      ? paths[DEFAULT_PATH]["x-amazon-apigateway-any-method"]
      : undefined;
  const integration = isObject(defaultRoute) ? defaultRoute["x-amazon-apigateway-integration"] : undefined;
  const uri = isObject(integration) ? integration.uri : undefined;
  const sub = isObject(uri) ? uri["Fn::Sub"] : undefined;
  const match = typeof sub === "string" ? /([A-Za-z0-9]+\.Arn)/.exec(sub) : null;
  return match !== null && match[1] === `${target.functionId}.Arn`;
}

/**
 * An event's RouteSettings are merged into its API's RouteSettings under the route key, `METHOD /path`
 * (just the path for the default any-method route), as SAM's implicit HTTP API plugin does.
 */
function addRouteSettings(
  target: FunctionTarget,
  eventId: string,
  apiProperties: JsonObject,
  path: string,
  method: string,
  settings: unknown,
): void {
  if (!isObject(settings))
    throw invalidEvent(target.functionId, eventId, "Property 'RouteSettings' should be a map.");
  const route = method === "x-amazon-apigateway-any-method" ? path : `${method.toUpperCase()} ${path}`;
  const routeSettings = isObject(apiProperties.RouteSettings) ? apiProperties.RouteSettings : {};
  routeSettings[route] = { ...(isObject(routeSettings[route]) ? routeSettings[route] : {}), ...settings };
  apiProperties.RouteSettings = routeSettings;
}

function addRouteAuth(
  target: FunctionTarget,
  eventId: string,
  apiProperties: JsonObject,
  operation: JsonObject,
  path: string,
  method: string,
  auth: unknown,
): void {
  if (!isObject(auth)) throw invalidEvent(target.functionId, eventId, "Property 'Auth' should be a map.");
  const apiAuth = isObject(apiProperties.Auth) ? apiProperties.Auth : {};
  let authorizer = auth.Authorizer;
  if (authorizer === undefined) {
    if (apiAuth.DefaultAuthorizer === undefined) {
      throw invalidEvent(
        target.functionId,
        eventId,
        "'Auth' section requires either an explicit 'Authorizer' set or a 'DefaultAuthorizer' configured on the HttpApi.",
      );
    }
    authorizer = apiAuth.DefaultAuthorizer;
  }
  if (typeof authorizer !== "string") return;
  checkEventAuthorizer(
    target,
    eventId,
    apiAuth,
    authorizer,
    apiAuth.EnableIamAuthorizer === true,
    path,
    method,
  );
  const authorizers = isObject(apiAuth.Authorizers) ? apiAuth.Authorizers : undefined;
  let scopes: unknown = [];
  if (authorizer !== "NONE" && authorizer !== "AWS_IAM") {
    const definition = authorizers?.[authorizer];
    const eventScopes =
      Array.isArray(auth.AuthorizationScopes) && auth.AuthorizationScopes.length > 0
        ? auth.AuthorizationScopes
        : undefined;
    const apiScopes = isObject(definition) ? definition.AuthorizationScopes : undefined;
    scopes = eventScopes ?? apiScopes ?? [];
  }
  const existing = Array.isArray(operation.security) ? operation.security : [];
  operation.security = [...existing, { [authorizer]: scopes }];
}
