/**
 * The checks IAM makes cheaply on names, paths and policy documents, with IAM's words: constraint
 * failures as one ValidationError ("1 validation error detected: Value 'x' at 'roleName' failed to
 * satisfy constraint: ..."), a document that is not JSON as MalformedPolicyDocument ("This policy
 * contains invalid Json"). Policy grammar (Statement, Effect, Action ...) is not checked: nothing
 * enforces these policies in Stratus.
 */
import { AwsError } from "../../../../aws/errors.ts";

const NAME = /^[\w+=,.@-]+$/;
const NAME_PATTERN = "[\\w+=,.@-]+";
const PATH = /^(\u002F)|(\u002F[\u0021-\u007E]+\u002F)$/;
const PATH_PATTERN = "(\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)";

export interface ConstraintCheck {
  readonly messages: string[];
}

function constraint(value: string, member: string, rule: string): string {
  return `Value '${value}' at '${member}' failed to satisfy constraint: ${rule}`;
}

/** An entity name (role, policy): 1..max characters of [\w+=,.@-]. */
export function checkName(check: ConstraintCheck, value: string, member: string, max: number): void {
  if (value.length > max) {
    check.messages.push(constraint(value, member, `Member must have length less than or equal to ${max}`));
  }
  if (value.length < 1) {
    check.messages.push(constraint(value, member, "Member must have length greater than or equal to 1"));
  }
  if (!NAME.test(value)) {
    check.messages.push(
      constraint(value, member, `Member must satisfy regular expression pattern: ${NAME_PATTERN}`),
    );
  }
}

/** A path: `/` or `/.../`, at most 512 characters. */
export function checkPath(check: ConstraintCheck, value: string): void {
  if (value.length > 512) {
    check.messages.push(constraint(value, "path", "Member must have length less than or equal to 512"));
  }
  if (!PATH.test(value) || !value.startsWith("/") || !value.endsWith("/")) {
    check.messages.push(
      constraint(value, "path", `Member must satisfy regular expression pattern: ${PATH_PATTERN}`),
    );
  }
}

export function checkRange(
  check: ConstraintCheck,
  value: number,
  member: string,
  min: number,
  max: number,
): void {
  if (value < min) {
    check.messages.push(
      constraint(String(value), member, `Member must have value greater than or equal to ${min}`),
    );
  }
  if (value > max) {
    check.messages.push(
      constraint(String(value), member, `Member must have value less than or equal to ${max}`),
    );
  }
}

/** IAM's aggregated ValidationError for the collected constraint failures, if any. */
export function throwIfInvalid(check: ConstraintCheck): void {
  const count = check.messages.length;
  if (count === 0) return;
  throw new AwsError(
    "ValidationError",
    `${count} validation error${count === 1 ? "" : "s"} detected: ${check.messages.join("; ")}`,
    400,
  );
}

/** A policy document given as a JSON object or as JSON text, as the object it is. */
export function policyDocument(value: unknown): Record<string, unknown> {
  if (typeof value === "string") {
    try {
      const parsed: unknown = JSON.parse(value);
      if (parsed !== null && typeof parsed === "object" && !Array.isArray(parsed)) {
        return parsed as Record<string, unknown>;
      }
    } catch {
      // Falls through to IAM's error below.
    }
    throw malformedPolicy();
  }
  if (value !== null && typeof value === "object" && !Array.isArray(value))
    return value as Record<string, unknown>;
  throw malformedPolicy();
}

function malformedPolicy(): AwsError {
  return new AwsError("MalformedPolicyDocument", "This policy contains invalid Json", 400);
}
