import assert from "node:assert/strict";
import type { Item } from "../../../../src/services/dynamodb/attribute-value.ts";
import type { ExpressionParameters } from "../../../../src/services/dynamodb/expressions/index.ts";
import { parseExpressions } from "../../../../src/services/dynamodb/expressions/index.ts";

/** Asserts that `run` throws a ValidationException with exactly `message`. */
export function assertValidation(run: () => unknown, message: string): void {
  assert.throws(run, (error: unknown) => {
    const { code, message: actual } = error as { code?: string; message?: string };
    assert.equal(actual, message);
    assert.equal(code, "ValidationException");
    return true;
  });
}

/** Shorthand values for tables of cases. */
export const S = (S: string) => ({ S });
export const N = (N: string) => ({ N });

export function condition(
  expression: string,
  values: Record<string, unknown> = {},
  names?: Record<string, string>,
) {
  const parameters: ExpressionParameters = {
    ConditionExpression: expression,
    ...(Object.keys(values).length > 0 ? { ExpressionAttributeValues: values } : {}),
    ...(names ? { ExpressionAttributeNames: names } : {}),
  };
  const parsed = parseExpressions(parameters).condition;
  assert.ok(parsed);
  return parsed;
}

export function update(
  expression: string,
  values: Record<string, unknown> = {},
  names?: Record<string, string>,
) {
  const parsed = parseExpressions({
    UpdateExpression: expression,
    ...(Object.keys(values).length > 0 ? { ExpressionAttributeValues: values } : {}),
    ...(names ? { ExpressionAttributeNames: names } : {}),
  }).update;
  assert.ok(parsed);
  return parsed;
}

export type { Item };
