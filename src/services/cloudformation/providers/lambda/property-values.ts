/**
 * Reading resolved resource properties as CloudFormation types them: a template's YAML may give
 * `MemorySize: "256"` or `Enabled: "true"`, and CloudFormation converts such strings to the schema's
 * integer or boolean before calling the service, while a value it cannot convert fails the resource
 * with its schema-validation words ("Properties validation failed for resource Fn with message:
 * #/Timeout: expected type: Integer, found: String"). Shared by the Lambda, IAM and Logs providers.
 */
import type { ProviderContext } from "../types.ts";

export type Properties = Readonly<Record<string, unknown>>;

/** CloudFormation's schema-validation failure for one resource. */
export function validationFailure(context: ProviderContext, detail: string): Error {
  return new Error(`Properties validation failed for resource ${context.logicalId} with message: ${detail}`);
}

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

function wrongType(context: ProviderContext, path: string, expected: string, value: unknown): Error {
  return validationFailure(context, `#/${path}: expected type: ${expected}, found: ${typeName(value)}`);
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
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  throw wrongType(context, path, "String", value);
}

export function integerValue(context: ProviderContext, value: unknown, path: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "number" && Number.isInteger(value)) return value;
  if (typeof value === "string" && /^-?[0-9]+$/.test(value.trim())) return Number(value.trim());
  throw wrongType(context, path, "Integer", value);
}

export function booleanValue(context: ProviderContext, value: unknown, path: string): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "boolean") return value;
  if (typeof value === "string" && /^(true|false)$/i.test(value)) return value.toLowerCase() === "true";
  throw wrongType(context, path, "Boolean", value);
}

export function objectValue(
  context: ProviderContext,
  value: unknown,
  path: string,
): Record<string, unknown> | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "object" && !Array.isArray(value)) return value as Record<string, unknown>;
  throw wrongType(context, path, "JSONObject", value);
}

export function arrayValue(context: ProviderContext, value: unknown, path: string): unknown[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) return value;
  throw wrongType(context, path, "JSONArray", value);
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

/** Deep equality of two resolved property values (JSON data only). */
export function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}

/** Whether any of `names` differs between the last and the new properties. */
export function changed(before: Properties, after: Properties, names: readonly string[]): boolean {
  return names.some((name) => !sameValue(before[name], after[name]));
}

/** Drops undefined members, so an in-process call sends only what is set. */
export function defined<T extends Record<string, unknown>>(input: T): Partial<T> {
  return Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined)) as Partial<T>;
}
