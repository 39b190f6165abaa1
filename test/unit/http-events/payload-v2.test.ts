/**
 * Payload format 2.0 without a socket: the event built from an HTTP request (headers, cookies, query,
 * bodies, requestContext), and the HTTP response mapped from a function's answer.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  buildEventV2,
  type EventContextV2,
  type HttpRequestFacts,
  isTextContentType,
  mapResponseV2,
  requestTime,
} from "../../../src/aws/http-events/payload-v2.ts";

const AT = new Date(Date.UTC(2026, 10, 24, 18, 0, 0, 123));

function request(overrides: Partial<HttpRequestFacts> = {}): HttpRequestFacts {
  return {
    method: "GET",
    rawPath: "/a%20b/c",
    rawQuery: "",
    rawHeaders: ["Host", "id.lambda-url.us-east-1.localhost", "User-Agent", "unit"],
    body: Buffer.alloc(0),
    sourceIp: "10.0.0.1",
    protocol: "HTTP/1.1",
    receivedAt: AT,
    ...overrides,
  };
}

const CONTEXT: EventContextV2 = {
  accountId: "anonymous",
  apiId: "id",
  domainName: "id.lambda-url.us-east-1.localhost",
  domainPrefix: "id",
  requestId: "req-1",
  routeKey: "$default",
  stage: "$default",
};

describe("payload format 2.0 events", () => {
  it("writes requestContext.time as Lambda does", () => {
    assert.equal(requestTime(AT), "24/Nov/2026:18:00:00 +0000");
    assert.equal(requestTime(new Date(Date.UTC(2026, 0, 5, 3, 4, 5))), "05/Jan/2026:03:04:05 +0000");
  });

  it("builds the event of a bodiless GET: no body, no query parameters, no cookies", () => {
    const event = buildEventV2(request(), CONTEXT);
    assert.deepEqual(event, {
      version: "2.0",
      routeKey: "$default",
      rawPath: "/a%20b/c",
      rawQueryString: "",
      headers: { host: "id.lambda-url.us-east-1.localhost", "user-agent": "unit" },
      requestContext: {
        accountId: "anonymous",
        apiId: "id",
        domainName: "id.lambda-url.us-east-1.localhost",
        domainPrefix: "id",
        http: {
          method: "GET",
          path: "/a%20b/c",
          protocol: "HTTP/1.1",
          sourceIp: "10.0.0.1",
          userAgent: "unit",
        },
        requestId: "req-1",
        routeKey: "$default",
        stage: "$default",
        time: "24/Nov/2026:18:00:00 +0000",
        timeEpoch: AT.getTime(),
      },
      isBase64Encoded: false,
    });
  });

  it("joins repeated headers and query keys with commas and moves cookies out of the headers", () => {
    const event = buildEventV2(
      request({
        rawQuery: "x=1&x=2&y=a%2Bb&flag",
        rawHeaders: ["X-Dup", "one", "x-dup", "two", "Cookie", "a=1; b=2", "Cookie", "c=3"],
      }),
      { ...CONTEXT, addedHeaders: { "x-forwarded-proto": "http" } },
    );
    assert.deepEqual(event.headers, { "x-dup": "one,two", "x-forwarded-proto": "http" });
    assert.deepEqual(event.cookies, ["a=1", "b=2", "c=3"]);
    assert.deepEqual(event.queryStringParameters, { x: "1,2", y: "a+b", flag: "" });
    assert.deepEqual(Object.keys(event).slice(0, 7), [
      "version",
      "routeKey",
      "rawPath",
      "rawQueryString",
      "cookies",
      "headers",
      "queryStringParameters",
    ]);
  });

  it("passes text bodies as text and everything else as base64", () => {
    const text = buildEventV2(
      request({ body: Buffer.from("é"), rawHeaders: ["Content-Type", "application/json; charset=utf-8"] }),
      CONTEXT,
    );
    assert.equal(text.body, "é");
    assert.equal(text.isBase64Encoded, false);
    const bytes = Buffer.from([0, 255, 10]);
    const binary = buildEventV2(request({ body: bytes }), CONTEXT);
    assert.equal(binary.body, bytes.toString("base64"));
    assert.equal(binary.isBase64Encoded, true);
    assert.equal(isTextContentType("text/csv"), true);
    assert.equal(isTextContentType("application/xml"), true);
    assert.equal(isTextContentType("application/x-www-form-urlencoded"), false);
    assert.equal(isTextContentType(undefined), false);
  });

  it("puts the authorizer between apiId and domainName", () => {
    const event = buildEventV2(request(), { ...CONTEXT, authorizer: { iam: { accessKey: "AKID" } } });
    const context = event.requestContext as Record<string, unknown>;
    assert.deepEqual(Object.keys(context).slice(0, 4), ["accountId", "apiId", "authorizer", "domainName"]);
  });
});

describe("payload format 2.0 responses", () => {
  const map = (value: unknown) => mapResponseV2(Buffer.from(JSON.stringify(value)));

  it("infers 200 application/json from an answer without statusCode", () => {
    for (const [value, body] of [
      ["hello", "hello"],
      [{ hello: "world" }, '{"hello":"world"}'],
      [["a", 3, true], '["a",3,true]'],
      [3, "3"],
      [true, "true"],
      [{ body: "not a response" }, '{"body":"not a response"}'],
    ] as const) {
      const answer = map(value);
      assert.ok(!("malformed" in answer));
      assert.equal(answer.status, 200);
      assert.deepEqual(answer.headers, { "Content-Type": "application/json" });
      assert.equal(answer.body.toString(), body);
    }
  });

  it("maps statusCode, headers, cookies and base64 bodies", () => {
    const answer = map({
      statusCode: "201",
      headers: { "content-type": "text/html", "X-N": 5 },
      cookies: ["a=1", "b=2"],
      body: Buffer.from("<p>").toString("base64"),
      isBase64Encoded: true,
    });
    assert.ok(!("malformed" in answer));
    assert.equal(answer.status, 201);
    assert.deepEqual(answer.headers, {
      "content-type": "text/html",
      "X-N": "5",
      "Set-Cookie": ["a=1", "b=2"],
    });
    assert.equal(answer.body.toString(), "<p>");
    const bare = map({ statusCode: 204 });
    assert.ok(!("malformed" in bare));
    assert.deepEqual(bare.headers, { "Content-Type": "application/json" });
    assert.equal(bare.body.length, 0);
  });

  it("reports answers that cannot be a response", () => {
    assert.ok("malformed" in map({ statusCode: "abc" }));
    assert.ok("malformed" in map({ statusCode: 99 }));
    assert.ok("malformed" in map({ statusCode: 200, headers: ["x"] }));
    assert.ok("malformed" in mapResponseV2(Buffer.from("not json")));
  });
});
