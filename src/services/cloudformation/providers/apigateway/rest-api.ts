/**
 * AWS::ApiGateway::RestApi. Without an OpenAPI document: CreateRestApi. With `Body` or
 * `BodyS3Location` (how SAM's ServerlessRestApi carries its routes): ImportRestApi, then the
 * template's own top-level properties (Name, Description, BinaryMediaTypes...) laid over what the
 * document set, as CloudFormation does. Update: a changed document is PutRestApi (Mode, default
 * overwrite); every other property goes through UpdateRestApi's patch operations, computed against
 * the API as it is. Ref is the API id; GetAtt RestApiId and RootResourceId.
 *
 * CloneFrom is refused: Stratus's CreateRestApi copies nothing, and an empty API must not pass for a
 * clone.
 */

import { defined } from "../property-values.ts";
import type { CurrentResource, ProviderContext, ProvisionedResource, ResourceProvider } from "../types.ts";
import { completeOrUndo, ignoringNotFound, listPatch, type PatchOperation } from "./calls.ts";
import { bodyChanged, openApiText } from "./openapi-body.ts";
import {
  optBool,
  optInt,
  optObject,
  optString,
  optStringList,
  optStringMap,
  type Properties,
  tagMap,
} from "./properties.ts";
import { apiGatewayArn, retag } from "./tags.ts";

type Api = Record<string, unknown>;

function policyText(props: Properties): string | undefined {
  const policy = props.Policy;
  if (policy === undefined || policy === null) return undefined;
  return typeof policy === "string" ? policy : JSON.stringify(policy);
}

function endpointConfiguration(props: Properties): Properties | undefined {
  const config = optObject(props, "EndpointConfiguration");
  if (config === undefined) return undefined;
  return defined({
    types: optStringList(config, "Types"),
    vpcEndpointIds: optStringList(config, "VpcEndpointIds"),
    ipAddressType: optString(config, "IpAddressType"),
  });
}

/** The top-level members as CreateRestApi takes them. */
function apiMembers(props: Properties): Properties {
  return defined({
    name: optString(props, "Name"),
    description: optString(props, "Description"),
    apiKeySource: optString(props, "ApiKeySourceType"),
    binaryMediaTypes: optStringList(props, "BinaryMediaTypes"),
    minimumCompressionSize: optInt(props, "MinimumCompressionSize"),
    disableExecuteApiEndpoint: optBool(props, "DisableExecuteApiEndpoint"),
    endpointConfiguration: endpointConfiguration(props),
    policy: policyText(props),
  });
}

/** Defaults a member returns to when the template stops setting it. */
const RESET: Record<string, string> = {
  description: "",
  apiKeySource: "HEADER",
  minimumCompressionSize: "",
  disableExecuteApiEndpoint: "false",
  policy: "",
};

/**
 * Patch operations bringing `api` (as GetRestApi answers) to the template's members. A member the
 * template does not set is left as the document made it, unless the previous template set it (then it
 * goes back to API Gateway's default).
 */
export function restApiPatch(api: Api, desired: Properties, previous: Properties): PatchOperation[] {
  const ops: PatchOperation[] = [];
  for (const key of ["name", "description", "apiKeySource", "minimumCompressionSize", "policy"]) {
    const want = desired[key];
    if (want !== undefined) {
      if (String(api[key] ?? "") !== String(want))
        ops.push({ op: "replace", path: `/${key}`, value: String(want) });
    } else if (previous[key] !== undefined && key in RESET) {
      ops.push({ op: "replace", path: `/${key}`, value: RESET[key] });
    }
  }
  const disable =
    desired.disableExecuteApiEndpoint ??
    (previous.disableExecuteApiEndpoint === undefined ? undefined : false);
  if (disable !== undefined && Boolean(api.disableExecuteApiEndpoint) !== disable) {
    ops.push({ op: "replace", path: "/disableExecuteApiEndpoint", value: String(disable) });
  }
  const types = desired.binaryMediaTypes as string[] | undefined;
  if (types !== undefined || previous.binaryMediaTypes !== undefined) {
    ops.push(...listPatch("/binaryMediaTypes", api.binaryMediaTypes as string[] | undefined, types ?? []));
  }
  const wanted = desired.endpointConfiguration as Properties | undefined;
  const current = (api.endpointConfiguration ?? {}) as Properties;
  const wantedType = (wanted?.types as string[] | undefined)?.[0];
  const currentType = (current.types as string[] | undefined)?.[0];
  if (wantedType !== undefined && currentType !== undefined && wantedType !== currentType) {
    ops.push({ op: "replace", path: `/endpointConfiguration/types/${currentType}`, value: wantedType });
  }
  const ipType = wanted?.ipAddressType as string | undefined;
  if (ipType !== undefined && ipType !== current.ipAddressType) {
    ops.push({ op: "replace", path: "/endpointConfiguration/ipAddressType", value: ipType });
  }
  return ops;
}

function parsed(body: unknown): Api {
  if (Buffer.isBuffer(body) || typeof body === "string") return JSON.parse(body.toString()) as Api;
  return (body ?? {}) as Api;
}

/** ImportRestApi/PutRestApi's query: failonwarnings, mode, and the template's `Parameters`. */
function importQuery(props: Properties, extra: Record<string, string>): Record<string, string> {
  const query: Record<string, string> = { ...(optStringMap(props, "Parameters") ?? {}), ...extra };
  const failOnWarnings = optBool(props, "FailOnWarnings");
  if (failOnWarnings !== undefined) query.failonwarnings = String(failOnWarnings);
  return query;
}

async function importApi(context: ProviderContext, props: Properties, document: string): Promise<Api> {
  const extra: Record<string, string> = {};
  const type = (endpointConfiguration(props)?.types as string[] | undefined)?.[0];
  if (type !== undefined) extra.endpointConfigurationTypes = type;
  const response = await context.call.callRaw("apigateway", "ImportRestApi", {
    method: "POST",
    query: importQuery(props, extra),
    headers: { "content-type": "application/json" },
    body: document,
  });
  return parsed(response.body);
}

async function putApi(context: ProviderContext, apiId: string, props: Properties, document: string) {
  const mode = optString(props, "Mode") ?? "overwrite";
  await context.call.callRaw("apigateway", "PutRestApi", {
    method: "PUT",
    pathParams: { restapi_id: apiId },
    query: importQuery(props, { mode }),
    headers: { "content-type": "application/json" },
    body: document,
  });
}

async function applyPatch(
  context: ProviderContext,
  apiId: string,
  desired: Properties,
  previous: Properties,
) {
  const api = await context.call.call("apigateway", "GetRestApi", { restApiId: apiId });
  const ops = restApiPatch(api, desired, previous);
  if (ops.length > 0)
    await context.call.call("apigateway", "UpdateRestApi", { restApiId: apiId, patchOperations: ops });
}

async function provisioned(context: ProviderContext, apiId: string): Promise<ProvisionedResource> {
  const api = await context.call.call("apigateway", "GetRestApi", { restApiId: apiId });
  return { physicalId: apiId, attributes: { RestApiId: apiId, RootResourceId: api.rootResourceId } };
}

export const restApiProvider: ResourceProvider = {
  async create(context, props) {
    if (optString(props, "CloneFrom") !== undefined) {
      // CreateRestApi accepts cloneFrom but Stratus copies nothing: an empty API would pass for a clone.
      throw new Error(
        "CloneFrom is not supported by Stratus: REST APIs are not cloned. Give the API a Body (OpenAPI) instead.",
      );
    }
    const members = apiMembers(props);
    const document = await openApiText(context, props, members.name as string | undefined);
    const tags = tagMap(props);
    if (document === undefined) {
      const api = await context.call.call("apigateway", "CreateRestApi", { ...members, tags });
      return {
        physicalId: String(api.id),
        attributes: { RestApiId: api.id, RootResourceId: api.rootResourceId },
      };
    }
    const imported = await importApi(context, props, document);
    const apiId = String(imported.id);
    return completeOrUndo(
      async () => {
        await applyPatch(context, apiId, members, {});
        if (tags !== undefined)
          await retag(context, "apigateway", apiGatewayArn(context, `/restapis/${apiId}`), {}, tags);
        return provisioned(context, apiId);
      },
      () => context.call.call("apigateway", "DeleteRestApi", { restApiId: apiId }),
    );
  },

  async update(context: ProviderContext, current: CurrentResource, props: Properties) {
    const apiId = current.physicalId;
    if (bodyChanged(current.properties, props)) {
      const document = await openApiText(context, props, optString(props, "Name"));
      if (document !== undefined) await putApi(context, apiId, props, document);
    }
    await applyPatch(context, apiId, apiMembers(props), apiMembers(current.properties));
    await retag(
      context,
      "apigateway",
      apiGatewayArn(context, `/restapis/${apiId}`),
      tagMap(current.properties),
      tagMap(props),
    );
    return provisioned(context, apiId);
  },

  async delete(context, current) {
    await ignoringNotFound(() =>
      context.call.call("apigateway", "DeleteRestApi", { restApiId: current.physicalId }),
    );
  },
};
