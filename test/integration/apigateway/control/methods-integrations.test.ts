/**
 * Methods, method responses, integrations and integration responses: the shapes API Gateway answers
 * (integration defaults), UpdateMethod's patch paths, uri rules for Lambda and HTTP integrations and
 * the exact not-found texts of each level.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  CreateAuthorizerCommand,
  DeleteIntegrationCommand,
  DeleteIntegrationResponseCommand,
  DeleteMethodCommand,
  DeleteMethodResponseCommand,
  GetIntegrationCommand,
  GetIntegrationResponseCommand,
  GetMethodCommand,
  GetMethodResponseCommand,
  PutIntegrationCommand,
  PutIntegrationResponseCommand,
  PutMethodCommand,
  PutMethodResponseCommand,
  UpdateIntegrationCommand,
  UpdateIntegrationResponseCommand,
  UpdateMethodCommand,
  UpdateMethodResponseCommand,
} from "@aws-sdk/client-api-gateway";
import { useStratus } from "../../../support/stratus.ts";
import { apigateway, newApi, rejects } from "./helpers.ts";

const FUNCTION_ARN = "arn:aws:lambda:us-east-1:000000000000:function:fn";
const LAMBDA_URI = `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${FUNCTION_ARN}/invocations`;

describe("Methods", () => {
  const stratus = useStratus({ inMemory: true });

  it("puts, gets, updates and deletes a method", async () => {
    const client = apigateway(stratus);
    const { apiId, rootId } = await newApi(client);
    const put = await client.send(
      new PutMethodCommand({
        restApiId: apiId,
        resourceId: rootId,
        httpMethod: "ANY",
        authorizationType: "NONE",
        requestParameters: { "method.request.querystring.q": true, "method.request.header.h": false },
      }),
    );
    assert.equal(put.$metadata.httpStatusCode, 201);
    assert.deepEqual(
      { ...put, $metadata: undefined },
      {
        $metadata: undefined,
        httpMethod: "ANY",
        authorizationType: "NONE",
        apiKeyRequired: false,
        requestParameters: { "method.request.querystring.q": true, "method.request.header.h": false },
      },
    );
    const authorizer = await client.send(
      new CreateAuthorizerCommand({
        restApiId: apiId,
        name: "auth",
        type: "TOKEN",
        authorizerUri: LAMBDA_URI,
      }),
    );
    const updated = await client.send(
      new UpdateMethodCommand({
        restApiId: apiId,
        resourceId: rootId,
        httpMethod: "ANY",
        patchOperations: [
          { op: "replace", path: "/apiKeyRequired", value: "true" },
          { op: "replace", path: "/authorizationType", value: "CUSTOM" },
          { op: "replace", path: "/authorizerId", value: authorizer.id },
          { op: "replace", path: "/operationName", value: "Op" },
          { op: "add", path: "/requestModels/application~1json", value: "Empty" },
          { op: "remove", path: "/requestParameters/method.request.header.h" },
        ],
      }),
    );
    assert.equal(updated.apiKeyRequired, true);
    assert.equal(updated.authorizationType, "CUSTOM");
    assert.equal(updated.authorizerId, authorizer.id);
    assert.equal(updated.operationName, "Op");
    assert.deepEqual(updated.requestModels, { "application/json": "Empty" });
    assert.deepEqual(updated.requestParameters, { "method.request.querystring.q": true });
    const got = await client.send(
      new GetMethodCommand({ restApiId: apiId, resourceId: rootId, httpMethod: "ANY" }),
    );
    assert.equal(got.authorizerId, authorizer.id);
    const deleted = await client.send(
      new DeleteMethodCommand({ restApiId: apiId, resourceId: rootId, httpMethod: "ANY" }),
    );
    assert.equal(deleted.$metadata.httpStatusCode, 204);
    await rejects(
      client.send(new GetMethodCommand({ restApiId: apiId, resourceId: rootId, httpMethod: "ANY" })),
      "NotFoundException",
      "Invalid Method identifier specified",
      404,
    );
  });

  it("answers PutMethod's and UpdateMethod's errors with AWS's texts", async () => {
    const client = apigateway(stratus);
    const { apiId, rootId } = await newApi(client);
    const put = (extra: Record<string, unknown>) =>
      client.send(
        new PutMethodCommand({
          restApiId: apiId,
          resourceId: rootId,
          httpMethod: "GET",
          authorizationType: "NONE",
          ...extra,
        }),
      );
    await rejects(
      put({ restApiId: "nope123456" }),
      "NotFoundException",
      "Invalid Resource identifier specified",
      404,
    );
    await rejects(
      put({ httpMethod: "WRONG" }),
      "BadRequestException",
      "Invalid HttpMethod specified. Valid options are GET,PUT,POST,DELETE,PATCH,OPTIONS,HEAD,ANY",
      400,
    );
    await rejects(
      put({ authorizationType: "CUSTOM" }),
      "BadRequestException",
      "Invalid authorizer ID specified. Setting the authorization type to CUSTOM or COGNITO_USER_POOLS requires a valid authorizer.",
      400,
    );
    await rejects(
      put({ requestValidatorId: "nope00" }),
      "BadRequestException",
      "Invalid Request Validator identifier specified",
      400,
    );
    await rejects(
      put({ requestModels: { "application/json": "petModel" } }),
      "BadRequestException",
      "Invalid model identifier specified: petModel",
      400,
    );
    await rejects(
      put({
        requestParameters: { "method.request.querystring.a": true, "method.request.header.a": true },
      }),
      "BadRequestException",
      "Parameter names must be unique across querystring, header and path",
      400,
    );
    await put({});
    const update = (op: string, path: string, value?: string) =>
      client.send(
        new UpdateMethodCommand({
          restApiId: apiId,
          resourceId: rootId,
          httpMethod: "GET",
          patchOperations: [{ op: op as never, path, value }],
        }),
      );
    await rejects(
      update("add", "/apiKeyRequired", "true"),
      "BadRequestException",
      "Invalid patch operation specified. Must be one of: [replace]",
      400,
    );
    await rejects(
      update("replace", "/httpMethod", "PUT"),
      "BadRequestException",
      "Invalid patch path /httpMethod",
      400,
    );
    await rejects(
      update("add", "/requestModels/application/json", "Empty"),
      "BadRequestException",
      "Invalid patch path /requestModels/application/json",
      400,
    );
    // An authorizerId without a type that needs one is dropped, as AWS does.
    const skipped = await update("replace", "/authorizerId", "whatever");
    assert.equal(skipped.authorizerId, undefined);
  });

  it("keeps method responses", async () => {
    const client = apigateway(stratus);
    const { apiId, rootId } = await newApi(client);
    const ids = { restApiId: apiId, resourceId: rootId, httpMethod: "GET" };
    await client.send(new PutMethodCommand({ ...ids, authorizationType: "NONE" }));
    const put = await client.send(
      new PutMethodResponseCommand({
        ...ids,
        statusCode: "200",
        responseParameters: { "method.response.header.my-header": true },
        responseModels: { "application/json": "Empty" },
      }),
    );
    assert.equal(put.$metadata.httpStatusCode, 201);
    const updated = await client.send(
      new UpdateMethodResponseCommand({
        ...ids,
        statusCode: "200",
        patchOperations: [{ op: "remove", path: "/responseParameters/method.response.header.my-header" }],
      }),
    );
    assert.equal(updated.$metadata.httpStatusCode, 201);
    assert.equal(updated.responseParameters, undefined);
    await rejects(
      client.send(
        new UpdateMethodResponseCommand({
          ...ids,
          statusCode: "200",
          patchOperations: [
            { op: "replace", path: "/responseParameters/method.response.header.none", value: "true" },
          ],
        }),
      ),
      "NotFoundException",
      "Invalid parameter name specified",
      404,
    );
    const got = await client.send(new GetMethodResponseCommand({ ...ids, statusCode: "200" }));
    assert.deepEqual(got.responseModels, { "application/json": "Empty" });
    const method = await client.send(new GetMethodCommand(ids));
    assert.deepEqual(Object.keys(method.methodResponses ?? {}), ["200"]);
    await client.send(new DeleteMethodResponseCommand({ ...ids, statusCode: "200" }));
    await rejects(
      client.send(new GetMethodResponseCommand({ ...ids, statusCode: "200" })),
      "NotFoundException",
      "Invalid Response status code specified",
      404,
    );
    await rejects(
      client.send(new GetMethodResponseCommand({ ...ids, statusCode: "wrong" })),
      "ValidationException",
      "1 validation error detected: Value 'wrong' at 'statusCode' failed to satisfy constraint: Member must satisfy regular expression pattern: [1-5]\\d\\d",
      400,
    );
  });
});

describe("Integrations", () => {
  const stratus = useStratus({ inMemory: true });

  it("puts a Lambda proxy integration with API Gateway's defaults", async () => {
    const client = apigateway(stratus);
    const { apiId, rootId } = await newApi(client);
    const ids = { restApiId: apiId, resourceId: rootId, httpMethod: "POST" };
    await client.send(new PutMethodCommand({ ...ids, authorizationType: "NONE" }));
    const put = await client.send(
      new PutIntegrationCommand({
        ...ids,
        type: "AWS_PROXY",
        integrationHttpMethod: "POST",
        uri: LAMBDA_URI,
      }),
    );
    assert.equal(put.$metadata.httpStatusCode, 201);
    assert.deepEqual(
      { ...put, $metadata: undefined },
      {
        $metadata: undefined,
        type: "AWS_PROXY",
        httpMethod: "POST",
        uri: LAMBDA_URI,
        passthroughBehavior: "WHEN_NO_MATCH",
        timeoutInMillis: 29000,
        cacheNamespace: rootId,
        cacheKeyParameters: [],
      },
    );
    const method = await client.send(new GetMethodCommand(ids));
    assert.equal(method.methodIntegration?.uri, LAMBDA_URI);
    const updated = await client.send(
      new UpdateIntegrationCommand({
        ...ids,
        patchOperations: [
          { op: "replace", path: "/timeoutInMillis", value: "1000" },
          { op: "add", path: "/requestTemplates/application~1json", value: "{}" },
        ],
      }),
    );
    assert.equal(updated.timeoutInMillis, 1000);
    assert.deepEqual(updated.requestTemplates, { "application/json": "{}" });
    const deleted = await client.send(new DeleteIntegrationCommand(ids));
    assert.equal(deleted.$metadata.httpStatusCode, 204);
    await rejects(
      client.send(new GetIntegrationCommand(ids)),
      "NotFoundException",
      "Invalid Integration identifier specified",
      404,
    );
  });

  it("checks types, methods, uris and timeouts with AWS's texts", async () => {
    const client = apigateway(stratus);
    const { apiId, rootId } = await newApi(client);
    const ids = { restApiId: apiId, resourceId: rootId, httpMethod: "GET" };
    await rejects(
      client.send(new PutIntegrationCommand({ ...ids, type: "MOCK" })),
      "NotFoundException",
      "Invalid Method identifier specified",
      404,
    );
    await client.send(new PutMethodCommand({ ...ids, authorizationType: "NONE" }));
    const put = (extra: Record<string, unknown>) =>
      client.send(new PutIntegrationCommand({ ...ids, ...extra } as never));
    await rejects(
      put({ type: "HTTPS_PROXY" }),
      "ValidationException",
      "1 validation error detected: Value 'HTTPS_PROXY' at 'putIntegrationInput.type' failed to satisfy constraint: Member must satisfy enum value set: [HTTP, MOCK, AWS_PROXY, HTTP_PROXY, AWS]",
      400,
    );
    await rejects(
      put({ type: "HTTP", uri: "http://example.com" }),
      "BadRequestException",
      "Enumeration value for HttpMethod must be non-empty",
      400,
    );
    await rejects(
      put({ type: "HTTP_PROXY", integrationHttpMethod: "GET", uri: "not a url" }),
      "BadRequestException",
      "Invalid HTTP endpoint specified for URI",
      400,
    );
    await rejects(
      put({ type: "AWS_PROXY", integrationHttpMethod: "POST", uri: "nope" }),
      "BadRequestException",
      "Invalid ARN specified in the request",
      400,
    );
    await rejects(
      put({
        type: "AWS_PROXY",
        integrationHttpMethod: "POST",
        uri: "arn:aws:apigateway:us-east-1:s3:bucket/x",
      }),
      "BadRequestException",
      "AWS ARN for integration must contain path or action",
      400,
    );
    await rejects(
      put({
        type: "AWS_PROXY",
        integrationHttpMethod: "POST",
        uri: "arn:aws:apigateway:us-east-1:s3:path/b/k",
      }),
      "BadRequestException",
      "Integrations of type 'AWS_PROXY' currently only supports Lambda function and Firehose stream invocations.",
      400,
    );
    await rejects(
      put({ type: "MOCK", timeoutInMillis: 10 }),
      "BadRequestException",
      "Timeout should be between 50 ms and 29000 ms",
      400,
    );
    const mock = await put({ type: "MOCK", requestTemplates: { "application/json": '{"statusCode": 200}' } });
    assert.equal(mock.uri, undefined);
    assert.equal(mock.httpMethod, undefined);
  });

  it("keeps integration responses", async () => {
    const client = apigateway(stratus);
    const { apiId, rootId } = await newApi(client);
    const ids = { restApiId: apiId, resourceId: rootId, httpMethod: "GET" };
    await client.send(new PutMethodCommand({ ...ids, authorizationType: "NONE" }));
    await rejects(
      client.send(new PutIntegrationResponseCommand({ ...ids, statusCode: "200" })),
      "NotFoundException",
      "No integration defined for method",
      404,
    );
    await client.send(new PutIntegrationCommand({ ...ids, type: "MOCK" }));
    const put = await client.send(
      new PutIntegrationResponseCommand({
        ...ids,
        statusCode: "200",
        selectionPattern: "",
        responseTemplates: { "application/json": '"created"' },
        responseParameters: { "method.response.header.x": "'v'" },
      }),
    );
    assert.equal(put.$metadata.httpStatusCode, 201);
    assert.equal(put.selectionPattern, "");
    await rejects(
      client.send(new PutIntegrationResponseCommand({ ...ids, statusCode: "500" })),
      "ConflictException",
      "Integration response with selection pattern default already exists",
      409,
    );
    await client.send(
      new PutIntegrationResponseCommand({ ...ids, statusCode: "500", selectionPattern: "5\\d{2}" }),
    );
    const updated = await client.send(
      new UpdateIntegrationResponseCommand({
        ...ids,
        statusCode: "200",
        patchOperations: [{ op: "replace", path: "/selectionPattern", value: "updated-pattern" }],
      }),
    );
    assert.equal(updated.selectionPattern, "updated-pattern");
    const method = await client.send(new GetMethodCommand(ids));
    assert.equal(
      method.methodIntegration?.integrationResponses?.["200"]?.selectionPattern,
      "updated-pattern",
    );
    await rejects(
      client.send(new GetIntegrationResponseCommand({ ...ids, statusCode: "400" })),
      "NotFoundException",
      "Invalid Response status code specified",
      404,
    );
    await rejects(
      client.send(
        new PutIntegrationResponseCommand({ ...ids, statusCode: "200", responseTemplates: { "123": "x" } }),
      ),
      "BadRequestException",
      "Validation Result: warnings : [], errors : [Invalid content type specified: 123]",
      400,
    );
    const deleted = await client.send(new DeleteIntegrationResponseCommand({ ...ids, statusCode: "200" }));
    assert.equal(deleted.$metadata.httpStatusCode, 204);
    await rejects(
      client.send(new DeleteIntegrationResponseCommand({ ...ids, statusCode: "200" })),
      "NotFoundException",
      "Invalid Response status code specified",
      404,
    );
    await rejects(
      client.send(new DeleteIntegrationResponseCommand({ ...ids, httpMethod: "PUT", statusCode: "200" })),
      "NotFoundException",
      "Invalid Integration identifier specified",
      404,
    );
  });
});
