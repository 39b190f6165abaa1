/**
 * REST API invoke URLs end to end: APIs built with @aws-sdk/client-api-gateway, real Lambda functions,
 * requests over HTTP to the execute-api data plane (host form with a Host header, and path form).
 */
import assert from "node:assert/strict";
import { createServer, request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, it } from "node:test";
import {
  APIGatewayClient,
  CreateApiKeyCommand,
  CreateAuthorizerCommand,
  CreateDeploymentCommand,
  CreateResourceCommand,
  CreateRestApiCommand,
  CreateUsagePlanCommand,
  CreateUsagePlanKeyCommand,
  GetResourcesCommand,
  PutIntegrationCommand,
  PutIntegrationResponseCommand,
  PutMethodCommand,
  PutMethodResponseCommand,
  TestInvokeAuthorizerCommand,
  TestInvokeMethodCommand,
  UpdateStageCommand,
} from "@aws-sdk/client-api-gateway";
import { FilterLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { CreateFunctionCommand, type LambdaClient } from "@aws-sdk/client-lambda";
import { Hash } from "@smithy/hash-node";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";
import { useStratus } from "../../../support/stratus.ts";
import { makeZip, ROLE, uniqueName } from "../../lambda/helpers.ts";

const ACCOUNT = "000000000000";

const ECHO = `exports.handler = async (event) => ({
  statusCode: 200,
  headers: { "X-Echo": "yes" },
  multiValueHeaders: { "Set-Cookie": ["a=1", "b=2"] },
  body: JSON.stringify(event),
});`;

const CALC = `exports.handler = async (event) => {
  if (typeof event.n !== "number") throw new Error("Bad input: n must be a number");
  return { double: event.n * 2, who: event.who };
};`;

const AUTHZ = `exports.handler = async (event) => {
  const token = event.authorizationToken || "";
  if (token === "Bearer fail") throw new Error("Unauthorized");
  const effect = token === "Bearer allow" ? "Allow" : "Deny";
  return {
    principalId: "user-42",
    policyDocument: { Version: "2012-10-17", Statement: [{ Action: "execute-api:Invoke", Effect: effect, Resource: event.methodArn }] },
    context: { tier: "gold", n: 7 },
  };
};`;

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function send(
  url: string,
  options: { method?: string; path: string; host?: string; headers?: Record<string, string>; body?: string },
): Promise<Answer> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: "127.0.0.1",
        port: target.port,
        method: options.method ?? "GET",
        path: options.path,
        headers: { ...(options.host ? { Host: options.host } : {}), ...options.headers },
        timeout: 60_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString(),
          }),
        );
      },
    );
    req.on("timeout", () => req.destroy(new Error("request timed out")));
    req.on("error", reject);
    req.end(options.body);
  });
}

async function createFunction(lambda: LambdaClient, code: string): Promise<string> {
  const name = uniqueName("apigw");
  const created = await lambda.send(
    new CreateFunctionCommand({
      FunctionName: name,
      Runtime: "nodejs20.x",
      Handler: "index.handler",
      Role: ROLE,
      Code: { ZipFile: makeZip({ "index.js": code }) },
    }),
  );
  return created.FunctionArn ?? "";
}

function lambdaUri(region: string, functionArn: string): string {
  return `arn:aws:apigateway:${region}:lambda:path/2015-03-31/functions/${functionArn}/invocations`;
}

describe("REST API invoke URLs", () => {
  const stratus = useStratus({ inMemory: true });

  async function newApi(apigw: APIGatewayClient) {
    const api = await apigw.send(new CreateRestApiCommand({ name: uniqueName("rest") }));
    const resources = await apigw.send(new GetResourcesCommand({ restApiId: api.id }));
    const rootId = resources.items?.find((r) => r.path === "/")?.id ?? "";
    return { apiId: api.id ?? "", rootId };
  }

  it("AWS_PROXY: proxies a greedy path to Lambda with the REST proxy event", async () => {
    const apigw = new APIGatewayClient(stratus.clientConfig());
    const echo = await createFunction(stratus.lambda(), ECHO);
    const { apiId, rootId } = await newApi(apigw);
    const proxy = await apigw.send(
      new CreateResourceCommand({ restApiId: apiId, parentId: rootId, pathPart: "{proxy+}" }),
    );
    await apigw.send(
      new PutMethodCommand({
        restApiId: apiId,
        resourceId: proxy.id,
        httpMethod: "ANY",
        authorizationType: "NONE",
      }),
    );
    await apigw.send(
      new PutIntegrationCommand({
        restApiId: apiId,
        resourceId: proxy.id,
        httpMethod: "ANY",
        type: "AWS_PROXY",
        integrationHttpMethod: "POST",
        uri: lambdaUri(stratus.region, echo),
      }),
    );
    await apigw.send(
      new CreateDeploymentCommand({ restApiId: apiId, stageName: "prod", variables: { color: "blue" } }),
    );

    const port = new URL(stratus.url).port;
    const answer = await send(stratus.url, {
      method: "POST",
      path: "/prod/a/b?x=1&x=2",
      host: `${apiId}.execute-api.localhost:${port}`,
      headers: { "Content-Type": "application/json", "X-Test": "v" },
      body: '{"hello":"world"}',
    });
    assert.equal(answer.status, 200, answer.body);
    assert.equal(answer.headers["x-echo"], "yes");
    // multiValueHeaders: one header line per value (Set-Cookie repeats).
    assert.deepEqual(answer.headers["set-cookie"], ["a=1", "b=2"]);
    const event = JSON.parse(answer.body) as Record<string, unknown>;
    assert.equal(event.resource, "/{proxy+}");
    assert.equal(event.path, "/a/b");
    assert.equal(event.httpMethod, "POST");
    assert.deepEqual(event.pathParameters, { proxy: "a/b" });
    assert.deepEqual(event.queryStringParameters, { x: "2" });
    assert.deepEqual(event.multiValueQueryStringParameters, { x: ["1", "2"] });
    assert.deepEqual(event.stageVariables, { color: "blue" });
    assert.equal(event.body, '{"hello":"world"}');
    assert.equal(event.isBase64Encoded, false);
    assert.equal((event.headers as Record<string, string>)["X-Test"], "v");
    const context = event.requestContext as Record<string, unknown>;
    assert.equal(context.apiId, apiId);
    assert.equal(context.accountId, ACCOUNT);
    assert.equal(context.resourceId, proxy.id);
    assert.equal(context.stage, "prod");
    assert.equal(context.path, "/prod/a/b");
    assert.match(String(context.deploymentId), /^[a-z0-9]+$/);
    assert.equal(context.requestId, answer.headers["x-amzn-requestid"]);

    // The path form reaches the same API; an unknown stage and an unknown method do not.
    const pathForm = await send(stratus.url, { path: `/_aws/execute-api/${apiId}/prod/c` });
    assert.equal(pathForm.status, 200);
    const noStage = await send(stratus.url, { path: `/_aws/execute-api/${apiId}/dev/c` });
    assert.equal(noStage.status, 403);
    assert.deepEqual(JSON.parse(noStage.body), { message: "Forbidden" });
    const root = await send(stratus.url, { path: `/_aws/execute-api/${apiId}/prod/` });
    assert.equal(root.status, 403);
    assert.deepEqual(JSON.parse(root.body), { message: "Missing Authentication Token" });
  });

  it("AWS: maps requests and errors with templates and selection patterns; MOCK answers from templates", async () => {
    const apigw = new APIGatewayClient(stratus.clientConfig());
    const calc = await createFunction(stratus.lambda(), CALC);
    const { apiId, rootId } = await newApi(apigw);
    const calcResource = await apigw.send(
      new CreateResourceCommand({ restApiId: apiId, parentId: rootId, pathPart: "calc" }),
    );
    const id = calcResource.id;
    await apigw.send(
      new PutMethodCommand({
        restApiId: apiId,
        resourceId: id,
        httpMethod: "POST",
        authorizationType: "NONE",
      }),
    );
    await apigw.send(
      new PutIntegrationCommand({
        restApiId: apiId,
        resourceId: id,
        httpMethod: "POST",
        type: "AWS",
        integrationHttpMethod: "POST",
        uri: lambdaUri(stratus.region, calc),
        requestTemplates: {
          "application/json": '{"n": $input.json(\'$.n\'), "who": "$input.params(\'who\')"}',
        },
      }),
    );
    for (const status of ["200", "400"]) {
      await apigw.send(
        new PutMethodResponseCommand({
          restApiId: apiId,
          resourceId: id,
          httpMethod: "POST",
          statusCode: status,
        }),
      );
    }
    await apigw.send(
      new PutIntegrationResponseCommand({
        restApiId: apiId,
        resourceId: id,
        httpMethod: "POST",
        statusCode: "200",
        responseTemplates: {
          "application/json": '{"result": $input.path(\'$.double\'), "who": "$input.path(\'$.who\')"}',
        },
      }),
    );
    await apigw.send(
      new PutIntegrationResponseCommand({
        restApiId: apiId,
        resourceId: id,
        httpMethod: "POST",
        statusCode: "400",
        selectionPattern: "Bad input.*",
        responseTemplates: { "application/json": '{"error": "$input.path(\'$.errorMessage\')"}' },
      }),
    );
    const mock = await apigw.send(
      new CreateResourceCommand({ restApiId: apiId, parentId: rootId, pathPart: "mock" }),
    );
    await apigw.send(
      new PutMethodCommand({
        restApiId: apiId,
        resourceId: mock.id,
        httpMethod: "GET",
        authorizationType: "NONE",
      }),
    );
    await apigw.send(
      new PutIntegrationCommand({
        restApiId: apiId,
        resourceId: mock.id,
        httpMethod: "GET",
        type: "MOCK",
        requestTemplates: { "application/json": '{"statusCode": 200}' },
      }),
    );
    await apigw.send(
      new PutMethodResponseCommand({
        restApiId: apiId,
        resourceId: mock.id,
        httpMethod: "GET",
        statusCode: "200",
      }),
    );
    await apigw.send(
      new PutIntegrationResponseCommand({
        restApiId: apiId,
        resourceId: mock.id,
        httpMethod: "GET",
        statusCode: "200",
        responseTemplates: { "application/json": '{"mocked": true, "stage": "$context.stage"}' },
      }),
    );
    await apigw.send(new CreateDeploymentCommand({ restApiId: apiId, stageName: "v1" }));

    const ok = await send(stratus.url, {
      method: "POST",
      path: `/_aws/execute-api/${apiId}/v1/calc?who=ann`,
      headers: { "Content-Type": "application/json" },
      body: '{"n": 21}',
    });
    assert.equal(ok.status, 200, ok.body);
    assert.deepEqual(JSON.parse(ok.body), { result: 42, who: "ann" });
    const bad = await send(stratus.url, {
      method: "POST",
      path: `/_aws/execute-api/${apiId}/v1/calc`,
      headers: { "Content-Type": "application/json" },
      body: '{"n": "x"}',
    });
    assert.equal(bad.status, 400, bad.body);
    assert.deepEqual(JSON.parse(bad.body), { error: "Bad input: n must be a number" });
    const mocked = await send(stratus.url, { path: `/_aws/execute-api/${apiId}/v1/mock` });
    assert.equal(mocked.status, 200);
    assert.deepEqual(JSON.parse(mocked.body), { mocked: true, stage: "v1" });

    // Access logs: one event per request, $context variables substituted.
    const group = uniqueName("/aws/apigw/access");
    await apigw.send(
      new UpdateStageCommand({
        restApiId: apiId,
        stageName: "v1",
        patchOperations: [
          {
            op: "replace",
            path: "/accessLogSettings/destinationArn",
            value: `arn:aws:logs:${stratus.region}:${ACCOUNT}:log-group:${group}`,
          },
          {
            op: "replace",
            path: "/accessLogSettings/format",
            value:
              "$context.requestId $context.httpMethod $context.resourcePath $context.status $context.error.responseType",
          },
        ],
      }),
    );
    const logged = await send(stratus.url, { path: `/_aws/execute-api/${apiId}/v1/mock` });
    const unrouted = await send(stratus.url, { path: `/_aws/execute-api/${apiId}/v1/nowhere` });
    const expected = [
      `${logged.headers["x-amzn-requestid"]} GET /mock 200 -`,
      `${unrouted.headers["x-amzn-requestid"]} GET - 403 MISSING_AUTHENTICATION_TOKEN`,
    ];
    let messages: string[] = [];
    for (let attempt = 0; attempt < 50 && messages.length < 2; attempt++) {
      const events = await stratus
        .logs()
        .send(new FilterLogEventsCommand({ logGroupName: group }))
        .catch(() => ({ events: [] }));
      messages = (events.events ?? []).map((e) => e.message ?? "");
      if (messages.length < 2) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.deepEqual(messages.sort(), expected.sort());

    // TestInvokeMethod runs the undeployed configuration.
    const tested = await apigw.send(
      new TestInvokeMethodCommand({
        restApiId: apiId,
        resourceId: id,
        httpMethod: "POST",
        pathWithQueryString: "/calc?who=bob",
        body: '{"n": 5}',
        headers: { "Content-Type": "application/json" },
      }),
    );
    assert.equal(tested.status, 200);
    assert.deepEqual(JSON.parse(tested.body ?? ""), { result: 10, who: "bob" });
    assert.match(
      tested.log ?? "",
      /^Execution log for request [0-9a-f-]{36}\n[A-Z][a-z]{2} [A-Z][a-z]{2} [0-9]{2} [0-9:]{8} UTC [0-9]{4} : /,
    );
    assert.match(tested.log ?? "", /Method completed with status: 200/);
  });

  it("TOKEN authorizer: allow, explicit deny, missing token, Unauthorized", async () => {
    const apigw = new APIGatewayClient(stratus.clientConfig());
    const echo = await createFunction(stratus.lambda(), ECHO);
    const authz = await createFunction(stratus.lambda(), AUTHZ);
    const { apiId, rootId } = await newApi(apigw);
    const authorizer = await apigw.send(
      new CreateAuthorizerCommand({
        restApiId: apiId,
        name: "tok",
        type: "TOKEN",
        identitySource: "method.request.header.Authorization",
        authorizerUri: lambdaUri(stratus.region, authz),
        authorizerResultTtlInSeconds: 0,
      }),
    );
    const res = await apigw.send(
      new CreateResourceCommand({ restApiId: apiId, parentId: rootId, pathPart: "secure" }),
    );
    await apigw.send(
      new PutMethodCommand({
        restApiId: apiId,
        resourceId: res.id,
        httpMethod: "GET",
        authorizationType: "CUSTOM",
        authorizerId: authorizer.id,
      }),
    );
    await apigw.send(
      new PutIntegrationCommand({
        restApiId: apiId,
        resourceId: res.id,
        httpMethod: "GET",
        type: "AWS_PROXY",
        integrationHttpMethod: "POST",
        uri: lambdaUri(stratus.region, echo),
      }),
    );
    await apigw.send(new CreateDeploymentCommand({ restApiId: apiId, stageName: "prod" }));
    const path = `/_aws/execute-api/${apiId}/prod/secure`;

    const allowed = await send(stratus.url, { path, headers: { Authorization: "Bearer allow" } });
    assert.equal(allowed.status, 200, allowed.body);
    const authorizerContext = (
      JSON.parse(allowed.body).requestContext as Record<string, Record<string, unknown>>
    ).authorizer;
    assert.equal(authorizerContext?.principalId, "user-42");
    assert.equal(authorizerContext?.tier, "gold");
    assert.equal(authorizerContext?.n, "7");

    const denied = await send(stratus.url, { path, headers: { Authorization: "Bearer nope" } });
    assert.equal(denied.status, 403);
    assert.deepEqual(JSON.parse(denied.body), {
      Message:
        "User is not authorized to access this resource with an explicit deny in an identity-based policy",
    });
    const missing = await send(stratus.url, { path });
    assert.equal(missing.status, 401);
    assert.deepEqual(JSON.parse(missing.body), { message: "Unauthorized" });
    const failing = await send(stratus.url, { path, headers: { Authorization: "Bearer fail" } });
    assert.equal(failing.status, 401);

    // TestInvokeAuthorizer runs the function once and shows what it answered.
    const tested = await apigw.send(
      new TestInvokeAuthorizerCommand({
        restApiId: apiId,
        authorizerId: authorizer.id,
        headers: { Authorization: "Bearer allow" },
        pathWithQueryString: "/secure",
      }),
    );
    assert.equal(tested.clientStatus, 0);
    assert.equal(tested.principalId, "user-42");
    assert.equal(JSON.parse(tested.policy ?? "{}").Statement[0].Effect, "Allow");
    const refused = await apigw.send(
      new TestInvokeAuthorizerCommand({
        restApiId: apiId,
        authorizerId: authorizer.id,
        headers: { Authorization: "Bearer fail" },
      }),
    );
    assert.equal(refused.clientStatus, 401);
  });

  it("API keys: 403 without a key in a usage plan, 429 past the quota", async () => {
    const apigw = new APIGatewayClient(stratus.clientConfig());
    const { apiId, rootId } = await newApi(apigw);
    await apigw.send(
      new PutMethodCommand({
        restApiId: apiId,
        resourceId: rootId,
        httpMethod: "GET",
        authorizationType: "NONE",
        apiKeyRequired: true,
      }),
    );
    await apigw.send(
      new PutIntegrationCommand({
        restApiId: apiId,
        resourceId: rootId,
        httpMethod: "GET",
        type: "MOCK",
        requestTemplates: { "application/json": '{"statusCode": 200}' },
      }),
    );
    await apigw.send(
      new PutMethodResponseCommand({
        restApiId: apiId,
        resourceId: rootId,
        httpMethod: "GET",
        statusCode: "200",
      }),
    );
    await apigw.send(
      new PutIntegrationResponseCommand({
        restApiId: apiId,
        resourceId: rootId,
        httpMethod: "GET",
        statusCode: "200",
        responseTemplates: { "application/json": '{"key": "$context.identity.apiKeyId"}' },
      }),
    );
    await apigw.send(new CreateDeploymentCommand({ restApiId: apiId, stageName: "prod" }));
    const key = await apigw.send(
      new CreateApiKeyCommand({
        name: uniqueName("key"),
        enabled: true,
        value: "a-very-secret-key-value-1234",
      }),
    );
    const path = `/_aws/execute-api/${apiId}/prod/`;

    const noKey = await send(stratus.url, { path });
    assert.equal(noKey.status, 403);
    assert.deepEqual(JSON.parse(noKey.body), { message: "Forbidden" });
    const notInPlan = await send(stratus.url, {
      path,
      headers: { "x-api-key": "a-very-secret-key-value-1234" },
    });
    assert.equal(notInPlan.status, 403);

    const plan = await apigw.send(
      new CreateUsagePlanCommand({
        name: uniqueName("plan"),
        apiStages: [{ apiId, stage: "prod" }],
        quota: { limit: 2, period: "DAY" },
      }),
    );
    await apigw.send(
      new CreateUsagePlanKeyCommand({ usagePlanId: plan.id, keyId: key.id, keyType: "API_KEY" }),
    );
    const first = await send(stratus.url, { path, headers: { "x-api-key": "a-very-secret-key-value-1234" } });
    assert.equal(first.status, 200, first.body);
    assert.deepEqual(JSON.parse(first.body), { key: key.id });
    assert.equal(
      (await send(stratus.url, { path, headers: { "x-api-key": "a-very-secret-key-value-1234" } })).status,
      200,
    );
    const over = await send(stratus.url, { path, headers: { "x-api-key": "a-very-secret-key-value-1234" } });
    assert.equal(over.status, 429);
    assert.deepEqual(JSON.parse(over.body), { message: "Limit Exceeded" });
  });

  it("HTTP and HTTP_PROXY: call a backend on 127.0.0.1 with mapped parameters", async () => {
    const seen: { method: string; url: string; headers: Record<string, unknown> }[] = [];
    const backend = createServer((req, res) => {
      seen.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers });
      req.resume();
      req.on("end", () => {
        res.writeHead(req.url?.startsWith("/missing") ? 404 : 200, {
          "Content-Type": "application/json",
          "X-Backend": "1",
        });
        res.end(JSON.stringify({ url: req.url }));
      });
    });
    await new Promise<void>((resolve) => backend.listen(0, "127.0.0.1", resolve));
    try {
      const base = `http://127.0.0.1:${(backend.address() as AddressInfo).port}`;
      const apigw = new APIGatewayClient(stratus.clientConfig());
      const { apiId, rootId } = await newApi(apigw);
      const items = await apigw.send(
        new CreateResourceCommand({ restApiId: apiId, parentId: rootId, pathPart: "items" }),
      );
      const item = await apigw.send(
        new CreateResourceCommand({ restApiId: apiId, parentId: items.id, pathPart: "{id}" }),
      );
      await apigw.send(
        new PutMethodCommand({
          restApiId: apiId,
          resourceId: item.id,
          httpMethod: "POST",
          authorizationType: "NONE",
          requestParameters: { "method.request.path.id": true },
        }),
      );
      await apigw.send(
        new PutIntegrationCommand({
          restApiId: apiId,
          resourceId: item.id,
          httpMethod: "POST",
          type: "HTTP",
          integrationHttpMethod: "GET",
          uri: `${base}/things/{thing}`,
          requestParameters: {
            "integration.request.path.thing": "method.request.path.id",
            "integration.request.header.X-Stage": "context.stage",
          },
        }),
      );
      for (const status of ["200", "404"]) {
        await apigw.send(
          new PutMethodResponseCommand({
            restApiId: apiId,
            resourceId: item.id,
            httpMethod: "POST",
            statusCode: status,
          }),
        );
      }
      await apigw.send(
        new PutIntegrationResponseCommand({
          restApiId: apiId,
          resourceId: item.id,
          httpMethod: "POST",
          statusCode: "200",
        }),
      );
      await apigw.send(
        new PutIntegrationResponseCommand({
          restApiId: apiId,
          resourceId: item.id,
          httpMethod: "POST",
          statusCode: "404",
          selectionPattern: "404",
          responseTemplates: { "application/json": '{"found": false}' },
        }),
      );
      const proxy = await apigw.send(
        new CreateResourceCommand({ restApiId: apiId, parentId: rootId, pathPart: "{proxy+}" }),
      );
      await apigw.send(
        new PutMethodCommand({
          restApiId: apiId,
          resourceId: proxy.id,
          httpMethod: "ANY",
          authorizationType: "NONE",
        }),
      );
      await apigw.send(
        new PutIntegrationCommand({
          restApiId: apiId,
          resourceId: proxy.id,
          httpMethod: "ANY",
          type: "HTTP_PROXY",
          integrationHttpMethod: "ANY",
          uri: `${base}/{proxy}`,
          requestParameters: { "integration.request.path.proxy": "method.request.path.proxy" },
        }),
      );
      await apigw.send(new CreateDeploymentCommand({ restApiId: apiId, stageName: "live" }));

      const mapped = await send(stratus.url, {
        method: "POST",
        path: `/_aws/execute-api/${apiId}/live/items/42`,
      });
      assert.equal(mapped.status, 200, mapped.body);
      assert.deepEqual(JSON.parse(mapped.body), { url: "/things/42" });
      assert.equal(seen.at(-1)?.method, "GET");
      assert.equal(seen.at(-1)?.headers["x-stage"], "live");
      const proxied = await send(stratus.url, {
        method: "DELETE",
        path: `/_aws/execute-api/${apiId}/live/missing/x?q=1`,
      });
      assert.equal(proxied.status, 404);
      assert.equal(proxied.headers["x-backend"], "1");
      assert.deepEqual(JSON.parse(proxied.body), { url: "/missing/x?q=1" });
      assert.equal(seen.at(-1)?.method, "DELETE");
    } finally {
      backend.closeAllConnections();
      await new Promise<void>((resolve) => backend.close(() => resolve()));
    }
  });

  it("AWS_IAM: needs a SigV4 signature for execute-api", async () => {
    const apigw = new APIGatewayClient(stratus.clientConfig());
    const { apiId, rootId } = await newApi(apigw);
    await apigw.send(
      new PutMethodCommand({
        restApiId: apiId,
        resourceId: rootId,
        httpMethod: "GET",
        authorizationType: "AWS_IAM",
      }),
    );
    await apigw.send(
      new PutIntegrationCommand({
        restApiId: apiId,
        resourceId: rootId,
        httpMethod: "GET",
        type: "MOCK",
        requestTemplates: { "application/json": '{"statusCode": 200}' },
      }),
    );
    await apigw.send(
      new PutMethodResponseCommand({
        restApiId: apiId,
        resourceId: rootId,
        httpMethod: "GET",
        statusCode: "200",
      }),
    );
    await apigw.send(
      new PutIntegrationResponseCommand({
        restApiId: apiId,
        resourceId: rootId,
        httpMethod: "GET",
        statusCode: "200",
        responseTemplates: { "application/json": '{"caller": "$context.identity.accessKey"}' },
      }),
    );
    await apigw.send(new CreateDeploymentCommand({ restApiId: apiId, stageName: "prod" }));
    const path = `/_aws/execute-api/${apiId}/prod/`;
    const unsigned = await send(stratus.url, { path });
    assert.equal(unsigned.status, 403);
    assert.deepEqual(JSON.parse(unsigned.body), { message: "Missing Authentication Token" });

    const url = new URL(stratus.url);
    const signer = new SignatureV4({
      service: "execute-api",
      region: stratus.region,
      credentials: { accessKeyId: "test", secretAccessKey: "test" },
      sha256: Hash.bind(null, "sha256"),
    });
    const signed = await signer.sign(
      new HttpRequest({
        method: "GET",
        protocol: "http:",
        hostname: url.hostname,
        port: Number(url.port),
        path,
        headers: { host: url.host },
      }),
    );
    const answer = await send(stratus.url, { path, headers: signed.headers as Record<string, string> });
    assert.equal(answer.status, 200, answer.body);
    assert.deepEqual(JSON.parse(answer.body), { caller: "test" });

    const wrongSecret = new SignatureV4({
      service: "execute-api",
      region: stratus.region,
      credentials: { accessKeyId: "test", secretAccessKey: "not-the-secret" },
      sha256: Hash.bind(null, "sha256"),
    });
    const badlySigned = await wrongSecret.sign(
      new HttpRequest({
        method: "GET",
        protocol: "http:",
        hostname: url.hostname,
        port: Number(url.port),
        path,
        headers: { host: url.host },
      }),
    );
    const refused = await send(stratus.url, { path, headers: badlySigned.headers as Record<string, string> });
    assert.equal(refused.status, 403);
    assert.equal(refused.headers["x-amzn-errortype"], "InvalidSignatureException");
  });
});
