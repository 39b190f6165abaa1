// Every refusal, every family: AWS's code, status and text, word for word (sources in auth-errors.ts
// and s3-errors.ts). Failures are read from real-looking requests through verifySigV4 where it matters
// that verification reports them; the rest are built by hand.
import assert from "node:assert/strict";
import { test } from "node:test";
import { CredentialStore } from "../../../src/aws/credentials.ts";
import { authError, type ProtocolFamily } from "../../../src/aws/sigv4/auth-errors.ts";
import type { SigV4Failure, SigV4Request } from "../../../src/aws/sigv4/types.ts";
import { verifySigV4 } from "../../../src/aws/sigv4/verify.ts";

const NOW = new Date("2024-05-01T10:00:00Z");
const AUTH =
  "AWS4-HMAC-SHA256 Credential=test/20240501/us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=abcd";

async function failureOf(headers: Record<string, string>, rawQuery = "", s3 = false): Promise<SigV4Failure> {
  const request: SigV4Request = {
    method: "GET",
    rawPath: "/",
    rawQuery,
    headers: { host: "localhost", ...headers },
  };
  const result = await verifySigV4(request, { credentials: new CredentialStore(), now: NOW, s3 });
  assert.ok(!result.ok);
  return result.failure;
}

function shape(failure: SigV4Failure, family: ProtocolFamily) {
  const error = authError(failure, family);
  return [error.code, error.status, error.message];
}

test("malformed Authorization headers, DynamoDB's texts", async () => {
  const date = { "x-amz-date": "20240501T100000Z" };
  const cases: Array<[Record<string, string>, string, string]> = [
    [
      { authorization: "AWS4-HMAC-SHA256 Credential=test/20240501/us-east-1/dynamodb/aws4_request" },
      "IncompleteSignatureException",
      "Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. " +
        "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. " +
        "Authorization=AWS4-HMAC-SHA256 Credential=test/20240501/us-east-1/dynamodb/aws4_request",
    ],
    [
      { ...date, authorization: "AWS4-HMAC-SHA256 Credential, SignedHeaders=host, Signature=abcd" },
      "IncompleteSignatureException",
      "'Credential' not a valid key=value pair (missing equal-sign) in Authorization header: 'AWS4-HMAC-SHA256 Credential, SignedHeaders=host, Signature=abcd'.",
    ],
    [
      { "x-amz-date": "201", authorization: AUTH },
      "IncompleteSignatureException",
      "Date must be in ISO-8601 'basic format'. Got '201'. See http://en.wikipedia.org/wiki/ISO_8601",
    ],
    [
      { ...date, authorization: AUTH.replace("AWS4-HMAC-SHA256", "AWS4-HMAC-SHA25") },
      "IncompleteSignatureException",
      "Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA25' (only AWS4-HMAC-SHA256 for now). ",
    ],
    [
      { ...date, authorization: AUTH.replace("test/20240501/us-east-1/dynamodb/aws4_request", "a/b/c/d") },
      "IncompleteSignatureException",
      "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got 'a/b/c/d'",
    ],
    [
      { ...date, authorization: AUTH.replace("aws4_request", "e") },
      "InvalidSignatureException",
      "Credential should be scoped with a valid terminator: 'aws4_request', not 'e'. ",
    ],
    [
      { ...date, authorization: AUTH.replace("/20240501/", "/20240502/") },
      "InvalidSignatureException",
      "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20240502' != '20240501', from '20240501T100000Z'. ",
    ],
    [
      { ...date, authorization: "Bearer abc" },
      "MissingAuthenticationTokenException",
      "Request is missing Authentication Token",
    ],
  ];
  for (const [headers, code, message] of cases) {
    assert.deepEqual(shape(await failureOf(headers), "awsJson"), [code, 400, message]);
  }
});

test("the same refusals in the restJson and awsQuery families", async () => {
  const incomplete = await failureOf({ "x-amz-date": "201", authorization: AUTH });
  assert.deepEqual(shape(incomplete, "restJson").slice(0, 2), ["IncompleteSignatureException", 403]);
  assert.deepEqual(shape(incomplete, "awsQuery").slice(0, 2), ["IncompleteSignature", 400]);
  const terminator = await failureOf({
    "x-amz-date": "20240501T100000Z",
    authorization: AUTH.replace("aws4_request", "e"),
  });
  assert.deepEqual(shape(terminator, "awsQuery").slice(0, 2), ["SignatureDoesNotMatch", 403]);
  const skew: SigV4Failure = {
    kind: "skew",
    presigned: false,
    direction: "past",
    requestTimeRaw: "20220127T001427Z",
    requestTime: new Date("2022-01-27T00:14:27Z"),
    serverTime: new Date("2022-01-27T01:59:28Z"),
    maxSkewMinutes: 15,
  };
  // The very response of aws/aws-cli#6676 (STS).
  assert.deepEqual(shape(skew, "awsQuery"), [
    "SignatureDoesNotMatch",
    403,
    "Signature expired: 20220127T001427Z is now earlier than 20220127T014428Z (20220127T015928Z - 15 min.)",
  ]);
  assert.deepEqual(
    shape({ ...skew, maxSkewMinutes: 5 }, "restJson")[2],
    "Signature expired: 20220127T001427Z is now earlier than 20220127T015428Z (20220127T015928Z - 5 min.)",
  );
});

test("S3: malformed Authorization headers", async () => {
  const auth = AUTH.replace("dynamodb", "s3");
  const date = { "x-amz-date": "20240501T100000Z", "x-amz-content-sha256": "UNSIGNED-PAYLOAD" };
  const cases: Array<[Record<string, string>, string, number, string]> = [
    [
      { ...date, authorization: "AWS4-HMAC-SHA256 Credential=test/20240501/us-east-1/s3/aws4_request" },
      "AuthorizationHeaderMalformed",
      400,
      "The authorization header is malformed; the authorization header requires three components: Credential, SignedHeaders, and Signature.",
    ],
    [
      { authorization: auth },
      "AccessDenied",
      403,
      "AWS authentication requires a valid Date or x-amz-date header",
    ],
    [
      {
        ...date,
        authorization:
          "AWS4-HMAC-SHA256 Credential=aws_access_key_id= something/20240501/us-east-1/s3/aws4_request, x, SignedHeaders=host, Signature=ab",
      },
      "AuthorizationHeaderMalformed",
      400,
      'The authorization header is malformed; the authorization component "x" is malformed.',
    ],
    [
      {
        ...date,
        authorization: auth.replace("test/20240501/us-east-1/s3/aws4_request", "test/20240501/us-east-1/s3"),
      },
      "AuthorizationHeaderMalformed",
      400,
      'The authorization header is malformed; the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".',
    ],
    [
      { ...date, authorization: "AWS AKIAIOSFODNN7EXAMPLE:frJIUN8DYpKDtOLCwo//yllqDzg=" },
      "InvalidRequest",
      400,
      "The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.",
    ],
    [
      { ...date, "x-amz-content-sha256": "GIBBERISH", authorization: auth },
      "InvalidArgument",
      400,
      "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER, STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD, STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER or a valid sha256 value.",
    ],
  ];
  for (const [headers, code, status, message] of cases) {
    assert.deepEqual(shape(await failureOf(headers, "", true), "restXml"), [code, status, message], message);
  }
  const invalid = authError(
    await failureOf({ ...date, "x-amz-content-sha256": "GIBBERISH", authorization: auth }, "", true),
    "restXml",
  );
  assert.deepEqual(invalid.fields, { ArgumentName: "x-amz-content-sha256", ArgumentValue: "GIBBERISH" });
});

test("S3: malformed presigned query parameters", async () => {
  const base = {
    "X-Amz-Algorithm": "AWS4-HMAC-SHA256",
    "X-Amz-Credential": "test/20240501/us-east-1/s3/aws4_request",
    "X-Amz-Date": "20240501T100000Z",
    "X-Amz-Expires": "300",
    "X-Amz-SignedHeaders": "host",
    "X-Amz-Signature": "ab",
  };
  const query = (overrides: Record<string, string>) =>
    Object.entries({ ...base, ...overrides })
      .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
      .join("&");
  const cases: Array<[Record<string, string>, string]> = [
    [
      { "X-Amz-Algorithm": "AWS4-HMAC-SHA1" },
      'X-Amz-Algorithm only supports "AWS4-HMAC-SHA256 and AWS4-ECDSA-P256-SHA256"',
    ],
    [
      { "X-Amz-Credential": "test/20240501/us-east-1" },
      'Error parsing the X-Amz-Credential parameter; the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".',
    ],
    [{ "X-Amz-Date": "2024-05-01" }, `X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd'T'HHmmss'Z'"`],
    [{ "X-Amz-Expires": "soon" }, "X-Amz-Expires should be a number"],
    [{ "X-Amz-Expires": "-1" }, "X-Amz-Expires must be non-negative"],
    [
      { "X-Amz-Credential": "test/20240502/us-east-1/s3/aws4_request" },
      'Invalid credential date "20240502". This date is not the same as X-Amz-Date: "20240501".',
    ],
  ];
  for (const [overrides, message] of cases) {
    assert.deepEqual(shape(await failureOf({}, query(overrides), true), "restXml"), [
      "AuthorizationQueryParametersError",
      400,
      message,
    ]);
  }
});
