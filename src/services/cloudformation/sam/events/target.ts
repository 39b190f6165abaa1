/**
 * What an event source needs to know about the function it triggers: how to name it in a permission or
 * mapping (Ref of the function, or of its alias when AutoPublishAlias is set — SAM then points every
 * event at the alias), and the generated execution role it may add policies to.
 */
import type { TemplateResource } from "../../template/types.ts";
import type { JsonObject } from "../json.ts";

export interface GeneratedRole {
  readonly managedPolicyArns: unknown[];
  /** Inline policies: {PolicyName, PolicyDocument}. */
  readonly policies: JsonObject[];
}

export interface FunctionTarget {
  readonly functionId: string;
  /** The SAM resource (for its Condition and other passthrough attributes). */
  readonly resource: TemplateResource;
  /** Ref of the function, or of its alias. */
  readonly nameOrArn: JsonObject;
  /** What `Fn::Sub` writes for the invoke ARN: `${Fn.Arn}`, or `${FnAliasLive}` for an alias. */
  readonly arnSubExpression: string;
  /** The function's ARN as a value: GetAtt Fn.Arn, or Ref of the alias. */
  readonly arn: JsonObject;
  /** The role SAM generated for the function; undefined when the user gave Role. */
  readonly role: GeneratedRole | undefined;
}
