/**
 * Proof 2: a stream-triggered SAM function. The template's table has a stream, the function's
 * `DynamoDB` event becomes an event source mapping on it; items written with the DynamoDB client
 * reach the function, which records each change as a marker item in a second table of the stack.
 * BatchSize updates in place; a StartingPosition change needs a new mapping, which Lambda refuses next
 * to the old one, so the update rolls back as on AWS. Deleting the stack removes the mapping with the
 * tables and the function.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  DeleteStackCommand,
  UpdateStackCommand,
  waitUntilStackDeleteComplete,
} from "@aws-sdk/client-cloudformation";
import {
  DescribeTableCommand,
  PutItemCommand,
  ScanCommand,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import { GetFunctionCommand, ListEventSourceMappingsCommand } from "@aws-sdk/client-lambda";
import { useStratus } from "../../../support/stratus.ts";
import {
  CAPABILITIES,
  createStack,
  fixture,
  latestOperationEvents,
  parametersOf,
  pollFor,
  settledStatus,
  stackResources,
  updateStack,
  WAIT,
} from "./app-helpers.ts";
import { samExpansion } from "./sam-oracle.ts";

const STACK = "stream-app";

describe("CloudFormation apps: SAM function on a DynamoDB stream", () => {
  const stratus = useStratus({ inMemory: true });
  let outputs: Record<string, string> = {};

  it("deploys the table with its stream, the function and its event source mapping", async () => {
    const cfn = stratus.cloudformation();
    const template = await fixture("dynamodb-stream.yaml");
    outputs = await createStack(cfn, STACK, template, { StartingPosition: "TRIM_HORIZON" });

    const resources = await stackResources(cfn, STACK);
    assert.deepEqual(
      Object.fromEntries(Object.entries(resources).map(([id, r]) => [id, r.ResourceType ?? ""])),
      await samExpansion(template, { StartingPosition: "TRIM_HORIZON" }),
    );

    const { Table } = await stratus
      .dynamodb()
      .send(new DescribeTableCommand({ TableName: outputs.OrdersTable }));
    assert.equal(Table?.StreamSpecification?.StreamEnabled, true);
    assert.equal(Table?.StreamSpecification?.StreamViewType, "NEW_AND_OLD_IMAGES");
    assert.equal(Table?.LatestStreamArn, outputs.OrdersStreamArn);

    const { EventSourceMappings = [] } = await stratus
      .lambda()
      .send(new ListEventSourceMappingsCommand({ FunctionName: outputs.FunctionName }));
    assert.equal(EventSourceMappings.length, 1);
    const [mapping] = EventSourceMappings;
    assert.equal(mapping?.EventSourceArn, outputs.OrdersStreamArn);
    assert.equal(mapping?.BatchSize, 5);
    assert.equal(mapping?.StartingPosition, "TRIM_HORIZON");
    assert.equal(mapping?.State, "Enabled");
    assert.equal(mapping?.UUID, resources.OnOrderChangeOrderStream?.PhysicalResourceId);
  });

  it("runs the function for each item written, in batches of at most BatchSize", async () => {
    const dynamodb = stratus.dynamodb();
    for (const id of ["a", "b", "c"]) {
      await dynamodb.send(
        new PutItemCommand({ TableName: outputs.OrdersTable, Item: { id: { S: id }, total: { N: "10" } } }),
      );
    }
    await dynamodb.send(
      new UpdateItemCommand({
        TableName: outputs.OrdersTable,
        Key: { id: { S: "a" } },
        UpdateExpression: "SET #t = :t",
        ExpressionAttributeNames: { "#t": "total" },
        ExpressionAttributeValues: { ":t": { N: "42" } },
      }),
    );

    const markers = await pollFor("four markers written by the stream function", async () => {
      const { Items = [] } = await dynamodb.send(new ScanCommand({ TableName: outputs.MarkersTable }));
      return Items.length >= 4 ? Items : undefined;
    });
    const byMarker = Object.fromEntries(markers.map((item) => [item.marker?.S, item]));
    assert.deepEqual(Object.keys(byMarker).sort(), ["INSERT#a", "INSERT#b", "INSERT#c", "MODIFY#a"]);
    assert.equal(byMarker["MODIFY#a"]?.total?.S, "42", "the new image reaches the function");
    for (const item of markers) {
      assert.equal(item.source?.S, outputs.OrdersStreamArn);
      assert.ok(Number(item.batchSize?.N) <= 5, `batch of ${item.batchSize?.N}`);
    }
  });

  /** The stack's only event source mapping. */
  async function theMapping() {
    const { EventSourceMappings = [] } = await stratus
      .lambda()
      .send(new ListEventSourceMappingsCommand({ FunctionName: outputs.FunctionName }));
    assert.equal(EventSourceMappings.length, 1);
    return EventSourceMappings[0];
  }

  it("updates BatchSize in place: the same mapping, no other resource touched", async () => {
    const cfn = stratus.cloudformation();
    const before = await theMapping();
    await updateStack(cfn, STACK, await fixture("dynamodb-stream.yaml"), {
      StartingPosition: "TRIM_HORIZON",
      BatchSize: "2",
    });
    const after = await theMapping();
    assert.equal(after?.UUID, before?.UUID);
    assert.equal(after?.BatchSize, 2);
    const events = (await latestOperationEvents(cfn, STACK)).filter(
      (e) => e.ResourceType !== "AWS::CloudFormation::Stack",
    );
    assert.deepEqual(
      events.map((e) => `${e.LogicalResourceId} ${e.ResourceStatus}`),
      ["OnOrderChangeOrderStream UPDATE_IN_PROGRESS", "OnOrderChangeOrderStream UPDATE_COMPLETE"],
    );
  });

  it("cannot replace the mapping (StartingPosition) while the old one exists, as on AWS: the update rolls back", async () => {
    // StartingPosition needs a new mapping; CloudFormation makes the new one before deleting the old,
    // and Lambda allows one mapping per stream and function: the update fails and rolls back.
    const cfn = stratus.cloudformation();
    const before = await theMapping();
    await cfn.send(
      new UpdateStackCommand({
        StackName: STACK,
        TemplateBody: await fixture("dynamodb-stream.yaml"),
        Parameters: parametersOf({ StartingPosition: "LATEST", BatchSize: "2" }),
        Capabilities: [...CAPABILITIES],
      }),
    );
    assert.equal(await settledStatus(cfn, STACK), "UPDATE_ROLLBACK_COMPLETE");
    const events = (await latestOperationEvents(cfn, STACK)).filter(
      (e) => e.LogicalResourceId === "OnOrderChangeOrderStream",
    );
    assert.equal(
      events[1]?.ResourceStatusReason,
      "Requested update requires the creation of a new physical resource; hence creating one.",
    );
    const failed = events.find((e) => e.ResourceStatus === "UPDATE_FAILED");
    assert.match(
      failed?.ResourceStatusReason ?? "",
      new RegExp(
        `provided mapping already exists\\. Please update or delete the existing mapping with UUID ${before?.UUID}`,
      ),
    );
    assert.match(failed?.ResourceStatusReason ?? "", /HandlerErrorCode: AlreadyExists\)$/);

    const after = await theMapping();
    assert.equal(after?.UUID, before?.UUID);
    assert.equal(after?.StartingPosition, "TRIM_HORIZON");
    const dynamodb = stratus.dynamodb();
    await dynamodb.send(new PutItemCommand({ TableName: outputs.OrdersTable, Item: { id: { S: "d" } } }));
    await pollFor("the kept mapping's delivery", async () => {
      const { Items = [] } = await dynamodb.send(new ScanCommand({ TableName: outputs.MarkersTable }));
      return Items.some((item) => item.marker?.S === "INSERT#d") ? Items : undefined;
    });
  });

  it("is deleted with its mapping, function and both tables", async () => {
    const cfn = stratus.cloudformation();
    await cfn.send(new DeleteStackCommand({ StackName: STACK }));
    await waitUntilStackDeleteComplete({ client: cfn, ...WAIT }, { StackName: STACK });
    const lambda = stratus.lambda();
    const { EventSourceMappings = [] } = await lambda.send(new ListEventSourceMappingsCommand({}));
    assert.deepEqual(EventSourceMappings, []);
    await assert.rejects(lambda.send(new GetFunctionCommand({ FunctionName: outputs.FunctionName })), {
      name: "ResourceNotFoundException",
    });
    for (const table of [outputs.OrdersTable, outputs.MarkersTable]) {
      await assert.rejects(stratus.dynamodb().send(new DescribeTableCommand({ TableName: table })), {
        name: "ResourceNotFoundException",
      });
    }
  });
});
