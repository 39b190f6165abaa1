/**
 * AWS::ApiGatewayV2::Authorizer (JWT with JwtConfiguration, REQUEST with a Lambda AuthorizerUri):
 * CreateAuthorizer; update in place through UpdateAuthorizer (ApiId is create-only). Ref is the
 * authorizer id; GetAtt AuthorizerId.
 */
import { ignoringNotFound } from "../apigateway/calls.ts";
import {
  defined,
  optBool,
  optInt,
  optObject,
  optString,
  optStringList,
  type Properties,
  reqString,
} from "../apigateway/properties.ts";
import type { ResourceProvider } from "../types.ts";

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

export const authorizerProvider: ResourceProvider = {
  replaceOn: ["ApiId"],

  async create(context, props) {
    const created = await context.call.call("apigatewayv2", "CreateAuthorizer", {
      apiId: reqString(props, "ApiId"),
      ...authorizerMembers(props),
    });
    const id = String(created.authorizerId);
    return { physicalId: id, attributes: { AuthorizerId: id } };
  },

  async update(context, current, props) {
    await context.call.call("apigatewayv2", "UpdateAuthorizer", {
      apiId: reqString(props, "ApiId"),
      authorizerId: current.physicalId,
      ...authorizerMembers(props),
    });
    return { physicalId: current.physicalId, attributes: { AuthorizerId: current.physicalId } };
  },

  async delete(context, current) {
    const apiId = String(current.properties.ApiId ?? "");
    await ignoringNotFound(() =>
      context.call.call("apigatewayv2", "DeleteAuthorizer", { apiId, authorizerId: current.physicalId }),
    );
  },
};
