/**
 * Proof 1: a SAM REST API guarded by Lambda authorizers, deployed through CreateStack (the transform
 * run by CloudFormation itself, CAPABILITY_AUTO_EXPAND), then called on its invoke URL as a client
 * would: no token → 401, a denying token → 403, an allowing one → 200 with the authorizer's context
 * in the backend's event; the REQUEST authorizer reads its query string; a route with Auth NONE is
 * open. What the transform made is checked through API Gateway's own API.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { APIGatewayClient, GetAuthorizersCommand, GetStagesCommand } from "@aws-sdk/client-api-gateway";
import {
  DeleteStackCommand,
  GetTemplateCommand,
  waitUntilStackDeleteComplete,
} from "@aws-sdk/client-cloudformation";
import { useStratus } from "../../../support/stratus.ts";
import { call, createStack, fixture, invokeUrl, stackResources, WAIT } from "./app-helpers.ts";
import { samExpansion, withoutHashes } from "./sam-oracle.ts";

const STACK = "rest-authorizer-app";

describe("CloudFormation apps: SAM REST API with Lambda authorizers", () => {
  const stratus = useStratus({ inMemory: true });
  let apiId = "";

  it("deploys with CreateStack and the transform, making both authorizers and the Prod stage", async () => {
    const cfn = stratus.cloudformation();
    const template = await fixture("rest-api-authorizer.yaml");
    const outputs = await createStack(cfn, STACK, template);
    apiId = outputs.ApiId ?? "";
    assert.match(apiId, /^[a-z0-9]{10}$/);
    assert.equal(outputs.ApiUrl, `https://${apiId}.execute-api.us-east-1.amazonaws.com/Prod/`);

    // The same resources, by logical id and type, as AWS's SAM translator makes of the template.
    const resources = await stackResources(cfn, STACK);
    const made = Object.fromEntries(Object.entries(resources).map(([id, r]) => [id, r.ResourceType ?? ""]));
    assert.deepEqual(withoutHashes(made), withoutHashes(await samExpansion(template)));

    // GetTemplate answers the template as written (Original) and as the transform expanded it.
    const original = await cfn.send(new GetTemplateCommand({ StackName: STACK }));
    assert.equal(original.TemplateBody, template);
    assert.deepEqual(original.StagesAvailable?.sort(), ["Original", "Processed"]);
    const processed = await cfn.send(
      new GetTemplateCommand({ StackName: STACK, TemplateStage: "Processed" }),
    );
    const expanded = JSON.parse(processed.TemplateBody ?? "{}") as {
      Resources: Record<string, unknown>;
      Transform?: unknown;
    };
    assert.deepEqual(Object.keys(expanded.Resources).sort(), Object.keys(made).sort());
    assert.equal(expanded.Transform, undefined);

    const apigateway = new APIGatewayClient(stratus.clientConfig());
    try {
      const { items: authorizers = [] } = await apigateway.send(
        new GetAuthorizersCommand({ restApiId: apiId }),
      );
      const byName = Object.fromEntries(authorizers.map((a) => [a.name, a]));
      assert.equal(byName.TokenAuth?.type, "TOKEN");
      assert.equal(byName.TokenAuth?.identitySource, "method.request.header.Authorization");
      assert.equal(byName.RequestAuth?.type, "REQUEST");
      assert.equal(byName.RequestAuth?.identitySource, "method.request.querystring.token");
      const { item: stages = [] } = await apigateway.send(new GetStagesCommand({ restApiId: apiId }));
      // SAM's Deployment names the stage "Stage" when OpenApiVersion is not set (a known SAM quirk),
      // so AWS too ends up with a second stage next to the one StageName asks for.
      assert.deepEqual(stages.map((s) => s.stageName).sort(), ["Prod", "Stage"]);
    } finally {
      apigateway.destroy();
    }
  });

  it("answers 401 Unauthorized without a token, before the authorizer runs", async () => {
    const answer = await call(invokeUrl(stratus.url, apiId, "Prod/items"));
    assert.equal(answer.status, 401);
    assert.deepEqual(answer.body, { message: "Unauthorized" });
  });

  it("answers 401 when the authorizer function says Unauthorized", async () => {
    const answer = await call(invokeUrl(stratus.url, apiId, "Prod/items"), {
      headers: { Authorization: "nobody-knows-me" },
    });
    assert.equal(answer.status, 401);
    assert.deepEqual(answer.body, { message: "Unauthorized" });
  });

  it("answers 403 when the authorizer's policy denies", async () => {
    const answer = await call(invokeUrl(stratus.url, apiId, "Prod/items"), {
      headers: { Authorization: "deny" },
    });
    assert.equal(answer.status, 403);
    const body = answer.body as Record<string, unknown>;
    assert.match(
      String(body.Message ?? body.message),
      /^User is not authorized to access this resource with an explicit deny/,
    );
  });

  it("answers 200 with an allowing token, the authorizer's context in the backend's event", async () => {
    const answer = await call(invokeUrl(stratus.url, apiId, "Prod/items"), {
      headers: { Authorization: "allow-alice" },
    });
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    const body = answer.body as {
      resource: string;
      path: string;
      stage: string;
      authorizer: Record<string, unknown>;
    };
    assert.equal(body.resource, "/items");
    assert.equal(body.path, "/items");
    assert.equal(body.stage, "Prod");
    // API Gateway hands the context on with every value as a string, plus principalId.
    assert.equal(body.authorizer.principalId, "alice");
    assert.equal(body.authorizer.user, "alice");
    assert.equal(body.authorizer.kind, "TOKEN");
    assert.equal(body.authorizer.level, "3");
    assert.equal(body.authorizer.admin, "false");
  });

  it("runs the REQUEST authorizer on its query string identity source", async () => {
    const missing = await call(invokeUrl(stratus.url, apiId, "Prod/request-items"), {
      headers: { Authorization: "allow-alice" },
    });
    assert.equal(missing.status, 401, "the TOKEN header does not satisfy the REQUEST authorizer");
    assert.deepEqual(missing.body, { message: "Unauthorized" });

    const denied = await call(invokeUrl(stratus.url, apiId, "Prod/request-items?token=deny"));
    assert.equal(denied.status, 403);

    const allowed = await call(invokeUrl(stratus.url, apiId, "Prod/request-items?token=allow-bob"));
    assert.equal(allowed.status, 200, JSON.stringify(allowed.body));
    const body = allowed.body as { authorizer: Record<string, unknown> };
    assert.equal(body.authorizer.principalId, "bob");
    assert.equal(body.authorizer.kind, "REQUEST");
  });

  it("leaves a route with Auth NONE open", async () => {
    const answer = await call(invokeUrl(stratus.url, apiId, "Prod/open"));
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assert.equal((answer.body as { resource: string }).resource, "/open");
  });

  it("is deleted with its API", async () => {
    const cfn = stratus.cloudformation();
    await cfn.send(new DeleteStackCommand({ StackName: STACK }));
    await waitUntilStackDeleteComplete({ client: cfn, ...WAIT }, { StackName: STACK });
    const answer = await call(invokeUrl(stratus.url, apiId, "Prod/open"));
    assert.notEqual(answer.status, 200);
  });
});
