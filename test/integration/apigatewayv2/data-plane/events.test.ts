/**
 * The Lambda events HTTP APIs send (payload formats 2.0 and 1.0), field by field, and how the
 * function's answer becomes the response: through @aws-sdk/client-apigatewayv2 and plain HTTP.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { ApiGatewayV2Client } from "@aws-sdk/client-apigatewayv2";
import { useStratus } from "../../../support/stratus.ts";
import { ACCOUNT, createFunction, createHttpApi, ECHO_JS, invoke, json, REQUEST_ID } from "./helpers.ts";

describe("HTTP API Lambda proxy events", () => {
  const stratus = useStratus({ inMemory: true });
  let apiId = "";

  before(async () => {
    const client = new ApiGatewayV2Client(stratus.clientConfig());
    const echo = await createFunction(stratus.lambda(), ECHO_JS);
    apiId = await createHttpApi(client, {
      integrations: {
        v2: { IntegrationUri: echo, PayloadFormatVersion: "2.0" },
        v1: { IntegrationUri: echo, PayloadFormatVersion: "1.0" },
        mapped: {
          IntegrationUri: echo,
          PayloadFormatVersion: "2.0",
          RequestParameters: {
            "append:header.x-added": "static-value",
            "remove:header.x-drop": "''",
            "overwrite:querystring.q": "$request.header.x-source",
          },
          ResponseParameters: {
            "200": { "overwrite:statuscode": "202", "overwrite:header.x-echo": "mapped" },
          },
        },
      },
      routes: [
        { routeKey: "POST /pets/{id}", integration: "v2" },
        { routeKey: "GET /v1/{proxy+}", integration: "v1" },
        { routeKey: "GET /mapped", integration: "mapped" },
        { routeKey: "$default", integration: "v2" },
      ],
      stages: [{ StageName: "$default" }, { StageName: "dev", StageVariables: { color: "blue" } }],
    });
    client.destroy();
  });

  it("sends format 2.0 with route, stage, path parameters, cookies, query and body", async () => {
    const port = stratus.server.port;
    const response = await invoke(port, apiId, {
      method: "POST",
      path: "/dev/pets/a%20b?x=1&x=2&y=z",
      headers: {
        "content-type": "application/json",
        cookie: "c1=v1; c2=v2",
        "user-agent": "events-test",
        "x-multi": ["1", "2"],
      },
      body: '{"hello":"world"}',
    });
    assert.equal(response.status, 200);
    assert.equal(response.headers["x-echo"], "yes");
    const requestId = response.headers["apigw-requestid"];
    assert.match(String(requestId), REQUEST_ID);
    const event = json(response);
    assert.equal(event.version, "2.0");
    assert.equal(event.routeKey, "POST /pets/{id}");
    // The stage's segment stays in rawPath, as AWS sends it.
    assert.equal(event.rawPath, "/dev/pets/a%20b");
    assert.equal(event.rawQueryString, "x=1&x=2&y=z");
    assert.deepEqual(event.cookies, ["c1=v1", "c2=v2"]);
    assert.deepEqual(event.queryStringParameters, { x: "1,2", y: "z" });
    assert.deepEqual(event.pathParameters, { id: "a b" });
    assert.deepEqual(event.stageVariables, { color: "blue" });
    assert.equal(event.body, '{"hello":"world"}');
    assert.equal(event.isBase64Encoded, false);
    const headers = event.headers as Record<string, string>;
    assert.equal(headers["x-multi"], "1,2");
    assert.equal(headers["user-agent"], "events-test");
    assert.equal(headers["x-forwarded-for"], "127.0.0.1");
    assert.equal(headers["x-forwarded-proto"], "http");
    assert.equal(headers["x-forwarded-port"], String(port));
    assert.match(headers["x-amzn-trace-id"] ?? "", /^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
    assert.equal(headers.cookie, undefined);
    const context = event.requestContext as Record<string, unknown>;
    assert.deepEqual(Object.keys(context), [
      "accountId",
      "apiId",
      "domainName",
      "domainPrefix",
      "http",
      "requestId",
      "routeKey",
      "stage",
      "time",
      "timeEpoch",
    ]);
    assert.equal(context.accountId, ACCOUNT);
    assert.equal(context.apiId, apiId);
    assert.equal(context.domainName, `${apiId}.execute-api.localhost`);
    assert.equal(context.domainPrefix, apiId);
    assert.equal(context.requestId, requestId);
    assert.equal(context.routeKey, "POST /pets/{id}");
    assert.equal(context.stage, "dev");
    assert.match(String(context.time), /^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
    assert.equal(typeof context.timeEpoch, "number");
    assert.deepEqual(context.http, {
      method: "POST",
      path: "/dev/pets/a%20b",
      protocol: "HTTP/1.1",
      sourceIp: "127.0.0.1",
      userAgent: "events-test",
    });
  });

  it("leaves out what the request does not have (format 2.0, $default stage and route)", async () => {
    const response = await invoke(stratus.server.port, apiId, { path: "/anything/else" });
    assert.equal(response.status, 200);
    const event = json(response);
    assert.equal(event.routeKey, "$default");
    assert.equal(event.rawPath, "/anything/else");
    assert.equal(event.rawQueryString, "");
    for (const absent of ["cookies", "queryStringParameters", "pathParameters", "stageVariables", "body"]) {
      assert.equal(absent in event, false, absent);
    }
    assert.equal(event.isBase64Encoded, false);
    assert.equal((event.headers as Record<string, string>)["content-length"], "0");
    assert.equal((event.requestContext as Record<string, unknown>).stage, "$default");
  });

  it("sends binary bodies base64-encoded", async () => {
    const response = await invoke(stratus.server.port, apiId, {
      method: "POST",
      path: "/pets/7",
      headers: { "content-type": "application/octet-stream" },
      body: Buffer.from([0, 1, 2, 255]),
    });
    const event = json(response);
    assert.equal(event.body, "AAEC/w==");
    assert.equal(event.isBase64Encoded, true);
  });

  it("sends format 1.0 with multi-value members and nulls", async () => {
    const response = await invoke(stratus.server.port, apiId, {
      path: "/v1/a/b?k=1&k=2",
      headers: { "User-Agent": "v1-test", "X-Multi": ["1", "2"] },
    });
    assert.equal(response.status, 200);
    const requestId = String(response.headers["apigw-requestid"]);
    const event = json(response);
    assert.equal(event.version, "1.0");
    assert.equal(event.resource, "/v1/{proxy+}");
    assert.equal(event.path, "/v1/a/b");
    assert.equal(event.httpMethod, "GET");
    assert.equal((event.headers as Record<string, string>)["X-Multi"], "2");
    assert.deepEqual((event.multiValueHeaders as Record<string, string[]>)["X-Multi"], ["1", "2"]);
    assert.deepEqual(event.queryStringParameters, { k: "2" });
    assert.deepEqual(event.multiValueQueryStringParameters, { k: ["1", "2"] });
    assert.deepEqual(event.pathParameters, { proxy: "a/b" });
    assert.equal(event.stageVariables, null);
    assert.equal(event.body, null);
    assert.equal(event.isBase64Encoded, false);
    const context = event.requestContext as Record<string, unknown>;
    assert.equal(context.requestId, requestId);
    assert.equal(context.extendedRequestId, requestId);
    assert.equal(context.resourcePath, "/v1/{proxy+}");
    assert.equal(context.resourceId, "/v1/{proxy+}");
    assert.equal(context.path, "/v1/a/b");
    assert.equal(context.stage, "$default");
    assert.equal(context.httpMethod, "GET");
    assert.equal("authorizer" in context, false);
    const identity = context.identity as Record<string, unknown>;
    assert.equal(identity.sourceIp, "127.0.0.1");
    assert.equal(identity.userAgent, "v1-test");
    assert.equal(identity.cognitoAmr, null);
    assert.equal(identity.accessKey, null);
  });

  it("applies the integration's parameter mapping to the event and the answer", async () => {
    const response = await invoke(stratus.server.port, apiId, {
      path: "/mapped?q=old&k=1",
      headers: { "x-drop": "gone", "x-source": "from-header" },
    });
    assert.equal(response.status, 202);
    assert.equal(response.headers["x-echo"], "mapped");
    const event = json(response);
    const headers = event.headers as Record<string, string>;
    assert.equal(headers["x-added"], "static-value");
    assert.equal(headers["x-drop"], undefined);
    assert.deepEqual(event.queryStringParameters, { q: "from-header", k: "1" });
    assert.equal(event.rawQueryString, "q=from-header&k=1");
  });
});
