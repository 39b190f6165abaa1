/**
 * Authorizers, models, request validators and gateway responses: defaults (TTL 300, Empty/Error
 * models, AWS's default gateway responses with DEFAULT_4XX/5XX inheritance), updates and AWS's texts.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  CreateAuthorizerCommand,
  CreateDocumentationPartCommand,
  CreateModelCommand,
  CreateRequestValidatorCommand,
  DeleteAuthorizerCommand,
  DeleteDocumentationPartCommand,
  DeleteGatewayResponseCommand,
  DeleteModelCommand,
  DeleteRequestValidatorCommand,
  GetAuthorizerCommand,
  GetAuthorizersCommand,
  GetDocumentationPartCommand,
  GetDocumentationPartsCommand,
  GetGatewayResponseCommand,
  GetGatewayResponsesCommand,
  GetModelCommand,
  GetModelsCommand,
  GetRequestValidatorCommand,
  PutGatewayResponseCommand,
  PutMethodCommand,
  UpdateAuthorizerCommand,
  UpdateDocumentationPartCommand,
  UpdateGatewayResponseCommand,
  UpdateModelCommand,
  UpdateRequestValidatorCommand,
} from "@aws-sdk/client-api-gateway";
import { useStratus } from "../../../support/stratus.ts";
import { accountOf, apigateway, newApi, rejects } from "./helpers.ts";

const AUTHORIZER_URI =
  "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:000000000000:function:auth/invocations";

describe("Authorizers", () => {
  const stratus = useStratus({ inMemory: true });

  it("creates TOKEN and REQUEST authorizers with a 300 s default TTL, updates and deletes them", async () => {
    const client = apigateway(stratus);
    const { apiId } = await newApi(client);
    const token = await client.send(
      new CreateAuthorizerCommand({
        restApiId: apiId,
        name: "token",
        type: "TOKEN",
        authorizerUri: AUTHORIZER_URI,
        identitySource: "method.request.header.Authorization",
      }),
    );
    assert.equal(token.$metadata.httpStatusCode, 201);
    assert.equal(token.authorizerResultTtlInSeconds, 300);
    assert.match(token.id ?? "", /^[a-z0-9]{6}$/);
    await client.send(
      new CreateAuthorizerCommand({
        restApiId: apiId,
        name: "request",
        type: "REQUEST",
        authorizerUri: AUTHORIZER_URI,
        identitySource: "method.request.querystring.token",
        authorizerResultTtlInSeconds: 0,
      }),
    );
    const list = await client.send(new GetAuthorizersCommand({ restApiId: apiId }));
    assert.deepEqual(list.items?.map((a) => a.name).sort(), ["request", "token"]);
    const updated = await client.send(
      new UpdateAuthorizerCommand({
        restApiId: apiId,
        authorizerId: token.id,
        patchOperations: [{ op: "replace", path: "/authorizerResultTtlInSeconds", value: "60" }],
      }),
    );
    assert.equal(updated.authorizerResultTtlInSeconds, 60);
    const deleted = await client.send(
      new DeleteAuthorizerCommand({ restApiId: apiId, authorizerId: token.id }),
    );
    assert.equal(deleted.$metadata.httpStatusCode, 202);
    await rejects(
      client.send(new GetAuthorizerCommand({ restApiId: apiId, authorizerId: token.id })),
      "NotFoundException",
      "Invalid Authorizer identifier specified",
      404,
    );
    await rejects(
      client.send(new CreateAuthorizerCommand({ restApiId: "nope123456", name: "x", type: "TOKEN" })),
      "ConflictException",
      "Unable to complete operation due to concurrent modification. Please try again later.",
      409,
    );
  });
});

describe("Models", () => {
  const stratus = useStratus({ inMemory: true });

  it("lists the default Empty and Error models and refuses to delete a model in use", async () => {
    const client = apigateway(stratus);
    const account = await accountOf(stratus);
    const { apiId, rootId } = await newApi(client);
    const defaults = await client.send(new GetModelsCommand({ restApiId: apiId }));
    const byName = Object.fromEntries((defaults.items ?? []).map((m) => [m.name, m]));
    assert.equal(byName.Empty?.description, "This is a default empty schema model");
    assert.equal(JSON.parse(byName.Empty?.schema ?? "").title, "Empty Schema");
    assert.equal(byName.Error?.description, "This is a default error schema model");
    const schema = JSON.stringify({ title: "Pet", type: "object", properties: { name: { type: "string" } } });
    const model = await client.send(
      new CreateModelCommand({ restApiId: apiId, name: "Pet", schema, contentType: "application/json" }),
    );
    assert.equal(model.$metadata.httpStatusCode, 201);
    await rejects(
      client.send(
        new CreateModelCommand({ restApiId: apiId, name: "Pet", schema, contentType: "application/json" }),
      ),
      "ConflictException",
      "Model name already exists for this REST API",
      409,
    );
    await rejects(
      client.send(
        new CreateModelCommand({
          restApiId: apiId,
          name: "X",
          schema: "{}",
          contentType: "application/json",
        }),
      ),
      "BadRequestException",
      "Model schema must have at least 1 property or array items defined",
      400,
    );
    await rejects(
      client.send(new GetModelsCommand({ restApiId: "abcde0" })),
      "NotFoundException",
      `Invalid API identifier specified ${account}:abcde0`,
      404,
    );
    await client.send(
      new PutMethodCommand({
        restApiId: apiId,
        resourceId: rootId,
        httpMethod: "ANY",
        authorizationType: "NONE",
        requestModels: { "application/json": "Pet" },
      }),
    );
    await rejects(
      client.send(new DeleteModelCommand({ restApiId: apiId, modelName: "Pet" })),
      "ConflictException",
      "Cannot delete model 'Pet', is referenced in method request: //ANY",
      409,
    );
    const updated = await client.send(
      new UpdateModelCommand({
        restApiId: apiId,
        modelName: "Pet",
        patchOperations: [{ op: "replace", path: "/description", value: "pets" }],
      }),
    );
    assert.equal(updated.description, "pets");
    await rejects(
      client.send(
        new UpdateModelCommand({
          restApiId: apiId,
          modelName: "Pet",
          patchOperations: [{ op: "replace", path: "/name", value: "x" }],
        }),
      ),
      "BadRequestException",
      "Invalid patch path  '/name' specified for op 'replace'. Must be one of: [/description, /schema]",
      400,
    );
    await rejects(
      client.send(new GetModelCommand({ restApiId: apiId, modelName: "MySchema" })),
      "NotFoundException",
      "Invalid model name specified: MySchema",
      404,
    );
  });
});

describe("Request validators", () => {
  const stratus = useStratus({ inMemory: true });

  it("creates, updates and deletes a validator", async () => {
    const client = apigateway(stratus);
    const { apiId } = await newApi(client);
    const created = await client.send(new CreateRequestValidatorCommand({ restApiId: apiId, name: "v" }));
    assert.equal(created.validateRequestBody, false);
    assert.equal(created.validateRequestParameters, false);
    const updated = await client.send(
      new UpdateRequestValidatorCommand({
        restApiId: apiId,
        requestValidatorId: created.id,
        patchOperations: [{ op: "replace", path: "/validateRequestBody", value: "true" }],
      }),
    );
    assert.equal(updated.validateRequestBody, true);
    await rejects(
      client.send(
        new UpdateRequestValidatorCommand({
          restApiId: apiId,
          requestValidatorId: created.id,
          patchOperations: [{ op: "replace", path: "/name", value: "" }],
        }),
      ),
      "BadRequestException",
      "Request Validator name cannot be blank",
      400,
    );
    await client.send(
      new DeleteRequestValidatorCommand({ restApiId: apiId, requestValidatorId: created.id }),
    );
    await rejects(
      client.send(new GetRequestValidatorCommand({ restApiId: apiId, requestValidatorId: created.id })),
      "NotFoundException",
      "Invalid Request Validator identifier specified",
      404,
    );
    await rejects(
      client.send(new CreateRequestValidatorCommand({ restApiId: "nope123456", name: "v" })),
      "BadRequestException",
      "Invalid REST API identifier specified",
      400,
    );
  });
});

describe("Gateway responses", () => {
  const stratus = useStratus({ inMemory: true });

  it("lists AWS's defaults and lets DEFAULT_5XX set what the 5xx types inherit", async () => {
    const client = apigateway(stratus);
    const { apiId } = await newApi(client);
    const defaults = await client.send(new GetGatewayResponsesCommand({ restApiId: apiId }));
    assert.equal(defaults.items?.length, 21);
    const missingToken = defaults.items?.find((r) => r.responseType === "MISSING_AUTHENTICATION_TOKEN");
    assert.deepEqual(missingToken, {
      defaultResponse: true,
      responseParameters: {},
      responseTemplates: { "application/json": '{"message":$context.error.messageString}' },
      responseType: "MISSING_AUTHENTICATION_TOKEN",
      statusCode: "403",
    });
    const put = await client.send(
      new PutGatewayResponseCommand({
        restApiId: apiId,
        responseType: "DEFAULT_5XX",
        statusCode: "599",
        responseParameters: { "gatewayresponse.header.x": "'y'" },
      }),
    );
    assert.equal(put.$metadata.httpStatusCode, 201);
    assert.equal(put.defaultResponse, false);
    const timeout = await client.send(
      new GetGatewayResponseCommand({ restApiId: apiId, responseType: "INTEGRATION_TIMEOUT" }),
    );
    assert.equal(timeout.statusCode, "599");
    assert.equal(timeout.defaultResponse, true);
    assert.deepEqual(timeout.responseParameters, { "gatewayresponse.header.x": "'y'" });
    const updated = await client.send(
      new UpdateGatewayResponseCommand({
        restApiId: apiId,
        responseType: "DEFAULT_4XX",
        patchOperations: [{ op: "replace", path: "/statusCode", value: "444" }],
      }),
    );
    assert.equal(updated.statusCode, "444");
    assert.equal(updated.defaultResponse, false);
    await rejects(
      client.send(
        new UpdateGatewayResponseCommand({
          restApiId: apiId,
          responseType: "DEFAULT_4XX",
          patchOperations: [{ op: "add", path: "/statusCode", value: "444" }],
        }),
      ),
      "BadRequestException",
      "Invalid patch path /statusCode",
      400,
    );
    await client.send(new DeleteGatewayResponseCommand({ restApiId: apiId, responseType: "DEFAULT_5XX" }));
    await rejects(
      client.send(new DeleteGatewayResponseCommand({ restApiId: apiId, responseType: "DEFAULT_5XX" })),
      "NotFoundException",
      "Gateway response type not defined on api",
      404,
    );
    await rejects(
      client.send(
        new GetGatewayResponseCommand({ restApiId: apiId, responseType: "FAKE_RESPONSE_TYPE" as never }),
      ),
      "ValidationException",
      "1 validation error detected: Value 'FAKE_RESPONSE_TYPE' at 'responseType' failed to satisfy constraint: Member must satisfy enum value set: [REQUEST_TOO_LARGE, RESOURCE_NOT_FOUND, AUTHORIZER_CONFIGURATION_ERROR, MISSING_AUTHENTICATION_TOKEN, BAD_REQUEST_BODY, INVALID_SIGNATURE, INVALID_API_KEY, BAD_REQUEST_PARAMETERS, AUTHORIZER_FAILURE, UNAUTHORIZED, INTEGRATION_TIMEOUT, ACCESS_DENIED, DEFAULT_4XX, DEFAULT_5XX, WAF_FILTERED, QUOTA_EXCEEDED, THROTTLED, API_CONFIGURATION_ERROR, UNSUPPORTED_MEDIA_TYPE, INTEGRATION_FAILURE, EXPIRED_TOKEN]",
      400,
    );
  });
});

describe("Documentation parts", () => {
  const stratus = useStratus({ inMemory: true });

  it("creates, lists, updates and deletes parts with AWS's texts", async () => {
    const client = apigateway(stratus);
    const account = await accountOf(stratus);
    const { apiId } = await newApi(client);
    const properties = JSON.stringify({ description: "Sample API description" });
    const part = await client.send(
      new CreateDocumentationPartCommand({ restApiId: apiId, location: { type: "API" }, properties }),
    );
    assert.equal(part.$metadata.httpStatusCode, 201);
    assert.deepEqual(part.location, { type: "API" });
    assert.equal(part.properties, properties);
    await client.send(
      new CreateDocumentationPartCommand({
        restApiId: apiId,
        location: { type: "METHOD", path: "/", method: "GET" },
        properties: JSON.stringify({ description: "m" }),
      }),
    );
    const methods = await client.send(new GetDocumentationPartsCommand({ restApiId: apiId, type: "METHOD" }));
    assert.deepEqual(
      methods.items?.map((p) => p.location?.type),
      ["METHOD"],
    );
    const updated = await client.send(
      new UpdateDocumentationPartCommand({
        restApiId: apiId,
        documentationPartId: part.id,
        patchOperations: [{ op: "replace", path: "/properties", value: '{"description":"Updated"}' }],
      }),
    );
    assert.equal(updated.properties, '{"description":"Updated"}');
    await rejects(
      client.send(
        new UpdateDocumentationPartCommand({
          restApiId: apiId,
          documentationPartId: part.id,
          patchOperations: [{ op: "add", path: "/properties", value: "{}" }],
        }),
      ),
      "BadRequestException",
      "Invalid patch path  '/properties' specified for op 'add'. Please choose supported operations",
      400,
    );
    await rejects(
      client.send(
        new UpdateDocumentationPartCommand({
          restApiId: apiId,
          documentationPartId: part.id,
          patchOperations: [{ op: "replace", path: "/invalidPath", value: "{}" }],
        }),
      ),
      "BadRequestException",
      "Invalid patch path  '/invalidPath' specified for op 'replace'. Must be one of: [/properties]",
      400,
    );
    await rejects(
      client.send(
        new CreateDocumentationPartCommand({
          restApiId: apiId,
          location: { type: "INVALID" as never },
          properties: "{}",
        }),
      ),
      "ValidationException",
      "1 validation error detected: Value 'INVALID' at 'createDocumentationPartInput.location.type' failed to satisfy constraint: Member must satisfy enum value set: [RESPONSE_BODY, RESPONSE, METHOD, MODEL, AUTHORIZER, RESPONSE_HEADER, RESOURCE, PATH_PARAMETER, REQUEST_BODY, QUERY_PARAMETER, API, REQUEST_HEADER]",
      400,
    );
    await rejects(
      client.send(
        new CreateDocumentationPartCommand({ restApiId: "api_id", location: { type: "API" }, properties }),
      ),
      "NotFoundException",
      `Invalid API identifier specified ${account}:api_id`,
      404,
    );
    const deleted = await client.send(
      new DeleteDocumentationPartCommand({ restApiId: apiId, documentationPartId: part.id }),
    );
    assert.equal(deleted.$metadata.httpStatusCode, 202);
    await rejects(
      client.send(new GetDocumentationPartCommand({ restApiId: apiId, documentationPartId: part.id })),
      "NotFoundException",
      "Invalid Documentation part identifier specified",
      404,
    );
  });
});
