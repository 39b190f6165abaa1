/**
 * Reading resolved CloudFormation properties as CloudFormation does: a template's YAML or JSON may
 * give a number as "5" or a boolean as "true", and CloudFormation converts them to the property's
 * type before calling the service. Values that do not convert are passed on as they are, so the
 * service answers them with its own validation error.
 */

export type Props = Record<string, unknown>;

export function record(value: unknown): Props | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Props) : undefined;
}

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

/** The object without its undefined members (so "absent" and "not given" compare the same). */
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
