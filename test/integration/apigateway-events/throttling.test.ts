/**
 * Throttling accuracy: a limit of 20 requests per second with a burst of 5, driven at a steady
 * 40 requests per second for 3 seconds, accepts rate × seconds + burst requests (±10%) and refuses
 * the others with API Gateway's exact 429 body — for an HTTP API route (stage routeSettings) and for
 * a REST API method behind a usage plan.
 */
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import {
  APIGatewayClient,
  CreateApiKeyCommand,
  CreateDeploymentCommand,
  CreateRestApiCommand,
  CreateUsagePlanCommand,
  CreateUsagePlanKeyCommand,
  GetResourcesCommand,
  PutIntegrationCommand,
  PutIntegrationResponseCommand,
  PutMethodCommand,
  PutMethodResponseCommand,
} from "@aws-sdk/client-api-gateway";
import { ApiGatewayV2Client } from "@aws-sdk/client-apigatewayv2";
import { useStratus } from "../../support/stratus.ts";
import { createHttpApi } from "../apigatewayv2/data-plane/helpers.ts";
import { uniqueName } from "../lambda/helpers.ts";
import { callUrl } from "../lambda/urls/http.ts";

const RATE = 20;
const BURST = 5;
const SEND_RATE = 40;
const SECONDS = 3;

interface Outcome {
  status: number;
  text: string;
}

/** Fires SEND_RATE requests per second for SECONDS on a fixed schedule (not waiting for answers). */
async function drive(send: () => Promise<Outcome>): Promise<{ outcomes: Outcome[]; spanSeconds: number }> {
  const count = SEND_RATE * SECONDS;
  const gap = 1000 / SEND_RATE;
  const started = performance.now();
  const pending: Promise<Outcome>[] = [];
  let lastSent = started;
  for (let i = 0; i < count; i++) {
    const due = started + i * gap;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    lastSent = performance.now();
    pending.push(send());
  }
  const outcomes = await Promise.all(pending);
  return { outcomes, spanSeconds: (lastSent - started) / 1000 };
}

function assertAccuracy(outcomes: Outcome[], spanSeconds: number, body429: string): void {
  const accepted = outcomes.filter((o) => o.status === 200).length;
  const refused = outcomes.filter((o) => o.status === 429);
  assert.equal(
    accepted + refused.length,
    outcomes.length,
    JSON.stringify(outcomes.filter((o) => o.status !== 200 && o.status !== 429)),
  );
  // The bucket refills during the whole span in which requests arrived.
  const expected = RATE * spanSeconds + BURST;
  assert.ok(
    Math.abs(accepted - expected) <= expected * 0.1,
    `${accepted} accepted of ${outcomes.length} over ${spanSeconds.toFixed(2)} s; expected ${expected.toFixed(1)} ±10%`,
  );
  for (const answer of refused) assert.equal(answer.text, body429);
}

describe("throttling accuracy", () => {
  const stratus = useStratus({ inMemory: true });
  let backend: Server;
  let backendUrl = "";

  before(async () => {
    // A trivial HTTP backend: throttling is decided before the integration, so its cost is kept out.
    backend = createServer((_req, res) => res.end("ok"));
    await new Promise<void>((resolve) => backend.listen(0, "127.0.0.1", resolve));
    backendUrl = `http://127.0.0.1:${(backend.address() as AddressInfo).port}/`;
  });
  after(() => new Promise<void>((resolve) => backend.close(() => resolve())));

  it("HTTP API route settings: rate 20/s, burst 5", async () => {
    const client = new ApiGatewayV2Client(stratus.clientConfig());
    const apiId = await createHttpApi(client, {
      integrations: {
        backend: {
          IntegrationType: "HTTP_PROXY",
          IntegrationMethod: "GET",
          IntegrationUri: backendUrl,
          PayloadFormatVersion: "1.0",
        },
      },
      routes: [{ routeKey: "GET /limited", integration: "backend" }],
      stages: [
        {
          StageName: "$default",
          RouteSettings: { "GET /limited": { ThrottlingRateLimit: RATE, ThrottlingBurstLimit: BURST } },
        },
      ],
    });
    const port = stratus.server.port;
    const { outcomes, spanSeconds } = await drive(async () => {
      const answer = await callUrl(port, {
        host: `${apiId}.execute-api.localhost:${port}`,
        path: "/limited",
      });
      return { status: answer.status, text: answer.text };
    });
    assertAccuracy(outcomes, spanSeconds, '{"message":"Too Many Requests"}');
  });

  it("REST API usage plan: rate 20/s, burst 5", async () => {
    const client = new APIGatewayClient(stratus.clientConfig());
    const api = await client.send(new CreateRestApiCommand({ name: uniqueName("throttled") }));
    const restApiId = api.id ?? "";
    const root = (await client.send(new GetResourcesCommand({ restApiId }))).items?.[0]?.id ?? "";
    const target = { restApiId, resourceId: root, httpMethod: "GET" };
    await client.send(new PutMethodCommand({ ...target, authorizationType: "NONE", apiKeyRequired: true }));
    await client.send(
      new PutIntegrationCommand({
        ...target,
        type: "MOCK",
        requestTemplates: { "application/json": '{"statusCode": 200}' },
      }),
    );
    await client.send(new PutMethodResponseCommand({ ...target, statusCode: "200" }));
    await client.send(
      new PutIntegrationResponseCommand({
        ...target,
        statusCode: "200",
        responseTemplates: { "application/json": "ok" },
      }),
    );
    await client.send(new CreateDeploymentCommand({ restApiId, stageName: "prod" }));
    const key = await client.send(new CreateApiKeyCommand({ name: uniqueName("key"), enabled: true }));
    const plan = await client.send(
      new CreateUsagePlanCommand({
        name: uniqueName("plan"),
        throttle: { rateLimit: RATE, burstLimit: BURST },
        apiStages: [{ apiId: restApiId, stage: "prod" }],
      }),
    );
    await client.send(
      new CreateUsagePlanKeyCommand({ usagePlanId: plan.id, keyId: key.id, keyType: "API_KEY" }),
    );
    const port = stratus.server.port;
    const { outcomes, spanSeconds } = await drive(async () => {
      const answer = await callUrl(port, {
        host: `${restApiId}.execute-api.localhost:${port}`,
        path: "/prod/",
        headers: { "x-api-key": key.value ?? "" },
      });
      return { status: answer.status, text: answer.text };
    });
    assertAccuracy(outcomes, spanSeconds, '{"message":"Too Many Requests"}');
  });
});
