/**
 * A small SAM application deployed as `sam deploy` does it (a CREATE change set with CAPABILITY_IAM,
 * executed, waited for): a function behind an HTTP API event and a SimpleTable, answering through
 * execute-api, then deleted with everything it made.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  CreateChangeSetCommand,
  DeleteStackCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  ListStackResourcesCommand,
  waitUntilChangeSetCreateComplete,
  waitUntilStackCreateComplete,
  waitUntilStackDeleteComplete,
} from "@aws-sdk/client-cloudformation";
import { ListTablesCommand } from "@aws-sdk/client-dynamodb";
import { ListFunctionsCommand } from "@aws-sdk/client-lambda";
import { useStratus } from "../../support/stratus.ts";

const WAIT = { maxWaitTime: 120, minDelay: 1, maxDelay: 1 };

const TEMPLATE = `
Transform: AWS::Serverless-2016-10-31
Resources:
  Items:
    Type: AWS::Serverless::SimpleTable
  Hello:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      Environment:
        Variables:
          TABLE: !Ref Items
      InlineCode: |
        exports.handler = async (event) => ({
          statusCode: 200,
          body: JSON.stringify({ path: event.rawPath, table: process.env.TABLE }),
        });
      Events:
        Get:
          Type: HttpApi
          Properties:
            Path: /hello
            Method: GET
Outputs:
  ApiId:
    Value: !Ref ServerlessHttpApi
  TableName:
    Value: !Ref Items
`;

describe("CloudFormation: a SAM application", () => {
  const stratus = useStratus();

  it("deploys through a change set, answers over HTTP, and is deleted whole", async () => {
    const cfn = stratus.cloudformation();
    const { Id } = await cfn.send(
      new CreateChangeSetCommand({
        StackName: "sam-app",
        ChangeSetName: "samcli-deploy-1",
        ChangeSetType: "CREATE",
        TemplateBody: TEMPLATE,
        Capabilities: ["CAPABILITY_IAM"],
        Tags: [{ Key: "app", Value: "demo" }],
      }),
    );
    await waitUntilChangeSetCreateComplete({ client: cfn, ...WAIT }, { ChangeSetName: Id });
    await cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: Id }));
    await waitUntilStackCreateComplete({ client: cfn, ...WAIT }, { StackName: "sam-app" });

    const { Stacks = [] } = await cfn.send(new DescribeStacksCommand({ StackName: "sam-app" }));
    const outputs = Object.fromEntries((Stacks[0]?.Outputs ?? []).map((o) => [o.OutputKey, o.OutputValue]));
    const response = await fetch(`${stratus.url}/_aws/execute-api/${outputs.ApiId}/hello`, {
      signal: AbortSignal.timeout(60_000),
    });
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { path: "/hello", table: outputs.TableName });
    const { StackResourceSummaries = [] } = await cfn.send(
      new ListStackResourcesCommand({ StackName: "sam-app" }),
    );
    const types = new Set(StackResourceSummaries.map((r) => r.ResourceType));
    for (const type of [
      "AWS::Lambda::Function",
      "AWS::IAM::Role",
      "AWS::ApiGatewayV2::Api",
      "AWS::DynamoDB::Table",
    ]) {
      assert.ok(types.has(type), `${type} in ${[...types].join(", ")}`);
    }

    await cfn.send(new DeleteStackCommand({ StackName: "sam-app" }));
    await waitUntilStackDeleteComplete({ client: cfn, ...WAIT }, { StackName: "sam-app" });
    const functions = await stratus.lambda().send(new ListFunctionsCommand({}));
    assert.deepEqual(
      functions.Functions?.filter((f) => f.FunctionName?.startsWith("sam-app-")),
      [],
    );
    const tables = await stratus.dynamodb().send(new ListTablesCommand({}));
    assert.ok(!tables.TableNames?.includes(outputs.TableName ?? ""));
  });
});
