/**
 * Verifies a SigV4-signed request: Authorization header or presigned query, every service.
 *
 * Checks run in the order AWS reports them: missing authentication, malformed authentication, unknown
 * access key, clock skew (header auth; presigned URLs outside S3, which ignore X-Amz-Expires), expiry
 * (S3 presigned URLs), and last the signature. A refusal is typed data; `auth-errors.ts` turns it into
 * the error of the caller's protocol family.
 *
 * The body is only read when the edge buffered it. For a streamed S3 body the verdict says which
 * payload hash was signed, and `decodedPayload` (payload.ts) puts the matching check — SHA-256 or the
 * aws-chunked decoder — between the socket and the operation, finishing the job as the bytes arrive.
 *
 * ## Gaps
 * - dynalite's notes of DynamoDB's answers have it checking the request date before the access key;
 *   we report an unknown key first, for every service.
 * - SigV4a (AWS4-ECDSA-P256-SHA256) is refused as an unsupported algorithm.
 * - A request with both an Authorization header and X-Amz-* query parameters is judged by the header.
 * - `Host` is not required to be among the signed headers.
 */

import type { AuthParams } from "./auth-params.ts";
import { isPresigned, readAuthParams } from "./auth-params.ts";
import { deriveSigningKey, sha256Hex, signaturesEqual } from "./chunk-signing.ts";
import { computeSignature } from "./compute.ts";
import { parseQuery } from "./parse.ts";
import { choosePayloadHash, isHexSha256 } from "./payload.ts";
import {
  DEFAULT_MAX_SKEW_MINUTES,
  type SigV4Failure,
  type SigV4Request,
  STREAMING_SIGNED,
  STREAMING_SIGNED_TRAILER,
  type VerifiedRequest,
  type VerifyOptions,
  type VerifyResult,
} from "./types.ts";

export async function verifySigV4(request: SigV4Request, options: VerifyOptions): Promise<VerifyResult> {
  return verifySigV4Now(request, options);
}

/**
 * verifySigV4 without the promise: every check and hash runs synchronously, so the edge, which verifies
 * every request, spends no microtask on it. The same verdict, the same order of checks.
 */
export function verifySigV4Now(request: SigV4Request, options: VerifyOptions): VerifyResult {
  const query = parseQuery(request.rawQuery);
  const params = readAuthParams(request, query, options.s3);
  if ("kind" in params) return refuse(params);

  const payload = choosePayloadHash(request, query, params, options.s3);
  if ("reason" in payload) {
    const authorization = params.presigned ? "" : String(request.headers.authorization ?? "");
    return refuse({ kind: "malformed", presigned: params.presigned, authorization, ...payload });
  }

  const { credential } = params;
  const known = options.credentials.lookup(credential.accessKeyId);
  if (!known) {
    return refuse({ kind: "unknown-key", accessKeyId: credential.accessKeyId, presigned: params.presigned });
  }

  const timing = checkTime(params, options);
  if (timing) return refuse(timing);

  const computed = computeSignature({
    method: request.method,
    rawPath: request.rawPath,
    query,
    headers: request.headers,
    signedHeaders: params.signedHeaders,
    payloadHash: payload.payloadHash,
    presigned: params.presigned,
    s3: options.s3,
    accessKeyId: known.accessKeyId,
    secretAccessKey: known.secretAccessKey,
    region: credential.region,
    service: credential.service,
    signingDate: params.requestTime,
  });
  if (!signaturesEqual(computed.signature, params.signature)) {
    return refuse({
      kind: "signature-mismatch",
      presigned: params.presigned,
      accessKeyId: credential.accessKeyId,
      signatureProvided: params.signature,
      canonicalRequest: computed.canonicalRequest,
      stringToSign: computed.stringToSign,
    });
  }

  // S3 reads the body after authenticating; a buffered one can be held to its hash now.
  if (options.s3 && request.body !== undefined && isHexSha256(payload.payloadHash)) {
    const actual = sha256Hex(request.body);
    if (actual !== payload.payloadHash.toLowerCase()) {
      return refuse({
        kind: "content-sha256-mismatch",
        clientComputed: payload.payloadHash,
        computed: actual,
      });
    }
  }

  const verified: VerifiedRequest = {
    ok: true,
    accountId: known.accountId,
    accessKeyId: known.accessKeyId,
    region: credential.region,
    service: credential.service,
    presigned: params.presigned,
    payloadHash: payload.payloadHash,
  };
  if (payload.payloadHash === STREAMING_SIGNED || payload.payloadHash === STREAMING_SIGNED_TRAILER) {
    verified.streaming = {
      signingKey: deriveSigningKey(
        known.secretAccessKey,
        credential.date,
        credential.region,
        credential.service,
      ),
      seedSignature: params.signature,
      dateTime: params.dateTime,
      scope: `${credential.date}/${credential.region}/${credential.service}/aws4_request`,
    };
  }
  return verified;
}

/** True when the request carries any SigV4 authentication at all (header or query). */
export function hasSigV4(request: SigV4Request): boolean {
  return request.headers.authorization !== undefined || isPresigned(request, parseQuery(request.rawQuery));
}

function checkTime(params: AuthParams, options: VerifyOptions): SigV4Failure | undefined {
  const maxSkewMinutes = options.maxSkewMinutes ?? DEFAULT_MAX_SKEW_MINUTES;
  const maxSkewMs = maxSkewMinutes * 60_000;
  const now = options.now.getTime();
  const requestMs = params.requestTime.getTime();
  if (params.expires === undefined) {
    if (now - requestMs > maxSkewMs) return skew(params, options, maxSkewMinutes, "past");
    if (requestMs - now > maxSkewMs) return skew(params, options, maxSkewMinutes, "future");
    return undefined;
  }
  // An S3 presigned URL: valid from X-Amz-Date (less the skew allowance) for X-Amz-Expires seconds.
  if (requestMs - now > maxSkewMs) return skew(params, options, maxSkewMinutes, "future", params.expires);
  const expiresAt = requestMs + params.expires * 1000;
  if (now > expiresAt) {
    return {
      kind: "expired",
      expiresSeconds: params.expires,
      expiresAt: new Date(expiresAt),
      requestTime: params.requestTime,
      serverTime: options.now,
    };
  }
  return undefined;
}

// Module-level, not a closure in checkTime (which runs on every request): tsx compiles with esbuild's
// keepNames, which wraps each named closure in a `__name()` call (an Object.defineProperty) every
// time it is created.
function skew(
  params: AuthParams,
  options: VerifyOptions,
  maxSkewMinutes: number,
  direction: "past" | "future",
  expiresSeconds?: number,
): SigV4Failure {
  return {
    kind: "skew",
    presigned: params.presigned,
    direction,
    requestTimeRaw: params.requestTimeRaw,
    requestTime: params.requestTime,
    serverTime: options.now,
    maxSkewMinutes,
    ...(expiresSeconds === undefined ? {} : { expiresSeconds }),
  };
}

function refuse(failure: SigV4Failure): VerifyResult {
  return { ok: false, failure };
}
