import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { VERSION } from "../../src/version.ts";
import { rawRequest } from "../support/raw-request.ts";
import { useStratus } from "../support/stratus.ts";

describe("GET /_stratus/health", () => {
  const stratus = useStratus();

  it("reports version, uptime and every service's status", async () => {
    const response = await fetch(`${stratus.url}/_stratus/health`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get("content-type") ?? "", /^application\/json/);
    const health = (await response.json()) as {
      status: string;
      version: string;
      uptimeSeconds: number;
      services: Record<string, { status: string; operations: { implemented: number; total: number } }>;
    };
    assert.equal(health.status, "running");
    assert.equal(health.version, VERSION);
    assert.ok(health.uptimeSeconds >= 0);
    for (const id of [
      "dynamodb",
      "lambda",
      "s3",
      "apigateway",
      "apigatewayv2",
      "sts",
      "iam",
      "cloudformation",
      "logs",
    ]) {
      assert.ok(health.services[id], `health lists ${id}`);
    }
    assert.equal(health.services.dynamodb?.operations.total, 57);
    assert.equal(health.services.sts?.status, "partial");
    assert.equal(health.services.sts?.operations.implemented, 1);
  });

  it("answers HEAD without a body and 404 for unknown Stratus API paths", async () => {
    const head = await rawRequest(stratus.url, { method: "HEAD", path: "/_stratus/health" });
    assert.equal(head.status, 200);
    assert.equal(head.text, "");
    const missing = await rawRequest(stratus.url, { method: "GET", path: "/_stratus/nope" });
    assert.equal(missing.status, 404);
    assert.deepEqual(JSON.parse(missing.text), { message: "No Stratus API at /_stratus/nope." });
  });

  it("answers data-plane addresses that have no service behind them yet with 404", async () => {
    const response = await rawRequest(stratus.url, {
      method: "GET",
      path: "/_aws/nothing-here/abc/prod/hello",
    });
    assert.equal(response.status, 404);
    const byHost = await rawRequest(stratus.url, {
      method: "GET",
      path: "/",
      headers: { host: "d111111abcdef8.cloudfront.localhost:4566" },
    });
    assert.equal(byHost.status, 404);
    assert.match(
      JSON.parse(byHost.text).message,
      /CloudFront distribution d111111abcdef8\.cloudfront\.localhost/,
    );
  });
});
