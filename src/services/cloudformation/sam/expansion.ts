/**
 * The state one SAM transform shares between its steps: the template's resources (after Globals), the
 * CloudFormation resources produced so far, the logical ids SAM renamed (layers), the `X.Alias`-style
 * references it can resolve, and the APIs whose OpenAPI document the functions' events fill in.
 */
import type { TemplateResource } from "../template/types.ts";
import type { JsonObject } from "./json.ts";
import type { SamContext } from "./transform.ts";

/** An AWS::Serverless::Api (explicit, or SAM's implicit ServerlessRestApi) while events add their paths. */
export interface RestApiState {
  readonly logicalId: string;
  readonly resource: TemplateResource;
  readonly properties: JsonObject;
  /** The swagger SAM generates and events fill in; undefined when the user gave DefinitionBody/Uri. */
  swagger: JsonObject | undefined;
}

/** An AWS::Serverless::HttpApi (explicit, or SAM's implicit ServerlessHttpApi). */
export interface HttpApiState {
  readonly logicalId: string;
  readonly resource: TemplateResource;
  readonly properties: JsonObject;
  /** The OpenAPI body events add their routes to: SAM's generated one, or a copy of DefinitionBody. */
  openApi: JsonObject | undefined;
  /** Whether SAM generated the body (then a route defined twice is an error). */
  readonly managed: boolean;
}

export interface Expansion {
  readonly context: SamContext;
  /** The input resources, Globals merged in; non-SAM resources may be edited (S3 notifications). */
  readonly resources: Record<string, TemplateResource>;
  /** The CloudFormation resources generated from SAM ones. */
  readonly output: Record<string, TemplateResource>;
  /** Old logical id → new one, for Ref/GetAtt/DependsOn rewriting (LayerVersion's hash suffix). */
  readonly renamed: Map<string, string>;
  /** `Fn.Alias`, `Fn.Version`, `Api.Stage`, `Api.Deployment` → the generated logical id. */
  readonly samReferences: Map<string, string>;
  readonly restApis: Map<string, RestApiState>;
  readonly httpApis: Map<string, HttpApiState>;
  /** Conditions SAM adds to the template (combined Fn::Or of functions' conditions). */
  readonly conditions: Record<string, unknown>;
}

export const IMPLICIT_REST_API = "ServerlessRestApi";
export const IMPLICIT_HTTP_API = "ServerlessHttpApi";

/** Resource attributes SAM copies from the SAM resource onto what it generates. */
export function passthroughAttributes(resource: TemplateResource): Partial<TemplateResource> {
  const attributes: Partial<TemplateResource> = {};
  if (resource.Condition !== undefined) attributes.Condition = resource.Condition;
  if (resource.DeletionPolicy !== undefined) attributes.DeletionPolicy = resource.DeletionPolicy;
  if (resource.UpdateReplacePolicy !== undefined)
    attributes.UpdateReplacePolicy = resource.UpdateReplacePolicy;
  return attributes;
}

/** Drops undefined members so the output carries only what was set (SAM omits unset properties). */
export function compact(properties: Record<string, unknown>): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(properties)) if (value !== undefined) out[key] = value;
  return out;
}
