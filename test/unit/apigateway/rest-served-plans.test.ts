/**
 * What the REST data plane keeps between requests (session 5): MOCK answers worked out once per
 * deployed integration (mock-integration.ts), matches of literal paths kept per deployment
 * (resource-match.ts), and ids cut from pools of random text (execute-api/request-ids.ts). Each kept
 * answer must equal what the general path makes, must not be kept when it reads the request, and
 * must go with its deployment: the harness's `deployment.resources` replaced is a new deployment
 * (new records, as a new stored deployment decodes to).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { IntegrationRecord } from "../../../src/services/apigateway/snapshot.ts";
import { requestUuid, shortRequestId, traceRoot } from "../../../src/services/execute-api/request-ids.ts";
import { harness, method, resource } from "./rest-harness.ts";

function mockIntegration(extra: Partial<IntegrationRecord> = {}): IntegrationRecord {
  return {
    type: "MOCK",
    requestTemplates: { "application/json": '{"statusCode": 200}' },
    integrationResponses: {
      "200": { statusCode: "200", responseTemplates: { "application/json": '{"v":1}' } },
    },
    ...extra,
  };
}

describe("MOCK answers kept per deployed integration", () => {
  it("serves the same answer again, with fresh ids, and a new deployment's at the next request", async () => {
    const h = harness([resource("/m", [method("GET", mockIntegration())])]);
    const first = await h.send({ path: "/prod/m" });
    const second = await h.send({ path: "/prod/m" });
    for (const answer of [first, second]) {
      assert.equal(answer.status, 200);
      assert.equal(answer.body, '{"v":1}');
      assert.equal(answer.headers["Content-Type"], "application/json");
    }
    assert.notEqual(first.headers["x-amzn-RequestId"], second.headers["x-amzn-RequestId"]);
    assert.notEqual(first.headers["x-amz-apigw-id"], second.headers["x-amz-apigw-id"]);
    assert.notEqual(first.headers["X-Amzn-Trace-Id"], second.headers["X-Amzn-Trace-Id"]);

    h.deployment.resources = [
      resource("/m", [
        method(
          "GET",
          mockIntegration({
            integrationResponses: {
              "200": {
                statusCode: "200",
                responseParameters: { "method.response.header.X-Kind": "'two'" },
                responseTemplates: { "application/json": '{"v":2}' },
              },
            },
          }),
        ),
      ]),
    ];
    const redeployed = await h.send({ path: "/prod/m" });
    assert.equal(redeployed.body, '{"v":2}');
    assert.equal(redeployed.headers["X-Kind"], "two");
  });

  it("chooses the request template by Content-Type, and passes a body through when none matches", async () => {
    const h = harness([
      resource("/m", [
        method(
          "GET",
          mockIntegration({
            requestTemplates: {
              "application/json": '{"statusCode": 200}',
              "Text/Plain": '{"statusCode": 404}',
            },
            integrationResponses: {
              "200": { statusCode: "200", responseTemplates: { "application/json": '{"v":200}' } },
              "404": {
                statusCode: "404",
                selectionPattern: "404",
                responseTemplates: { "application/json": '{"v":404}' },
              },
            },
          }),
        ),
      ]),
    ]);
    for (let i = 0; i < 2; i++) {
      assert.equal((await h.send({ path: "/prod/m" })).body, '{"v":200}');
      const plain = await h.send({
        path: "/prod/m",
        headers: { "Content-Type": "text/plain; charset=utf-8" },
      });
      assert.deepEqual([plain.status, plain.body], [404, '{"v":404}']);
    }
    // No template for application/xml: WHEN_NO_MATCH passes the request body to the MOCK.
    h.deployment.resources = [
      resource("/m", [
        method(
          "POST",
          mockIntegration({
            integrationResponses: {
              "200": { statusCode: "200", responseTemplates: { "application/json": '{"v":200}' } },
              "404": { statusCode: "404", selectionPattern: "404" },
            },
          }),
        ),
      ]),
    ];
    for (const code of [404, 200, 404]) {
      const passed = await h.send({
        path: "/prod/m",
        method: "POST",
        headers: { "Content-Type": "application/xml" },
        body: `{"statusCode": ${code}}`,
      });
      assert.equal(passed.status, code);
    }
  });

  it("does not keep answers that read the request", async () => {
    const h = harness([
      resource("/context", [
        method(
          "GET",
          mockIntegration({
            integrationResponses: {
              "200": {
                statusCode: "200",
                responseTemplates: { "application/json": '{"id":"$context.requestId"}' },
              },
            },
          }),
        ),
      ]),
      resource("/header", [
        method(
          "GET",
          mockIntegration({
            integrationResponses: {
              "200": {
                statusCode: "200",
                responseParameters: { "method.response.header.X-Echo": "method.request.header.x-in" },
              },
            },
          }),
        ),
      ]),
      resource("/accept", [
        method(
          "GET",
          mockIntegration({
            integrationResponses: {
              "200": {
                statusCode: "200",
                responseTemplates: { "application/json": '{"t":"json"}', "text/plain": "plain" },
              },
            },
          }),
        ),
      ]),
    ]);
    const a = await h.send({ path: "/prod/context" });
    const b = await h.send({ path: "/prod/context" });
    assert.equal((a.json() as { id: string }).id, a.headers["x-amzn-RequestId"]);
    assert.equal((b.json() as { id: string }).id, b.headers["x-amzn-RequestId"]);
    assert.equal(
      (await h.send({ path: "/prod/header", headers: { "x-in": "one" } })).headers["X-Echo"],
      "one",
    );
    assert.equal(
      (await h.send({ path: "/prod/header", headers: { "x-in": "two" } })).headers["X-Echo"],
      "two",
    );
    assert.equal((await h.send({ path: "/prod/accept", headers: { Accept: "text/plain" } })).body, "plain");
    assert.equal((await h.send({ path: "/prod/accept" })).body, '{"t":"json"}');
  });
});

describe("resource matches kept per deployment", () => {
  it("keeps literal matches by path and method, never path parameters", async () => {
    const h = harness([
      resource("/pets", [method("GET", mockIntegration())]),
      resource("/pets/{id}", [
        method(
          "ANY",
          mockIntegration({
            integrationResponses: {
              "200": {
                statusCode: "200",
                responseParameters: { "method.response.header.X-Id": "method.request.path.id" },
              },
            },
          }),
        ),
      ]),
    ]);
    for (let i = 0; i < 2; i++) {
      assert.equal((await h.send({ path: "/prod/pets" })).status, 200);
      assert.equal((await h.send({ path: "/prod/pets/" })).status, 200);
      assert.equal((await h.send({ path: "/prod/pets", method: "POST" })).status, 403);
      assert.equal((await h.send({ path: "/prod/pets/1" })).headers["X-Id"], "1");
      assert.equal((await h.send({ path: "/prod/pets/2", method: "DELETE" })).headers["X-Id"], "2");
    }
    h.deployment.resources = [resource("/pets", [method("POST", mockIntegration())])];
    assert.equal((await h.send({ path: "/prod/pets" })).status, 403);
    assert.equal((await h.send({ path: "/prod/pets", method: "POST" })).status, 200);
    assert.equal((await h.send({ path: "/prod/pets/1" })).status, 403);
  });
});

describe("request ids cut from random pools", () => {
  it("have AWS's shapes and do not repeat", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 20_000; i++) {
      const uuid = requestUuid();
      assert.match(uuid, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      const short = shortRequestId();
      assert.match(short, /^[A-Za-z0-9]{15}=$/);
      // Base64 of 11 bytes, as AWS's are: it decodes to 11 bytes and encodes back to itself.
      assert.equal(Buffer.from(short, "base64").toString("base64"), short);
      assert.equal(Buffer.from(short, "base64").length, 11);
      seen.add(uuid);
      seen.add(short);
    }
    assert.equal(seen.size, 40_000);
    const at = new Date(Date.UTC(2026, 10, 25, 1, 0, 0));
    const root = traceRoot(at);
    assert.match(root, /^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
    assert.equal(root.slice(7, 15), (at.getTime() / 1000).toString(16));
    assert.notEqual(traceRoot(at), root);
  });
});
