/**
 * REST API Lambda authorizers (TOKEN, REQUEST), API keys with usage plans (403, throttle and quota
 * 429s) and gateway response customisation.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { MethodRecord } from "../../../src/services/apigateway/snapshot.ts";
import { ACCOUNT, API_ID, harness, lambdaUri, method, REGION, resource } from "./rest-harness.ts";

const echo = { type: "AWS_PROXY" as const, httpMethod: "POST", uri: lambdaUri("echo") };

function policy(effect: string, resourceArn: string) {
  return {
    Version: "2012-10-17",
    Statement: [{ Action: "execute-api:Invoke", Effect: effect, Resource: resourceArn }],
  };
}

function authorizedApi(authorizer: Record<string, unknown>, extra: Partial<MethodRecord> = {}) {
  const h = harness([
    resource("/pets/{id}", [
      method("GET", echo, { authorizationType: "CUSTOM", authorizerId: "auth01", ...extra }),
    ]),
  ]);
  h.deployment.authorizers.auth01 = {
    id: "auth01",
    name: "a",
    authorizerUri: lambdaUri("authz"),
    ...authorizer,
  };
  h.functions.echo = (event) => ({ statusCode: 200, body: JSON.stringify(event.requestContext) });
  return h;
}

describe("TOKEN authorizers", () => {
  const token = {
    type: "TOKEN",
    identitySource: "method.request.header.Authorization",
    identityValidationExpression: "Bearer .+",
  };

  it("sends the TOKEN event and passes principalId and context to the integration", async () => {
    const h = authorizedApi(token);
    h.functions.authz = () => ({
      principalId: "user-1",
      policyDocument: policy("Allow", `arn:aws:execute-api:${REGION}:${ACCOUNT}:${API_ID}/prod/GET/pets/*`),
      context: { tier: "gold", count: 3, admin: true },
    });
    const answer = await h.send({ path: "/prod/pets/7", headers: { Authorization: "Bearer abc" } });
    assert.equal(answer.status, 200);
    assert.deepEqual(h.calls.authz?.[0], {
      type: "TOKEN",
      methodArn: `arn:aws:execute-api:${REGION}:${ACCOUNT}:${API_ID}/prod/GET/pets/7`,
      authorizationToken: "Bearer abc",
    });
    const authorizer = (answer.json() as Record<string, Record<string, unknown>>).authorizer;
    assert.equal(authorizer?.principalId, "user-1");
    assert.equal(authorizer?.tier, "gold");
    assert.equal(authorizer?.count, "3");
    assert.equal(authorizer?.admin, "true");
    assert.equal(typeof authorizer?.integrationLatency, "number");
  });

  it("answers 401 Unauthorized without calling the function when the token is missing or invalid", async () => {
    const h = authorizedApi(token);
    h.functions.authz = () => ({ principalId: "x", policyDocument: policy("Allow", "*") });
    const missing = await h.send({ path: "/prod/pets/7" });
    assert.equal(missing.status, 401);
    assert.deepEqual(missing.json(), { message: "Unauthorized" });
    assert.equal(missing.headers["x-amzn-ErrorType"], "UnauthorizedException");
    const invalid = await h.send({ path: "/prod/pets/7", headers: { Authorization: "Basic abc" } });
    assert.equal(invalid.status, 401);
    assert.equal(h.calls.authz, undefined);
  });

  it("answers 401 when the function fails with Unauthorized", async () => {
    const h = authorizedApi(token);
    h.functions.authz = () => {
      throw new Error("Unauthorized");
    };
    const answer = await h.send({ path: "/prod/pets/7", headers: { Authorization: "Bearer x" } });
    assert.equal(answer.status, 401);
    assert.deepEqual(answer.json(), { message: "Unauthorized" });
  });

  it("answers 403 with AWS's texts for an explicit deny and for no allow", async () => {
    const h = authorizedApi({ ...token, authorizerResultTtlInSeconds: 0 });
    h.functions.authz = (event) =>
      event.authorizationToken === "Bearer deny"
        ? { principalId: "u", policyDocument: policy("Deny", "*") }
        : {
            principalId: "u",
            policyDocument: policy("Allow", `arn:aws:execute-api:${REGION}:${ACCOUNT}:${API_ID}/prod/POST/*`),
          };
    const denied = await h.send({ path: "/prod/pets/7", headers: { Authorization: "Bearer deny" } });
    assert.equal(denied.status, 403);
    assert.deepEqual(denied.json(), {
      Message:
        "User is not authorized to access this resource with an explicit deny in an identity-based policy",
    });
    assert.equal(denied.headers["x-amzn-ErrorType"], "AccessDeniedException");
    const notAllowed = await h.send({ path: "/prod/pets/7", headers: { Authorization: "Bearer other" } });
    assert.equal(notAllowed.status, 403);
    assert.deepEqual(notAllowed.json(), { Message: "User is not authorized to access this resource" });
  });

  it("caches the result by token for authorizerResultTtlInSeconds", async () => {
    const h = authorizedApi({ ...token, authorizerResultTtlInSeconds: 60 });
    h.functions.authz = () => ({ principalId: "u", policyDocument: policy("Allow", "*") });
    for (let i = 0; i < 3; i++) {
      assert.equal(
        (await h.send({ path: "/prod/pets/7", headers: { Authorization: "Bearer a" } })).status,
        200,
      );
    }
    assert.equal(h.calls.authz?.length, 1);
    await h.send({ path: "/prod/pets/7", headers: { Authorization: "Bearer b" } });
    assert.equal(h.calls.authz?.length, 2);
    h.clock.advance(61_000);
    await h.send({ path: "/prod/pets/7", headers: { Authorization: "Bearer a" } });
    assert.equal(h.calls.authz?.length, 3);
  });

  it('answers 500 {"message": null} to an answer without a policy', async () => {
    const h = authorizedApi(token);
    h.functions.authz = () => ({ principalId: "u" });
    const answer = await h.send({ path: "/prod/pets/7", headers: { Authorization: "Bearer a" } });
    assert.equal(answer.status, 500);
    assert.deepEqual(answer.json(), { message: null });
    assert.equal(answer.headers["x-amzn-ErrorType"], "AuthorizerConfigurationException");
  });
});

describe("REQUEST authorizers", () => {
  const request = {
    type: "REQUEST",
    identitySource: "method.request.header.X-User, method.request.querystring.tenant",
    authorizerResultTtlInSeconds: 300,
  };

  it("sends the request's members and needs every identity source", async () => {
    const h = authorizedApi(request);
    h.functions.authz = () => ({ principalId: "p", policyDocument: policy("Allow", "*") });
    const missing = await h.send({ path: "/prod/pets/7", headers: { "X-User": "u" } });
    assert.equal(missing.status, 401);
    const answer = await h.send({ path: "/prod/pets/7", query: "tenant=t1", headers: { "X-User": "u" } });
    assert.equal(answer.status, 200);
    const event = h.calls.authz?.[0] as Record<string, unknown>;
    assert.equal(event.type, "REQUEST");
    assert.equal(event.methodArn, `arn:aws:execute-api:${REGION}:${ACCOUNT}:${API_ID}/prod/GET/pets/7`);
    assert.equal(event.resource, "/pets/{id}");
    assert.equal(event.path, "/pets/7");
    assert.equal(event.httpMethod, "GET");
    assert.deepEqual(event.queryStringParameters, { tenant: "t1" });
    assert.deepEqual(event.pathParameters, { id: "7" });
    assert.equal((event.headers as Record<string, string>)["X-User"], "u");
    assert.equal((event.requestContext as Record<string, unknown>).resourcePath, "/pets/{id}");
    assert.equal("body" in event, false);
    // Same identity: cached.
    await h.send({ path: "/prod/pets/7", query: "tenant=t1", headers: { "X-User": "u" } });
    assert.equal(h.calls.authz?.length, 1);
  });
});

describe("API keys and usage plans", () => {
  function keyedApi() {
    const h = harness([resource("/k", [method("GET", echo, { apiKeyRequired: true })])]);
    h.functions.echo = (event) => ({
      statusCode: 200,
      body: JSON.stringify((event.requestContext as Record<string, unknown>).identity),
    });
    h.apiKeys.push(
      { id: "key1", value: "secret-key-value-0001", enabled: true },
      { id: "key2", value: "disabled-key-000002", enabled: false },
    );
    return h;
  }

  it("needs an enabled key that is in a usage plan of the stage (403 Forbidden)", async () => {
    const h = keyedApi();
    const none = await h.send({ path: "/prod/k" });
    assert.equal(none.status, 403);
    assert.deepEqual(none.json(), { message: "Forbidden" });
    assert.equal(none.headers["x-amzn-ErrorType"], "ForbiddenException");
    assert.equal(
      (await h.send({ path: "/prod/k", headers: { "x-api-key": "secret-key-value-0001" } })).status,
      403,
    );
    h.usagePlans.push({
      plan: { id: "plan1", apiStages: [{ apiId: API_ID, stage: "prod" }] },
      keyIds: ["key1", "key2"],
    });
    assert.equal(
      (await h.send({ path: "/prod/k", headers: { "x-api-key": "disabled-key-000002" } })).status,
      403,
    );
    const ok = await h.send({ path: "/prod/k", headers: { "x-api-key": "secret-key-value-0001" } });
    assert.equal(ok.status, 200);
    const identity = ok.json() as Record<string, unknown>;
    assert.equal(identity.apiKey, "secret-key-value-0001");
    assert.equal(identity.apiKeyId, "key1");
  });

  it("takes the key from the authorizer's usageIdentifierKey when apiKeySource is AUTHORIZER", async () => {
    const h = authorizedApi(
      { type: "TOKEN", identitySource: "method.request.header.Authorization" },
      { apiKeyRequired: true },
    );
    h.deployment.api.apiKeySource = "AUTHORIZER";
    h.apiKeys.push({ id: "key1", value: "secret-key-value-0001", enabled: true });
    h.usagePlans.push({
      plan: { id: "plan1", apiStages: [{ apiId: API_ID, stage: "prod" }] },
      keyIds: ["key1"],
    });
    h.functions.authz = (event) => ({
      principalId: "u",
      policyDocument: policy("Allow", "*"),
      ...(event.authorizationToken === "with-key" ? { usageIdentifierKey: "secret-key-value-0001" } : {}),
    });
    const ok = await h.send({ path: "/prod/pets/1", headers: { Authorization: "with-key" } });
    assert.equal(ok.status, 200);
    // The x-api-key header does not count with apiKeySource AUTHORIZER.
    const header = await h.send({
      path: "/prod/pets/1",
      headers: { Authorization: "no-key", "x-api-key": "secret-key-value-0001" },
    });
    assert.equal(header.status, 403);
    assert.deepEqual(header.json(), { message: "Forbidden" });
  });

  it("answers 429 Limit Exceeded past the quota until the next period", async () => {
    const h = keyedApi();
    h.usagePlans.push({
      plan: {
        id: "plan1",
        quota: { limit: 2, period: "DAY", offset: 0 },
        apiStages: [{ apiId: API_ID, stage: "prod" }],
      },
      keyIds: ["key1"],
    });
    const send = () => h.send({ path: "/prod/k", headers: { "x-api-key": "secret-key-value-0001" } });
    assert.equal((await send()).status, 200);
    assert.equal((await send()).status, 200);
    const over = await send();
    assert.equal(over.status, 429);
    assert.deepEqual(over.json(), { message: "Limit Exceeded" });
    assert.equal(over.headers["x-amzn-ErrorType"], "LimitExceededException");
    h.clock.advance(24 * 3600 * 1000);
    assert.equal((await send()).status, 200);
  });

  it("answers 429 Too Many Requests past the plan's burst", async () => {
    const h = keyedApi();
    h.usagePlans.push({
      plan: {
        id: "plan1",
        throttle: { rateLimit: 1, burstLimit: 1 },
        apiStages: [{ apiId: API_ID, stage: "prod" }],
      },
      keyIds: ["key1"],
    });
    const send = () => h.send({ path: "/prod/k", headers: { "x-api-key": "secret-key-value-0001" } });
    assert.equal((await send()).status, 200);
    const throttled = await send();
    assert.equal(throttled.status, 429);
    assert.deepEqual(throttled.json(), { message: "Too Many Requests" });
    h.clock.advance(1000);
    assert.equal((await send()).status, 200);
  });

  it("throttles a stage by its method settings", async () => {
    const h = harness([resource("/t", [method("GET", echo)])]);
    h.functions.echo = () => ({ statusCode: 200 });
    // The most specific key wins: the method's own settings over the stage-wide defaults.
    h.stage.methodSettings = {
      "*/*": { throttlingRateLimit: 10000, throttlingBurstLimit: 5000 },
      "~1t/GET": { throttlingRateLimit: 1, throttlingBurstLimit: 2 },
    };
    assert.equal((await h.send({ path: "/prod/t" })).status, 200);
    assert.equal((await h.send({ path: "/prod/t" })).status, 200);
    assert.equal((await h.send({ path: "/prod/t" })).status, 429);
  });
});

describe("gateway responses", () => {
  it("applies a customised response type with its status, headers and template", async () => {
    const h = harness([resource("/x", [method("GET", echo)])]);
    h.deployment.gatewayResponses.MISSING_AUTHENTICATION_TOKEN = {
      responseType: "MISSING_AUTHENTICATION_TOKEN",
      statusCode: "404",
      responseParameters: {
        "gatewayresponse.header.Access-Control-Allow-Origin": "'*'",
        "gatewayresponse.header.X-Req": "method.request.header.X-Req",
      },
      responseTemplates: {
        "application/json": '{"error":$context.error.messageString,"type":"$context.error.responseType"}',
      },
    };
    const answer = await h.send({ path: "/prod/nowhere", headers: { "X-Req": "r1" } });
    assert.equal(answer.status, 404);
    assert.deepEqual(answer.json(), {
      error: "Missing Authentication Token",
      type: "MISSING_AUTHENTICATION_TOKEN",
    });
    assert.equal(answer.headers["Access-Control-Allow-Origin"], "*");
    assert.equal(answer.headers["X-Req"], "r1");
  });

  it("lends DEFAULT_4XX's template and headers to other 4XX types, which keep their status", async () => {
    const h = authorizedApi({ type: "TOKEN", identitySource: "method.request.header.Authorization" });
    h.deployment.gatewayResponses.DEFAULT_4XX = {
      responseType: "DEFAULT_4XX",
      responseParameters: { "gatewayresponse.header.Access-Control-Allow-Origin": "'*'" },
      responseTemplates: { "application/json": '{"oops":$context.error.messageString}' },
    };
    const answer = await h.send({ path: "/prod/pets/1" });
    assert.equal(answer.status, 401);
    assert.deepEqual(answer.json(), { oops: "Unauthorized" });
    assert.equal(answer.headers["Access-Control-Allow-Origin"], "*");
  });
});

describe("resource policies", () => {
  function policedApi(policyDocument: unknown) {
    const h = harness([resource("/p", [method("GET", echo)])]);
    h.functions.echo = () => ({ statusCode: 200, body: "ok" });
    h.deployment.api.policy = JSON.stringify(policyDocument);
    return h;
  }
  const arn = `arn:aws:execute-api:${REGION}:${ACCOUNT}:${API_ID}/prod/GET/p`;

  it("lets callers in through an Allow, and refuses the others", async () => {
    const h = policedApi({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: "*",
          Action: "execute-api:Invoke",
          Resource: "execute-api:/*",
          Condition: { IpAddress: { "aws:SourceIp": ["127.0.0.0/8"] } },
        },
      ],
    });
    assert.equal((await h.send({ path: "/prod/p" })).status, 200);
    const other = policedApi({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: "*",
          Action: "execute-api:Invoke",
          Resource: "execute-api:/*",
          Condition: { IpAddress: { "aws:SourceIp": ["10.0.0.0/8"] } },
        },
      ],
    });
    const refused = await other.send({ path: "/prod/p" });
    assert.equal(refused.status, 403);
    assert.deepEqual(refused.json(), {
      Message: `User: anonymous is not authorized to perform: execute-api:Invoke on resource: ${arn}`,
    });
    assert.equal(refused.headers["x-amzn-ErrorType"], "AccessDeniedException");
  });

  it("refuses with an explicit deny even when another statement allows", async () => {
    const h = policedApi({
      Version: "2012-10-17",
      Statement: [
        { Effect: "Allow", Principal: "*", Action: "execute-api:Invoke", Resource: "execute-api:/*" },
        {
          Effect: "Deny",
          Principal: "*",
          Action: "execute-api:Invoke",
          Resource: `${arn.replace(/\/p$/, "/*")}`,
        },
      ],
    });
    const refused = await h.send({ path: "/prod/p" });
    assert.equal(refused.status, 403);
    assert.deepEqual(refused.json(), {
      Message: `User: anonymous is not authorized to perform: execute-api:Invoke on resource: ${arn} with an explicit deny`,
    });
  });
});
