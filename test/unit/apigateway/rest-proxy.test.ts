/**
 * REST API invoke URLs with AWS_PROXY Lambda integrations: stage and resource selection, the proxy
 * event field by field (compared with the event LocalStack recorded from a real REST API,
 * /work/shared/fixtures/aws-recorded/apigw-v1-proxy-event.localstack-snapshot.json) and the mapping of
 * the function's answer, 502 cases from the AWS-recorded response-validation snapshot.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ACCOUNT, API_ID, harness, lambdaUri, method, resource } from "./rest-harness.ts";

const proxy = (name = "echo") => ({ type: "AWS_PROXY" as const, httpMethod: "POST", uri: lambdaUri(name) });

function echoApi() {
  const h = harness([
    resource("/", [method("GET", proxy())]),
    resource("/{proxy+}", [method("ANY", proxy())]),
    resource("/pets", [method("GET", proxy()), method("POST", proxy())]),
    resource("/pets/{petId}", [method("GET", proxy())]),
    resource("/pets/mine", [method("GET", proxy())]),
  ]);
  h.functions.echo = (event) => ({ statusCode: 200, body: JSON.stringify(event) });
  return h;
}

describe("REST API routing", () => {
  it("answers an unknown stage with 403 Forbidden", async () => {
    const h = echoApi();
    const answer = await h.send({ path: "/nostage/pets" });
    assert.equal(answer.status, 403);
    assert.deepEqual(answer.json(), { message: "Forbidden" });
    const root = await h.send({ path: "/" });
    assert.equal(root.status, 403);
    assert.deepEqual(root.json(), { message: "Forbidden" });
  });

  it("answers an unknown method with Missing Authentication Token", async () => {
    const h = harness([resource("/pets", [method("GET", proxy())])]);
    h.functions.echo = () => ({ statusCode: 200 });
    const answer = await h.send({ path: "/prod/pets", method: "DELETE" });
    assert.equal(answer.status, 403);
    assert.deepEqual(answer.json(), { message: "Missing Authentication Token" });
    assert.equal(answer.headers["x-amzn-ErrorType"], "MissingAuthenticationTokenException");
    const unknownPath = await h.send({ path: "/prod/cats" });
    assert.deepEqual(unknownPath.json(), { message: "Missing Authentication Token" });
  });

  it("prefers literal parts over parameters over greedy paths", async () => {
    const h = echoApi();
    const mine = (await h.send({ path: "/prod/pets/mine" })).json() as Record<string, unknown>;
    assert.equal(mine.resource, "/pets/mine");
    assert.equal(mine.pathParameters, null);
    const one = (await h.send({ path: "/prod/pets/42" })).json() as Record<string, unknown>;
    assert.equal(one.resource, "/pets/{petId}");
    assert.deepEqual(one.pathParameters, { petId: "42" });
    // No DELETE on /pets/{petId}: the greedy ANY resource takes it.
    const greedy = (await h.send({ path: "/prod/pets/42/toys/a%20b", method: "DELETE" })).json() as Record<
      string,
      unknown
    >;
    assert.equal(greedy.resource, "/{proxy+}");
    assert.deepEqual(greedy.pathParameters, { proxy: "pets/42/toys/a b" });
    const root = (await h.send({ path: "/prod/" })).json() as Record<string, unknown>;
    assert.equal(root.resource, "/");
    assert.equal(root.path, "/");
  });
});

describe("REST API Lambda proxy event", () => {
  it("has every member AWS sends, nulls included", async () => {
    const h = echoApi();
    h.stage.variables = { env: "test" };
    const answer = await h.send({
      path: "/prod/proxy-value",
      query: "urlparam=test&multi=1&multi=2",
      headers: { "tEsT-HEADeR": "aValUE", authorization: "random-value", "X-Multi": ["a", "b"] },
    });
    assert.equal(answer.status, 200);
    const event = answer.json() as Record<string, unknown>;
    assert.deepEqual(Object.keys(event).sort(), [
      "body",
      "headers",
      "httpMethod",
      "isBase64Encoded",
      "multiValueHeaders",
      "multiValueQueryStringParameters",
      "path",
      "pathParameters",
      "queryStringParameters",
      "requestContext",
      "resource",
      "stageVariables",
    ]);
    assert.equal(event.resource, "/{proxy+}");
    assert.equal(event.path, "/proxy-value");
    assert.equal(event.httpMethod, "GET");
    const headers = event.headers as Record<string, string>;
    assert.equal(headers["tEsT-HEADeR"], "aValUE");
    // Authorization reaches the function capitalised, as CloudFront forwards it.
    assert.equal(headers.Authorization, "random-value");
    assert.equal(headers["X-Multi"], "b");
    assert.equal(headers["X-Forwarded-For"], "127.0.0.1");
    assert.equal(headers["X-Forwarded-Proto"], "http");
    assert.match(headers["X-Amzn-Trace-Id"] ?? "", /^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
    assert.deepEqual((event.multiValueHeaders as Record<string, string[]>)["X-Multi"], ["a", "b"]);
    assert.deepEqual(event.queryStringParameters, { urlparam: "test", multi: "2" });
    assert.deepEqual(event.multiValueQueryStringParameters, { urlparam: ["test"], multi: ["1", "2"] });
    assert.deepEqual(event.pathParameters, { proxy: "proxy-value" });
    assert.deepEqual(event.stageVariables, { env: "test" });
    assert.equal(event.body, null);
    assert.equal(event.isBase64Encoded, false);
    const context = event.requestContext as Record<string, unknown>;
    assert.equal(context.resourcePath, "/{proxy+}");
    assert.equal(context.httpMethod, "GET");
    assert.equal(context.path, "/prod/proxy-value");
    assert.equal(context.accountId, ACCOUNT);
    assert.equal(context.apiId, API_ID);
    assert.equal(context.domainPrefix, API_ID);
    assert.equal(context.domainName, `${API_ID}.execute-api.localhost`);
    assert.equal(context.stage, "prod");
    assert.equal(context.deploymentId, "dep123");
    assert.equal(context.protocol, "HTTP/1.1");
    assert.equal(context.requestTime, "24/Nov/2026:18:00:00 +0000");
    assert.equal(context.requestTimeEpoch, Date.UTC(2026, 10, 24, 18, 0, 0));
    assert.match(String(context.requestId), /^[0-9a-f-]{36}$/);
    assert.equal(answer.headers["x-amzn-RequestId"], context.requestId);
    assert.equal(answer.headers["x-amz-apigw-id"], context.extendedRequestId);
    assert.match(String(context.extendedRequestId), /^[A-Za-z0-9]{15}=$/);
    assert.equal("version" in event, false);
    assert.equal(context.resourceId, (event.requestContext as Record<string, unknown>).resourceId);
    assert.match(String(context.resourceId), /^res[0-9]{3}$/);
    assert.deepEqual(context.identity, {
      cognitoIdentityPoolId: null,
      accountId: null,
      cognitoIdentityId: null,
      caller: null,
      sourceIp: "127.0.0.1",
      principalOrgId: null,
      accessKey: null,
      cognitoAuthenticationType: null,
      cognitoAuthenticationProvider: null,
      userArn: null,
      userAgent: "test-agent/1.0",
      user: null,
    });
  });

  it("leaves query, path parameters and stage variables null when there are none", async () => {
    const h = echoApi();
    const event = (await h.send({ path: "/prod/pets" })).json() as Record<string, unknown>;
    assert.equal(event.queryStringParameters, null);
    assert.equal(event.multiValueQueryStringParameters, null);
    assert.equal(event.pathParameters, null);
    assert.equal(event.stageVariables, null);
  });

  it("sends text bodies as text and binary media types as base64", async () => {
    const h = echoApi();
    h.deployment.api.binaryMediaTypes = ["image/png"];
    const text = (
      await h.send({
        path: "/prod/pets",
        method: "POST",
        body: '{"a":1}',
        headers: { "Content-Type": "application/json" },
      })
    ).json() as Record<string, unknown>;
    assert.equal(text.body, '{"a":1}');
    assert.equal(text.isBase64Encoded, false);
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff]);
    const binary = (
      await h.send({
        path: "/prod/pets",
        method: "POST",
        body: png,
        headers: { "Content-Type": "image/png" },
      })
    ).json() as Record<string, unknown>;
    assert.equal(binary.body, png.toString("base64"));
    assert.equal(binary.isBase64Encoded, true);
  });
});

describe("REST API Lambda proxy response", () => {
  async function answerFor(value: unknown, fail = false) {
    const h = harness([resource("/r", [method("GET", proxy("fn"))])]);
    h.functions.fn = () => {
      if (fail) throw new Error("boom");
      return value;
    };
    return h.send({ path: "/prod/r" });
  }

  it("maps statusCode, headers, multiValueHeaders and body", async () => {
    const answer = await answerFor({
      statusCode: "201",
      headers: { "header-bool": true, "test-multi": "value-solo" },
      multiValueHeaders: { "test-multi": ["value-multi"] },
      body: "created",
    });
    assert.equal(answer.status, 201);
    assert.equal(answer.body, "created");
    assert.equal(answer.headers["header-bool"], "true");
    assert.deepEqual(answer.headers["test-multi"], ["value-multi", "value-solo"]);
    assert.equal(answer.headers["Content-Type"], "application/json");
  });

  it("answers 200 with an empty body to an answer with only headers", async () => {
    const answer = await answerFor({ headers: { a: "b" } });
    assert.equal(answer.status, 200);
    assert.equal(answer.body, "");
  });

  for (const [name, value] of [
    ["a bare string", "just a string"],
    ["an unknown member", { statusCode: 200, extra: 1 }],
    ["a bad status code", { statusCode: "abc" }],
    ["an object header value", { statusCode: 200, headers: { a: { b: 1 } } }],
    ["null", null],
  ] as const) {
    it(`answers 502 Internal server error to ${name}`, async () => {
      const answer = await answerFor(value);
      assert.equal(answer.status, 502);
      assert.deepEqual(answer.json(), { message: "Internal server error" });
      assert.equal(answer.headers["x-amzn-ErrorType"], "InternalServerErrorException");
    });
  }

  it("answers 502 to a function error", async () => {
    const answer = await answerFor(undefined, true);
    assert.equal(answer.status, 502);
    assert.deepEqual(answer.json(), { message: "Internal server error" });
  });

  it("answers 500 when the function does not exist", async () => {
    const h = harness([resource("/r", [method("GET", proxy("missing"))])]);
    const answer = await h.send({ path: "/prod/r" });
    assert.equal(answer.status, 500);
    assert.deepEqual(answer.json(), { message: "Internal server error" });
  });
});
