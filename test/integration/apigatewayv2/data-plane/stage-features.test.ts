/**
 * Stage and API features around the integration: throttling from defaultRouteSettings/routeSettings
 * (429 Too Many Requests), CORS from the API's corsConfiguration (preflight answered by API Gateway,
 * headers on responses), and access logs written to CloudWatch Logs with `$context` variables.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { ApiGatewayV2Client } from "@aws-sdk/client-apigatewayv2";
import { GetLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { useStratus } from "../../../support/stratus.ts";
import { ACCOUNT, createFunction, createHttpApi, invoke, json, REQUEST_ID } from "./helpers.ts";

/** Sets its own CORS header, which API Gateway must replace with the configured ones. */
const CORS_ECHO_JS = `exports.handler = async () => ({
  statusCode: 200,
  headers: { "access-control-allow-origin": "https://evil.example", "x-echo": "yes" },
  body: "ok",
});
`;

describe("HTTP API stage features", () => {
  const stratus = useStratus({ inMemory: true });
  let client: ApiGatewayV2Client;
  let fn = "";

  before(async () => {
    client = new ApiGatewayV2Client(stratus.clientConfig());
    fn = await createFunction(stratus.lambda(), CORS_ECHO_JS);
  });

  it("throttles a route beyond its burst with 429 Too Many Requests", async () => {
    const apiId = await createHttpApi(client, {
      integrations: { fn: { IntegrationUri: fn, PayloadFormatVersion: "2.0" } },
      routes: [
        { routeKey: "GET /limited", integration: "fn" },
        { routeKey: "GET /free", integration: "fn" },
      ],
      stages: [
        {
          StageName: "$default",
          // One request, then a token every ~17 minutes: the second request is always over the limit.
          RouteSettings: { "GET /limited": { ThrottlingBurstLimit: 1, ThrottlingRateLimit: 0.001 } },
        },
      ],
    });
    const port = stratus.server.port;
    assert.equal((await invoke(port, apiId, { path: "/limited" })).status, 200);
    const refused = await invoke(port, apiId, { path: "/limited" });
    assert.equal(refused.status, 429);
    assert.deepEqual(json(refused), { message: "Too Many Requests" });
    // Other routes have no limit.
    for (let i = 0; i < 3; i++) assert.equal((await invoke(port, apiId, { path: "/free" })).status, 200);
  });

  it("applies defaultRouteSettings to every route", async () => {
    const apiId = await createHttpApi(client, {
      integrations: { fn: { IntegrationUri: fn, PayloadFormatVersion: "2.0" } },
      routes: [{ routeKey: "$default", integration: "fn" }],
      stages: [
        {
          StageName: "$default",
          DefaultRouteSettings: { ThrottlingBurstLimit: 2, ThrottlingRateLimit: 0.001 },
        },
      ],
    });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++)
      statuses.push((await invoke(stratus.server.port, apiId, { path: "/x" })).status);
    assert.deepEqual(statuses, [200, 200, 429]);
  });

  it("answers CORS preflights itself and puts the configured headers on responses", async () => {
    const apiId = await createHttpApi(client, {
      api: {
        CorsConfiguration: {
          AllowOrigins: ["https://app.example"],
          AllowMethods: ["GET", "POST"],
          AllowHeaders: ["content-type", "authorization"],
          ExposeHeaders: ["x-echo"],
          MaxAge: 600,
        },
      },
      integrations: { fn: { IntegrationUri: fn, PayloadFormatVersion: "2.0" } },
      routes: [{ routeKey: "GET /items", integration: "fn" }],
    });
    const port = stratus.server.port;
    const preflight = await invoke(port, apiId, {
      method: "OPTIONS",
      path: "/items",
      headers: { origin: "https://app.example", "access-control-request-method": "POST" },
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.text, "");
    assert.equal(preflight.headers["access-control-allow-origin"], "https://app.example");
    assert.equal(preflight.headers["access-control-allow-methods"], "GET,POST");
    assert.equal(preflight.headers["access-control-allow-headers"], "content-type,authorization");
    assert.equal(preflight.headers["access-control-max-age"], "600");
    assert.match(String(preflight.headers["apigw-requestid"]), REQUEST_ID);

    const stranger = await invoke(port, apiId, {
      method: "OPTIONS",
      path: "/items",
      headers: { origin: "https://other.example", "access-control-request-method": "GET" },
    });
    assert.equal(stranger.status, 204);
    assert.equal(stranger.headers["access-control-allow-origin"], undefined);

    const actual = await invoke(port, apiId, { path: "/items", headers: { origin: "https://app.example" } });
    assert.equal(actual.status, 200);
    assert.equal(actual.headers["access-control-allow-origin"], "https://app.example");
    assert.equal(actual.headers["access-control-expose-headers"], "x-echo");
    assert.equal(actual.headers["x-echo"], "yes");
    // Without an allowed Origin the function's own CORS header is still dropped.
    const plain = await invoke(port, apiId, { path: "/items" });
    assert.equal(plain.headers["access-control-allow-origin"], undefined);
  });

  it("writes one access-log event per request with $context variables", async () => {
    const group = `/aws/apigateway/access-${process.pid}`;
    const apiId = await createHttpApi(client, {
      integrations: { fn: { IntegrationUri: fn, PayloadFormatVersion: "2.0" } },
      routes: [{ routeKey: "GET /logged", integration: "fn" }],
      stages: [
        {
          StageName: "$default",
          AccessLogSettings: {
            DestinationArn: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:${group}`,
            Format:
              '{"requestId":"$context.requestId","routeKey":"$context.routeKey","status":"$context.status",' +
              '"ip":"$context.identity.sourceIp","method":"$context.httpMethod","authError":"$context.authorizer.error"}',
          },
        },
      ],
    });
    const ok = await invoke(stratus.server.port, apiId, { path: "/logged" });
    const missing = await invoke(stratus.server.port, apiId, { path: "/nowhere" });
    const logs = stratus.logs();
    let messages: string[] = [];
    // The log is written after the answer: wait for it, within a bound.
    for (let attempt = 0; attempt < 50 && messages.length < 2; attempt++) {
      try {
        const events = await logs.send(
          new GetLogEventsCommand({
            logGroupName: group,
            logStreamName: `${apiId}_$default`,
            startFromHead: true,
          }),
        );
        messages = (events.events ?? []).map((e) => e.message ?? "");
      } catch {
        // The group does not exist until the first event is written.
      }
      if (messages.length < 2) await sleep(100);
    }
    assert.deepEqual(
      messages.map((m) => JSON.parse(m)),
      [
        {
          requestId: ok.headers["apigw-requestid"],
          routeKey: "GET /logged",
          status: "200",
          ip: "127.0.0.1",
          method: "GET",
          authError: "-",
        },
        {
          requestId: missing.headers["apigw-requestid"],
          routeKey: "-",
          status: "404",
          ip: "127.0.0.1",
          method: "GET",
          authError: "-",
        },
      ],
    );
  });
});
