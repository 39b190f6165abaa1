/**
 * The pseudo parameters of one stack (`AWS::Region`, `AWS::AccountId`, ...), and how `Ref` reads them.
 *
 * URLSuffix: Stratus keeps AWS's real value (`amazonaws.com`, `amazonaws.com.cn` in the China
 * partition) rather than a local host name. Templates build URLs such as
 * `https://${Api}.execute-api.${AWS::Region}.${AWS::URLSuffix}/Prod` for their Outputs; keeping the AWS
 * value means those outputs read exactly as they would on AWS (the caller maps them to Stratus's
 * endpoint where it needs a reachable URL), and nothing in a template changes meaning under Stratus.
 */
import type { PseudoParameters } from "./types.ts";

export interface PseudoInput {
  readonly region: string;
  readonly accountId: string;
  readonly stackName: string;
  readonly stackId: string;
  readonly notificationArns?: readonly string[];
}

/** `Ref: AWS::NoValue` — removes the property (or list element) that holds it. */
export const NO_VALUE = "AWS::NoValue";

/** Every name `Ref` accepts as a pseudo parameter. */
export const PSEUDO_PARAMETER_NAMES: ReadonlySet<string> = new Set([
  "AWS::AccountId",
  "AWS::NotificationARNs",
  NO_VALUE,
  "AWS::Partition",
  "AWS::Region",
  "AWS::StackId",
  "AWS::StackName",
  "AWS::URLSuffix",
]);

/** The partition a region belongs to (aws, aws-cn, aws-us-gov). */
export function partitionOf(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

export function pseudoParameters(input: PseudoInput): PseudoParameters {
  const partition = partitionOf(input.region);
  return {
    region: input.region,
    accountId: input.accountId,
    stackName: input.stackName,
    stackId: input.stackId,
    partition,
    urlSuffix: partition === "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com",
    notificationArns: input.notificationArns ?? [],
  };
}

/**
 * What `Ref` of a pseudo parameter gives, or undefined when `name` is not one. AWS::NoValue is not a
 * value: callers handle it before (resolve.ts drops the property).
 */
export function pseudoParameterValue(name: string, pseudo: PseudoParameters): unknown {
  switch (name) {
    case "AWS::AccountId":
      return pseudo.accountId;
    case "AWS::NotificationARNs":
      return [...pseudo.notificationArns];
    case "AWS::Partition":
      return pseudo.partition;
    case "AWS::Region":
      return pseudo.region;
    case "AWS::StackId":
      return pseudo.stackId;
    case "AWS::StackName":
      return pseudo.stackName;
    case "AWS::URLSuffix":
      return pseudo.urlSuffix;
    default:
      return undefined;
  }
}
