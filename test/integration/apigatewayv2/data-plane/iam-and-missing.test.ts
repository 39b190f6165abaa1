/**
 * AWS_IAM routes (SigV4 for execute-api, else 403 Forbidden; the signer in the event) and Lambda
 * integrations whose function does not exist (500 Internal Server Error).
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { ApiGatewayV2Client } from "@aws-sdk/client-apigatewayv2";
import { useStratus } from "../../../support/stratus.ts";
import { ACCOUNT, createFunction, createHttpApi, ECHO_JS, invoke, json, signedGet } from "./helpers.ts";

describe("HTTP API AWS_IAM routes and missing functions", () => {
  const stratus = useStratus({ inMemory: true });
  let apiId = "";

  before(async () => {
    const client = new ApiGatewayV2Client(stratus.clientConfig());
    const echo = await createFunction(stratus.lambda(), ECHO_JS);
    apiId = await createHttpApi(client, {
      integrations: {
        echo: { IntegrationUri: echo, PayloadFormatVersion: "2.0" },
        gone: {
          IntegrationUri: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:no-such-fn`,
          PayloadFormatVersion: "2.0",
        },
      },
      routes: [
        { routeKey: "GET /private", integration: "echo", extra: { AuthorizationType: "AWS_IAM" } },
        { routeKey: "GET /gone", integration: "gone" },
      ],
    });
    client.destroy();
  });

  it("admits SigV4-signed requests and passes the signer as authorizer.iam", async () => {
    const response = await signedGet(stratus.server.port, apiId, "/private");
    assert.equal(response.status, 200, response.text);
    const context = json(response).requestContext as { authorizer: { iam: Record<string, unknown> } };
    assert.equal(context.authorizer.iam.accessKey, "test");
    assert.equal(context.authorizer.iam.accountId, ACCOUNT);
  });

  it("refuses unsigned requests with 403 Forbidden", async () => {
    const response = await invoke(stratus.server.port, apiId, { path: "/private" });
    assert.equal(response.status, 403);
    assert.deepEqual(json(response), { message: "Forbidden" });
  });

  it("answers 500 when the integration's function does not exist", async () => {
    const response = await invoke(stratus.server.port, apiId, { path: "/gone" });
    assert.equal(response.status, 500);
    assert.deepEqual(json(response), { message: "Internal Server Error" });
  });
});
