/**
 * Routing and protocol errors, driven by the real AWS SDK v3 clients where they can make the request,
 * and by raw signed requests where they cannot.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ListBackupsCommand } from "@aws-sdk/client-dynamodb";
import { ListCodeSigningConfigsCommand } from "@aws-sdk/client-lambda";
import { GetBucketAnalyticsConfigurationCommand } from "@aws-sdk/client-s3";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { rawRequest } from "../support/raw-request.ts";
import { useStratus } from "../support/stratus.ts";

interface SdkError {
  name: string;
  message: string;
  $metadata: { httpStatusCode?: number; requestId?: string; extendedRequestId?: string };
}

async function sdkError(promise: Promise<unknown>): Promise<SdkError> {
  try {
    await promise;
  } catch (error) {
    return error as SdkError;
  }
  assert.fail("expected the call to fail");
}

describe("routing and protocol errors", () => {
  const stratus = useStratus({ inMemory: true });

  it("STS GetCallerIdentity (awsQuery) answers the root of the default account", async () => {
    const identity = await stratus.sts().send(new GetCallerIdentityCommand({}));
    assert.equal(identity.Account, "000000000000");
    assert.equal(identity.Arn, "arn:aws:iam::000000000000:root");
    assert.equal(identity.UserId, "000000000000");
    assert.match(identity.$metadata.requestId ?? "", /^[0-9a-f-]{36}$/);
  });

  it("DynamoDB operations Stratus lacks answer UnknownOperationException (awsJson1_0)", async () => {
    const error = await sdkError(stratus.dynamodb().send(new ListBackupsCommand({})));
    assert.equal(error.name, "UnknownOperationException");
    assert.equal(error.$metadata.httpStatusCode, 400);
    assert.match(error.$metadata.requestId ?? "", /^[A-Z0-9]{52}$/);
    assert.equal(error.message, "Stratus does not implement DynamoDB ListBackups yet.");
  });

  it("an unknown X-Amz-Target answers 400 UnknownOperationException with no message, with x-amz-crc32", async () => {
    const response = await rawRequest(stratus.url, {
      service: "dynamodb",
      headers: {
        "x-amz-target": "DynamoDB_20120810.NoSuchThing",
        "content-type": "application/x-amz-json-1.0",
      },
      body: "{}",
    });
    assert.equal(response.status, 400);
    assert.deepEqual(JSON.parse(response.text), {
      __type: "com.amazon.coral.service#UnknownOperationException",
    });
    assert.match(String(response.headers["x-amz-crc32"]), /^\d+$/);
  });

  it("a GET to DynamoDB answers 404 <UnknownOperationException/>", async () => {
    const response = await rawRequest(stratus.url, {
      method: "GET",
      service: "dynamodb",
      headers: { "x-amz-target": "DynamoDB_20120810.ListTables" },
    });
    assert.equal(response.status, 404);
    assert.equal(response.text, "<UnknownOperationException/>\n");
  });

  it("Lambda operations Stratus lacks answer 404 UnknownOperationException (restJson1)", async () => {
    const error = await sdkError(stratus.lambda().send(new ListCodeSigningConfigsCommand({})));
    assert.equal(error.name, "UnknownOperationException");
    assert.equal(error.$metadata.httpStatusCode, 404);
    assert.match(error.$metadata.requestId ?? "", /^[0-9a-f-]{36}$/);
  });

  it("a Lambda path bound to no operation answers 404 UnknownOperationException", async () => {
    const response = await rawRequest(stratus.url, {
      method: "GET",
      path: "/2015-03-31/nothing-here",
      service: "lambda",
    });
    assert.equal(response.status, 404);
    assert.equal(response.headers["x-amzn-errortype"], "UnknownOperationException");
  });

  it("S3 operations Stratus lacks answer 501 NotImplemented with S3's request-id headers", async () => {
    const error = await sdkError(
      stratus.s3().send(new GetBucketAnalyticsConfigurationCommand({ Bucket: "bucket", Id: "a" })),
    );
    assert.equal(error.name, "NotImplemented");
    assert.equal(error.$metadata.httpStatusCode, 501);
    assert.match(error.$metadata.requestId ?? "", /^[0-9A-F]{16}$/);
    assert.ok((error.$metadata.extendedRequestId ?? "").length > 20);
  });

  it("an S3 method bound to no operation answers 405 MethodNotAllowed", async () => {
    const response = await rawRequest(stratus.url, { method: "PATCH", path: "/bucket/key", service: "s3" });
    assert.equal(response.status, 405);
    assert.match(response.text, /<Code>MethodNotAllowed<\/Code>/);
    assert.match(response.text, /<Method>PATCH<\/Method><ResourceType>OBJECT<\/ResourceType>/);
  });

  it("an awsQuery action the model does not know answers 400 InvalidAction", async () => {
    const response = await rawRequest(stratus.url, {
      service: "sts",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "Action=NoSuchAction&Version=2011-06-15",
    });
    assert.equal(response.status, 400);
    assert.match(
      response.text,
      /<Code>InvalidAction<\/Code><Message>Could not find operation NoSuchAction for version 2011-06-15<\/Message>/,
    );
    assert.match(
      response.text,
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<ErrorResponse xmlns="https:\/\/sts.amazonaws.com\/doc\/2011-06-15\/">/,
    );
  });

  it("a signed call to a service Stratus does not emulate answers 501 NotImplemented naming it", async () => {
    const response = await rawRequest(stratus.url, {
      service: "sqs",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "Action=ListQueues",
    });
    assert.equal(response.status, 501);
    assert.match(response.text, /Stratus does not emulate the AWS service 'sqs'\./);
  });

  it("API Gateway v1 and v2 share the signing name and are told apart by the /v2/ prefix", async () => {
    const v2 = await rawRequest(stratus.url, {
      method: "GET",
      path: "/v2/domainnames",
      service: "apigateway",
    });
    assert.equal(v2.status, 404);
    assert.match(v2.text, /Stratus does not implement ApiGatewayV2 GetDomainNames yet\./);
    const v1 = await rawRequest(stratus.url, { method: "GET", path: "/domainnames", service: "apigateway" });
    assert.match(v1.text, /Stratus does not implement API Gateway GetDomainNames yet\./);
  });

  it("S3 virtual-hosted style routes the bucket from the host name", async () => {
    const response = await rawRequest(stratus.url, {
      method: "GET",
      path: "/",
      query: { analytics: "", id: "a" },
      headers: { host: "my-bucket.s3.localhost:4566" },
      service: "s3",
    });
    assert.equal(response.status, 501);
    assert.match(response.text, /<Header>GetBucketAnalyticsConfiguration<\/Header>/);
  });
});

describe("request body limits", () => {
  const stratus = useStratus({ inMemory: true });

  it("DynamoDB refuses a body over 16 MiB from its Content-Length, with 413", async () => {
    const body = Buffer.alloc(16 * 1024 * 1024 + 1, 0x20);
    const response = await rawRequest(stratus.url, {
      service: "dynamodb",
      headers: { "x-amz-target": "DynamoDB_20120810.PutItem", "content-type": "application/x-amz-json-1.0" },
      body,
    });
    assert.equal(response.status, 413);
    assert.equal(JSON.parse(response.text).__type, "com.amazon.coral.service#RequestEntityTooLargeException");
  });

  it("Lambda Invoke refuses a payload over 6 MiB with RequestEntityTooLargeException", async () => {
    const response = await rawRequest(stratus.url, {
      path: "/2015-03-31/functions/f/invocations",
      service: "lambda",
      body: Buffer.alloc(6 * 1024 * 1024 + 1, 0x20),
    });
    assert.equal(response.status, 413);
    assert.equal(response.headers["x-amzn-errortype"], "RequestEntityTooLargeException");
    assert.deepEqual(JSON.parse(response.text), {
      Message: "Request must be smaller than 6291456 bytes for the InvokeFunction operation",
    });
  });

  it("keeps serving after refusing an oversized body", async () => {
    const identity = await stratus.sts().send(new GetCallerIdentityCommand({}));
    assert.equal(identity.Account, "000000000000");
  });
});
