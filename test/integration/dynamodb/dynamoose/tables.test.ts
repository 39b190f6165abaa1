/**
 * Dynamoose creates its own tables and waits for them: the CreateTable it derives from a schema (hash
 * and range keys, a GSI with its projection, on-demand or provisioned throughput), its polling of
 * DescribeTable until the table and its indexes are ACTIVE, its reuse of a table that already exists,
 * its TTL setup, and its default background setup flow that every first operation waits on.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { waitUntilTableExists } from "@aws-sdk/client-dynamodb";
import dynamoose from "dynamoose";
import { uniqueName } from "../helpers.ts";
import { FAST_WAIT, plain, useDynamoose } from "./helpers.ts";

describe("Dynamoose tables", () => {
  const harness = useDynamoose();

  it("creates a hash+range table with a GSI from the schema and waits until all is ACTIVE", async () => {
    const Order = await harness.model("Orders", {
      customer: { type: String, hashKey: true },
      placed: { type: Number, rangeKey: true },
      status: { type: String, index: { name: "byStatus", type: "global", rangeKey: "total" } },
      total: Number,
    });
    const name = Order.table().name;
    const creates = harness.sent("CreateTable").filter((input) => input.TableName === name);
    assert.equal(creates.length, 1);
    const { Table } = await harness.sdk().describeTable({ TableName: name });
    assert.ok(Table);
    assert.equal(Table.TableStatus, "ACTIVE");
    assert.deepEqual(Table.KeySchema, [
      { AttributeName: "customer", KeyType: "HASH" },
      { AttributeName: "placed", KeyType: "RANGE" },
    ]);
    const definitions = [...(Table.AttributeDefinitions ?? [])].sort((a, b) =>
      String(a.AttributeName).localeCompare(String(b.AttributeName)),
    );
    assert.deepEqual(definitions, [
      { AttributeName: "customer", AttributeType: "S" },
      { AttributeName: "placed", AttributeType: "N" },
      { AttributeName: "status", AttributeType: "S" },
      { AttributeName: "total", AttributeType: "N" },
    ]);
    assert.equal(Table.BillingModeSummary?.BillingMode, "PAY_PER_REQUEST");
    const [index] = Table.GlobalSecondaryIndexes ?? [];
    assert.equal(Table.GlobalSecondaryIndexes?.length, 1);
    assert.equal(index?.IndexName, "byStatus");
    assert.equal(index?.IndexStatus, "ACTIVE");
    assert.deepEqual(index?.KeySchema, [
      { AttributeName: "status", KeyType: "HASH" },
      { AttributeName: "total", KeyType: "RANGE" },
    ]);
    assert.deepEqual(index?.Projection, { ProjectionType: "ALL" });
    // Dynamoose looked for the table first (not found), then created it, then polled it.
    const forTable = harness.requests.filter((request) => request.input.TableName === name);
    assert.deepEqual(
      forTable.slice(0, 2).map((request) => request.operation),
      ["DescribeTable", "CreateTable"],
    );
    assert.equal(forTable.at(-1)?.operation, "DescribeTable");
  });

  it("creates provisioned tables and GSIs with Dynamoose's default throughput of 1/1", async () => {
    const Model = dynamoose.model(
      uniqueName("Provisioned"),
      {
        id: { type: String, hashKey: true },
        kind: { type: String, index: { type: "global", project: ["id"] } },
      },
      { waitForActive: FAST_WAIT, initialize: false },
    );
    await Model.table().initialize();
    const { Table } = await harness.sdk().describeTable({ TableName: Model.table().name });
    assert.equal(Table?.BillingModeSummary?.BillingMode ?? "PROVISIONED", "PROVISIONED");
    assert.equal(Table?.ProvisionedThroughput?.ReadCapacityUnits, 1);
    assert.equal(Table?.ProvisionedThroughput?.WriteCapacityUnits, 1);
    const [index] = Table?.GlobalSecondaryIndexes ?? [];
    assert.equal(index?.IndexName, "kindGlobalIndex");
    assert.equal(index?.ProvisionedThroughput?.ReadCapacityUnits, 1);
    assert.equal(index?.ProvisionedThroughput?.WriteCapacityUnits, 1);
    assert.equal(index?.Projection?.ProjectionType, "INCLUDE");
    assert.deepEqual(index?.Projection?.NonKeyAttributes, ["id"]);
    await Model.create({ id: "a", kind: "k" });
    assert.deepEqual(plain(await Model.get("a")), { id: "a", kind: "k" });
  });

  it("uses a table that already exists and is ACTIVE without creating it again", async () => {
    const name = uniqueName("Existing");
    await harness.sdk().createTable({
      TableName: name,
      BillingMode: "PAY_PER_REQUEST",
      AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }],
      KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
    });
    await waitUntilTableExists({ client: harness.sdk(), maxWaitTime: 10, minDelay: 1 }, { TableName: name });
    const before = harness.sent("CreateTable").length;
    const Model = dynamoose.model(
      name,
      { id: { type: String, hashKey: true }, note: String },
      { create: true, waitForActive: FAST_WAIT, throughput: "ON_DEMAND", initialize: false },
    );
    await Model.table().initialize();
    assert.equal(harness.sent("CreateTable").length, before);
    await Model.create({ id: "x", note: "kept" });
    assert.deepEqual(plain(await Model.get("x")), { id: "x", note: "kept" });
  });

  it("runs the default setup flow in the background and the first operation waits for it", async () => {
    // No initialize option: the table is set up as soon as the model's table is first needed.
    const Model = dynamoose.model(
      uniqueName("Background"),
      { id: { type: String, hashKey: true }, n: Number },
      { waitForActive: FAST_WAIT, throughput: "ON_DEMAND" },
    );
    const created = await Model.create({ id: "first", n: 1 });
    assert.deepEqual(plain(created), { id: "first", n: 1 });
    assert.deepEqual(plain(await Model.get("first")), { id: "first", n: 1 });
    const name = Model.table().name;
    const operations = harness.requests
      .filter((request) => request.input.TableName === name)
      .map((request) => request.operation);
    assert.equal(operations.indexOf("CreateTable"), 1);
    assert.ok(operations.indexOf("PutItem") > operations.lastIndexOf("DescribeTable"));
  });

  it("creates one table for two models (single-table design) with the union of their indexes", async () => {
    const name = uniqueName("Single");
    const Customer = dynamoose.model(`${name}-customer`, {
      pk: { type: String, hashKey: true },
      sk: { type: String, rangeKey: true },
      email: String,
    });
    const Invoice = dynamoose.model(`${name}-invoice`, {
      pk: { type: String, hashKey: true },
      sk: { type: String, rangeKey: true },
      state: { type: String, index: { name: "byState", type: "global", rangeKey: "sk" } },
      amount: Number,
    });
    // The table, not the models, names the table; its models must not have been used before.
    const table = new dynamoose.Table(name, [Customer, Invoice], {
      initialize: false,
      throughput: "ON_DEMAND",
      waitForActive: FAST_WAIT,
    });
    await table.initialize();
    const { Table } = await harness.sdk().describeTable({ TableName: name });
    assert.equal(Table?.TableStatus, "ACTIVE");
    assert.deepEqual(
      Table?.GlobalSecondaryIndexes?.map((index) => [index.IndexName, index.IndexStatus]),
      [["byState", "ACTIVE"]],
    );
    await Customer.create({ pk: "c#1", sk: "profile", email: "c@x.io" });
    await Invoice.create({ pk: "c#1", sk: "inv#1", state: "open", amount: 12 });
    await Invoice.create({ pk: "c#1", sk: "inv#2", state: "paid", amount: 30 });
    assert.deepEqual(plain(await Customer.get({ pk: "c#1", sk: "profile" })), {
      pk: "c#1",
      sk: "profile",
      email: "c@x.io",
    });
    const open = await Invoice.query("state").eq("open").exec();
    assert.deepEqual(
      open.map((item) => plain(item)),
      [{ pk: "c#1", sk: "inv#1", state: "open", amount: 12 }],
    );
    const invoices = await Invoice.query("pk").eq("c#1").where("sk").beginsWith("inv#").exec();
    assert.deepEqual(
      invoices.map((item) => plain(item).sk),
      ["inv#1", "inv#2"],
    );
  });

  it("enables TTL for `expires` and stores the expiry as epoch seconds", async () => {
    const Session = await harness.model(
      "Sessions",
      { id: { type: String, hashKey: true }, user: String },
      { expires: { ttl: 60_000, attribute: "expiresAt" } },
    );
    const name = Session.table().name;
    const ttl = await harness.sdk().describeTimeToLive({ TableName: name });
    assert.equal(ttl.TimeToLiveDescription?.AttributeName, "expiresAt");
    assert.ok(
      ["ENABLED", "ENABLING"].includes(String(ttl.TimeToLiveDescription?.TimeToLiveStatus)),
      String(ttl.TimeToLiveDescription?.TimeToLiveStatus),
    );
    const before = Math.floor(Date.now() / 1000);
    await Session.create({ id: "s1", user: "ann" });
    const raw = await harness.sdk().getItem({ TableName: name, Key: { id: { S: "s1" } } });
    const seconds = Number(raw.Item?.expiresAt?.N);
    assert.ok(seconds >= before + 59 && seconds <= before + 61, `expiresAt ${seconds}`);
    const session = plain(await Session.get("s1"));
    assert.ok(session.expiresAt instanceof Date);
    assert.equal(Math.floor((session.expiresAt as Date).getTime() / 1000), seconds);
  });
});
