/**
 * OpenAPI end to end, and the ids API Gateway puts on its answers. For a REST API (ImportRestApi,
 * OpenAPI 3 with x-amazon-apigateway-integration to a Lambda function) and an HTTP API (ImportApi):
 * import, deploy, call over HTTP, export, import the export as a new API, deploy, call again — the
 * answers must be the same. The answers carry x-amzn-RequestId, x-amz-apigw-id and X-Amzn-Trace-Id
 * (REST, as AWS's recorded AWS_PROXY answers show) or apigw-requestid (HTTP APIs), equal to the
 * ids the function saw.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import {
  APIGatewayClient,
  CreateDeploymentCommand as CreateRestDeploymentCommand,
  GetExportCommand,
  ImportRestApiCommand,
} from "@aws-sdk/client-api-gateway";
import {
  ApiGatewayV2Client,
  CreateStageCommand,
  ExportApiCommand,
  ImportApiCommand,
} from "@aws-sdk/client-apigatewayv2";
import { useStratus } from "../../support/stratus.ts";
import { createFunction, REGION } from "../apigatewayv2/data-plane/helpers.ts";
import { callUrl, type UrlResponse } from "../lambda/urls/http.ts";

/** Answers what it was asked, with the ids it saw, so two APIs can be compared by their answers. */
const GREETER = `exports.handler = async (event) => {
  const ctx = event.requestContext;
  const name = (event.pathParameters || {}).name;
  return {
    statusCode: 200,
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      greeting: "hello " + name,
      method: ctx.httpMethod || ctx.http.method,
      query: event.queryStringParameters,
      requestId: ctx.requestId,
      extendedRequestId: ctx.extendedRequestId,
      trace: (event.headers || {})["X-Amzn-Trace-Id"] || (event.headers || {})["x-amzn-trace-id"],
    }),
  };
};`;

const lambdaUri = (arn: string) =>
  `arn:aws:apigateway:${REGION}:lambda:path/2015-03-31/functions/${arn}/invocations`;

function restDocument(functionArn: string) {
  return {
    openapi: "3.0.1",
    info: { title: "greeter-rest", version: "1.0" },
    paths: {
      "/hello/{name}": {
        get: {
          parameters: [{ name: "name", in: "path", required: true, schema: { type: "string" } }],
          responses: { "200": { description: "greeting" } },
          "x-amazon-apigateway-integration": {
            type: "aws_proxy",
            httpMethod: "POST",
            uri: lambdaUri(functionArn),
            passthroughBehavior: "when_no_match",
          },
        },
      },
    },
  };
}

function httpDocument(functionArn: string) {
  return {
    openapi: "3.0.1",
    info: { title: "greeter-http", version: "1.0" },
    paths: {
      "/hello/{name}": {
        get: {
          responses: { default: { description: "greeting" } },
          "x-amazon-apigateway-integration": {
            type: "aws_proxy",
            httpMethod: "POST",
            uri: functionArn,
            payloadFormatVersion: "2.0",
          },
        },
      },
    },
  };
}

/** The parts of an answer two equivalent APIs give alike (ids differ per request). */
function comparable(response: UrlResponse) {
  const { requestId: _r, extendedRequestId: _e, trace: _t, ...rest } = JSON.parse(response.text);
  return { status: response.status, type: response.headers["content-type"], body: rest };
}

describe("OpenAPI round trip and answer ids", () => {
  const stratus = useStratus({ inMemory: true });
  let functionArn = "";
  let port = 0;

  before(async () => {
    port = stratus.server.port;
    functionArn = await createFunction(stratus.lambda(), GREETER, "greeter");
  });

  const get = (apiId: string, path: string) =>
    callUrl(port, { host: `${apiId}.execute-api.localhost:${port}`, path });

  describe("REST API", () => {
    const client = () => new APIGatewayClient(stratus.clientConfig());

    async function importAndDeploy(body: string): Promise<string> {
      const api = await client().send(new ImportRestApiCommand({ body: new TextEncoder().encode(body) }));
      assert.deepEqual(api.warnings ?? [], []);
      await client().send(new CreateRestDeploymentCommand({ restApiId: api.id, stageName: "prod" }));
      return api.id ?? "";
    }

    it("imports, deploys, answers, exports, re-imports and answers the same", async () => {
      const first = await importAndDeploy(JSON.stringify(restDocument(functionArn)));
      const before = await get(first, "/prod/hello/ada?x=1");
      assert.equal(before.status, 200, before.text);
      assert.deepEqual(comparable(before).body, { greeting: "hello ada", method: "GET", query: { x: "1" } });

      const exported = await client().send(
        new GetExportCommand({
          restApiId: first,
          stageName: "prod",
          exportType: "oas30",
          parameters: { extensions: "integrations" },
          accepts: "application/json",
        }),
      );
      const text = new TextDecoder().decode(exported.body);
      const document = JSON.parse(text);
      assert.equal(document.paths["/hello/{name}"].get["x-amazon-apigateway-integration"].type, "aws_proxy");

      const second = await importAndDeploy(text);
      assert.notEqual(second, first);
      const after = await get(second, "/prod/hello/ada?x=1");
      assert.deepEqual(comparable(after), comparable(before));
    });

    it("answers carry x-amzn-RequestId, x-amz-apigw-id and X-Amzn-Trace-Id, the ids the function saw", async () => {
      const apiId = await importAndDeploy(JSON.stringify(restDocument(functionArn)));
      const response = await get(apiId, "/prod/hello/bob");
      assert.equal(response.status, 200, response.text);
      const seen = JSON.parse(response.text);
      assert.equal(response.headers["x-amzn-requestid"], seen.requestId);
      assert.match(
        String(response.headers["x-amzn-requestid"]),
        /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
      );
      assert.equal(response.headers["x-amz-apigw-id"], seen.extendedRequestId);
      assert.equal(response.headers["x-amzn-trace-id"], seen.trace);
      assert.match(String(response.headers["x-amzn-trace-id"]), /^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
      // API Gateway's own refusals carry the request ids too.
      const missing = await get(apiId, "/prod/nothing-here");
      assert.equal(missing.status, 403);
      assert.match(String(missing.headers["x-amzn-requestid"]), /^[0-9a-f-]{36}$/);
      assert.equal(missing.headers["x-amzn-errortype"], "MissingAuthenticationTokenException");
    });
  });

  describe("HTTP API", () => {
    const client = () => new ApiGatewayV2Client(stratus.clientConfig());

    async function importAndDeploy(body: string): Promise<string> {
      const api = await client().send(new ImportApiCommand({ Body: body }));
      await client().send(
        new CreateStageCommand({ ApiId: api.ApiId, StageName: "$default", AutoDeploy: true }),
      );
      return api.ApiId ?? "";
    }

    it("imports, deploys, answers, exports, re-imports and answers the same", async () => {
      const first = await importAndDeploy(JSON.stringify(httpDocument(functionArn)));
      const before = await get(first, "/hello/ada?x=1");
      assert.equal(before.status, 200, before.text);
      assert.deepEqual(comparable(before).body, { greeting: "hello ada", method: "GET", query: { x: "1" } });

      const exported = await client().send(
        new ExportApiCommand({
          ApiId: first,
          Specification: "OAS30",
          OutputType: "JSON",
          IncludeExtensions: true,
        }),
      );
      const text = new TextDecoder().decode(exported.body);
      const second = await importAndDeploy(text);
      assert.notEqual(second, first);
      const after = await get(second, "/hello/ada?x=1");
      assert.deepEqual(comparable(after), comparable(before));
    });

    it("answers carry apigw-requestid, the request id the function saw", async () => {
      const apiId = await importAndDeploy(JSON.stringify(httpDocument(functionArn)));
      const response = await get(apiId, "/hello/bob");
      assert.equal(response.status, 200, response.text);
      const seen = JSON.parse(response.text);
      assert.equal(response.headers["apigw-requestid"], seen.requestId);
      assert.match(String(response.headers["apigw-requestid"]), /^[A-Za-z0-9]{15}=$/);
      const missing = await get(apiId, "/nothing-here");
      assert.equal(missing.status, 404);
      assert.equal(missing.text, '{"message":"Not Found"}');
      assert.match(String(missing.headers["apigw-requestid"]), /^[A-Za-z0-9]{15}=$/);
    });
  });
});
