/**
 * Lambda event filtering (FilterCriteria), the EventBridge pattern language as Lambda applies it to
 * stream records: a record is delivered when any of the mapping's patterns matches it.
 *
 * A pattern is a JSON object whose leaves are arrays of matchers; every key of the pattern must match
 * (AND), any matcher of a leaf array may match (OR). Matchers: exact values (strings, numbers, true,
 * false, null), `{"prefix": s}`, `{"suffix": s}`, `{"equals-ignore-case": s}`, `{"anything-but": v |
 * [v...] | {"prefix": s} | {"suffix": s}}`, `{"numeric": [op, n (, op, n)]}` and `{"exists": bool}`.
 *
 * Facts recorded from Lambda with DynamoDB streams (LocalStack's test_dynamodb_event_filter, run
 * against AWS): patterns match the record in its DynamoDB JSON shape (`{"dynamodb": {"NewImage":
 * {"k": {"S": ["v"]}}}}`; leaving out the "S" matches nothing); numeric matchers never match `N`
 * values, which are strings, but do match ApproximateCreationDateTime, a number; `exists` looks at leaf
 * values only, so `{"k": [{"exists": false}]}` also matches when `k` holds a map (`{"S": ...}`).
 *
 * ## Gaps
 * - `cidr` and `wildcard` matchers are refused as invalid patterns.
 */
import { invalidFilterPattern } from "../errors.ts";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

type Matcher =
  | { kind: "exact"; value: null | boolean | number | string }
  | { kind: "prefix"; value: string }
  | { kind: "suffix"; value: string }
  | { kind: "equalsIgnoreCase"; value: string }
  | { kind: "anythingBut"; values: (boolean | number | string | null)[] }
  | { kind: "anythingButPrefix"; value: string }
  | { kind: "anythingButSuffix"; value: string }
  | { kind: "numeric"; bounds: { op: string; value: number }[] }
  | { kind: "exists"; value: boolean };

/** A compiled pattern: nested keys down to the leaf matchers. */
export interface CompiledPattern {
  [key: string]: CompiledPattern | Matcher[];
}

const NUMERIC_OPS = new Set(["=", "<", "<=", ">", ">="]);

function isObject(value: unknown): value is Record<string, Json> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function scalar(value: unknown): value is null | boolean | number | string {
  return value === null || ["boolean", "number", "string"].includes(typeof value);
}

function compileMatcher(raw: Json): Matcher {
  if (scalar(raw)) return { kind: "exact", value: raw };
  if (!isObject(raw)) throw invalidFilterPattern();
  const keys = Object.keys(raw);
  if (keys.length !== 1) throw invalidFilterPattern();
  const key = keys[0]!;
  const operand = raw[key];
  switch (key) {
    case "prefix":
    case "suffix":
    case "equals-ignore-case": {
      if (typeof operand !== "string") throw invalidFilterPattern();
      const kind = key === "equals-ignore-case" ? "equalsIgnoreCase" : key;
      return { kind, value: operand };
    }
    case "exists":
      if (typeof operand !== "boolean") throw invalidFilterPattern();
      return { kind: "exists", value: operand };
    case "anything-but": {
      if (isObject(operand)) {
        const [inner, ...rest] = Object.keys(operand);
        const text = inner === undefined ? undefined : operand[inner];
        if (rest.length > 0 || typeof text !== "string") throw invalidFilterPattern();
        if (inner === "prefix") return { kind: "anythingButPrefix", value: text };
        if (inner === "suffix") return { kind: "anythingButSuffix", value: text };
        throw invalidFilterPattern();
      }
      const values = Array.isArray(operand) ? operand : [operand];
      if (values.length === 0 || !values.every((v) => scalar(v))) throw invalidFilterPattern();
      return { kind: "anythingBut", values: values as (boolean | number | string | null)[] };
    }
    case "numeric": {
      if (!Array.isArray(operand) || (operand.length !== 2 && operand.length !== 4))
        throw invalidFilterPattern();
      const bounds: { op: string; value: number }[] = [];
      for (let i = 0; i < operand.length; i += 2) {
        const op = operand[i];
        const value = operand[i + 1];
        if (typeof op !== "string" || !NUMERIC_OPS.has(op) || typeof value !== "number") {
          throw invalidFilterPattern();
        }
        bounds.push({ op, value });
      }
      return { kind: "numeric", bounds };
    }
    default:
      throw invalidFilterPattern();
  }
}

function compileObject(raw: Record<string, Json>): CompiledPattern {
  const out: CompiledPattern = {};
  const keys = Object.keys(raw);
  if (keys.length === 0) throw invalidFilterPattern();
  for (const key of keys) {
    const value = raw[key];
    if (Array.isArray(value)) {
      if (value.length === 0) throw invalidFilterPattern();
      out[key] = value.map(compileMatcher);
    } else if (isObject(value)) {
      out[key] = compileObject(value);
    } else {
      throw invalidFilterPattern();
    }
  }
  return out;
}

/** Compiles one Filter's Pattern text, or throws "Invalid filter pattern definition.". */
export function compilePattern(text: string): CompiledPattern {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw invalidFilterPattern();
  }
  if (!isObject(parsed)) throw invalidFilterPattern();
  return compileObject(parsed);
}

function numericHolds(bounds: { op: string; value: number }[], n: number): boolean {
  return bounds.every(({ op, value }) => {
    switch (op) {
      case "=":
        return n === value;
      case "<":
        return n < value;
      case "<=":
        return n <= value;
      case ">":
        return n > value;
      default:
        return n >= value;
    }
  });
}

/** Whether one leaf value (a scalar) satisfies a matcher. */
function matchesValue(matcher: Matcher, value: null | boolean | number | string): boolean {
  switch (matcher.kind) {
    case "exact":
      return value === matcher.value;
    case "prefix":
      return typeof value === "string" && value.startsWith(matcher.value);
    case "suffix":
      return typeof value === "string" && value.endsWith(matcher.value);
    case "equalsIgnoreCase":
      return typeof value === "string" && value.toLowerCase() === matcher.value.toLowerCase();
    case "anythingBut":
      return !matcher.values.includes(value);
    case "anythingButPrefix":
      return typeof value === "string" && !value.startsWith(matcher.value);
    case "anythingButSuffix":
      return typeof value === "string" && !value.endsWith(matcher.value);
    case "numeric":
      return typeof value === "number" && numericHolds(matcher.bounds, value);
    case "exists":
      return matcher.value;
  }
}

/** The leaf values at a key: a scalar, or the scalars of an array; maps are not leaves. */
function leavesOf(value: unknown): (null | boolean | number | string)[] {
  if (value === undefined) return [];
  if (Array.isArray(value)) return value.filter(scalar);
  return scalar(value) ? [value] : [];
}

function matchesLeaf(matchers: Matcher[], value: unknown): boolean {
  const leaves = leavesOf(value);
  return matchers.some((matcher) => {
    if (matcher.kind === "exists") return matcher.value === leaves.length > 0;
    return leaves.some((leaf) => matchesValue(matcher, leaf));
  });
}

function matchesObject(pattern: CompiledPattern, event: unknown): boolean {
  const object = isObject(event) ? event : {};
  for (const [key, spec] of Object.entries(pattern)) {
    const value = object[key];
    if (Array.isArray(spec)) {
      if (!matchesLeaf(spec, value)) return false;
    } else if (!matchesObject(spec, value)) {
      return false;
    }
  }
  return true;
}

/** Whether a record passes the filters: no filters, or any pattern matches. */
export function passesFilters(patterns: readonly CompiledPattern[], record: unknown): boolean {
  return patterns.length === 0 || patterns.some((pattern) => matchesObject(pattern, record));
}
