/**
 * The Range header of GetObject/HeadObject: one range of `bytes=first-last`, `bytes=first-` or
 * `bytes=-suffixLength`. As on S3, a header that is not one such range is ignored (the whole object is
 * answered), a range reaching past the end is cut at the end, and a range starting at or after the
 * end — or any range of an empty object — is 416 InvalidRange.
 */
import { invalidRange } from "./errors.ts";

export interface ByteRange {
  start: number;
  /** Inclusive. */
  end: number;
}

export function resolveRange(headerValue: string | undefined, size: number): ByteRange | undefined {
  if (headerValue === undefined) return undefined;
  const match = /^bytes=(\d*)-(\d*)$/.exec(headerValue.trim());
  if (!match) return undefined;
  const [, first = "", last = ""] = match;
  if (first === "" && last === "") return undefined;
  if (first === "") {
    const suffix = Number(last);
    if (suffix === 0 || size === 0) throw invalidRange(headerValue, size);
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  const end = last === "" ? size - 1 : Number(last);
  if (last !== "" && end < start) return undefined;
  if (start >= size) throw invalidRange(headerValue, size);
  return { start, end: Math.min(end, size - 1) };
}
