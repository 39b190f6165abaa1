import type { Template } from "../template/types.ts";

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

/** The template with every AWS::Serverless::* resource and Globals expanded into plain CloudFormation. */
export function transformSam(_template: Template, _context: SamContext): Template {
  throw new Error("transformSam: not implemented yet");
}
