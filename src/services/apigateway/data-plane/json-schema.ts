/**
 * The JSON Schema (draft 4) that API Gateway models are written in, enough to validate request
 * bodies: type (with "integer"), enum, required, properties, additionalProperties (boolean or schema),
 * items (schema or tuple), min/maxItems, min/maxLength, pattern, minimum/maximum (with the draft-4
 * boolean exclusives), min/maxProperties, allOf/anyOf/oneOf/not, and `$ref` to another model of the
 * API (`https://apigateway.amazonaws.com/restapis/{id}/models/{name}`, or `#/definitions/...` inside
 * the schema).
 *
 * ## Gaps
 * - `format`, `dependencies`, `patternProperties` and `uniqueItems` are not checked.
 */

export type Schema = Record<string, unknown>;

/** Finds a model's schema by name (for `$ref`s to other models). */
export type ModelLookup = (name: string) => Schema | undefined;

/** Bound on `$ref` depth, so a self-referencing model cannot loop forever. */
const DEPTH_MAX = 64;

function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

function typeMatches(value: unknown, type: string): boolean {
  const actual = typeOf(value);
  if (type === "integer") return actual === "number" && Number.isInteger(value);
  return actual === type;
}

function equal(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export function validateSchema(
  value: unknown,
  schema: Schema,
  models: ModelLookup,
  root: Schema = schema,
  depth = 0,
): boolean {
  if (depth > DEPTH_MAX) return false;
  const ref = schema.$ref;
  if (typeof ref === "string") {
    const target = resolveRef(ref, root, models);
    if (target === undefined) return false;
    return validateSchema(value, target, models, ref.startsWith("#") ? root : target, depth + 1);
  }
  const check = (sub: unknown) =>
    sub !== null && typeof sub === "object"
      ? validateSchema(value, sub as Schema, models, root, depth + 1)
      : true;

  const type = schema.type;
  if (type !== undefined) {
    const types = Array.isArray(type) ? type : [type];
    if (!types.some((t) => typeof t === "string" && typeMatches(value, t))) return false;
  }
  if (Array.isArray(schema.enum) && !schema.enum.some((e) => equal(e, value))) return false;
  if (Array.isArray(schema.allOf) && !schema.allOf.every(check)) return false;
  if (Array.isArray(schema.anyOf) && !schema.anyOf.some(check)) return false;
  if (Array.isArray(schema.oneOf) && schema.oneOf.filter(check).length !== 1) return false;
  if (schema.not !== undefined && check(schema.not)) return false;

  if (typeof value === "string") {
    if (typeof schema.minLength === "number" && [...value].length < schema.minLength) return false;
    if (typeof schema.maxLength === "number" && [...value].length > schema.maxLength) return false;
    if (typeof schema.pattern === "string") {
      try {
        if (!new RegExp(schema.pattern, "u").test(value)) return false;
      } catch {
        return false;
      }
    }
  }
  if (typeof value === "number") {
    if (typeof schema.minimum === "number") {
      if (schema.exclusiveMinimum === true ? value <= schema.minimum : value < schema.minimum) return false;
    }
    if (typeof schema.maximum === "number") {
      if (schema.exclusiveMaximum === true ? value >= schema.maximum : value > schema.maximum) return false;
    }
    if (typeof schema.multipleOf === "number" && schema.multipleOf > 0) {
      const ratio = value / schema.multipleOf;
      if (Math.abs(ratio - Math.round(ratio)) > 1e-9) return false;
    }
  }
  if (Array.isArray(value)) {
    if (typeof schema.minItems === "number" && value.length < schema.minItems) return false;
    if (typeof schema.maxItems === "number" && value.length > schema.maxItems) return false;
    const items = schema.items;
    if (Array.isArray(items)) {
      for (let i = 0; i < Math.min(items.length, value.length); i++) {
        if (!validateSchema(value[i], items[i] as Schema, models, root, depth + 1)) return false;
      }
    } else if (items !== null && typeof items === "object") {
      if (!value.every((v) => validateSchema(v, items as Schema, models, root, depth + 1))) return false;
    }
  }
  if (typeOf(value) === "object") {
    const object = value as Record<string, unknown>;
    const keys = Object.keys(object);
    if (typeof schema.minProperties === "number" && keys.length < schema.minProperties) return false;
    if (typeof schema.maxProperties === "number" && keys.length > schema.maxProperties) return false;
    if (
      Array.isArray(schema.required) &&
      !schema.required.every((k) => typeof k === "string" && k in object)
    ) {
      return false;
    }
    const properties = (schema.properties ?? {}) as Record<string, Schema>;
    for (const key of keys) {
      const property = properties[key];
      if (property !== undefined) {
        if (!validateSchema(object[key], property, models, root, depth + 1)) return false;
      } else if (schema.additionalProperties === false) {
        return false;
      } else if (schema.additionalProperties !== null && typeof schema.additionalProperties === "object") {
        if (!validateSchema(object[key], schema.additionalProperties as Schema, models, root, depth + 1))
          return false;
      }
    }
  }
  return true;
}

function resolveRef(ref: string, root: Schema, models: ModelLookup): Schema | undefined {
  if (ref.startsWith("#")) {
    let node: unknown = root;
    for (const part of ref
      .slice(1)
      .split("/")
      .filter((p) => p !== "")) {
      const key = part.replace(/~1/g, "/").replace(/~0/g, "~");
      node = node !== null && typeof node === "object" ? (node as Record<string, unknown>)[key] : undefined;
    }
    return node !== null && typeof node === "object" ? (node as Schema) : undefined;
  }
  const name = /\/models\/([^/#]+)/.exec(ref)?.[1];
  return name === undefined ? undefined : models(decodeURIComponent(name));
}
