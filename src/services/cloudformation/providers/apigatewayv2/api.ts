/**
 * AWS::ApiGatewayV2::Api. With `Body` or `BodyS3Location` (an OpenAPI 3 document: how SAM's
 * ServerlessHttpApi carries its routes): ImportApi, then the template's own members (Name, CORS,
 * Description...) through UpdateApi, as CloudFormation lays them over the document. Without: CreateApi,
 * including quick create (Target, RouteKey, CredentialsArn). Update: a changed document is ReimportApi;
 * other members UpdateApi (CORS dropped from the template: DeleteCorsConfiguration); tags by key.
 * ProtocolType is create-only. Ref is the API id; GetAtt ApiEndpoint and ApiId.
 */

import { completeOrUndo, ignoringNotFound } from "../apigateway/calls.ts";
import { bodyChanged, openApiText } from "../apigateway/openapi-body.ts";
import {
  optBool,
  optInt,
  optObject,
  optString,
  optStringList,
  type Properties,
} from "../apigateway/properties.ts";
import { apiGatewayArn, retag } from "../apigateway/tags.ts";
import { defined } from "../property-values.ts";
import type { ProviderContext, ProvisionedResource, ResourceProvider } from "../types.ts";

function corsOf(props: Readonly<Properties>): Properties | undefined {
  const cors = optObject(props as Properties, "CorsConfiguration");
  if (cors === undefined) return undefined;
  return defined({
    allowCredentials: optBool(cors, "AllowCredentials"),
    allowHeaders: optStringList(cors, "AllowHeaders"),
    allowMethods: optStringList(cors, "AllowMethods"),
    allowOrigins: optStringList(cors, "AllowOrigins"),
    exposeHeaders: optStringList(cors, "ExposeHeaders"),
    maxAge: optInt(cors, "MaxAge"),
  });
}

/** The members CreateApi and UpdateApi share. */
function apiMembers(props: Readonly<Properties>): Properties {
  const p = props as Properties;
  return defined({
    name: optString(p, "Name"),
    description: optString(p, "Description"),
    version: optString(p, "Version"),
    routeSelectionExpression: optString(p, "RouteSelectionExpression"),
    apiKeySelectionExpression: optString(p, "ApiKeySelectionExpression"),
    disableExecuteApiEndpoint: optBool(p, "DisableExecuteApiEndpoint"),
    disableSchemaValidation: optBool(p, "DisableSchemaValidation"),
    ipAddressType: optString(p, "IpAddressType"),
    corsConfiguration: corsOf(p),
  });
}

/** Tags are a plain map on this type (not CloudFormation's usual Key/Value list). */
function tagsOf(props: Readonly<Properties>): Record<string, string> | undefined {
  const tags = optObject(props as Properties, "Tags");
  if (tags === undefined) return undefined;
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(tags)) out[key] = String(value ?? "");
  return out;
}

/** Members that changed from `before` to `after`, as UpdateApi takes them. */
function changedMembers(before: Properties, after: Properties): Properties {
  const out: Properties = {};
  for (const [key, value] of Object.entries(after)) {
    if (JSON.stringify(before[key]) !== JSON.stringify(value)) out[key] = value;
  }
  return out;
}

function importQuery(props: Properties): Properties {
  return defined({
    failOnWarnings: optBool(props, "FailOnWarnings"),
    basepath: optString(props, "BasePath"),
  });
}

async function provisioned(context: ProviderContext, apiId: string): Promise<ProvisionedResource> {
  const api = await context.call.call("apigatewayv2", "GetApi", { apiId });
  return { physicalId: apiId, attributes: { ApiId: apiId, ApiEndpoint: api.apiEndpoint } };
}

export const apiProvider: ResourceProvider = {
  replaceOn: ["ProtocolType"],

  async create(context, props) {
    const members = apiMembers(props);
    const tags = tagsOf(props);
    const document = await openApiText(context, props, members.name as string | undefined);
    if (document === undefined) {
      const created = await context.call.call("apigatewayv2", "CreateApi", {
        ...members,
        protocolType: optString(props, "ProtocolType"),
        target: optString(props, "Target"),
        routeKey: optString(props, "RouteKey"),
        credentialsArn: optString(props, "CredentialsArn"),
        tags,
      });
      return {
        physicalId: String(created.apiId),
        attributes: { ApiId: created.apiId, ApiEndpoint: created.apiEndpoint },
      };
    }
    const imported = await context.call.call("apigatewayv2", "ImportApi", {
      ...importQuery(props),
      body: document,
    });
    const apiId = String(imported.apiId);
    return completeOrUndo(
      async () => {
        const update = changedMembers(imported, members);
        if (Object.keys(update).length > 0)
          await context.call.call("apigatewayv2", "UpdateApi", { apiId, ...update });
        if (tags !== undefined)
          await retag(context, "apigatewayv2", apiGatewayArn(context, `/apis/${apiId}`), {}, tags);
        return provisioned(context, apiId);
      },
      () => context.call.call("apigatewayv2", "DeleteApi", { apiId }),
    );
  },

  async update(context, current, props) {
    const apiId = current.physicalId;
    const before = apiMembers(current.properties);
    const after = apiMembers(props);
    // After a reimport the document has reset what it carries (CORS, description...): the template's
    // members are then compared with the API as it now is.
    let base: Properties = before;
    if (bodyChanged(current.properties, props)) {
      const document = await openApiText(context, props, after.name as string | undefined);
      if (document !== undefined) {
        base = await context.call.call("apigatewayv2", "ReimportApi", {
          apiId,
          ...importQuery(props),
          body: document,
        });
      }
    }
    const update = changedMembers(base, after);
    const quick = defined({
      target:
        optString(props, "Target") === optString(current.properties, "Target")
          ? undefined
          : optString(props, "Target"),
      routeKey:
        optString(props, "RouteKey") === optString(current.properties, "RouteKey")
          ? undefined
          : optString(props, "RouteKey"),
    });
    if (Object.keys(update).length + Object.keys(quick).length > 0) {
      await context.call.call("apigatewayv2", "UpdateApi", { apiId, ...update, ...quick });
    }
    if (before.corsConfiguration !== undefined && after.corsConfiguration === undefined) {
      await context.call.call("apigatewayv2", "DeleteCorsConfiguration", { apiId });
    }
    await retag(
      context,
      "apigatewayv2",
      apiGatewayArn(context, `/apis/${apiId}`),
      tagsOf(current.properties),
      tagsOf(props),
    );
    return provisioned(context, apiId);
  },

  async delete(context, current) {
    await ignoringNotFound(() =>
      context.call.call("apigatewayv2", "DeleteApi", { apiId: current.physicalId }),
    );
  },
};
