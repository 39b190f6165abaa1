/**
 * The capabilities a template needs acknowledged, as CloudFormation demands them:
 * - CAPABILITY_IAM for IAM resources, CAPABILITY_NAMED_IAM when one of them has a custom name;
 * - CAPABILITY_AUTO_EXPAND for a template with a transform (SAM's) run straight by CreateStack or
 *   UpdateStack, but not through a change set, whose review stands for the acknowledgement.
 */
import type { Template } from "../template/types.ts";
import { insufficientCapabilities } from "./errors.ts";

/** IAM types and the property that names each (a custom name needs CAPABILITY_NAMED_IAM). */
const IAM_TYPES: Readonly<Record<string, string | undefined>> = {
  "AWS::IAM::AccessKey": undefined,
  "AWS::IAM::Group": "GroupName",
  "AWS::IAM::InstanceProfile": "InstanceProfileName",
  "AWS::IAM::ManagedPolicy": "ManagedPolicyName",
  "AWS::IAM::Policy": undefined,
  "AWS::IAM::Role": "RoleName",
  "AWS::IAM::User": "UserName",
  "AWS::IAM::UserToGroupAddition": undefined,
};

/** The IAM capability the (processed) template needs, if any. */
export function iamCapability(template: Template): "CAPABILITY_IAM" | "CAPABILITY_NAMED_IAM" | undefined {
  let needed: "CAPABILITY_IAM" | "CAPABILITY_NAMED_IAM" | undefined;
  for (const resource of Object.values(template.Resources ?? {})) {
    if (!Object.hasOwn(IAM_TYPES, resource.Type)) continue;
    const nameProperty = IAM_TYPES[resource.Type];
    if (nameProperty && resource.Properties?.[nameProperty] !== undefined) return "CAPABILITY_NAMED_IAM";
    needed = "CAPABILITY_IAM";
  }
  return needed;
}

/** Throws InsufficientCapabilitiesException unless `given` acknowledges what the transform needs. */
export function checkTransformCapability(usesTransform: boolean, given: readonly string[]): void {
  if (usesTransform && !given.includes("CAPABILITY_AUTO_EXPAND")) {
    throw insufficientCapabilities(["CAPABILITY_AUTO_EXPAND"]);
  }
}

/** Throws InsufficientCapabilitiesException unless `given` acknowledges the template's IAM resources. */
export function checkIamCapability(template: Template, given: readonly string[]): void {
  const needed = iamCapability(template);
  if (needed === undefined) return;
  if (
    needed === "CAPABILITY_IAM" &&
    (given.includes("CAPABILITY_IAM") || given.includes("CAPABILITY_NAMED_IAM"))
  ) {
    return;
  }
  if (needed === "CAPABILITY_NAMED_IAM" && given.includes("CAPABILITY_NAMED_IAM")) return;
  throw insufficientCapabilities([needed]);
}
