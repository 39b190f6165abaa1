/**
 * AWS::ApiGateway::RestApi, Deployment and Stage providers on a started Stratus: an API imported from
 * an OpenAPI Body (a MOCK route and a Lambda proxy route, as SAM's ServerlessRestApi carries them),
 * deployed and called over HTTP on its invoke URL; updates of the document (a new route), of a stage
 * variable and of top-level properties; deletes.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  APIGatewayClient,
  GetRestApiCommand,
  GetRestApisCommand,
  GetStageCommand,
} from "@aws-sdk/client-api-gateway";
import { CreateBucketCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { deploymentProvider } from "../../../../src/services/cloudformation/providers/apigateway/deployment.ts";
import { restApiProvider } from "../../../../src/services/cloudformation/providers/apigateway/rest-api.ts";
import { stageProvider } from "../../../../src/services/cloudformation/providers/apigateway/stage.ts";
import { providerContextFor } from "../../../support/provider-context.ts";
import { useStratus } from "../../../support/stratus.ts";
import { createTestFunction, sdkError } from "../../lambda/helpers.ts";

const ECHO_PATH = `exports.handler = async (event) => ({
  statusCode: 200,
  headers: { "content-type": "application/json" },
  body: JSON.stringify({ path: event.path, stage: event.requestContext.stage }),
});
`;

/** A MOCK GET route answering `{"message": "<stage variable greeting>"}`. */
function mockRoute(message: string) {
  return {
    get: {
      responses: { "200": { description: "ok" } },
      "x-amazon-apigateway-integration": {
        type: "mock",
        requestTemplates: { "application/json": '{"statusCode": 200}' },
        responses: { default: { statusCode: "200", responseTemplates: { "application/json": message } } },
      },
    },
  };
}

function lambdaRoute(region: string, functionArn: string) {
  return {
    get: {
      "x-amazon-apigateway-integration": {
        type: "aws_proxy",
        httpMethod: "POST",
        uri: `arn:aws:apigateway:${region}:lambda:path/2015-03-31/functions/${functionArn}/invocations`,
      },
    },
  };
}

async function invoke(url: string, apiId: string, stage: string, path: string) {
  const response = await fetch(`${url}/_aws/execute-api/${apiId}/${stage}/${path}`, {
    signal: AbortSignal.timeout(60_000),
  });
  return { status: response.status, text: await response.text() };
}

describe("AWS::ApiGateway::RestApi from an OpenAPI Body", () => {
  const stratus = useStratus({ inMemory: true });

  it("imports the routes, deploys them to a stage and serves them; updates and deletes", async () => {
    const apigw = new APIGatewayClient(stratus.clientConfig());
    const functionName = await createTestFunction(stratus.lambda(), {
      Code: { ZipFile: (await import("../../lambda/helpers.ts")).makeZip({ "index.js": ECHO_PATH }) },
    });
    const functionArn = `arn:aws:lambda:${stratus.region}:000000000000:function:${functionName}`;
    const body = {
      swagger: "2.0",
      info: { title: "from-body", version: "1.0" },
      paths: {
        "/hello": mockRoute('{"message": "$stageVariables.greeting"}'),
        "/fn": lambdaRoute(stratus.region, functionArn),
      },
    };
    const apiContext = providerContextFor(stratus, "AWS::ApiGateway::RestApi", "Api");
    const api = await restApiProvider.create(apiContext, {
      Body: body,
      Description: "made by a template",
      MinimumCompressionSize: "1024",
    });
    const apiId = api.physicalId;
    const described = await apigw.send(new GetRestApiCommand({ restApiId: apiId }));
    assert.equal(described.name, "from-body");
    assert.equal(described.description, "made by a template");
    assert.equal(described.minimumCompressionSize, 1024);
    assert.equal(api.attributes.RestApiId, apiId);
    assert.equal(api.attributes.RootResourceId, described.rootResourceId);

    const deploymentContext = providerContextFor(stratus, "AWS::ApiGateway::Deployment", "Deployment");
    const deployment = await deploymentProvider.create(deploymentContext, { RestApiId: apiId });
    assert.equal(deployment.attributes.DeploymentId, deployment.physicalId);

    const stageContext = providerContextFor(stratus, "AWS::ApiGateway::Stage", "Stage");
    const stageProps = {
      RestApiId: apiId,
      StageName: "dev",
      DeploymentId: deployment.physicalId,
      Variables: { greeting: "hello" },
      TracingEnabled: "true",
      MethodSettings: [
        { ResourcePath: "/*", HttpMethod: "*", MetricsEnabled: "true", ThrottlingBurstLimit: "50" },
      ],
    };
    const stage = await stageProvider.create(stageContext, stageProps);
    assert.equal(stage.physicalId, "dev");
    const created = await apigw.send(new GetStageCommand({ restApiId: apiId, stageName: "dev" }));
    assert.equal(created.tracingEnabled, true);
    assert.equal(created.methodSettings?.["*/*"]?.metricsEnabled, true);
    assert.equal(created.methodSettings?.["*/*"]?.throttlingBurstLimit, 50);

    const hello = await invoke(stratus.url, apiId, "dev", "hello");
    assert.equal(hello.status, 200, hello.text);
    assert.deepEqual(JSON.parse(hello.text), { message: "hello" });
    const fn = await invoke(stratus.url, apiId, "dev", "fn");
    assert.equal(fn.status, 200, fn.text);
    assert.deepEqual(JSON.parse(fn.text), { path: "/fn", stage: "dev" });
    assert.equal((await invoke(stratus.url, apiId, "dev", "bye")).status, 403);

    // A stage variable changes in place: the same deployment answers with the new value.
    const stageUpdate = { ...stageProps, Variables: { greeting: "hola" } };
    await stageProvider.update?.(stageContext, { ...stage, properties: stageProps }, stageUpdate);
    assert.deepEqual(JSON.parse((await invoke(stratus.url, apiId, "dev", "hello")).text), {
      message: "hola",
    });

    // The document gains a route: PutRestApi, then a new deployment the stage moves to.
    const apiProps = { Body: body, Description: "made by a template", MinimumCompressionSize: "1024" };
    const nextBody = { ...body, paths: { ...body.paths, "/bye": mockRoute('{"message": "bye"}') } };
    const nextProps = { Body: nextBody, Description: "updated", MinimumCompressionSize: 2048 };
    await restApiProvider.update?.(apiContext, { ...api, properties: apiProps }, nextProps);
    const updated = await apigw.send(new GetRestApiCommand({ restApiId: apiId }));
    assert.equal(updated.description, "updated");
    assert.equal(updated.minimumCompressionSize, 2048);
    const redeployContext = providerContextFor(stratus, "AWS::ApiGateway::Deployment", "Deployment2");
    const redeployment = await deploymentProvider.create(redeployContext, { RestApiId: apiId });
    const movedProps = { ...stageUpdate, DeploymentId: redeployment.physicalId };
    await stageProvider.update?.(stageContext, { ...stage, properties: stageUpdate }, movedProps);
    const bye = await invoke(stratus.url, apiId, "dev", "bye");
    assert.equal(bye.status, 200, bye.text);
    assert.deepEqual(JSON.parse(bye.text), { message: "bye" });

    // The old deployment goes (no stage serves it any more), then the stage, then the API.
    await deploymentProvider.delete(deploymentContext, { ...deployment, properties: { RestApiId: apiId } });
    await stageProvider.delete(stageContext, { ...stage, properties: movedProps });
    assert.equal(
      (await sdkError(apigw.send(new GetStageCommand({ restApiId: apiId, stageName: "dev" })))).name,
      "NotFoundException",
    );
    await restApiProvider.delete(apiContext, { ...api, properties: nextProps });
    const gone = await sdkError(apigw.send(new GetRestApiCommand({ restApiId: apiId })));
    assert.equal(gone.name, "NotFoundException");
    // A second delete (a retried rollback) finds nothing and succeeds.
    await restApiProvider.delete(apiContext, { ...api, properties: nextProps });
    apigw.destroy();
  });

  it("reads BodyS3Location from Stratus's S3 and lets Name override the document's title", async () => {
    const apigw = new APIGatewayClient(stratus.clientConfig());
    const s3 = stratus.s3();
    await s3.send(new CreateBucketCommand({ Bucket: "api-docs" }));
    const document = {
      openapi: "3.0.1",
      info: { title: "in-s3", version: "1" },
      paths: { "/ping": mockRoute('{"pong": true}') },
    };
    await s3.send(
      new PutObjectCommand({ Bucket: "api-docs", Key: "api.json", Body: JSON.stringify(document) }),
    );
    const context = providerContextFor(stratus, "AWS::ApiGateway::RestApi", "S3Api");
    const api = await restApiProvider.create(context, {
      Name: "named-by-template",
      BodyS3Location: { Bucket: "api-docs", Key: "api.json" },
      BinaryMediaTypes: ["image/png"],
      Tags: [{ Key: "team", Value: "blue" }],
    });
    const described = await apigw.send(new GetRestApiCommand({ restApiId: api.physicalId }));
    assert.equal(described.name, "named-by-template");
    assert.deepEqual(described.binaryMediaTypes, ["image/png"]);
    assert.deepEqual(described.tags, { team: "blue" });
    const deployment = await deploymentProvider.create(
      providerContextFor(stratus, "AWS::ApiGateway::Deployment", "S3Deployment"),
      {
        RestApiId: api.physicalId,
        StageName: "live",
        StageDescription: { Variables: { v: "1" }, MetricsEnabled: true },
      },
    );
    const stage = await apigw.send(new GetStageCommand({ restApiId: api.physicalId, stageName: "live" }));
    assert.equal(stage.deploymentId, deployment.physicalId);
    assert.deepEqual(stage.variables, { v: "1" });
    assert.equal(stage.methodSettings?.["*/*"]?.metricsEnabled, true);
    const ping = await invoke(stratus.url, api.physicalId, "live", "ping");
    assert.equal(ping.status, 200, ping.text);
    assert.deepEqual(JSON.parse(ping.text), { pong: true });

    const missing = providerContextFor(stratus, "AWS::ApiGateway::RestApi", "Missing");
    await assert.rejects(
      restApiProvider.create(missing, { BodyS3Location: { Bucket: "api-docs", Key: "nope.json" } }),
      (error: Error) => error.name === "NoSuchKey",
    );
    apigw.destroy();
  });

  it("removes an imported API again when the template's own properties are refused", async () => {
    const apigw = new APIGatewayClient(stratus.clientConfig());
    const context = providerContextFor(stratus, "AWS::ApiGateway::RestApi", "Refused");
    const body = { swagger: "2.0", info: { title: "refused-api" }, paths: { "/x": mockRoute("{}") } };
    await assert.rejects(
      restApiProvider.create(context, { Body: body, ApiKeySourceType: "BOGUS" }),
      (error: Error) => error.name === "BadRequestException" && /apiKeySource/.test(error.message),
    );
    const apis = await apigw.send(new GetRestApisCommand({}));
    assert.equal(
      (apis.items ?? []).some((api) => api.name === "refused-api"),
      false,
    );
    apigw.destroy();
  });

  it("refuses a document with warnings when FailOnWarnings is true, as ImportRestApi does", async () => {
    const context = providerContextFor(stratus, "AWS::ApiGateway::RestApi", "Strict");
    const body = { swagger: "2.0", info: { title: "strict" }, paths: { "/x": { get: { responses: {} } } } };
    await assert.rejects(
      restApiProvider.create(context, { Body: body, FailOnWarnings: "true" }),
      (error: Error) =>
        error.name === "BadRequestException" && error.message.startsWith("Warnings found during import"),
    );
    const lenient = await restApiProvider.create(context, { Body: body });
    await restApiProvider.delete(context, { ...lenient, properties: { Body: body } });
  });

  it("tags and untags a REST API by key on update", async () => {
    const apigw = new APIGatewayClient(stratus.clientConfig());
    const context = providerContextFor(stratus, "AWS::ApiGateway::RestApi", "Tagged");
    const props = {
      Name: "tagged",
      Tags: [
        { Key: "a", Value: "1" },
        { Key: "b", Value: "2" },
      ],
    };
    const api = await restApiProvider.create(context, props);
    assert.deepEqual((await apigw.send(new GetRestApiCommand({ restApiId: api.physicalId }))).tags, {
      a: "1",
      b: "2",
    });
    const next = {
      Name: "tagged",
      Tags: [
        { Key: "b", Value: "3" },
        { Key: "c", Value: "4" },
      ],
    };
    await restApiProvider.update?.(context, { ...api, properties: props }, next);
    assert.deepEqual((await apigw.send(new GetRestApiCommand({ restApiId: api.physicalId }))).tags, {
      b: "3",
      c: "4",
    });
    await restApiProvider.delete(context, { ...api, properties: next });
    apigw.destroy();
  });

  it("creates an API without a document from its properties and patches what changed", async () => {
    const apigw = new APIGatewayClient(stratus.clientConfig());
    const context = providerContextFor(stratus, "AWS::ApiGateway::RestApi", "Plain");
    const props = {
      Name: "plain",
      EndpointConfiguration: { Types: ["REGIONAL"] },
      ApiKeySourceType: "HEADER",
      DisableExecuteApiEndpoint: "false",
    };
    const api = await restApiProvider.create(context, props);
    const created = await apigw.send(new GetRestApiCommand({ restApiId: api.physicalId }));
    assert.deepEqual(created.endpointConfiguration?.types, ["REGIONAL"]);
    const next = {
      Name: "renamed",
      EndpointConfiguration: { Types: ["EDGE"] },
      ApiKeySourceType: "AUTHORIZER",
      BinaryMediaTypes: ["application/octet-stream"],
      Policy: { Version: "2012-10-17", Statement: [] },
    };
    await restApiProvider.update?.(context, { ...api, properties: props }, next);
    const updated = await apigw.send(new GetRestApiCommand({ restApiId: api.physicalId }));
    assert.equal(updated.name, "renamed");
    assert.deepEqual(updated.endpointConfiguration?.types, ["EDGE"]);
    assert.equal(updated.apiKeySource, "AUTHORIZER");
    assert.deepEqual(updated.binaryMediaTypes, ["application/octet-stream"]);
    assert.equal(updated.policy, JSON.stringify(next.Policy));
    // Dropping the properties again returns them to API Gateway's defaults.
    await restApiProvider.update?.(context, { ...api, properties: next }, { Name: "renamed" });
    const reset = await apigw.send(new GetRestApiCommand({ restApiId: api.physicalId }));
    assert.equal(reset.apiKeySource, "HEADER");
    assert.equal(reset.binaryMediaTypes, undefined);
    assert.equal(reset.policy, undefined);
    await restApiProvider.delete(context, { ...api, properties: { Name: "renamed" } });
    apigw.destroy();
  });
});
