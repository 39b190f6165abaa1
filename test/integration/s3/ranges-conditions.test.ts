import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
} from "@aws-sdk/client-s3";
import { rawRequest } from "../../support/raw-request.ts";
import { useStratus } from "../../support/stratus.ts";
import { bucketName, sdkError } from "./helpers.ts";

const BODY = "0123456789abcdefghij"; // 20 bytes

describe("S3 GetObject/HeadObject: ranges and conditional requests", () => {
  const stratus = useStratus({ inMemory: true });
  const bucket = bucketName("ranges");
  let etag = "";
  let lastModified = new Date(0);
  before(async () => {
    const s3 = stratus.s3();
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    etag = (await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "r", Body: BODY }))).ETag ?? "";
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "empty", Body: "" }));
    lastModified =
      (await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "r" }))).LastModified ?? new Date(0);
  });

  const get = (headers: Record<string, string>, key = "r") =>
    rawRequest(stratus.url, { method: "GET", path: `/${bucket}/${key}`, headers, service: "s3" });

  it("answers bytes=a-b, a- and -n with 206 and Content-Range", async () => {
    const s3 = stratus.s3();
    const middle = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: "r", Range: "bytes=2-5" }));
    assert.equal(middle.$metadata.httpStatusCode, 206);
    assert.equal(await middle.Body?.transformToString(), "2345");
    assert.equal(middle.ContentRange, "bytes 2-5/20");
    assert.equal(middle.ContentLength, 4);
    const tail = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: "r", Range: "bytes=15-" }));
    assert.equal(await tail.Body?.transformToString(), "fghij");
    assert.equal(tail.ContentRange, "bytes 15-19/20");
    const suffix = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: "r", Range: "bytes=-3" }));
    assert.equal(await suffix.Body?.transformToString(), "hij");
    assert.equal(suffix.ContentRange, "bytes 17-19/20");
    const past = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: "r", Range: "bytes=18-100" }));
    assert.equal(await past.Body?.transformToString(), "ij");
    assert.equal(past.ContentRange, "bytes 18-19/20");
    const longSuffix = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: "r", Range: "bytes=-100" }));
    assert.equal(await longSuffix.Body?.transformToString(), BODY);
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "r", Range: "bytes=0-0" }));
    assert.equal(head.$metadata.httpStatusCode, 206);
    assert.equal(head.ContentLength, 1);
    assert.equal(head.ContentRange, "bytes 0-0/20");
  });

  it("ignores a Range header that is not one satisfiable-looking range, answering the whole object", async () => {
    for (const range of ["bytes=5-2", "items=0-1", "bytes=0-1,4-5", "bytes=abc"]) {
      const response = await get({ range });
      assert.equal(response.status, 200, range);
      assert.equal(response.text, BODY, range);
    }
  });

  it("answers a range past the end with 416 InvalidRange, RangeRequested and ActualObjectSize", async () => {
    const response = await get({ range: "bytes=20-30" });
    assert.equal(response.status, 416);
    assert.match(
      response.text,
      /<Code>InvalidRange<\/Code><Message>The requested range is not satisfiable<\/Message><RangeRequested>bytes=20-30<\/RangeRequested><ActualObjectSize>20<\/ActualObjectSize>/,
    );
    assert.equal(response.headers["content-range"], "bytes */20");
    const empty = await sdkError(
      stratus.s3().send(new GetObjectCommand({ Bucket: bucket, Key: "empty", Range: "bytes=0-" })),
    );
    assert.equal(empty.name, "InvalidRange");
    assert.equal(empty.$metadata.httpStatusCode, 416);
  });

  it("If-Match: 200 when it matches, 412 PreconditionFailed (Condition If-Match) when not", async () => {
    assert.equal((await get({ "if-match": etag })).status, 200);
    assert.equal((await get({ "if-match": etag.replace(/"/g, "") })).status, 200, "unquoted ETags match too");
    assert.equal((await get({ "if-match": "*" })).status, 200);
    const failed = await get({ "if-match": '"0000"' });
    assert.equal(failed.status, 412);
    assert.match(
      failed.text,
      /<Code>PreconditionFailed<\/Code><Message>At least one of the pre-conditions you specified did not hold<\/Message><Condition>If-Match<\/Condition>/,
    );
  });

  it("If-None-Match: 304 without a body when it matches", async () => {
    const response = await get({ "if-none-match": etag });
    assert.equal(response.status, 304);
    assert.equal(response.text, "");
    assert.equal(response.headers.etag, etag);
    assert.equal((await get({ "if-none-match": '"0000"' })).status, 200);
    const sdk = await sdkError(
      stratus.s3().send(new GetObjectCommand({ Bucket: bucket, Key: "r", IfNoneMatch: etag })),
    );
    assert.equal(sdk.$metadata.httpStatusCode, 304);
  });

  it("If-Modified-Since and If-Unmodified-Since compare whole seconds", async () => {
    const at = lastModified.toUTCString();
    const before = new Date(lastModified.getTime() - 60_000).toUTCString();
    const after = new Date(lastModified.getTime() + 60_000).toUTCString();
    assert.equal((await get({ "if-modified-since": at })).status, 304);
    assert.equal((await get({ "if-modified-since": after })).status, 304);
    assert.equal((await get({ "if-modified-since": before })).status, 200);
    assert.equal((await get({ "if-unmodified-since": at })).status, 200);
    const failed = await get({ "if-unmodified-since": before });
    assert.equal(failed.status, 412);
    assert.match(failed.text, /<Condition>If-Unmodified-Since<\/Condition>/);
    assert.equal(
      (await get({ "if-modified-since": "not a date" })).status,
      200,
      "an unparseable date is ignored",
    );
  });

  it("follows S3's precedence: If-Match true beats If-Unmodified-Since false; If-None-Match false beats If-Modified-Since true", async () => {
    const before = new Date(lastModified.getTime() - 60_000).toUTCString();
    const after = new Date(lastModified.getTime() + 60_000).toUTCString();
    assert.equal((await get({ "if-match": etag, "if-unmodified-since": before })).status, 200);
    assert.equal((await get({ "if-none-match": '"0000"', "if-modified-since": after })).status, 200);
    assert.equal((await get({ "if-match": '"0000"', "if-none-match": etag })).status, 412);
  });

  it("HEAD answers conditions with the status only", async () => {
    const failed = await rawRequest(stratus.url, {
      method: "HEAD",
      path: `/${bucket}/r`,
      headers: { "if-match": '"0000"' },
      service: "s3",
    });
    assert.equal(failed.status, 412);
    assert.equal(failed.text, "");
    const notModified = await rawRequest(stratus.url, {
      method: "HEAD",
      path: `/${bucket}/r`,
      headers: { "if-none-match": etag },
      service: "s3",
    });
    assert.equal(notModified.status, 304);
  });
});
