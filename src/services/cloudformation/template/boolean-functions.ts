/**
 * Condition expressions — Fn::Equals, Fn::And, Fn::Or, Fn::Not and `{ Condition: Name }` — evaluated to
 * booleans, with CloudFormation's messages for their misuse. Used by conditions.ts for the Conditions
 * section and by resolve.ts where these functions appear inside values. The value resolver is passed
 * in (rather than imported) so that resolve.ts and this file do not import each other.
 */
import { asText } from "./template-text.ts";
import { type ResolveScope, TemplateError } from "./types.ts";

/** resolve.ts's resolveValue. */
export type ValueResolver = (value: unknown, scope: ResolveScope) => unknown;

/** A named condition's value from the scope; an undeclared name is an error naming where it was used. */
export function conditionValue(
  name: string,
  usedIn: string,
  scope: Pick<ResolveScope, "conditions">,
): boolean {
  const value = scope.conditions.get(name);
  if (value === undefined) {
    throw new TemplateError(`Template format error: Unresolved condition dependency ${name} in ${usedIn}`);
  }
  return value;
}

const AND_OR_USAGE = (name: string) =>
  `Template error: every ${name} object requires a list of at least 2 and at most 10 boolean parameters.`;

/**
 * A condition expression (Fn::Equals, Fn::And, Fn::Or, Fn::Not, `{ Condition: Name }`) as a boolean.
 * `lookupCondition` reads a named condition (by default from `scope.conditions`).
 */
export function evaluateBoolean(
  expression: unknown,
  scope: ResolveScope,
  resolveValue: ValueResolver,
  lookupCondition: (name: string, usedIn: string) => boolean = (name, usedIn) =>
    conditionValue(name, usedIn, scope),
): boolean {
  if (typeof expression === "boolean") return expression;
  if (expression === "true" || expression === "false") return expression === "true";
  const record =
    typeof expression === "object" && expression !== null ? (expression as Record<string, unknown>) : {};
  const keys = Object.keys(record);
  const name = keys.length === 1 ? (keys[0] as string) : "";
  const argument = record[name];
  switch (name) {
    case "Condition":
      if (typeof argument !== "string")
        throw new TemplateError("Template error: All Conditions must be of type string");
      return lookupCondition(argument, "Condition");
    case "Fn::Equals": {
      if (!Array.isArray(argument) || argument.length !== 2) {
        throw new TemplateError("Template error: Fn::Equals requires a list argument with two elements");
      }
      return sameValue(resolveValue(argument[0], scope), resolveValue(argument[1], scope));
    }
    case "Fn::And":
    case "Fn::Or": {
      if (!Array.isArray(argument) || argument.length < 2 || argument.length > 10) {
        throw new TemplateError(AND_OR_USAGE(name));
      }
      const values = argument.map((item) => evaluateBoolean(item, scope, resolveValue, lookupCondition));
      return name === "Fn::And" ? values.every(Boolean) : values.some(Boolean);
    }
    case "Fn::Not": {
      if (!Array.isArray(argument) || argument.length !== 1) {
        throw new TemplateError("Template error: Fn::Not requires a list argument with one element");
      }
      return !evaluateBoolean(argument[0], scope, resolveValue, lookupCondition);
    }
    default: {
      // Fn::If, Fn::FindInMap, Ref... may produce a boolean (or "true"/"false") themselves.
      if (name.startsWith("Fn::") || name === "Ref") {
        const value = resolveValue(expression, scope);
        if (typeof value === "boolean" || value === "true" || value === "false")
          return evaluateBoolean(value, scope, resolveValue);
      }
      throw new TemplateError(
        "Template error: Conditions can only be boolean operations on parameters and other conditions",
      );
    }
  }
}

/** Fn::Equals: scalars compare as text (CloudFormation reads `1` and `"1"` alike); the rest structurally. */
function sameValue(left: unknown, right: unknown): boolean {
  const leftText = asText(left);
  const rightText = asText(right);
  if (leftText !== undefined || rightText !== undefined) return leftText === rightText;
  return JSON.stringify(left) === JSON.stringify(right);
}
