/**
 * Reading resolved resource properties as CloudFormation types them. A template's YAML or JSON may
 * give `MemorySize: "256"` or `Enabled: "true"`, and CloudFormation converts such strings to the
 * schema's integer or boolean before calling the service. Two kinds of reader share the conversions:
 * - lenient ones (`text`, `integer`, `boolean`, …: DynamoDB and S3) pass a value that does not convert
 *   on as it is, so the service answers it with its own validation error;
 * - strict ones (`stringValue`, `integerValue`, …: Lambda, IAM, Logs; the API Gateway providers through
 *   ./apigateway/properties.ts) fail the resource with CloudFormation's schema-validation words
 *   ("Properties validation failed for resource Fn with message: #/Timeout: expected type: Integer,
 *   found: String").
 */
import type { ProviderContext } from "./types.ts";

/** A property object being read (the resource's properties or one nested in them). */
export type Props = Record<string, unknown>;

/** A resource's resolved properties, as a provider receives them. */
export type Properties = Readonly<Props>;

// ── Shared ────────────────────────────────────────────────────────────────────────────────────────

export function record(value: unknown): Props | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Props) : undefined;
}

/** The object without its undefined members (so "absent" and "not given" compare the same, and an in-process call sends only what is set). */
export function defined<T extends Props>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** Structural equality of two JSON values, independent of member order. */
export function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  const object = record(value);
  if (!object) return value;
  return Object.fromEntries(
    Object.keys(object)
      .filter((key) => object[key] !== undefined)
      .sort()
      .map((key) => [key, canonical(object[key])]),
  );
}

// ── Lenient readers ───────────────────────────────────────────────────────────────────────────────

export function records(value: unknown): Props[] {
  return Array.isArray(value) ? value.map((item) => record(item) ?? {}) : [];
}

export function text(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  return typeof value === "string" ? value : String(value);
}

export function texts(value: unknown): string[] | undefined {
  return Array.isArray(value) ? value.map((item) => String(item)) : undefined;
}

/** An integer or Long property: "5" becomes 5. */
export function integer(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string" && /^\s*-?\d+(\.\d+)?\s*$/.test(value)) return Number(value);
  return value as number;
}

/** A Boolean property: "true"/"false" (any case) become booleans. */
export function boolean(value: unknown): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string") {
    const lowered = value.toLowerCase();
    if (lowered === "true") return true;
    if (lowered === "false") return false;
  }
  return value as boolean;
}

// ── Strict conversions (the failure's wording left to the caller) ─────────────────────────────────

/** Builds the error for one failed schema check from its detail ("#/Timeout: expected type: …"). */
export type ValidationFailure = (detail: string) => Error;

/** CloudFormation's name for a JSON value's type in "expected type: X, found: Y". */
function typeName(value: unknown): string {
  if (Array.isArray(value)) return "JSONArray";
  if (value === null) return "Null";
  switch (typeof value) {
    case "string":
      return "String";
    case "number":
      return Number.isInteger(value) ? "Integer" : "Number";
    case "boolean":
      return "Boolean";
    default:
      return "JSONObject";
  }
}

/** "#/Path: expected type: Integer, found: String". */
export function wrongType(fail: ValidationFailure, path: string, expected: string, value: unknown): Error {
  return fail(`#/${path}: expected type: ${expected}, found: ${typeName(value)}`);
}

/** A string, number or boolean as text, as CloudFormation converts scalars to a String property. */
export function scalarText(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return undefined;
}

export function strictString(value: unknown, path: string, fail: ValidationFailure): string | undefined {
  if (value === undefined || value === null) return undefined;
  const converted = scalarText(value);
  if (converted !== undefined) return converted;
  throw wrongType(fail, path, "String", value);
}

export function strictInteger(value: unknown, path: string, fail: ValidationFailure): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "number" && Number.isInteger(value)) return value;
  if (typeof value === "string" && /^-?[0-9]+$/.test(value.trim())) return Number(value.trim());
  throw wrongType(fail, path, "Integer", value);
}

export function strictObject(value: unknown, path: string, fail: ValidationFailure): Props | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "object" && !Array.isArray(value)) return value as Props;
  throw wrongType(fail, path, "JSONObject", value);
}

export function strictArray(value: unknown, path: string, fail: ValidationFailure): unknown[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) return value;
  throw wrongType(fail, path, "JSONArray", value);
}

// ── Strict readers naming the resource (Lambda, IAM, Logs) ────────────────────────────────────────

/** CloudFormation's schema-validation failure for one resource. */
export function validationFailure(context: ProviderContext, detail: string): Error {
  return new Error(`Properties validation failed for resource ${context.logicalId} with message: ${detail}`);
}

function failureOf(context: ProviderContext): ValidationFailure {
  return (detail) => validationFailure(context, detail);
}

/** Fails with "#: required key [Name] not found" for the first listed property that is absent. */
export function requireProperties(context: ProviderContext, properties: Properties, names: string[]): void {
  const missing = names.filter((name) => properties[name] === undefined || properties[name] === null);
  if (missing.length > 0) {
    throw validationFailure(context, missing.map((name) => `#: required key [${name}] not found`).join("\n"));
  }
}

/** A string property; numbers and booleans become their text, as CloudFormation converts them. */
export function stringValue(context: ProviderContext, value: unknown, path: string): string | undefined {
  return strictString(value, path, failureOf(context));
}

export function integerValue(context: ProviderContext, value: unknown, path: string): number | undefined {
  return strictInteger(value, path, failureOf(context));
}

/** A Boolean property: "true"/"false" in any case become booleans. */
export function booleanValue(context: ProviderContext, value: unknown, path: string): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "boolean") return value;
  if (typeof value === "string" && /^(true|false)$/i.test(value)) return value.toLowerCase() === "true";
  throw wrongType(failureOf(context), path, "Boolean", value);
}

export function objectValue(context: ProviderContext, value: unknown, path: string): Props | undefined {
  return strictObject(value, path, failureOf(context));
}

export function arrayValue(context: ProviderContext, value: unknown, path: string): unknown[] | undefined {
  return strictArray(value, path, failureOf(context));
}

export function stringList(context: ProviderContext, value: unknown, path: string): string[] | undefined {
  const items = arrayValue(context, value, path);
  return items?.map((item, index) => stringValue(context, item, `${path}/${index}`) ?? "");
}

/** A map of strings (Environment.Variables): scalar values become text. */
export function stringMap(
  context: ProviderContext,
  value: unknown,
  path: string,
): Record<string, string> | undefined {
  const map = objectValue(context, value, path);
  if (map === undefined) return undefined;
  const out: Record<string, string> = {};
  for (const [key, item] of Object.entries(map))
    out[key] = stringValue(context, item, `${path}/${key}`) ?? "";
  return out;
}

/** CloudFormation's `Tags: [{Key, Value}]` as a map (the order kept, a repeated key's last value). */
export function tagMap(context: ProviderContext, value: unknown, path = "Tags"): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [index, item] of (arrayValue(context, value, path) ?? []).entries()) {
    const tag = objectValue(context, item, `${path}/${index}`) ?? {};
    const key = stringValue(context, tag.Key, `${path}/${index}/Key`);
    if (key === undefined)
      throw validationFailure(context, `#/${path}/${index}: required key [Key] not found`);
    out[key] = stringValue(context, tag.Value, `${path}/${index}/Value`) ?? "";
  }
  return out;
}

/** Whether any of `names` differs (deeply, member order aside) between the last and the new properties. */
export function changed(before: Properties, after: Properties, names: readonly string[]): boolean {
  return names.some((name) => !sameJson(before[name], after[name]));
}
