import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  CreateApiCommand,
  CreateDeploymentCommand,
  CreateIntegrationCommand,
  CreateRouteCommand,
  CreateStageCommand,
  DeleteDeploymentCommand,
  DeleteRouteSettingsCommand,
  DeleteStageCommand,
  GetDeploymentCommand,
  GetDeploymentsCommand,
  GetStageCommand,
  GetStagesCommand,
  UpdateRouteCommand,
  UpdateStageCommand,
} from "@aws-sdk/client-apigatewayv2";
import { useStratus } from "../../../support/stratus.ts";
import { accountOf, client, LAMBDA_ARN, rejects } from "./helpers.ts";

describe("apigatewayv2 stages and deployments", () => {
  const stratus = useStratus({ inMemory: true });

  async function apiWithRoute(): Promise<{ ApiId: string; routeId: string; integrationId: string }> {
    const apigw = client(stratus);
    const api = await apigw.send(new CreateApiCommand({ Name: "st", ProtocolType: "HTTP" }));
    const ApiId = api.ApiId ?? "";
    const integration = await apigw.send(
      new CreateIntegrationCommand({
        ApiId,
        IntegrationType: "AWS_PROXY",
        IntegrationUri: LAMBDA_ARN,
        PayloadFormatVersion: "2.0",
      }),
    );
    const route = await apigw.send(
      new CreateRouteCommand({
        ApiId,
        RouteKey: "GET /pets",
        Target: `integrations/${integration.IntegrationId}`,
      }),
    );
    return { ApiId, routeId: route.RouteId ?? "", integrationId: integration.IntegrationId ?? "" };
  }

  it("refuses to deploy an API without routes", async () => {
    const apigw = client(stratus);
    const api = await apigw.send(new CreateApiCommand({ Name: "empty", ProtocolType: "HTTP" }));
    await rejects(
      apigw.send(new CreateDeploymentCommand({ ApiId: api.ApiId })),
      "BadRequestException",
      400,
      "Unable to deploy API because no routes exist in this API",
    );
  });

  it("deploys to a named stage and keeps the old snapshot until the next deployment", async () => {
    const apigw = client(stratus);
    const { ApiId, routeId } = await apiWithRoute();
    const stage = await apigw.send(
      new CreateStageCommand({
        ApiId,
        StageName: "prod",
        StageVariables: { env: "prod" },
        DefaultRouteSettings: { ThrottlingBurstLimit: 10, ThrottlingRateLimit: 5.5 },
        RouteSettings: { "GET /pets": { ThrottlingBurstLimit: 1 } },
      }),
    );
    assert.equal(stage.$metadata.httpStatusCode, 201);
    assert.equal(stage.DeploymentId, undefined);
    assert.deepEqual(stage.StageVariables, { env: "prod" });
    assert.deepEqual(stage.DefaultRouteSettings, {
      DetailedMetricsEnabled: false,
      ThrottlingBurstLimit: 10,
      ThrottlingRateLimit: 5.5,
    });
    const deployment = await apigw.send(
      new CreateDeploymentCommand({ ApiId, StageName: "prod", Description: "first" }),
    );
    assert.equal(deployment.$metadata.httpStatusCode, 201);
    assert.equal(deployment.DeploymentStatus, "DEPLOYED");
    assert.equal(deployment.AutoDeployed, false);
    assert.equal(deployment.Description, "first");
    const pointed = await apigw.send(new GetStageCommand({ ApiId, StageName: "prod" }));
    assert.equal(pointed.DeploymentId, deployment.DeploymentId);
    // A change is not served by a manual stage until it is deployed: the deployment list stays the same.
    await apigw.send(new UpdateRouteCommand({ ApiId, RouteId: routeId, RouteKey: "GET /cats" }));
    const deployments = await apigw.send(new GetDeploymentsCommand({ ApiId }));
    assert.equal(deployments.Items?.length, 1);
    await rejects(
      apigw.send(new DeleteDeploymentCommand({ ApiId, DeploymentId: deployment.DeploymentId })),
      "BadRequestException",
      400,
      "Active stages pointing to this deployment must be moved or deleted",
    );
    await rejects(apigw.send(new CreateStageCommand({ ApiId, StageName: "prod" })), "ConflictException", 409);
    await rejects(
      apigw.send(new UpdateStageCommand({ ApiId, StageName: "prod", RouteSettings: { "GET /nothing": {} } })),
      "NotFoundException",
      404,
      "Unable to find Route by key GET /nothing within the provided RouteSettings",
    );
    await apigw.send(new DeleteRouteSettingsCommand({ ApiId, StageName: "prod", RouteKey: "GET /pets" }));
    assert.deepEqual((await apigw.send(new GetStageCommand({ ApiId, StageName: "prod" }))).RouteSettings, {});
    await apigw.send(new DeleteStageCommand({ ApiId, StageName: "prod" }));
    await apigw.send(new DeleteDeploymentCommand({ ApiId, DeploymentId: deployment.DeploymentId }));
    await rejects(
      apigw.send(new GetDeploymentCommand({ ApiId, DeploymentId: deployment.DeploymentId })),
      "NotFoundException",
      404,
    );
  });

  it("auto-deploys on every route change", async () => {
    const apigw = client(stratus);
    const { ApiId, routeId } = await apiWithRoute();
    const stage = await apigw.send(
      new CreateStageCommand({ ApiId, StageName: "$default", AutoDeploy: true }),
    );
    assert.ok(stage.DeploymentId);
    const first = await apigw.send(new GetDeploymentCommand({ ApiId, DeploymentId: stage.DeploymentId }));
    assert.equal(first.AutoDeployed, true);
    assert.equal(first.Description, "Automatic deployment triggered by changes to the Api configuration");
    await apigw.send(new UpdateRouteCommand({ ApiId, RouteId: routeId, RouteKey: "GET /cats" }));
    const after = await apigw.send(new GetStageCommand({ ApiId, StageName: "$default" }));
    assert.notEqual(after.DeploymentId, stage.DeploymentId);
    assert.equal((await apigw.send(new GetDeploymentsCommand({ ApiId }))).Items?.length, 2);
    await rejects(
      apigw.send(new UpdateStageCommand({ ApiId, StageName: "$default", DeploymentId: stage.DeploymentId })),
      "BadRequestException",
      400,
    );
    const stages = await apigw.send(new GetStagesCommand({ ApiId }));
    assert.deepEqual(
      stages.Items?.map((s) => s.StageName),
      ["$default"],
    );
  });

  it("answers NotFound for unknown stages and APIs", async () => {
    const apigw = client(stratus);
    const { ApiId } = await apiWithRoute();
    await rejects(apigw.send(new GetStageCommand({ ApiId, StageName: "nope" })), "NotFoundException", 404);
    const account = await accountOf(stratus);
    await rejects(
      apigw.send(new GetStagesCommand({ ApiId: "missing000" })),
      "NotFoundException",
      404,
      `Invalid API identifier specified ${account}:missing000`,
    );
  });
});
