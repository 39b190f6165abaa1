/**
 * What SAM's implicit API plugins do before any resource is translated: every Api/HttpApi event's path
 * and method is added (empty) to the body of the API SAM manages, and the functions' Conditions and
 * DeletionPolicy/UpdateReplacePolicy are carried over — onto the implicit API when all (or any, for the
 * policies) of its methods have them, and onto a path whose methods all belong to conditional functions
 * (wrapped in Fn::If; several conditions are combined into `<Api><Path>PathCondition`).
 */
import type { TemplateResource } from "../template/types.ts";
import { invalidEvent } from "./errors.ts";
import { type Expansion, IMPLICIT_HTTP_API, IMPLICIT_REST_API } from "./expansion.ts";
import { conditionalContents, isObject, type JsonObject, makeConditional } from "./json.ts";

interface ApiEventSite {
  readonly apiId: string;
  readonly path: string;
  readonly methodKey: string;
  readonly condition: string | undefined;
  readonly deletionPolicy: string | undefined;
  readonly updateReplacePolicy: string | undefined;
}

export function prepareApiPaths(expansion: Expansion): void {
  const sites = { Api: [] as ApiEventSite[], HttpApi: [] as ApiEventSite[] };
  for (const [functionId, resource] of Object.entries(expansion.resources)) {
    if (resource.Type !== "AWS::Serverless::Function") continue;
    const events = resource.Properties?.Events;
    if (!isObject(events)) continue;
    for (const [eventId, event] of Object.entries(events)) {
      if (!isObject(event) || (event.Type !== "Api" && event.Type !== "HttpApi")) continue;
      const properties = event.Properties;
      if (!isObject(properties) || Object.keys(properties).length === 0) continue;
      const site = eventSite(functionId, eventId, event.Type, properties, resource, expansion.resources);
      if (site !== undefined) sites[event.Type].push(site);
    }
  }
  applySites(expansion, sites.Api, IMPLICIT_REST_API, (apiId) => expansion.restApis.get(apiId)?.swagger);
  applySites(expansion, sites.HttpApi, IMPLICIT_HTTP_API, (apiId) => {
    const api = expansion.httpApis.get(apiId);
    return api?.managed ? api.openApi : undefined;
  });
}

function eventSite(
  functionId: string,
  eventId: string,
  type: "Api" | "HttpApi",
  properties: JsonObject,
  resource: TemplateResource,
  resources: Record<string, TemplateResource>,
): ApiEventSite | undefined {
  const idProperty = type === "Api" ? "RestApiId" : "ApiId";
  const rawApiId = properties[idProperty] ?? { Ref: type === "Api" ? IMPLICIT_REST_API : IMPLICIT_HTTP_API };
  const apiId = isObject(rawApiId) && typeof rawApiId.Ref === "string" ? rawApiId.Ref : rawApiId;
  let path = properties.Path;
  let method = properties.Method;
  if (type === "HttpApi" && path === undefined && method === undefined) {
    path = "$default";
    method = "x-amazon-apigateway-any-method";
  }
  if (path === undefined) throw invalidEvent(functionId, eventId, "Property 'Path' is required.");
  if (method === undefined) throw invalidEvent(functionId, eventId, "Property 'Method' is required.");
  if (typeof apiId !== "string")
    throw invalidEvent(functionId, eventId, `Property '${idProperty}' should be a string.`);
  const api = resources[apiId];
  if (api === undefined || (type === "Api" && api.Type === "AWS::Serverless::HttpApi")) {
    const expected = type === "Api" ? "AWS::Serverless::Api" : "AWS::Serverless::HttpApi";
    throw invalidEvent(
      functionId,
      eventId,
      `${idProperty} must be a valid reference to an '${expected}' resource in same template.`,
    );
  }
  if (typeof path !== "string" || typeof method !== "string") return undefined;
  const lower = method.toLowerCase();
  return {
    apiId,
    path,
    methodKey: lower === "any" ? "x-amazon-apigateway-any-method" : lower,
    condition: resource.Condition,
    deletionPolicy: resource.DeletionPolicy,
    updateReplacePolicy: resource.UpdateReplacePolicy,
  };
}

function applySites(
  expansion: Expansion,
  sites: ApiEventSite[],
  implicitId: string,
  managedBody: (apiId: string) => JsonObject | undefined,
): void {
  for (const site of sites) {
    const body = managedBody(site.apiId);
    if (body === undefined) continue;
    const paths = body.paths as JsonObject;
    paths[site.path] ??= {};
    for (const pathItem of conditionalContents(paths[site.path])) pathItem[site.methodKey] ??= {};
  }

  const implicitSites = sites.filter((site) => site.apiId === implicitId);
  const implicit = expansion.resources[implicitId];
  if (implicit !== undefined && implicitSites.length > 0) {
    const conditions = new Set(implicitSites.map((site) => site.condition));
    if (!conditions.has(undefined))
      implicit.Condition = combine(expansion, `${implicitId}Condition`, conditions as Set<string>);
    const deletion = implicitSites.map((site) => site.deletionPolicy);
    if (deletion.includes("Retain")) implicit.DeletionPolicy = "Retain";
    else if (deletion.includes("Delete")) implicit.DeletionPolicy = "Delete";
    const replace = implicitSites.map((site) => site.updateReplacePolicy);
    if (replace.includes("Retain")) implicit.UpdateReplacePolicy = "Retain";
    else if (replace.includes("Snapshot")) implicit.UpdateReplacePolicy = "Snapshot";
    else if (replace.includes("Delete")) implicit.UpdateReplacePolicy = "Delete";
  }

  const byApiAndPath = new Map<string, Map<string, Map<string, string | undefined>>>();
  for (const site of sites) {
    if (managedBody(site.apiId) === undefined) continue;
    const byPath = byApiAndPath.get(site.apiId) ?? new Map<string, Map<string, string | undefined>>();
    byApiAndPath.set(site.apiId, byPath);
    const byMethod = byPath.get(site.path) ?? new Map<string, string | undefined>();
    byPath.set(site.path, byMethod);
    byMethod.set(site.methodKey, site.condition);
  }
  for (const [apiId, byPath] of byApiAndPath) {
    const paths = (managedBody(apiId) as JsonObject).paths as JsonObject;
    for (const [path, byMethod] of byPath) {
      const conditions = new Set(byMethod.values());
      if (conditions.has(undefined)) continue;
      const pathCondition = `${apiId}${path.replace(/\//g, "SLASH").replace(/{/g, "OB").replace(/}/g, "CB")}PathCondition`;
      paths[path] = makeConditional(
        combine(expansion, pathCondition, conditions as Set<string>),
        paths[path],
      );
    }
  }
}

/**
 * One condition as is; several become SAM's make_combined_condition: Fn::Or of at most 10 conditions,
 * chained through numbered helper conditions when there are more.
 */
function combine(expansion: Expansion, name: string, conditions: Set<string>): string {
  if (conditions.size === 1) return [...conditions][0] as string;
  let pending = [...conditions].sort();
  let remaining = numberOfConditions(pending.length) - 1;
  while (pending.length > 1) {
    let conditionName = name;
    if (remaining > 0) {
      conditionName = `${name}${remaining}`;
      remaining -= 1;
    }
    expansion.conditions[conditionName] = {
      "Fn::Or": pending.slice(0, 10).map((condition) => ({ Condition: condition })),
    };
    pending = [...pending.slice(10), conditionName];
  }
  return name;
}

/** SAM's calculate_number_of_conditions: how many Fn::Or (of 10) it takes to combine `count` conditions. */
function numberOfConditions(count: number): number {
  return Math.ceil((count - 1) / 9);
}
