/**
 * The events API Gateway gives Lambda, against events AWS recorded (test/fixtures/apigateway/): a
 * Node and a Python function that echo their event sit behind (a) an HTTP API with payload format
 * 2.0, (b) an HTTP API with format 1.0 and (c) a REST API AWS_PROXY integration; each is called over
 * plain HTTP with the recorded request and the echoed event is compared member by member
 * (normalise.ts: same keys at every level, same types, same values except ids, times, hosts,
 * ports and addresses).
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { before, describe, it } from "node:test";
import {
  APIGatewayClient,
  CreateDeploymentCommand,
  CreateResourceCommand,
  CreateRestApiCommand,
  GetResourcesCommand,
  PutIntegrationCommand,
  PutMethodCommand,
} from "@aws-sdk/client-api-gateway";
import { ApiGatewayV2Client } from "@aws-sdk/client-apigatewayv2";
import { CreateFunctionCommand } from "@aws-sdk/client-lambda";
import { useStratus } from "../../support/stratus.ts";
import { createHttpApi, REGION } from "../apigatewayv2/data-plane/helpers.ts";
import { makeZip, ROLE, uniqueName } from "../lambda/helpers.ts";
import { differences } from "./normalise.ts";
import { rawRequest } from "./raw-http.ts";

interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
}
interface HttpRecording {
  route: string;
  request: RecordedRequest;
  event: Record<string, unknown>;
}
interface RestRecording {
  cases: Record<string, { request: RecordedRequest; event: Record<string, unknown> }>;
}

const FIXTURES = new URL("../../fixtures/apigateway/", import.meta.url);
const load = <T>(name: string): T => JSON.parse(readFileSync(new URL(name, FIXTURES), "utf8")) as T;
const V2 = load<HttpRecording>("http-api-v2-event.json");
const V1 = load<HttpRecording>("http-api-v1-event.json");
const REST = load<RestRecording>("rest-api-proxy-event.json");

/**
 * The REST recording comes from an EDGE API, whose requests pass through CloudFront; Stratus's
 * invoke URLs behave as regional endpoints (docs/apigateway.md), so CloudFront's headers are not
 * expected.
 */
const EDGE_ONLY = [
  "CloudFront-Forwarded-Proto",
  "CloudFront-Is-Desktop-Viewer",
  "CloudFront-Is-Mobile-Viewer",
  "CloudFront-Is-SmartTV-Viewer",
  "CloudFront-Is-Tablet-Viewer",
  "CloudFront-Viewer-ASN",
  "CloudFront-Viewer-Country",
  "Via",
  "X-Amz-Cf-Id",
].flatMap((name) => [`headers.${name}`, `multiValueHeaders.${name}`]);

const FUNCTIONS = {
  node: {
    Runtime: "nodejs20.x",
    file: "index.js",
    code: `exports.handler = async (event) => ({ statusCode: 200, headers: { "content-type": "application/json" }, body: JSON.stringify(event) });\n`,
  },
  python: {
    Runtime: "python3.12",
    file: "index.py",
    code: `import json\n\ndef handler(event, context):\n    return {"statusCode": 200, "headers": {"content-type": "application/json"}, "body": json.dumps(event)}\n`,
  },
} as const;

describe("proxy events against AWS recordings", () => {
  const stratus = useStratus({ inMemory: true });
  let port = 0;
  /** Per runtime: the HTTP API ids (format 2.0, 1.0) and the REST API id. */
  const apis: Record<string, { v2: string; v1: string; rest: string }> = {};

  before(async () => {
    port = Number(new URL(stratus.url).port);
    const v2client = new ApiGatewayV2Client(stratus.clientConfig());
    const restClient = new APIGatewayClient(stratus.clientConfig());
    for (const [runtime, fn] of Object.entries(FUNCTIONS)) {
      const created = await stratus.lambda().send(
        new CreateFunctionCommand({
          FunctionName: uniqueName(`echo-${runtime}`),
          Runtime: fn.Runtime,
          Role: ROLE,
          Handler: "index.handler",
          Code: { ZipFile: makeZip({ [fn.file]: fn.code }) },
        }),
      );
      const arn = created.FunctionArn ?? "";
      const httpApi = (version: string) =>
        createHttpApi(v2client, {
          integrations: { echo: { IntegrationUri: arn, PayloadFormatVersion: version } },
          routes: [{ routeKey: V2.route, integration: "echo" }],
        });
      apis[runtime] = {
        v2: await httpApi("2.0"),
        v1: await httpApi("1.0"),
        rest: await restApi(restClient, arn),
      };
    }
  });

  async function restApi(client: APIGatewayClient, functionArn: string): Promise<string> {
    const api = await client.send(new CreateRestApiCommand({ name: uniqueName("recorded") }));
    const restApiId = api.id ?? "";
    const resources = await client.send(new GetResourcesCommand({ restApiId }));
    const root = resources.items?.find((r) => r.path === "/")?.id ?? "";
    const proxy = await client.send(
      new CreateResourceCommand({ restApiId, parentId: root, pathPart: "{proxy+}" }),
    );
    const resourceId = proxy.id ?? "";
    await client.send(
      new PutMethodCommand({ restApiId, resourceId, httpMethod: "ANY", authorizationType: "NONE" }),
    );
    await client.send(
      new PutIntegrationCommand({
        restApiId,
        resourceId,
        httpMethod: "ANY",
        type: "AWS_PROXY",
        integrationHttpMethod: "POST",
        uri: `arn:aws:apigateway:${REGION}:lambda:path/2015-03-31/functions/${functionArn}/invocations`,
      }),
    );
    await client.send(new CreateDeploymentCommand({ restApiId, stageName: "stage" }));
    return restApiId;
  }

  /** Sends the recorded request to the API and answers the event the function echoed. */
  async function replay(apiId: string, request: RecordedRequest): Promise<Record<string, unknown>> {
    const answer = await rawRequest(port, request.method, request.path, [
      ["Host", `${apiId}.execute-api.localhost:${port}`],
      ...Object.entries(request.headers),
    ]);
    assert.equal(answer.status, 200, answer.body);
    return JSON.parse(answer.body) as Record<string, unknown>;
  }

  for (const runtime of Object.keys(FUNCTIONS)) {
    describe(runtime, () => {
      it("HTTP API, payload format 2.0", async () => {
        const event = await replay(apis[runtime]?.v2 ?? "", V2.request);
        assert.deepEqual(differences(V2.event, event), []);
      });

      it("HTTP API, payload format 1.0", async () => {
        const event = await replay(apis[runtime]?.v1 ?? "", V1.request);
        assert.deepEqual(differences(V1.event, event), []);
      });

      for (const [name, recorded] of Object.entries(REST.cases)) {
        it(`REST API AWS_PROXY (${name})`, async () => {
          const event = await replay(apis[runtime]?.rest ?? "", recorded.request);
          assert.deepEqual(differences(recorded.event, event, EDGE_ONLY), []);
        });
      }
    });
  }
});
