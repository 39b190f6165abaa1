// The canonical request written directly for requests to "/" without a query (canonical-root.ts) is
// exactly smithy's, whitespace quirks and header order included; and such requests, signed by smithy
// with every option that changes which headers are signed, verify.
import assert from "node:assert/strict";
import { test } from "node:test";
import { Hash } from "@smithy/hash-node";
import { HttpRequest } from "@smithy/protocol-http";
import { getCanonicalHeaders, SignatureV4 } from "@smithy/signature-v4";
import type { HeaderBag, HttpRequest as SmithyHttpRequest } from "@smithy/types";
import { CredentialStore } from "../../../src/aws/credentials.ts";
import { rootCanonicalRequest } from "../../../src/aws/sigv4/canonical-root.ts";
import { verifySigV4, verifySigV4Now } from "../../../src/aws/sigv4/verify.ts";

const VALUES = [
  "a",
  "  spaced   out  ",
  " lead",
  "trail ",
  "tab\there",
  "\ttabs\t",
  "cr\r\nlf",
  "x\u00a0y",
  "",
  "  ",
  "application/x-amz-json-1.0",
];
const NAMES = [
  "content-type",
  "x-amz-target",
  "user-agent",
  "proxy-x",
  "sec-fetch",
  "a-first",
  "zed",
  "x-amz-user-agent",
];

class SmithyCanonical extends SignatureV4 {
  canonical(headers: Record<string, string>, payloadHash: string): string {
    const request = { method: "POST", protocol: "http:", hostname: "h", path: "/", query: {}, headers };
    const all = new Set(Object.keys(headers));
    const canonical = getCanonicalHeaders(request as unknown as SmithyHttpRequest, undefined, all);
    return this.createCanonicalRequest(
      request as unknown as SmithyHttpRequest,
      canonical as HeaderBag,
      payloadHash,
    );
  }
}

/** A deterministic pseudo-random sequence, so a failure reproduces. */
function* choices(seed: number): Generator<number> {
  let state = seed;
  for (;;) {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    yield state / 2_147_483_648;
  }
}

test("rootCanonicalRequest writes what smithy writes, for any set of header values", () => {
  const smithy = new SmithyCanonical({
    credentials: { accessKeyId: "a", secretAccessKey: "b" },
    region: "r",
    service: "s",
    sha256: Hash.bind(null, "sha256"),
  });
  const random = choices(7);
  const next = () => random.next().value as number;
  for (let i = 0; i < 500; i++) {
    const headers: Record<string, string> = { host: "127.0.0.1:4566" };
    for (const name of NAMES)
      if (next() < 0.5) headers[name] = VALUES[Math.floor(next() * VALUES.length)] as string;
    assert.equal(rootCanonicalRequest("POST", headers, undefined, "hash"), smithy.canonical(headers, "hash"));
  }
});

test("rootCanonicalRequest leaves out the header it is told to skip", () => {
  const text = rootCanonicalRequest(
    "POST",
    { host: "h", "x-amz-date": "20260101T000000Z" },
    "x-amz-date",
    "p",
  );
  assert.equal(text, "POST\n/\n\nhost:h\n\nhost\np");
});

test("requests to / signed by smithy with awkward headers verify, header-signed and presigned", async () => {
  const credentials = { accessKeyId: "test", secretAccessKey: "test" };
  const signer = new SignatureV4({
    service: "dynamodb",
    region: "us-east-1",
    credentials,
    sha256: Hash.bind(null, "sha256"),
    applyChecksum: false,
  });
  const store = new CredentialStore();
  const random = choices(11);
  const next = () => random.next().value as number;
  for (let i = 0; i < 200; i++) {
    const headers: Record<string, string> = { host: "127.0.0.1:4566" };
    for (const name of NAMES)
      if (next() < 0.5) headers[name] = VALUES[Math.floor(next() * VALUES.length)] as string;
    const body = JSON.stringify({ i });
    const request = new HttpRequest({
      method: "POST",
      protocol: "http:",
      hostname: "127.0.0.1",
      port: 4566,
      path: "/",
      headers,
      body,
    });
    const presigned = next() < 0.25;
    const options = {
      signingDate: new Date(),
      ...(next() < 0.5 ? { signableHeaders: new Set(["user-agent", "proxy-x", "sec-fetch"]) } : {}),
    };
    const signed = presigned ? await signer.presign(request, options) : await signer.sign(request, options);
    const received: Record<string, string> = {};
    for (const [name, value] of Object.entries(signed.headers)) received[name.toLowerCase()] = String(value);
    const rawQuery = Object.entries(signed.query ?? {})
      .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(String(value))}`)
      .join("&");
    const input = { method: "POST", rawPath: "/", rawQuery, headers: received, body: Buffer.from(body) };
    const verdict = verifySigV4Now(input, { credentials: store, now: new Date(), s3: false });
    assert.equal(verdict.ok, true, JSON.stringify(verdict));
    assert.deepEqual(await verifySigV4(input, { credentials: store, now: new Date(), s3: false }), verdict);
  }
});
