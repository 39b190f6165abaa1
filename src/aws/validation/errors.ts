/**
 * The two errors coral answers before an operation runs, in the shape awsJson services send them.
 *
 * - SerializationException carries its text in a capital-M `Message` field and no `message`:
 *   `{"__type":"com.amazon.coral.service#SerializationException","Message":"NUMBER_VALUE cannot be
 *   converted to String"}` (recorded by dynalite, test/helpers.js `assertSerialization`). The awsJson
 *   encoder writes `message` only when `error.message` is non-empty and then spreads `error.fields`,
 *   so the text goes in `fields.Message` and `error.message` stays empty.
 * - ValidationException aggregates constraint violations: "1 validation error detected: X" or
 *   "N validation errors detected: X; Y", listing at most ten (dynalite, test/createTable.js "more
 *   than five empty LocalSecondaryIndexes": 27 violations, 10 listed, "10 validation errors detected").
 *   Its `__type` namespace (`com.amazon.coral.validate` for DynamoDB) is the service error style's.
 */
import { AwsError } from "../errors.ts";

/** Coral lists no more violations than this in one ValidationException. */
export const VIOLATIONS_LISTED_MAX = 10;

export function serializationException(text: string): AwsError {
  return new AwsError("SerializationException", "", 400, { fields: { Message: text } });
}

export function validationException(message: string): AwsError {
  return new AwsError("ValidationException", message, 400);
}

/** "N validation error(s) detected: a; b" over the first ten violations. */
export function violationsMessage(violations: readonly string[]): string {
  const listed = violations.slice(0, VIOLATIONS_LISTED_MAX);
  const noun = listed.length === 1 ? "error" : "errors";
  return `${listed.length} validation ${noun} detected: ${listed.join("; ")}`;
}

/** One violation as coral words it: `Value 'x' at 'a.b' failed to satisfy constraint: ...`. */
export function violation(quotedValue: string, path: string, constraint: string): string {
  return `Value ${quotedValue} at '${path}' failed to satisfy constraint: ${constraint}`;
}
