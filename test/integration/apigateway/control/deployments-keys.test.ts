/**
 * Deployments and stages (and the snapshots the data plane serves from), API keys, usage plans and
 * tags. A deployment freezes the API: later edits show in `currentSnapshot`, not in the stage's.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  CreateApiKeyCommand,
  CreateDeploymentCommand,
  CreateStageCommand,
  CreateUsagePlanCommand,
  CreateUsagePlanKeyCommand,
  DeleteApiKeyCommand,
  DeleteDeploymentCommand,
  DeleteStageCommand,
  DeleteUsagePlanKeyCommand,
  GetAccountCommand,
  GetApiKeyCommand,
  GetApiKeysCommand,
  GetDeploymentsCommand,
  GetStageCommand,
  GetStagesCommand,
  GetTagsCommand,
  GetUsagePlanKeysCommand,
  GetUsagePlansCommand,
  PutIntegrationCommand,
  PutMethodCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateAccountCommand,
  UpdateApiKeyCommand,
  UpdateStageCommand,
  UpdateUsagePlanCommand,
} from "@aws-sdk/client-api-gateway";
import { restApiSnapshots } from "../../../../src/services/apigateway/control/snapshots.ts";
import { useStratus } from "../../../support/stratus.ts";
import { accountOf, apigateway, newApi, rejects, uniqueName } from "./helpers.ts";

async function mockApi(client: ReturnType<typeof apigateway>) {
  const { apiId, rootId } = await newApi(client);
  const ids = { restApiId: apiId, resourceId: rootId, httpMethod: "GET" };
  await client.send(new PutMethodCommand({ ...ids, authorizationType: "NONE" }));
  await client.send(new PutIntegrationCommand({ ...ids, type: "MOCK" }));
  return { apiId, rootId, ids };
}

describe("Deployments and stages", () => {
  const stratus = useStratus({ inMemory: true });

  it("refuses to deploy an API without methods or integrations", async () => {
    const client = apigateway(stratus);
    const { apiId, rootId } = await newApi(client);
    await rejects(
      client.send(new CreateDeploymentCommand({ restApiId: apiId, stageName: "dev" })),
      "BadRequestException",
      "The REST API doesn't contain any methods",
      400,
    );
    await client.send(
      new PutMethodCommand({
        restApiId: apiId,
        resourceId: rootId,
        httpMethod: "GET",
        authorizationType: "NONE",
      }),
    );
    await rejects(
      client.send(new CreateDeploymentCommand({ restApiId: apiId, stageName: "dev" })),
      "BadRequestException",
      "No integration defined for method",
      400,
    );
  });

  it("deploys to a stage, freezes the configuration and serves it through the snapshots", async () => {
    const client = apigateway(stratus);
    const account = await accountOf(stratus);
    const { apiId, ids } = await mockApi(client);
    const deployment = await client.send(
      new CreateDeploymentCommand({
        restApiId: apiId,
        stageName: "dev",
        description: "first",
        variables: { a: "1" },
      }),
    );
    assert.equal(deployment.$metadata.httpStatusCode, 201);
    assert.equal(deployment.description, "first");
    assert.ok(deployment.createdDate instanceof Date);
    const stage = await client.send(new GetStageCommand({ restApiId: apiId, stageName: "dev" }));
    assert.equal(stage.deploymentId, deployment.id);
    assert.equal(stage.cacheClusterEnabled, false);
    assert.equal(stage.cacheClusterStatus, "NOT_AVAILABLE");
    assert.equal(stage.tracingEnabled, false);
    assert.deepEqual(stage.methodSettings, {});
    assert.deepEqual(stage.variables, { a: "1" });

    // Edits after the deployment are not served until deployed again.
    await client.send(new PutMethodCommand({ ...ids, httpMethod: "POST", authorizationType: "NONE" }));
    await client.send(new PutIntegrationCommand({ ...ids, httpMethod: "POST", type: "MOCK" }));
    const storage = stratus.server.storage;
    const served = await restApiSnapshots.stageSnapshot(storage, account, stratus.region, apiId, "dev");
    assert.equal(served?.stage.deploymentId, deployment.id);
    assert.deepEqual(Object.keys(served?.deployment.resources[0]?.resourceMethods ?? {}), ["GET"]);
    assert.equal(served?.deployment.resources[0]?.path, "/");
    assert.equal(served?.deployment.resources[0]?.resourceMethods?.GET?.methodIntegration?.type, "MOCK");
    assert.ok(served?.deployment.models.Empty);
    const current = await restApiSnapshots.currentSnapshot(storage, account, stratus.region, apiId);
    assert.deepEqual(Object.keys(current?.resources[0]?.resourceMethods ?? {}).sort(), ["GET", "POST"]);
    assert.equal(
      await restApiSnapshots.stageSnapshot(storage, account, stratus.region, apiId, "nope"),
      undefined,
    );

    const second = await client.send(new CreateDeploymentCommand({ restApiId: apiId }));
    const staged = await client.send(
      new CreateStageCommand({ restApiId: apiId, stageName: "prod", deploymentId: second.id }),
    );
    assert.equal(staged.$metadata.httpStatusCode, 201);
    await rejects(
      client.send(new CreateStageCommand({ restApiId: apiId, stageName: "prod", deploymentId: second.id })),
      "ConflictException",
      "Stage already exists",
      409,
    );
    const prod = await restApiSnapshots.stageSnapshot(storage, account, stratus.region, apiId, "prod");
    assert.deepEqual(Object.keys(prod?.deployment.resources[0]?.resourceMethods ?? {}).sort(), [
      "GET",
      "POST",
    ]);
    const stages = await client.send(new GetStagesCommand({ restApiId: apiId, deploymentId: second.id }));
    assert.deepEqual(
      stages.item?.map((s) => s.stageName),
      ["prod"],
    );
    const deployments = await client.send(new GetDeploymentsCommand({ restApiId: apiId }));
    assert.equal(deployments.items?.length, 2);
    await rejects(
      client.send(new DeleteDeploymentCommand({ restApiId: apiId, deploymentId: second.id })),
      "BadRequestException",
      "Active stages pointing to this deployment must be moved or deleted",
      400,
    );
    await client.send(new DeleteStageCommand({ restApiId: apiId, stageName: "prod" }));
    await rejects(
      client.send(new GetStageCommand({ restApiId: apiId, stageName: "prod" })),
      "NotFoundException",
      "Invalid Stage identifier specified",
      404,
    );
    const removed = await client.send(
      new DeleteDeploymentCommand({ restApiId: apiId, deploymentId: second.id }),
    );
    assert.equal(removed.$metadata.httpStatusCode, 202);
  });

  it("patches stage variables and method settings as AWS keys them", async () => {
    const client = apigateway(stratus);
    const { apiId } = await mockApi(client);
    await client.send(new CreateDeploymentCommand({ restApiId: apiId, stageName: "dev" }));
    const updated = await client.send(
      new UpdateStageCommand({
        restApiId: apiId,
        stageName: "dev",
        patchOperations: [
          { op: "replace", path: "/variables/host", value: "example.com" },
          { op: "replace", path: "/*/*/throttling/rateLimit", value: "5" },
          { op: "replace", path: "/~1pets/GET/throttling/burstLimit", value: "2" },
          { op: "replace", path: "/description", value: "stage" },
        ],
      }),
    );
    assert.deepEqual(updated.variables, { host: "example.com" });
    assert.equal(updated.methodSettings?.["*/*"]?.throttlingRateLimit, 5);
    assert.equal(updated.methodSettings?.["*/*"]?.throttlingBurstLimit, 5000);
    assert.equal(updated.methodSettings?.["~1pets/GET"]?.throttlingBurstLimit, 2);
    assert.equal(updated.description, "stage");
    const removed = await client.send(
      new UpdateStageCommand({
        restApiId: apiId,
        stageName: "dev",
        patchOperations: [
          { op: "remove", path: "/variables/host" },
          { op: "remove", path: "/~1pets/GET" },
        ],
      }),
    );
    assert.equal(removed.variables, undefined);
    assert.deepEqual(Object.keys(removed.methodSettings ?? {}), ["*/*"]);
    await rejects(
      client.send(
        new UpdateStageCommand({
          restApiId: apiId,
          stageName: "dev",
          patchOperations: [{ op: "replace", path: "/nope", value: "x" }],
        }),
      ),
      "BadRequestException",
      "Invalid patch path /nope",
      400,
    );
  });
});

describe("API keys, usage plans and tags", () => {
  const stratus = useStratus({ inMemory: true });

  it("creates keys with generated or given values and shows values only when asked", async () => {
    const client = apigateway(stratus);
    const generated = await client.send(new CreateApiKeyCommand({ name: uniqueName("key"), enabled: true }));
    assert.equal(generated.$metadata.httpStatusCode, 201);
    assert.match(generated.value ?? "", /^[A-Za-z0-9]{40}$/);
    assert.equal(generated.enabled, true);
    const given = await client.send(
      new CreateApiKeyCommand({ name: uniqueName("key"), value: "a".repeat(30) }),
    );
    assert.equal(given.value, "a".repeat(30));
    assert.equal(given.enabled, false);
    await rejects(
      client.send(new CreateApiKeyCommand({ value: "short" })),
      "BadRequestException",
      "API Key value should be at least 20 characters",
      400,
    );
    const hidden = await client.send(new GetApiKeyCommand({ apiKey: generated.id }));
    assert.equal(hidden.value, undefined);
    const shown = await client.send(new GetApiKeyCommand({ apiKey: generated.id, includeValue: true }));
    assert.equal(shown.value, generated.value);
    const listed = await client.send(new GetApiKeysCommand({ includeValues: true }));
    assert.ok(listed.items?.some((k) => k.value === "a".repeat(30)));
    const disabled = await client.send(
      new UpdateApiKeyCommand({
        apiKey: generated.id,
        patchOperations: [{ op: "replace", path: "/enabled", value: "false" }],
      }),
    );
    assert.equal(disabled.enabled, false);
    const account = await accountOf(stratus);
    const byValue = await restApiSnapshots.apiKeyByValue(
      stratus.server.storage,
      account,
      stratus.region,
      generated.value as string,
    );
    assert.equal(byValue?.id, generated.id);
    assert.equal(byValue?.enabled, false);
  });

  it("puts keys in usage plans for a stage and answers them to the data plane", async () => {
    const client = apigateway(stratus);
    const account = await accountOf(stratus);
    const { apiId } = await mockApi(client);
    await client.send(new CreateDeploymentCommand({ restApiId: apiId, stageName: "dev" }));
    const plan = await client.send(
      new CreateUsagePlanCommand({
        name: uniqueName("plan"),
        apiStages: [{ apiId, stage: "dev" }],
        throttle: { rateLimit: 1, burstLimit: 1 },
        quota: { limit: 100, period: "DAY" },
      }),
    );
    assert.equal(plan.$metadata.httpStatusCode, 201);
    assert.deepEqual(plan.quota, { limit: 100, offset: 0, period: "DAY" });
    const key = await client.send(new CreateApiKeyCommand({ name: uniqueName("key"), enabled: true }));
    const planKey = await client.send(
      new CreateUsagePlanKeyCommand({ usagePlanId: plan.id, keyId: key.id, keyType: "API_KEY" }),
    );
    assert.equal(planKey.$metadata.httpStatusCode, 201);
    assert.deepEqual(
      { id: planKey.id, type: planKey.type, value: planKey.value, name: planKey.name },
      { id: key.id, type: "API_KEY", value: key.value, name: key.name },
    );
    const plans = await restApiSnapshots.usagePlansForStage(
      stratus.server.storage,
      account,
      stratus.region,
      apiId,
      "dev",
    );
    assert.equal(plans.length, 1);
    assert.deepEqual(plans[0]?.keyIds, [key.id]);
    assert.deepEqual(plans[0]?.plan.throttle, { burstLimit: 1, rateLimit: 1 });
    const byKey = await client.send(new GetUsagePlansCommand({ keyId: key.id }));
    assert.deepEqual(
      byKey.items?.map((p) => p.id),
      [plan.id],
    );
    const patched = await client.send(
      new UpdateUsagePlanCommand({
        usagePlanId: plan.id,
        patchOperations: [
          { op: "replace", path: "/throttle/rateLimit", value: "10" },
          { op: "remove", path: "/apiStages", value: `${apiId}:dev` },
        ],
      }),
    );
    assert.equal(patched.throttle?.rateLimit, 10);
    assert.deepEqual(patched.apiStages, []);
    await client.send(new DeleteUsagePlanKeyCommand({ usagePlanId: plan.id, keyId: key.id }));
    const keys = await client.send(new GetUsagePlanKeysCommand({ usagePlanId: plan.id }));
    assert.deepEqual(keys.items, []);
    await rejects(
      client.send(new CreateUsagePlanKeyCommand({ usagePlanId: plan.id, keyId: "nope", keyType: "API_KEY" })),
      "NotFoundException",
      "Invalid API Key identifier specified",
      404,
    );
    await client.send(new DeleteApiKeyCommand({ apiKey: key.id }));
    await rejects(
      client.send(new GetApiKeyCommand({ apiKey: key.id })),
      "NotFoundException",
      "Invalid API Key identifier specified",
      404,
    );
  });

  it("keeps the account's CloudWatch role next to AWS's account defaults", async () => {
    const client = apigateway(stratus);
    const before = await client.send(new GetAccountCommand({}));
    assert.deepEqual(before.throttleSettings, { burstLimit: 5000, rateLimit: 10000 });
    assert.equal(before.apiKeyVersion, "4");
    assert.equal(before.cloudwatchRoleArn, undefined);
    const role = "arn:aws:iam::000000000000:role/apigw-logs";
    const updated = await client.send(
      new UpdateAccountCommand({
        patchOperations: [{ op: "replace", path: "/cloudwatchRoleArn", value: role }],
      }),
    );
    assert.equal(updated.cloudwatchRoleArn, role);
    assert.equal((await client.send(new GetAccountCommand({}))).cloudwatchRoleArn, role);
    await rejects(
      client.send(
        new UpdateAccountCommand({ patchOperations: [{ op: "replace", path: "/nope", value: "x" }] }),
      ),
      "BadRequestException",
      "Invalid patch path /nope",
      400,
    );
  });

  it("tags APIs and stages by ARN", async () => {
    const client = apigateway(stratus);
    const { apiId } = await mockApi(client);
    await client.send(new CreateDeploymentCommand({ restApiId: apiId, stageName: "dev" }));
    const apiArn = `arn:aws:apigateway:${stratus.region}::/restapis/${apiId}`;
    const stageArn = `${apiArn}/stages/dev`;
    await client.send(new TagResourceCommand({ resourceArn: apiArn, tags: { a: "1", b: "2" } }));
    await client.send(new TagResourceCommand({ resourceArn: stageArn, tags: { s: "x" } }));
    await client.send(new UntagResourceCommand({ resourceArn: apiArn, tagKeys: ["b"] }));
    assert.deepEqual((await client.send(new GetTagsCommand({ resourceArn: apiArn }))).tags, { a: "1" });
    assert.deepEqual((await client.send(new GetStageCommand({ restApiId: apiId, stageName: "dev" }))).tags, {
      s: "x",
    });
  });
});
