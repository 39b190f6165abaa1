/**
 * Computes the signature a request should carry, with @smithy/signature-v4 — the very code the AWS SDK
 * for JavaScript signs with — so Stratus and its clients cannot drift apart on canonicalisation
 * (header trimming, path escaping, query sorting and encoding).
 *
 * smithy signs outgoing requests; a verifier needs the same arithmetic on what the client said it
 * signed. Rather than run sign()/presign() per request (a new signer, a cloned HttpRequest, header
 * bookkeeping, five awaits: ~a quarter of a GetItem's CPU), the steps those two methods take are
 * replayed here with smithy's own pieces, on one long-lived, stateless signer per path-escaping mode:
 * `getCanonicalHeaders` over only the headers listed in SignedHeaders (all of them signable, as
 * smithy never signs e.g. `user-agent` on its own), less the ones sign()/presign() regenerate
 * (`GENERATED_HEADERS`; sign() then adds its own `x-amz-date`, kept only when it was signed),
 * `createCanonicalRequest` with the query on the wire (presign() would add its own X-Amz-* values) and
 * the payload hash we chose (smithy trusts an `x-amz-content-sha256` header; AWS hashes the body for
 * non-S3 services). The last three steps — the string to sign (`createStringToSign`), the signing key
 * (`getSigningKey`) and the final HMAC (`getSignature`) — are fixed formulas of the SigV4 spec that
 * smithy runs through promises (an await per hash); here they run synchronously on node:crypto, so a
 * verification costs no microtask hop at all. The canonical request and string to sign are returned
 * too: AWS echoes them in its errors.
 *
 * ## Gaps
 * - smithy always drops a `date` header and signs `x-amz-date`, so a request dated only by `Date`
 *   (no SDK does this) never verifies.
 */
import { createHmac, hash } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import {
  AMZ_DATE_HEADER,
  createScope,
  GENERATED_HEADERS,
  getCanonicalHeaders,
  SignatureV4,
} from "@smithy/signature-v4";
import type { HeaderBag, HttpRequest as SmithyHttpRequest } from "@smithy/types";
import { isRootRequest, rootCanonicalRequest } from "./canonical-root.ts";
import { deriveSigningKey } from "./chunk-signing.ts";
import { formatAmzDate, headerValue } from "./parse.ts";
import { ALGORITHM } from "./types.ts";

type QueryBag = Record<string, string | string[]>;

/**
 * Signing keys by date, region, service and secret: one key serves every request of a day, so the four
 * chained HMACs run once per credential and day. Only keys are kept, never a verdict: every request's
 * signature is still computed in full. Bounded like smithy's own cache.
 */
const signingKeys = new Map<string, Buffer>();
const MAX_SIGNING_KEYS = 50;

function signingKey(secretAccessKey: string, shortDate: string, region: string, service: string): Buffer {
  // Unambiguous: the date is digits, region and service come from a credential split on "/", and the
  // secret, which may hold anything, comes last.
  const id = `${shortDate}/${region}/${service}/${secretAccessKey}`;
  let key = signingKeys.get(id);
  if (key === undefined) {
    if (signingKeys.size >= MAX_SIGNING_KEYS) signingKeys.clear();
    key = deriveSigningKey(secretAccessKey, shortDate, region, service);
    signingKeys.set(id, key);
  }
  return key;
}

/**
 * Opens up the one protected, stateless step of SignatureV4 this file needs. The instance holds no
 * per-request state (credentials, region and service are passed per call, not read from it), so one
 * per path-escaping mode serves every request, concurrent ones included.
 */
class CanonicalSigner extends SignatureV4 {
  canonicalRequestOf(request: SmithyHttpRequest, headers: HeaderBag, payloadHash: string): string {
    return this.createCanonicalRequest(request, headers, payloadHash);
  }
}

/** Never called: the signers above only canonicalise, they never hash or sign. */
class NoSha256 {
  update(): void {
    throw new Error("compute.ts hashes with node:crypto, not through smithy");
  }
  digest(): Promise<Uint8Array> {
    return Promise.reject(new Error("compute.ts hashes with node:crypto, not through smithy"));
  }
  reset(): void {}
}

// Never used to sign: the credentials are only there because the constructor requires some.
const signerInit = {
  credentials: { accessKeyId: "", secretAccessKey: "" },
  region: "",
  service: "",
  sha256: NoSha256,
};
const escapingSigner = new CanonicalSigner({ ...signerInit, uriEscapePath: true, applyChecksum: false });
const verbatimSigner = new CanonicalSigner({ ...signerInit, uriEscapePath: false, applyChecksum: false });
const NO_HEADERS: ReadonlySet<string> = new Set();
const X_AMZ_DATE_ONLY: ReadonlySet<string> = new Set([AMZ_DATE_HEADER]);

export interface SignatureInput {
  method: string;
  rawPath: string;
  query: ReadonlyArray<[string, string]>;
  headers: IncomingHttpHeaders;
  signedHeaders: readonly string[];
  payloadHash: string;
  presigned: boolean;
  /** S3 signs the path as sent; every other service normalises it and encodes it a second time. */
  s3: boolean;
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
  service: string;
  signingDate: Date;
}

export interface ComputedSignature {
  signature: string;
  canonicalRequest: string;
  stringToSign: string;
}

export function computeSignature(input: SignatureInput): ComputedSignature {
  // smithy's formatDate() is toISOString() less "-", ":" and milliseconds; formatAmzDate writes the very
  // same string without the two regular-expression passes.
  const longDate = formatAmzDate(input.signingDate);
  const headers: Record<string, string> = {};
  let amzDateSigned = false;
  for (const name of input.signedHeaders) {
    // What sign() and presign() do to the headers before canonicalising them (prepareRequest): leave
    // out the ones they generate (skipped here rather than deleted afterwards: `delete` turns the
    // object into a slow dictionary); sign() then writes its own x-amz-date, below.
    if (GENERATED_HEADERS.includes(name)) {
      if (name === AMZ_DATE_HEADER) amzDateSigned = true;
      continue;
    }
    // A signed header the request lacks is signed as empty ("name:"), as AWS does.
    headers[name] = headerValue(input.headers, name) ?? "";
  }
  if (!input.presigned) headers[AMZ_DATE_HEADER] = longDate;
  let canonicalRequest: string;
  if (isRootRequest(input.rawPath, input.query.length)) {
    // sign() always sets x-amz-date; it stays out of the canonical headers unless it was signed.
    const skip = input.presigned || amzDateSigned ? undefined : AMZ_DATE_HEADER;
    canonicalRequest = rootCanonicalRequest(input.method, headers, skip, input.payloadHash);
  } else {
    canonicalRequest = smithyCanonicalRequest(input, headers, new Set(input.signedHeaders));
  }
  const shortDate = longDate.slice(0, 8);
  const scope = createScope(shortDate, input.region, input.service);
  // smithy's createStringToSign: algorithm, date, scope and the hex SHA-256 of the canonical request.
  const stringToSign = `${ALGORITHM}\n${longDate}\n${scope}\n${hash("sha256", canonicalRequest, "hex")}`;
  const key = signingKey(input.secretAccessKey, shortDate, input.region, input.service);
  // getSignature()'s last step, HMAC(key, string to sign) in hex.
  const signature = createHmac("sha256", key).update(stringToSign, "utf8").digest("hex");
  return { signature, canonicalRequest, stringToSign };
}

/** The canonical request by smithy's own steps, for any path and query. */
function smithyCanonicalRequest(
  input: SignatureInput,
  headers: Record<string, string>,
  signedNames: ReadonlySet<string>,
): string {
  const query: QueryBag = {};
  for (const [key, value] of input.query) {
    const before = query[key];
    query[key] = before === undefined ? value : [...(Array.isArray(before) ? before : [before]), value];
  }
  // sign() always sets x-amz-date; it must stay out of the canonical headers unless it was signed.
  const unsignable = input.presigned
    ? undefined
    : signedNames.has(AMZ_DATE_HEADER)
      ? NO_HEADERS
      : X_AMZ_DATE_ONLY;
  const canonicalHeaders = getCanonicalHeaders(
    { headers } as unknown as SmithyHttpRequest,
    unsignable as Set<string> | undefined,
    signedNames as Set<string>,
  );
  const signer = input.s3 ? verbatimSigner : escapingSigner;
  return signer.canonicalRequestOf(
    {
      method: input.method,
      protocol: "http:",
      hostname: "localhost",
      path: input.rawPath === "" ? "/" : input.rawPath,
      query,
      headers,
    },
    canonicalHeaders,
    input.payloadHash,
  );
}
