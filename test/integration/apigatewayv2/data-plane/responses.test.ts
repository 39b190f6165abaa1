/**
 * What HTTP APIs make of a function's answer: format 2.0 inference for bare strings and objects,
 * format 1.0 responses, and AWS's own answers for function errors, malformed answers (500
 * "Internal Server Error") and integration timeouts (503 "Service Unavailable").
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { ApiGatewayV2Client } from "@aws-sdk/client-apigatewayv2";
import { useStratus } from "../../../support/stratus.ts";
import { createFunction, createHttpApi, invoke, json, REQUEST_ID } from "./helpers.ts";

const ANSWERS_JS = `exports.handler = async (event) => {
  const path = event.rawPath ?? event.path;
  if (path.endsWith("/string")) return "hello";
  if (path.endsWith("/object")) return { a: 1 };
  if (path.endsWith("/throws")) throw new Error("boom");
  if (path.endsWith("/slow")) { await new Promise((r) => setTimeout(r, 2000)); return "late"; }
  if (path.endsWith("/cookies")) return { statusCode: 201, cookies: ["a=1", "b=2"], body: "made" };
  if (path.endsWith("/v1-ok")) return { statusCode: 202, multiValueHeaders: { "x-m": ["1", "2"] }, body: "v1" };
  return { no: "statusCode" };
};
`;

describe("HTTP API integration responses", () => {
  const stratus = useStratus({ inMemory: true });
  let apiId = "";

  before(async () => {
    const client = new ApiGatewayV2Client(stratus.clientConfig());
    const fn = await createFunction(stratus.lambda(), ANSWERS_JS);
    apiId = await createHttpApi(client, {
      integrations: {
        v2: { IntegrationUri: fn, PayloadFormatVersion: "2.0" },
        v1: { IntegrationUri: fn, PayloadFormatVersion: "1.0" },
        quick: { IntegrationUri: fn, PayloadFormatVersion: "2.0", TimeoutInMillis: 200 },
      },
      routes: [
        { routeKey: "GET /v2/{name}", integration: "v2" },
        { routeKey: "GET /v1/{name}", integration: "v1" },
        { routeKey: "GET /quick/{name}", integration: "quick" },
      ],
    });
    client.destroy();
  });

  it("infers 200 application/json for answers without statusCode (format 2.0)", async () => {
    const text = await invoke(stratus.server.port, apiId, { path: "/v2/string" });
    assert.equal(text.status, 200);
    assert.equal(text.headers["content-type"], "application/json");
    assert.equal(text.text, "hello");
    const object = await invoke(stratus.server.port, apiId, { path: "/v2/object" });
    assert.equal(object.status, 200);
    assert.equal(object.text, '{"a":1}');
    const cookies = await invoke(stratus.server.port, apiId, { path: "/v2/cookies" });
    assert.equal(cookies.status, 201);
    assert.deepEqual(cookies.headers["set-cookie"], ["a=1", "b=2"]);
    assert.equal(cookies.text, "made");
  });

  it("answers 500 Internal Server Error for a function error", async () => {
    for (const path of ["/v2/throws", "/v1/throws"]) {
      const response = await invoke(stratus.server.port, apiId, { path });
      assert.equal(response.status, 500, path);
      assert.deepEqual(json(response), { message: "Internal Server Error" });
      assert.match(String(response.headers["apigw-requestid"]), REQUEST_ID);
    }
  });

  it("maps format 1.0 answers and refuses ones without statusCode", async () => {
    const ok = await invoke(stratus.server.port, apiId, { path: "/v1/v1-ok" });
    assert.equal(ok.status, 202);
    assert.equal(ok.text, "v1");
    assert.equal(ok.headers["x-m"], "1, 2");
    const bad = await invoke(stratus.server.port, apiId, { path: "/v1/other" });
    assert.equal(bad.status, 500);
    assert.deepEqual(json(bad), { message: "Internal Server Error" });
    // Format 2.0 takes the same object as a body.
    const inferred = await invoke(stratus.server.port, apiId, { path: "/v2/other" });
    assert.equal(inferred.status, 200);
    assert.deepEqual(json(inferred), { no: "statusCode" });
  });

  it("answers 503 Service Unavailable when the integration times out", async () => {
    const response = await invoke(stratus.server.port, apiId, { path: "/quick/slow" });
    assert.equal(response.status, 503);
    assert.deepEqual(json(response), { message: "Service Unavailable" });
  });
});
