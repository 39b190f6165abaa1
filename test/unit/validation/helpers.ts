// Shared assertions for the validation tests: run validateInput on DynamoDB and compare the AwsError
// it throws with AWS's recorded answer, word for word.
import assert from "node:assert/strict";
import { AwsError } from "../../../src/aws/errors.ts";
import { validateInput } from "../../../src/aws/validation/index.ts";

function thrown(operation: string, input: Record<string, unknown>): AwsError {
  try {
    validateInput("dynamodb", operation, input);
  } catch (error) {
    assert.ok(error instanceof AwsError, `expected an AwsError, got ${String(error)}`);
    return error;
  }
  assert.fail(`${operation} ${JSON.stringify(input)} passed validation`);
}

/** Asserts a SerializationException with coral's capital-M `Message` and no `message`. */
export function assertSerialization(operation: string, input: Record<string, unknown>, text: string): void {
  const error = thrown(operation, input);
  assert.equal(error.code, "SerializationException", error.message);
  assert.equal(error.status, 400);
  assert.equal(error.message, "");
  assert.deepEqual(error.fields, { Message: text });
}

/** Asserts a ValidationException with exactly this message. */
export function assertValidation(operation: string, input: Record<string, unknown>, message: string): void {
  const error = thrown(operation, input);
  assert.equal(error.code, "ValidationException", JSON.stringify(error.fields));
  assert.equal(error.status, 400);
  assert.equal(error.message, message);
}

/** Asserts the aggregated ValidationException listing exactly these violations, in this order. */
export function assertViolations(
  operation: string,
  input: Record<string, unknown>,
  violations: string[],
): void {
  const count = `${violations.length} validation error${violations.length === 1 ? "" : "s"} detected: `;
  assertValidation(operation, input, count + violations.join("; "));
}

export function assertValid(operation: string, input: Record<string, unknown>): void {
  validateInput("dynamodb", operation, input);
}

/** `Value <v> at '<path>' failed to satisfy constraint: <constraint>`; `value` null renders bare. */
export function v(value: string | null, path: string, constraint: string): string {
  return `Value ${value === null ? "null" : `'${value}'`} at '${path}' failed to satisfy constraint: ${constraint}`;
}

export const NOT_NULL = "Member must not be null";
export const TABLE_PATTERN = "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+";

export function lengthAtLeast(n: number): string {
  return `Member must have length greater than or equal to ${n}`;
}

export function lengthAtMost(n: number): string {
  return `Member must have length less than or equal to ${n}`;
}

export function valueAtLeast(n: number): string {
  return `Member must have value greater than or equal to ${n}`;
}

export function valueAtMost(n: number): string {
  return `Member must have value less than or equal to ${n}`;
}

export function oneOf(values: string): string {
  return `Member must satisfy enum value set: [${values}]`;
}

/**
 * dynalite's way of placing a value at a dotted path (test/helpers.js `assertType`): a `0` segment
 * makes the parent a list, any other segment an object key.
 */
export function atPath(path: string, value: unknown): Record<string, unknown> {
  const pieces = path.split(".");
  const root: Record<string, unknown> = {};
  let parent: Record<string, unknown> | unknown[] = root;
  for (let i = 0; i < pieces.length; i++) {
    const piece = pieces[i] as string;
    const next = i === pieces.length - 1 ? value : pieces[i + 1] === "0" ? [] : {};
    if (Array.isArray(parent)) parent.push(next);
    else parent[piece] = next;
    parent = next as Record<string, unknown> | unknown[];
  }
  return root;
}
