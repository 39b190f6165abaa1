/**
 * The AWS::ApiGatewayV2 providers on a started Stratus: an HTTP API imported from an OpenAPI 3 Body
 * (a Lambda proxy route, as SAM's ServerlessHttpApi carries it) with an auto-deployed `$default`
 * Stage, called over HTTP; a reimport adding a route; an API built from Integration and Route
 * resources with a named stage whose variables change; Authorizer and Deployment; deletes.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  ApiGatewayV2Client,
  GetApiCommand,
  GetAuthorizerCommand,
  GetDeploymentCommand,
  GetRouteCommand,
  GetStageCommand,
} from "@aws-sdk/client-apigatewayv2";
import { CreateBucketCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { apiGatewayProviders } from "../../../../src/services/cloudformation/providers/apigateway/index.ts";
import { apiProvider } from "../../../../src/services/cloudformation/providers/apigatewayv2/api.ts";
import { authorizerProvider } from "../../../../src/services/cloudformation/providers/apigatewayv2/authorizer.ts";
import { deploymentProvider } from "../../../../src/services/cloudformation/providers/apigatewayv2/deployment.ts";
import { apiGatewayV2Providers } from "../../../../src/services/cloudformation/providers/apigatewayv2/index.ts";
import { integrationProvider } from "../../../../src/services/cloudformation/providers/apigatewayv2/integration.ts";
import { routeProvider } from "../../../../src/services/cloudformation/providers/apigatewayv2/route.ts";
import { stageProvider } from "../../../../src/services/cloudformation/providers/apigatewayv2/stage.ts";
import { providerContextFor } from "../../../support/provider-context.ts";
import { useStratus } from "../../../support/stratus.ts";
import { createTestFunction, makeZip, sdkError } from "../../lambda/helpers.ts";

const ECHO_ROUTE = `exports.handler = async (event) => ({
  statusCode: 200,
  headers: { "content-type": "application/json" },
  body: JSON.stringify({ routeKey: event.routeKey, stage: event.requestContext.stage, vars: event.stageVariables || null }),
});
`;

function lambdaUri(region: string, functionArn: string): string {
  return `arn:aws:apigateway:${region}:lambda:path/2015-03-31/functions/${functionArn}/invocations`;
}

function lambdaRoute(uri: string) {
  return {
    get: {
      "x-amazon-apigateway-integration": {
        type: "aws_proxy",
        httpMethod: "POST",
        uri,
        payloadFormatVersion: "2.0",
      },
    },
  };
}

async function invoke(url: string, path: string) {
  const response = await fetch(`${url}/_aws/execute-api/${path}`, { signal: AbortSignal.timeout(60_000) });
  return { status: response.status, text: await response.text() };
}

describe("AWS::ApiGatewayV2 providers", () => {
  const stratus = useStratus({ inMemory: true });
  const context = (type: string, logicalId: string) =>
    providerContextFor(stratus, `AWS::ApiGatewayV2::${type}`, logicalId);
  let functionArn = "";

  async function echoFunction(): Promise<string> {
    if (functionArn === "") {
      const name = await createTestFunction(stratus.lambda(), {
        Code: { ZipFile: makeZip({ "index.js": ECHO_ROUTE }) },
      });
      functionArn = `arn:aws:lambda:${stratus.region}:000000000000:function:${name}`;
    }
    return functionArn;
  }

  it("imports an OpenAPI 3 Body, serves it on an auto-deployed $default stage, reimports and deletes", async () => {
    const client = new ApiGatewayV2Client(stratus.clientConfig());
    const uri = lambdaUri(stratus.region, await echoFunction());
    const body = {
      openapi: "3.0.1",
      info: { title: "http-from-body", version: "1" },
      paths: { "/hello": lambdaRoute(uri) },
    };
    const apiContext = context("Api", "HttpApi");
    const apiProps = {
      Body: body,
      CorsConfiguration: { AllowOrigins: ["https://example.com"], MaxAge: "300" },
      Tags: { app: "demo" },
    };
    const api = await apiProvider.create(apiContext, apiProps);
    const apiId = api.physicalId;
    assert.equal(api.attributes.ApiId, apiId);
    assert.match(
      String(api.attributes.ApiEndpoint),
      new RegExp(`^http://${apiId}\\.execute-api\\.localhost`),
    );
    const described = await client.send(new GetApiCommand({ ApiId: apiId }));
    assert.equal(described.Name, "http-from-body");
    assert.equal(described.ProtocolType, "HTTP");
    assert.deepEqual(described.CorsConfiguration?.AllowOrigins, ["https://example.com"]);
    assert.equal(described.CorsConfiguration?.MaxAge, 300);
    assert.deepEqual(described.Tags, { app: "demo" });

    const stageContext = context("Stage", "DefaultStage");
    const stageProps = { ApiId: apiId, StageName: "$default", AutoDeploy: "true" };
    const stage = await stageProvider.create(stageContext, stageProps);
    assert.equal(stage.physicalId, "$default");
    const hello = await invoke(stratus.url, `${apiId}/hello`);
    assert.equal(hello.status, 200, hello.text);
    assert.equal(JSON.parse(hello.text).routeKey, "GET /hello");
    assert.equal((await invoke(stratus.url, `${apiId}/bye`)).status, 404);

    // A new route in the document: ReimportApi, and the auto-deployed stage serves it at once.
    const nextBody = { ...body, paths: { ...body.paths, "/bye": lambdaRoute(uri) } };
    const nextProps = { ...apiProps, Body: nextBody, Description: "two routes" };
    await apiProvider.update?.(apiContext, { ...api, properties: apiProps }, nextProps);
    const bye = await invoke(stratus.url, `${apiId}/bye`);
    assert.equal(bye.status, 200, bye.text);
    assert.equal(JSON.parse(bye.text).routeKey, "GET /bye");
    const updated = await client.send(new GetApiCommand({ ApiId: apiId }));
    assert.equal(updated.Description, "two routes");
    assert.equal(updated.CorsConfiguration?.MaxAge, 300);

    // CORS and tags dropped from the template are dropped from the API.
    const bare = { Body: nextBody, Description: "two routes" };
    await apiProvider.update?.(apiContext, { ...api, properties: nextProps }, bare);
    const bareApi = await client.send(new GetApiCommand({ ApiId: apiId }));
    assert.equal(bareApi.CorsConfiguration, undefined);
    assert.deepEqual(bareApi.Tags ?? {}, {});

    await stageProvider.delete(stageContext, { ...stage, properties: stageProps });
    await apiProvider.delete(apiContext, { ...api, properties: bare });
    const gone = await sdkError(client.send(new GetApiCommand({ ApiId: apiId })));
    assert.equal(gone.name, "NotFoundException");
    await apiProvider.delete(apiContext, { ...api, properties: bare });
    client.destroy();
  });

  it("builds an API from Integration, Route, Stage and Deployment resources and updates them", async () => {
    const client = new ApiGatewayV2Client(stratus.clientConfig());
    const api = await apiProvider.create(context("Api", "Parts"), { Name: "parts", ProtocolType: "HTTP" });
    const apiId = api.physicalId;
    const integrationProps = {
      ApiId: apiId,
      IntegrationType: "AWS_PROXY",
      IntegrationUri: await echoFunction(),
      PayloadFormatVersion: "2.0",
      TimeoutInMillis: "10000",
    };
    const integration = await integrationProvider.create(context("Integration", "Fn"), integrationProps);
    assert.equal(integration.attributes.IntegrationId, integration.physicalId);
    const routeContext = context("Route", "GetItems");
    const routeProps = {
      ApiId: apiId,
      RouteKey: "GET /items",
      Target: `integrations/${integration.physicalId}`,
    };
    const route = await routeProvider.create(routeContext, routeProps);
    assert.equal(route.attributes.RouteId, route.physicalId);

    const stageContext = context("Stage", "Live");
    const stageProps = {
      ApiId: apiId,
      StageName: "live",
      AutoDeploy: true,
      StageVariables: { color: "red" },
      DefaultRouteSettings: { ThrottlingBurstLimit: "20", ThrottlingRateLimit: "10" },
    };
    const stage = await stageProvider.create(stageContext, stageProps);
    const first = await invoke(stratus.url, `${apiId}/live/items`);
    assert.equal(first.status, 200, first.text);
    assert.deepEqual(JSON.parse(first.text), {
      routeKey: "GET /items",
      stage: "live",
      vars: { color: "red" },
    });

    // A stage variable changes in place.
    const stageUpdate = { ...stageProps, StageVariables: { color: "blue" } };
    await stageProvider.update?.(stageContext, { ...stage, properties: stageProps }, stageUpdate);
    const stored = await client.send(new GetStageCommand({ ApiId: apiId, StageName: "live" }));
    assert.deepEqual(stored.StageVariables, { color: "blue" });
    assert.equal(stored.DefaultRouteSettings?.ThrottlingBurstLimit, 20);
    assert.deepEqual(JSON.parse((await invoke(stratus.url, `${apiId}/live/items`)).text).vars, {
      color: "blue",
    });

    // The route key changes in place (same route id), and the auto-deployed stage follows.
    const routeUpdate = { ...routeProps, RouteKey: "GET /things" };
    await routeProvider.update?.(routeContext, { ...route, properties: routeProps }, routeUpdate);
    assert.equal(
      (await client.send(new GetRouteCommand({ ApiId: apiId, RouteId: route.physicalId }))).RouteKey,
      "GET /things",
    );
    assert.equal((await invoke(stratus.url, `${apiId}/live/things`)).status, 200);

    // A JWT authorizer, then a route that uses it.
    const authorizerContext = context("Authorizer", "Jwt");
    const authorizerProps = {
      ApiId: apiId,
      Name: "jwt",
      AuthorizerType: "JWT",
      IdentitySource: ["$request.header.Authorization"],
      JwtConfiguration: { Audience: ["app"], Issuer: "https://issuer.example.com" },
    };
    const authorizer = await authorizerProvider.create(authorizerContext, authorizerProps);
    assert.equal(authorizer.attributes.AuthorizerId, authorizer.physicalId);
    const authorizerUpdate = {
      ...authorizerProps,
      JwtConfiguration: { Audience: ["app", "cli"], Issuer: "https://issuer.example.com" },
    };
    await authorizerProvider.update?.(
      authorizerContext,
      { ...authorizer, properties: authorizerProps },
      authorizerUpdate,
    );
    const storedAuthorizer = await client.send(
      new GetAuthorizerCommand({ ApiId: apiId, AuthorizerId: authorizer.physicalId }),
    );
    assert.deepEqual(storedAuthorizer.JwtConfiguration?.Audience, ["app", "cli"]);
    const secured = { ...routeUpdate, AuthorizationType: "JWT", AuthorizerId: authorizer.physicalId };
    await routeProvider.update?.(routeContext, { ...route, properties: routeUpdate }, secured);
    assert.equal((await invoke(stratus.url, `${apiId}/live/things`)).status, 401);

    // A manual deployment to a stage without auto-deploy.
    const manual = await stageProvider.create(context("Stage", "Manual"), {
      ApiId: apiId,
      StageName: "manual",
    });
    const deploymentContext = context("Deployment", "Deploy");
    const deploymentProps = { ApiId: apiId, StageName: "manual", Description: "first" };
    const deployment = await deploymentProvider.create(deploymentContext, deploymentProps);
    assert.equal(deployment.attributes.DeploymentId, deployment.physicalId);
    assert.equal(
      (await client.send(new GetStageCommand({ ApiId: apiId, StageName: "manual" }))).DeploymentId,
      deployment.physicalId,
    );
    await deploymentProvider.update?.(
      deploymentContext,
      { ...deployment, properties: deploymentProps },
      { ...deploymentProps, Description: "renamed" },
    );
    const storedDeployment = await client.send(
      new GetDeploymentCommand({ ApiId: apiId, DeploymentId: deployment.physicalId }),
    );
    assert.equal(storedDeployment.Description, "renamed");

    // Deletes, each tolerating a second attempt.
    await stageProvider.delete(context("Stage", "Manual"), {
      ...manual,
      properties: { ApiId: apiId, StageName: "manual" },
    });
    await deploymentProvider.delete(deploymentContext, { ...deployment, properties: deploymentProps });
    await deploymentProvider.delete(deploymentContext, { ...deployment, properties: deploymentProps });
    assert.equal(
      (
        await sdkError(
          client.send(new GetDeploymentCommand({ ApiId: apiId, DeploymentId: deployment.physicalId })),
        )
      ).name,
      "NotFoundException",
    );
    await routeProvider.delete(routeContext, { ...route, properties: secured });
    assert.equal(
      (await sdkError(client.send(new GetRouteCommand({ ApiId: apiId, RouteId: route.physicalId })))).name,
      "NotFoundException",
    );
    await routeProvider.delete(routeContext, { ...route, properties: secured });
    await authorizerProvider.delete(authorizerContext, { ...authorizer, properties: authorizerUpdate });
    await integrationProvider.delete(context("Integration", "Fn"), {
      ...integration,
      properties: integrationProps,
    });
    await stageProvider.delete(stageContext, { ...stage, properties: stageUpdate });
    await apiProvider.delete(context("Api", "Parts"), {
      ...api,
      properties: { Name: "parts", ProtocolType: "HTTP" },
    });
    assert.equal(
      (await sdkError(client.send(new GetApiCommand({ ApiId: apiId })))).name,
      "NotFoundException",
    );
    client.destroy();
  });

  it("creates a WebSocket API and an HTTP API from BodyS3Location", async () => {
    const client = new ApiGatewayV2Client(stratus.clientConfig());
    const ws = await apiProvider.create(context("Api", "Ws"), {
      Name: "sockets",
      ProtocolType: "WEBSOCKET",
      RouteSelectionExpression: "$request.body.action",
    });
    assert.match(String(ws.attributes.ApiEndpoint), /^ws:\/\//);
    assert.equal(
      (await client.send(new GetApiCommand({ ApiId: ws.physicalId }))).RouteSelectionExpression,
      "$request.body.action",
    );

    const s3 = stratus.s3();
    await s3.send(new CreateBucketCommand({ Bucket: "http-docs" }));
    const document = {
      openapi: "3.0.1",
      info: { title: "from-s3", version: "1" },
      paths: { "/s3": lambdaRoute(lambdaUri(stratus.region, await echoFunction())) },
    };
    await s3.send(
      new PutObjectCommand({ Bucket: "http-docs", Key: "api.json", Body: JSON.stringify(document) }),
    );
    const api = await apiProvider.create(context("Api", "FromS3"), {
      BodyS3Location: { Bucket: "http-docs", Key: "api.json" },
      Name: "renamed",
    });
    assert.equal((await client.send(new GetApiCommand({ ApiId: api.physicalId }))).Name, "renamed");
    await stageProvider.create(context("Stage", "S3Default"), {
      ApiId: api.physicalId,
      StageName: "$default",
      AutoDeploy: true,
    });
    const answer = await invoke(stratus.url, `${api.physicalId}/s3`);
    assert.equal(answer.status, 200, answer.text);
    client.destroy();
  });

  it("registers every provider under its CloudFormation type name", () => {
    assert.deepEqual(Object.keys(apiGatewayV2Providers).sort(), [
      "AWS::ApiGatewayV2::Api",
      "AWS::ApiGatewayV2::ApiMapping",
      "AWS::ApiGatewayV2::Authorizer",
      "AWS::ApiGatewayV2::Deployment",
      "AWS::ApiGatewayV2::DomainName",
      "AWS::ApiGatewayV2::Integration",
      "AWS::ApiGatewayV2::Route",
      "AWS::ApiGatewayV2::Stage",
    ]);
    assert.equal(apiGatewayV2Providers["AWS::ApiGatewayV2::Api"], apiProvider);
    assert.deepEqual(Object.keys(apiGatewayProviders).sort(), [
      "AWS::ApiGateway::Account",
      "AWS::ApiGateway::ApiKey",
      "AWS::ApiGateway::Authorizer",
      "AWS::ApiGateway::BasePathMapping",
      "AWS::ApiGateway::Deployment",
      "AWS::ApiGateway::DomainName",
      "AWS::ApiGateway::GatewayResponse",
      "AWS::ApiGateway::Method",
      "AWS::ApiGateway::Model",
      "AWS::ApiGateway::RequestValidator",
      "AWS::ApiGateway::Resource",
      "AWS::ApiGateway::RestApi",
      "AWS::ApiGateway::Stage",
      "AWS::ApiGateway::UsagePlan",
      "AWS::ApiGateway::UsagePlanKey",
    ]);
  });

  it("quick-creates an API from Target and reports ProtocolType as create-only", async () => {
    const client = new ApiGatewayV2Client(stratus.clientConfig());
    const api = await apiProvider.create(context("Api", "Quick"), {
      Name: "quick",
      ProtocolType: "HTTP",
      Target: await echoFunction(),
    });
    const answer = await invoke(stratus.url, `${api.physicalId}/anything`);
    assert.equal(answer.status, 200, answer.text);
    assert.equal(JSON.parse(answer.text).routeKey, "$default");
    assert.deepEqual(apiProvider.replaceOn, ["ProtocolType"]);
    await apiProvider.delete(context("Api", "Quick"), { ...api, properties: {} });
    assert.equal(
      (await sdkError(client.send(new GetApiCommand({ ApiId: api.physicalId })))).name,
      "NotFoundException",
    );
    client.destroy();
  });
});
