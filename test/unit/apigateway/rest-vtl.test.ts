/**
 * Mapping-template helpers ($input, $util, JSONPath), REST resource matching and quota periods,
 * without a request.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { matchResource } from "../../../src/services/apigateway/data-plane/resource-match.ts";
import { quotaPeriodStart } from "../../../src/services/apigateway/data-plane/usage-limits.ts";
import {
  escapeJavaScript,
  inputVariable,
  jsonPath,
  renderTemplate,
  urlDecode,
  urlEncode,
  utilVariable,
} from "../../../src/services/apigateway/data-plane/vtl.ts";
import type { ResourceRecord } from "../../../src/services/apigateway/snapshot.ts";
import { harness, lambdaUri, method, resource } from "./rest-harness.ts";

describe("$util", () => {
  it("escapes as Java's StringEscapeUtils.escapeJavaScript", () => {
    assert.equal(escapeJavaScript(`a"b'c\\d/e\nf\tg`), `a\\"b\\'c\\\\d\\/e\\nf\\tg`);
    assert.equal(escapeJavaScript("é"), "\\u00E9");
    assert.equal(escapeJavaScript("\u0001"), "\\u0001");
  });

  it("url-encodes as a form (space is +) and decodes back", () => {
    assert.equal(urlEncode("a b&c=d/é*"), "a+b%26c%3Dd%2F%C3%A9*");
    assert.equal(urlDecode("a+b%26c"), "a b&c");
  });

  it("base64-encodes, decodes and parses JSON inside templates", () => {
    const vars = { util: utilVariable };
    assert.equal(renderTemplate("$util.base64Encode('hi there')", vars), "aGkgdGhlcmU=");
    assert.equal(renderTemplate("$util.base64Decode('aGkgdGhlcmU=')", vars), "hi there");
    assert.equal(renderTemplate(`#set($o = $util.parseJson('{"a":{"b":7}}'))$o.a.b`, vars), "7");
  });
});

describe("$input", () => {
  const input = inputVariable({
    body: '{"name":"Rex","tags":["a","b"],"owner":{"id":9}}',
    path: { id: "7" },
    querystring: { q: "x" },
    header: { "X-Token": "t" },
  });

  it("reads JSONPath results as JSON text ($input.json) and as objects ($input.path)", () => {
    const vars = { input };
    assert.equal(renderTemplate("$input.json('$.owner')", vars), '{"id":9}');
    assert.equal(renderTemplate("$input.json('$.name')", vars), '"Rex"');
    assert.equal(renderTemplate("$input.path('$.tags').size()", vars), "2");
    assert.equal(renderTemplate("$input.path('$.owner.id')", vars), "9");
    assert.equal(renderTemplate("$input.body", vars), '{"name":"Rex","tags":["a","b"],"owner":{"id":9}}');
  });

  it("finds a parameter in path, then query string, then headers (case-insensitive)", () => {
    const vars = { input };
    assert.equal(
      renderTemplate("$input.params('id')/$input.params('q')/$input.params('x-token')", vars),
      "7/x/t",
    );
    assert.equal(renderTemplate("#foreach($k in $input.params().header.keySet())$k#end", vars), "X-Token");
  });

  it("walks JSONPath steps", () => {
    const doc = { a: [{ b: 1 }, { b: 2 }], "c d": 3 };
    assert.deepEqual(jsonPath(doc, "$.a[*].b"), [1, 2]);
    assert.equal(jsonPath(doc, "$.a[1].b"), 2);
    assert.equal(jsonPath(doc, "$['c d']"), 3);
    assert.equal(jsonPath(doc, "$.missing"), undefined);
    assert.deepEqual(jsonPath(doc, "$"), doc);
  });
});

describe("resource matching", () => {
  const any = (path: string, methods = ["GET"]): ResourceRecord => ({
    id: path,
    path,
    resourceMethods: Object.fromEntries(
      methods.map((m) => [m, { httpMethod: m, authorizationType: "NONE" }]),
    ),
  });
  const resources = [
    any("/"),
    any("/a"),
    any("/a/{id}"),
    any("/a/b"),
    any("/{proxy+}", ["ANY"]),
    any("/a/{id}/{rest+}"),
  ];

  it("ranks literal, then parameter, then greedy segments", () => {
    assert.equal(matchResource(resources, "/a/b", "GET")?.resource.path, "/a/b");
    assert.equal(matchResource(resources, "/a/c", "GET")?.resource.path, "/a/{id}");
    assert.deepEqual(matchResource(resources, "/a/c/d/e", "GET")?.pathParameters, { id: "c", rest: "d/e" });
    assert.equal(matchResource(resources, "/x/y", "GET")?.resource.path, "/{proxy+}");
    assert.equal(matchResource(resources, "/", "GET")?.resource.path, "/");
    assert.equal(matchResource(resources, "/a/", "GET")?.resource.path, "/a");
  });

  it("uses ANY when the method has no definition of its own, and nothing when neither exists", () => {
    assert.equal(matchResource(resources, "/a", "POST")?.resource.path, "/{proxy+}");
    assert.equal(matchResource([any("/a")], "/a", "POST"), undefined);
    assert.equal(matchResource([any("/a")], "/a/b", "GET"), undefined);
  });
});

describe("recorded proxy event", () => {
  it("has the members, requestContext members and identity members AWS sent", async () => {
    const recorded = JSON.parse(
      readFileSync(new URL("./fixtures/rest-proxy-event.aws-recorded.json", import.meta.url), "utf8"),
    ).event as Record<string, Record<string, unknown>>;
    const h = harness([
      resource("/{proxy+}", [method("ANY", { type: "AWS_PROXY", uri: lambdaUri("echo") })]),
    ]);
    h.functions.echo = (event) => ({ statusCode: 200, body: JSON.stringify(event) });
    h.stage.stageName = "stage";
    const ours = (await h.send({ path: "/stage/proxy-value", query: "urlparam=test" })).json() as Record<
      string,
      Record<string, unknown>
    >;
    const keys = (o: Record<string, unknown> | undefined) => Object.keys(o ?? {}).sort();
    assert.deepEqual(keys(ours), keys(recorded));
    assert.deepEqual(keys(ours.requestContext), keys(recorded.requestContext));
    assert.deepEqual(
      keys(ours.requestContext?.identity as Record<string, unknown>),
      keys(recorded.requestContext?.identity as Record<string, unknown>),
    );
    for (const member of [
      "resource",
      "path",
      "pathParameters",
      "queryStringParameters",
      "multiValueQueryStringParameters",
      "stageVariables",
      "body",
      "isBase64Encoded",
      "httpMethod",
    ]) {
      assert.deepEqual(ours[member], recorded[member], member);
    }
    assert.equal(ours.requestContext?.path, recorded.requestContext?.path);
    assert.equal(ours.requestContext?.resourcePath, recorded.requestContext?.resourcePath);
  });
});

describe("usage plan quota periods", () => {
  it("start at UTC midnight, on the offset weekday (0 = Sunday) and on the offset day of the month", () => {
    // Tuesday 24 November 2026, 18:00 UTC.
    const now = Date.UTC(2026, 10, 24, 18, 0, 0);
    assert.equal(quotaPeriodStart(now, "DAY", 0), Date.UTC(2026, 10, 24));
    assert.equal(quotaPeriodStart(now, "WEEK", 0), Date.UTC(2026, 10, 22));
    assert.equal(quotaPeriodStart(now, "WEEK", 3), Date.UTC(2026, 10, 18));
    assert.equal(quotaPeriodStart(now, "MONTH", 0), Date.UTC(2026, 10, 1));
    assert.equal(quotaPeriodStart(now, "MONTH", 27), Date.UTC(2026, 9, 28));
  });
});
