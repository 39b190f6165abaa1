/**
 * ExpressionAttributeNames and ExpressionAttributeValues of one request: validated once, shared by
 * all its expressions, and tracked so that names or values no expression used are refused after
 * every expression has been parsed ("Value provided in ExpressionAttributeNames unused in
 * expressions: keys: {#a, #b}", in the order the request lists them).
 *
 * Checks, in DynamoDB's order (dynalite validateExpressions; dynalite-t): names not empty, name
 * keys #[0-9a-zA-Z_]+; values not empty, value keys :[0-9a-zA-Z_]+, then each value valid.
 */

import type { AwsError } from "../../../aws/errors.ts";
import { isAwsError } from "../../../aws/errors.ts";
import type { AttributeValue } from "../attribute-value.ts";
import { validateAttributeValue } from "../values.ts";
import { invalid, requestTexts } from "./errors.ts";

const NAME_KEY = /^#[0-9a-zA-Z_]+$/;
const VALUE_KEY = /^:[0-9a-zA-Z_]+$/;

export class ExpressionAttributes {
  private readonly usedNames = new Set<string>();
  private readonly usedValues = new Set<string>();

  constructor(
    private readonly names: Readonly<Record<string, string>> = {},
    private readonly values: Readonly<Record<string, AttributeValue>> = {},
  ) {}

  /** The attribute name behind #placeholder, marking it used; undefined when not supplied. */
  name(placeholder: string): string | undefined {
    if (!Object.hasOwn(this.names, placeholder)) return undefined;
    this.usedNames.add(placeholder);
    return this.names[placeholder];
  }

  hasName(placeholder: string): boolean {
    return Object.hasOwn(this.names, placeholder);
  }

  value(placeholder: string): AttributeValue | undefined {
    if (!Object.hasOwn(this.values, placeholder)) return undefined;
    this.usedValues.add(placeholder);
    return this.values[placeholder];
  }

  hasValue(placeholder: string): boolean {
    return Object.hasOwn(this.values, placeholder);
  }

  /** A value's type without marking it used (for checks that run before resolution). */
  peekValue(placeholder: string): AttributeValue | undefined {
    return Object.hasOwn(this.values, placeholder) ? this.values[placeholder] : undefined;
  }

  /** Throws the unused-names error, then the unused-values error, as DynamoDB orders them. */
  assertAllUsed(): void {
    const names = Object.keys(this.names).filter((key) => !this.usedNames.has(key));
    if (names.length > 0) throw invalid(requestTexts.unusedNames(names));
    const values = Object.keys(this.values).filter((key) => !this.usedValues.has(key));
    if (values.length > 0) throw invalid(requestTexts.unusedValues(values));
  }
}

/**
 * Validates the two maps of a request and returns the tracker. `values` come straight from JSON;
 * they are validated (and numbers canonicalised) here.
 */
export function expressionAttributes(
  names: Record<string, string> | undefined,
  values: Record<string, unknown> | undefined,
): ExpressionAttributes {
  if (names !== undefined) {
    const keys = Object.keys(names);
    if (keys.length === 0) throw invalid(requestTexts.namesEmpty);
    const bad = keys.find((key) => !NAME_KEY.test(key));
    if (bad !== undefined) throw invalid(requestTexts.namesInvalidKey(bad));
  }
  const checked: Record<string, AttributeValue> = {};
  if (values !== undefined) {
    const keys = Object.keys(values);
    if (keys.length === 0) throw invalid(requestTexts.valuesEmpty);
    const bad = keys.find((key) => !VALUE_KEY.test(key));
    if (bad !== undefined) throw invalid(requestTexts.valuesInvalidKey(bad));
    for (const key of keys) {
      try {
        checked[key] = validateAttributeValue(values[key]);
      } catch (error) {
        if (!isAwsError(error)) throw error;
        throw invalid(requestTexts.valuesInvalidValue((error as AwsError).message, key));
      }
    }
  }
  return new ExpressionAttributes(names ?? {}, checked);
}
