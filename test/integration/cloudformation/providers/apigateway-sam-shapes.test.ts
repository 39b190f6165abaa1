/**
 * The resources SAM's transform makes for `Api` and `HttpApi` events (aws-sam-translator's output for
 * a function with one event of each, intrinsics resolved as the engine would), driven through the
 * providers in CloudFormation's order: ServerlessRestApi, its hashed Deployment (StageName "Stage")
 * and the "Prod" Stage; ServerlessHttpApi and its `$default` stage. Both serve the function; a changed
 * document deploys through a new Deployment; the stack's delete order leaves nothing behind.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { APIGatewayClient, GetRestApiCommand, GetStagesCommand } from "@aws-sdk/client-api-gateway";
import { ApiGatewayV2Client, GetApiCommand, GetStageCommand } from "@aws-sdk/client-apigatewayv2";
import { deploymentProvider } from "../../../../src/services/cloudformation/providers/apigateway/deployment.ts";
import { restApiProvider } from "../../../../src/services/cloudformation/providers/apigateway/rest-api.ts";
import { stageProvider } from "../../../../src/services/cloudformation/providers/apigateway/stage.ts";
import { apiProvider as httpApiProvider } from "../../../../src/services/cloudformation/providers/apigatewayv2/api.ts";
import { stageProvider as httpStageProvider } from "../../../../src/services/cloudformation/providers/apigatewayv2/stage.ts";
import { providerContextFor } from "../../../support/provider-context.ts";
import { useStratus } from "../../../support/stratus.ts";
import { createTestFunction, makeZip, sdkError } from "../../lambda/helpers.ts";

const HANDLER = `exports.handler = async (event) => ({
  statusCode: 200,
  body: JSON.stringify({ path: event.path || event.rawPath }),
});
`;

/** ServerlessRestApi's Body as SAM writes it, for these paths. */
function restBody(stackName: string, uri: string, paths: string[]) {
  const routes: Record<string, unknown> = {};
  for (const path of paths) {
    routes[path] = {
      get: {
        "x-amazon-apigateway-integration": { httpMethod: "POST", type: "aws_proxy", uri },
        responses: {},
      },
    };
  }
  return { info: { version: "1.0", title: stackName }, paths: routes, swagger: "2.0" };
}

describe("SAM's API resources through the providers", () => {
  const stratus = useStratus({ inMemory: true });

  it("deploys, redeploys and deletes ServerlessRestApi and ServerlessHttpApi", async () => {
    const apigw = new APIGatewayClient(stratus.clientConfig());
    const v2 = new ApiGatewayV2Client(stratus.clientConfig());
    const name = await createTestFunction(stratus.lambda(), {
      Code: { ZipFile: makeZip({ "index.js": HANDLER }) },
    });
    const arn = `arn:aws:lambda:${stratus.region}:000000000000:function:${name}`;
    const uri = `arn:aws:apigateway:${stratus.region}:lambda:path/2015-03-31/functions/${arn}/invocations`;
    const ctx = (type: string, logicalId: string) => providerContextFor(stratus, type, logicalId, "sam-app");

    const restProps = { Body: restBody("sam-app", uri, ["/hello"]) };
    const rest = await restApiProvider.create(
      ctx("AWS::ApiGateway::RestApi", "ServerlessRestApi"),
      restProps,
    );
    const restApiId = rest.physicalId;
    assert.equal((await apigw.send(new GetRestApiCommand({ restApiId }))).name, "sam-app");
    const deploymentProps = {
      Description: "RestApi deployment id: 3cc7",
      RestApiId: restApiId,
      StageName: "Stage",
    };
    const deploymentContext = ctx("AWS::ApiGateway::Deployment", "ServerlessRestApiDeployment3cc7c7b91f");
    const deployment = await deploymentProvider.create(deploymentContext, deploymentProps);
    const prodContext = ctx("AWS::ApiGateway::Stage", "ServerlessRestApiProdStage");
    const prodProps = { DeploymentId: deployment.physicalId, RestApiId: restApiId, StageName: "Prod" };
    const prod = await stageProvider.create(prodContext, prodProps);
    for (const stage of ["Prod", "Stage"]) {
      const response = await fetch(`${stratus.url}/_aws/execute-api/${restApiId}/${stage}/hello`, {
        signal: AbortSignal.timeout(60_000),
      });
      assert.equal(response.status, 200, stage);
      assert.deepEqual(await response.json(), { path: "/hello" });
    }

    const httpProps = {
      Body: {
        info: { version: "1.0", title: "sam-app" },
        paths: {
          "/hi": {
            get: {
              "x-amazon-apigateway-integration": {
                httpMethod: "POST",
                type: "aws_proxy",
                uri,
                payloadFormatVersion: "2.0",
              },
              responses: {},
            },
          },
        },
        openapi: "3.0.1",
        tags: [{ name: "httpapi:createdBy", "x-amazon-apigateway-tag-value": "SAM" }],
      },
    };
    const http = await httpApiProvider.create(ctx("AWS::ApiGatewayV2::Api", "ServerlessHttpApi"), httpProps);
    const httpStageProps = {
      ApiId: http.physicalId,
      StageName: "$default",
      Tags: { "httpapi:createdBy": "SAM" },
      AutoDeploy: "true",
    };
    const httpStageContext = ctx("AWS::ApiGatewayV2::Stage", "ServerlessHttpApiApiGatewayDefaultStage");
    const httpStage = await httpStageProvider.create(httpStageContext, httpStageProps);
    const stored = await v2.send(new GetStageCommand({ ApiId: http.physicalId, StageName: "$default" }));
    assert.deepEqual(stored.Tags, { "httpapi:createdBy": "SAM" });
    const hi = await fetch(`${stratus.url}/_aws/execute-api/${http.physicalId}/hi`, {
      signal: AbortSignal.timeout(60_000),
    });
    assert.equal(hi.status, 200);
    assert.deepEqual(await hi.json(), { path: "/hi" });

    // `sam deploy` of a changed document: the RestApi updates, a Deployment with a new hashed logical id
    // is created (moving stage "Stage"), Prod moves to it, and the old Deployment is cleaned up.
    const nextRestProps = { Body: restBody("sam-app", uri, ["/hello", "/goodbye"]) };
    await restApiProvider.update?.(
      ctx("AWS::ApiGateway::RestApi", "ServerlessRestApi"),
      { ...rest, properties: restProps },
      nextRestProps,
    );
    const nextDeploymentProps = { ...deploymentProps, Description: "RestApi deployment id: 9ab0" };
    const nextDeploymentContext = ctx("AWS::ApiGateway::Deployment", "ServerlessRestApiDeployment9ab0d1e2f3");
    const nextDeployment = await deploymentProvider.create(nextDeploymentContext, nextDeploymentProps);
    const nextProdProps = { ...prodProps, DeploymentId: nextDeployment.physicalId };
    await stageProvider.update?.(prodContext, { ...prod, properties: prodProps }, nextProdProps);
    await deploymentProvider.delete(deploymentContext, { ...deployment, properties: deploymentProps });
    const stages = await apigw.send(new GetStagesCommand({ restApiId }));
    assert.deepEqual((stages.item ?? []).map((s) => [s.stageName, s.deploymentId]).sort(), [
      ["Prod", nextDeployment.physicalId],
      ["Stage", nextDeployment.physicalId],
    ]);
    const goodbye = await fetch(`${stratus.url}/_aws/execute-api/${restApiId}/Prod/goodbye`, {
      signal: AbortSignal.timeout(60_000),
    });
    assert.equal(goodbye.status, 200);

    // Stack delete, dependents first.
    await httpStageProvider.delete(httpStageContext, { ...httpStage, properties: httpStageProps });
    await httpApiProvider.delete(ctx("AWS::ApiGatewayV2::Api", "ServerlessHttpApi"), {
      ...http,
      properties: httpProps,
    });
    await stageProvider.delete(prodContext, { ...prod, properties: nextProdProps });
    await deploymentProvider.delete(nextDeploymentContext, {
      ...nextDeployment,
      properties: nextDeploymentProps,
    });
    assert.deepEqual((await apigw.send(new GetStagesCommand({ restApiId }))).item ?? [], []);
    await restApiProvider.delete(ctx("AWS::ApiGateway::RestApi", "ServerlessRestApi"), {
      ...rest,
      properties: nextRestProps,
    });
    assert.equal(
      (await sdkError(apigw.send(new GetRestApiCommand({ restApiId })))).name,
      "NotFoundException",
    );
    assert.equal(
      (await sdkError(v2.send(new GetApiCommand({ ApiId: http.physicalId })))).name,
      "NotFoundException",
    );
    apigw.destroy();
    v2.destroy();
  });
});
