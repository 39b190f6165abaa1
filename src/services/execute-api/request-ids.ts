/**
 * The ids every invoke-URL request carries, cut from pools of random text: a request id (UUID v4),
 * API Gateway's short id (`x-amz-apigw-id`, `apigw-requestid`: 16 characters, base64 of 11 bytes
 * with its one `=`) and an X-Ray trace root. Same shapes and randomness as src/aws/ids.ts
 * (`randomUUID`, `apiGatewayShortId`, `xrayTraceRoot`), which encode fresh random bytes for each id:
 * those three were ~2.5 µs of a MOCK request's ~60 µs of CPU (profile of 25 November 2026: base64 and
 * hex encoding of 11- and 12-byte buffers, `randomUUID`'s own formatting, a regular expression per
 * short id). Here each pool is encoded once per few hundred ids and an id is a few slices of it.
 */
import { randomBytes } from "node:crypto";

/** Random bytes per pool refill: 8,192 hex characters (~260 UUIDs) or ~5,300 alphanumerics (~370 short ids). */
const POOL_BYTES = 4096;

let hex = "";
let hexAt = 0;

/** `count` random lower-case hex characters. */
function randomHex(count: number): string {
  if (hexAt + count > hex.length) {
    hex = randomBytes(POOL_BYTES).toString("hex");
    hexAt = 0;
  }
  const text = hex.slice(hexAt, hexAt + count);
  hexAt += count;
  return text;
}

let alphanumeric = "";
let alphanumericAt = 0;

/**
 * `count` random characters of [A-Za-z0-9]: base64 text without its `+` and `/`, so each character
 * is uniform over the 62, as redrawing ids that hold one (apiGatewayShortId) makes them.
 */
function randomAlphanumeric(count: number): string {
  if (alphanumericAt + count > alphanumeric.length) {
    alphanumeric = randomBytes(POOL_BYTES).toString("base64").replace(/[+/=]/g, "");
    alphanumericAt = 0;
  }
  const text = alphanumeric.slice(alphanumericAt, alphanumericAt + count);
  alphanumericAt += count;
  return text;
}

/** The variant nibble of a UUID v4 (10xx): one of 8, 9, a, b, by a random hex digit's low bits. */
const VARIANT: Record<string, string> = {};
for (let i = 0; i < 16; i++) VARIANT[i.toString(16)] = "89ab"[i & 3] ?? "8";

/** A lower-case UUID v4, as `crypto.randomUUID()` gives: 122 random bits. */
export function requestUuid(): string {
  const h = randomHex(31);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(12, 15)}-${VARIANT[h[15] ?? "0"]}${h.slice(16, 19)}-${h.slice(19, 31)}`;
}

/**
 * The last character of base64 of 11 bytes carries 4 bits (its low two are zero): one of these 16.
 * Every one is alphanumeric, so no redraw is needed for it.
 */
const LAST = "AEIMQUYcgkosw048";

/** API Gateway's short request id: 14 random alphanumerics, a last base64 character, "=". */
export function shortRequestId(): string {
  return `${randomAlphanumeric(14)}${LAST[Number.parseInt(randomHex(1), 16)]}=`;
}

/** The trace root's epoch seconds in hex, kept for the second they stand for. */
let epochSecond = -1;
let epochHex = "";

/** An X-Ray trace root: `Root=1-{epoch seconds, hex}-{96 random bits, hex}`. */
export function traceRoot(at: Date): string {
  const second = Math.floor(at.getTime() / 1000);
  if (second !== epochSecond) {
    epochSecond = second;
    epochHex = second.toString(16);
  }
  return `Root=1-${epochHex}-${randomHex(24)}`;
}
