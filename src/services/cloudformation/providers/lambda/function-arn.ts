/**
 * Taking apart the Lambda ARNs providers keep as physical ids (a version's or an alias's ARN), to
 * name the function and qualifier in the calls that delete them.
 */

export interface QualifiedFunction {
  /** The function's name (ARN segment 7). */
  readonly name: string;
  /** The version or alias (ARN segment 8), if the ARN has one. */
  readonly qualifier?: string;
}

/** `arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]`; anything else is taken as a bare name. */
export function parseFunctionArn(arn: string): QualifiedFunction {
  const parts = arn.split(":");
  if (parts[0] !== "arn" || parts[5] !== "function" || parts[6] === undefined) return { name: arn };
  return parts[7] === undefined ? { name: parts[6] } : { name: parts[6], qualifier: parts[7] };
}
