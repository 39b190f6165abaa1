/**
 * Reads the signing parameters of a request — from the Authorization header, or from the X-Amz-*
 * query parameters of a presigned URL — into one shape, or says why they cannot be read.
 *
 * The order of the checks follows what AWS was seen answering first (dynalite's notes of DynamoDB's
 * responses, architect/dynalite index.js): a header that is not SigV4 at all, missing components, the
 * date, the algorithm, the credential's shape, its terminator, and its date against the request's.
 */

import {
  type CredentialParts,
  formatAmzDate,
  headerValue,
  parseAmzDate,
  parseAuthorization,
  parseCredential,
  queryParam,
} from "./parse.ts";
import type { SigV4Request } from "./types.ts";
import {
  ALGORITHM,
  MAX_PRESIGNED_EXPIRES_SECONDS,
  type MalformedReason,
  type SigV4Failure,
} from "./types.ts";

export interface AuthParams {
  presigned: boolean;
  credential: CredentialParts;
  signedHeaders: string[];
  signature: string;
  /** The request's date as sent, and parsed. */
  requestTimeRaw: string;
  requestTime: Date;
  /** `YYYYMMDDTHHMMSSZ`, what the signature covers. */
  dateTime: string;
  /** X-Amz-Expires of an S3 presigned URL. */
  expires?: number;
}

const REQUIRED_COMPONENTS = ["Credential", "Signature", "SignedHeaders"];

const PRESIGN_PARAMS = [
  "X-Amz-Algorithm",
  "X-Amz-Credential",
  "X-Amz-Signature",
  "X-Amz-Date",
  "X-Amz-SignedHeaders",
];

/** True when the request carries query-string authentication instead of an Authorization header. */
export function isPresigned(request: SigV4Request, query: ReadonlyArray<[string, string]>): boolean {
  if (headerValue(request.headers, "authorization") !== undefined) return false;
  return query.some(
    ([key]) => key === "X-Amz-Algorithm" || key === "X-Amz-Credential" || key === "X-Amz-Signature",
  );
}

export function readAuthParams(
  request: SigV4Request,
  query: ReadonlyArray<[string, string]>,
  s3: boolean,
): AuthParams | SigV4Failure {
  return isPresigned(request, query) ? readQueryParams(query, s3) : readHeaderParams(request);
}

function readHeaderParams(request: SigV4Request): AuthParams | SigV4Failure {
  const authorization = headerValue(request.headers, "authorization");
  if (authorization === undefined) return { kind: "missing" };
  // malformedHeader(authorization, …) rather than a `malformed` closure: tsx compiles with esbuild's
  // keepNames, which wraps each named closure in a `__name()` call (an Object.defineProperty) every
  // time it is created, i.e. on every request.
  const parsed = parseAuthorization(authorization);
  // Not SigV4 at all (SigV2 "AWS …", "Bearer …"): nothing else about it is worth checking.
  if (!parsed.algorithm.startsWith("AWS4-"))
    return malformedHeader(authorization, { reason: "algorithm", algorithm: parsed.algorithm });
  if (parsed.badComponent !== undefined)
    return malformedHeader(authorization, { reason: "key-value-pair", component: parsed.badComponent });
  const params = parsed.params;
  const complete = !!params.get("Credential") && !!params.get("Signature") && !!params.get("SignedHeaders");
  const amzDate = headerValue(request.headers, "x-amz-date");
  const rawDate = amzDate ?? headerValue(request.headers, "date");
  if (!complete || rawDate === undefined) {
    const missing = REQUIRED_COMPONENTS.filter((name) => !params.get(name));
    return malformedHeader(authorization, {
      reason: "missing-components",
      missing,
      missingDate: rawDate === undefined,
    });
  }
  const requestTime = amzDate !== undefined ? parseAmzDate(rawDate) : parseHttpDate(rawDate);
  if (requestTime === undefined) return malformedHeader(authorization, { reason: "date", date: rawDate });
  if (parsed.algorithm !== ALGORITHM)
    return malformedHeader(authorization, { reason: "algorithm", algorithm: parsed.algorithm });
  const credentialText = parsed.params.get("Credential") ?? "";
  const credential = parseCredential(credentialText);
  if (!credential)
    return malformedHeader(authorization, { reason: "credential", credential: credentialText });
  const dateTime = formatAmzDate(requestTime);
  const scopeProblem = checkScope(credential, dateTime);
  if (scopeProblem) return malformedHeader(authorization, scopeProblem);
  return {
    presigned: false,
    credential,
    signedHeaders: splitSignedHeaders(parsed.params.get("SignedHeaders") ?? ""),
    signature: parsed.params.get("Signature") ?? "",
    requestTimeRaw: rawDate,
    requestTime,
    dateTime,
  };
}

function malformedHeader(authorization: string, reason: MalformedReason): SigV4Failure {
  return { kind: "malformed", presigned: false, authorization, ...reason };
}

function readQueryParams(query: ReadonlyArray<[string, string]>, s3: boolean): AuthParams | SigV4Failure {
  const malformed = (reason: MalformedReason): SigV4Failure => ({
    kind: "malformed",
    presigned: true,
    authorization: "",
    ...reason,
  });
  const param = (name: string) => queryParam(query, name);
  // AWS ignores X-Amz-Expires outside S3 (aws/aws-sdk-go#2167: STS presigned URLs live 15 minutes).
  const required = s3 ? [...PRESIGN_PARAMS, "X-Amz-Expires"] : PRESIGN_PARAMS;
  if (required.some((name) => !param(name))) return malformed({ reason: "query-parameters" });
  const algorithm = param("X-Amz-Algorithm") ?? "";
  if (algorithm !== ALGORITHM) return malformed({ reason: "algorithm", algorithm });
  const credentialText = param("X-Amz-Credential") ?? "";
  const credential = parseCredential(credentialText);
  if (!credential) return malformed({ reason: "credential", credential: credentialText });
  const rawDate = param("X-Amz-Date") ?? "";
  const requestTime = parseAmzDate(rawDate);
  if (requestTime === undefined) return malformed({ reason: "date", date: rawDate });
  let expires: number | undefined;
  if (s3) {
    const text = param("X-Amz-Expires") ?? "";
    if (!/^-?\d+$/.test(text)) return malformed({ reason: "expires-not-number", expires: text });
    expires = Number(text);
    if (expires < 0) return malformed({ reason: "expires-negative", expires: text });
    if (expires > MAX_PRESIGNED_EXPIRES_SECONDS)
      return malformed({ reason: "expires-too-large", expires: text });
  }
  const scopeProblem = checkScope(credential, rawDate);
  if (scopeProblem) return malformed(scopeProblem);
  const params: AuthParams = {
    presigned: true,
    credential,
    signedHeaders: splitSignedHeaders(param("X-Amz-SignedHeaders") ?? ""),
    signature: param("X-Amz-Signature") ?? "",
    requestTimeRaw: rawDate,
    requestTime,
    dateTime: rawDate,
  };
  if (expires !== undefined) params.expires = expires;
  return params;
}

function checkScope(credential: CredentialParts, dateTime: string): MalformedReason | undefined {
  if (credential.terminator !== "aws4_request") {
    return { reason: "terminator", terminator: credential.terminator };
  }
  if (credential.date !== dateTime.slice(0, 8)) {
    return { reason: "credential-date", credentialDate: credential.date, requestDate: dateTime };
  }
  return undefined;
}

function splitSignedHeaders(text: string): string[] {
  return text
    .split(";")
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name !== "");
}

/** An HTTP `Date` header (RFC 7231 IMF-fixdate and the other forms Date.parse knows). */
function parseHttpDate(text: string): Date | undefined {
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : new Date(Math.floor(ms / 1000) * 1000);
}
