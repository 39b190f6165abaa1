import assert from "node:assert/strict";
import { test } from "node:test";
import { readCredentialScope } from "../../../src/aws/sigv4/scope.ts";

test("the scope comes from the Authorization header", () => {
  const headers = {
    authorization:
      "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/eu-west-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc",
  };
  assert.deepEqual(readCredentialScope(headers, ""), {
    accessKeyId: "AKIDEXAMPLE",
    date: "20150830",
    region: "eu-west-1",
    service: "dynamodb",
    presigned: false,
  });
});

test("the scope comes from X-Amz-Credential when there is no Authorization header", () => {
  const query =
    "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=test%2F20261124%2Fus-east-1%2Fs3%2Faws4_request&x-id=GetObject";
  assert.deepEqual(readCredentialScope({}, query), {
    accessKeyId: "test",
    date: "20261124",
    region: "us-east-1",
    service: "s3",
    presigned: true,
  });
});

test("no scope when neither carries a five-part credential", () => {
  assert.equal(readCredentialScope({}, ""), undefined);
  assert.equal(readCredentialScope({}, "X-Amz-Credential=a%2Fb"), undefined);
  assert.equal(readCredentialScope({ authorization: "AWS4-HMAC-SHA256 Signature=abc" }, ""), undefined);
  assert.equal(readCredentialScope({ authorization: "Bearer xyz" }, ""), undefined);
});
