/**
 * The wire itself, as an SDK never shows it: list members named `item`, timestamps as epoch seconds,
 * `{"message"}` error bodies with x-amzn-ErrorType, and malformed bodies answered with a 4xx (never a
 * 500) — signed raw requests.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { rawRequest } from "../../../support/raw-request.ts";
import { useStratus } from "../../../support/stratus.ts";

describe("REST API control plane on the wire", () => {
  const stratus = useStratus({ inMemory: true });
  const send = (method: string, path: string, body?: unknown) =>
    rawRequest(stratus.url, {
      method,
      path,
      service: "apigateway",
      headers: { "content-type": "application/json" },
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });

  it("names lists `item` and writes timestamps as epoch seconds", async () => {
    const created = await send("POST", "/restapis", { name: "wire" });
    assert.equal(created.status, 201);
    const api = JSON.parse(created.text);
    assert.equal(typeof api.createdDate, "number");
    assert.ok(Math.abs(api.createdDate - Date.now() / 1000) < 60);
    const list = JSON.parse((await send("GET", `/restapis/${api.id}/resources`)).text);
    assert.deepEqual(Object.keys(list), ["item"]);
    assert.deepEqual(list.item, [{ id: api.rootResourceId, path: "/" }]);
  });

  it("answers errors as {message} with x-amzn-ErrorType", async () => {
    const response = await send("GET", "/restapis/nope123456");
    assert.equal(response.status, 404);
    assert.equal(response.headers["x-amzn-errortype"], "NotFoundException");
    assert.match(JSON.parse(response.text).message, /^Invalid API identifier specified \d{12}:nope123456$/);
  });

  it("answers malformed members with 400s", async () => {
    const api = JSON.parse((await send("POST", "/restapis", { name: "bad" })).text);
    const cases: [string, string, unknown][] = [
      ["POST", "/restapis", "not json"],
      ["POST", "/restapis", { name: 5 }],
      ["POST", "/restapis", { name: "x", endpointConfiguration: "EDGE" }],
      ["POST", "/usageplans", { name: "p", apiStages: "x" }],
      ["POST", "/apikeys", { stageKeys: [1] }],
      ["PATCH", `/restapis/${api.id}`, { patchOperations: "x" }],
      ["PATCH", `/restapis/${api.id}`, { patchOperations: [null] }],
      [
        "PUT",
        `/restapis/${api.id}/resources/${api.rootResourceId}/methods/GET`,
        { authorizationType: ["NONE"] },
      ],
      ["POST", `/restapis/${api.id}/resources/${api.rootResourceId}`, { pathPart: { a: 1 } }],
      ["POST", "/restapis", "[]"],
    ];
    for (const [method, path, body] of cases) {
      const response = await send(method, path, body);
      assert.ok(
        response.status >= 400 && response.status < 500,
        `${method} ${path} ${JSON.stringify(body)}: ${response.status} ${response.text}`,
      );
    }
  });

  it("takes an OpenAPI document as the raw body of ImportRestApi", async () => {
    const doc = { openapi: "3.0.1", info: { title: "raw", version: "1" }, paths: {} };
    const response = await rawRequest(stratus.url, {
      method: "POST",
      path: "/restapis",
      query: { mode: "import" },
      service: "apigateway",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(doc),
    });
    assert.equal(response.status, 201);
    assert.equal(JSON.parse(response.text).name, "raw");
    const yaml = await rawRequest(stratus.url, {
      method: "POST",
      path: "/restapis",
      query: { mode: "import" },
      service: "apigateway",
      body: "openapi: 3.0.1\ninfo:\n  title: yaml-api\npaths: {}\n",
    });
    assert.equal(yaml.status, 201, yaml.text);
    assert.equal(JSON.parse(yaml.text).name, "yaml-api");
  });
});
