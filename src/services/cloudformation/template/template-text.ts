/** How template values read as text: Fn::Join, Fn::Sub and friends turn numbers and booleans into strings. */

/** A string as is, a number or boolean as its text; undefined for lists, objects and null. */
export function asText(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return undefined;
}
