/**
 * Lambda-backed custom resources deployed through the CloudFormation API, end to end: an inline
 * Node.js function using `require('cfn-response')` seeds an item into a table of the same stack.
 * Create sends the request with ResourceProperties as text and the Data reaches an Output through
 * Fn::GetAtt; an update sends Update with OldResourceProperties and the physical id; a new physical
 * id from Update is a replacement whose old id gets a Delete; a FAILED answer rolls the stack back
 * with CloudFormation's words; DeleteStack sends Delete.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  type CloudFormationClient,
  CreateStackCommand,
  DeleteStackCommand,
  DescribeStacksCommand,
} from "@aws-sdk/client-cloudformation";
import { CreateTableCommand, GetItemCommand } from "@aws-sdk/client-dynamodb";
import { useStratus } from "../../../support/stratus.ts";
import {
  createStack,
  latestOperationEvents,
  settledStatus,
  stackResources,
  updateStack,
  WAIT,
} from "../apps/app-helpers.ts";

const SEED_FUNCTION = `
var response = require('cfn-response');
var ddb = require('@aws-sdk/client-dynamodb');
var client = new ddb.DynamoDBClient({});
exports.handler = async function (event, context) {
  var props = event.ResourceProperties;
  try {
    if (props.Fail === 'yes') {
      await response.send(event, context, response.FAILED, {}, 'seed-failed');
      return;
    }
    if (event.RequestType === 'Delete') {
      await client.send(new ddb.DeleteItemCommand({ TableName: props.TableName, Key: { pk: { S: event.PhysicalResourceId } } }));
      await client.send(new ddb.PutItemCommand({ TableName: props.TableName, Item: { pk: { S: 'deleted:' + event.PhysicalResourceId } } }));
      await response.send(event, context, response.SUCCESS, {}, event.PhysicalResourceId);
      return;
    }
    var physicalId = 'seed-' + props.Generation;
    var item = {
      pk: { S: physicalId },
      requestType: { S: event.RequestType },
      name: { S: props.Name },
      countType: { S: typeof props.Count + ':' + String(props.Count) },
      nestedType: { S: typeof props.Nested.Flag },
      resourceType: { S: event.ResourceType },
      logicalId: { S: event.LogicalResourceId },
      stackId: { S: event.StackId },
      token: { S: props.ServiceToken },
    };
    if (event.OldResourceProperties) item.oldName = { S: event.OldResourceProperties.Name };
    if (event.PhysicalResourceId) item.previousId = { S: event.PhysicalResourceId };
    await client.send(new ddb.PutItemCommand({ TableName: props.TableName, Item: item }));
    await response.send(event, context, response.SUCCESS, { Greeting: 'Hello, ' + props.Name }, physicalId);
  } catch (error) {
    console.log(error);
    await response.send(event, context, response.FAILED, {}, 'seed-error');
  }
};
`;

/** `table`: a table outside the stack for the Seed to write to (so its Delete is seen after the stack is gone). */
function template(seed: { Name: string; Generation?: string; Fail?: string; table?: string }): string {
  return JSON.stringify({
    AWSTemplateFormatVersion: "2010-09-09",
    Resources: {
      Ledger: {
        Type: "AWS::DynamoDB::Table",
        Properties: {
          BillingMode: "PAY_PER_REQUEST",
          AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
          KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
        },
      },
      SeedFunction: {
        Type: "AWS::Lambda::Function",
        Properties: {
          Runtime: "nodejs20.x",
          Handler: "index.handler",
          Role: "arn:aws:iam::000000000000:role/seed-role",
          Timeout: 30,
          Code: { ZipFile: SEED_FUNCTION },
        },
      },
      Seed: {
        Type: "Custom::Seed",
        Properties: {
          ServiceToken: { "Fn::GetAtt": ["SeedFunction", "Arn"] },
          ServiceTimeout: 60,
          TableName: seed.table ?? { Ref: "Ledger" },
          Name: seed.Name,
          Generation: seed.Generation ?? "1",
          Count: 3,
          Nested: { Flag: true },
          ...(seed.Fail !== undefined && { Fail: seed.Fail }),
        },
      },
    },
    Outputs: {
      Greeting: { Value: { "Fn::GetAtt": ["Seed", "Greeting"] } },
      SeedId: { Value: { Ref: "Seed" } },
      Table: { Value: { Ref: "Ledger" } },
    },
  });
}

/**
 * DeleteStack, then waits for DELETE_COMPLETE by stack id (a deleted stack is no longer found by
 * name); the events of the delete, oldest first.
 */
async function deleteStack(cfn: CloudFormationClient, stackName: string) {
  const { Stacks = [] } = await cfn.send(new DescribeStacksCommand({ StackName: stackName }));
  const stackId = Stacks[0]?.StackId ?? "";
  await cfn.send(new DeleteStackCommand({ StackName: stackName }));
  assert.equal(await settledStatus(cfn, stackId, WAIT.maxWaitTime * 1000), "DELETE_COMPLETE");
  return latestOperationEvents(cfn, stackId);
}

describe("Custom resources backed by Lambda, through stacks", () => {
  const stratus = useStratus();

  async function item(table: string, pk: string) {
    const answer = await stratus
      .dynamodb()
      .send(new GetItemCommand({ TableName: table, Key: { pk: { S: pk } } }));
    return answer.Item;
  }

  it("creates, updates in place, replaces and deletes a Custom::Seed", async () => {
    const cfn = stratus.cloudformation();
    const stackName = "custom-seed";
    const created = await createStack(cfn, stackName, template({ Name: "Ada" }));
    assert.equal(created.Greeting, "Hello, Ada");
    assert.equal(created.SeedId, "seed-1");
    const table = created.Table ?? "";
    const seeded = await item(table, "seed-1");
    assert.equal(seeded?.requestType?.S, "Create");
    assert.equal(seeded?.name?.S, "Ada");
    // CloudFormation sends every scalar of ResourceProperties as text, nested ones too.
    assert.equal(seeded?.countType?.S, "string:3");
    assert.equal(seeded?.nestedType?.S, "string");
    assert.equal(seeded?.resourceType?.S, "Custom::Seed");
    assert.equal(seeded?.logicalId?.S, "Seed");
    assert.match(seeded?.stackId?.S ?? "", /^arn:aws:cloudformation:[^:]+:000000000000:stack\/custom-seed\//);
    assert.match(seeded?.token?.S ?? "", /^arn:aws:lambda:.*:function:/);
    assert.equal(seeded?.oldName, undefined);
    const resources = await stackResources(cfn, stackName);
    assert.equal(resources.Seed?.ResourceType, "Custom::Seed");
    assert.equal(resources.Seed?.PhysicalResourceId, "seed-1");

    // A changed property: Update with the old properties and the physical id, same id back.
    const updated = await updateStack(cfn, stackName, template({ Name: "Grace" }));
    assert.equal(updated.Greeting, "Hello, Grace");
    const afterUpdate = await item(table, "seed-1");
    assert.equal(afterUpdate?.requestType?.S, "Update");
    assert.equal(afterUpdate?.oldName?.S, "Ada");
    assert.equal(afterUpdate?.previousId?.S, "seed-1");
    assert.equal(await item(table, "deleted:seed-1"), undefined);

    // A new physical id from Update: a replacement, and the old id gets a Delete.
    const replaced = await updateStack(cfn, stackName, template({ Name: "Grace", Generation: "2" }));
    assert.equal(replaced.SeedId, "seed-2");
    assert.equal((await item(table, "seed-2"))?.previousId?.S, "seed-1");
    assert.equal(await item(table, "seed-1"), undefined);
    assert.ok(await item(table, "deleted:seed-1"));

    // DeleteStack sends Delete for the current id before the table goes: the function ran.
    const deletes = (await deleteStack(cfn, stackName)).filter(
      (event) => event.LogicalResourceId === "Seed" && event.ResourceStatus === "DELETE_COMPLETE",
    );
    assert.equal(deletes.length, 1);
  });

  it("rolls the stack back with CloudFormation's words when the function answers FAILED", async () => {
    const cfn = stratus.cloudformation();
    const stackName = "custom-seed-fails";
    await cfn.send(
      new CreateStackCommand({
        StackName: stackName,
        TemplateBody: template({ Name: "Ada", Fail: "yes" }),
        Capabilities: ["CAPABILITY_IAM"],
      }),
    );
    assert.equal(await settledStatus(cfn, stackName, WAIT.maxWaitTime * 1000), "ROLLBACK_COMPLETE");
    const events = await latestOperationEvents(cfn, stackName);
    const failed = events.find(
      (event) => event.LogicalResourceId === "Seed" && event.ResourceStatus === "CREATE_FAILED",
    );
    assert.match(
      failed?.ResourceStatusReason ?? "",
      /^Received response status \[FAILED\] from custom resource\. Message returned: See the details in CloudWatch Log Stream: .+ \(RequestId: [0-9a-f-]{36}\)$/,
    );
  });

  it("sends Delete when the stack is deleted, removing what Create made", async () => {
    const cfn = stratus.cloudformation();
    const stackName = "custom-seed-delete";
    const table = "custom-seed-outside";
    await stratus.dynamodb().send(
      new CreateTableCommand({
        TableName: table,
        BillingMode: "PAY_PER_REQUEST",
        AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
        KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
      }),
    );
    await createStack(cfn, stackName, template({ Name: "Lin", table }));
    assert.equal((await item(table, "seed-1"))?.name?.S, "Lin");
    // The Seed depends on its function (ServiceToken), so it is deleted while the function exists.
    const events = await deleteStack(cfn, stackName);
    const order = events
      .filter((event) => event.ResourceStatus === "DELETE_COMPLETE")
      .map((event) => event.LogicalResourceId);
    assert.ok(order.indexOf("Seed") < order.indexOf("SeedFunction"), order.join(","));
    assert.equal(await item(table, "seed-1"), undefined);
    assert.ok(await item(table, "deleted:seed-1"));
  });
});
