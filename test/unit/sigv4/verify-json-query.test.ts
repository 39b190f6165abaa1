// verifySigV4 against requests signed by the real SDK clients of DynamoDB (awsJson), Lambda (restJson)
// and STS (awsQuery), and the error each refusal becomes in that family.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { test } from "node:test";
import { DynamoDBClient, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { Hash } from "@smithy/hash-node";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";
import { CredentialStore } from "../../../src/aws/credentials.ts";
import { authError } from "../../../src/aws/sigv4/auth-errors.ts";
import { parseAmzDate } from "../../../src/aws/sigv4/parse.ts";
import type { SigV4Failure, SigV4Request } from "../../../src/aws/sigv4/types.ts";
import { verifySigV4 } from "../../../src/aws/sigv4/verify.ts";
import { capture, clientConfig, fromUrl } from "./sdk-capture.ts";

const credentials = new CredentialStore();
const MINUTE = 60_000;

function signedAt(request: SigV4Request): Date {
  const date = parseAmzDate(String(request.headers["x-amz-date"]));
  assert.ok(date, "the SDK dated the request");
  return date;
}

async function verify(request: SigV4Request, offsetMs = 1000) {
  return verifySigV4(request, {
    credentials,
    now: new Date(signedAt(request).getTime() + offsetMs),
    s3: false,
  });
}

async function refusal(request: SigV4Request, offsetMs = 1000): Promise<SigV4Failure> {
  const result = await verify(request, offsetMs);
  assert.equal(result.ok, false, "the request was refused");
  return (result as { failure: SigV4Failure }).failure;
}

const dynamodb = (accessKeyId = "test", secret = "test") =>
  capture((sink) =>
    new DynamoDBClient(clientConfig(sink, accessKeyId, secret)).send(
      new PutItemCommand({ TableName: "orders", Item: { pk: { S: "a b" } } }),
    ),
  );

const lambda = () =>
  capture((sink) =>
    new LambdaClient(clientConfig(sink)).send(
      new InvokeCommand({
        FunctionName: "arn:aws:lambda:us-east-1:000000000000:function:my-fn",
        Qualifier: "v 1",
        Payload: Buffer.from('{"x":1}'),
      }),
    ),
  );

const sts = (accessKeyId = "test") =>
  capture((sink) => new STSClient(clientConfig(sink, accessKeyId)).send(new GetCallerIdentityCommand({})));

test("DynamoDB: a request signed by the SDK verifies, and names its account, region and service", async () => {
  const request = await dynamodb();
  const result = await verify(request);
  assert.ok(result.ok);
  assert.equal(result.accountId, "000000000000");
  assert.equal(result.region, "us-east-1");
  assert.equal(result.service, "dynamodb");
  assert.equal(result.presigned, false);
  assert.equal(
    result.payloadHash,
    createHash("sha256")
      .update(request.body ?? "")
      .digest("hex"),
  );
  assert.equal(result.streaming, undefined);
});

test("DynamoDB: a 12-digit access key with secret test is that account", async () => {
  const result = await verify(await dynamodb("123456789012"));
  assert.ok(result.ok);
  assert.equal(result.accountId, "123456789012");
});

test("DynamoDB: wrong secret, tampered body or header fail the signature; the error quotes the canonical request", async () => {
  const wrongSecret = await refusal(await dynamodb("test", "not-the-secret"));
  assert.equal(wrongSecret.kind, "signature-mismatch");
  const error = authError(wrongSecret, "awsJson");
  assert.equal(error.code, "InvalidSignatureException");
  assert.equal(error.status, 400);
  assert.ok(wrongSecret.kind === "signature-mismatch");
  assert.match(wrongSecret.canonicalRequest, /^POST\n\/\n\n/);
  assert.match(
    wrongSecret.stringToSign,
    /^AWS4-HMAC-SHA256\n\d{8}T\d{6}Z\n\d{8}\/us-east-1\/dynamodb\/aws4_request\n[0-9a-f]{64}$/,
  );
  assert.equal(
    error.message,
    "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.\n\n" +
      `The Canonical String for this request should have been\n'${wrongSecret.canonicalRequest}'\n\n` +
      `The String-to-Sign should have been\n'${wrongSecret.stringToSign}'\n`,
  );

  const tamperedBody = await dynamodb();
  tamperedBody.body = Buffer.from(String(Buffer.from(tamperedBody.body ?? "")).replace("orders", "ordersX"));
  assert.equal((await refusal(tamperedBody)).kind, "signature-mismatch");

  const tamperedHeader = await dynamodb();
  tamperedHeader.headers["x-amz-target"] = "DynamoDB_20120810.DeleteItem";
  assert.equal((await refusal(tamperedHeader)).kind, "signature-mismatch");
});

test("DynamoDB: unknown key, missing and incomplete authentication", async () => {
  const unknown = await refusal(await dynamodb("AKIAUNKNOWNKEY"));
  assert.deepEqual(unknown, { kind: "unknown-key", accessKeyId: "AKIAUNKNOWNKEY", presigned: false });
  const tokenError = authError(unknown, "awsJson");
  assert.deepEqual(
    [tokenError.code, tokenError.status, tokenError.message],
    ["UnrecognizedClientException", 400, "The security token included in the request is invalid."],
  );

  const unsigned = await dynamodb();
  delete unsigned.headers.authorization;
  const missing = authError(await refusal(unsigned), "awsJson");
  assert.deepEqual(
    [missing.code, missing.status, missing.message],
    ["MissingAuthenticationTokenException", 400, "Request is missing Authentication Token"],
  );

  const incomplete = await dynamodb();
  const auth = String(incomplete.headers.authorization).replace(/, Signature=[0-9a-f]+/, "");
  incomplete.headers.authorization = auth;
  const error = authError(await refusal(incomplete), "awsJson");
  assert.equal(error.code, "IncompleteSignatureException");
  assert.equal(error.message, `Authorization header requires 'Signature' parameter. Authorization=${auth}`);
});

test("DynamoDB: a clock 16 minutes off either way is refused with AWS's skew texts", async () => {
  const request = await dynamodb();
  const sent = signedAt(request);
  const late = await refusal(request, 16 * MINUTE);
  assert.equal(late.kind, "skew");
  const stamp = (ms: number) =>
    new Date(ms)
      .toISOString()
      .replace(/\.\d{3}Z$/, "Z")
      .replace(/[-:]/g, "");
  const now = sent.getTime() + 16 * MINUTE;
  assert.equal(
    authError(late, "awsJson").message,
    `Signature expired: ${stamp(sent.getTime())} is now earlier than ${stamp(now - 15 * MINUTE)} (${stamp(now)} - 15 min.)`,
  );
  const early = await refusal(request, -16 * MINUTE);
  const then = sent.getTime() - 16 * MINUTE;
  assert.equal(
    authError(early, "awsJson").message,
    `Signature not yet current: ${stamp(sent.getTime())} is still later than ${stamp(then + 15 * MINUTE)} (${stamp(then)} + 15 min.)`,
  );
  assert.ok((await verify(request, 14 * MINUTE)).ok);
  assert.ok((await verify(request, -14 * MINUTE)).ok);
});

test("Lambda: an ARN path (':' encoded, signed double-encoded) and a qualifier query verify", async () => {
  const request = await lambda();
  assert.equal(
    request.rawPath,
    "/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A000000000000%3Afunction%3Amy-fn/invocations",
  );
  assert.equal(request.rawQuery, "Qualifier=v%201");
  const result = await verify(request);
  assert.ok(result.ok);
  assert.equal(result.service, "lambda");

  const tamperedPath = await lambda();
  tamperedPath.rawPath = tamperedPath.rawPath.replace("my-fn", "other");
  const mismatch = await refusal(tamperedPath);
  assert.ok(mismatch.kind === "signature-mismatch");
  assert.ok(
    mismatch.canonicalRequest.includes("/2015-03-31/functions/arn%253Aaws%253Alambda"),
    "non-S3 paths are encoded twice",
  );
  const error = authError(mismatch, "restJson");
  assert.deepEqual([error.code, error.status], ["InvalidSignatureException", 403]);

  const tamperedQuery = await lambda();
  tamperedQuery.rawQuery = "Qualifier=v%202";
  assert.equal((await refusal(tamperedQuery)).kind, "signature-mismatch");

  const unsigned = await lambda();
  delete unsigned.headers.authorization;
  const missing = authError(await refusal(unsigned), "restJson");
  assert.deepEqual(
    [missing.code, missing.status, missing.message],
    ["MissingAuthenticationTokenException", 403, "Missing Authentication Token"],
  );
});

test("STS: a query-protocol form body verifies; refusals are awsQuery errors", async () => {
  const request = await sts();
  assert.equal(Buffer.from(request.body ?? "").toString(), "Action=GetCallerIdentity&Version=2011-06-15");
  assert.ok((await verify(request)).ok);

  const tampered = await sts();
  tampered.body = Buffer.from("Action=GetSessionToken&Version=2011-06-15");
  const mismatch = authError(await refusal(tampered), "awsQuery");
  assert.deepEqual(
    [mismatch.code, mismatch.status, mismatch.fault],
    ["SignatureDoesNotMatch", 403, "Sender"],
  );
  assert.match(mismatch.message, /\n\nThe Canonical String for this request should have been\n'POST\n\/\n\n/);

  const unknown = authError(await refusal(await sts("AKIAUNKNOWNKEY")), "awsQuery");
  assert.deepEqual(
    [unknown.code, unknown.status, unknown.message],
    ["InvalidClientTokenId", 403, "The security token included in the request is invalid."],
  );
  const unsigned = await sts();
  delete unsigned.headers.authorization;
  const missing = authError(await refusal(unsigned), "awsQuery");
  assert.deepEqual(
    [missing.code, missing.status, missing.message],
    ["MissingAuthenticationToken", 403, "Request is missing Authentication Token"],
  );
  const skewed = authError(await refusal(request, -20 * MINUTE), "awsQuery");
  assert.equal(skewed.code, "SignatureDoesNotMatch");
  assert.match(skewed.message, /^Signature not yet current: /);
});

test("STS: a presigned GetCallerIdentity verifies; AWS holds it to 15 minutes whatever X-Amz-Expires says", async () => {
  const signer = new SignatureV4({
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
    region: "us-east-1",
    service: "sts",
    sha256: Hash.bind(null, "sha256"),
  });
  const signingDate = new Date(Date.UTC(2024, 0, 2, 3, 4, 5));
  const presigned = await signer.presign(
    new HttpRequest({
      method: "GET",
      hostname: "sts.localhost",
      path: "/",
      query: { Action: "GetCallerIdentity", Version: "2011-06-15" },
      headers: { host: "sts.localhost", "x-k8s-aws-id": "my-cluster" },
    }),
    { signingDate, expiresIn: 3600 },
  );
  const query = Object.entries(presigned.query ?? {})
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`)
    .join("&");
  const request = fromUrl(`http://sts.localhost/?${query}`, "GET", { "x-k8s-aws-id": "my-cluster" });
  const now = (ms: number) => new Date(signingDate.getTime() + ms);
  const ok = await verifySigV4(request, { credentials, now: now(MINUTE), s3: false });
  assert.ok(ok.ok);
  assert.equal(ok.presigned, true);
  const late = await verifySigV4(request, { credentials, now: now(16 * MINUTE), s3: false });
  assert.ok(!late.ok && late.failure.kind === "skew");
  request.headers["x-k8s-aws-id"] = "another-cluster";
  const tampered = await verifySigV4(request, { credentials, now: now(MINUTE), s3: false });
  assert.ok(!tampered.ok && tampered.failure.kind === "signature-mismatch");
});
