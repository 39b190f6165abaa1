/**
 * UpdateTable through the real SDK: throughput and billing mode, streams on and off, GSIs created (and
 * backfilled from existing items) and deleted, deletion protection, and the errors of each.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CreateTableCommand, UpdateTableCommand } from "@aws-sdk/client-dynamodb";
import { useStratus } from "../../support/stratus.ts";
import {
  describe as describeTable,
  rejects,
  seedItems,
  simpleTable,
  uniqueName,
  waitFor,
} from "./helpers.ts";

const INVALID = "One or more parameter values were invalid: ";

describe("DynamoDB UpdateTable", () => {
  const stratus = useStratus({ inMemory: true });

  async function provisioned(): Promise<string> {
    const name = uniqueName();
    await stratus.dynamodb().send(
      new CreateTableCommand(
        simpleTable(name, {
          BillingMode: "PROVISIONED",
          ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
        }),
      ),
    );
    return name;
  }

  it("changes provisioned throughput, keeping increase and decrease bookkeeping", async () => {
    const client = stratus.dynamodb();
    const name = await provisioned();
    const { TableDescription } = await client.send(
      new UpdateTableCommand({
        TableName: name,
        ProvisionedThroughput: { ReadCapacityUnits: 10, WriteCapacityUnits: 5 },
      }),
    );
    assert.equal(TableDescription?.TableStatus, "UPDATING");
    assert.equal(TableDescription?.ProvisionedThroughput?.ReadCapacityUnits, 10);
    assert.ok(TableDescription?.ProvisionedThroughput?.LastIncreaseDateTime instanceof Date);
    await client.send(
      new UpdateTableCommand({
        TableName: name,
        ProvisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 5 },
      }),
    );
    const table = await describeTable(client, name);
    assert.equal(table.TableStatus, "ACTIVE");
    assert.equal(table.ProvisionedThroughput?.NumberOfDecreasesToday, 1);
    assert.ok(table.ProvisionedThroughput?.LastDecreaseDateTime instanceof Date);
    await rejects(
      client.send(
        new UpdateTableCommand({
          TableName: name,
          ProvisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 5 },
        }),
      ),
      "ValidationException",
      "The provisioned throughput for the table will not change. The requested value equals the current value. " +
        "Current ReadCapacityUnits provisioned for the table: 2. Requested ReadCapacityUnits: 2. " +
        "Current WriteCapacityUnits provisioned for the table: 5. Requested WriteCapacityUnits: 5. " +
        "Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits.",
    );
  });

  it("switches billing modes", async () => {
    const client = stratus.dynamodb();
    const name = await provisioned();
    const { TableDescription: onDemand } = await client.send(
      new UpdateTableCommand({ TableName: name, BillingMode: "PAY_PER_REQUEST" }),
    );
    assert.equal(onDemand?.BillingModeSummary?.BillingMode, "PAY_PER_REQUEST");
    assert.ok(onDemand?.BillingModeSummary?.LastUpdateToPayPerRequestDateTime instanceof Date);
    assert.equal(onDemand?.ProvisionedThroughput?.ReadCapacityUnits, 0);
    await rejects(
      client.send(
        new UpdateTableCommand({
          TableName: name,
          ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
        }),
      ),
      "ValidationException",
      `${INVALID}Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST`,
    );
    await rejects(
      client.send(new UpdateTableCommand({ TableName: name, BillingMode: "PROVISIONED" })),
      "ValidationException",
      `${INVALID}ProvisionedThroughput must be specified when BillingMode is PROVISIONED`,
    );
    await client.send(
      new UpdateTableCommand({
        TableName: name,
        BillingMode: "PROVISIONED",
        ProvisionedThroughput: { ReadCapacityUnits: 3, WriteCapacityUnits: 4 },
      }),
    );
    const table = await describeTable(client, name);
    assert.equal(table.BillingModeSummary?.BillingMode, "PROVISIONED");
    assert.deepEqual(
      [table.ProvisionedThroughput?.ReadCapacityUnits, table.ProvisionedThroughput?.WriteCapacityUnits],
      [3, 4],
    );
  });

  it("turns the stream on and off; LatestStreamArn stays after it is off", async () => {
    const client = stratus.dynamodb();
    const name = uniqueName();
    await client.send(new CreateTableCommand(simpleTable(name)));
    await rejects(
      client.send(new UpdateTableCommand({ TableName: name, StreamSpecification: { StreamEnabled: false } })),
      "ValidationException",
      `Table has no stream to disable: TableName: ${name}`,
    );
    await rejects(
      client.send(new UpdateTableCommand({ TableName: name, StreamSpecification: { StreamEnabled: true } })),
      "ValidationException",
      `${INVALID}If stream is being enabled then UpdateViewType is required`,
    );
    const { TableDescription } = await client.send(
      new UpdateTableCommand({
        TableName: name,
        StreamSpecification: { StreamEnabled: true, StreamViewType: "KEYS_ONLY" },
      }),
    );
    assert.deepEqual(TableDescription?.StreamSpecification, {
      StreamEnabled: true,
      StreamViewType: "KEYS_ONLY",
    });
    const arn = TableDescription?.LatestStreamArn;
    assert.match(arn ?? "", new RegExp(`^arn:aws:dynamodb:us-east-1:000000000000:table/${name}/stream/`));
    await rejects(
      client.send(
        new UpdateTableCommand({
          TableName: name,
          StreamSpecification: { StreamEnabled: true, StreamViewType: "NEW_IMAGE" },
        }),
      ),
      "ValidationException",
      `Table already has an enabled stream: TableName: ${name}`,
    );
    await client.send(
      new UpdateTableCommand({ TableName: name, StreamSpecification: { StreamEnabled: false } }),
    );
    const table = await describeTable(client, name);
    assert.equal(table.StreamSpecification, undefined);
    assert.equal(table.LatestStreamArn, arn);
  });

  it("creates a GSI that is backfilled from existing items, then deletes it", async () => {
    const client = stratus.dynamodb();
    const name = uniqueName();
    await client.send(new CreateTableCommand(simpleTable(name)));
    const items = Array.from({ length: 300 }, (_, i) => ({
      pk: { S: `item-${i}` },
      ...(i % 2 === 0 && { color: { S: i % 4 === 0 ? "red" : "blue" } }),
    }));
    await seedItems(stratus.server.storage, name, items);
    const { TableDescription } = await client.send(
      new UpdateTableCommand({
        TableName: name,
        AttributeDefinitions: [{ AttributeName: "color", AttributeType: "S" }],
        GlobalSecondaryIndexUpdates: [
          {
            Create: {
              IndexName: "by-color",
              KeySchema: [{ AttributeName: "color", KeyType: "HASH" }],
              Projection: { ProjectionType: "ALL" },
            },
          },
        ],
      }),
    );
    assert.equal(TableDescription?.TableStatus, "UPDATING");
    assert.equal(TableDescription?.GlobalSecondaryIndexes?.[0]?.IndexStatus, "CREATING");
    assert.equal(TableDescription?.GlobalSecondaryIndexes?.[0]?.Backfilling, true);
    assert.deepEqual(TableDescription?.AttributeDefinitions, [
      { AttributeName: "pk", AttributeType: "S" },
      { AttributeName: "color", AttributeType: "S" },
    ]);
    const table = await waitFor(client, name, (t) => t.GlobalSecondaryIndexes?.[0]?.IndexStatus === "ACTIVE");
    assert.equal(table.GlobalSecondaryIndexes?.[0]?.ItemCount, 150); // sparse: only items with a color
    assert.equal(table.GlobalSecondaryIndexes?.[0]?.Backfilling, undefined);

    await rejects(
      client.send(
        new UpdateTableCommand({
          TableName: name,
          AttributeDefinitions: [{ AttributeName: "color", AttributeType: "S" }],
          GlobalSecondaryIndexUpdates: [
            {
              Create: {
                IndexName: "by-color",
                KeySchema: [{ AttributeName: "color", KeyType: "HASH" }],
                Projection: { ProjectionType: "ALL" },
              },
            },
          ],
        }),
      ),
      "ValidationException",
      "Attempting to create an index which already exists",
    );
    const { TableDescription: deleting } = await client.send(
      new UpdateTableCommand({
        TableName: name,
        GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: "by-color" } }],
      }),
    );
    assert.equal(deleting?.GlobalSecondaryIndexes?.[0]?.IndexStatus, "DELETING");
    const after = await describeTable(client, name);
    assert.equal(after.GlobalSecondaryIndexes, undefined);
    assert.deepEqual(after.AttributeDefinitions, [{ AttributeName: "pk", AttributeType: "S" }]);
    await rejects(
      client.send(
        new UpdateTableCommand({
          TableName: name,
          GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: "by-color" } }],
        }),
      ),
      "ResourceNotFoundException",
      `Requested resource not found: Index by-color for table ${name}`,
    );
  });

  it("answers DynamoDB's errors for empty, combined and misdirected updates", async () => {
    const client = stratus.dynamodb();
    const name = uniqueName();
    await client.send(new CreateTableCommand(simpleTable(name)));
    await rejects(
      client.send(new UpdateTableCommand({ TableName: name })),
      "ValidationException",
      "At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates, " +
        "SSESpecification, ReplicaUpdates, MultiAccountReplicaReady, ReplicaTransitRoleArn, MultiRegionConsistency, " +
        "DeletionProtectionEnabled, OnDemandThroughput, WarmThroughput or TableClass is required",
    );
    await rejects(
      client.send(
        new UpdateTableCommand({
          TableName: name,
          DeletionProtectionEnabled: true,
          BillingMode: "PAY_PER_REQUEST",
        }),
      ),
      "ValidationException",
      `${INVALID}DeletionProtection modification must be the only operation in the request`,
    );
    await rejects(
      client.send(new UpdateTableCommand({ TableName: "no-such-table", BillingMode: "PAY_PER_REQUEST" })),
      "ResourceNotFoundException",
      "Requested resource not found: Table: no-such-table not found",
    );
    const { TableDescription } = await client.send(
      new UpdateTableCommand({ TableName: name, TableClass: "STANDARD_INFREQUENT_ACCESS" }),
    );
    assert.equal(TableDescription?.TableClassSummary?.TableClass, "STANDARD_INFREQUENT_ACCESS");
    assert.ok(TableDescription?.TableClassSummary?.LastUpdateDateTime instanceof Date);
  });
});
