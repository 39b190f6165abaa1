/**
 * The invoke URLs keep work derived from a deployment (parsed resource paths and route keys, whether a
 * stage throttles, who owns an API id) across requests. Each change must still be seen by the very next
 * request: a new deployment (changed template, new resource or route), a stage update, a deleted API.
 */
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import {
  APIGatewayClient,
  CreateDeploymentCommand,
  CreateResourceCommand,
  CreateRestApiCommand,
  DeleteRestApiCommand,
  GetResourcesCommand,
  PutIntegrationCommand,
  PutIntegrationResponseCommand,
  PutMethodCommand,
  PutMethodResponseCommand,
  UpdateStageCommand,
} from "@aws-sdk/client-api-gateway";
import {
  ApiGatewayV2Client,
  CreateIntegrationCommand,
  CreateRouteCommand,
} from "@aws-sdk/client-apigatewayv2";
import { useStratus } from "../../../support/stratus.ts";
import { createHttpApi, invoke } from "../../apigatewayv2/data-plane/helpers.ts";
import { uniqueName } from "../../lambda/helpers.ts";

describe("invoke URLs see every change at the next request", () => {
  const stratus = useStratus({ inMemory: true });

  async function get(path: string): Promise<{ status: number; body: string }> {
    const response = await fetch(`${stratus.server.url}${path}`);
    return { status: response.status, body: await response.text() };
  }

  it("REST API: a new deployment, a stage update and a deleted API", async () => {
    const apigw = new APIGatewayClient(stratus.clientConfig());
    const api = await apigw.send(new CreateRestApiCommand({ name: uniqueName("rest") }));
    const restApiId = api.id ?? "";
    const resources = await apigw.send(new GetResourcesCommand({ restApiId }));
    const rootId = resources.items?.find((r) => r.path === "/")?.id ?? "";

    async function mockMethod(pathPart: string, body: string): Promise<string> {
      const resource = await apigw.send(new CreateResourceCommand({ restApiId, parentId: rootId, pathPart }));
      const resourceId = resource.id ?? "";
      await apigw.send(
        new PutMethodCommand({ restApiId, resourceId, httpMethod: "GET", authorizationType: "NONE" }),
      );
      await apigw.send(
        new PutIntegrationCommand({
          restApiId,
          resourceId,
          httpMethod: "GET",
          type: "MOCK",
          requestTemplates: { "application/json": '{"statusCode": 200}' },
        }),
      );
      await apigw.send(
        new PutMethodResponseCommand({ restApiId, resourceId, httpMethod: "GET", statusCode: "200" }),
      );
      await respondWith(resourceId, body);
      return resourceId;
    }
    async function respondWith(resourceId: string, body: string): Promise<void> {
      await apigw.send(
        new PutIntegrationResponseCommand({
          restApiId,
          resourceId,
          httpMethod: "GET",
          statusCode: "200",
          responseTemplates: { "application/json": body },
        }),
      );
    }
    const deploy = () => apigw.send(new CreateDeploymentCommand({ restApiId, stageName: "s" }));
    const base = `/_aws/execute-api/${restApiId}/s`;

    const first = await mockMethod("one", '{"v":1}');
    await deploy();
    assert.deepEqual(await get(`${base}/one`), { status: 200, body: '{"v":1}' });
    assert.equal((await get(`${base}/two`)).status, 403);

    // Edited and added methods serve only once deployed; then at once.
    await respondWith(first, '{"v":2}');
    await mockMethod("two", '{"two":true}');
    assert.deepEqual(await get(`${base}/one`), { status: 200, body: '{"v":1}' });
    await deploy();
    assert.deepEqual(await get(`${base}/one`), { status: 200, body: '{"v":2}' });
    assert.deepEqual(await get(`${base}/two`), { status: 200, body: '{"two":true}' });

    // A stage throttle set after requests were served applies to the next one.
    await apigw.send(
      new UpdateStageCommand({
        restApiId,
        stageName: "s",
        patchOperations: [
          { op: "replace", path: "/*/*/throttling/burstLimit", value: "0" },
          { op: "replace", path: "/*/*/throttling/rateLimit", value: "0" },
        ],
      }),
    );
    const throttled = await get(`${base}/one`);
    assert.equal(throttled.status, 429);

    await apigw.send(new DeleteRestApiCommand({ restApiId }));
    assert.deepEqual(await get(`${base}/one`), { status: 403, body: '{"message":"Forbidden"}' });
  });

  describe("HTTP API", () => {
    let backend: Server;
    let backendUrl = "";

    before(async () => {
      backend = createServer((req, res) => res.end(`backend ${req.url}`));
      await new Promise<void>((resolve) => backend.listen(0, "127.0.0.1", resolve));
      backendUrl = `http://127.0.0.1:${(backend.address() as AddressInfo).port}`;
    });
    after(() => new Promise<void>((resolve) => backend.close(() => resolve())));

    it("a route added to an auto-deployed stage is routed at the next request", async () => {
      const client = new ApiGatewayV2Client(stratus.clientConfig());
      const apiId = await createHttpApi(client, {
        integrations: {
          proxy: {
            IntegrationType: "HTTP_PROXY",
            IntegrationUri: `${backendUrl}/a`,
            IntegrationMethod: "ANY",
            PayloadFormatVersion: "1.0",
          },
        },
        routes: [{ routeKey: "GET /a", integration: "proxy" }],
      });
      const port = stratus.server.port;
      assert.equal((await invoke(port, apiId, { path: "/a" })).status, 200);
      assert.equal((await invoke(port, apiId, { path: "/b" })).status, 404);

      const integration = await client.send(
        new CreateIntegrationCommand({
          ApiId: apiId,
          IntegrationType: "HTTP_PROXY",
          IntegrationUri: `${backendUrl}/b`,
          IntegrationMethod: "ANY",
          PayloadFormatVersion: "1.0",
        }),
      );
      await client.send(
        new CreateRouteCommand({
          ApiId: apiId,
          RouteKey: "GET /b",
          Target: `integrations/${integration.IntegrationId}`,
        }),
      );
      const routed = await invoke(port, apiId, { path: "/b" });
      assert.equal(routed.status, 200);
      assert.equal(routed.text, "backend /b");
    });
  });
});
