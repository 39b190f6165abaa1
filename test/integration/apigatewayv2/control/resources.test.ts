import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  CreateApiCommand,
  CreateAuthorizerCommand,
  CreateIntegrationCommand,
  CreateRouteCommand,
  DeleteAuthorizerCommand,
  DeleteIntegrationCommand,
  DeleteRouteCommand,
  GetAuthorizerCommand,
  GetAuthorizersCommand,
  GetIntegrationCommand,
  GetRouteCommand,
  GetRoutesCommand,
  UpdateAuthorizerCommand,
  UpdateIntegrationCommand,
  UpdateRouteCommand,
} from "@aws-sdk/client-apigatewayv2";
import { useStratus } from "../../../support/stratus.ts";
import { client, LAMBDA_ARN, LAMBDA_PATH_URI, rejects } from "./helpers.ts";

describe("apigatewayv2 routes, integrations and authorizers", () => {
  const stratus = useStratus({ inMemory: true });

  async function newApi(): Promise<string> {
    const api = await client(stratus).send(new CreateApiCommand({ Name: "res", ProtocolType: "HTTP" }));
    return api.ApiId ?? "";
  }

  it("creates, reads, updates and deletes an AWS_PROXY integration", async () => {
    const apigw = client(stratus);
    const ApiId = await newApi();
    const created = await apigw.send(
      new CreateIntegrationCommand({
        ApiId,
        IntegrationType: "AWS_PROXY",
        IntegrationUri: LAMBDA_PATH_URI,
        PayloadFormatVersion: "2.0",
        RequestParameters: { "overwrite:header.x-a": "b" },
      }),
    );
    assert.equal(created.$metadata.httpStatusCode, 201);
    assert.match(created.IntegrationId ?? "", /^[a-z0-9]{7}$/);
    assert.equal(created.PayloadFormatVersion, "2.0");
    assert.equal(created.IntegrationMethod, "POST");
    assert.equal(created.TimeoutInMillis, 30000);
    assert.equal(created.ConnectionType, "INTERNET");
    assert.deepEqual(created.RequestParameters, { "overwrite:header.x-a": "b" });
    const updated = await apigw.send(
      new UpdateIntegrationCommand({ ApiId, IntegrationId: created.IntegrationId, TimeoutInMillis: 5000 }),
    );
    assert.equal(updated.TimeoutInMillis, 5000);
    assert.equal(updated.PayloadFormatVersion, "2.0");
    const got = await apigw.send(new GetIntegrationCommand({ ApiId, IntegrationId: created.IntegrationId }));
    assert.equal(got.TimeoutInMillis, 5000);
    await apigw.send(new DeleteIntegrationCommand({ ApiId, IntegrationId: created.IntegrationId }));
    await rejects(
      apigw.send(new GetIntegrationCommand({ ApiId, IntegrationId: created.IntegrationId })),
      "NotFoundException",
      404,
      `Invalid Integration identifier specified ${created.IntegrationId}`,
    );
  });

  it("checks integration rules: timeout range, 2.0 only for Lambda, HTTP_PROXY needs a method", async () => {
    const apigw = client(stratus);
    const ApiId = await newApi();
    await rejects(
      apigw.send(
        new CreateIntegrationCommand({
          ApiId,
          IntegrationType: "AWS_PROXY",
          IntegrationUri: LAMBDA_ARN,
          PayloadFormatVersion: "2.0",
          TimeoutInMillis: 30001,
        }),
      ),
      "BadRequestException",
      400,
    );
    // The SDK path must name the payload format of a Lambda proxy (developer guide).
    await rejects(
      apigw.send(
        new CreateIntegrationCommand({ ApiId, IntegrationType: "AWS_PROXY", IntegrationUri: LAMBDA_ARN }),
      ),
      "BadRequestException",
      400,
    );
    const lambda = await apigw.send(
      new CreateIntegrationCommand({
        ApiId,
        IntegrationType: "AWS_PROXY",
        IntegrationUri: LAMBDA_ARN,
        PayloadFormatVersion: "1.0",
      }),
    );
    assert.equal(lambda.PayloadFormatVersion, "1.0");
    await rejects(
      apigw.send(
        new CreateIntegrationCommand({
          ApiId,
          IntegrationType: "HTTP_PROXY",
          IntegrationUri: "https://example.com",
          IntegrationMethod: "GET",
          PayloadFormatVersion: "2.0",
        }),
      ),
      "BadRequestException",
      400,
    );
    await rejects(
      apigw.send(
        new CreateIntegrationCommand({
          ApiId,
          IntegrationType: "HTTP_PROXY",
          IntegrationUri: "https://example.com",
        }),
      ),
      "BadRequestException",
      400,
    );
    await rejects(
      apigw.send(new CreateIntegrationCommand({ ApiId, IntegrationType: "MOCK" })),
      "BadRequestException",
      400,
    );
    const http = await apigw.send(
      new CreateIntegrationCommand({
        ApiId,
        IntegrationType: "HTTP_PROXY",
        IntegrationUri: "https://example.com/{proxy}",
        IntegrationMethod: "ANY",
      }),
    );
    assert.equal(http.PayloadFormatVersion, "1.0");
  });

  it("validates route keys and refuses duplicates with a ConflictException", async () => {
    const apigw = client(stratus);
    const ApiId = await newApi();
    for (const RouteKey of ["GET /pets/{id}", "ANY /{proxy+}", "$default", "POST /"]) {
      const route = await apigw.send(new CreateRouteCommand({ ApiId, RouteKey }));
      assert.equal(route.RouteKey, RouteKey);
      assert.equal(route.ApiKeyRequired, false);
      assert.equal(route.AuthorizationType, "NONE");
    }
    for (const RouteKey of ["GET pets", "FETCH /pets", "GET /{proxy+}/more"]) {
      await rejects(apigw.send(new CreateRouteCommand({ ApiId, RouteKey })), "BadRequestException", 400);
    }
    await rejects(
      apigw.send(new CreateRouteCommand({ ApiId, RouteKey: "GET /pets/{id}" })),
      "ConflictException",
      409,
      "Route with key GET /pets/{id} already exists for this API",
    );
    const routes = await apigw.send(new GetRoutesCommand({ ApiId }));
    assert.equal(routes.Items?.length, 4);
  });

  it("targets an integration and protects a route with a JWT authorizer", async () => {
    const apigw = client(stratus);
    const ApiId = await newApi();
    const integration = await apigw.send(
      new CreateIntegrationCommand({
        ApiId,
        IntegrationType: "AWS_PROXY",
        IntegrationUri: LAMBDA_ARN,
        PayloadFormatVersion: "2.0",
      }),
    );
    const authorizer = await apigw.send(
      new CreateAuthorizerCommand({
        ApiId,
        Name: "jwt",
        AuthorizerType: "JWT",
        IdentitySource: ["$request.header.Authorization"],
        JwtConfiguration: { Issuer: "https://issuer.example", Audience: ["aud"] },
      }),
    );
    assert.equal(authorizer.$metadata.httpStatusCode, 201);
    const route = await apigw.send(
      new CreateRouteCommand({
        ApiId,
        RouteKey: "GET /secret",
        Target: `integrations/${integration.IntegrationId}`,
        AuthorizationType: "JWT",
        AuthorizerId: authorizer.AuthorizerId,
        AuthorizationScopes: ["read"],
      }),
    );
    assert.equal(route.AuthorizerId, authorizer.AuthorizerId);
    assert.deepEqual(route.AuthorizationScopes, ["read"]);
    await rejects(
      apigw.send(new CreateRouteCommand({ ApiId, RouteKey: "GET /x", Target: "integrations/missing" })),
      "BadRequestException",
      400,
    );
    await rejects(
      apigw.send(
        new CreateRouteCommand({
          ApiId,
          RouteKey: "GET /y",
          AuthorizationType: "CUSTOM",
          AuthorizerId: authorizer.AuthorizerId,
        }),
      ),
      "BadRequestException",
      400,
    );
    // In use: neither the authorizer nor the integration can go while the route names them.
    await rejects(
      apigw.send(new DeleteAuthorizerCommand({ ApiId, AuthorizerId: authorizer.AuthorizerId })),
      "ConflictException",
      409,
    );
    await rejects(
      apigw.send(new DeleteIntegrationCommand({ ApiId, IntegrationId: integration.IntegrationId })),
      "ConflictException",
      409,
    );
    const open = await apigw.send(
      new UpdateRouteCommand({ ApiId, RouteId: route.RouteId, AuthorizationType: "NONE" }),
    );
    assert.equal(open.AuthorizerId, undefined);
    await apigw.send(new DeleteAuthorizerCommand({ ApiId, AuthorizerId: authorizer.AuthorizerId }));
    await apigw.send(new DeleteRouteCommand({ ApiId, RouteId: route.RouteId }));
    await rejects(
      apigw.send(new GetRouteCommand({ ApiId, RouteId: route.RouteId })),
      "NotFoundException",
      404,
      `Invalid Route identifier specified ${route.RouteId}`,
    );
  });

  it("creates REQUEST authorizers with payload format rules", async () => {
    const apigw = client(stratus);
    const ApiId = await newApi();
    const created = await apigw.send(
      new CreateAuthorizerCommand({
        ApiId,
        Name: "lambda",
        AuthorizerType: "REQUEST",
        AuthorizerUri: LAMBDA_PATH_URI,
        AuthorizerPayloadFormatVersion: "2.0",
        EnableSimpleResponses: true,
        IdentitySource: ["$request.header.x-token"],
        AuthorizerResultTtlInSeconds: 300,
      }),
    );
    assert.equal(created.AuthorizerResultTtlInSeconds, 300);
    assert.equal(created.EnableSimpleResponses, true);
    const updated = await apigw.send(
      new UpdateAuthorizerCommand({
        ApiId,
        AuthorizerId: created.AuthorizerId,
        AuthorizerResultTtlInSeconds: 0,
      }),
    );
    assert.equal(updated.AuthorizerResultTtlInSeconds, 0);
    const got = await apigw.send(new GetAuthorizerCommand({ ApiId, AuthorizerId: created.AuthorizerId }));
    assert.equal(got.Name, "lambda");
    await rejects(
      apigw.send(
        new CreateAuthorizerCommand({
          ApiId,
          Name: "bad",
          AuthorizerType: "REQUEST",
          AuthorizerUri: LAMBDA_ARN,
          AuthorizerPayloadFormatVersion: "1.0",
          EnableSimpleResponses: true,
          IdentitySource: [],
        }),
      ),
      "BadRequestException",
      400,
    );
    await rejects(
      apigw.send(
        new CreateAuthorizerCommand({
          ApiId,
          Name: "nojwt",
          AuthorizerType: "JWT",
          IdentitySource: ["$request.header.Authorization"],
        }),
      ),
      "BadRequestException",
      400,
    );
    assert.equal((await apigw.send(new GetAuthorizersCommand({ ApiId }))).Items?.length, 1);
  });
});
