// Streamed uploads as the current S3 SDK sends them: STREAMING-UNSIGNED-PAYLOAD-TRAILER with a trailing
// checksum of each algorithm the SDK offers — so our checksums are held to the SDK's own.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { PassThrough, Readable } from "node:stream";
import { test } from "node:test";
import { type ChecksumAlgorithm, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { CredentialStore } from "../../../src/aws/credentials.ts";
import { checksumOf } from "../../../src/aws/sigv4/checksums.ts";
import { AwsChunkedDecoder } from "../../../src/aws/sigv4/chunked.ts";
import { type ChunkedDecoderOptions, chunkedDecoderOptions } from "../../../src/aws/sigv4/chunked-options.ts";
import { parseAmzDate } from "../../../src/aws/sigv4/parse.ts";
import { decodedPayload, emptyPayload } from "../../../src/aws/sigv4/payload.ts";
import { EMPTY_SHA256, type SigV4Request } from "../../../src/aws/sigv4/types.ts";
import { verifySigV4 } from "../../../src/aws/sigv4/verify.ts";
import { decode, frameUnsigned } from "../../support/chunk-framing.ts";
import { capture, clientConfig } from "./sdk-capture.ts";

const DATA = Buffer.concat([Buffer.alloc(10_000, "a"), Buffer.alloc(5, "b")]);

async function streamedPut(algorithm?: ChecksumAlgorithm): Promise<{ request: SigV4Request; body: Buffer }> {
  const request = await capture((sink) =>
    new S3Client({ ...clientConfig(sink), forcePathStyle: true }).send(
      new PutObjectCommand({
        Bucket: "bucket",
        Key: "stream.bin",
        Body: Readable.from([DATA.subarray(0, 10_000), DATA.subarray(10_000)]),
        ContentLength: DATA.length,
        ...(algorithm ? { ChecksumAlgorithm: algorithm } : {}),
      }),
    ),
  );
  const body = Buffer.from(request.body ?? new Uint8Array());
  delete request.body; // the edge streams S3 bodies: verification must not need them
  return { request, body };
}

async function optionsFor(request: SigV4Request): Promise<ChunkedDecoderOptions> {
  const now = new Date((parseAmzDate(String(request.headers["x-amz-date"]))?.getTime() ?? 0) + 1000);
  const verified = await verifySigV4(request, { credentials: new CredentialStore(), now, s3: true });
  assert.ok(verified.ok);
  assert.equal(verified.payloadHash, "STREAMING-UNSIGNED-PAYLOAD-TRAILER");
  assert.equal(verified.streaming, undefined, "nothing to chain: the chunks are unsigned");
  const options = chunkedDecoderOptions(request.headers, verified);
  assert.ok(!(options instanceof Error));
  return options;
}

test("the SDK's default streamed upload (CRC32 trailer) verifies and decodes", async () => {
  const { request, body } = await streamedPut();
  assert.equal(request.headers["x-amz-trailer"], "x-amz-checksum-crc32");
  assert.ok(body.toString("latin1").endsWith("\r\n0\r\nx-amz-checksum-crc32:OYeCsA==\r\n\r\n"));
  const options = await optionsFor(request);
  assert.deepEqual(options, {
    mode: "unsigned-trailer",
    decodedContentLength: DATA.length,
    trailer: "x-amz-checksum-crc32",
  });
  const decoded = await decode(body, options, 4096);
  assert.equal(decoded.error, undefined);
  assert.ok(decoded.data.equals(DATA));
  assert.deepEqual(decoded.result?.checksum, { algorithm: "crc32", value: "OYeCsA==" });
});

test("every checksum the SDK can send is verified, and agrees with ours", async () => {
  for (const algorithm of ["CRC32", "CRC32C", "CRC64NVME", "SHA1", "SHA256"] as const) {
    const { request, body } = await streamedPut(algorithm);
    const lower = algorithm.toLowerCase() as "crc32";
    assert.equal(request.headers["x-amz-trailer"], `x-amz-checksum-${lower}`);
    const decoded = await decode(body, await optionsFor(request), 777);
    assert.equal(decoded.error, undefined, algorithm);
    assert.deepEqual(decoded.result?.checksum, { algorithm: lower, value: await checksumOf(lower, DATA) });
  }
});

test("a wrong, a malformed, a missing or an unannounced trailing checksum is refused", async () => {
  const { request, body } = await streamedPut();
  const options = await optionsFor(request);
  const text = body.toString("latin1");
  const variant = (from: string, to: string) => Buffer.from(text.replace(from, to), "latin1");

  const wrong = await decode(variant("OYeCsA==", "AAAAAA=="), options);
  assert.deepEqual(
    [wrong.error?.code, wrong.error?.status, wrong.error?.message],
    ["BadDigest", 400, "The CRC32 you specified did not match the calculated checksum."],
  );
  const malformed = await decode(variant("OYeCsA==", "OYeCsA"), options);
  assert.deepEqual(
    [malformed.error?.code, malformed.error?.message],
    ["InvalidRequest", "Value for x-amz-checksum-crc32 trailing header is invalid."],
  );
  const missing = await decode(variant("x-amz-checksum-crc32:OYeCsA==\r\n", ""), options);
  assert.deepEqual(
    [missing.error?.code, missing.error?.message],
    [
      "MalformedTrailerError",
      "The request contained trailing data that was not well-formed or did not conform to our published schema.",
    ],
  );
  const other = await decode(variant("x-amz-checksum-crc32:", "x-amz-checksum-crc32c:"), options);
  assert.equal(other.error?.code, "MalformedTrailerError");
  const noColon = await decode(variant("x-amz-checksum-crc32:", "x-amz-checksum-crc32"), options);
  assert.equal(noColon.error?.code, "MalformedTrailerError");
  const tamperedData = Buffer.from(body);
  tamperedData[100] = 0x7a;
  assert.equal((await decode(tamperedData, options)).error?.code, "BadDigest");
  const truncated = await decode(body.subarray(0, body.length - 1), options);
  assert.equal(truncated.error?.code, "IncompleteBody");
});

test("an unsigned body that ends right after its last chunk, with no trailer announced, is whole", async () => {
  const options: ChunkedDecoderOptions = { mode: "unsigned-trailer", decodedContentLength: 9000 };
  const data = Buffer.alloc(9000, "z");
  const decoded = await decode(frameUnsigned(data, 8192), options, 100);
  assert.equal(decoded.error, undefined);
  assert.deepEqual(decoded.result, { decodedLength: 9000, trailers: {} });
  const announced = await decode(frameUnsigned(data, 8192), { ...options, trailer: "x-amz-checksum-crc32" });
  assert.equal(announced.error?.code, "MalformedTrailerError", "an announced checksum must come");
});

test("aws-chunked headers: x-amz-decoded-content-length is required, x-amz-trailer must name a checksum", () => {
  const verified = { payloadHash: "STREAMING-UNSIGNED-PAYLOAD-TRAILER" };
  const noLength = chunkedDecoderOptions({}, verified);
  assert.ok(noLength instanceof Error);
  assert.deepEqual(
    [noLength.code, noLength.status, noLength.message],
    ["MissingContentLength", 411, "You must provide the Content-Length HTTP header."],
  );
  const badTrailer = chunkedDecoderOptions(
    { "x-amz-decoded-content-length": "5", "x-amz-trailer": "x-amz-meta-foo" },
    verified,
  );
  assert.ok(badTrailer instanceof Error);
  assert.deepEqual(
    [badTrailer.code, badTrailer.message],
    ["InvalidRequest", "The value specified in the x-amz-trailer header is not supported"],
  );
  assert.throws(() => chunkedDecoderOptions({}, { payloadHash: "UNSIGNED-PAYLOAD" }), TypeError);
});

test("decodedPayload puts the right check between the socket and the operation", async () => {
  const { request, body } = await streamedPut();
  const now = new Date((parseAmzDate(String(request.headers["x-amz-date"]))?.getTime() ?? 0) + 1000);
  const verified = await verifySigV4(request, { credentials: new CredentialStore(), now, s3: true });
  assert.ok(verified.ok);
  const decoded = decodedPayload(Readable.from([body]), request.headers, verified);
  assert.ok(decoded instanceof AwsChunkedDecoder);
  const parts: Buffer[] = [];
  for await (const part of decoded) parts.push(part);
  assert.ok(Buffer.concat(parts).equals(DATA));
  assert.equal((await decoded.result).checksum?.value, "OYeCsA==");

  const hashed = decodedPayload(
    Readable.from([Buffer.from("jello")]),
    {},
    { payloadHash: createHash("sha256").update("hello").digest("hex") },
  );
  await assert.rejects(
    async () => {
      for await (const _ of hashed);
    },
    (error: { code?: string }) => error.code === "XAmzContentSHA256Mismatch",
  );

  const headerless = decodedPayload(Readable.from([body]), {}, verified);
  await assert.rejects(
    async () => {
      for await (const _ of headerless);
    },
    (error: { code?: string }) => error.code === "MissingContentLength",
  );

  const plain = Readable.from([Buffer.from("x")]);
  assert.equal(decodedPayload(plain, {}, { payloadHash: "UNSIGNED-PAYLOAD" }), plain);
});

test("decodedPayload leaves the socket open on a failed check, and ends the check when the socket dies", async () => {
  const socket = new PassThrough();
  const decoded = decodedPayload(
    socket,
    { "x-amz-decoded-content-length": "9000" },
    { payloadHash: "STREAMING-UNSIGNED-PAYLOAD-TRAILER" },
  );
  socket.write("not-hex\r\n");
  await assert.rejects(
    async () => {
      for await (const _ of decoded);
    },
    (error: { code?: string }) => error.code === "IncompleteBody",
  );
  assert.equal(socket.destroyed, false, "the client's socket stays usable for the error response");

  const dying = new PassThrough();
  const cut = decodedPayload(dying, {}, { payloadHash: createHash("sha256").update("hello").digest("hex") });
  dying.write("hel");
  dying.destroy();
  await assert.rejects(
    async () => {
      for await (const _ of cut);
    },
    (error: { code?: string }) => error.code === "IncompleteBody",
  );
});

test("emptyPayload gives an empty body only to a bodiless request whose signed hash allows one", () => {
  const empty = { payloadHash: EMPTY_SHA256 };
  assert.equal(emptyPayload({}, empty)?.length, 0);
  assert.equal(emptyPayload({ "content-length": "0" }, { payloadHash: "UNSIGNED-PAYLOAD" })?.length, 0);
  // A body on the wire, or a hash of something else: the stream and its check decide.
  assert.equal(emptyPayload({ "content-length": "5" }, empty), undefined);
  assert.equal(emptyPayload({ "transfer-encoding": "chunked" }, empty), undefined);
  assert.equal(emptyPayload({}, { payloadHash: createHash("sha256").update("x").digest("hex") }), undefined);
  assert.equal(emptyPayload({}, { payloadHash: "STREAMING-AWS4-HMAC-SHA256-PAYLOAD" }), undefined);
});
