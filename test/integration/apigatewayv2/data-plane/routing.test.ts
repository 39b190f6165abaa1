/**
 * Stage and route selection of HTTP API invoke URLs (developer guide, "Routing API requests"): a
 * named stage from the first path segment, else `$default`; the most specific route (full match,
 * then greedy, then `$default`), method before ANY; AWS's 404 `{"message":"Not Found"}` otherwise.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { ApiGatewayV2Client, CreateStageCommand, UpdateApiCommand } from "@aws-sdk/client-apigatewayv2";
import { useStratus } from "../../../support/stratus.ts";
import { createFunction, createHttpApi, ECHO_JS, invoke, json, REQUEST_ID } from "./helpers.ts";

describe("HTTP API routing", () => {
  const stratus = useStratus({ inMemory: true });
  let client: ApiGatewayV2Client;
  let echo = "";
  let docExample = "";

  before(async () => {
    client = new ApiGatewayV2Client(stratus.clientConfig());
    echo = await createFunction(stratus.lambda(), ECHO_JS);
    // The developer guide's example routes.
    docExample = await createHttpApi(client, {
      integrations: { echo: { IntegrationUri: echo, PayloadFormatVersion: "2.0" } },
      routes: [
        { routeKey: "GET /pets/dog/1", integration: "echo" },
        { routeKey: "GET /pets/dog/{id}", integration: "echo" },
        { routeKey: "GET /pets/{proxy+}", integration: "echo" },
        { routeKey: "ANY /{proxy+}", integration: "echo" },
        { routeKey: "$default", integration: "echo" },
      ],
    });
  });

  async function routeKeyOf(apiId: string, method: string, path: string): Promise<string> {
    const response = await invoke(stratus.server.port, apiId, { method, path });
    assert.equal(response.status, 200, response.text);
    return String(json(response).routeKey);
  }

  it("picks the most specific route", async () => {
    assert.equal(await routeKeyOf(docExample, "GET", "/pets/dog/1"), "GET /pets/dog/1");
    assert.equal(await routeKeyOf(docExample, "GET", "/pets/dog/2"), "GET /pets/dog/{id}");
    assert.equal(await routeKeyOf(docExample, "GET", "/pets/cat/1"), "GET /pets/{proxy+}");
    assert.equal(await routeKeyOf(docExample, "POST", "/pets/dog/1"), "ANY /{proxy+}");
    // A greedy variable needs at least one segment: "/" falls to $default.
    assert.equal(await routeKeyOf(docExample, "GET", "/"), "$default");
  });

  it("answers 404 Not Found when no route matches", async () => {
    const apiId = await createHttpApi(client, {
      integrations: { echo: { IntegrationUri: echo, PayloadFormatVersion: "2.0" } },
      routes: [{ routeKey: "GET /only", integration: "echo" }],
    });
    assert.equal(await routeKeyOf(apiId, "GET", "/only"), "GET /only");
    for (const [method, path] of [
      ["POST", "/only"],
      ["GET", "/only/more"],
      ["GET", "/other"],
    ] as const) {
      const response = await invoke(stratus.server.port, apiId, { method, path });
      assert.equal(response.status, 404, `${method} ${path}`);
      assert.deepEqual(json(response), { message: "Not Found" });
      assert.match(String(response.headers["apigw-requestid"]), REQUEST_ID);
    }
  });

  it("selects a named stage by the first segment, else $default, else 404", async () => {
    const apiId = await createHttpApi(client, {
      integrations: { echo: { IntegrationUri: echo, PayloadFormatVersion: "2.0" } },
      routes: [{ routeKey: "ANY /{proxy+}", integration: "echo" }],
      stages: [{ StageName: "dev" }],
    });
    const dev = json(await invoke(stratus.server.port, apiId, { path: "/dev/a/b" }));
    assert.equal((dev.requestContext as Record<string, unknown>).stage, "dev");
    assert.deepEqual(dev.pathParameters, { proxy: "a/b" });
    // No $default stage: a path outside every stage is not found.
    const outside = await invoke(stratus.server.port, apiId, { path: "/prod/a" });
    assert.equal(outside.status, 404);
    assert.deepEqual(json(outside), { message: "Not Found" });

    await client.send(new CreateStageCommand({ ApiId: apiId, StageName: "$default", AutoDeploy: true }));
    const fallback = json(await invoke(stratus.server.port, apiId, { path: "/prod/a" }));
    assert.equal((fallback.requestContext as Record<string, unknown>).stage, "$default");
    assert.deepEqual(fallback.pathParameters, { proxy: "prod/a" });
  });

  it("answers 404 for a stage that has no deployment", async () => {
    const apiId = await createHttpApi(client, {
      integrations: { echo: { IntegrationUri: echo, PayloadFormatVersion: "2.0" } },
      routes: [{ routeKey: "$default", integration: "echo" }],
      stages: [{ StageName: "$default", AutoDeploy: false }],
    });
    const response = await invoke(stratus.server.port, apiId, { path: "/x" });
    assert.equal(response.status, 404);
    assert.deepEqual(json(response), { message: "Not Found" });
  });

  it("serves the path form /_aws/execute-api/{apiId}/...", async () => {
    const response = await invoke(stratus.server.port, docExample, {
      path: `/_aws/execute-api/${docExample}/pets/dog/1`,
      host: `127.0.0.1:${stratus.server.port}`,
    });
    assert.equal(response.status, 200);
    const event = json(response);
    assert.equal(event.routeKey, "GET /pets/dog/1");
    assert.equal(
      (event.requestContext as Record<string, unknown>).domainName,
      `${docExample}.execute-api.localhost`,
    );
  });

  it("refuses the default endpoint once it is disabled", async () => {
    const apiId = await createHttpApi(client, {
      integrations: { echo: { IntegrationUri: echo, PayloadFormatVersion: "2.0" } },
      routes: [{ routeKey: "$default", integration: "echo" }],
    });
    await client.send(new UpdateApiCommand({ ApiId: apiId, DisableExecuteApiEndpoint: true }));
    const response = await invoke(stratus.server.port, apiId, { path: "/" });
    assert.equal(response.status, 403);
    assert.deepEqual(json(response), { message: "Forbidden" });
  });
});
