/**
 * AWS::ApiGateway::Method: PutMethod, its MethodResponses (PutMethodResponse), its Integration
 * (PutIntegration) and that integration's IntegrationResponses (PutIntegrationResponse).
 *
 * Ref is a method id CloudFormation makes up (the docs' example: `mysta-metho-01234b567890example`),
 * since API Gateway gives methods none; the method itself is addressed by RestApiId, ResourceId and
 * HttpMethod (all create-only). An update rebuilds the method from the template (DeleteMethod, then
 * the same calls as create), so whatever the template no longer says is gone, as after AWS's update.
 *
 * PutIntegration goes through `callRaw`: its body's `httpMethod` is the integration's method while the
 * URI's `http_method` is the method's own, two members the in-process `call` cannot tell apart.
 */

import { defined } from "../property-values.ts";
import type { ProviderContext, ResourceProvider } from "../types.ts";
import { ignoringNotFound } from "./calls.ts";
import {
  optBool,
  optBoolMap,
  optInt,
  optList,
  optObject,
  optString,
  optStringList,
  optStringMap,
  type Properties,
  reqString,
} from "./properties.ts";

interface MethodAddress {
  restApiId: string;
  resourceId: string;
  httpMethod: string;
}

function addressOf(props: Readonly<Properties>): MethodAddress {
  return {
    restApiId: reqString(props, "RestApiId"),
    resourceId: reqString(props, "ResourceId"),
    httpMethod: reqString(props, "HttpMethod"),
  };
}

function objects(props: Properties, name: string): Properties[] {
  return (optList(props, name) ?? []).map((item) => {
    if (item === null || typeof item !== "object" || Array.isArray(item)) {
      throw new Error(`Properties validation failed: #/${name}: expected type: JSONObject`);
    }
    return item as Properties;
  });
}

async function putIntegration(context: ProviderContext, at: MethodAddress, integration: Properties) {
  const body = defined({
    type: reqString(integration, "Type"),
    httpMethod: optString(integration, "IntegrationHttpMethod"),
    uri: optString(integration, "Uri"),
    connectionType: optString(integration, "ConnectionType"),
    connectionId: optString(integration, "ConnectionId"),
    credentials: optString(integration, "Credentials"),
    requestParameters: optStringMap(integration, "RequestParameters"),
    requestTemplates: optStringMap(integration, "RequestTemplates"),
    passthroughBehavior: optString(integration, "PassthroughBehavior"),
    contentHandling: optString(integration, "ContentHandling"),
    timeoutInMillis: optInt(integration, "TimeoutInMillis"),
    cacheNamespace: optString(integration, "CacheNamespace"),
    cacheKeyParameters: optStringList(integration, "CacheKeyParameters"),
  });
  await context.call.callRaw("apigateway", "PutIntegration", {
    method: "PUT",
    pathParams: { restapi_id: at.restApiId, resource_id: at.resourceId, http_method: at.httpMethod },
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  for (const response of objects(integration, "IntegrationResponses")) {
    await context.call.call("apigateway", "PutIntegrationResponse", {
      ...at,
      statusCode: reqString(response, "StatusCode"),
      selectionPattern: optString(response, "SelectionPattern"),
      responseParameters: optStringMap(response, "ResponseParameters"),
      responseTemplates: optStringMap(response, "ResponseTemplates"),
      contentHandling: optString(response, "ContentHandling"),
    });
  }
}

async function putMethod(context: ProviderContext, props: Properties): Promise<void> {
  const at = addressOf(props);
  await context.call.call("apigateway", "PutMethod", {
    ...at,
    authorizationType: optString(props, "AuthorizationType") ?? "NONE",
    authorizerId: optString(props, "AuthorizerId"),
    apiKeyRequired: optBool(props, "ApiKeyRequired"),
    operationName: optString(props, "OperationName"),
    requestParameters: optBoolMap(props, "RequestParameters"),
    requestModels: optStringMap(props, "RequestModels"),
    requestValidatorId: optString(props, "RequestValidatorId"),
    authorizationScopes: optStringList(props, "AuthorizationScopes"),
  });
  try {
    for (const response of objects(props, "MethodResponses")) {
      await context.call.call("apigateway", "PutMethodResponse", {
        ...at,
        statusCode: reqString(response, "StatusCode"),
        responseParameters: optBoolMap(response, "ResponseParameters"),
        responseModels: optStringMap(response, "ResponseModels"),
      });
    }
    const integration = optObject(props, "Integration");
    if (integration !== undefined) await putIntegration(context, at, integration);
  } catch (error) {
    // A method half made (its integration refused) is not left behind: the operation failed.
    await deleteMethod(context, props).catch(() => {});
    throw error;
  }
}

async function deleteMethod(context: ProviderContext, props: Readonly<Properties>): Promise<void> {
  await ignoringNotFound(() => context.call.call("apigateway", "DeleteMethod", { ...addressOf(props) }));
}

export const methodProvider: ResourceProvider = {
  replaceOn: ["RestApiId", "ResourceId", "HttpMethod"],

  async create(context, props) {
    await putMethod(context, props);
    return { physicalId: context.physicalName({ maxLength: 64 }), attributes: {} };
  },

  async update(context, current, props) {
    await deleteMethod(context, current.properties);
    await putMethod(context, props);
    return { physicalId: current.physicalId, attributes: {} };
  },

  async delete(context, current) {
    await deleteMethod(context, current.properties);
  },
};
