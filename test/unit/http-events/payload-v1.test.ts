/**
 * Payload format 1.0 without a socket: the event of HTTP APIs (version "1.0") and REST APIs (no
 * version, deploymentId, no cognitoAmr), and the response mapped from a function's answer.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  buildEventV1,
  type EventContextV1,
  eventQueryV1,
  mapResponseV1,
} from "../../../src/aws/http-events/payload-v1.ts";
import type { HttpRequestFacts } from "../../../src/aws/http-events/payload-v2.ts";

const AT = new Date(Date.UTC(2026, 10, 24, 18, 0, 0, 123));

function request(overrides: Partial<HttpRequestFacts> = {}): HttpRequestFacts {
  return {
    method: "POST",
    rawPath: "/dev/pets/a%20b",
    rawQuery: "",
    rawHeaders: ["Host", "abc.execute-api.localhost", "User-Agent", "unit", "X-Multi", "1", "X-Multi", "2"],
    body: Buffer.alloc(0),
    sourceIp: "10.0.0.1",
    protocol: "HTTP/1.1",
    receivedAt: AT,
    ...overrides,
  };
}

function httpContext(overrides: Partial<EventContextV1> = {}): EventContextV1 {
  return {
    version: "1.0",
    resource: "/pets/{id}",
    resourceId: "/pets/{id}",
    path: "/dev/pets/a%20b",
    contextPath: "/dev/pets/a%20b",
    accountId: "000000000000",
    apiId: "abc",
    domainName: "abc.execute-api.localhost",
    domainPrefix: "abc",
    requestId: "P8zkDiQ8oAMEJsQ=",
    extendedRequestId: "P8zkDiQ8oAMEJsQ=",
    stage: "dev",
    pathParameters: { id: "a b" },
    stageVariables: null,
    identityHasCognitoAmr: true,
    isBinary: (type) => type === "application/octet-stream",
    ...overrides,
  };
}

describe("payload format 1.0 events", () => {
  it("builds the HTTP API 1.0 event member by member", () => {
    const event = buildEventV1(request(), httpContext({ addedHeaders: { "X-Forwarded-For": "10.0.0.1" } }));
    assert.deepEqual(Object.keys(event), [
      "version",
      "resource",
      "path",
      "httpMethod",
      "headers",
      "multiValueHeaders",
      "queryStringParameters",
      "multiValueQueryStringParameters",
      "requestContext",
      "pathParameters",
      "stageVariables",
      "body",
      "isBase64Encoded",
    ]);
    assert.equal(event.version, "1.0");
    assert.equal(event.resource, "/pets/{id}");
    assert.equal(event.httpMethod, "POST");
    assert.deepEqual(event.headers, {
      Host: "abc.execute-api.localhost",
      "User-Agent": "unit",
      "X-Multi": "2",
      "X-Forwarded-For": "10.0.0.1",
    });
    assert.deepEqual((event.multiValueHeaders as Record<string, string[]>)["X-Multi"], ["1", "2"]);
    assert.equal(event.queryStringParameters, null);
    assert.equal(event.multiValueQueryStringParameters, null);
    assert.deepEqual(event.pathParameters, { id: "a b" });
    assert.equal(event.stageVariables, null);
    assert.equal(event.body, null);
    assert.equal(event.isBase64Encoded, false);
    assert.deepEqual(event.requestContext, {
      accountId: "000000000000",
      apiId: "abc",
      domainName: "abc.execute-api.localhost",
      domainPrefix: "abc",
      extendedRequestId: "P8zkDiQ8oAMEJsQ=",
      httpMethod: "POST",
      identity: {
        accessKey: null,
        accountId: null,
        caller: null,
        cognitoAmr: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: "10.0.0.1",
        user: null,
        userAgent: "unit",
        userArn: null,
      },
      path: "/dev/pets/a%20b",
      protocol: "HTTP/1.1",
      requestId: "P8zkDiQ8oAMEJsQ=",
      requestTime: "24/Nov/2026:18:00:00 +0000",
      requestTimeEpoch: AT.getTime(),
      resourceId: "/pets/{id}",
      resourcePath: "/pets/{id}",
      stage: "dev",
    });
  });

  it("shapes REST's variant: no version, deploymentId, no cognitoAmr, authorizer and identity extras", () => {
    const event = buildEventV1(
      request({ method: "GET" }),
      httpContext({
        version: undefined,
        identityHasCognitoAmr: false,
        deploymentId: "dep123",
        resourceId: "r1b2c3",
        authorizer: { principalId: "me" },
        identity: { apiKey: "key" },
      }),
    );
    assert.equal("version" in event, false);
    const context = event.requestContext as Record<string, unknown>;
    assert.equal(context.deploymentId, "dep123");
    assert.equal(context.resourceId, "r1b2c3");
    assert.deepEqual(context.authorizer, { principalId: "me" });
    const identity = context.identity as Record<string, unknown>;
    assert.equal("cognitoAmr" in identity, false);
    assert.equal(identity.apiKey, "key");
  });

  it("decodes query strings: last value single, every value multi", () => {
    assert.deepEqual(eventQueryV1("a=1&a=2&b=x%20y&c"), {
      queryStringParameters: { a: "2", b: "x y", c: "" },
      multiValueQueryStringParameters: { a: ["1", "2"], b: ["x y"], c: [""] },
    });
    assert.deepEqual(eventQueryV1(""), {
      queryStringParameters: null,
      multiValueQueryStringParameters: null,
    });
  });

  it("sends text bodies as text and binary ones as base64", () => {
    const text = buildEventV1(
      request({ rawHeaders: ["Content-Type", "application/json"], body: Buffer.from('{"a":1}') }),
      httpContext(),
    );
    assert.equal(text.body, '{"a":1}');
    assert.equal(text.isBase64Encoded, false);
    const binary = buildEventV1(
      request({ rawHeaders: ["Content-Type", "application/octet-stream"], body: Buffer.from([0, 1, 2]) }),
      httpContext(),
    );
    assert.equal(binary.body, "AAEC");
    assert.equal(binary.isBase64Encoded, true);
  });
});

describe("payload format 1.0 responses", () => {
  const map = (answer: unknown) => mapResponseV1(Buffer.from(JSON.stringify(answer)));

  it("maps statusCode, merged headers and a base64 body", () => {
    const mapped = map({
      statusCode: 201,
      headers: { "X-One": "1", "Set-Cookie": "a=1" },
      multiValueHeaders: { "Set-Cookie": ["b=2", "c=3"], "X-One": ["1"] },
      body: Buffer.from("hi").toString("base64"),
      isBase64Encoded: true,
    });
    assert.ok(!("malformed" in mapped));
    assert.equal(mapped.status, 201);
    assert.deepEqual(mapped.headers, { "Set-Cookie": ["b=2", "c=3", "a=1"], "X-One": "1" });
    assert.equal(mapped.body.toString(), "hi");
  });

  it("calls answers without a valid statusCode or with a non-string body malformed", () => {
    assert.ok("malformed" in map({ body: "x" }));
    assert.ok("malformed" in map({ statusCode: "abc" }));
    assert.ok("malformed" in map({ statusCode: 200, body: { a: 1 } }));
    assert.ok("malformed" in map("just a string"));
    assert.ok("malformed" in mapResponseV1(Buffer.from("not json")));
  });

  it("sends an empty body when the answer has none", () => {
    const mapped = map({ statusCode: "204" });
    assert.ok(!("malformed" in mapped));
    assert.equal(mapped.status, 204);
    assert.equal(mapped.body.length, 0);
  });
});
