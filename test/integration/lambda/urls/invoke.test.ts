/**
 * Function URLs over real HTTP: the payload format 2.0 event a function receives (host form and
 * /_aws/ path form; query, cookies, repeated headers, JSON and binary bodies), the response mapping
 * (status, headers, cookies, base64 bodies, inferred answers), errors (unknown URL, function error,
 * timeout, throttling), CORS and AuthType AWS_IAM.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import {
  CreateAliasCommand,
  CreateFunctionCommand,
  CreateFunctionUrlConfigCommand,
  type CreateFunctionUrlConfigCommandInput,
  DeleteAliasCommand,
  PublishVersionCommand,
  PutFunctionConcurrencyCommand,
  UpdateFunctionCodeCommand,
} from "@aws-sdk/client-lambda";
import { useStratus } from "../../../support/stratus.ts";
import { makeZip, ROLE, uniqueName } from "../helpers.ts";
import { callUrl, rawExchange, type UrlRequest, type UrlResponse } from "./http.ts";

/** Echoes its event, or answers the shape its path asks for. */
const ECHO = `
exports.handler = async (event) => {
  switch (event.rawPath) {
    case "/shape":
      return { statusCode: 201, headers: { "X-Custom": "yes", "Content-Type": "text/plain" },
               cookies: ["a=1; Path=/", "b=2"], body: "made" };
    case "/teapot":
      return { statusCode: "418", body: "i'm a teapot" };
    case "/bytes":
      return { statusCode: 200, headers: { "content-type": "application/octet-stream" },
               body: Buffer.from([0, 1, 2, 255]).toString("base64"), isBase64Encoded: true };
    case "/string": return "hello";
    case "/object": return { hello: "world", list: [1, 2] };
    case "/number": return 3.1;
    case "/own-cors":
      return { statusCode: 200, headers: { "Access-Control-Allow-Origin": "https://other.example" }, body: "x" };
    case "/fail": throw new Error("boom");
    case "/slow": await new Promise((r) => setTimeout(r, 5000)); return "late";
    default:
      return { statusCode: 200, headers: { "content-type": "application/json" }, body: JSON.stringify(event) };
  }
};
`;

const TIME = /^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/;

describe("Lambda function URLs over HTTP", () => {
  const stratus = useStratus({ inMemory: true });

  async function urlFor(
    input: Omit<CreateFunctionUrlConfigCommandInput, "FunctionName"> = { AuthType: "NONE" },
  ) {
    const lambda = stratus.lambda();
    const name = uniqueName("furl");
    await lambda.send(
      new CreateFunctionCommand({
        FunctionName: name,
        Runtime: "nodejs20.x",
        Role: ROLE,
        Handler: "index.handler",
        Code: { ZipFile: makeZip({ "index.js": ECHO }) },
        Timeout: 1,
      }),
    );
    const created = await lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: name, ...input }));
    const url = new URL(created.FunctionUrl ?? "");
    const id = url.hostname.split(".")[0] ?? "";
    return { name, id, host: url.host };
  }

  function call(request: UrlRequest): Promise<UrlResponse> {
    return callUrl(stratus.server.port, request);
  }

  let echo: { name: string; id: string; host: string };
  before(async () => {
    echo = await urlFor();
  });

  it("builds the 2.0 event for a GET with a query, cookies and repeated headers (host form)", async () => {
    const response = await call({
      path: "/path/to/it?a=1&a=2&b=hello%20world",
      host: echo.host,
      headers: { cookie: "c1=v1; c2=v2", "X-Multi": ["one", "two"], "User-Agent": "url-test/1.0" },
    });
    assert.equal(response.status, 200);
    const event = JSON.parse(response.text);
    assert.equal(event.version, "2.0");
    assert.equal(event.routeKey, "$default");
    assert.equal(event.rawPath, "/path/to/it");
    assert.equal(event.rawQueryString, "a=1&a=2&b=hello%20world");
    assert.deepEqual(event.queryStringParameters, { a: "1,2", b: "hello world" });
    assert.deepEqual(event.cookies, ["c1=v1", "c2=v2"]);
    assert.equal(event.headers["x-multi"], "one,two");
    assert.equal(event.headers["user-agent"], "url-test/1.0");
    assert.equal(event.headers.host, echo.host);
    assert.equal(event.headers.cookie, undefined);
    assert.equal(event.headers["x-forwarded-proto"], "http");
    assert.equal(event.headers["x-forwarded-for"], "127.0.0.1");
    assert.equal(event.headers["x-forwarded-port"], String(stratus.server.port));
    assert.equal(event.body, undefined);
    assert.equal(event.isBase64Encoded, false);
    const context = event.requestContext;
    assert.equal(context.accountId, "anonymous");
    assert.equal(context.apiId, echo.id);
    assert.equal(context.domainName, `${echo.id}.lambda-url.us-east-1.localhost`);
    assert.equal(context.domainPrefix, echo.id);
    assert.deepEqual(context.http, {
      method: "GET",
      path: "/path/to/it",
      protocol: "HTTP/1.1",
      sourceIp: "127.0.0.1",
      userAgent: "url-test/1.0",
    });
    assert.equal(context.requestId, response.headers["x-amzn-requestid"]);
    assert.equal(context.routeKey, "$default");
    assert.equal(context.stage, "$default");
    assert.match(context.time, TIME);
    assert.equal(typeof context.timeEpoch, "number");
    assert.equal(context.authorizer, undefined);
    assert.deepEqual(Object.keys(event), [
      "version",
      "routeKey",
      "rawPath",
      "rawQueryString",
      "cookies",
      "headers",
      "queryStringParameters",
      "requestContext",
      "isBase64Encoded",
    ]);
  });

  it("passes a JSON body as text through the /_aws/lambda-url/ path form", async () => {
    const body = JSON.stringify({ hello: "world" });
    const response = await call({
      method: "POST",
      path: `/_aws/lambda-url/${echo.id}/submit`,
      host: `127.0.0.1:${stratus.server.port}`,
      headers: { "content-type": "application/json" },
      body,
    });
    assert.equal(response.status, 200);
    const event = JSON.parse(response.text);
    assert.equal(event.rawPath, "/submit");
    assert.equal(event.rawQueryString, "");
    assert.equal(event.queryStringParameters, undefined);
    assert.equal(event.body, body);
    assert.equal(event.isBase64Encoded, false);
    assert.equal(event.requestContext.http.method, "POST");
    assert.equal(event.requestContext.domainName, `${echo.id}.lambda-url.us-east-1.localhost`);
    // The URL's root without a trailing slash is "/".
    const root = await call({
      path: `/_aws/lambda-url/${echo.id}`,
      host: `127.0.0.1:${stratus.server.port}`,
    });
    assert.equal(JSON.parse(root.text).rawPath, "/");
  });

  it("base64-encodes a binary body", async () => {
    const bytes = Buffer.from([0, 1, 2, 200, 255]);
    const response = await call({
      method: "POST",
      path: "/upload",
      host: echo.host,
      headers: { "content-type": "application/octet-stream" },
      body: bytes,
    });
    const event = JSON.parse(response.text);
    assert.equal(event.isBase64Encoded, true);
    assert.deepEqual(Buffer.from(event.body, "base64"), bytes);
  });

  it("maps statusCode, headers, cookies and base64 bodies to the HTTP response", async () => {
    const shaped = await call({ path: "/shape", host: echo.host });
    assert.equal(shaped.status, 201);
    assert.equal(shaped.headers["x-custom"], "yes");
    assert.equal(shaped.headers["content-type"], "text/plain");
    assert.deepEqual(shaped.headers["set-cookie"], ["a=1; Path=/", "b=2"]);
    assert.equal(shaped.text, "made");
    const teapot = await call({ path: "/teapot", host: echo.host });
    assert.equal(teapot.status, 418);
    assert.equal(teapot.headers["content-type"], "application/json");
    assert.equal(teapot.text, "i'm a teapot");
    const bytes = await call({ path: "/bytes", host: echo.host });
    assert.deepEqual(bytes.body, Buffer.from([0, 1, 2, 255]));
  });

  it("infers a 200 application/json response from a bare answer", async () => {
    for (const [path, text] of [
      ["/string", "hello"],
      ["/object", '{"hello":"world","list":[1,2]}'],
      ["/number", "3.1"],
    ] as const) {
      const response = await call({ path, host: echo.host });
      assert.equal(response.status, 200, path);
      assert.equal(response.headers["content-type"], "application/json", path);
      assert.equal(response.text, text, path);
    }
  });

  it("answers 502 for a function error and a timeout", async () => {
    const failed = await call({ path: "/fail", host: echo.host });
    assert.equal(failed.status, 502);
    assert.equal(failed.text, "Internal Server Error");
    const slow = await call({ path: "/slow", host: echo.host });
    assert.equal(slow.status, 502);
    assert.equal(slow.text, "Internal Server Error");
  });

  it("answers 403 for an unknown URL id, in both forms", async () => {
    const unknown = "0123456789abcdefghijklmnopqrstuv";
    for (const request of [
      { path: "/", host: `${unknown}.lambda-url.us-east-1.localhost:${stratus.server.port}` },
      { path: `/_aws/lambda-url/${unknown}/`, host: `127.0.0.1:${stratus.server.port}` },
    ]) {
      const response = await call(request);
      assert.equal(response.status, 403);
      assert.equal(response.text, '{"Message":null}');
      assert.equal(response.headers["x-amzn-errortype"], "AccessDeniedException");
      assert.equal(response.headers["content-type"], "application/json");
    }
  });

  it("answers 403 for a URL id named with another region", async () => {
    const response = await call({
      path: "/",
      host: `${echo.id}.lambda-url.eu-west-1.localhost:${stratus.server.port}`,
    });
    assert.equal(response.status, 403);
    assert.equal(response.text, '{"Message":null}');
  });

  it("runs an alias's version, and answers 403 once the alias is gone", async () => {
    const lambda = stratus.lambda();
    const name = uniqueName("furl");
    const code = (tag: string) => makeZip({ "index.js": `exports.handler = async () => "${tag}";` });
    await lambda.send(
      new CreateFunctionCommand({
        FunctionName: name,
        Runtime: "nodejs20.x",
        Role: ROLE,
        Handler: "index.handler",
        Code: { ZipFile: code("v1") },
      }),
    );
    const v1 = await lambda.send(new PublishVersionCommand({ FunctionName: name }));
    await lambda.send(
      new CreateAliasCommand({ FunctionName: name, Name: "live", FunctionVersion: v1.Version }),
    );
    await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: name, ZipFile: code("latest") }));
    const live = await lambda.send(
      new CreateFunctionUrlConfigCommand({ FunctionName: name, Qualifier: "live", AuthType: "NONE" }),
    );
    const latest = await lambda.send(
      new CreateFunctionUrlConfigCommand({ FunctionName: name, AuthType: "NONE" }),
    );
    const liveHost = new URL(live.FunctionUrl ?? "").host;
    assert.equal((await call({ path: "/", host: liveHost })).text, "v1");
    assert.equal((await call({ path: "/", host: new URL(latest.FunctionUrl ?? "").host })).text, "latest");

    await lambda.send(new DeleteAliasCommand({ FunctionName: name, Name: "live" }));
    const gone = await call({ path: "/", host: liveHost });
    assert.equal(gone.status, 403);
    assert.match(
      gone.text,
      /^\{"Message":"Forbidden\. For troubleshooting Function URL authorization issues/,
    );
  });

  it("refuses a body over 6 MB with 413 and closes the connection", async () => {
    // The body is announced, never sent: the answer must come from Content-Length alone.
    const answer = await rawExchange(
      stratus.server.port,
      `POST / HTTP/1.1\r\nHost: ${echo.host}\r\nContent-Type: application/octet-stream\r\nContent-Length: ${6 * 1024 * 1024 + 1}\r\n\r\n`,
    );
    assert.match(answer, /^HTTP\/1\.1 413 /);
    assert.match(answer, /\r\nconnection: close\r\n/i);
    assert.match(answer, /\r\nx-amzn-errortype: RequestEntityTooLargeException\r\n/i);
    assert.match(
      answer,
      /"Message":"Request must be smaller than 6291456 bytes for the InvokeFunction operation"/,
    );
  });

  it("answers 429 while the function is throttled", async () => {
    const throttled = await urlFor();
    await stratus
      .lambda()
      .send(
        new PutFunctionConcurrencyCommand({ FunctionName: throttled.name, ReservedConcurrentExecutions: 0 }),
      );
    const response = await call({ path: "/", host: throttled.host });
    assert.equal(response.status, 429);
    assert.equal(response.headers["x-amzn-errortype"], "TooManyRequestsException");
  });

  it("answers CORS preflights itself and adds the configured headers to responses", async () => {
    const cors = await urlFor({
      AuthType: "NONE",
      Cors: {
        AllowOrigins: ["https://app.example"],
        AllowMethods: ["GET", "POST"],
        AllowHeaders: ["x-custom"],
        ExposeHeaders: ["x-request"],
        MaxAge: 300,
        AllowCredentials: true,
      },
    });
    const preflight = await call({
      method: "OPTIONS",
      path: "/anything",
      host: cors.host,
      headers: { origin: "https://app.example", "access-control-request-method": "POST" },
    });
    assert.equal(preflight.status, 200);
    // The function did not run: it would have echoed its event.
    assert.equal(preflight.text, "");
    assert.equal(preflight.headers["access-control-allow-origin"], "https://app.example");
    assert.equal(preflight.headers["access-control-allow-methods"], "GET,POST");
    assert.equal(preflight.headers["access-control-allow-headers"], "x-custom");
    assert.equal(preflight.headers["access-control-max-age"], "300");
    assert.equal(preflight.headers["access-control-allow-credentials"], "true");

    const refused = await call({
      method: "OPTIONS",
      path: "/",
      host: cors.host,
      headers: { origin: "https://elsewhere.example", "access-control-request-method": "GET" },
    });
    assert.equal(refused.headers["access-control-allow-origin"], undefined);

    const simple = await call({
      path: "/own-cors",
      host: cors.host,
      headers: { origin: "https://app.example" },
    });
    assert.equal(simple.text, "x");
    assert.equal(simple.headers["access-control-allow-origin"], "https://app.example");
    assert.equal(simple.headers["access-control-expose-headers"], "x-request");
  });

  it("requires a SigV4 signature for AuthType AWS_IAM and names the caller in the event", async () => {
    const iam = await urlFor({ AuthType: "AWS_IAM" });
    const unsigned = await call({ path: "/", host: iam.host });
    assert.equal(unsigned.status, 403);
    assert.equal(
      unsigned.text,
      '{"Message":"Forbidden. For troubleshooting Function URL authorization issues, see: https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html"}',
    );
    assert.equal(unsigned.headers["x-amzn-errortype"], "AccessDeniedException");

    const signed = await call({
      method: "POST",
      path: "/signed?q=1",
      host: iam.host,
      headers: { "content-type": "application/json" },
      body: '{"a":1}',
      sign: true,
    });
    assert.equal(signed.status, 200, signed.text);
    const event = JSON.parse(signed.text);
    assert.equal(event.body, '{"a":1}');
    assert.equal(event.requestContext.accountId, "000000000000");
    assert.deepEqual(event.requestContext.authorizer, {
      iam: {
        accessKey: "test",
        accountId: "000000000000",
        callerId: "000000000000",
        cognitoIdentity: null,
        principalOrgId: null,
        userArn: "arn:aws:iam::000000000000:root",
        userId: "000000000000",
      },
    });

    const wrongSecret = await call({
      path: "/signed",
      host: iam.host,
      sign: true,
      credentials: { accessKeyId: "test", secretAccessKey: "not-the-secret" },
    });
    assert.equal(wrongSecret.status, 403);
    assert.equal(wrongSecret.headers["x-amzn-errortype"], "AccessDeniedException");
  });
});
