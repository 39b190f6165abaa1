import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import { before, describe, it } from "node:test";
import { crc32 } from "node:zlib";
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
} from "@aws-sdk/client-s3";
import { Hash } from "@smithy/hash-node";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";
import { frameSigned, frameUnsigned } from "../../support/chunk-framing.ts";
import { rawRequest, send } from "../../support/raw-request.ts";
import { useStratus } from "../../support/stratus.ts";
import { bucketName, sdkError, virtualHostedClient } from "./helpers.ts";

function crc32Base64(data: Buffer): string {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(crc32(data));
  return bytes.toString("base64");
}

describe("S3 objects: put, get, head, delete", () => {
  const stratus = useStratus({ inMemory: true });
  const bucket = bucketName("objects");
  before(async () => {
    await stratus.s3().send(new CreateBucketCommand({ Bucket: bucket }));
  });

  it("stores the body, content headers and user metadata, and serves them back", async () => {
    const s3 = stratus.s3();
    const body = "hello, stratus";
    const put = await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: "docs/hello world é+ü.txt",
        Body: body,
        ContentType: "text/plain; charset=utf-8",
        ContentEncoding: "identity",
        ContentDisposition: 'attachment; filename="hello.txt"',
        ContentLanguage: "en",
        CacheControl: "max-age=60",
        Expires: new Date("2030-01-01T00:00:00Z"),
        Metadata: { Colour: "blue", "x-thing": "42" },
      }),
    );
    const md5 = createHash("md5").update(body).digest("hex");
    assert.equal(put.ETag, `"${md5}"`);
    assert.equal(put.ServerSideEncryption, "AES256");
    const get = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: "docs/hello world é+ü.txt" }));
    assert.equal(await get.Body?.transformToString(), body);
    assert.equal(get.ETag, `"${md5}"`);
    assert.equal(get.ContentLength, Buffer.byteLength(body));
    assert.equal(get.ContentType, "text/plain; charset=utf-8");
    assert.equal(get.ContentEncoding, "identity");
    assert.equal(get.ContentDisposition, 'attachment; filename="hello.txt"');
    assert.equal(get.ContentLanguage, "en");
    assert.equal(get.CacheControl, "max-age=60");
    assert.equal(get.ExpiresString, "Tue, 01 Jan 2030 00:00:00 GMT");
    assert.deepEqual(get.Metadata, { colour: "blue", "x-thing": "42" });
    assert.equal(get.AcceptRanges, "bytes");
    assert.ok(get.LastModified instanceof Date);
    assert.equal(get.LastModified.getMilliseconds(), 0);
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "docs/hello world é+ü.txt" }));
    assert.equal(head.ContentLength, Buffer.byteLength(body));
    assert.equal(head.ETag, `"${md5}"`);
    assert.deepEqual(head.Metadata, { colour: "blue", "x-thing": "42" });
  });

  it("answers Last-Modified as an HTTP date and Content-Type binary/octet-stream when none was given", async () => {
    const put = await rawRequest(stratus.url, {
      method: "PUT",
      path: `/${bucket}/untyped`,
      body: "abc",
      service: "s3",
    });
    assert.equal(put.status, 200, put.text);
    const get = await rawRequest(stratus.url, { method: "GET", path: `/${bucket}/untyped`, service: "s3" });
    assert.equal(get.text, "abc");
    assert.equal(get.headers["content-type"], "binary/octet-stream");
    assert.match(
      String(get.headers["last-modified"]),
      /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/,
    );
    assert.equal(get.headers["accept-ranges"], "bytes");
    assert.equal(get.headers["content-length"], "3");
  });

  it("applies the response-* overrides of GetObject", async () => {
    const s3 = stratus.s3();
    await s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: "override", Body: "x", ContentType: "text/plain" }),
    );
    const get = await s3.send(
      new GetObjectCommand({
        Bucket: bucket,
        Key: "override",
        ResponseContentType: "application/json",
        ResponseContentDisposition: "inline",
        ResponseCacheControl: "no-store",
        ResponseContentLanguage: "fr",
      }),
    );
    assert.equal(get.ContentType, "application/json");
    assert.equal(get.ContentDisposition, "inline");
    assert.equal(get.CacheControl, "no-store");
    assert.equal(get.ContentLanguage, "fr");
  });

  it("answers NoSuchKey with the key, and HEAD with a bare 404", async () => {
    const error = await sdkError(
      stratus.s3().send(new GetObjectCommand({ Bucket: bucket, Key: "missing/key" })),
    );
    assert.equal(error.name, "NoSuchKey");
    assert.equal(error.$metadata.httpStatusCode, 404);
    assert.equal(error.message, "The specified key does not exist.");
    assert.equal(error.Key, "missing/key");
    const head = await rawRequest(stratus.url, {
      method: "HEAD",
      path: `/${bucket}/missing/key`,
      service: "s3",
    });
    assert.equal(head.status, 404);
    assert.equal(head.text, "");
    assert.match(String(head.headers["x-amz-request-id"]), /^[0-9A-F]{16}$/);
  });

  it("replaces an object and deletes it; DeleteObject answers 204 also for a missing key", async () => {
    const s3 = stratus.s3();
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "replace", Body: "one" }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "replace", Body: "two" }));
    const get = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: "replace" }));
    assert.equal(await get.Body?.transformToString(), "two");
    const deleted = await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: "replace" }));
    assert.equal(deleted.$metadata.httpStatusCode, 204);
    const again = await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: "replace" }));
    assert.equal(again.$metadata.httpStatusCode, 204);
    const error = await sdkError(s3.send(new GetObjectCommand({ Bucket: bucket, Key: "replace" })));
    assert.equal(error.name, "NoSuchKey");
  });

  it("stores empty objects and keys ending in a slash", async () => {
    const s3 = stratus.s3();
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "folder/", Body: "" }));
    const get = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: "folder/" }));
    assert.equal(get.ContentLength, 0);
    assert.equal(await get.Body?.transformToString(), "");
    assert.equal(get.ETag, '"d41d8cd98f00b204e9800998ecf8427e"');
  });

  it("refuses keys over 1024 bytes with KeyTooLongError", async () => {
    const error = await sdkError(
      stratus.s3().send(new PutObjectCommand({ Bucket: bucket, Key: "k".repeat(1025), Body: "x" })),
    );
    assert.equal(error.name, "KeyTooLongError");
    assert.equal(error.message, "Your key is too long");
    assert.equal(error.$metadata.httpStatusCode, 400);
  });

  it("refuses user metadata over 2 KB with MetadataTooLarge", async () => {
    const error = await sdkError(
      stratus.s3().send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: "meta",
          Body: "x",
          Metadata: { big: "v".repeat(2100) },
        }),
      ),
    );
    assert.equal(error.name, "MetadataTooLarge");
    assert.equal(error.$metadata.httpStatusCode, 400);
  });

  it("honours If-None-Match: * on PutObject with 412 PreconditionFailed when the key exists", async () => {
    const s3 = stratus.s3();
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "once", Body: "first", IfNoneMatch: "*" }));
    const error = await sdkError(
      s3.send(new PutObjectCommand({ Bucket: bucket, Key: "once", Body: "second", IfNoneMatch: "*" })),
    );
    assert.equal(error.name, "PreconditionFailed");
    assert.equal(error.$metadata.httpStatusCode, 412);
    assert.equal(error.message, "At least one of the pre-conditions you specified did not hold");
    assert.equal(error.Condition, "If-None-Match");
    const get = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: "once" }));
    assert.equal(await get.Body?.transformToString(), "first");
  });

  it("honours If-Match on PutObject: 412 on another ETag, NoSuchKey when missing", async () => {
    const s3 = stratus.s3();
    const first = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "cas", Body: "v1" }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "cas", Body: "v2", IfMatch: first.ETag }));
    const stale = await sdkError(
      s3.send(new PutObjectCommand({ Bucket: bucket, Key: "cas", Body: "v3", IfMatch: first.ETag })),
    );
    assert.equal(stale.name, "PreconditionFailed");
    assert.equal(stale.Condition, "If-Match");
    const missing = await sdkError(
      s3.send(new PutObjectCommand({ Bucket: bucket, Key: "no-cas", Body: "v", IfMatch: first.ETag })),
    );
    assert.equal(missing.name, "NoSuchKey");
  });

  it("checks Content-MD5: BadDigest when it does not match, InvalidDigest when it is not an MD5", async () => {
    const good = createHash("md5").update("payload").digest("base64");
    const ok = await rawRequest(stratus.url, {
      method: "PUT",
      path: `/${bucket}/md5`,
      body: "payload",
      headers: { "content-md5": good },
      service: "s3",
    });
    assert.equal(ok.status, 200, ok.text);
    const wrong = createHash("md5").update("other").digest("base64");
    const bad = await rawRequest(stratus.url, {
      method: "PUT",
      path: `/${bucket}/md5`,
      body: "payload",
      headers: { "content-md5": wrong },
      service: "s3",
    });
    assert.equal(bad.status, 400);
    assert.match(
      bad.text,
      /<Code>BadDigest<\/Code><Message>The Content-MD5 you specified did not match what we received\.<\/Message>/,
    );
    assert.match(bad.text, new RegExp(`<ExpectedDigest>${wrong.replace(/[+/]/g, "\\$&")}</ExpectedDigest>`));
    const invalid = await rawRequest(stratus.url, {
      method: "PUT",
      path: `/${bucket}/md5`,
      body: "payload",
      headers: { "content-md5": "not-an-md5" },
      service: "s3",
    });
    assert.equal(invalid.status, 400);
    assert.match(
      invalid.text,
      /<Code>InvalidDigest<\/Code><Message>The Content-MD5 you specified was invalid\.<\/Message>/,
    );
    const get = await stratus.s3().send(new GetObjectCommand({ Bucket: bucket, Key: "md5" }));
    assert.equal(await get.Body?.transformToString(), "payload", "failed uploads left the object alone");
  });

  it("computes the SDK's default CRC32 (streamed with an aws-chunked trailer) and returns it with ChecksumMode ENABLED", async () => {
    const s3 = stratus.s3();
    const sent: Record<string, string>[] = [];
    s3.middlewareStack.add(
      (next) => async (args) => {
        sent.push({ ...(args.request as { headers: Record<string, string> }).headers });
        return next(args);
      },
      { step: "deserialize", name: "recordHeaders" },
    );
    const data = Buffer.alloc(200_000, 0x5a);
    const put = await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: "crc/streamed",
        Body: Readable.from([data.subarray(0, 70_000), data.subarray(70_000)]),
        ContentLength: data.length,
      }),
    );
    assert.equal(put.ChecksumCRC32, crc32Base64(data));
    assert.equal(
      sent[0]?.["x-amz-trailer"],
      "x-amz-checksum-crc32",
      "the SDK sent the checksum as an aws-chunked trailer",
    );
    assert.match(sent[0]?.["content-encoding"] ?? "", /aws-chunked/);
    const head = await s3.send(
      new HeadObjectCommand({ Bucket: bucket, Key: "crc/streamed", ChecksumMode: "ENABLED" }),
    );
    assert.equal(head.ChecksumCRC32, crc32Base64(data));
    assert.equal(head.ChecksumType, "FULL_OBJECT");
    const get = await s3.send(
      new GetObjectCommand({ Bucket: bucket, Key: "crc/streamed", ChecksumMode: "ENABLED" }),
    );
    assert.equal(get.ChecksumCRC32, crc32Base64(data));
    assert.ok(
      Buffer.from(await (get.Body?.transformToByteArray() ?? Promise.resolve(new Uint8Array()))).equals(data),
    );
    const plain = await rawRequest(stratus.url, {
      method: "HEAD",
      path: `/${bucket}/crc/streamed`,
      service: "s3",
    });
    assert.equal(
      plain.headers["x-amz-checksum-crc32"],
      undefined,
      "checksums only with x-amz-checksum-mode: ENABLED",
    );
  });

  it("stores the checksum algorithm the client chose (SHA256, CRC32C, CRC64NVME)", async () => {
    const s3 = stratus.s3();
    const data = Buffer.from("checksummed body");
    const sha = await s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: "sum/sha", Body: data, ChecksumAlgorithm: "SHA256" }),
    );
    assert.equal(sha.ChecksumSHA256, createHash("sha256").update(data).digest("base64"));
    const head = await s3.send(
      new HeadObjectCommand({ Bucket: bucket, Key: "sum/sha", ChecksumMode: "ENABLED" }),
    );
    assert.equal(head.ChecksumSHA256, createHash("sha256").update(data).digest("base64"));
    const c = await s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: "sum/c", Body: data, ChecksumAlgorithm: "CRC32C" }),
    );
    assert.match(c.ChecksumCRC32C ?? "", /^[A-Za-z0-9+/]{6}==$/);
    const n = await s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: "sum/n", Body: data, ChecksumAlgorithm: "CRC64NVME" }),
    );
    assert.match(n.ChecksumCRC64NVME ?? "", /^[A-Za-z0-9+/]{11}=$/);
    const get = await s3.send(
      new GetObjectCommand({ Bucket: bucket, Key: "sum/n", ChecksumMode: "ENABLED" }),
    );
    assert.equal(get.ChecksumCRC64NVME, n.ChecksumCRC64NVME);
  });

  it("refuses a checksum header that does not match the body with BadDigest, and a malformed one with InvalidRequest", async () => {
    const wrong = await sdkError(
      stratus.s3().send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: "sum/bad",
          Body: "some bytes",
          ChecksumCRC32: crc32Base64(Buffer.from("other bytes")),
        }),
      ),
    );
    assert.equal(wrong.name, "BadDigest");
    assert.equal(wrong.$metadata.httpStatusCode, 400);
    assert.equal(wrong.message, "The CRC32 you specified did not match the calculated checksum.");
    const raw = await rawRequest(stratus.url, {
      method: "PUT",
      path: `/${bucket}/sum/bad`,
      body: "some bytes",
      headers: { "x-amz-checksum-sha256": createHash("sha256").update("nope").digest("base64") },
      service: "s3",
    });
    assert.equal(raw.status, 400);
    assert.match(
      raw.text,
      /<Code>BadDigest<\/Code><Message>The SHA256 you specified did not match the calculated checksum\.<\/Message>/,
    );
    const malformed = await rawRequest(stratus.url, {
      method: "PUT",
      path: `/${bucket}/sum/bad`,
      body: "some bytes",
      headers: { "x-amz-checksum-crc32": "zzz" },
      service: "s3",
    });
    assert.equal(malformed.status, 400);
    assert.match(
      malformed.text,
      /<Code>InvalidRequest<\/Code><Message>Value for x-amz-checksum-crc32 header is invalid\.<\/Message>/,
    );
    const missing = await sdkError(
      stratus.s3().send(new GetObjectCommand({ Bucket: bucket, Key: "sum/bad" })),
    );
    assert.equal(missing.name, "NoSuchKey", "nothing was stored");
  });

  it("refuses an aws-chunked upload whose trailing checksum is wrong with BadDigest, storing nothing", async () => {
    const data = Buffer.alloc(20_000, 0x41);
    const framed = (checksum: string) => frameUnsigned(data, 10_000, ["x-amz-checksum-crc32", checksum]);
    const headers = {
      "content-encoding": "aws-chunked",
      "x-amz-content-sha256": "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
      "x-amz-decoded-content-length": String(data.length),
      "x-amz-trailer": "x-amz-checksum-crc32",
    };
    const bad = await rawRequest(stratus.url, {
      method: "PUT",
      path: `/${bucket}/trailer`,
      body: framed(crc32Base64(Buffer.from("different"))),
      headers,
      service: "s3",
    });
    assert.equal(bad.status, 400);
    assert.match(
      bad.text,
      /<Code>BadDigest<\/Code><Message>The CRC32 you specified did not match the calculated checksum\.<\/Message>/,
    );
    const missing = await sdkError(
      stratus.s3().send(new HeadObjectCommand({ Bucket: bucket, Key: "trailer" })),
    );
    assert.equal(missing.$metadata.httpStatusCode, 404);
    const good = await rawRequest(stratus.url, {
      method: "PUT",
      path: `/${bucket}/trailer`,
      body: framed(crc32Base64(data)),
      headers,
      service: "s3",
    });
    assert.equal(good.status, 200, good.text);
    const head = await stratus
      .s3()
      .send(new HeadObjectCommand({ Bucket: bucket, Key: "trailer", ChecksumMode: "ENABLED" }));
    assert.equal(head.ContentLength, data.length);
    assert.equal(head.ChecksumCRC32, crc32Base64(data));
    assert.equal(head.ContentEncoding, undefined, "aws-chunked is transport only");
  });

  it("stores a body sent with signed aws-chunked framing, and refuses a tampered one with 403 storing nothing", async () => {
    const url = new URL(stratus.url);
    const data = Buffer.alloc(150 * 1024, 0x62);
    const upload = async (key: string, tamper: boolean) => {
      const date = new Date();
      const signer = new SignatureV4({
        service: "s3",
        region: "us-east-1",
        credentials: { accessKeyId: "test", secretAccessKey: "test" },
        sha256: Hash.bind(null, "sha256"),
        uriEscapePath: false,
      });
      const path = `/${bucket}/${key}`;
      const signed = await signer.sign(
        new HttpRequest({
          method: "PUT",
          hostname: url.hostname,
          port: Number(url.port),
          path,
          headers: {
            host: url.host,
            "content-encoding": "aws-chunked",
            "x-amz-content-sha256": "STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
            "x-amz-decoded-content-length": String(data.length),
          },
        }),
        { signingDate: date },
      );
      const seed = /Signature=([0-9a-f]{64})/.exec(String(signed.headers.authorization))?.[1] ?? "";
      const body = await frameSigned(data, 64 * 1024, seed, {
        accessKeyId: "test",
        secretAccessKey: "test",
        region: "us-east-1",
        service: "s3",
        date,
      });
      if (tamper) body.writeUInt8((body.at(-200) ?? 0) ^ 1, body.length - 200);
      return send(url, "PUT", path, { ...signed.headers, "content-length": String(body.length) }, body);
    };
    const ok = await upload("chunked/signed", false);
    assert.equal(ok.status, 200, ok.text);
    const get = await stratus.s3().send(new GetObjectCommand({ Bucket: bucket, Key: "chunked/signed" }));
    assert.ok(Buffer.from((await get.Body?.transformToByteArray()) ?? []).equals(data));
    const tampered = await upload("chunked/tampered", true);
    assert.equal(tampered.status, 403, tampered.text);
    assert.match(tampered.text, /<Code>SignatureDoesNotMatch<\/Code>/);
    // The body failed part-way: the rest of it is never read, so the connection is closed after the answer.
    assert.equal(tampered.headers.connection, "close");
    const missing = await sdkError(
      stratus.s3().send(new HeadObjectCommand({ Bucket: bucket, Key: "chunked/tampered" })),
    );
    assert.equal(missing.$metadata.httpStatusCode, 404);
  });

  it("answers a wrong x-amz-content-sha256 on operations without a body with XAmzContentSHA256Mismatch, and keeps serving", async () => {
    const wrong = createHash("sha256").update("not the body").digest("hex");
    for (const [method, path, query] of [
      ["GET", `/${bucket}/missing`, {}],
      ["GET", `/${bucket}`, { "list-type": "2" }],
      ["DELETE", `/${bucket}/missing`, {}],
    ] as const) {
      const response = await rawRequest(stratus.url, {
        method,
        path,
        query: { ...query },
        headers: { "x-amz-content-sha256": wrong },
        service: "s3",
      });
      assert.equal(response.status, 400, `${method} ${path}`);
      assert.match(response.text, /<Code>XAmzContentSHA256Mismatch<\/Code>/);
    }
    const alive = await stratus.s3().send(new HeadObjectCommand({ Bucket: bucket, Key: "untyped" }));
    assert.equal(alive.$metadata.httpStatusCode, 200, "the server carried on");
  });

  it("answers PUT without Content-Length with 411 MissingContentLength", async () => {
    const response = await rawRequest(stratus.url, {
      method: "PUT",
      path: `/${bucket}/nolength`,
      headers: { "transfer-encoding": "chunked", "x-amz-content-sha256": "UNSIGNED-PAYLOAD" },
      body: "abc",
      service: "s3",
    });
    assert.equal(response.status, 411, response.text);
    assert.match(response.text, /<Code>MissingContentLength<\/Code>/);
  });

  it("serves objects virtual-hosted style", async () => {
    const client = virtualHostedClient(stratus);
    try {
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: "vhost/a.txt", Body: "virtual" }));
      const get = await client.send(new GetObjectCommand({ Bucket: bucket, Key: "vhost/a.txt" }));
      assert.equal(await get.Body?.transformToString(), "virtual");
      const path = await stratus.s3().send(new GetObjectCommand({ Bucket: bucket, Key: "vhost/a.txt" }));
      assert.equal(await path.Body?.transformToString(), "virtual", "same object through path style");
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: "vhost/a.txt" }));
    } finally {
      client.destroy();
    }
  });
});
