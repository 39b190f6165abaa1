/**
 * DescribeTable, ListTables, DeleteTable, DescribeLimits and DescribeEndpoints through the real SDK,
 * with the SDK waiters.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeEndpointsCommand,
  DescribeLimitsCommand,
  DescribeTableCommand,
  ListTablesCommand,
  UpdateTableCommand,
  waitUntilTableNotExists,
} from "@aws-sdk/client-dynamodb";
import { systemClock } from "../../../src/aws/clock.ts";
import { createLogger } from "../../../src/log.ts";
import { DynamoDbStore } from "../../../src/services/dynamodb/store.ts";
import { useStratus } from "../../support/stratus.ts";
import { describe as describeTable, rejects, seedItems, simpleTable, uniqueName } from "./helpers.ts";

describe("DynamoDB DescribeTable, ListTables, DeleteTable", () => {
  const stratus = useStratus({ inMemory: true });

  it("DescribeTable of a missing table: ResourceNotFoundException naming it", async () => {
    await rejects(
      stratus.dynamodb().send(new DescribeTableCommand({ TableName: "no-such-table" })),
      "ResourceNotFoundException",
      "Requested resource not found: Table: no-such-table not found",
    );
  });

  it("DescribeTable takes the table's ARN too, and reports live ItemCount and TableSizeBytes", async () => {
    const client = stratus.dynamodb();
    const name = uniqueName();
    await client.send(new CreateTableCommand(simpleTable(name)));
    await seedItems(stratus.server.storage, name, [{ pk: { S: "a" } }, { pk: { S: "b" }, n: { N: "12" } }]);
    const table = await describeTable(client, `arn:aws:dynamodb:us-east-1:000000000000:table/${name}`);
    assert.equal(table.TableName, name);
    assert.equal(table.ItemCount, 2);
    assert.equal(table.TableSizeBytes, 3 + 3 + 3);
  });

  it("ListTables pages with Limit, ExclusiveStartTableName and LastEvaluatedTableName", async () => {
    const client = stratus.dynamodb({ accessKeyId: "222222222222", secretAccessKey: "test" });
    const names = ["list-c", "list-a", "list-e", "list-b", "list-d"];
    for (const name of names) await client.send(new CreateTableCommand(simpleTable(name)));
    const first = await client.send(new ListTablesCommand({ Limit: 2 }));
    assert.deepEqual(first.TableNames, ["list-a", "list-b"]);
    assert.equal(first.LastEvaluatedTableName, "list-b");
    const second = await client.send(new ListTablesCommand({ Limit: 2, ExclusiveStartTableName: "list-b" }));
    assert.deepEqual(second.TableNames, ["list-c", "list-d"]);
    const last = await client.send(new ListTablesCommand({ Limit: 2, ExclusiveStartTableName: "list-d" }));
    assert.deepEqual(last.TableNames, ["list-e"]);
    assert.equal(last.LastEvaluatedTableName, undefined);
    const all = await client.send(new ListTablesCommand({}));
    assert.deepEqual(all.TableNames, [...names].sort());
    assert.equal(all.LastEvaluatedTableName, undefined);
  });

  it("DeleteTable answers DELETING without schema, and the waiter sees the table gone", async () => {
    const client = stratus.dynamodb();
    const name = uniqueName();
    const { TableDescription: created } = await client.send(new CreateTableCommand(simpleTable(name)));
    const { TableDescription: deleted } = await client.send(new DeleteTableCommand({ TableName: name }));
    assert.ok(deleted);
    const { BillingModeSummary, ...rest } = deleted;
    assert.equal(BillingModeSummary?.BillingMode, "PAY_PER_REQUEST");
    assert.deepEqual(rest, {
      TableName: name,
      TableStatus: "DELETING",
      ProvisionedThroughput: { NumberOfDecreasesToday: 0, ReadCapacityUnits: 0, WriteCapacityUnits: 0 },
      TableSizeBytes: 0,
      ItemCount: 0,
      TableArn: created?.TableArn,
      TableId: created?.TableId,
      DeletionProtectionEnabled: false,
    });
    await waitUntilTableNotExists({ client, maxWaitTime: 30 }, { TableName: name });
    await rejects(
      client.send(new DeleteTableCommand({ TableName: name })),
      "ResourceNotFoundException",
      `Requested resource not found: Table: ${name} not found`,
    );
  });

  it("DeleteTable refuses a protected table until protection is off", async () => {
    const client = stratus.dynamodb();
    const name = uniqueName();
    await client.send(new CreateTableCommand(simpleTable(name, { DeletionProtectionEnabled: true })));
    await rejects(
      client.send(new DeleteTableCommand({ TableName: name })),
      "ValidationException",
      "Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.",
    );
    await client.send(new UpdateTableCommand({ TableName: name, DeletionProtectionEnabled: false }));
    await client.send(new DeleteTableCommand({ TableName: name }));
  });

  it("a table created again under a deleted table's name starts empty", async () => {
    const client = stratus.dynamodb();
    const name = uniqueName();
    await client.send(new CreateTableCommand(simpleTable(name)));
    await seedItems(stratus.server.storage, name, [{ pk: { S: "old" } }]);
    await client.send(new DeleteTableCommand({ TableName: name }));
    await client.send(new CreateTableCommand(simpleTable(name)));
    assert.equal((await describeTable(client, name)).ItemCount, 0);
    const store = new DynamoDbStore({
      storage: stratus.server.storage,
      clock: systemClock,
      logger: createLogger("silent"),
    });
    const table = await store.requireTable(
      store.storage,
      { accountId: "000000000000", region: "us-east-1" } as never,
      name,
    );
    assert.equal(await store.items.get(store.storage, table, { pk: { S: "old" } }), undefined);
  });

  it("DescribeLimits answers DynamoDB's default quotas", async () => {
    const limits = await stratus.dynamodb().send(new DescribeLimitsCommand({}));
    assert.equal(limits.AccountMaxReadCapacityUnits, 80000);
    assert.equal(limits.AccountMaxWriteCapacityUnits, 80000);
    assert.equal(limits.TableMaxReadCapacityUnits, 40000);
    assert.equal(limits.TableMaxWriteCapacityUnits, 40000);
  });

  it("DescribeEndpoints names the address the client used", async () => {
    const { Endpoints } = await stratus.dynamodb().send(new DescribeEndpointsCommand({}));
    assert.deepEqual(Endpoints, [{ Address: new URL(stratus.url).host, CachePeriodInMinutes: 1440 }]);
  });
});
