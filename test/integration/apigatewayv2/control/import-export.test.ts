import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  CreateApiCommand,
  CreateAuthorizerCommand,
  CreateRouteCommand,
  CreateStageCommand,
  ExportApiCommand,
  GetApiCommand,
  GetAuthorizersCommand,
  GetIntegrationsCommand,
  GetRoutesCommand,
  GetStageCommand,
  ImportApiCommand,
  ReimportApiCommand,
} from "@aws-sdk/client-apigatewayv2";
import { stringify as stringifyYaml } from "yaml";
import { useStratus } from "../../../support/stratus.ts";
import { client, LAMBDA_ARN, LAMBDA_PATH_URI, rejects } from "./helpers.ts";

const DOCUMENT = {
  openapi: "3.0.1",
  info: { title: "pets", version: "2024-01-01" },
  "x-amazon-apigateway-cors": { allowOrigins: ["https://a.example"], allowMethods: ["GET", "POST"] },
  paths: {
    "/pets/{petId}": {
      get: {
        security: [{ jwt: ["pets/read"] }],
        "x-amazon-apigateway-integration": {
          type: "aws_proxy",
          uri: LAMBDA_PATH_URI,
          httpMethod: "POST",
          payloadFormatVersion: "2.0",
          timeoutInMillis: 10000,
        },
      },
    },
    "/$default": {
      "x-amazon-apigateway-any-method": {
        "x-amazon-apigateway-integration": {
          type: "http_proxy",
          uri: "https://example.com/",
          httpMethod: "ANY",
          payloadFormatVersion: "1.0",
        },
      },
    },
  },
  components: {
    securitySchemes: {
      jwt: {
        type: "oauth2",
        "x-amazon-apigateway-authorizer": {
          type: "jwt",
          identitySource: "$request.header.Authorization",
          jwtConfiguration: { issuer: "https://issuer.example", audience: ["pets"] },
        },
      },
    },
  },
};

describe("apigatewayv2 ImportApi, ReimportApi, ExportApi", () => {
  const stratus = useStratus({ inMemory: true });

  it("imports an OpenAPI 3.0 document into routes, integrations, an authorizer and CORS", async () => {
    const apigw = client(stratus);
    const api = await apigw.send(new ImportApiCommand({ Body: JSON.stringify(DOCUMENT) }));
    assert.equal(api.$metadata.httpStatusCode, 201);
    assert.equal(api.Name, "pets");
    assert.equal(api.Version, "2024-01-01");
    assert.equal(api.ProtocolType, "HTTP");
    assert.deepEqual(api.CorsConfiguration, {
      AllowOrigins: ["https://a.example"],
      AllowMethods: ["GET", "POST"],
    });
    const routes = (await apigw.send(new GetRoutesCommand({ ApiId: api.ApiId }))).Items ?? [];
    assert.deepEqual(routes.map((r) => r.RouteKey).sort(), ["$default", "GET /pets/{petId}"]);
    const authorizers = (await apigw.send(new GetAuthorizersCommand({ ApiId: api.ApiId }))).Items ?? [];
    assert.equal(authorizers.length, 1);
    assert.equal(authorizers[0]?.AuthorizerType, "JWT");
    assert.deepEqual(authorizers[0]?.IdentitySource, ["$request.header.Authorization"]);
    const secured = routes.find((r) => r.RouteKey === "GET /pets/{petId}");
    assert.equal(secured?.AuthorizationType, "JWT");
    assert.equal(secured?.AuthorizerId, authorizers[0]?.AuthorizerId);
    assert.deepEqual(secured?.AuthorizationScopes, ["pets/read"]);
    const integrations = (await apigw.send(new GetIntegrationsCommand({ ApiId: api.ApiId }))).Items ?? [];
    const lambda = integrations.find((i) => i.IntegrationType === "AWS_PROXY");
    assert.equal(lambda?.PayloadFormatVersion, "2.0");
    assert.equal(lambda?.TimeoutInMillis, 10000);
    assert.equal(secured?.Target, `integrations/${lambda?.IntegrationId}`);
  });

  it("imports the same document written in YAML", async () => {
    const apigw = client(stratus);
    const api = await apigw.send(new ImportApiCommand({ Body: stringifyYaml(DOCUMENT) }));
    assert.equal(api.Name, "pets");
    const routes = (await apigw.send(new GetRoutesCommand({ ApiId: api.ApiId }))).Items ?? [];
    assert.deepEqual(routes.map((r) => r.RouteKey).sort(), ["$default", "GET /pets/{petId}"]);
  });

  it("round-trips: export as JSON, import the export, get the same routes", async () => {
    const apigw = client(stratus);
    const api = await apigw.send(new ImportApiCommand({ Body: JSON.stringify(DOCUMENT) }));
    const exported = await apigw.send(
      new ExportApiCommand({ ApiId: api.ApiId, Specification: "OAS30", OutputType: "JSON" }),
    );
    const text = new TextDecoder().decode(exported.body);
    const document = JSON.parse(text);
    assert.equal(document.openapi, "3.0.1");
    assert.equal(document.info.title, "pets");
    assert.equal(document["x-amazon-apigateway-importexport-version"], "1.0");
    const get = document.paths["/pets/{petId}"].get;
    assert.equal(get.responses.default.description, "Default response for GET /pets/{petId}");
    assert.deepEqual(get.security, [{ jwt: ["pets/read"] }]);
    assert.equal(get["x-amazon-apigateway-integration"].type, "aws_proxy");
    assert.equal(get.parameters[0].name, "petId");
    assert.ok(document.paths["/$default"]["x-amazon-apigateway-any-method"]);
    const copy = await apigw.send(new ImportApiCommand({ Body: text }));
    const routes = (await apigw.send(new GetRoutesCommand({ ApiId: copy.ApiId }))).Items ?? [];
    assert.deepEqual(routes.map((r) => r.RouteKey).sort(), ["$default", "GET /pets/{petId}"]);

    const bare = await apigw.send(
      new ExportApiCommand({
        ApiId: api.ApiId,
        Specification: "OAS30",
        OutputType: "JSON",
        IncludeExtensions: false,
      }),
    );
    assert.ok(!new TextDecoder().decode(bare.body).includes("x-amazon-apigateway"));
  });

  it("resolves $ref integrations and keeps unused ones through an export round trip", async () => {
    const apigw = client(stratus);
    const integration = {
      type: "aws_proxy",
      uri: LAMBDA_ARN,
      httpMethod: "POST",
      payloadFormatVersion: "2.0",
    };
    const document = {
      openapi: "3.0.1",
      info: { title: "refs", version: "1" },
      paths: {
        "/a": {
          get: {
            "x-amazon-apigateway-integration": {
              $ref: "#/components/x-amazon-apigateway-integrations/shared",
            },
          },
        },
      },
      components: {
        "x-amazon-apigateway-integrations": {
          shared: integration,
          spare: { ...integration, payloadFormatVersion: "1.0" },
        },
      },
    };
    const api = await apigw.send(new ImportApiCommand({ Body: JSON.stringify(document) }));
    const integrations = (await apigw.send(new GetIntegrationsCommand({ ApiId: api.ApiId }))).Items ?? [];
    assert.deepEqual(integrations.map((i) => i.PayloadFormatVersion).sort(), ["1.0", "2.0"]);
    const route = (await apigw.send(new GetRoutesCommand({ ApiId: api.ApiId }))).Items?.[0];
    const shared = integrations.find((i) => i.PayloadFormatVersion === "2.0");
    assert.equal(route?.Target, `integrations/${shared?.IntegrationId}`);
    const exported = await apigw.send(
      new ExportApiCommand({ ApiId: api.ApiId, Specification: "OAS30", OutputType: "JSON" }),
    );
    const text = new TextDecoder().decode(exported.body);
    const unused = JSON.parse(text).components["x-amazon-apigateway-integrations"];
    assert.deepEqual(Object.keys(unused), [
      `unusedIntegration_${integrations.find((i) => i.PayloadFormatVersion === "1.0")?.IntegrationId}`,
    ]);
    const copy = await apigw.send(new ImportApiCommand({ Body: text }));
    assert.equal((await apigw.send(new GetIntegrationsCommand({ ApiId: copy.ApiId }))).Items?.length, 2);
    await rejects(
      apigw.send(
        new ImportApiCommand({
          Body: JSON.stringify({
            ...document,
            paths: { "/b": { get: { "x-amazon-apigateway-integration": { $ref: "#/nowhere" } } } },
          }),
        }),
      ),
      "BadRequestException",
      400,
    );
  });

  it("exports YAML", async () => {
    const apigw = client(stratus);
    const api = await apigw.send(
      new CreateApiCommand({ Name: "yaml api", ProtocolType: "HTTP", Target: LAMBDA_ARN }),
    );
    const exported = await apigw.send(
      new ExportApiCommand({ ApiId: api.ApiId, Specification: "OAS30", OutputType: "YAML" }),
    );
    const text = new TextDecoder().decode(exported.body);
    assert.match(text, /^openapi: "3\.0\.1"\n/);
    assert.match(text, /\n {2}title: "yaml api"\n/);
    assert.match(text, /\n {2}\/\$default:\n {4}x-amazon-apigateway-any-method:\n/);
  });

  it("exports what a stage serves", async () => {
    const apigw = client(stratus);
    const api = await apigw.send(
      new CreateApiCommand({ Name: "staged", ProtocolType: "HTTP", Target: LAMBDA_ARN }),
    );
    await apigw.send(new CreateRouteCommand({ ApiId: api.ApiId, RouteKey: "GET /later" }));
    await apigw.send(new CreateStageCommand({ ApiId: api.ApiId, StageName: "empty" }));
    const staged = await apigw.send(
      new ExportApiCommand({
        ApiId: api.ApiId,
        Specification: "OAS30",
        OutputType: "JSON",
        StageName: "$default",
      }),
    );
    const paths = Object.keys(JSON.parse(new TextDecoder().decode(staged.body)).paths).sort();
    assert.deepEqual(paths, ["/$default", "/later"]);
  });

  it("reimports over an API and redeploys its auto-deploy stage", async () => {
    const apigw = client(stratus);
    const api = await apigw.send(
      new CreateApiCommand({ Name: "old", ProtocolType: "HTTP", Target: LAMBDA_ARN }),
    );
    const before = await apigw.send(new GetStageCommand({ ApiId: api.ApiId, StageName: "$default" }));
    const reimported = await apigw.send(
      new ReimportApiCommand({ ApiId: api.ApiId, Body: JSON.stringify(DOCUMENT) }),
    );
    assert.equal(reimported.$metadata.httpStatusCode, 201);
    assert.equal((await apigw.send(new GetApiCommand({ ApiId: api.ApiId }))).Name, "pets");
    const routes = (await apigw.send(new GetRoutesCommand({ ApiId: api.ApiId }))).Items ?? [];
    assert.deepEqual(routes.map((r) => r.RouteKey).sort(), ["$default", "GET /pets/{petId}"]);
    const after = await apigw.send(new GetStageCommand({ ApiId: api.ApiId, StageName: "$default" }));
    assert.notEqual(after.DeploymentId, before.DeploymentId);
    await apigw.send(
      new CreateAuthorizerCommand({
        ApiId: api.ApiId,
        Name: "extra",
        AuthorizerType: "JWT",
        IdentitySource: ["$request.header.Authorization"],
        JwtConfiguration: { Issuer: "https://x.example" },
      }),
    );
  });

  it("answers BadRequest for documents it cannot import and for bad export options", async () => {
    const apigw = client(stratus);
    await rejects(apigw.send(new ImportApiCommand({ Body: "openapi: 3.0.1\n" })), "BadRequestException", 400);
    await rejects(apigw.send(new ImportApiCommand({ Body: "{not json" })), "BadRequestException", 400);
    await rejects(
      apigw.send(new ImportApiCommand({ Body: JSON.stringify({ swagger: "2.0", info: { title: "x" } }) })),
      "BadRequestException",
      400,
    );
    const api = await apigw.send(new CreateApiCommand({ Name: "e", ProtocolType: "HTTP" }));
    await rejects(
      apigw.send(new ExportApiCommand({ ApiId: api.ApiId, Specification: "OAS30", OutputType: "XML" })),
      "BadRequestException",
      400,
    );
    await rejects(
      apigw.send(new ExportApiCommand({ ApiId: api.ApiId, Specification: "SWAGGER", OutputType: "JSON" })),
      "BadRequestException",
      400,
    );
  });
});
