/**
 * Mapping templates cannot block the server: loops over 1,000 iterations, huge ranges, nested
 * loops and strings grown past 10 MB stop the template quickly, and the REST data plane answers
 * such a template with 500 Internal server error.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { renderTemplate } from "../../../src/services/apigateway/data-plane/vtl.ts";
import {
  MAX_FOREACH_ITERATIONS,
  TemplateLimitError,
} from "../../../src/services/apigateway/data-plane/vtl-limits.ts";
import { harness, method, resource } from "./rest-harness.ts";

/** Renders and answers the error, asserting the render took under a second. */
function renderFails(template: string, vars: Record<string, unknown> = {}): Error {
  const started = Date.now();
  try {
    renderTemplate(template, vars);
  } catch (error) {
    assert.ok(Date.now() - started < 1000, `took ${Date.now() - started} ms`);
    assert.ok(error instanceof TemplateLimitError, String(error));
    return error;
  }
  assert.fail(`expected ${template} to be refused`);
}

describe("mapping template bounds", () => {
  it("allows a loop of exactly 1,000 iterations", () => {
    const out = renderTemplate("#foreach($i in [1..1000])#if($foreach.hasNext)#else$i#end#end", {});
    assert.equal(out, "1000");
    assert.equal(MAX_FOREACH_ITERATIONS, 1000);
  });

  it("refuses a literal range longer than 1,000 before building it", () => {
    renderFails("#foreach($i in [1..100000000])x#end");
    renderFails("#foreach($i in [0..1000])x#end");
    renderFails("#foreach($i in [100000000..1])x#end");
    renderFails("#set($n = 100000000)#foreach($i in [1..$n])x#end");
  });

  it("refuses a loop over a list of more than 1,000 items", () => {
    const items = Array.from({ length: 1001 }, (_, i) => i);
    renderFails("#foreach($i in $items)$i#end", { items });
    assert.equal(renderTemplate("#foreach($i in $items)#end.", { items: items.slice(1) }), ".");
  });

  it("bounds nested loops that each stay under the limit", () => {
    renderFails("#foreach($a in [1..1000])#foreach($b in [1..1000])#foreach($c in [1..1000])#end#end#end");
  });

  it("refuses a string grown past 10 MB by #set", () => {
    renderFails('#set($s = "0123456789abcdef")#foreach($i in [1..64])#set($s = "$s$s")#end$s');
  });

  it("answers a REST request whose template is refused with 500 Internal server error", async () => {
    const h = harness([
      resource("/loop", [
        method("GET", {
          type: "MOCK",
          requestTemplates: {
            "application/json": '#foreach($i in [1..100000000])#end{"statusCode": 200}',
          },
          integrationResponses: { "200": { statusCode: "200" } },
        }),
      ]),
      resource("/grow", [
        method("GET", {
          type: "MOCK",
          requestTemplates: { "application/json": '{"statusCode": 200}' },
          integrationResponses: {
            "200": {
              statusCode: "200",
              responseTemplates: {
                "application/json": '#set($s = "x")#foreach($i in [1..40])#set($s = "$s$s")#end$s',
              },
            },
          },
        }),
      ]),
    ]);
    for (const path of ["/prod/loop", "/prod/grow"]) {
      const started = Date.now();
      const answer = await h.send({ path });
      assert.ok(Date.now() - started < 2000, `${path} took ${Date.now() - started} ms`);
      assert.equal(answer.status, 500, path);
      assert.deepEqual(answer.json(), { message: "Internal server error" });
      assert.equal(
        answer.headers["x-amzn-errortype"] ?? answer.headers["x-amzn-ErrorType"],
        "InternalServerErrorException",
      );
    }
  });
});
