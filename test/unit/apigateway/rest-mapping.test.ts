/**
 * Non-proxy integrations of REST APIs: MOCK, AWS (Lambda) and HTTP with request/response mapping
 * templates, passthrough behaviours, selection patterns and parameter mappings.
 */
import assert from "node:assert/strict";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import type { IntegrationRecord } from "../../../src/services/apigateway/snapshot.ts";
import { harness, lambdaUri, method, resource } from "./rest-harness.ts";

describe("MOCK integrations", () => {
  const mock = (extra: Partial<IntegrationRecord> = {}): IntegrationRecord => ({
    type: "MOCK",
    requestTemplates: { "application/json": "{\"statusCode\": $input.params('code')}" },
    integrationResponses: {
      "200": {
        statusCode: "200",
        responseTemplates: {
          "application/json":
            '{"stage":"$context.stage","var":"$stageVariables.color","q":"$input.params(\'code\')","id":"$context.requestId"}',
        },
        responseParameters: { "method.response.header.X-Mode": "'mocked'" },
      },
      "404": {
        statusCode: "404",
        selectionPattern: "4\\d\\d",
        responseTemplates: { "application/json": '{"missing":true}' },
      },
    },
    ...extra,
  });

  it("renders the request template to choose the status and the response template for the body", async () => {
    const h = harness([resource("/m", [method("GET", mock())])]);
    h.stage.variables = { color: "blue" };
    const ok = await h.send({ path: "/prod/m", query: "code=200" });
    assert.equal(ok.status, 200);
    const body = ok.json() as Record<string, string>;
    assert.equal(body.stage, "prod");
    assert.equal(body.var, "blue");
    assert.equal(body.q, "200");
    assert.equal(body.id, ok.headers["x-amzn-RequestId"]);
    assert.equal(ok.headers["X-Mode"], "mocked");
    const missing = await h.send({ path: "/prod/m", query: "code=404" });
    assert.equal(missing.status, 404);
    assert.deepEqual(missing.json(), { missing: true });
  });

  it("refuses a content type without a template when passthroughBehavior is NEVER (415)", async () => {
    const h = harness([resource("/m", [method("POST", mock({ passthroughBehavior: "NEVER" }))])]);
    const answer = await h.send({
      path: "/prod/m",
      method: "POST",
      body: "a=b",
      headers: { "Content-Type": "text/plain" },
    });
    assert.equal(answer.status, 415);
    assert.deepEqual(answer.json(), { message: "Unsupported Media Type" });
    const templates = harness([
      resource("/m", [method("POST", mock({ passthroughBehavior: "WHEN_NO_TEMPLATES" }))]),
    ]);
    assert.equal(
      (
        await templates.send({
          path: "/prod/m",
          method: "POST",
          body: "x",
          headers: { "Content-Type": "text/plain" },
        })
      ).status,
      415,
    );
  });

  it("answers 500 when no integration response matches and none is the default", async () => {
    const h = harness([
      resource("/m", [
        method("GET", {
          type: "MOCK",
          requestTemplates: { "application/json": '{"statusCode": 500}' },
          integrationResponses: { "200": { statusCode: "200", selectionPattern: "200" } },
        }),
      ]),
    ]);
    const answer = await h.send({ path: "/prod/m" });
    assert.equal(answer.status, 500);
    assert.deepEqual(answer.json(), { message: "Internal server error" });
  });
});

describe("AWS (Lambda) integrations", () => {
  const integration: IntegrationRecord = {
    type: "AWS",
    httpMethod: "POST",
    uri: lambdaUri("calc"),
    requestTemplates: {
      "application/json":
        '{"n": $input.json(\'$.n\'), "who": "$util.escapeJavaScript($input.params(\'who\'))", "auth": "$input.params(\'X-Token\')"}',
    },
    integrationResponses: {
      "200": {
        statusCode: "200",
        responseTemplates: { "application/json": "{\"double\": $input.path('$.double')}" },
        responseParameters: { "method.response.header.X-Double": "integration.response.body.double" },
      },
      "400": {
        statusCode: "400",
        selectionPattern: "Bad input.*",
        responseTemplates: { "application/json": '{"error": "$input.path(\'$.errorMessage\')"}' },
      },
    },
  };

  it("maps the request into the function's event and its answer through the default response", async () => {
    const h = harness([resource("/calc", [method("POST", integration)])]);
    h.functions.calc = (event) => {
      if (typeof event.n !== "number") throw new Error("Bad input: n");
      return { double: event.n * 2 };
    };
    const answer = await h.send({
      path: "/prod/calc",
      method: "POST",
      query: "who=%22Bob%22",
      body: '{"n": 21}',
      headers: { "Content-Type": "application/json", "X-Token": "t1" },
    });
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.json(), { double: 42 });
    assert.equal(answer.headers["X-Double"], "42");
    assert.deepEqual(h.calls.calc?.[0], { n: 21, who: '"Bob"', auth: "t1" });
  });

  it("selects the integration response by the errorMessage of a function error", async () => {
    const h = harness([resource("/calc", [method("POST", integration)])]);
    h.functions.calc = () => {
      throw new Error("Bad input: n is missing");
    };
    const answer = await h.send({
      path: "/prod/calc",
      method: "POST",
      body: '{"n":"x"}',
      headers: { "Content-Type": "application/json" },
    });
    assert.equal(answer.status, 400);
    assert.deepEqual(answer.json(), { error: "Bad input: n is missing" });
  });

  it("falls back to the default response for an error no pattern matches", async () => {
    const h = harness([resource("/calc", [method("POST", integration)])]);
    h.functions.calc = () => {
      throw new Error("something else");
    };
    const answer = await h.send({
      path: "/prod/calc",
      method: "POST",
      body: '{"n":"x"}',
      headers: { "Content-Type": "application/json" },
    });
    assert.equal(answer.status, 200);
  });
});

describe("HTTP integrations", () => {
  let server: Server;
  let base = "";
  const seen: { method: string; url: string; headers: IncomingMessage["headers"]; body: string }[] = [];
  before(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        seen.push({
          method: req.method ?? "",
          url: req.url ?? "",
          headers: req.headers,
          body: Buffer.concat(chunks).toString(),
        });
        const status = req.url?.includes("fail") ? 503 : 200;
        res.writeHead(status, { "Content-Type": "application/json", "X-Backend": "yes" });
        res.end(JSON.stringify({ got: req.url, status }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it("HTTP: maps path, query and headers and selects the response by status code", async () => {
    const h = harness([
      resource("/items/{id}", [
        method("GET", {
          type: "HTTP",
          httpMethod: "GET",
          uri: `${base}/backend/{bid}`,
          requestParameters: {
            "integration.request.path.bid": "method.request.path.id",
            "integration.request.querystring.verbose": "method.request.querystring.v",
            "integration.request.header.X-From": "'gateway'",
          },
          requestTemplates: {
            "application/json": '#set($context.requestOverride.header.X-Override = "from-template")',
          },
          integrationResponses: {
            "200": {
              statusCode: "200",
              responseParameters: {
                "method.response.header.X-Backend": "integration.response.header.X-Backend",
              },
            },
            "502": {
              statusCode: "502",
              selectionPattern: "5\\d\\d",
              responseTemplates: { "application/json": '{"down":true}' },
            },
          },
        }),
      ]),
    ]);
    const answer = await h.send({
      path: "/prod/items/7",
      query: "v=1&other=x",
      headers: { "X-Secret": "s" },
    });
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.json(), { got: "/backend/7?verbose=1", status: 200 });
    assert.equal(answer.headers["X-Backend"], "yes");
    const request = seen.at(-1);
    assert.equal(request?.headers["x-from"], "gateway");
    assert.equal(request?.headers["x-override"], "from-template");
    assert.equal(request?.headers["x-secret"], undefined);
    const failing = await h.send({ path: "/prod/items/fail" });
    assert.equal(failing.status, 502);
    assert.deepEqual(failing.json(), { down: true });
  });

  it("HTTP_PROXY: passes method, greedy path, query, headers and body through", async () => {
    const h = harness([
      resource("/{proxy+}", [
        // Stage variables in the URI are substituted (API Gateway's `${stageVariables.x}` syntax).
        method("ANY", {
          type: "HTTP_PROXY",
          httpMethod: "ANY",
          uri: `\${stageVariables.backend}/up/{proxy}`,
        }),
      ]),
    ]);
    h.stage.variables = { backend: base };
    const answer = await h.send({
      path: "/prod/a/b%20c",
      query: "x=1",
      method: "PUT",
      body: "payload",
      headers: { "Content-Type": "text/plain", "X-Secret": "s" },
    });
    assert.equal(answer.status, 200);
    assert.equal(answer.headers["x-backend"], "yes");
    const request = seen.at(-1);
    assert.equal(request?.method, "PUT");
    assert.equal(request?.url, "/up/a/b%20c?x=1");
    assert.equal(request?.headers["x-secret"], "s");
    assert.equal(request?.body, "payload");
  });

  it("answers 504 Endpoint request timed out when the backend is slower than timeoutInMillis", async () => {
    const slow = createServer(() => {
      /* never answers */
    });
    await new Promise<void>((resolve) => slow.listen(0, "127.0.0.1", resolve));
    try {
      const port = (slow.address() as AddressInfo).port;
      const h = harness([
        resource("/slow", [
          method("GET", {
            type: "HTTP_PROXY",
            httpMethod: "GET",
            uri: `http://127.0.0.1:${port}/`,
            timeoutInMillis: 100,
          }),
        ]),
      ]);
      const answer = await h.send({ path: "/prod/slow" });
      assert.equal(answer.status, 504);
      assert.deepEqual(answer.json(), { message: "Endpoint request timed out" });
    } finally {
      slow.closeAllConnections();
      await new Promise<void>((resolve) => slow.close(() => resolve()));
    }
  });
});

describe("request validators", () => {
  function validatedApi() {
    const h = harness([
      resource("/v/{id}", [
        method(
          "POST",
          {
            type: "MOCK",
            requestTemplates: { "application/json": '{"statusCode": 200}' },
            integrationResponses: {
              "200": { statusCode: "200", responseTemplates: { "application/json": '{"ok":true}' } },
            },
          },
          {
            requestValidatorId: "val1",
            requestParameters: {
              "method.request.header.X-Tenant": true,
              "method.request.querystring.mode": true,
              "method.request.querystring.optional": false,
            },
            requestModels: { "application/json": "Pet" },
          },
        ),
      ]),
    ]);
    h.deployment.requestValidators.val1 = {
      id: "val1",
      validateRequestParameters: true,
      validateRequestBody: true,
    };
    h.deployment.models.Pet = {
      name: "Pet",
      schema: JSON.stringify({
        type: "object",
        required: ["name"],
        properties: {
          name: { type: "string", minLength: 1 },
          age: { type: "integer", minimum: 0 },
          owner: { $ref: "https://apigateway.amazonaws.com/restapis/abc/models/Owner" },
        },
      }),
    };
    h.deployment.models.Owner = {
      name: "Owner",
      schema: JSON.stringify({ type: "object", required: ["id"] }),
    };
    return h;
  }
  const json = { "Content-Type": "application/json" };

  it("answers 400 naming the missing required parameters, sorted", async () => {
    const h = validatedApi();
    const answer = await h.send({ path: "/prod/v/1", method: "POST", body: '{"name":"a"}', headers: json });
    assert.equal(answer.status, 400);
    assert.deepEqual(answer.json(), { message: "Missing required request parameters: [X-Tenant, mode]" });
    assert.equal(answer.headers["x-amzn-ErrorType"], "BadRequestException");
  });

  it("answers 400 Invalid request body to a body its model refuses, and runs a valid one", async () => {
    const h = validatedApi();
    const headers = { ...json, "X-Tenant": "t" };
    const send = (body: string) =>
      h.send({ path: "/prod/v/1", method: "POST", query: "mode=m", body, headers });
    for (const body of ['{"age":3}', '{"name":"a","age":-1}', '{"name":"a","owner":{}}', "not json"]) {
      const answer = await send(body);
      assert.equal(answer.status, 400, body);
      assert.deepEqual(answer.json(), { message: "Invalid request body" });
    }
    const ok = await send('{"name":"a","age":2,"owner":{"id":1}}');
    assert.equal(ok.status, 200);
    assert.deepEqual(ok.json(), { ok: true });
  });
});

describe("content handling", () => {
  it("CONVERT_TO_TEXT gives the function a binary payload as base64; CONVERT_TO_BINARY decodes its answer", async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff]);
    const h = harness([
      resource("/img", [
        method("POST", {
          type: "AWS",
          httpMethod: "POST",
          uri: lambdaUri("img"),
          contentHandling: "CONVERT_TO_TEXT",
          requestTemplates: { "image/png": '{"data": "$input.body"}' },
          integrationResponses: {
            "200": { statusCode: "200", contentHandling: "CONVERT_TO_BINARY", responseTemplates: {} },
          },
        }),
      ]),
    ]);
    h.deployment.api.binaryMediaTypes = ["image/png"];
    h.functions.img = (event) => event.data;
    const answer = await h.send({
      path: "/prod/img",
      method: "POST",
      body: png,
      headers: { "Content-Type": "image/png" },
    });
    assert.equal(answer.status, 200);
    assert.deepEqual(h.calls.img?.[0], { data: png.toString("base64") });
    assert.deepEqual(answer.raw, png);
  });
});
