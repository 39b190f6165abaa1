/**
 * ReturnConsumedCapacity (TOTAL, INDEXES) and ReturnItemCollectionMetrics (SIZE) of the item
 * operations. The index figures are the ladder measured on DynamoDB (conformance
 * tests/tier1/putItem/indexConsumedCapacity, eu-west-2, 2026-08): an index pays only when what it
 * stores changes, a moved index key costs a delete plus an insert, no arm appears for an index the
 * write left alone, and single-item operations report the aggregate only (no Read/WriteCapacityUnits).
 * The size thresholds are dynalite's recorded ones (1 KB per write unit, 4 KB per read unit).
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import type { ConsumedCapacity } from "@aws-sdk/client-dynamodb";
import { useStratus } from "../../../support/stratus.ts";
import { createTable, hashTable, type Item, indexedTable, itemOps, N, S } from "./helpers.ts";

function arms(
  capacity: ConsumedCapacity | undefined,
  expected: { total: number; table: number; gsi?: number; lsi?: number },
): void {
  assert.ok(capacity);
  assert.equal(capacity.CapacityUnits, expected.total);
  assert.equal(capacity.WriteCapacityUnits, undefined);
  assert.equal(capacity.ReadCapacityUnits, undefined);
  assert.deepEqual(capacity.Table, { CapacityUnits: expected.table });
  assert.deepEqual(
    capacity.GlobalSecondaryIndexes,
    expected.gsi === undefined ? undefined : { gsi1: { CapacityUnits: expected.gsi } },
  );
  assert.deepEqual(
    capacity.LocalSecondaryIndexes,
    expected.lsi === undefined ? undefined : { lsi1: { CapacityUnits: expected.lsi } },
  );
}

describe("DynamoDB item operations: consumed capacity and item collection metrics", () => {
  const stratus = useStratus({ inMemory: true });
  let table = "";
  let indexed = "";
  const plain = itemOps(
    () => stratus.dynamodb(),
    () => table,
  );
  const ops = itemOps(
    () => stratus.dynamodb(),
    () => indexed,
  );
  let counter = 0;
  const fresh = () => S(`item-${counter++}`);

  before(async () => {
    table = await createTable(stratus.dynamodb(), hashTable);
    indexed = await createTable(stratus.dynamodb(), indexedTable);
  });

  describe("the table", () => {
    it("PutItem: a unit per KB of the larger of the old and new item", async () => {
      // pk (2) + "cap" (3) + b (1) + value: 1,024 bytes is one unit, 1,025 two.
      const small = await plain.put({
        Item: { pk: S("cap"), b: S("b".repeat(1018)) },
        ReturnConsumedCapacity: "TOTAL",
      });
      assert.deepEqual(small.ConsumedCapacity, { TableName: table, CapacityUnits: 1 });
      const large = await plain.put({
        Item: { pk: S("cap"), b: S("b".repeat(1019)) },
        ReturnConsumedCapacity: "INDEXES",
      });
      assert.deepEqual(large.ConsumedCapacity, {
        TableName: table,
        CapacityUnits: 2,
        Table: { CapacityUnits: 2 },
      });
      const shrink = await plain.put({ Item: { pk: S("cap") }, ReturnConsumedCapacity: "TOTAL" });
      assert.equal(shrink.ConsumedCapacity?.CapacityUnits, 2);
      const again = await plain.put({ Item: { pk: S("cap") }, ReturnConsumedCapacity: "TOTAL" });
      assert.equal(again.ConsumedCapacity?.CapacityUnits, 1);
      const none = await plain.put({ Item: { pk: S("cap") }, ReturnConsumedCapacity: "NONE" });
      assert.equal(none.ConsumedCapacity, undefined);
    });

    it("UpdateItem and DeleteItem; deleting nothing still costs a unit", async () => {
      const update = await plain.update({
        Key: { pk: S("cap-u") },
        UpdateExpression: "SET b = :b",
        ExpressionAttributeValues: { ":b": S("b".repeat(1016)) },
        ReturnConsumedCapacity: "TOTAL",
      });
      assert.deepEqual(update.ConsumedCapacity, { TableName: table, CapacityUnits: 1 });
      const grow = await plain.update({
        Key: { pk: S("cap-u") },
        UpdateExpression: "SET c = :c",
        ExpressionAttributeValues: { ":c": S("c") },
        ReturnConsumedCapacity: "TOTAL",
      });
      assert.equal(grow.ConsumedCapacity?.CapacityUnits, 2);
      const removed = await plain.remove({ Key: { pk: S("cap-u") }, ReturnConsumedCapacity: "INDEXES" });
      assert.deepEqual(removed.ConsumedCapacity, {
        TableName: table,
        CapacityUnits: 2,
        Table: { CapacityUnits: 2 },
      });
      const nothing = await plain.remove({ Key: { pk: S("cap-u") }, ReturnConsumedCapacity: "TOTAL" });
      assert.deepEqual(nothing.ConsumedCapacity, { TableName: table, CapacityUnits: 1 });
    });

    it("GetItem: half a unit per 4 KB eventually consistent, a whole one strongly consistent", async () => {
      const get = (pk: string, consistent: boolean, mode: "TOTAL" | "INDEXES" = "TOTAL") =>
        plain.get({ Key: { pk: S(pk) }, ConsistentRead: consistent, ReturnConsumedCapacity: mode });
      assert.deepEqual((await get("absent", false)).ConsumedCapacity, {
        TableName: table,
        CapacityUnits: 0.5,
      });
      assert.deepEqual((await get("absent", true, "INDEXES")).ConsumedCapacity, {
        TableName: table,
        CapacityUnits: 1,
        Table: { CapacityUnits: 1 },
      });
      // pk (2) + "big" (3) + b (1) + value: 4,096 bytes is one read unit, 4,097 two.
      await plain.put({ Item: { pk: S("big"), b: S("b".repeat(4090)) } });
      assert.equal((await get("big", false)).ConsumedCapacity?.CapacityUnits, 0.5);
      assert.equal((await get("big", true)).ConsumedCapacity?.CapacityUnits, 1);
      await plain.put({ Item: { pk: S("big"), b: S("b".repeat(4091)) } });
      assert.equal((await get("big", false)).ConsumedCapacity?.CapacityUnits, 1);
      const projected = await plain.get({
        Key: { pk: S("big") },
        ConsistentRead: true,
        ProjectionExpression: "pk",
        ReturnConsumedCapacity: "TOTAL",
      });
      assert.equal(projected.ConsumedCapacity?.CapacityUnits, 2, "a projection reads the whole item");
    });
  });

  describe("the indexes (INDEXES)", () => {
    const put = (item: Item) => ops.put({ Item: item, ReturnConsumedCapacity: "INDEXES" });

    it("PutItem: the GSI and LSI writes beside the table write, summed", async () => {
      arms(
        (await put({ pk: fresh(), sk: S("1"), gsiPk: S("g"), gsiSk: N(1), proj: S("p") })).ConsumedCapacity,
        {
          total: 2,
          table: 1,
          gsi: 1,
        },
      );
      arms(
        (await put({ pk: fresh(), sk: S("1"), other: S("o"), gsiPk: S("half a GSI key") })).ConsumedCapacity,
        {
          total: 1,
          table: 1,
        },
      );
      arms((await put({ pk: fresh(), sk: S("1"), lsiSk: S("L") })).ConsumedCapacity, {
        total: 2,
        table: 1,
        lsi: 1,
      });
      const both = { pk: fresh(), sk: S("1"), gsiPk: S("g"), gsiSk: N(2), lsiSk: S("L"), proj: S("p") };
      arms((await put(both)).ConsumedCapacity, { total: 3, table: 1, gsi: 1, lsi: 1 });
      arms((await put(both)).ConsumedCapacity, { total: 1, table: 1 });
      const total = await ops.put({ Item: { ...both, proj: S("q") }, ReturnConsumedCapacity: "TOTAL" });
      assert.deepEqual(total.ConsumedCapacity, { TableName: indexed, CapacityUnits: 3 });
    });

    it("UpdateItem: the ladder of index writes", async () => {
      const seed = async () => {
        const pk = fresh();
        await ops.put({
          Item: { pk, sk: S("1"), gsiPk: S("g"), gsiSk: N(1), lsiSk: S("L1"), proj: S("p"), misc: S("o") },
        });
        return pk;
      };
      const update = async (expression: string, values?: Item) =>
        (
          await ops.update({
            Key: { pk: await seed(), sk: S("1") },
            UpdateExpression: expression,
            ExpressionAttributeValues: values,
            ReturnConsumedCapacity: "INDEXES",
          })
        ).ConsumedCapacity;
      arms(await update("SET misc = :v", { ":v": S("o2") }), { total: 2, table: 1, lsi: 1 });
      arms(await update("SET proj = :v", { ":v": S("p2") }), { total: 3, table: 1, gsi: 1, lsi: 1 });
      arms(await update("SET gsiPk = :v", { ":v": S("moved") }), { total: 4, table: 1, gsi: 2, lsi: 1 });
      arms(await update("REMOVE gsiSk"), { total: 3, table: 1, gsi: 1, lsi: 1 });
      arms(await update("SET lsiSk = :v", { ":v": S("L2") }), { total: 3, table: 1, lsi: 2 });
      arms(await update("SET misc = misc"), { total: 1, table: 1 });
    });

    it("DeleteItem: one write per index the item was in", async () => {
      const pk = fresh();
      await ops.put({ Item: { pk, sk: S("1"), gsiPk: S("g"), gsiSk: N(1), lsiSk: S("L"), proj: S("p") } });
      arms(
        (await ops.remove({ Key: { pk, sk: S("1") }, ReturnConsumedCapacity: "INDEXES" })).ConsumedCapacity,
        {
          total: 3,
          table: 1,
          gsi: 1,
          lsi: 1,
        },
      );
      const sparse = fresh();
      await ops.put({ Item: { pk: sparse, sk: S("1") } });
      arms(
        (await ops.remove({ Key: { pk: sparse, sk: S("1") }, ReturnConsumedCapacity: "INDEXES" }))
          .ConsumedCapacity,
        {
          total: 1,
          table: 1,
        },
      );
    });
  });

  describe("ReturnItemCollectionMetrics", () => {
    it("SIZE on a table with an LSI: the partition key and the size range", async () => {
      const expected = { ItemCollectionKey: { pk: S("icm") }, SizeEstimateRangeGB: [0, 1] };
      const put = await ops.put({
        Item: { pk: S("icm"), sk: S("a"), lsiSk: S("l") },
        ReturnItemCollectionMetrics: "SIZE",
      });
      assert.deepEqual(put.ItemCollectionMetrics, expected);
      const update = await ops.update({
        Key: { pk: S("icm"), sk: S("b") },
        UpdateExpression: "SET x = :x",
        ExpressionAttributeValues: { ":x": S("x") },
        ReturnItemCollectionMetrics: "SIZE",
      });
      assert.deepEqual(update.ItemCollectionMetrics, expected);
      const removed = await ops.remove({
        Key: { pk: S("icm"), sk: S("a") },
        ReturnItemCollectionMetrics: "SIZE",
      });
      assert.deepEqual(removed.ItemCollectionMetrics, expected);
      const none = await ops.put({ Item: { pk: S("icm"), sk: S("c") }, ReturnItemCollectionMetrics: "NONE" });
      assert.equal(none.ItemCollectionMetrics, undefined);
    });

    it("nothing for a table without local secondary indexes", async () => {
      const put = await plain.put({ Item: { pk: S("icm") }, ReturnItemCollectionMetrics: "SIZE" });
      assert.equal(put.ItemCollectionMetrics, undefined);
    });
  });
});
