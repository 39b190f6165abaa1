/**
 * AWS::ApiGatewayV2::Authorizer (JWT with JwtConfiguration, REQUEST with a Lambda AuthorizerUri):
 * CreateAuthorizer; update in place through UpdateAuthorizer (ApiId is create-only). Ref is the
 * authorizer id; GetAtt AuthorizerId.
 */
import {
  optBool,
  optInt,
  optObject,
  optString,
  optStringList,
  type Properties,
  reqString,
} from "../apigateway/properties.ts";
import { defined } from "../property-values.ts";
import type { ResourceProvider } from "../types.ts";
import { apiChildProvider } from "./api-child.ts";

function authorizerMembers(props: Properties): Properties {
  const jwt = optObject(props, "JwtConfiguration");
  return defined({
    name: reqString(props, "Name"),
    authorizerType: reqString(props, "AuthorizerType"),
    authorizerUri: optString(props, "AuthorizerUri"),
    authorizerCredentialsArn: optString(props, "AuthorizerCredentialsArn"),
    authorizerPayloadFormatVersion: optString(props, "AuthorizerPayloadFormatVersion"),
    authorizerResultTtlInSeconds: optInt(props, "AuthorizerResultTtlInSeconds"),
    enableSimpleResponses: optBool(props, "EnableSimpleResponses"),
    identitySource: optStringList(props, "IdentitySource"),
    identityValidationExpression: optString(props, "IdentityValidationExpression"),
    jwtConfiguration:
      jwt === undefined
        ? undefined
        : defined({ audience: optStringList(jwt, "Audience"), issuer: optString(jwt, "Issuer") }),
  });
}

export const authorizerProvider: ResourceProvider = apiChildProvider({
  create: "CreateAuthorizer",
  update: "UpdateAuthorizer",
  delete: "DeleteAuthorizer",
  idMember: "authorizerId",
  idAttribute: "AuthorizerId",
  members: authorizerMembers,
});
