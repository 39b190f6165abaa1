// The aws-chunked decoder: AWS's documented examples byte for byte, round trips signed by smithy, and
// the S3 errors for tampered, truncated and mis-checksummed bodies.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { test } from "node:test";
import { CredentialStore } from "../../../src/aws/credentials.ts";
import { deriveSigningKey } from "../../../src/aws/sigv4/chunk-signing.ts";
import { type ChunkedDecoderOptions, chunkedDecoderOptions } from "../../../src/aws/sigv4/chunked-options.ts";
import { verifySigV4 } from "../../../src/aws/sigv4/verify.ts";
import { decode, frameSigned, type Signer } from "../../support/chunk-framing.ts";

// S3 API reference, "Signature Calculations for the Authorization Header: Transferring Payload in
// Multiple Chunks (Chunked Upload)": 66560 bytes of 'a' in a 64 KiB and a 1 KiB chunk, example keys.
const DOC_KEY_ID = "AKIAIOSFODNN7EXAMPLE";
const DOC_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const DOC_DATA = Buffer.alloc(66_560, "a");
const DOC_SEED = "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9";
const DOC_CHUNKS = [
  "ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648",
  "0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497",
  "b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9",
];
const DOC_HEADERS = {
  host: "s3.amazonaws.com",
  "x-amz-date": "20130524T000000Z",
  "x-amz-storage-class": "REDUCED_REDUNDANCY",
  authorization:
    `AWS4-HMAC-SHA256 Credential=${DOC_KEY_ID}/20130524/us-east-1/s3/aws4_request,` +
    "SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class," +
    `Signature=${DOC_SEED}`,
  "x-amz-content-sha256": "STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
  "content-encoding": "aws-chunked",
  "x-amz-decoded-content-length": "66560",
  "content-length": "66824",
};
const DOC_SIGNING = {
  signingKey: deriveSigningKey(DOC_SECRET, "20130524", "us-east-1", "s3"),
  dateTime: "20130524T000000Z",
  scope: "20130524/us-east-1/s3/aws4_request",
};

function docBody(signatures: readonly string[]): Buffer {
  return Buffer.concat([
    Buffer.from(`10000;chunk-signature=${signatures[0]}\r\n`),
    DOC_DATA.subarray(0, 65_536),
    Buffer.from(`\r\n400;chunk-signature=${signatures[1]}\r\n`),
    DOC_DATA.subarray(65_536),
    Buffer.from(`\r\n0;chunk-signature=${signatures[2]}\r\n\r\n`),
  ]);
}

test("the documented chunk-signed request verifies and its body decodes, signature by signature", async () => {
  const store = new CredentialStore([
    { accessKeyId: DOC_KEY_ID, secretAccessKey: DOC_SECRET, accountId: "111122223333" },
  ]);
  const request = {
    method: "PUT",
    rawPath: "/examplebucket/chunkObject.txt",
    rawQuery: "",
    headers: DOC_HEADERS,
  };
  const verified = await verifySigV4(request, {
    credentials: store,
    now: new Date("2013-05-24T00:00:30Z"),
    s3: true,
  });
  assert.ok(verified.ok, "the documented seed signature verifies");
  assert.equal(verified.accountId, "111122223333");
  assert.equal(verified.streaming?.seedSignature, DOC_SEED);
  assert.deepEqual(verified.streaming?.signingKey, DOC_SIGNING.signingKey);
  const options = chunkedDecoderOptions(DOC_HEADERS, verified);
  assert.ok(!(options instanceof Error));
  const body = docBody(DOC_CHUNKS);
  assert.equal(body.length, 66_824, "the documented Content-Length");
  for (const size of [1, 97, 65_540, body.length]) {
    const decoded = await decode(body, options, size);
    assert.equal(decoded.error, undefined);
    assert.ok(decoded.data.equals(DOC_DATA));
    assert.equal(decoded.result?.decodedLength, 66_560);
  }
});

test("any documented chunk signature changed, or a byte of data, is SignatureDoesNotMatch", async () => {
  const options: ChunkedDecoderOptions = {
    mode: "signed",
    signing: { ...DOC_SIGNING, seedSignature: DOC_SEED },
    decodedContentLength: 66_560,
  };
  for (let i = 0; i < 3; i++) {
    const signatures = [...DOC_CHUNKS];
    signatures[i] = `${DOC_CHUNKS[i]?.slice(0, 63)}${DOC_CHUNKS[i]?.endsWith("0") ? "1" : "0"}`;
    const { error } = await decode(docBody(signatures), options);
    assert.deepEqual([error?.code, error?.status], ["SignatureDoesNotMatch", 403], `chunk ${i + 1}`);
  }
  const tampered = docBody(DOC_CHUNKS);
  tampered[5000] = 0x62;
  const { error } = await decode(tampered, options);
  assert.equal(
    error?.message,
    "The request signature we calculated does not match the signature you provided. Check your key and signing method.",
  );
});

test("the documented signed-trailer example decodes and its CRC32C verifies", async () => {
  // S3 API reference, "... Including Trailing Headers (Chunked Upload)": same data, trailing CRC32C.
  const body = Buffer.concat([
    Buffer.from("10000;chunk-signature=b474d8862b1487a5145d686f57f013e54db672cee1c953b3010fb58501ef5aa2\r\n"),
    DOC_DATA.subarray(0, 65_536),
    Buffer.from(
      "\r\n400;chunk-signature=1c1344b170168f8e65b41376b44b20fe354e373826ccbbe2c1d40a8cae51e5c7\r\n",
    ),
    DOC_DATA.subarray(65_536),
    Buffer.from(
      "\r\n0;chunk-signature=2ca2aba2005185cf7159c6277faf83795951dd77a3a99e6e65d5c9f85863f992\r\n" +
        "x-amz-checksum-crc32c:sOO8/Q==\r\n" +
        "x-amz-trailer-signature:d81f82fc3505edab99d459891051a732e8730629a2e4a59689829ca17fe2e435\r\n\r\n",
    ),
  ]);
  const options: ChunkedDecoderOptions = {
    mode: "signed-trailer",
    signing: {
      ...DOC_SIGNING,
      seedSignature: "106e2a8a18243abcf37539882f36619c00e2dfc72633413f02d3b74544bfeb8e",
    },
    decodedContentLength: 66_560,
    trailer: "x-amz-checksum-crc32c",
  };
  const decoded = await decode(body, options, 777);
  assert.equal(decoded.error, undefined);
  assert.ok(decoded.data.equals(DOC_DATA));
  assert.deepEqual(decoded.result, {
    decodedLength: 66_560,
    checksum: { algorithm: "crc32c", value: "sOO8/Q==" },
    trailers: { "x-amz-checksum-crc32c": "sOO8/Q==" },
  });
  const otherValue = Buffer.from(body.toString("latin1").replace("sOO8/Q==", "sOO8/A=="), "latin1");
  assert.equal(
    (await decode(otherValue, options)).error?.code,
    "SignatureDoesNotMatch",
    "the trailer is signed",
  );
});

const SIGNER: Signer = {
  accessKeyId: "test",
  secretAccessKey: "test",
  region: "eu-west-1",
  service: "s3",
  date: new Date("2024-05-01T10:00:00Z"),
};
const SEED = `${"0".repeat(63)}1`;
const DATA = Buffer.from(Array.from({ length: 50_000 }, (_, i) => i % 251));
const signedOptions = (extra: Partial<ChunkedDecoderOptions> = {}): ChunkedDecoderOptions => ({
  mode: "signed",
  signing: {
    signingKey: deriveSigningKey("test", "20240501", "eu-west-1", "s3"),
    seedSignature: SEED,
    dateTime: "20240501T100000Z",
    scope: "20240501/eu-west-1/s3/aws4_request",
  },
  decodedContentLength: DATA.length,
  ...extra,
});

test("round trips chunk-signed by smithy decode at any chunk and piece size", async () => {
  for (const chunkSize of [8192, 10_000, DATA.length]) {
    const body = await frameSigned(DATA, chunkSize, SEED, SIGNER);
    for (const pieceSize of [1, 333, 8192 + 90]) {
      const decoded = await decode(body, signedOptions(), pieceSize);
      assert.equal(decoded.error, undefined, `chunk ${chunkSize}, piece ${pieceSize}`);
      assert.ok(decoded.data.equals(DATA));
    }
  }
  const empty = await decode(
    await frameSigned(Buffer.alloc(0), 8192, SEED, SIGNER),
    signedOptions({ decodedContentLength: 0 }),
  );
  assert.deepEqual(empty.result, { decodedLength: 0, trailers: {} });
});

test("a tampered chunk, swapped chunks, a truncated body and a wrong decoded length are refused", async () => {
  const body = await frameSigned(DATA, 10_000, SEED, SIGNER);
  const tampered = Buffer.from(body);
  tampered[20_000] = (tampered[20_000] ?? 0) ^ 1;
  assert.equal((await decode(tampered, signedOptions())).error?.code, "SignatureDoesNotMatch");

  const text = body.toString("latin1");
  const [first = "", second = "", ...rest] = text.split(/(?=2710;chunk-signature=)/);
  const swapped = Buffer.from([second, first, ...rest].join(""), "latin1");
  assert.equal(
    (await decode(swapped, signedOptions())).error?.code,
    "SignatureDoesNotMatch",
    "the chain orders the chunks",
  );

  for (const cut of [5, 30_000, body.length - 3]) {
    const { error } = await decode(body.subarray(0, cut), signedOptions());
    assert.deepEqual(
      [error?.code, error?.status, error?.message],
      ["IncompleteBody", 400, "The request body terminated unexpectedly"],
    );
  }
  const noSignature = Buffer.from(text.replace(/;chunk-signature=[0-9a-f]{64}/, ""), "latin1");
  assert.equal((await decode(noSignature, signedOptions())).error?.code, "IncompleteBody");
  const longLine = Buffer.concat([Buffer.from("1".repeat(5000)), body]);
  assert.equal(
    (await decode(longLine, signedOptions())).error?.code,
    "IncompleteBody",
    "header lines are bounded",
  );

  const wrongLength = await decode(body, signedOptions({ decodedContentLength: DATA.length + 1 }));
  assert.deepEqual(
    [wrongLength.error?.code, wrongLength.error?.message, wrongLength.error?.fields],
    [
      "IncompleteBody",
      "You did not provide the number of bytes specified by the Content-Length HTTP header",
      { NumberBytesExpected: String(DATA.length + 1), NumberBytesProvided: String(DATA.length) },
    ],
  );
});

test("a chunk under 8 KiB that is not the last is InvalidChunkSizeError", async () => {
  const body = await frameSigned(DATA, 4096, SEED, SIGNER);
  const { error } = await decode(body, signedOptions());
  assert.deepEqual(
    [error?.code, error?.status, error?.message, error?.fields],
    [
      "InvalidChunkSizeError",
      400,
      "Only the last chunk is allowed to have a size less than 8192 bytes",
      { Chunk: "2", BadChunkSize: "4096" },
    ],
  );
});

test("a signed trailer with a checksum that does not match the bytes is BadDigest", async () => {
  const options = signedOptions({ mode: "signed-trailer", trailer: "x-amz-checksum-sha256" });
  const right = createHashBase64(DATA);
  const good = await decode(
    await frameSigned(DATA, 10_000, SEED, SIGNER, ["x-amz-checksum-sha256", right]),
    options,
  );
  assert.deepEqual(good.result?.checksum, { algorithm: "sha256", value: right });
  const wrong = createHashBase64(Buffer.from("other"));
  const bad = await decode(
    await frameSigned(DATA, 10_000, SEED, SIGNER, ["x-amz-checksum-sha256", wrong]),
    options,
  );
  assert.deepEqual(
    [bad.error?.code, bad.error?.status, bad.error?.message],
    ["BadDigest", 400, "The SHA256 you specified did not match the calculated checksum."],
  );
});

function createHashBase64(data: Buffer): string {
  return createHash("sha256").update(data).digest("base64");
}
