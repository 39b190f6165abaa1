/**
 * Which payload hash a request's signature covers, and the check of a streamed body against it.
 *
 * S3 requires `x-amz-content-sha256` on header-signed requests and signs whatever it says: a hex
 * SHA-256 (checked against the body), UNSIGNED-PAYLOAD, or one of the STREAMING-* markers of an
 * aws-chunked body. A presigned URL's payload is UNSIGNED-PAYLOAD unless it says otherwise. Every other
 * service hashes the body it received, whatever the header claims — so a lying header fails the
 * signature there, as on AWS.
 */
import { createHash } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { Readable, Transform, type TransformCallback } from "node:stream";
import { AwsError } from "../errors.ts";
import type { AuthParams } from "./auth-params.ts";
import { bodyTerminatedUnexpectedly, contentSha256Mismatch } from "./body-errors.ts";
import { sha256Hex } from "./chunk-signing.ts";
import { createChunkedDecoder } from "./chunked.ts";
import { chunkedDecoderOptions, isAwsChunked } from "./chunked-options.ts";
import { headerValue, queryParam } from "./parse.ts";
import {
  EMPTY_SHA256,
  type MalformedReason,
  type SigV4Request,
  STREAMING_SIGNED,
  STREAMING_SIGNED_TRAILER,
  STREAMING_UNSIGNED_TRAILER,
  UNSIGNED_PAYLOAD,
  type VerifiedRequest,
} from "./types.ts";

const LITERALS = new Set([
  UNSIGNED_PAYLOAD,
  STREAMING_SIGNED,
  STREAMING_SIGNED_TRAILER,
  STREAMING_UNSIGNED_TRAILER,
]);
const HEX_SHA256 = /^[0-9a-fA-F]{64}$/;

export function isHexSha256(value: string): boolean {
  return HEX_SHA256.test(value);
}

/** The payload hash to sign with, or the reason S3 refuses the request's `x-amz-content-sha256`. */
export function choosePayloadHash(
  request: SigV4Request,
  query: ReadonlyArray<[string, string]>,
  params: AuthParams,
  s3: boolean,
): { payloadHash: string } | MalformedReason {
  const header = headerValue(request.headers, "x-amz-content-sha256");
  if (!s3) {
    if (header !== undefined && LITERALS.has(header)) return { payloadHash: header };
    if (request.body !== undefined) return { payloadHash: sha256Hex(request.body) };
    return { payloadHash: header !== undefined && isHexSha256(header) ? header : EMPTY_SHA256 };
  }
  const claimed = params.presigned
    ? (queryParam(query, "X-Amz-Content-Sha256") ?? header ?? UNSIGNED_PAYLOAD)
    : header;
  if (claimed === undefined) return { reason: "content-sha256-missing" };
  if (!LITERALS.has(claimed) && !isHexSha256(claimed))
    return { reason: "content-sha256-invalid", value: claimed };
  return { payloadHash: claimed };
}

/**
 * A pass-through stream that hashes a streamed S3 body and fails with XAmzContentSHA256Mismatch at its
 * end when the body was not what `x-amz-content-sha256` promised. Until the stream ends without error,
 * the bytes that went through are unverified.
 */
export function createPayloadHashCheck(expectedHex: string): Transform {
  const hash = createHash("sha256");
  return new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
      hash.update(chunk);
      callback(null, chunk);
    },
    flush(callback: TransformCallback) {
      const computed = hash.digest("hex");
      callback(computed === expectedHex.toLowerCase() ? null : contentSha256Mismatch(expectedHex, computed));
    },
  });
}

/**
 * The body an operation reads, for a request whose body the edge streams (S3): the socket's bytes
 * through whatever check the signed payload hash calls for — the aws-chunked decoder (an
 * `AwsChunkedDecoder`, whose `result` carries the verified trailing checksum), the SHA-256 check, or
 * nothing for UNSIGNED-PAYLOAD. A problem with the aws-chunked headers (no
 * x-amz-decoded-content-length...) comes out as the stream's error, like every body failure.
 */
/**
 * The body of a request that has none on the wire (neither Content-Length above 0 nor
 * Transfer-Encoding: an HTTP/1.1 request without them has an empty body), as the operation sees it:
 * an empty Buffer when the signed payload hash allows an empty body, else undefined and the caller
 * falls back to decodedPayload's stream (which reports what is wrong as it is read). Why: a GET of a
 * 1 KB object built a SHA-256 Transform, piped the socket into it and iterated it to its end, all for
 * zero bytes (about a tenth of the request's CPU in the 1 KB GET profile).
 */
export function emptyPayload(
  headers: IncomingHttpHeaders,
  verified: Pick<VerifiedRequest, "payloadHash">,
): Buffer | undefined {
  const length = headers["content-length"];
  if ((length !== undefined && length !== "0") || headers["transfer-encoding"] !== undefined)
    return undefined;
  const hash = verified.payloadHash;
  if (hash === EMPTY_SHA256 || hash === UNSIGNED_PAYLOAD) return EMPTY_BODY;
  return undefined;
}

/** Shared: operations only read request bodies. */
const EMPTY_BODY = Buffer.alloc(0);

export function decodedPayload(
  body: Readable,
  headers: IncomingHttpHeaders,
  verified: Pick<VerifiedRequest, "payloadHash" | "streaming">,
): Readable {
  if (isAwsChunked(verified.payloadHash)) {
    const options = chunkedDecoderOptions(headers, verified);
    if (options instanceof AwsError) {
      return new Readable({
        read() {
          this.destroy(options);
        },
      });
    }
    return through(body, createChunkedDecoder(options));
  }
  if (isHexSha256(verified.payloadHash)) return through(body, createPayloadHashCheck(verified.payloadHash));
  return body;
}

function through<T extends Transform>(source: Readable, transform: T): T {
  // Not stream.pipeline: on a failed check it would destroy the source — the client's socket — and
  // with it the chance to answer the error. A source that errors or closes early ends the check instead.
  source.once("error", (error) => transform.destroy(error));
  source.once("close", () => {
    if (!source.readableEnded && !transform.destroyed) transform.destroy(bodyTerminatedUnexpectedly());
  });
  source.pipe(transform);
  return transform;
}
