/**
 * Reading resolved CloudFormation properties for the API Gateway providers, by property name. Templates
 * written in YAML hand numbers and booleans over as strings ("300", "true"); CloudFormation converts them
 * to the schema's types before calling the service, so these readers do the same (through the shared
 * strict conversions of ../property-values.ts), and refuse a value that cannot be one with the schema
 * validation's words ("Properties validation failed: #/Name: expected type: String, found: JSONArray").
 */
import {
  scalarText,
  strictArray,
  strictInteger,
  strictObject,
  strictString,
  wrongType,
} from "../property-values.ts";

export type Properties = Record<string, unknown>;

function validationFailure(detail: string): Error {
  return new Error(`Properties validation failed: ${detail}`);
}

export function optString(props: Properties, name: string): string | undefined {
  return strictString(props[name], name, validationFailure);
}

export function reqString(props: Properties, name: string): string {
  const value = optString(props, name);
  if (value === undefined) {
    throw validationFailure(`#: required key [${name}] not found`);
  }
  return value;
}

export function optBool(props: Properties, name: string): boolean | undefined {
  const value = props[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value === "boolean") return value;
  if (value === "true" || value === "True") return true;
  if (value === "false" || value === "False") return false;
  throw wrongType(validationFailure, name, "Boolean", value);
}

export function optInt(props: Properties, name: string): number | undefined {
  return strictInteger(props[name], name, validationFailure);
}

export function optNumber(props: Properties, name: string): number | undefined {
  const value = props[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value === "number") return value;
  if (typeof value === "string" && value.trim() !== "" && !Number.isNaN(Number(value))) return Number(value);
  throw wrongType(validationFailure, name, "Number", value);
}

export function optObject(props: Properties, name: string): Properties | undefined {
  return strictObject(props[name], name, validationFailure);
}

export function optList(props: Properties, name: string): unknown[] | undefined {
  return strictArray(props[name], name, validationFailure);
}

/** A list of strings; an item that is not a scalar (null included) fails, named by the list. */
export function optStringList(props: Properties, name: string): string[] | undefined {
  return optList(props, name)?.map((item) => scalarTextOrFail(item, name));
}

/** A map of strings (stage variables, templates, request parameters of integrations). */
export function optStringMap(props: Properties, name: string): Record<string, string> | undefined {
  const value = optObject(props, name);
  if (value === undefined) return undefined;
  const out: Record<string, string> = {};
  for (const [key, item] of Object.entries(value)) out[key] = scalarTextOrFail(item, `${name}/${key}`);
  return out;
}

function scalarTextOrFail(item: unknown, path: string): string {
  const converted = scalarText(item);
  if (converted === undefined) throw wrongType(validationFailure, path, "String", item);
  return converted;
}

/** A map of booleans (method request parameters: "method.request.querystring.x": true). */
export function optBoolMap(props: Properties, name: string): Record<string, boolean> | undefined {
  const value = optObject(props, name);
  if (value === undefined) return undefined;
  const out: Record<string, boolean> = {};
  for (const key of Object.keys(value)) {
    const item = optBool(value, key);
    if (item !== undefined) out[key] = item;
  }
  return out;
}

/** CloudFormation's `Tags` list ([{Key, Value}]) as the API Gateways' tag map. */
export function tagMap(props: Properties, name = "Tags"): Record<string, string> | undefined {
  const list = optList(props, name);
  if (list === undefined) return undefined;
  const out: Record<string, string> = {};
  for (const entry of list) {
    if (entry === null || typeof entry !== "object")
      throw wrongType(validationFailure, name, "JSONObject", entry);
    const tag = entry as Properties;
    out[reqString(tag, "Key")] = optString(tag, "Value") ?? "";
  }
  return out;
}

/**
 * Whether a property differs between the last applied and the new properties (deep, JSON-wise, member
 * order counting: unlike ../property-values.ts's `changed`).
 */
export function changed(before: Readonly<Properties>, after: Properties, name: string): boolean {
  return JSON.stringify(before[name]) !== JSON.stringify(after[name]);
}
