/**
 * AWS::ApiGatewayV2::Route: CreateRoute; update in place through UpdateRoute with the template's
 * members (ApiId is create-only). Ref is the route id; GetAtt RouteId.
 */
import {
  optBool,
  optObject,
  optString,
  optStringList,
  optStringMap,
  type Properties,
  reqString,
} from "../apigateway/properties.ts";
import { defined } from "../property-values.ts";
import type { ResourceProvider } from "../types.ts";
import { apiChildProvider } from "./api-child.ts";

/** RequestParameters {"route.request.querystring.x": {Required: true}} as the wire's {required}. */
function requestParameters(props: Properties): Properties | undefined {
  const map = optObject(props, "RequestParameters");
  if (map === undefined) return undefined;
  const out: Properties = {};
  for (const [key, value] of Object.entries(map)) {
    out[key] = defined({ required: optBool((value ?? {}) as Properties, "Required") });
  }
  return out;
}

function routeMembers(props: Properties): Properties {
  return defined({
    routeKey: reqString(props, "RouteKey"),
    target: optString(props, "Target"),
    authorizationType: optString(props, "AuthorizationType") ?? "NONE",
    authorizerId: optString(props, "AuthorizerId"),
    authorizationScopes: optStringList(props, "AuthorizationScopes"),
    apiKeyRequired: optBool(props, "ApiKeyRequired"),
    operationName: optString(props, "OperationName"),
    requestModels: optStringMap(props, "RequestModels"),
    requestParameters: requestParameters(props),
    modelSelectionExpression: optString(props, "ModelSelectionExpression"),
    routeResponseSelectionExpression: optString(props, "RouteResponseSelectionExpression"),
  });
}

export const routeProvider: ResourceProvider = apiChildProvider({
  create: "CreateRoute",
  update: "UpdateRoute",
  delete: "DeleteRoute",
  idMember: "routeId",
  idAttribute: "RouteId",
  members: routeMembers,
});
