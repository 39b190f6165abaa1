/**
 * SAM's hash-suffixed logical ids (LogicalIdGenerator): prefix + the first 10 hex characters of the SHA1
 * of the data, where data is a string as is, or else Python's `json.dumps(data, separators=(",", ":"),
 * sort_keys=True)` — reproduced here (sorted keys at every depth, non-ASCII escaped as \uXXXX) so our
 * Version and LayerVersion ids are the ones SAM would give.
 */
import { createHash } from "node:crypto";

/** Python's json.dumps(..., separators=(",", ":"), sort_keys=True, ensure_ascii=True). */
export function pythonSortedJson(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "string") return asciiJsonString(value);
  if (typeof value === "number") return Number.isInteger(value) ? String(value) : pythonFloat(value);
  if (typeof value === "boolean") return value ? "true" : "false";
  if (Array.isArray(value)) return `[${value.map(pythonSortedJson).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
    a < b ? -1 : a > b ? 1 : 0,
  );
  return `{${entries.map(([key, item]) => `${asciiJsonString(key)}:${pythonSortedJson(item)}`).join(",")}}`;
}

function asciiJsonString(text: string): string {
  return JSON.stringify(text).replace(
    /[\u007f-\uffff]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/** Python's float repr always shows a fraction or exponent (1e-05, 0.5); JS drops neither for non-integers. */
function pythonFloat(value: number): string {
  const text = String(value);
  return text.replace(/e([+-])(\d)$/, "e$10$2");
}

/** SHA1 hex of the data as SAM stringifies it. */
export function samHash(data: unknown): string {
  const text = typeof data === "string" ? data : pythonSortedJson(data);
  return createHash("sha1").update(text, "utf8").digest("hex");
}

/** prefix + 10 hex chars; no suffix when the data is empty (SAM hashes nothing then). */
export function hashedLogicalId(prefix: string, data: unknown): string {
  if (data === undefined || data === null || data === "" || isEmptyObject(data)) return prefix;
  return prefix + samHash(data).slice(0, 10);
}

function isEmptyObject(value: unknown): boolean {
  if (Array.isArray(value)) return value.length === 0;
  return typeof value === "object" && value !== null && Object.keys(value).length === 0;
}
