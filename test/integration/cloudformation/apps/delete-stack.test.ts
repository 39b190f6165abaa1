/**
 * Proof 5: DeleteStack removes every physical resource the stack made. A SAM app with a function
 * behind an implicit REST API and an implicit HTTP API, its log group, a table and a bucket is
 * deployed and called; after DeleteStack each resource of ListStackResources is looked up through
 * its own service's client and must be gone. (IAM roles are records only: Stratus has no IAM API to
 * ask.)
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  APIGatewayClient,
  GetDeploymentCommand,
  GetRestApiCommand,
  GetStageCommand,
} from "@aws-sdk/client-api-gateway";
import {
  ApiGatewayV2Client,
  GetApiCommand,
  GetStageCommand as GetV2StageCommand,
} from "@aws-sdk/client-apigatewayv2";
import {
  DeleteStackCommand,
  DescribeStacksCommand,
  type StackResourceSummary,
  waitUntilStackDeleteComplete,
} from "@aws-sdk/client-cloudformation";
import { DescribeLogGroupsCommand, FilterLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { DescribeTableCommand } from "@aws-sdk/client-dynamodb";
import { GetFunctionCommand } from "@aws-sdk/client-lambda";
import { HeadBucketCommand } from "@aws-sdk/client-s3";
import { useStratus } from "../../../support/stratus.ts";
import {
  call,
  createStack,
  fixture,
  invokeUrl,
  latestOperationEvents,
  pollFor,
  stackResources,
  WAIT,
} from "./app-helpers.ts";
import { samExpansion, withoutHashes } from "./sam-oracle.ts";

const STACK = "doomed-app";

describe("CloudFormation apps: deleting a stack removes every resource", () => {
  const stratus = useStratus({ inMemory: true });
  let outputs: Record<string, string> = {};
  let resources: Record<string, StackResourceSummary> = {};
  let stackId = "";

  it("deploys an app whose APIs answer and whose function logs into the stack's log group", async () => {
    const cfn = stratus.cloudformation();
    const template = await fixture("delete-app.yaml");
    outputs = await createStack(cfn, STACK, template);
    resources = await stackResources(cfn, STACK);
    assert.deepEqual(
      withoutHashes(
        Object.fromEntries(Object.entries(resources).map(([id, r]) => [id, r.ResourceType ?? ""])),
      ),
      withoutHashes(await samExpansion(template)),
    );
    const { Stacks = [] } = await cfn.send(new DescribeStacksCommand({ StackName: STACK }));
    stackId = Stacks[0]?.StackId ?? "";

    const rest = await call(invokeUrl(stratus.url, outputs.RestApiId ?? "", "Prod/hello"));
    assert.equal(rest.status, 200, JSON.stringify(rest.body));
    assert.deepEqual(rest.body, {
      table: resources.Notes?.PhysicalResourceId,
      bucket: resources.Attachments?.PhysicalResourceId,
    });
    const http = await call(invokeUrl(stratus.url, outputs.HttpApiId ?? "", "hello"));
    assert.equal(http.status, 200, JSON.stringify(http.body));

    const logGroupName = resources.HelloLogs?.PhysicalResourceId ?? "";
    assert.equal(logGroupName, `/aws/lambda/${resources.Hello?.PhysicalResourceId}`);
    const { logGroups = [] } = await stratus
      .logs()
      .send(new DescribeLogGroupsCommand({ logGroupNamePrefix: logGroupName }));
    assert.equal(logGroups[0]?.retentionInDays, 3);
    // The function writes into the group the stack made. Both invokes' REPORT lines must be in before
    // the stack goes: lines delivered after the group is deleted would make it again, as on AWS.
    await pollFor("both invokes' REPORT lines in the stack's log group", async () => {
      const { events = [] } = await stratus
        .logs()
        .send(new FilterLogEventsCommand({ logGroupName, filterPattern: "REPORT" }));
      return events.length >= 2 ? events : undefined;
    });
  });

  it("deletes the stack: every resource gets DELETE_COMPLETE and is gone from its service", async () => {
    const cfn = stratus.cloudformation();
    await cfn.send(new DeleteStackCommand({ StackName: STACK }));
    await waitUntilStackDeleteComplete({ client: cfn, ...WAIT }, { StackName: STACK });

    const events = await latestOperationEvents(cfn, stackId);
    const deleted = new Set(
      events.filter((e) => e.ResourceStatus === "DELETE_COMPLETE").map((e) => e.LogicalResourceId),
    );
    for (const id of Object.keys(resources)) assert.ok(deleted.has(id), `${id} has DELETE_COMPLETE`);
    assert.equal(events.at(-1)?.ResourceStatus, "DELETE_COMPLETE");
    assert.equal(events.at(-1)?.LogicalResourceId, STACK);

    const apigateway = new APIGatewayClient(stratus.clientConfig());
    const apigatewayV2 = new ApiGatewayV2Client(stratus.clientConfig());
    try {
      const physical = (id: string) => resources[id]?.PhysicalResourceId ?? "";
      const restApiId = physical("ServerlessRestApi");
      const httpApiId = physical("ServerlessHttpApi");
      /** How to look up each resource type's physical resource: it must answer "not found". */
      const lookups: Record<string, (r: StackResourceSummary) => Promise<unknown>> = {
        "AWS::Lambda::Function": (r) =>
          stratus.lambda().send(new GetFunctionCommand({ FunctionName: r.PhysicalResourceId })),
        // A permission lives in its function's policy: gone with the function.
        "AWS::Lambda::Permission": () =>
          stratus.lambda().send(new GetFunctionCommand({ FunctionName: physical("Hello") })),
        "AWS::DynamoDB::Table": (r) =>
          stratus.dynamodb().send(new DescribeTableCommand({ TableName: r.PhysicalResourceId })),
        "AWS::S3::Bucket": (r) => stratus.s3().send(new HeadBucketCommand({ Bucket: r.PhysicalResourceId })),
        "AWS::Logs::LogGroup": async (r) => {
          const { logGroups = [] } = await stratus
            .logs()
            .send(new DescribeLogGroupsCommand({ logGroupNamePrefix: r.PhysicalResourceId }));
          if (logGroups.some((g) => g.logGroupName === r.PhysicalResourceId)) return logGroups;
          throw Object.assign(new Error("no such log group"), { name: "ResourceNotFoundException" });
        },
        "AWS::ApiGateway::RestApi": (r) =>
          apigateway.send(new GetRestApiCommand({ restApiId: r.PhysicalResourceId })),
        "AWS::ApiGateway::Stage": (r) =>
          apigateway.send(new GetStageCommand({ restApiId, stageName: r.PhysicalResourceId })),
        "AWS::ApiGateway::Deployment": (r) =>
          apigateway.send(new GetDeploymentCommand({ restApiId, deploymentId: r.PhysicalResourceId })),
        "AWS::ApiGatewayV2::Api": (r) =>
          apigatewayV2.send(new GetApiCommand({ ApiId: r.PhysicalResourceId })),
        "AWS::ApiGatewayV2::Stage": (r) =>
          apigatewayV2.send(new GetV2StageCommand({ ApiId: httpApiId, StageName: r.PhysicalResourceId })),
      };
      const notFound = /^(ResourceNotFoundException|NotFoundException|NotFound)$/;
      for (const resource of Object.values(resources)) {
        const type = resource.ResourceType ?? "";
        if (type === "AWS::IAM::Role") continue; // Stratus has no IAM API to look it up through.
        const lookup = lookups[type];
        assert.ok(lookup, `a lookup for ${type}`);
        await assert.rejects(
          lookup(resource),
          (error: Error) => {
            assert.match(error.name, notFound, `${resource.LogicalResourceId} (${type}): ${error.message}`);
            return true;
          },
          `${resource.LogicalResourceId} (${type}) ${resource.PhysicalResourceId} still exists`,
        );
      }
    } finally {
      apigateway.destroy();
      apigatewayV2.destroy();
    }

    const rest = await call(invokeUrl(stratus.url, outputs.RestApiId ?? "", "Prod/hello"));
    assert.notEqual(rest.status, 200);
    const http = await call(invokeUrl(stratus.url, outputs.HttpApiId ?? "", "hello"));
    assert.notEqual(http.status, 200);
  });
});
