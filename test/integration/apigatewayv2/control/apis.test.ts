import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  CreateApiCommand,
  CreateStageCommand,
  DeleteApiCommand,
  DeleteCorsConfigurationCommand,
  GetApiCommand,
  GetApisCommand,
  GetDomainNamesCommand,
  GetIntegrationsCommand,
  GetRoutesCommand,
  GetStageCommand,
  GetTagsCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateApiCommand,
  UpdateRouteCommand,
} from "@aws-sdk/client-apigatewayv2";
import { useStratus } from "../../../support/stratus.ts";
import { accountOf, client, LAMBDA_ARN, rejects } from "./helpers.ts";

describe("apigatewayv2 APIs", () => {
  const stratus = useStratus({ inMemory: true });

  it("creates an HTTP API with AWS's defaults and an invoke endpoint on Stratus's port", async () => {
    const apigw = client(stratus);
    const created = await apigw.send(
      new CreateApiCommand({ Name: "plain", ProtocolType: "HTTP", Tags: { team: "a" } }),
    );
    assert.match(created.ApiId ?? "", /^[a-z0-9]{10}$/);
    assert.equal(created.$metadata.httpStatusCode, 201);
    const port = new URL(stratus.url).port;
    assert.equal(created.ApiEndpoint, `http://${created.ApiId}.execute-api.localhost:${port}`);
    assert.equal(created.RouteSelectionExpression, "$request.method $request.path");
    assert.equal(created.ApiKeySelectionExpression, "$request.header.x-api-key");
    assert.equal(created.DisableExecuteApiEndpoint, false);
    assert.equal(created.IpAddressType, "ipv4");
    assert.ok(created.CreatedDate instanceof Date);
    assert.deepEqual(created.Tags, { team: "a" });
    const got = await apigw.send(new GetApiCommand({ ApiId: created.ApiId }));
    assert.equal(got.Name, "plain");
    assert.equal(got.CreatedDate?.toISOString(), created.CreatedDate?.toISOString());
  });

  it("quick create makes an AWS_PROXY 2.0 integration, a $default route and an auto-deployed $default stage", async () => {
    const apigw = client(stratus);
    const api = await apigw.send(
      new CreateApiCommand({ Name: "quick", ProtocolType: "HTTP", Target: LAMBDA_ARN }),
    );
    const integrations = await apigw.send(new GetIntegrationsCommand({ ApiId: api.ApiId }));
    assert.equal(integrations.Items?.length, 1);
    const integration = integrations.Items?.[0];
    assert.equal(integration?.IntegrationType, "AWS_PROXY");
    assert.equal(integration?.PayloadFormatVersion, "2.0");
    assert.equal(integration?.IntegrationMethod, "POST");
    assert.equal(integration?.IntegrationUri, LAMBDA_ARN);
    assert.equal(integration?.TimeoutInMillis, 30000);
    assert.equal(integration?.ConnectionType, "INTERNET");
    assert.equal(integration?.ApiGatewayManaged, true);
    const routes = await apigw.send(new GetRoutesCommand({ ApiId: api.ApiId }));
    assert.equal(routes.Items?.length, 1);
    assert.equal(routes.Items?.[0]?.RouteKey, "$default");
    assert.equal(routes.Items?.[0]?.Target, `integrations/${integration?.IntegrationId}`);
    assert.equal(routes.Items?.[0]?.AuthorizationType, "NONE");
    const stage = await apigw.send(new GetStageCommand({ ApiId: api.ApiId, StageName: "$default" }));
    assert.equal(stage.AutoDeploy, true);
    assert.equal(stage.ApiGatewayManaged, true);
    assert.match(stage.DeploymentId ?? "", /^[a-z0-9]{6}$/);
    assert.equal(
      stage.LastDeploymentStatusMessage,
      `Successfully deployed stage with deployment ID '${stage.DeploymentId}'`,
    );
    // The managed route's key changes through UpdateApi only, and the change is deployed at once.
    await rejects(
      apigw.send(
        new UpdateRouteCommand({ ApiId: api.ApiId, RouteId: routes.Items?.[0]?.RouteId, RouteKey: "GET /x" }),
      ),
      "BadRequestException",
      400,
    );
    await apigw.send(new UpdateApiCommand({ ApiId: api.ApiId, RouteKey: "GET /x" }));
    const renamed = await apigw.send(new GetRoutesCommand({ ApiId: api.ApiId }));
    assert.equal(renamed.Items?.[0]?.RouteKey, "GET /x");
    const redeployed = await apigw.send(new GetStageCommand({ ApiId: api.ApiId, StageName: "$default" }));
    assert.notEqual(redeployed.DeploymentId, stage.DeploymentId);
  });

  it("quick create with a URL target and a route key makes an HTTP_PROXY integration", async () => {
    const apigw = client(stratus);
    const api = await apigw.send(
      new CreateApiCommand({
        Name: "proxy",
        ProtocolType: "HTTP",
        Target: "https://example.com",
        RouteKey: "GET /pets",
      }),
    );
    const integration = (await apigw.send(new GetIntegrationsCommand({ ApiId: api.ApiId }))).Items?.[0];
    assert.equal(integration?.IntegrationType, "HTTP_PROXY");
    assert.equal(integration?.IntegrationMethod, "ANY");
    assert.equal(integration?.PayloadFormatVersion, "1.0");
    const routes = await apigw.send(new GetRoutesCommand({ ApiId: api.ApiId }));
    assert.equal(routes.Items?.[0]?.RouteKey, "GET /pets");
  });

  it("pages GetApis with string MaxResults and NextToken", async () => {
    const apigw = client(stratus);
    for (const name of ["p1", "p2", "p3"])
      await apigw.send(new CreateApiCommand({ Name: name, ProtocolType: "HTTP" }));
    const all = await apigw.send(new GetApisCommand({}));
    const first = await apigw.send(new GetApisCommand({ MaxResults: "2" }));
    assert.equal(first.Items?.length, 2);
    assert.ok(first.NextToken);
    const rest = await apigw.send(new GetApisCommand({ MaxResults: "100", NextToken: first.NextToken }));
    assert.equal((first.Items?.length ?? 0) + (rest.Items?.length ?? 0), all.Items?.length);
    assert.equal(rest.NextToken, undefined);
  });

  it("updates name and CORS, deletes CORS, and deletes the API", async () => {
    const apigw = client(stratus);
    const api = await apigw.send(new CreateApiCommand({ Name: "upd", ProtocolType: "HTTP" }));
    const updated = await apigw.send(
      new UpdateApiCommand({
        ApiId: api.ApiId,
        Name: "renamed",
        CorsConfiguration: { AllowOrigins: ["https://a.example"], AllowMethods: ["GET"], MaxAge: 300 },
      }),
    );
    assert.equal(updated.Name, "renamed");
    assert.deepEqual(updated.CorsConfiguration, {
      AllowOrigins: ["https://a.example"],
      AllowMethods: ["GET"],
      MaxAge: 300,
    });
    await apigw.send(new DeleteCorsConfigurationCommand({ ApiId: api.ApiId }));
    assert.equal((await apigw.send(new GetApiCommand({ ApiId: api.ApiId }))).CorsConfiguration, undefined);
    const deleted = await apigw.send(new DeleteApiCommand({ ApiId: api.ApiId }));
    assert.equal(deleted.$metadata.httpStatusCode, 204);
    const account = await accountOf(stratus);
    await rejects(
      apigw.send(new GetApiCommand({ ApiId: api.ApiId })),
      "NotFoundException",
      404,
      `Invalid API identifier specified ${account}:${api.ApiId}`,
    );
  });

  it("tags and untags an API by ARN", async () => {
    const apigw = client(stratus);
    const api = await apigw.send(new CreateApiCommand({ Name: "tagged", ProtocolType: "HTTP" }));
    const arn = `arn:aws:apigateway:${stratus.region}::/apis/${api.ApiId}`;
    await apigw.send(new TagResourceCommand({ ResourceArn: arn, Tags: { a: "1", b: "2" } }));
    await apigw.send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: ["a"] }));
    const tags = await apigw.send(new GetTagsCommand({ ResourceArn: arn }));
    assert.deepEqual(tags.Tags, { b: "2" });
    // Stages take tags too, and an unknown stage is a NotFound.
    await apigw.send(new CreateStageCommand({ ApiId: api.ApiId, StageName: "dev", Tags: { s: "1" } }));
    await apigw.send(new TagResourceCommand({ ResourceArn: `${arn}/stages/dev`, Tags: { t: "2" } }));
    assert.deepEqual((await apigw.send(new GetTagsCommand({ ResourceArn: `${arn}/stages/dev` }))).Tags, {
      s: "1",
      t: "2",
    });
    await rejects(
      apigw.send(new GetTagsCommand({ ResourceArn: `${arn}/stages/nope` })),
      "NotFoundException",
      404,
    );
  });

  it("stores WebSocket APIs with their route selection expression and a ws:// endpoint", async () => {
    const apigw = client(stratus);
    const api = await apigw.send(
      new CreateApiCommand({
        Name: "ws",
        ProtocolType: "WEBSOCKET",
        RouteSelectionExpression: "$request.body.action",
      }),
    );
    assert.equal(api.RouteSelectionExpression, "$request.body.action");
    assert.match(api.ApiEndpoint ?? "", /^ws:\/\//);
    await rejects(
      apigw.send(new CreateApiCommand({ Name: "ws", ProtocolType: "WEBSOCKET" })),
      "BadRequestException",
      400,
    );
  });

  it("answers API Gateway's errors for bad input", async () => {
    const apigw = client(stratus);
    await rejects(
      apigw.send(new CreateApiCommand({ Name: "x", ProtocolType: "GRPC" as "HTTP" })),
      "BadRequestException",
      400,
      "Invalid protocol specified. Must be one of [HTTP, WEBSOCKET]",
    );
    await rejects(
      apigw.send(
        new CreateApiCommand({ Name: "x", ProtocolType: "HTTP", CorsConfiguration: { MaxAge: 90000 } }),
      ),
      "BadRequestException",
      400,
    );
    await rejects(apigw.send(new DeleteApiCommand({ ApiId: "nope123456" })), "NotFoundException", 404);
    // Operations Stratus does not build answer the honest not-implemented error.
    await rejects(
      apigw.send(new GetDomainNamesCommand({})),
      "UnknownOperationException",
      404,
      "Stratus does not implement ApiGatewayV2 GetDomainNames yet.",
    );
  });
});
