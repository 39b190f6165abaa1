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
 * non-S3 services), `createStringToSign`, `getSigningKey` (with smithy's key cache) and the final HMAC
 * as `getSignature` does it. The canonical request and string to sign are returned too: AWS echoes
 * them in its errors.
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
  getSigningKey,
  SignatureV4,
} from "@smithy/signature-v4";
import type { HeaderBag, HttpRequest as SmithyHttpRequest, SourceData } from "@smithy/types";
import { formatAmzDate, headerValue } from "./parse.ts";

type QueryBag = Record<string, string | string[]>;

/**
 * The SHA-256 constructor smithy is given (its `Checksum` interface). It does what @smithy/hash-node's
 * `Hash` does, minus the cost: an unkeyed digest is one `crypto.hash()` call (no Hash object, no
 * stream machinery), and input is passed to node as is instead of being copied into a Uint8Array.
 */
class Sha256 {
  readonly #secret: string | Uint8Array | undefined;
  #data: string | Uint8Array = "";

  constructor(secret?: SourceData) {
    this.#secret = secret === undefined ? undefined : bytes(secret);
  }

  update(data: SourceData): void {
    // smithy hashes one piece at a time; should it ever send several, join them.
    const piece = bytes(data);
    this.#data = this.#data === "" ? piece : Buffer.concat([Buffer.from(this.#data), Buffer.from(piece)]);
  }

  digest(): Promise<Uint8Array> {
    const data = this.#data;
    return Promise.resolve(
      this.#secret === undefined
        ? hash("sha256", data, "buffer")
        : createHmac("sha256", this.#secret).update(data).digest(),
    );
  }

  reset(): void {
    this.#data = "";
  }
}
const sha256 = Sha256;

function bytes(data: SourceData): string | Uint8Array {
  if (typeof data === "string") return data;
  return ArrayBuffer.isView(data)
    ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
    : new Uint8Array(data);
}

/**
 * Signing keys by secret, date, region and service. smithy's getSigningKey caches too, but finding its
 * entry costs an HMAC of the credentials per call; this lookup is a string key. Only keys are kept,
 * never a verdict: every request's signature is still computed in full. Bounded like smithy's cache.
 */
const signingKeys = new Map<string, Promise<Uint8Array>>();
const MAX_SIGNING_KEYS = 50;

function signingKey(
  credentials: { accessKeyId: string; secretAccessKey: string },
  shortDate: string,
  region: string,
  service: string,
): Promise<Uint8Array> {
  // Unambiguous: the date is digits, region and service come from a credential split on "/", and the
  // secret, which may hold anything, comes last.
  const id = `${shortDate}/${region}/${service}/${credentials.secretAccessKey}`;
  let key = signingKeys.get(id);
  if (key === undefined) {
    if (signingKeys.size >= MAX_SIGNING_KEYS) signingKeys.clear();
    key = getSigningKey(sha256, credentials, shortDate, region, service);
    signingKeys.set(id, key);
    // A failed derivation must not stay cached.
    key.catch(() => signingKeys.delete(id));
  }
  return key;
}

/**
 * Opens up the two protected, stateless steps of SignatureV4 this file needs. The instance holds no
 * per-request state (credentials, region and service are passed per call, not read from it), so one
 * per path-escaping mode serves every request, concurrent ones included.
 */
class CanonicalSigner extends SignatureV4 {
  canonicalRequestOf(request: SmithyHttpRequest, headers: HeaderBag, payloadHash: string): string {
    return this.createCanonicalRequest(request, headers, payloadHash);
  }

  stringToSignOf(longDate: string, scope: string, canonicalRequest: string): Promise<string> {
    return this.createStringToSign(longDate, scope, canonicalRequest, "AWS4-HMAC-SHA256");
  }
}

// Never used to sign: the credentials are only there because the constructor requires some.
const signerInit = { credentials: { accessKeyId: "", secretAccessKey: "" }, region: "", service: "", sha256 };
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

export async function computeSignature(input: SignatureInput): Promise<ComputedSignature> {
  const query: QueryBag = {};
  for (const [key, value] of input.query) {
    const before = query[key];
    query[key] = before === undefined ? value : [...(Array.isArray(before) ? before : [before]), value];
  }
  const signer = input.s3 ? verbatimSigner : escapingSigner;
  // smithy's formatDate() is toISOString() less "-", ":" and milliseconds; formatAmzDate writes the very
  // same string without the two regular-expression passes.
  const longDate = formatAmzDate(input.signingDate);
  const headers: Record<string, string> = {};
  // A signed header the request lacks is signed as empty ("name:"), as AWS does.
  for (const name of input.signedHeaders) headers[name] = headerValue(input.headers, name) ?? "";
  // What sign() and presign() do to the headers before canonicalising them (prepareRequest): drop the
  // ones they generate; sign() then writes its own x-amz-date.
  for (const name of GENERATED_HEADERS) delete headers[name];
  const signedNames = new Set(input.signedHeaders);
  let unsignable: ReadonlySet<string> | undefined;
  if (!input.presigned) {
    headers[AMZ_DATE_HEADER] = longDate;
    // sign() always sets x-amz-date; it must stay out of the canonical headers unless it was signed.
    unsignable = signedNames.has(AMZ_DATE_HEADER) ? NO_HEADERS : X_AMZ_DATE_ONLY;
  }
  const canonicalHeaders = getCanonicalHeaders(
    { headers } as unknown as SmithyHttpRequest,
    unsignable as Set<string> | undefined,
    signedNames,
  );
  const canonicalRequest = signer.canonicalRequestOf(
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
  const shortDate = longDate.slice(0, 8);
  const scope = createScope(shortDate, input.region, input.service);
  const credentials = { accessKeyId: input.accessKeyId, secretAccessKey: input.secretAccessKey };
  const [stringToSign, key] = await Promise.all([
    signer.stringToSignOf(longDate, scope, canonicalRequest),
    signingKey(credentials, shortDate, input.region, input.service),
  ]);
  // getSignature()'s last step, HMAC(key, string to sign) in hex, without its extra Hash wrapper.
  const signature = createHmac("sha256", key).update(stringToSign, "utf8").digest("hex");
  return { signature, canonicalRequest, stringToSign };
}
