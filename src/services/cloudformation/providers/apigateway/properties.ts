/**
 * Reading resolved CloudFormation properties for the API Gateway providers. Templates written in YAML
 * hand numbers and booleans over as strings ("300", "true"); CloudFormation converts them to the
 * schema's types before calling the service, so these helpers do the same, and refuse a value that
 * cannot be one (CloudFormation's schema validation would).
 */

export type Properties = Record<string, unknown>;

function wrongType(name: string, expected: string, value: unknown): Error {
  return new Error(
    `Properties validation failed: #/${name}: expected type: ${expected}, found: ${describe(value)}`,
  );
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return "JSONArray";
  if (value === null) return "Null";
  if (typeof value === "object") return "JSONObject";
  if (typeof value === "number") return Number.isInteger(value) ? "Integer" : "Number";
  if (typeof value === "boolean") return "Boolean";
  return "String";
}

export function optString(props: Properties, name: string): string | undefined {
  const value = props[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  throw wrongType(name, "String", value);
}

export function reqString(props: Properties, name: string): string {
  const value = optString(props, name);
  if (value === undefined) {
    throw new Error(`Properties validation failed: #: required key [${name}] not found`);
  }
  return value;
}

export function optBool(props: Properties, name: string): boolean | undefined {
  const value = props[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value === "boolean") return value;
  if (value === "true" || value === "True") return true;
  if (value === "false" || value === "False") return false;
  throw wrongType(name, "Boolean", value);
}

export function optInt(props: Properties, name: string): number | undefined {
  const value = props[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value === "number" && Number.isInteger(value)) return value;
  if (typeof value === "string" && /^-?\d+$/.test(value.trim())) return Number(value.trim());
  throw wrongType(name, "Integer", value);
}

export function optNumber(props: Properties, name: string): number | undefined {
  const value = props[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value === "number") return value;
  if (typeof value === "string" && value.trim() !== "" && !Number.isNaN(Number(value))) return Number(value);
  throw wrongType(name, "Number", value);
}

export function optObject(props: Properties, name: string): Properties | undefined {
  const value = props[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value === "object" && !Array.isArray(value)) return value as Properties;
  throw wrongType(name, "JSONObject", value);
}

export function optList(props: Properties, name: string): unknown[] | undefined {
  const value = props[name];
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) return value;
  throw wrongType(name, "JSONArray", value);
}

export function optStringList(props: Properties, name: string): string[] | undefined {
  return optList(props, name)?.map((item) => {
    if (typeof item === "string") return item;
    if (typeof item === "number" || typeof item === "boolean") return String(item);
    throw wrongType(name, "String", item);
  });
}

/** A map of strings (stage variables, templates, request parameters of integrations). */
export function optStringMap(props: Properties, name: string): Record<string, string> | undefined {
  const value = optObject(props, name);
  if (value === undefined) return undefined;
  const out: Record<string, string> = {};
  for (const [key, item] of Object.entries(value)) {
    if (typeof item === "string") out[key] = item;
    else if (typeof item === "number" || typeof item === "boolean") out[key] = String(item);
    else throw wrongType(`${name}/${key}`, "String", item);
  }
  return out;
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
    if (entry === null || typeof entry !== "object") throw wrongType(name, "JSONObject", entry);
    const tag = entry as Properties;
    out[reqString(tag, "Key")] = optString(tag, "Value") ?? "";
  }
  return out;
}

/** Drops undefined members so a service sees only what the template set. */
export function defined<T extends Record<string, unknown>>(record: T): T {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) if (value !== undefined) out[key] = value;
  return out as T;
}

/** Whether a property differs between the last applied and the new properties (deep, JSON-wise). */
export function changed(before: Readonly<Properties>, after: Properties, name: string): boolean {
  return JSON.stringify(before[name]) !== JSON.stringify(after[name]);
}
