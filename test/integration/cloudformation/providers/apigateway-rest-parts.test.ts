/**
 * The REST API's part providers on a started Stratus: Resource and Method (MOCK integration with
 * method and integration responses) served through a Deployment's StageName; Authorizer, Model,
 * RequestValidator and GatewayResponse; ApiKey, UsagePlan and UsagePlanKey with their Refs; updates
 * in place and deletes checked through @aws-sdk/client-api-gateway; Account; the custom domain types' honest refusal.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  APIGatewayClient,
  GetAccountCommand,
  GetApiKeyCommand,
  GetAuthorizerCommand,
  GetGatewayResponseCommand,
  GetIntegrationResponseCommand,
  GetMethodCommand,
  GetModelCommand,
  GetRequestValidatorCommand,
  GetResourceCommand,
  GetStageCommand,
  GetUsagePlanCommand,
  GetUsagePlanKeyCommand,
} from "@aws-sdk/client-api-gateway";
import { accountProvider } from "../../../../src/services/cloudformation/providers/apigateway/account.ts";
import { apiKeyProvider } from "../../../../src/services/cloudformation/providers/apigateway/api-key.ts";
import { authorizerProvider } from "../../../../src/services/cloudformation/providers/apigateway/authorizer.ts";
import { deploymentProvider } from "../../../../src/services/cloudformation/providers/apigateway/deployment.ts";
import { gatewayResponseProvider } from "../../../../src/services/cloudformation/providers/apigateway/gateway-response.ts";
import { apiGatewayProviders } from "../../../../src/services/cloudformation/providers/apigateway/index.ts";
import { methodProvider } from "../../../../src/services/cloudformation/providers/apigateway/method.ts";
import { modelProvider } from "../../../../src/services/cloudformation/providers/apigateway/model.ts";
import { requestValidatorProvider } from "../../../../src/services/cloudformation/providers/apigateway/request-validator.ts";
import { resourceProvider } from "../../../../src/services/cloudformation/providers/apigateway/resource.ts";
import { restApiProvider } from "../../../../src/services/cloudformation/providers/apigateway/rest-api.ts";
import { usagePlanProvider } from "../../../../src/services/cloudformation/providers/apigateway/usage-plan.ts";
import { usagePlanKeyProvider } from "../../../../src/services/cloudformation/providers/apigateway/usage-plan-key.ts";
import { providerContextFor } from "../../../support/provider-context.ts";
import { useStratus } from "../../../support/stratus.ts";
import { createTestFunction, makeZip, sdkError } from "../../lambda/helpers.ts";

const PROXY = `exports.handler = async (event) => ({
  statusCode: 200,
  body: JSON.stringify({ method: event.httpMethod, body: event.body }),
});
`;

describe("AWS::ApiGateway part providers", () => {
  const stratus = useStratus({ inMemory: true });
  const context = (type: string, logicalId: string) =>
    providerContextFor(stratus, `AWS::ApiGateway::${type}`, logicalId);

  /** An API, with one MOCK route when it is to be deployed (API Gateway deploys no empty API). */
  async function newApi(name: string, withRoute = false) {
    const body = {
      swagger: "2.0",
      info: { title: name },
      paths: { "/": { get: { "x-amazon-apigateway-integration": { type: "mock" } } } },
    };
    const api = await restApiProvider.create(
      context("RestApi", name),
      withRoute ? { Body: body } : { Name: name },
    );
    return { apiId: api.physicalId, rootId: String(api.attributes.RootResourceId) };
  }

  it("serves a Resource and a MOCK Method through a Deployment's stage; updates the method; deletes", async () => {
    const apigw = new APIGatewayClient(stratus.clientConfig());
    const { apiId, rootId } = await newApi("parts");
    const resourceProps = { RestApiId: apiId, ParentId: rootId, PathPart: "items" };
    const resource = await resourceProvider.create(context("Resource", "Items"), resourceProps);
    assert.equal(resource.attributes.ResourceId, resource.physicalId);
    assert.equal(
      (await apigw.send(new GetResourceCommand({ restApiId: apiId, resourceId: resource.physicalId }))).path,
      "/items",
    );
    assert.deepEqual(resourceProvider.replaceOn, ["ParentId", "PathPart", "RestApiId"]);

    const methodProps = (text: string) => ({
      RestApiId: apiId,
      ResourceId: resource.physicalId,
      HttpMethod: "GET",
      AuthorizationType: "NONE",
      RequestParameters: { "method.request.querystring.q": "false" },
      MethodResponses: [
        { StatusCode: "200", ResponseParameters: { "method.response.header.X-Kind": "true" } },
      ],
      Integration: {
        Type: "MOCK",
        RequestTemplates: { "application/json": '{"statusCode": 200}' },
        IntegrationResponses: [
          {
            StatusCode: "200",
            ResponseParameters: { "method.response.header.X-Kind": "'mock'" },
            ResponseTemplates: { "application/json": text },
          },
        ],
      },
    });
    const methodContext = context("Method", "GetItems");
    const first = methodProps('{"items": [1, 2]}');
    const method = await methodProvider.create(methodContext, first);
    assert.match(method.physicalId, /^test-stack-GetItems-[A-Z0-9]{13}$/);
    const described = await apigw.send(
      new GetMethodCommand({ restApiId: apiId, resourceId: resource.physicalId, httpMethod: "GET" }),
    );
    assert.deepEqual(described.requestParameters, { "method.request.querystring.q": false });
    assert.equal(described.methodIntegration?.type, "MOCK");

    const deploymentProps = { RestApiId: apiId, StageName: "v1", Description: "first" };
    const deploymentContext = context("Deployment", "Deploy");
    const deployment = await deploymentProvider.create(deploymentContext, deploymentProps);
    const response = await fetch(`${stratus.url}/_aws/execute-api/${apiId}/v1/items`, {
      signal: AbortSignal.timeout(30_000),
    });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("x-kind"), "mock");
    assert.deepEqual(await response.json(), { items: [1, 2] });

    // An update rebuilds the method from the template: the new template is what API Gateway holds.
    await methodProvider.update?.(
      methodContext,
      { ...method, properties: first },
      methodProps('{"items": []}'),
    );
    const integrationResponse = await apigw.send(
      new GetIntegrationResponseCommand({
        restApiId: apiId,
        resourceId: resource.physicalId,
        httpMethod: "GET",
        statusCode: "200",
      }),
    );
    assert.deepEqual(integrationResponse.responseTemplates, { "application/json": '{"items": []}' });

    // A method whose integration API Gateway refuses is not left half made.
    const bad = {
      ...methodProps("{}"),
      HttpMethod: "POST",
      Integration: { Type: "AWS", IntegrationHttpMethod: "POST" },
    };
    await assert.rejects(
      methodProvider.create(context("Method", "Bad"), bad),
      (error: Error) => error.name === "BadRequestException",
    );
    const postGone = await sdkError(
      apigw.send(
        new GetMethodCommand({ restApiId: apiId, resourceId: resource.physicalId, httpMethod: "POST" }),
      ),
    );
    assert.equal(postGone.name, "NotFoundException");

    // A Lambda proxy method: PutIntegration's own httpMethod (POST) is not the method's (PUT).
    const functionName = await createTestFunction(stratus.lambda(), {
      Code: { ZipFile: makeZip({ "index.js": PROXY }) },
    });
    const functionArn = `arn:aws:lambda:${stratus.region}:000000000000:function:${functionName}`;
    const proxyProps = {
      RestApiId: apiId,
      ResourceId: resource.physicalId,
      HttpMethod: "PUT",
      AuthorizationType: "NONE",
      Integration: {
        Type: "AWS_PROXY",
        IntegrationHttpMethod: "POST",
        Uri: `arn:aws:apigateway:${stratus.region}:lambda:path/2015-03-31/functions/${functionArn}/invocations`,
      },
    };
    const proxy = await methodProvider.create(context("Method", "PutItems"), proxyProps);
    const stored = await apigw.send(
      new GetMethodCommand({ restApiId: apiId, resourceId: resource.physicalId, httpMethod: "PUT" }),
    );
    assert.equal(stored.methodIntegration?.httpMethod, "POST");
    const redeploy = await deploymentProvider.create(context("Deployment", "Redeploy"), {
      RestApiId: apiId,
      StageName: "v2",
    });
    const put = await fetch(`${stratus.url}/_aws/execute-api/${apiId}/v2/items`, {
      method: "PUT",
      body: "payload",
      signal: AbortSignal.timeout(60_000),
    });
    assert.equal(put.status, 200);
    assert.deepEqual(await put.json(), { method: "PUT", body: "payload" });
    await deploymentProvider.delete(context("Deployment", "Redeploy"), {
      ...redeploy,
      properties: { RestApiId: apiId, StageName: "v2" },
    });
    await methodProvider.delete(context("Method", "PutItems"), { ...proxy, properties: proxyProps });

    // Deleting the deployment removes the stage StageName made; then the method and the resource.
    await deploymentProvider.delete(deploymentContext, { ...deployment, properties: deploymentProps });
    await methodProvider.delete(methodContext, { ...method, properties: first });
    const methodGone = await sdkError(
      apigw.send(
        new GetMethodCommand({ restApiId: apiId, resourceId: resource.physicalId, httpMethod: "GET" }),
      ),
    );
    assert.equal(methodGone.name, "NotFoundException");
    await methodProvider.delete(methodContext, { ...method, properties: first });
    await resourceProvider.delete(context("Resource", "Items"), { ...resource, properties: resourceProps });
    const resourceGone = await sdkError(
      apigw.send(new GetResourceCommand({ restApiId: apiId, resourceId: resource.physicalId })),
    );
    assert.equal(resourceGone.name, "NotFoundException");
    apigw.destroy();
  });

  it("creates, updates and deletes authorizers, models, validators and gateway responses", async () => {
    const apigw = new APIGatewayClient(stratus.clientConfig());
    const { apiId } = await newApi("extras");
    const authorizerProps = {
      RestApiId: apiId,
      Name: "tokens",
      Type: "TOKEN",
      AuthorizerUri: `arn:aws:apigateway:${stratus.region}:lambda:path/2015-03-31/functions/arn:aws:lambda:${stratus.region}:000000000000:function:auth/invocations`,
      IdentitySource: "method.request.header.Authorization",
      AuthorizerResultTtlInSeconds: "60",
    };
    const authorizerContext = context("Authorizer", "Auth");
    const authorizer = await authorizerProvider.create(authorizerContext, authorizerProps);
    assert.equal(authorizer.attributes.AuthorizerId, authorizer.physicalId);
    const authorizerUpdate = {
      ...authorizerProps,
      AuthorizerResultTtlInSeconds: 0,
      IdentityValidationExpression: "^Bearer .+$",
    };
    await authorizerProvider.update?.(
      authorizerContext,
      { ...authorizer, properties: authorizerProps },
      authorizerUpdate,
    );
    const updatedAuthorizer = await apigw.send(
      new GetAuthorizerCommand({ restApiId: apiId, authorizerId: authorizer.physicalId }),
    );
    assert.equal(updatedAuthorizer.authorizerResultTtlInSeconds, 0);
    assert.equal(updatedAuthorizer.identityValidationExpression, "^Bearer .+$");

    const schema = { type: "object", properties: { name: { type: "string" } } };
    const modelProps = { RestApiId: apiId, Name: "Pet", Schema: schema };
    const model = await modelProvider.create(context("Model", "Pet"), modelProps);
    assert.equal(model.physicalId, "Pet");
    await modelProvider.update?.(
      context("Model", "Pet"),
      { ...model, properties: modelProps },
      { ...modelProps, Description: "a pet" },
    );
    const storedModel = await apigw.send(new GetModelCommand({ restApiId: apiId, modelName: "Pet" }));
    assert.equal(storedModel.description, "a pet");
    assert.equal(storedModel.schema, JSON.stringify(schema));
    const unnamed = await modelProvider.create(context("Model", "Unnamed"), {
      RestApiId: apiId,
      Schema: JSON.stringify(schema),
    });
    assert.match(unnamed.physicalId, /^[A-Za-z0-9]+$/);

    const validatorProps = { RestApiId: apiId, Name: "body-only", ValidateRequestBody: "true" };
    const validator = await requestValidatorProvider.create(context("RequestValidator", "V"), validatorProps);
    await requestValidatorProvider.update?.(
      context("RequestValidator", "V"),
      { ...validator, properties: validatorProps },
      {
        ...validatorProps,
        ValidateRequestParameters: true,
      },
    );
    const storedValidator = await apigw.send(
      new GetRequestValidatorCommand({ restApiId: apiId, requestValidatorId: validator.physicalId }),
    );
    assert.equal(storedValidator.validateRequestBody, true);
    assert.equal(storedValidator.validateRequestParameters, true);

    const responseProps = {
      RestApiId: apiId,
      ResponseType: "MISSING_AUTHENTICATION_TOKEN",
      StatusCode: "404",
      ResponseParameters: { "gatewayresponse.header.Access-Control-Allow-Origin": "'*'" },
    };
    const gatewayResponse = await gatewayResponseProvider.create(
      context("GatewayResponse", "NotFound"),
      responseProps,
    );
    assert.equal(gatewayResponse.attributes.Id, gatewayResponse.physicalId);
    const storedResponse = await apigw.send(
      new GetGatewayResponseCommand({ restApiId: apiId, responseType: "MISSING_AUTHENTICATION_TOKEN" }),
    );
    assert.equal(storedResponse.statusCode, "404");
    assert.equal(storedResponse.defaultResponse, false);
    await gatewayResponseProvider.delete(context("GatewayResponse", "NotFound"), {
      ...gatewayResponse,
      properties: responseProps,
    });
    const reset = await apigw.send(
      new GetGatewayResponseCommand({ restApiId: apiId, responseType: "MISSING_AUTHENTICATION_TOKEN" }),
    );
    assert.equal(reset.defaultResponse, true);

    await authorizerProvider.delete(authorizerContext, { ...authorizer, properties: authorizerUpdate });
    const authorizerGone = await sdkError(
      apigw.send(new GetAuthorizerCommand({ restApiId: apiId, authorizerId: authorizer.physicalId })),
    );
    assert.equal(authorizerGone.name, "NotFoundException");
    await modelProvider.delete(context("Model", "Pet"), { ...model, properties: modelProps });
    assert.equal(
      (await sdkError(apigw.send(new GetModelCommand({ restApiId: apiId, modelName: "Pet" })))).name,
      "NotFoundException",
    );
    await requestValidatorProvider.delete(context("RequestValidator", "V"), {
      ...validator,
      properties: validatorProps,
    });
    apigw.destroy();
  });

  it("creates API keys, usage plans and usage plan keys with CloudFormation's Refs", async () => {
    const apigw = new APIGatewayClient(stratus.clientConfig());
    const { apiId } = await newApi("metered", true);
    await deploymentProvider.create(context("Deployment", "D"), { RestApiId: apiId, StageName: "prod" });

    const keyContext = context("ApiKey", "Key");
    const keyProps = {
      Enabled: "false",
      StageKeys: [{ RestApiId: apiId, StageName: "prod" }],
      Tags: [{ Key: "k", Value: "v" }],
    };
    const key = await apiKeyProvider.create(keyContext, keyProps);
    assert.equal(key.attributes.APIKeyId, key.physicalId);
    const storedKey = await apigw.send(new GetApiKeyCommand({ apiKey: key.physicalId }));
    assert.match(storedKey.name ?? "", /^test-stack-Key-[A-Z0-9]{13}$/);
    assert.deepEqual(storedKey.stageKeys, [`${apiId}/prod`]);
    assert.equal(storedKey.enabled, false);
    await apiKeyProvider.update?.(
      keyContext,
      { ...key, properties: keyProps },
      { ...keyProps, Enabled: true, Description: "on" },
    );
    const enabled = await apigw.send(new GetApiKeyCommand({ apiKey: key.physicalId }));
    assert.equal(enabled.enabled, true);
    assert.equal(enabled.description, "on");
    assert.deepEqual(apiKeyProvider.replaceOn, ["Name", "Value", "GenerateDistinctId"]);

    const planContext = context("UsagePlan", "Plan");
    const planProps = {
      UsagePlanName: "gold",
      ApiStages: [{ ApiId: apiId, Stage: "prod" }],
      Throttle: { BurstLimit: "10", RateLimit: "5.5" },
      Quota: { Limit: 1000, Period: "DAY" },
    };
    const plan = await usagePlanProvider.create(planContext, planProps);
    assert.equal(plan.attributes.Id, plan.physicalId);
    const storedPlan = await apigw.send(new GetUsagePlanCommand({ usagePlanId: plan.physicalId }));
    assert.deepEqual(storedPlan.throttle, { burstLimit: 10, rateLimit: 5.5 });
    assert.equal(storedPlan.quota?.limit, 1000);
    const planUpdate = {
      UsagePlanName: "platinum",
      ApiStages: [],
      Throttle: { BurstLimit: 20, RateLimit: 5.5 },
    };
    await usagePlanProvider.update?.(planContext, { ...plan, properties: planProps }, planUpdate);
    const updatedPlan = await apigw.send(new GetUsagePlanCommand({ usagePlanId: plan.physicalId }));
    assert.equal(updatedPlan.name, "platinum");
    assert.equal(updatedPlan.throttle?.burstLimit, 20);
    assert.equal(updatedPlan.quota, undefined);
    assert.deepEqual(updatedPlan.apiStages ?? [], []);

    const linkContext = context("UsagePlanKey", "Link");
    const linkProps = { KeyId: key.physicalId, KeyType: "API_KEY", UsagePlanId: plan.physicalId };
    const link = await usagePlanKeyProvider.create(linkContext, linkProps);
    assert.equal(link.physicalId, `${key.physicalId}:${plan.physicalId}`);
    assert.equal(link.attributes.Id, link.physicalId);
    const storedLink = await apigw.send(
      new GetUsagePlanKeyCommand({ usagePlanId: plan.physicalId, keyId: key.physicalId }),
    );
    assert.equal(storedLink.type, "API_KEY");

    await usagePlanKeyProvider.delete(linkContext, { ...link, properties: linkProps });
    const linkGone = await sdkError(
      apigw.send(new GetUsagePlanKeyCommand({ usagePlanId: plan.physicalId, keyId: key.physicalId })),
    );
    assert.equal(linkGone.name, "NotFoundException");
    await usagePlanProvider.delete(planContext, { ...plan, properties: planUpdate });
    await usagePlanProvider.delete(planContext, { ...plan, properties: planUpdate });
    assert.equal(
      (await sdkError(apigw.send(new GetUsagePlanCommand({ usagePlanId: plan.physicalId })))).name,
      "NotFoundException",
    );
    await apiKeyProvider.delete(keyContext, { ...key, properties: keyProps });
    assert.equal(
      (await sdkError(apigw.send(new GetApiKeyCommand({ apiKey: key.physicalId })))).name,
      "NotFoundException",
    );
    apigw.destroy();
  });

  it("re-points and reconfigures a Deployment's stage when StageName or StageDescription change", async () => {
    const apigw = new APIGatewayClient(stratus.clientConfig());
    const { apiId } = await newApi("staged", true);
    const deploymentContext = context("Deployment", "Staged");
    const props = {
      RestApiId: apiId,
      StageName: "beta",
      StageDescription: {
        Description: "beta stage",
        Variables: { mode: "a" },
        TracingEnabled: "true",
        LoggingLevel: "INFO",
      },
    };
    const deployment = await deploymentProvider.create(deploymentContext, props);
    const beta = await apigw.send(new GetStageCommand({ restApiId: apiId, stageName: "beta" }));
    assert.equal(beta.description, "beta stage");
    assert.equal(beta.tracingEnabled, true);
    assert.deepEqual(beta.variables, { mode: "a" });
    assert.equal(beta.methodSettings?.["*/*"]?.loggingLevel, "INFO");

    const next = { ...props, StageName: "gamma", StageDescription: { Variables: { mode: "b" } } };
    await deploymentProvider.update?.(deploymentContext, { ...deployment, properties: props }, next);
    const gamma = await apigw.send(new GetStageCommand({ restApiId: apiId, stageName: "gamma" }));
    assert.equal(gamma.deploymentId, deployment.physicalId);
    assert.deepEqual(gamma.variables, { mode: "b" });
    apigw.destroy();
  });

  it("refuses what Stratus cannot honour: CloneFrom and canary settings", async () => {
    await assert.rejects(
      restApiProvider.create(context("RestApi", "Clone"), { Name: "clone", CloneFrom: "abc123" }),
      /CloneFrom is not supported by Stratus/,
    );
    const { apiId } = await newApi("canary", true);
    await assert.rejects(
      deploymentProvider.create(context("Deployment", "Canary"), {
        RestApiId: apiId,
        DeploymentCanarySettings: { PercentTraffic: 10 },
      }),
      /Canary deployments \(DeploymentCanarySettings, CanarySetting\) are not supported by Stratus/,
    );
  });

  it("refuses custom domain types plainly: Stratus has no custom domain names", async () => {
    for (const type of ["AWS::ApiGateway::DomainName", "AWS::ApiGateway::BasePathMapping"]) {
      const provider = apiGatewayProviders[type];
      assert.ok(provider, type);
      await assert.rejects(
        provider.create(providerContextFor(stratus, type, "Mapping"), { DomainName: "api.example.com" }),
        new RegExp(
          `^Error: ${type} is not supported by Stratus: API Gateway custom domain names are not emulated`,
        ),
      );
    }
  });

  it("sets the account's CloudWatch role through AWS::ApiGateway::Account", async () => {
    const apigw = new APIGatewayClient(stratus.clientConfig());
    const role = "arn:aws:iam::000000000000:role/apigw-logs";
    const account = await accountProvider.create(context("Account", "Account"), { CloudWatchRoleArn: role });
    assert.equal(account.attributes.Id, account.physicalId);
    assert.equal((await apigw.send(new GetAccountCommand({}))).cloudwatchRoleArn, role);
    const other = "arn:aws:iam::000000000000:role/other";
    await accountProvider.update?.(
      context("Account", "Account"),
      { ...account, properties: { CloudWatchRoleArn: role } },
      {
        CloudWatchRoleArn: other,
      },
    );
    assert.equal((await apigw.send(new GetAccountCommand({}))).cloudwatchRoleArn, other);
    apigw.destroy();
  });
});
