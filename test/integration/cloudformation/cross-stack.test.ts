/**
 * Stacks that share values (exports and Fn::ImportValue) and a Lambda function updated in place by a
 * stack update, over the wire with real resources.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  CreateStackCommand,
  DeleteStackCommand,
  DescribeStackResourcesCommand,
  DescribeStacksCommand,
  ListImportsCommand,
  UpdateStackCommand,
  waitUntilStackCreateComplete,
  waitUntilStackDeleteComplete,
  waitUntilStackUpdateComplete,
} from "@aws-sdk/client-cloudformation";
import { GetFunctionConfigurationCommand, InvokeCommand } from "@aws-sdk/client-lambda";
import { useStratus } from "../../support/stratus.ts";

const WAIT = { maxWaitTime: 90, minDelay: 1, maxDelay: 1 };

const ROLE = {
  Type: "AWS::IAM::Role",
  Properties: {
    AssumeRolePolicyDocument: {
      Version: "2012-10-17",
      Statement: [
        { Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" },
      ],
    },
  },
};

function functionTemplate(answer: string, memory: number) {
  return JSON.stringify({
    Resources: {
      Role: ROLE,
      Fn: {
        Type: "AWS::Lambda::Function",
        Properties: {
          Runtime: "nodejs20.x",
          Handler: "index.handler",
          MemorySize: memory,
          Role: { "Fn::GetAtt": ["Role", "Arn"] },
          Environment: { Variables: { TABLE: { "Fn::ImportValue": "shared-table" } } },
          Code: {
            ZipFile: `exports.handler = async () => ({ answer: "${answer}", table: process.env.TABLE });`,
          },
        },
      },
    },
    Outputs: { Name: { Value: { Ref: "Fn" } } },
  });
}

describe("CloudFormation cross-stack references", () => {
  const stratus = useStratus();

  it("imports another stack's export, updates a function in place, and protects the export", async () => {
    const cfn = stratus.cloudformation();
    const producer = JSON.stringify({
      Resources: {
        Table: {
          Type: "AWS::DynamoDB::Table",
          Properties: {
            AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
            KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
            BillingMode: "PAY_PER_REQUEST",
          },
        },
      },
      Outputs: { TableName: { Value: { Ref: "Table" }, Export: { Name: "shared-table" } } },
    });
    await cfn.send(new CreateStackCommand({ StackName: "producer", TemplateBody: producer }));
    await waitUntilStackCreateComplete({ client: cfn, ...WAIT }, { StackName: "producer" });
    const tableName = (await cfn.send(new DescribeStacksCommand({ StackName: "producer" }))).Stacks?.[0]
      ?.Outputs?.[0]?.OutputValue;

    await cfn.send(
      new CreateStackCommand({
        StackName: "consumer",
        TemplateBody: functionTemplate("one", 128),
        Capabilities: ["CAPABILITY_IAM"],
      }),
    );
    await waitUntilStackCreateComplete({ client: cfn, ...WAIT }, { StackName: "consumer" });
    const { StackResources = [] } = await cfn.send(
      new DescribeStackResourcesCommand({ StackName: "consumer" }),
    );
    const functionName = StackResources.find((r) => r.LogicalResourceId === "Fn")?.PhysicalResourceId ?? "";
    const lambda = stratus.lambda();
    const invoke = async () =>
      JSON.parse(
        Buffer.from(
          (await lambda.send(new InvokeCommand({ FunctionName: functionName }))).Payload ?? [],
        ).toString(),
      );
    assert.deepEqual(await invoke(), { answer: "one", table: tableName });
    const imports = await cfn.send(new ListImportsCommand({ ExportName: "shared-table" }));
    assert.deepEqual(imports.Imports, ["consumer"]);

    // The same function (same physical id) gets new code and memory.
    await cfn.send(
      new UpdateStackCommand({
        StackName: "consumer",
        TemplateBody: functionTemplate("two", 256),
        Capabilities: ["CAPABILITY_IAM"],
      }),
    );
    await waitUntilStackUpdateComplete({ client: cfn, ...WAIT }, { StackName: "consumer" });
    const config = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: functionName }));
    assert.equal(config.MemorySize, 256);
    assert.deepEqual(await invoke(), { answer: "two", table: tableName });

    // The producer cannot go while the consumer imports its export.
    await cfn.send(new DeleteStackCommand({ StackName: "producer" }));
    const deadline = Date.now() + 20_000;
    let producerStack = (await cfn.send(new DescribeStacksCommand({ StackName: "producer" }))).Stacks?.[0];
    while (producerStack?.StackStatus === "DELETE_IN_PROGRESS" && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      producerStack = (await cfn.send(new DescribeStacksCommand({ StackName: "producer" }))).Stacks?.[0];
    }
    assert.equal(producerStack?.StackStatus, "CREATE_COMPLETE");
    assert.equal(
      producerStack?.StackStatusReason,
      "Export shared-table cannot be deleted as it is in use by consumer",
    );

    await cfn.send(new DeleteStackCommand({ StackName: "consumer" }));
    await waitUntilStackDeleteComplete({ client: cfn, ...WAIT }, { StackName: "consumer" });
    await assert.rejects(cfn.send(new ListImportsCommand({ ExportName: "shared-table" })), {
      name: "ValidationError",
      message: "Export 'shared-table' is not imported by any stack.",
    });
    await cfn.send(new DeleteStackCommand({ StackName: "producer" }));
    await waitUntilStackDeleteComplete({ client: cfn, ...WAIT }, { StackName: "producer" });
  });
});
