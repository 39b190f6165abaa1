/**
 * The data plane's steps without a server: route precedence details, stage selection, the token
 * bucket's refill on a controlled clock, and access-log formatting.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatAccessLog } from "../../../../src/services/apigatewayv2/data-plane/access-log.ts";
import { matchRoute, selectStage } from "../../../../src/services/apigatewayv2/data-plane/route-match.ts";
import type { ServedRequest } from "../../../../src/services/apigatewayv2/data-plane/served-request.ts";
import { RouteThrottle } from "../../../../src/services/apigatewayv2/data-plane/throttle.ts";
import type { RouteRecord, StageRecord } from "../../../../src/services/apigatewayv2/snapshot.ts";

const routes = (...keys: string[]): RouteRecord[] =>
  keys.map((routeKey, i) => ({ routeId: `r${i}`, routeKey }));
const keyOf = (list: RouteRecord[], method: string, path: string) =>
  matchRoute(list, method, path)?.route.routeKey;

describe("route selection", () => {
  it("compares segments from the left: a literal beats a variable where they first differ", () => {
    const list = routes("GET /a/{b}/ccccc", "GET /a/b/{c}");
    assert.equal(keyOf(list, "GET", "/a/b/ccccc"), "GET /a/b/{c}");
  });

  it("prefers the greedy route with the longer literal prefix", () => {
    const list = routes("GET /pets/{proxy+}", "GET /pets/dog/{proxy+}", "ANY /{proxy+}");
    assert.equal(keyOf(list, "GET", "/pets/dog/a/b"), "GET /pets/dog/{proxy+}");
    assert.equal(keyOf(list, "GET", "/pets/cat"), "GET /pets/{proxy+}");
    assert.deepEqual(matchRoute(list, "GET", "/pets/dog/a/b")?.pathParameters, { proxy: "a/b" });
  });

  it("prefers an exact method to ANY, and needs a value for every variable", () => {
    const list = routes("ANY /items/{id}", "GET /items/{id}");
    assert.equal(keyOf(list, "GET", "/items/1"), "GET /items/{id}");
    assert.equal(keyOf(list, "DELETE", "/items/1"), "ANY /items/{id}");
    assert.equal(keyOf(list, "GET", "/items/"), undefined);
    assert.equal(keyOf(list, "GET", "/items"), undefined);
  });

  it("matches the root route and decodes parameters", () => {
    assert.equal(keyOf(routes("GET /"), "GET", "/"), "GET /");
    assert.deepEqual(matchRoute(routes("GET /f/{name}"), "GET", "/f/a%2Fb%20c")?.pathParameters, {
      name: "a/b c",
    });
  });

  it("takes a named stage off the path, else leaves the whole path to $default", async () => {
    const stages =
      (...names: string[]) =>
      (name: string) =>
        names.includes(name);
    assert.deepEqual(await selectStage("/dev/a", stages("dev", "$default")), {
      stageName: "dev",
      path: "/a",
    });
    assert.deepEqual(await selectStage("/dev", stages("dev")), { stageName: "dev", path: "/" });
    assert.deepEqual(await selectStage("/prod/a", stages("dev", "$default")), {
      stageName: "$default",
      path: "/prod/a",
    });
    assert.equal(await selectStage("/prod/a", stages("dev")), undefined);
  });
});

describe("route throttling", () => {
  it("refills the bucket at the rate, up to the burst", () => {
    let now = 0;
    const throttle = new RouteThrottle(() => now);
    const stage: StageRecord = {
      stageName: "$default",
      defaultRouteSettings: { throttlingRateLimit: 2, throttlingBurstLimit: 2 },
    };
    assert.equal(throttle.admit("api", stage, "GET /"), true);
    assert.equal(throttle.admit("api", stage, "GET /"), true);
    assert.equal(throttle.admit("api", stage, "GET /"), false);
    now += 500; // one token at 2 per second
    assert.equal(throttle.admit("api", stage, "GET /"), true);
    assert.equal(throttle.admit("api", stage, "GET /"), false);
    now += 60_000; // never more than the burst
    assert.equal(throttle.admit("api", stage, "GET /"), true);
    assert.equal(throttle.admit("api", stage, "GET /"), true);
    assert.equal(throttle.admit("api", stage, "GET /"), false);
    // Without limits nothing is throttled.
    assert.equal(throttle.admit("api", { stageName: "free" }, "GET /"), true);
  });
});

describe("access-log formats", () => {
  it("replaces $context.x and its braced form, writing - for variables without a value", () => {
    const served = {
      apiId: "abc",
      requestId: "P8zkDiQ8oAMEJsQ=",
      owner: { accountId: "000000000000", region: "us-east-1", kind: "http" },
      request: { method: "GET", sourceIp: "10.0.0.1", headers: {}, receivedAt: new Date(0) },
      stageName: "dev",
      status: 200,
    } as unknown as ServedRequest;
    assert.equal(
      formatAccessLog(
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the braced form is API Gateway's syntax, not JavaScript's.
        "$context.requestId ${context.httpMethod}-$context.stage $context.status $context.routeKey",
        served,
      ),
      "P8zkDiQ8oAMEJsQ= GET-dev 200 -",
    );
  });
});
