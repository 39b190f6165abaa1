/**
 * The HMAC arithmetic of SigV4 streaming uploads: the signing key, and the strings each chunk and the
 * trailer sign. The request signature itself is computed by @smithy/signature-v4 (`compute.ts`); this
 * file only covers what comes after it, the chain that starts from the request's signature.
 *
 * Source: S3 API reference, "Signature Calculations for the Authorization Header: Transferring Payload
 * in Multiple Chunks" (sigv4-streaming) and "... Including Trailing Headers" (sigv4-streaming-trailers).
 */
import { createHmac, hash } from "node:crypto";
import { EMPTY_SHA256 } from "./types.ts";

/** kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request"). */
export function deriveSigningKey(secret: string, shortDate: string, region: string, service: string): Buffer {
  let key: Buffer = Buffer.from(`AWS4${secret}`, "utf8");
  for (const part of [shortDate, region, service, "aws4_request"]) {
    key = createHmac("sha256", key).update(part, "utf8").digest();
  }
  return key;
}

export function hmacHex(key: Buffer, text: string): string {
  return createHmac("sha256", key).update(text, "utf8").digest("hex");
}

export function sha256Hex(data: Uint8Array | string): string {
  // One-shot crypto.hash(): no Hash object or stream machinery per call (every signed request hashes
  // its body here).
  return hash("sha256", data, "hex");
}

/**
 * What one chunk signs: "AWS4-HMAC-SHA256-PAYLOAD" \n date \n scope \n previous signature \n
 * SHA-256 of the empty string (the chunk has no headers) \n SHA-256 of the chunk's data.
 */
export function chunkStringToSign(
  dateTime: string,
  scope: string,
  previous: string,
  chunkSha256: string,
): string {
  return ["AWS4-HMAC-SHA256-PAYLOAD", dateTime, scope, previous, EMPTY_SHA256, chunkSha256].join("\n");
}

/**
 * What the trailer signs: "AWS4-HMAC-SHA256-TRAILER" \n date \n scope \n signature of the final
 * (empty) chunk \n SHA-256 of the trailing headers, each written `name:value\n`.
 */
export function trailerStringToSign(
  dateTime: string,
  scope: string,
  previous: string,
  trailerSha256: string,
): string {
  return ["AWS4-HMAC-SHA256-TRAILER", dateTime, scope, previous, trailerSha256].join("\n");
}

/** The canonical form of trailing headers that the trailer signature covers. */
export function canonicalTrailer(trailers: ReadonlyArray<readonly [string, string]>): string {
  return trailers.map(([name, value]) => `${name}:${value}\n`).join("");
}

/** Compares two signatures without leaking, through timing, how much of them matched. */
export function signaturesEqual(expected: string, provided: string): boolean {
  // Every signature is checked here, so no Buffers: both strings are compared char by char, always to
  // the end (an OR of XORs, as timingSafeEqual does on bytes). Only the length can end it early, and
  // the length of a hex SHA-256 is public.
  if (expected.length !== provided.length) return false;
  let difference = 0;
  for (let i = 0; i < expected.length; i++) difference |= expected.charCodeAt(i) ^ provided.charCodeAt(i);
  return difference === 0;
}
