/**
 * Computes the signature a request should carry, with @smithy/signature-v4 — the very code the AWS SDK
 * for JavaScript signs with — so Stratus and its clients cannot drift apart on canonicalisation
 * (header trimming, path escaping, query sorting and encoding).
 *
 * smithy signs outgoing requests, so it is fed a request rebuilt from exactly what the client said it
 * signed: only the headers listed in SignedHeaders, `signableHeaders` so that none of them is dropped
 * (smithy never signs e.g. `user-agent` on its own), `unhoistableHeaders` so that presign() moves none
 * of them into the query. Two inputs it would otherwise derive itself are pinned by a subclass: the
 * query (presign() adds its own X-Amz-* values; we need the ones on the wire) and the payload hash
 * (smithy trusts an `x-amz-content-sha256` header; AWS hashes the body for non-S3 services). The
 * subclass also keeps the canonical request and string to sign, which AWS echoes in its errors.
 *
 * ## Gaps
 * - smithy always drops a `date` header and signs `x-amz-date`, so a request dated only by `Date`
 *   (no SDK does this) never verifies.
 */
import type { IncomingHttpHeaders } from "node:http";
import { Hash } from "@smithy/hash-node";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";
import type { HeaderBag, HttpRequest as SmithyHttpRequest } from "@smithy/types";
import { headerValue } from "./parse.ts";

type QueryBag = Record<string, string | string[]>;

class PinnedSigner extends SignatureV4 {
  canonicalRequest = "";
  stringToSign = "";
  readonly #query: QueryBag;
  readonly #payloadHash: string;

  constructor(init: ConstructorParameters<typeof SignatureV4>[0], query: QueryBag, payloadHash: string) {
    super(init);
    this.#query = query;
    this.#payloadHash = payloadHash;
  }

  protected override createCanonicalRequest(
    request: SmithyHttpRequest,
    headers: HeaderBag,
    _payloadHash: string,
  ) {
    this.canonicalRequest = super.createCanonicalRequest(
      { ...request, query: this.#query },
      headers,
      this.#payloadHash,
    );
    return this.canonicalRequest;
  }

  protected override async createStringToSign(
    longDate: string,
    scope: string,
    canonical: string,
    algorithm: string,
  ) {
    this.stringToSign = await super.createStringToSign(longDate, scope, canonical, algorithm);
    return this.stringToSign;
  }
}

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
  const headers: Record<string, string> = {};
  // A signed header the request lacks is signed as empty ("name:"), as AWS does.
  for (const name of input.signedHeaders) headers[name] = headerValue(input.headers, name) ?? "";
  const signer = new PinnedSigner(
    {
      credentials: { accessKeyId: input.accessKeyId, secretAccessKey: input.secretAccessKey },
      region: input.region,
      service: input.service,
      sha256: Hash.bind(null, "sha256"),
      uriEscapePath: !input.s3,
      applyChecksum: false,
    },
    query,
    input.payloadHash,
  );
  const request = new HttpRequest({
    method: input.method,
    protocol: "http:",
    hostname: "localhost",
    path: input.rawPath === "" ? "/" : input.rawPath,
    query: { ...query },
    headers,
  });
  const signedNames = new Set(input.signedHeaders);
  let signature: string;
  if (input.presigned) {
    const presigned = await signer.presign(request, {
      signingDate: input.signingDate,
      signableHeaders: signedNames,
      unhoistableHeaders: signedNames,
    });
    signature = String(presigned.query?.["X-Amz-Signature"] ?? "");
  } else {
    const signed = await signer.sign(request, {
      signingDate: input.signingDate,
      signableHeaders: signedNames,
      // sign() always sets x-amz-date; it must stay out of the canonical headers unless it was signed.
      unsignableHeaders: signedNames.has("x-amz-date") ? new Set() : new Set(["x-amz-date"]),
    });
    signature = /Signature=([0-9a-f]+)/.exec(String(signed.headers.authorization ?? ""))?.[1] ?? "";
  }
  return { signature, canonicalRequest: signer.canonicalRequest, stringToSign: signer.stringToSign };
}
