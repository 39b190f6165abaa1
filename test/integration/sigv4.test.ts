/**
 * SigV4 through the whole server, for one service of each protocol family: valid, wrong secret,
 * unknown key, missing auth, presigned (valid and expired), clock skew, aws-chunked payloads, and the
 * account a key selects. The SDK makes the valid requests; the bad ones are signed with
 * @smithy/signature-v4 (test/support/raw-request.ts) because no SDK will make them.
 *
 * A request that passes authentication reaches its operation: STS GetCallerIdentity and DynamoDB
 * ListTables answer; Lambda and S3 answer their protocol's not-implemented error, which only happens
 * after authentication.
 */
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { Hash } from "@smithy/hash-node";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";
import { frameSigned } from "../support/chunk-framing.ts";
import { type RawRequest, rawRequest, send } from "../support/raw-request.ts";
import { startTestStratus, type TestStratus, useStratus } from "../support/stratus.ts";

const WRONG_SECRET = { accessKeyId: "test", secretAccessKey: "not-the-secret" };
const UNKNOWN_KEY = { accessKeyId: "AKIAUNKNOWNKEY000000", secretAccessKey: "test" };
const SKEWED = new Date(Date.now() - 16 * 60_000);

const DYNAMODB: RawRequest = {
  service: "dynamodb",
  headers: { "x-amz-target": "DynamoDB_20120810.ListTables", "content-type": "application/x-amz-json-1.0" },
  body: "{}",
};
const LAMBDA: RawRequest = { service: "lambda", method: "GET", path: "/2015-03-31/functions/" };
const S3: RawRequest = { service: "s3", method: "GET", path: "/" };
const STS: RawRequest = {
  service: "sts",
  headers: { "content-type": "application/x-www-form-urlencoded" },
  body: "Action=GetCallerIdentity&Version=2011-06-15",
};

const SIGNATURE_TEXT =
  "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";

function json(text: string): Record<string, unknown> {
  return JSON.parse(text) as Record<string, unknown>;
}

describe("SigV4 through the server", () => {
  const stratus = useStratus({ inMemory: true });

  describe("DynamoDB (awsJson: 400s)", () => {
    it("passes a valid signature through to the operation", async () => {
      const response = await rawRequest(stratus.url, DYNAMODB);
      assert.equal(response.status, 200);
      assert.deepEqual(json(response.text), { TableNames: [] });
    });

    it("refuses a wrong secret with InvalidSignatureException and the canonical request", async () => {
      const response = await rawRequest(stratus.url, { ...DYNAMODB, credentials: WRONG_SECRET });
      assert.equal(response.status, 400);
      const body = json(response.text);
      assert.equal(body.__type, "com.amazon.coral.service#InvalidSignatureException");
      const message = String(body.message);
      assert.ok(
        message.startsWith(
          `${SIGNATURE_TEXT}\n\nThe Canonical String for this request should have been\n'POST\n/\n`,
        ),
      );
      assert.match(
        message,
        /\n\nThe String-to-Sign should have been\n'AWS4-HMAC-SHA256\n\d{8}T\d{6}Z\n\d{8}\/us-east-1\/dynamodb\/aws4_request\n[0-9a-f]{64}'\n$/,
      );
    });

    it("refuses an unknown key with UnrecognizedClientException", async () => {
      const response = await rawRequest(stratus.url, { ...DYNAMODB, credentials: UNKNOWN_KEY });
      assert.equal(response.status, 400);
      assert.deepEqual(json(response.text), {
        __type: "com.amazon.coral.service#UnrecognizedClientException",
        message: "The security token included in the request is invalid.",
      });
    });

    it("refuses an unsigned request with MissingAuthenticationTokenException", async () => {
      const response = await rawRequest(stratus.url, { ...DYNAMODB, service: undefined });
      assert.equal(response.status, 400);
      assert.deepEqual(json(response.text), {
        __type: "com.amazon.coral.service#MissingAuthenticationTokenException",
        message: "Request is missing Authentication Token",
      });
    });

    it("refuses a request signed 16 minutes ago with 'Signature expired'", async () => {
      const response = await rawRequest(stratus.url, { ...DYNAMODB, signingDate: SKEWED });
      assert.equal(response.status, 400);
      const body = json(response.text);
      assert.equal(body.__type, "com.amazon.coral.service#InvalidSignatureException");
      assert.match(
        String(body.message),
        /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 15 min\.\)$/,
      );
    });

    it("refuses a body changed after signing", async () => {
      const url = new URL(stratus.url);
      const signed = await sign(url, "dynamodb", "POST", "/", { ...DYNAMODB.headers }, "{}");
      const response = await send(url, "POST", "/", signed, '{"Limit":1}');
      assert.equal(json(response.text).__type, "com.amazon.coral.service#InvalidSignatureException");
    });
  });

  describe("Lambda (restJson: 403s)", () => {
    it("passes a valid signature through to the operation", async () => {
      const response = await rawRequest(stratus.url, LAMBDA);
      assert.equal(response.status, 200);
      assert.deepEqual(json(response.text), { Functions: [] });
    });

    it("refuses a wrong secret with 403 InvalidSignatureException", async () => {
      const response = await rawRequest(stratus.url, { ...LAMBDA, credentials: WRONG_SECRET });
      assert.equal(response.status, 403);
      assert.equal(response.headers["x-amzn-errortype"], "InvalidSignatureException");
      assert.ok(String(json(response.text).message).startsWith(SIGNATURE_TEXT));
    });

    it("refuses an unknown key with 403 UnrecognizedClientException", async () => {
      const response = await rawRequest(stratus.url, { ...LAMBDA, credentials: UNKNOWN_KEY });
      assert.equal(response.status, 403);
      assert.equal(response.headers["x-amzn-errortype"], "UnrecognizedClientException");
      assert.deepEqual(json(response.text), {
        message: "The security token included in the request is invalid.",
      });
    });

    it("refuses an unsigned request with 403 MissingAuthenticationTokenException", async () => {
      const response = await rawRequest(stratus.url, { ...LAMBDA, service: undefined });
      // Unsigned and without a target, the request cannot name Lambda: it is S3's, which AWS also
      // serves anonymously: here a GetObject in bucket "2015-03-31", which does not exist (S3 answers
      // NoSuchBucket to anonymous callers too). Signed for lambda but with no Authorization is what
      // the SDKs never send.
      assert.equal(response.status, 404);
      const missing = await rawRequest(stratus.url, {
        ...LAMBDA,
        service: undefined,
        query: { "X-Amz-Credential": "test/20250101/us-east-1/lambda/aws4_request" },
      });
      assert.equal(missing.status, 403);
      assert.equal(missing.headers["x-amzn-errortype"], "MissingAuthenticationTokenException");
      assert.deepEqual(json(missing.text), { message: "Missing Authentication Token" });
    });

    it("refuses clock skew with 403 'Signature expired'", async () => {
      const response = await rawRequest(stratus.url, { ...LAMBDA, signingDate: SKEWED });
      assert.equal(response.status, 403);
      assert.equal(response.headers["x-amzn-errortype"], "InvalidSignatureException");
      assert.match(String(json(response.text).message), /^Signature expired: /);
    });
  });

  describe("S3 (restXml: 403s with S3's codes)", () => {
    const BUCKET = "sigv4-bucket";
    before(async () => {
      await stratus.s3().send(new CreateBucketCommand({ Bucket: BUCKET }));
    });

    it("passes a valid signature (SDK) through to the operation", async () => {
      // NoSuchKey comes from the operation itself, so authentication let the request through.
      await assert.rejects(
        stratus.s3().send(new GetObjectCommand({ Bucket: BUCKET, Key: "dir/a key é+ü.txt" })),
        { name: "NoSuchKey" },
      );
    });

    it("refuses a wrong secret with SignatureDoesNotMatch and S3's fields", async () => {
      const response = await rawRequest(stratus.url, { ...S3, credentials: WRONG_SECRET });
      assert.equal(response.status, 403);
      assert.match(
        response.text,
        /<Code>SignatureDoesNotMatch<\/Code><Message>The request signature we calculated does not match the signature you provided\. Check your key and signing method\.<\/Message><AWSAccessKeyId>test<\/AWSAccessKeyId><StringToSign>/,
      );
      assert.match(response.text, /<CanonicalRequest>GET\n\/\n/);
      assert.match(response.text, /<RequestId>[0-9A-F]{16}<\/RequestId><HostId>/);
    });

    it("refuses an unknown key with InvalidAccessKeyId", async () => {
      const response = await rawRequest(stratus.url, { ...S3, credentials: UNKNOWN_KEY });
      assert.equal(response.status, 403);
      assert.match(
        response.text,
        /<Code>InvalidAccessKeyId<\/Code><Message>The AWS Access Key Id you provided does not exist in our records\.<\/Message><AWSAccessKeyId>AKIAUNKNOWNKEY000000<\/AWSAccessKeyId>/,
      );
    });

    it("refuses an anonymous request with AccessDenied", async () => {
      const response = await rawRequest(stratus.url, { ...S3, service: undefined });
      assert.equal(response.status, 403);
      assert.match(response.text, /<Code>AccessDenied<\/Code><Message>Access Denied<\/Message>/);
    });

    it("refuses clock skew with RequestTimeTooSkewed", async () => {
      const response = await rawRequest(stratus.url, { ...S3, signingDate: SKEWED });
      assert.equal(response.status, 403);
      assert.match(
        response.text,
        /<Code>RequestTimeTooSkewed<\/Code><Message>The difference between the request time and the current time is too large\.<\/Message><RequestTime>/,
      );
      assert.match(response.text, /<MaxAllowedSkewMilliseconds>900000<\/MaxAllowedSkewMilliseconds>/);
    });

    it("accepts a presigned GET and PUT URL from @aws-sdk/s3-request-presigner", async () => {
      const put = new PutObjectCommand({ Bucket: BUCKET, Key: "k.txt" });
      const putUrl = await getSignedUrl(stratus.s3(), put, { expiresIn: 60 });
      const stored = await fetch(putUrl, { method: "PUT", body: "hello" });
      assert.equal(stored.status, 200, await stored.clone().text());
      const get = new GetObjectCommand({ Bucket: BUCKET, Key: "k.txt" });
      const getUrl = await getSignedUrl(stratus.s3(), get, { expiresIn: 60 });
      const read = await fetch(getUrl);
      assert.equal(read.status, 200);
      assert.equal(await read.text(), "hello");
    });

    it("refuses an expired presigned URL with AccessDenied 'Request has expired'", async () => {
      const response = await rawRequest(stratus.url, {
        ...S3,
        path: "/b/k.txt",
        presignExpiresIn: 60,
        signingDate: new Date(Date.now() - 120_000),
      });
      assert.equal(response.status, 403);
      assert.match(
        response.text,
        /<Code>AccessDenied<\/Code><Message>Request has expired<\/Message><X-Amz-Expires>60<\/X-Amz-Expires><Expires>[^<]+<\/Expires><ServerTime>[^<]+<\/ServerTime>/,
      );
    });

    it("verifies aws-chunked signed payloads chunk by chunk", async () => {
      const url = new URL(stratus.url);
      const data = Buffer.alloc(70 * 1024, 0x61);
      const date = new Date();
      const make = async (tamper: boolean) => {
        const headers = await sign(
          url,
          "s3",
          "PUT",
          `/${BUCKET}/chunked.txt`,
          {
            "content-encoding": "aws-chunked",
            "x-amz-content-sha256": "STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
            "x-amz-decoded-content-length": String(data.length),
          },
          undefined,
          date,
        );
        const seed = /Signature=([0-9a-f]{64})/.exec(headers.authorization ?? "")?.[1] ?? "";
        const body = await frameSigned(data, 64 * 1024, seed, {
          accessKeyId: "test",
          secretAccessKey: "test",
          region: "us-east-1",
          service: "s3",
          date,
        });
        if (tamper) body.writeUInt8((body.at(-100) ?? 0) ^ 1, body.length - 100);
        return send(
          url,
          "PUT",
          `/${BUCKET}/chunked.txt`,
          { ...headers, "content-length": String(body.length) },
          body,
        );
      };
      const valid = await make(false);
      assert.equal(valid.status, 200, valid.text);
      const back = await stratus.s3().send(new GetObjectCommand({ Bucket: BUCKET, Key: "chunked.txt" }));
      assert.deepEqual(Buffer.from(await back.Body!.transformToByteArray()), data);
      const tampered = await make(true);
      assert.equal(tampered.status, 403, tampered.text);
      assert.match(tampered.text, /<Code>SignatureDoesNotMatch<\/Code>/);
    });
  });

  describe("STS (awsQuery: 403s with query codes)", () => {
    it("refuses a wrong secret with SignatureDoesNotMatch", async () => {
      const response = await rawRequest(stratus.url, { ...STS, credentials: WRONG_SECRET });
      assert.equal(response.status, 403);
      assert.match(
        response.text,
        /<Type>Sender<\/Type><Code>SignatureDoesNotMatch<\/Code><Message>The request signature we calculated/,
      );
    });

    it("refuses an unknown key with InvalidClientTokenId", async () => {
      const response = await rawRequest(stratus.url, { ...STS, credentials: UNKNOWN_KEY });
      assert.equal(response.status, 403);
      assert.match(
        response.text,
        /<Code>InvalidClientTokenId<\/Code><Message>The security token included in the request is invalid\.<\/Message>/,
      );
    });
  });

  describe("accounts", () => {
    it("an access key id of 12 digits with secret 'test' selects that account", async () => {
      const sts = stratus.sts({ accessKeyId: "111122223333", secretAccessKey: "test" });
      const identity = await sts.send(new GetCallerIdentityCommand({}));
      assert.equal(identity.Account, "111122223333");
      assert.equal(identity.Arn, "arn:aws:iam::111122223333:root");
    });

    it("a 12-digit key with another secret is refused", async () => {
      const response = await rawRequest(stratus.url, {
        ...STS,
        credentials: { accessKeyId: "111122223333", secretAccessKey: "x" },
      });
      assert.equal(response.status, 403);
      assert.match(response.text, /<Code>SignatureDoesNotMatch<\/Code>/);
    });
  });
});

describe("--credentials FILE", () => {
  let stratus: TestStratus;
  const file = join(tmpdir(), `stratus-credentials-${process.pid}.json`);
  before(async () => {
    await writeFile(
      file,
      JSON.stringify([
        { accessKeyId: "AKIAEXAMPLE12345", secretAccessKey: "s3cr3t", accountId: "444455556666" },
      ]),
    );
    stratus = await startTestStratus({ inMemory: true, credentialsFile: file });
  });
  after(() => stratus.close());

  it("adds key pairs in their accounts, beside the default one", async () => {
    const other = await stratus
      .sts({ accessKeyId: "AKIAEXAMPLE12345", secretAccessKey: "s3cr3t" })
      .send(new GetCallerIdentityCommand({}));
    assert.equal(other.Account, "444455556666");
    const root = await stratus.sts().send(new GetCallerIdentityCommand({}));
    assert.equal(root.Account, "000000000000");
  });
});

async function sign(
  url: URL,
  service: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
  signingDate?: Date,
): Promise<Record<string, string>> {
  const signer = new SignatureV4({
    service,
    region: "us-east-1",
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
    sha256: Hash.bind(null, "sha256"),
    uriEscapePath: service !== "s3",
  });
  const request = new HttpRequest({
    method,
    hostname: url.hostname,
    port: Number(url.port),
    path,
    headers: { host: url.host, ...headers },
    body,
  });
  return (await signer.sign(request, { signingDate })).headers;
}
