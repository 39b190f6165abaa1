/**
 * SAM's transform (AWS::Serverless-2016-10-31) as a pure function: the template in its JSON form in, a
 * plain CloudFormation template out, with every AWS::Serverless::* resource and Globals expanded into the
 * resources AWS's SAM translator generates — same logical ids, types and properties — so a user's Outputs
 * (`!GetAtt HelloFunction.Arn`, `${ServerlessRestApi}`, `!Ref HelloFunctionRole`) keep working.
 * Steps, in SAM's order: Globals validated; implicit APIs added for events that name none; Globals merged
 * into every SAM resource and its properties checked; API events' paths and the functions' conditions
 * put on the APIs (api-paths.ts); layers, functions (with their events), APIs and tables expanded;
 * references to renamed or SAM-generated resources rewritten; Globals and Transform removed.
 */
import type { Template, TemplateResource } from "../template/types.ts";
import { expandRestApi, registerRestApi } from "./api.ts";
import { prepareApiPaths } from "./api-paths.ts";
import { invalidResource, invalidTemplate } from "./errors.ts";
import { type Expansion, IMPLICIT_HTTP_API, IMPLICIT_REST_API } from "./expansion.ts";
import { expandFunction } from "./function.ts";
import { mergeGlobals, parseGlobals } from "./globals.ts";
import { expandHttpApi, registerHttpApi } from "./http-api.ts";
import { deepClone, isObject, type JsonObject } from "./json.ts";
import { expandLayerVersion } from "./layer.ts";
import { rewriteReferences } from "./references.ts";
import { checkProperties } from "./schema.ts";
import { expandSimpleTable } from "./simple-table.ts";

export const SAM_TRANSFORM = "AWS::Serverless-2016-10-31";

export interface SamContext {
  readonly region: string;
  readonly accountId: string;
  readonly partition: string;
  readonly stackName: string;
  /** Parameter values (after defaults and overrides), for the few places SAM resolves them itself. */
  readonly parameters: ReadonlyMap<string, unknown>;
}

/** Whether the template declares SAM's transform (Transform: a string or a list holding it). */
export function hasSamTransform(template: Template): boolean {
  const transform = template.Transform;
  return transform === SAM_TRANSFORM || (Array.isArray(transform) && transform.includes(SAM_TRANSFORM));
}

const SAM_PREFIX = "AWS::Serverless::";
const SUPPORTED_SAM_TYPES = new Set([
  "AWS::Serverless::Function",
  "AWS::Serverless::Api",
  "AWS::Serverless::HttpApi",
  "AWS::Serverless::SimpleTable",
  "AWS::Serverless::LayerVersion",
]);

/** The template with every AWS::Serverless::* resource and Globals expanded into plain CloudFormation. */
export function transformSam(template: Template, context: SamContext): Template {
  const input = deepClone(template);
  const globals = parseGlobals(input.Globals);
  if (!isObject(input.Resources) || Object.keys(input.Resources).length === 0) {
    throw invalidTemplate("'Resources' section is required");
  }
  const resources = input.Resources;
  if (!Object.values(resources).every(isObject)) {
    throw invalidTemplate(
      "All 'Resources' must be Objects. If you're using YAML, this may be an indentation issue.",
    );
  }
  for (const [logicalId, resource] of Object.entries(resources)) {
    // SAM's embedded connectors (a Connectors attribute on any resource) generate policies Stratus does not write yet.
    if ("Connectors" in resource)
      throw invalidResource(logicalId, "Stratus does not support SAM Connectors yet.");
    if (!isSamResource(resource)) continue;
    if (resource.Properties !== undefined && !isObject(resource.Properties)) {
      throw invalidResource(logicalId, "Attribute 'Properties' should be a map.");
    }
    if (!SUPPORTED_SAM_TYPES.has(resource.Type)) {
      throw invalidResource(logicalId, `Stratus does not support resource type '${resource.Type}' yet.`);
    }
  }
  addImplicitApis(resources);
  for (const resource of Object.values(resources)) {
    if (!isSamResource(resource)) continue;
    const section = resource.Type.slice(SAM_PREFIX.length);
    const merged = mergeGlobals(globals.get(section), (resource.Properties ?? {}) as JsonObject);
    if (globals.has(section) || resource.Properties !== undefined) resource.Properties = merged;
  }
  for (const [logicalId, resource] of Object.entries(resources)) {
    if (isSamResource(resource)) checkProperties(logicalId, resource.Type, resource.Properties);
  }

  // SAM resolves template parameters — and the pseudo parameters AWS::Region and AWS::Partition — in the
  // few places it reads values itself (CodeUri, AutoPublishAlias, the Version hash...).
  const samParameters = new Map(context.parameters);
  samParameters.set("AWS::Region", context.region);
  samParameters.set("AWS::Partition", context.partition);
  const expansion: Expansion = {
    context: { ...context, parameters: samParameters },
    resources,
    output: {},
    renamed: new Map(),
    samReferences: new Map(),
    restApis: new Map(),
    httpApis: new Map(),
    conditions: {},
  };
  const ofType = (type: string): [string, TemplateResource][] =>
    Object.entries(resources).filter(([, resource]) => resource.Type === type);
  for (const [logicalId, resource] of ofType("AWS::Serverless::Api"))
    registerRestApi(expansion, logicalId, resource);
  for (const [logicalId, resource] of ofType("AWS::Serverless::HttpApi"))
    registerHttpApi(expansion, logicalId, resource);
  prepareApiPaths(expansion);
  for (const [logicalId, resource] of ofType("AWS::Serverless::LayerVersion"))
    expandLayerVersion(expansion, logicalId, resource);
  for (const [logicalId, resource] of ofType("AWS::Serverless::Function"))
    expandFunction(expansion, logicalId, resource);
  for (const api of expansion.restApis.values()) expandRestApi(expansion, api);
  for (const api of expansion.httpApis.values()) expandHttpApi(expansion, api);
  for (const [logicalId, resource] of ofType("AWS::Serverless::SimpleTable"))
    expandSimpleTable(expansion, logicalId, resource);

  const outputResources: Record<string, TemplateResource> = {};
  for (const [logicalId, resource] of Object.entries(resources)) {
    if (!isSamResource(resource)) outputResources[logicalId] = resource;
  }
  for (const [logicalId, resource] of Object.entries(expansion.output)) {
    if (logicalId in outputResources) {
      throw invalidResource(
        logicalId,
        `Transforming resource with id [${logicalId}] attempts to create a new resource with id [${logicalId}] and type "${resource.Type}". A resource with that id already exists within this template. Please use a different id for that resource.`,
      );
    }
    outputResources[logicalId] = resource;
  }

  const output: Template = { ...input, Resources: outputResources };
  if (Object.keys(expansion.conditions).length > 0) {
    output.Conditions = { ...(output.Conditions ?? {}), ...expansion.conditions };
  }
  delete output.Globals;
  delete output.Transform;
  const rewrites = { renamed: expansion.renamed, samReferences: expansion.samReferences };
  output.Resources = rewriteReferences(output.Resources, rewrites) as Template["Resources"];
  if (output.Outputs !== undefined)
    output.Outputs = rewriteReferences(output.Outputs, rewrites) as Template["Outputs"];
  return output;
}

/** An AWS::Serverless::* resource; anything else (even without a Type) passes through for CloudFormation to judge. */
function isSamResource(resource: TemplateResource): boolean {
  return typeof resource.Type === "string" && resource.Type.startsWith(SAM_PREFIX);
}

/**
 * SAM's implicit APIs: an Api event without RestApiId goes to `ServerlessRestApi` (stage Prod), an
 * HttpApi event without ApiId to `ServerlessHttpApi`; both are SAM resources whose body SAM manages.
 */
function addImplicitApis(resources: Record<string, TemplateResource>): void {
  let needsRestApi = false;
  let needsHttpApi = false;
  for (const resource of Object.values(resources)) {
    if (resource.Type !== "AWS::Serverless::Function") continue;
    const events = resource.Properties?.Events;
    if (!isObject(events)) continue;
    for (const event of Object.values(events)) {
      if (!isObject(event)) continue;
      const properties = isObject(event.Properties) ? event.Properties : {};
      if (event.Type === "Api" && properties.RestApiId === undefined) needsRestApi = true;
      if (event.Type === "HttpApi" && properties.ApiId === undefined) needsHttpApi = true;
    }
  }
  if (needsRestApi && resources[IMPLICIT_REST_API] === undefined) {
    resources[IMPLICIT_REST_API] = { Type: "AWS::Serverless::Api", Properties: { StageName: "Prod" } };
  }
  if (needsHttpApi && resources[IMPLICIT_HTTP_API] === undefined) {
    resources[IMPLICIT_HTTP_API] = { Type: "AWS::Serverless::HttpApi", Properties: {} };
  }
}
