/**
 * What every Logs operation shares: model validation in CloudWatch Logs' words (its constraint
 * failures are InvalidParameterException, not coral's ValidationException), log group names from
 * `logGroupName` or `logGroupIdentifier` (a name or an ARN), ARNs, and opaque page tokens.
 */
import type { RequestContext } from "../../../aws/context.ts";
import { AwsError } from "../../../aws/errors.ts";
import { validateInput } from "../../../aws/validation/index.ts";
import { constraintsFailed, groupNameOrIdentifier, invalidNextToken } from "../errors.ts";

export type Json = Record<string, unknown>;

export function validate(operation: string, input: Json): void {
  try {
    validateInput("logs", operation, input);
  } catch (error) {
    if (error instanceof AwsError && error.code === "ValidationException") {
      throw constraintsFailed(error.message);
    }
    throw error;
  }
}

/** `logGroupName`, or the name inside `logGroupIdentifier` (a name or a log group ARN). */
export function groupNameOf(input: Json): string {
  const name = input.logGroupName as string | undefined;
  const identifier = input.logGroupIdentifier as string | undefined;
  if ((name === undefined) === (identifier === undefined)) throw groupNameOrIdentifier();
  if (name !== undefined) return name;
  const arn = /^arn:[^:]+:logs:[^:]*:[^:]*:log-group:([^:]+)(?::\*)?$/.exec(identifier as string);
  return arn ? (arn[1] as string) : (identifier as string);
}

export function groupArn(context: RequestContext, group: string): string {
  return `arn:aws:logs:${context.region}:${context.accountId}:log-group:${group}`;
}

export function streamArn(context: RequestContext, group: string, stream: string): string {
  return `${groupArn(context, group)}:log-stream:${stream}`;
}

/** An opaque page token over a small JSON value. */
export function encodeToken(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

export function decodeToken<T>(
  token: string | undefined,
  check: (value: unknown) => value is T,
): T | undefined {
  if (token === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
    if (check(value)) return value;
  } catch {
    // falls through to the error
  }
  throw invalidNextToken();
}

/** A 56-digit sequence token, as AWS's look (PutLogEvents' nextSequenceToken, uploadSequenceToken). */
export function sequenceToken(seq: number): string {
  return String(seq).padStart(56, "0");
}
