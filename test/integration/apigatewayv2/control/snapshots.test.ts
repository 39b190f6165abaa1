/**
 * The seam the data plane reads (src/services/apigatewayv2/snapshot.ts), in process: the control plane's
 * operations are called through their restJson handlers over an in-memory store, then stageSnapshot and
 * stages are looked up as the data plane will.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { RequestContext } from "../../../../src/aws/context.ts";
import { loadModel } from "../../../../src/aws/models/index.ts";
import { httpApiControlPlane } from "../../../../src/services/apigatewayv2/control/control-plane.ts";
import { lookupApiId } from "../../../../src/services/execute-api/api-ids.ts";
import type { ApiGatewayParts } from "../../../../src/services/execute-api/parts.ts";
import type { ServiceRequest } from "../../../../src/services/service.ts";
import { openMemoryStore } from "../../../../src/storage/memory-engine.ts";
import { LAMBDA_ARN } from "./helpers.ts";

const ACCOUNT = "111122223333";
const REGION = "eu-west-1";

function setup() {
  const storage = openMemoryStore();
  const parts = { deps: { storage }, model: loadModel("apigatewayv2") } as unknown as ApiGatewayParts;
  const control = httpApiControlPlane(parts);
  const context: RequestContext = {
    requestId: "r",
    accountId: ACCOUNT,
    region: REGION,
    accessKeyId: "test",
    receivedAt: new Date(),
    clock: { now: () => new Date() },
  };
  async function call(operation: string, pathParams: Record<string, string>, body?: unknown) {
    const request: ServiceRequest = {
      operation,
      context,
      method: "POST",
      path: "/",
      pathParams,
      query: new Map(),
      headers: { host: "127.0.0.1:4566" },
      body: Buffer.from(body === undefined ? "" : JSON.stringify(body)),
    };
    const handler = control.operations[operation];
    assert.ok(handler, operation);
    const response = await handler(request);
    return response.body as Record<string, unknown>;
  }
  return { storage, control, call };
}

describe("apigatewayv2 stage snapshots", () => {
  it("serves the deployment a stage points to, frozen, with the live API record", async () => {
    const { storage, control, call } = setup();
    const api = await call(
      "CreateApi",
      {},
      { name: "snap", protocolType: "HTTP", target: LAMBDA_ARN, routeKey: "GET /a" },
    );
    const apiId = String(api.apiId);
    assert.equal(api.apiEndpoint, `http://${apiId}.execute-api.localhost:4566`);
    assert.deepEqual(await lookupApiId(storage, apiId), { accountId: ACCOUNT, region: REGION, kind: "http" });

    const first = await control.snapshots.stageSnapshot(storage, ACCOUNT, REGION, apiId, "$default");
    assert.ok(first);
    assert.equal(first.routes.length, 1);
    assert.equal(first.routes[0]?.routeKey, "GET /a");
    const integrationId = first.routes[0]?.target?.replace("integrations/", "") ?? "";
    assert.equal(first.integrations[integrationId]?.payloadFormatVersion, "2.0");
    assert.equal(first.stage.deploymentId, first.deploymentId);

    // A manual stage serves nothing until deployed, then keeps its snapshot while the API changes.
    await call("CreateStage", { apiId }, { stageName: "v1" });
    assert.equal(await control.snapshots.stageSnapshot(storage, ACCOUNT, REGION, apiId, "v1"), undefined);
    await call("CreateDeployment", { apiId }, { stageName: "v1" });
    await call("CreateRoute", { apiId }, { routeKey: "POST /b", target: `integrations/${integrationId}` });
    const v1 = await control.snapshots.stageSnapshot(storage, ACCOUNT, REGION, apiId, "v1");
    assert.deepEqual(
      v1?.routes.map((r) => r.routeKey),
      ["GET /a"],
    );
    // The auto-deploy $default stage already serves the new route.
    const auto = await control.snapshots.stageSnapshot(storage, ACCOUNT, REGION, apiId, "$default");
    assert.deepEqual(auto?.routes.map((r) => r.routeKey).sort(), ["GET /a", "POST /b"]);
    // CORS is read live from the API.
    await call("UpdateApi", { apiId }, { corsConfiguration: { allowOrigins: ["*"] } });
    const withCors = await control.snapshots.stageSnapshot(storage, ACCOUNT, REGION, apiId, "v1");
    assert.deepEqual(withCors?.api.corsConfiguration, { allowOrigins: ["*"] });

    for (const stage of ["$default", "v1"]) {
      assert.equal(await control.snapshots.hasStage(storage, ACCOUNT, REGION, apiId, stage), true);
    }
    assert.equal(await control.snapshots.hasStage(storage, ACCOUNT, REGION, apiId, "nope"), false);
    assert.equal(await control.snapshots.stageSnapshot(storage, ACCOUNT, REGION, apiId, "nope"), undefined);
    assert.equal(
      await control.snapshots.stageSnapshot(storage, "000000000000", REGION, apiId, "v1"),
      undefined,
    );

    await call("DeleteApi", { apiId });
    assert.equal(await lookupApiId(storage, apiId), undefined);
    assert.equal(await control.snapshots.hasStage(storage, ACCOUNT, REGION, apiId, "v1"), false);
  });
});
