/**
 * REQUEST (Lambda) authorizers: simple responses (format 2.0), IAM policy responses (format 1.0),
 * the authorizer's event, missing identity sources (401 without invoking), denials (403), failures
 * (500) and result caching keyed by the identity sources.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { ApiGatewayV2Client } from "@aws-sdk/client-apigatewayv2";
import { useStratus } from "../../../support/stratus.ts";
import { ACCOUNT, createFunction, createHttpApi, ECHO_JS, invoke, json } from "./helpers.ts";

/** Decides by the Authorization header; its context carries its own invocation id and event. */
const SIMPLE_JS = `exports.handler = async (event, context) => {
  const token = event.headers.authorization;
  if (token === "crash") throw new Error("authorizer failed");
  if (token === "garbage") return "not an answer";
  return {
    isAuthorized: token.startsWith("allow"),
    context: { invocation: context.awsRequestId, user: token, n: 1, event: JSON.stringify(event) },
  };
};
`;

const POLICY_JS = `exports.handler = async (event) => ({
  principalId: "user-" + event.authorizationToken,
  policyDocument: {
    Version: "2012-10-17",
    Statement: [{
      Action: "execute-api:Invoke",
      Effect: event.authorizationToken.startsWith("allow") ? "Allow" : "Deny",
      Resource: event.methodArn,
    }],
  },
  context: { version: event.version, type: event.type, methodArn: event.methodArn },
});
`;

describe("HTTP API Lambda authorizers", () => {
  const stratus = useStratus({ inMemory: true });
  let apiId = "";

  before(async () => {
    const client = new ApiGatewayV2Client(stratus.clientConfig());
    const lambda = stratus.lambda();
    const echo = await createFunction(lambda, ECHO_JS);
    const simple = await createFunction(lambda, SIMPLE_JS, "authz");
    const policy = await createFunction(lambda, POLICY_JS, "policy");
    const uri = (arn: string) =>
      `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${arn}/invocations`;
    apiId = await createHttpApi(client, {
      integrations: {
        v2: { IntegrationUri: echo, PayloadFormatVersion: "2.0" },
        v1: { IntegrationUri: echo, PayloadFormatVersion: "1.0" },
      },
      authorizers: {
        simple: {
          AuthorizerUri: uri(simple),
          AuthorizerPayloadFormatVersion: "2.0",
          EnableSimpleResponses: true,
          AuthorizerResultTtlInSeconds: 0,
        },
        cached: {
          AuthorizerUri: uri(simple),
          AuthorizerPayloadFormatVersion: "2.0",
          EnableSimpleResponses: true,
          AuthorizerResultTtlInSeconds: 300,
        },
        policy: {
          AuthorizerUri: uri(policy),
          AuthorizerPayloadFormatVersion: "1.0",
          AuthorizerResultTtlInSeconds: 0,
        },
      },
      routes: [
        {
          routeKey: "GET /simple/{id}",
          integration: "v2",
          extra: { AuthorizationType: "CUSTOM", AuthorizerId: "simple" },
        },
        {
          routeKey: "GET /cached",
          integration: "v2",
          extra: { AuthorizationType: "CUSTOM", AuthorizerId: "cached" },
        },
        {
          routeKey: "GET /policy",
          integration: "v2",
          extra: { AuthorizationType: "CUSTOM", AuthorizerId: "policy" },
        },
        {
          routeKey: "GET /policy-v1",
          integration: "v1",
          extra: { AuthorizationType: "CUSTOM", AuthorizerId: "policy" },
        },
      ],
      stages: [{ StageName: "dev" }],
    });
    client.destroy();
  });

  const call = (path: string, authorization?: string) =>
    invoke(stratus.server.port, apiId, {
      path,
      ...(authorization !== undefined ? { headers: { authorization } } : {}),
    });

  function lambdaContext(response: { text: string }): Record<string, unknown> {
    const context = JSON.parse(response.text).requestContext as {
      authorizer: { lambda: Record<string, unknown> };
    };
    return context.authorizer.lambda;
  }

  it("admits with a simple response and passes its context; sends the 2.0 authorizer event", async () => {
    const response = await call("/dev/simple/7?q=1", "allow-me");
    assert.equal(response.status, 200, response.text);
    const context = lambdaContext(response);
    assert.equal(context.user, "allow-me");
    assert.equal(context.n, 1);
    const event = JSON.parse(String(context.event)) as Record<string, unknown>;
    assert.equal(event.version, "2.0");
    assert.equal(event.type, "REQUEST");
    assert.equal(event.routeArn, `arn:aws:execute-api:us-east-1:${ACCOUNT}:${apiId}/dev/GET/simple/7`);
    assert.deepEqual(event.identitySource, ["allow-me"]);
    assert.equal(event.routeKey, "GET /simple/{id}");
    assert.equal(event.rawPath, "/dev/simple/7");
    assert.deepEqual(event.pathParameters, { id: "7" });
    assert.deepEqual(event.queryStringParameters, { q: "1" });
    assert.equal("body" in event, false);
    assert.equal((event.requestContext as Record<string, unknown>).stage, "dev");
  });

  it("refuses with 403 when not authorized, 401 without the identity source, 500 on failure", async () => {
    const denied = await call("/dev/simple/7", "nope");
    assert.equal(denied.status, 403);
    assert.deepEqual(json(denied), { message: "Forbidden" });
    const missing = await call("/dev/simple/7");
    assert.equal(missing.status, 401);
    assert.deepEqual(json(missing), { message: "Unauthorized" });
    for (const token of ["crash", "garbage"]) {
      const failed = await call("/dev/simple/7", token);
      assert.equal(failed.status, 500, token);
      assert.deepEqual(json(failed), { message: "Internal Server Error" });
    }
  });

  it("caches results per identity source for authorizerResultTtlInSeconds", async () => {
    const first = lambdaContext(await call("/dev/cached", "allow-a"));
    const second = lambdaContext(await call("/dev/cached", "allow-a"));
    assert.equal(second.invocation, first.invocation, "the cached result is reused");
    const other = lambdaContext(await call("/dev/cached", "allow-b"));
    assert.notEqual(other.invocation, first.invocation, "another identity invokes again");
    // Without a TTL every request invokes the authorizer.
    const a = lambdaContext(await call("/dev/simple/1", "allow-a"));
    const b = lambdaContext(await call("/dev/simple/1", "allow-a"));
    assert.notEqual(a.invocation, b.invocation);
  });

  it("evaluates IAM policy responses and sends the 1.0 authorizer event", async () => {
    const allowed = await call("/dev/policy", "allow-x");
    assert.equal(allowed.status, 200, allowed.text);
    assert.deepEqual(lambdaContext(allowed), {
      version: "1.0",
      type: "REQUEST",
      methodArn: `arn:aws:execute-api:us-east-1:${ACCOUNT}:${apiId}/dev/GET/policy`,
    });
    const denied = await call("/dev/policy", "deny-x");
    assert.equal(denied.status, 403);
    assert.deepEqual(json(denied), { message: "Forbidden" });
  });

  it("puts the context and principalId into a format 1.0 integration event", async () => {
    const response = await call("/dev/policy-v1", "allow-y");
    assert.equal(response.status, 200);
    const authorizer = (json(response).requestContext as Record<string, unknown>).authorizer as Record<
      string,
      unknown
    >;
    assert.equal(authorizer.principalId, "user-allow-y");
    assert.equal(authorizer.type, "REQUEST");
  });
});
