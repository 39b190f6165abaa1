/**
 * The shapes SigV4 verification speaks in: the request as the edge hands it over, the verdict, and the
 * typed reasons a request is refused. Turning a refusal into AWS's wire error is `auth-errors.ts`'s job;
 * nothing here knows which service asked.
 */
import type { IncomingHttpHeaders } from "node:http";
import type { CredentialStore } from "../credentials.ts";

/** The `x-amz-content-sha256` values that are not a hash (S3 API reference, "sig-v4-header-based-auth"). */
export const UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
export const STREAMING_SIGNED = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD";
export const STREAMING_SIGNED_TRAILER = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER";
export const STREAMING_UNSIGNED_TRAILER = "STREAMING-UNSIGNED-PAYLOAD-TRAILER";
/** SHA-256 of the empty string: the payload hash of a request without a body. */
export const EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

export const ALGORITHM = "AWS4-HMAC-SHA256";
/** Header auth tolerates this much clock difference, both ways (AWS: "- 15 min." / "+ 15 min."). */
export const DEFAULT_MAX_SKEW_MINUTES = 15;
/** S3 presigned URLs live at most a week (S3 API reference, "sigv4-query-string-auth"). */
export const MAX_PRESIGNED_EXPIRES_SECONDS = 604_800;

/** A request as it arrived, before anything was decoded. */
export interface SigV4Request {
  method: string;
  /** The path as on the wire: still percent-encoded, without the query. */
  rawPath: string;
  /** Everything after `?`, or "". */
  rawQuery: string;
  /** Node's headers: lower-case names. */
  headers: IncomingHttpHeaders;
  /** The body when the edge buffered it; absent for streamed S3 bodies. */
  body?: Uint8Array;
}

export interface VerifyOptions {
  credentials: CredentialStore;
  now: Date;
  /** S3 signs the path as sent (no normalisation, no second encoding) and has its own payload rules. */
  s3: boolean;
  /** Some services allow less than 15 minutes (Lambda has been seen answering "- 5 min."). */
  maxSkewMinutes?: number;
}

/** What the aws-chunked decoder needs to check chunk and trailer signatures. */
export interface StreamingSigning {
  signingKey: Buffer;
  /** The request's own signature: the first link of the chunk-signature chain. */
  seedSignature: string;
  /** The request's X-Amz-Date, e.g. "20130524T000000Z". */
  dateTime: string;
  /** "20130524/us-east-1/s3/aws4_request". */
  scope: string;
}

export interface VerifiedRequest {
  ok: true;
  accountId: string;
  accessKeyId: string;
  region: string;
  service: string;
  presigned: boolean;
  /** The payload hash that was signed: a hex SHA-256 or one of the literals above. */
  payloadHash: string;
  /** Present when the body is chunk-signed (`STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]`). */
  streaming?: StreamingSigning;
}

/** Why a request's authentication could not even be read; `auth-errors.ts` has each one's AWS text. */
export type MalformedReason =
  | { reason: "algorithm"; algorithm: string }
  | { reason: "missing-components"; missing: string[]; missingDate: boolean }
  | { reason: "key-value-pair"; component: string }
  | { reason: "credential"; credential: string }
  | { reason: "terminator"; terminator: string }
  | { reason: "date"; date: string }
  | { reason: "credential-date"; credentialDate: string; requestDate: string }
  | { reason: "query-parameters" }
  | { reason: "expires-not-number" | "expires-negative" | "expires-too-large"; expires: string }
  | { reason: "content-sha256-missing" }
  | { reason: "content-sha256-invalid"; value: string };

export type SigV4Failure =
  | { kind: "missing" }
  | ({ kind: "malformed"; presigned: boolean; authorization: string } & MalformedReason)
  | { kind: "unknown-key"; accessKeyId: string; presigned: boolean }
  | {
      kind: "skew";
      presigned: boolean;
      direction: "past" | "future";
      /** The request's date as sent (S3 echoes it verbatim). */
      requestTimeRaw: string;
      requestTime: Date;
      serverTime: Date;
      maxSkewMinutes: number;
      /** S3 presigned only: X-Amz-Expires, for the "Request is not yet valid" body. */
      expiresSeconds?: number;
    }
  | { kind: "expired"; expiresSeconds: number; expiresAt: Date; requestTime: Date; serverTime: Date }
  | {
      kind: "signature-mismatch";
      presigned: boolean;
      accessKeyId: string;
      signatureProvided: string;
      canonicalRequest: string;
      stringToSign: string;
    }
  | { kind: "content-sha256-mismatch"; clientComputed: string; computed: string };

export type VerifyResult = VerifiedRequest | { ok: false; failure: SigV4Failure };
