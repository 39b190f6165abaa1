// verifySigV4 against S3 requests signed by the real SDK (header auth with a key that needs encoding,
// presigned GET and PUT from @aws-sdk/s3-request-presigner) and S3's errors for each refusal.
import assert from "node:assert/strict";
import { once } from "node:events";
import { test } from "node:test";
import { GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { CredentialStore } from "../../../src/aws/credentials.ts";
import { authError } from "../../../src/aws/sigv4/auth-errors.ts";
import { parseAmzDate } from "../../../src/aws/sigv4/parse.ts";
import { createPayloadHashCheck } from "../../../src/aws/sigv4/payload.ts";
import type { SigV4Failure, SigV4Request } from "../../../src/aws/sigv4/types.ts";
import { verifySigV4 } from "../../../src/aws/sigv4/verify.ts";
import { capture, clientConfig, ENDPOINT, fromUrl } from "./sdk-capture.ts";

const credentials = new CredentialStore();
const MINUTE = 60_000;
const KEY = "dir/a key é+ü.txt";
const HELLO_SHA256 = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";

function dateOf(request: SigV4Request): Date {
  const raw = request.headers["x-amz-date"] ?? /X-Amz-Date=(\w+)/.exec(request.rawQuery)?.[1];
  const date = parseAmzDate(String(raw));
  assert.ok(date);
  return date;
}

async function verify(request: SigV4Request, offsetMs = 1000) {
  return verifySigV4(request, { credentials, now: new Date(dateOf(request).getTime() + offsetMs), s3: true });
}

async function refusal(request: SigV4Request, offsetMs = 1000): Promise<SigV4Failure> {
  const result = await verify(request, offsetMs);
  assert.ok(!result.ok, "the request was refused");
  return result.failure;
}

const putObject = (accessKeyId = "test", secret = "test") =>
  capture((sink) =>
    new S3Client({ ...clientConfig(sink, accessKeyId, secret), forcePathStyle: true }).send(
      new PutObjectCommand({ Bucket: "bucket", Key: KEY, Body: Buffer.from("hello") }),
    ),
  );

const presigner = new S3Client({
  region: "us-east-1",
  endpoint: ENDPOINT,
  forcePathStyle: true,
  credentials: { accessKeyId: "test", secretAccessKey: "test" },
});

test("S3: a header-signed PUT of a key with spaces and unicode verifies; the path is signed as sent", async () => {
  const request = await putObject();
  assert.equal(request.rawPath, "/bucket/dir/a%20key%20%C3%A9%2B%C3%BC.txt");
  const result = await verify(request);
  assert.ok(result.ok);
  assert.equal(result.service, "s3");
  assert.equal(result.payloadHash, HELLO_SHA256);

  const wrong = await refusal(await putObject("test", "wrong"));
  assert.ok(wrong.kind === "signature-mismatch");
  assert.ok(
    wrong.canonicalRequest.startsWith("PUT\n/bucket/dir/a%20key%20%C3%A9%2B%C3%BC.txt\nx-id=PutObject\n"),
  );
  const error = authError(wrong, "restXml");
  assert.deepEqual(
    [error.code, error.status, error.message],
    [
      "SignatureDoesNotMatch",
      403,
      "The request signature we calculated does not match the signature you provided. Check your key and signing method.",
    ],
  );
  assert.deepEqual(Object.keys(error.fields), [
    "AWSAccessKeyId",
    "StringToSign",
    "SignatureProvided",
    "StringToSignBytes",
    "CanonicalRequest",
    "CanonicalRequestBytes",
  ]);
  assert.equal(error.fields.AWSAccessKeyId, "test");
  assert.equal(error.fields.StringToSign, wrong.stringToSign);
  assert.ok(
    String(error.fields.StringToSignBytes).startsWith("41 57 53 34 2d 48 4d 41 43 2d 53 48 41 32 35 36 0a"),
  );
});

test("S3: tampered path, query or header fail the signature; a tampered body fails its x-amz-content-sha256", async () => {
  const path = await putObject();
  path.rawPath = "/bucket/dir/a%20key%20%C3%A9%2B%C3%BC.txT";
  assert.equal((await refusal(path)).kind, "signature-mismatch");
  const query = await putObject();
  query.rawQuery = "x-id=PutObject&versionId=1";
  assert.equal((await refusal(query)).kind, "signature-mismatch");
  const header = await putObject();
  header.headers["content-type"] = "text/html";
  assert.equal((await refusal(header)).kind, "signature-mismatch");

  const body = await putObject();
  body.body = Buffer.from("jello");
  const mismatch = authError(await refusal(body), "restXml");
  assert.deepEqual(
    [mismatch.code, mismatch.status, mismatch.message],
    [
      "XAmzContentSHA256Mismatch",
      400,
      "The provided 'x-amz-content-sha256' header does not match what was computed.",
    ],
  );
  assert.equal(mismatch.fields.ClientComputedContentSHA256, HELLO_SHA256);
});

test("S3: a streamed body is checked against its hash at the end", async () => {
  const good = createPayloadHashCheck(HELLO_SHA256);
  good.end(Buffer.from("hello"));
  good.resume();
  await once(good, "end");
  const bad = createPayloadHashCheck(HELLO_SHA256);
  bad.end(Buffer.from("jello"));
  bad.resume();
  const [error] = await once(bad, "error");
  assert.equal(error.code, "XAmzContentSHA256Mismatch");
});

test("S3: unknown key, missing auth, missing x-amz-content-sha256 and skew are S3's errors", async () => {
  const unknown = authError(await refusal(await putObject("AKIAUNKNOWNKEY")), "restXml");
  assert.deepEqual(
    [unknown.code, unknown.status, unknown.message, unknown.fields],
    [
      "InvalidAccessKeyId",
      403,
      "The AWS Access Key Id you provided does not exist in our records.",
      { AWSAccessKeyId: "AKIAUNKNOWNKEY" },
    ],
  );
  const unsigned = await putObject();
  delete unsigned.headers.authorization;
  const missing = authError(await refusal(unsigned), "restXml");
  assert.deepEqual([missing.code, missing.status, missing.message], ["AccessDenied", 403, "Access Denied"]);

  const noHash = await putObject();
  delete noHash.headers["x-amz-content-sha256"];
  const noHashError = authError(await refusal(noHash), "restXml");
  assert.deepEqual(
    [noHashError.code, noHashError.status, noHashError.message],
    ["InvalidRequest", 400, "Missing required header for this request: x-amz-content-sha256"],
  );

  const request = await putObject();
  for (const offset of [16 * MINUTE, -16 * MINUTE]) {
    const skew = authError(await refusal(request, offset), "restXml");
    assert.equal(skew.code, "RequestTimeTooSkewed");
    assert.equal(skew.status, 403);
    assert.equal(skew.message, "The difference between the request time and the current time is too large.");
    const server = new Date(dateOf(request).getTime() + offset).toISOString().replace(/\.\d{3}Z$/, "Z");
    assert.deepEqual(skew.fields, {
      RequestTime: request.headers["x-amz-date"],
      ServerTime: server,
      MaxAllowedSkewMilliseconds: "900000",
    });
  }
});

test("S3: presigned GET and PUT from the SDK presigner verify with UNSIGNED-PAYLOAD", async () => {
  const getUrl = await getSignedUrl(presigner, new GetObjectCommand({ Bucket: "bucket", Key: KEY }), {
    expiresIn: 300,
  });
  const get = await verify(fromUrl(getUrl, "GET"));
  assert.ok(get.ok);
  assert.equal(get.presigned, true);
  assert.equal(get.payloadHash, "UNSIGNED-PAYLOAD");

  const putUrl = await getSignedUrl(
    presigner,
    new PutObjectCommand({ Bucket: "bucket", Key: KEY, ContentType: "text/plain" }),
    {
      expiresIn: 300,
    },
  );
  const put = fromUrl(putUrl, "PUT", { "content-type": "text/plain", "content-length": "5" });
  put.body = Buffer.from("hello");
  assert.ok((await verify(put)).ok);
  assert.equal((await verify(fromUrl(putUrl, "GET"))).ok, false, "the method is signed");

  const tampered = fromUrl(getUrl.replace("x-id=GetObject", "x-id=GetObjectAcl"), "GET");
  assert.equal((await refusal(tampered)).kind, "signature-mismatch");
});

test("S3: an expired or not yet valid presigned URL, and a week-plus X-Amz-Expires, are refused", async () => {
  const url = await getSignedUrl(presigner, new GetObjectCommand({ Bucket: "bucket", Key: KEY }), {
    expiresIn: 300,
  });
  const request = fromUrl(url, "GET");
  const signed = dateOf(request).getTime();
  assert.ok((await verify(request, 300_000)).ok, "valid through its last second");
  const expired = await refusal(request, 301_000);
  const expiredError = authError(expired, "restXml");
  const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
  assert.deepEqual(
    [expiredError.code, expiredError.status, expiredError.message, expiredError.fields],
    [
      "AccessDenied",
      403,
      "Request has expired",
      { "X-Amz-Expires": "300", Expires: iso(signed + 300_000), ServerTime: iso(signed + 301_000) },
    ],
  );

  const early = authError(await refusal(request, -16 * MINUTE), "restXml");
  assert.deepEqual(
    [early.code, early.message, early.fields],
    [
      "AccessDenied",
      "Request is not yet valid",
      { "X-Amz-Date": String(signed), Expires: iso(signed + 300_000), ServerTime: iso(signed - 16 * MINUTE) },
    ],
  );

  const week = fromUrl(url.replace("X-Amz-Expires=300", "X-Amz-Expires=604801"), "GET");
  const tooLong = authError(await refusal(week), "restXml");
  assert.deepEqual(
    [tooLong.code, tooLong.status, tooLong.message],
    [
      "AuthorizationQueryParametersError",
      400,
      "X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires must be less than 604800 seconds",
    ],
  );
  const noSignature = fromUrl(url.replace(/X-Amz-Signature=[0-9a-f]+&?/, ""), "GET");
  const incomplete = authError(await refusal(noSignature), "restXml");
  assert.equal(
    incomplete.message,
    "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.",
  );
});
