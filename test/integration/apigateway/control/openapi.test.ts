/**
 * ImportRestApi and PutRestApi from Swagger 2.0 and OpenAPI 3.0 documents with API Gateway's
 * extensions, and GetExport's documents round-tripping through ImportRestApi.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  type APIGatewayClient,
  CreateDeploymentCommand,
  GetAuthorizersCommand,
  GetExportCommand,
  GetGatewayResponseCommand,
  GetModelCommand,
  GetRequestValidatorsCommand,
  GetResourcesCommand,
  GetRestApisCommand,
  ImportRestApiCommand,
  type Method,
  PutRestApiCommand,
} from "@aws-sdk/client-api-gateway";
import { parse as parseYaml } from "yaml";
import { useStratus } from "../../../support/stratus.ts";
import { apigateway, rejects } from "./helpers.ts";

const LAMBDA_URI =
  "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:000000000000:function:pets/invocations";

const swagger = {
  swagger: "2.0",
  info: { title: "Pets", version: "1.0", description: "pet store" },
  "x-amazon-apigateway-binary-media-types": ["image/png"],
  "x-amazon-apigateway-request-validators": {
    body: { validateRequestBody: true, validateRequestParameters: false },
  },
  "x-amazon-apigateway-gateway-responses": {
    DEFAULT_4XX: { statusCode: "400", responseTemplates: { "application/json": '{"oops":true}' } },
  },
  securityDefinitions: {
    api_key: { type: "apiKey", name: "x-api-key", in: "header" },
    tokenAuth: {
      type: "apiKey",
      name: "Authorization",
      in: "header",
      "x-amazon-apigateway-authtype": "custom",
      "x-amazon-apigateway-authorizer": {
        type: "token",
        authorizerUri: LAMBDA_URI,
        authorizerResultTtlInSeconds: 60,
      },
    },
  },
  definitions: { Pet: { type: "object", properties: { name: { type: "string" } } } },
  paths: {
    "/pets": {
      get: {
        operationId: "ListPets",
        parameters: [{ name: "limit", in: "query", required: false, type: "string" }],
        security: [{ api_key: [] }],
        responses: { "200": { description: "ok", schema: { $ref: "#/definitions/Pet" } } },
        "x-amazon-apigateway-integration": { type: "aws_proxy", httpMethod: "POST", uri: LAMBDA_URI },
      },
      post: {
        parameters: [{ in: "body", name: "Pet", required: true, schema: { $ref: "#/definitions/Pet" } }],
        security: [{ tokenAuth: [] }],
        "x-amazon-apigateway-request-validator": "body",
        responses: { "201": { description: "created" } },
        "x-amazon-apigateway-integration": {
          type: "mock",
          requestTemplates: { "application/json": '{"statusCode": 201}' },
          passthroughBehavior: "when_no_templates",
          responses: {
            default: { statusCode: "201", responseTemplates: { "application/json": '{"ok":true}' } },
            "4\\d{2}": { statusCode: "400" },
          },
        },
      },
    },
    "/pets/{id}": {
      get: {
        parameters: [{ name: "id", in: "path", required: true, type: "string" }],
        responses: {},
        "x-amazon-apigateway-integration": { type: "aws_proxy", httpMethod: "POST", uri: LAMBDA_URI },
      },
    },
  },
};

const body = (doc: unknown) => new TextEncoder().encode(JSON.stringify(doc));

async function methodsByPath(
  client: APIGatewayClient,
  apiId: string,
): Promise<Record<string, Record<string, Method>>> {
  const resources = await client.send(new GetResourcesCommand({ restApiId: apiId, embed: ["methods"] }));
  return Object.fromEntries((resources.items ?? []).map((r) => [r.path ?? "", r.resourceMethods ?? {}]));
}

describe("OpenAPI import and export", () => {
  const stratus = useStratus({ inMemory: true });

  it("imports a Swagger 2.0 document with API Gateway's extensions", async () => {
    const client = apigateway(stratus);
    const api = await client.send(new ImportRestApiCommand({ body: body(swagger) }));
    assert.equal(api.$metadata.httpStatusCode, 201);
    assert.equal(api.name, "Pets");
    assert.equal(api.description, "pet store");
    assert.equal(api.version, "1.0");
    assert.deepEqual(api.binaryMediaTypes, ["image/png"]);
    const apiId = api.id as string;
    const methods = await methodsByPath(client, apiId);
    assert.deepEqual(Object.keys(methods).sort(), ["/", "/pets", "/pets/{id}"]);
    const list = methods["/pets"]?.GET;
    assert.equal(list?.operationName, "ListPets");
    assert.equal(list?.apiKeyRequired, true);
    assert.deepEqual(list?.requestParameters, { "method.request.querystring.limit": false });
    assert.deepEqual(list?.methodResponses?.["200"]?.responseModels, { "application/json": "Pet" });
    assert.equal(list?.methodIntegration?.type, "AWS_PROXY");
    assert.equal(list?.methodIntegration?.uri, LAMBDA_URI);
    const create = methods["/pets"]?.POST;
    assert.equal(create?.authorizationType, "CUSTOM");
    assert.deepEqual(create?.requestModels, { "application/json": "Pet" });
    assert.equal(create?.methodIntegration?.passthroughBehavior, "WHEN_NO_TEMPLATES");
    assert.deepEqual(create?.methodIntegration?.integrationResponses?.["201"], {
      statusCode: "201",
      responseTemplates: { "application/json": '{"ok":true}' },
    });
    assert.equal(create?.methodIntegration?.integrationResponses?.["400"]?.selectionPattern, "4\\d{2}");
    const authorizers = await client.send(new GetAuthorizersCommand({ restApiId: apiId }));
    assert.equal(authorizers.items?.length, 1);
    assert.equal(create?.authorizerId, authorizers.items?.[0]?.id);
    assert.equal(authorizers.items?.[0]?.identitySource, "method.request.header.Authorization");
    assert.equal(authorizers.items?.[0]?.authorizerResultTtlInSeconds, 60);
    const validators = await client.send(new GetRequestValidatorsCommand({ restApiId: apiId }));
    assert.equal(create?.requestValidatorId, validators.items?.[0]?.id);
    const model = await client.send(new GetModelCommand({ restApiId: apiId, modelName: "Pet" }));
    assert.deepEqual(JSON.parse(model.schema ?? ""), swagger.definitions.Pet);
    const gateway = await client.send(
      new GetGatewayResponseCommand({ restApiId: apiId, responseType: "DEFAULT_4XX" }),
    );
    assert.equal(gateway.statusCode, "400");
  });

  it("imports an OpenAPI 3.0 document with REQUEST authorizers and $refs to parameters and bodies", async () => {
    const client = apigateway(stratus);
    const doc = {
      openapi: "3.0.1",
      info: { title: "Orders", version: "3" },
      "x-amazon-apigateway-api-key-source": "AUTHORIZER",
      components: {
        parameters: { orderId: { name: "orderId", in: "path", required: true, schema: { type: "string" } } },
        requestBodies: {
          Order: { content: { "application/json": { schema: { $ref: "#/components/schemas/Order" } } } },
        },
        schemas: { Order: { type: "object", properties: { id: { type: "string" } } } },
        securitySchemes: {
          requestAuth: {
            type: "apiKey",
            name: "Unused",
            in: "header",
            "x-amazon-apigateway-authtype": "custom",
            "x-amazon-apigateway-authorizer": {
              type: "request",
              authorizerUri: LAMBDA_URI,
              identitySource: "method.request.header.x-token, method.request.querystring.t",
              authorizerResultTtlInSeconds: 0,
            },
          },
          sigv4: {
            type: "apiKey",
            name: "Authorization",
            in: "header",
            "x-amazon-apigateway-authtype": "awsSigv4",
          },
        },
      },
      paths: {
        "/orders/{orderId}": {
          parameters: [{ $ref: "#/components/parameters/orderId" }],
          put: {
            requestBody: { $ref: "#/components/requestBodies/Order" },
            security: [{ requestAuth: [] }],
            responses: {},
            "x-amazon-apigateway-integration": { type: "AWS_PROXY", httpMethod: "POST", uri: LAMBDA_URI },
          },
          delete: {
            security: [{ sigv4: [] }],
            "x-amazon-apigateway-integration": { type: "AWS_PROXY", httpMethod: "POST", uri: LAMBDA_URI },
          },
        },
      },
    };
    const api = await client.send(new ImportRestApiCommand({ body: body(doc) }));
    assert.equal(api.apiKeySource, "AUTHORIZER");
    const methods = await methodsByPath(client, api.id as string);
    const put = methods["/orders/{orderId}"]?.PUT;
    assert.deepEqual(put?.requestParameters, { "method.request.path.orderId": true });
    assert.deepEqual(put?.requestModels, { "application/json": "Order" });
    assert.equal(put?.authorizationType, "CUSTOM");
    assert.equal(methods["/orders/{orderId}"]?.DELETE?.authorizationType, "AWS_IAM");
    const authorizers = await client.send(new GetAuthorizersCommand({ restApiId: api.id }));
    assert.deepEqual(
      authorizers.items?.map((a) => [a.name, a.type, a.identitySource, a.authorizerResultTtlInSeconds]),
      [["requestAuth", "REQUEST", "method.request.header.x-token, method.request.querystring.t", 0]],
    );
  });

  it("exports a stage as OpenAPI 3.0 and Swagger 2.0 that import back to the same API", async () => {
    const client = apigateway(stratus);
    const api = await client.send(new ImportRestApiCommand({ body: body(swagger) }));
    const apiId = api.id as string;
    await client.send(new CreateDeploymentCommand({ restApiId: apiId, stageName: "dev" }));
    const original = await methodsByPath(client, apiId);
    for (const exportType of ["oas30", "swagger"]) {
      const exported = await client.send(
        new GetExportCommand({
          restApiId: apiId,
          stageName: "dev",
          exportType,
          parameters: { extensions: "apigateway" },
          accepts: "application/json",
        }),
      );
      assert.equal(exported.contentType, "application/json");
      const doc = JSON.parse(new TextDecoder().decode(exported.body));
      if (exportType === "oas30") {
        assert.equal(doc.openapi, "3.0.1");
        assert.equal(doc.servers[0].variables.basePath.default, "dev");
        assert.equal(doc.paths["/pets"].get["x-amazon-apigateway-integration"].type, "aws_proxy");
      } else {
        assert.equal(doc.swagger, "2.0");
        assert.equal(doc.basePath, "/dev");
      }
      const copy = await client.send(new ImportRestApiCommand({ body: body(doc) }));
      const copied = await methodsByPath(client, copy.id as string);
      assert.deepEqual(Object.keys(copied).sort(), Object.keys(original).sort());
      for (const [path, methods] of Object.entries(original)) {
        for (const [verb, method] of Object.entries(methods)) {
          const twin = copied[path]?.[verb];
          assert.equal(twin?.authorizationType, method.authorizationType, `${verb} ${path}`);
          assert.equal(twin?.apiKeyRequired, method.apiKeyRequired, `${verb} ${path}`);
          assert.deepEqual(twin?.requestParameters, method.requestParameters, `${verb} ${path}`);
          assert.equal(twin?.methodIntegration?.type, method.methodIntegration?.type, `${verb} ${path}`);
          assert.equal(twin?.methodIntegration?.uri, method.methodIntegration?.uri, `${verb} ${path}`);
          assert.deepEqual(
            twin?.methodIntegration?.integrationResponses,
            method.methodIntegration?.integrationResponses,
            `${verb} ${path}`,
          );
        }
      }
    }
  });

  it("exports YAML when asked", async () => {
    const client = apigateway(stratus);
    const api = await client.send(new ImportRestApiCommand({ body: body(swagger) }));
    await client.send(new CreateDeploymentCommand({ restApiId: api.id, stageName: "dev" }));
    const exported = await client.send(
      new GetExportCommand({
        restApiId: api.id,
        stageName: "dev",
        exportType: "oas30",
        accepts: "application/yaml",
      }),
    );
    assert.equal(exported.contentType, "application/yaml");
    const text = new TextDecoder().decode(exported.body);
    assert.ok(text.startsWith('openapi: "3.0.1"\ninfo:\n  title: "Pets"\n'), text);
    // The same document as the JSON export, written as YAML.
    const asJson = await client.send(
      new GetExportCommand({ restApiId: api.id, stageName: "dev", exportType: "oas30" }),
    );
    assert.deepEqual(parseYaml(text), JSON.parse(new TextDecoder().decode(asJson.body)));
    await rejects(
      client.send(new GetExportCommand({ restApiId: api.id, stageName: "nope", exportType: "oas30" })),
      "NotFoundException",
      "Invalid Stage identifier specified",
      404,
    );
  });

  it("puts a document in overwrite and merge modes", async () => {
    const client = apigateway(stratus);
    const api = await client.send(new ImportRestApiCommand({ body: body(swagger) }));
    const apiId = api.id as string;
    const extra = {
      openapi: "3.0.1",
      info: { title: "Pets", version: "2" },
      paths: {
        "/health": {
          get: {
            "x-amazon-apigateway-integration": {
              type: "mock",
              requestTemplates: { "application/json": "{}" },
            },
          },
        },
      },
    };
    const merged = await client.send(
      new PutRestApiCommand({ restApiId: apiId, mode: "merge", body: body(extra) }),
    );
    assert.equal(merged.version, "2");
    assert.deepEqual(Object.keys(await methodsByPath(client, apiId)).sort(), [
      "/",
      "/health",
      "/pets",
      "/pets/{id}",
    ]);
    await client.send(new PutRestApiCommand({ restApiId: apiId, mode: "overwrite", body: body(extra) }));
    const overwritten = await methodsByPath(client, apiId);
    assert.deepEqual(Object.keys(overwritten).sort(), ["/", "/health"]);
    const root = (await client.send(new GetResourcesCommand({ restApiId: apiId }))).items?.find(
      (r) => r.path === "/",
    );
    assert.equal(root?.id, api.rootResourceId);
  });

  it("refuses documents it cannot read and warnings with failOnWarnings", async () => {
    const client = apigateway(stratus);
    await rejects(
      client.send(new ImportRestApiCommand({ body: body({ hello: "world" }) })),
      "BadRequestException",
      "Unable to build importer with provided input.",
      400,
    );
    await rejects(
      client.send(
        new ImportRestApiCommand({ body: body({ swagger: "2.0", info: { version: "1" }, paths: {} }) }),
      ),
      "ValidationException",
      "1 validation error detected: Value null at 'createRestApiInput.name' failed to satisfy constraint: Member must not be null",
      400,
    );
    const noIntegration = {
      swagger: "2.0",
      info: { title: "x", version: "1" },
      paths: { "/a": { get: { responses: {} } } },
    };
    await rejects(
      client.send(new ImportRestApiCommand({ body: body(noIntegration), failOnWarnings: true })),
      "BadRequestException",
      "Warnings found during import:\n\tNo integration defined for method GET /a",
      400,
    );
    const lenient = await client.send(new ImportRestApiCommand({ body: body(noIntegration) }));
    assert.deepEqual(lenient.warnings, ["No integration defined for method GET /a"]);
    await rejects(
      client.send(
        new PutRestApiCommand({ restApiId: lenient.id, mode: "replace" as never, body: body(swagger) }),
      ),
      "BadRequestException",
      "Invalid mode specified: replace. Valid options are merge,overwrite",
      400,
    );
    // A document that fails half-way leaves no API behind.
    const before = (await client.send(new GetRestApisCommand({ limit: 500 }))).items?.length;
    const cognito = {
      swagger: "2.0",
      info: { title: "cognito", version: "1" },
      securityDefinitions: {
        pool: {
          type: "apiKey",
          name: "Authorization",
          in: "header",
          "x-amazon-apigateway-authtype": "cognito_user_pools",
          "x-amazon-apigateway-authorizer": {
            type: "cognito_user_pools",
            providerARNs: ["arn:aws:cognito-idp:us-east-1:000000000000:userpool/us-east-1_x"],
          },
        },
      },
      paths: {
        "/a": { get: { security: [{ pool: [] }], "x-amazon-apigateway-integration": { type: "mock" } } },
      },
    };
    await rejects(
      client.send(new ImportRestApiCommand({ body: body(cognito) })),
      "BadRequestException",
      "Stratus does not emulate Amazon Cognito yet: authorizationType COGNITO_USER_POOLS is not supported.",
      400,
    );
    assert.equal((await client.send(new GetRestApisCommand({ limit: 500 }))).items?.length, before);
  });
});
