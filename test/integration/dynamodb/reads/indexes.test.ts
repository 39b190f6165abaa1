/**
 * Query and Scan on LSIs and GSIs through the real SDK: each projection type (ALL, KEYS_ONLY, INCLUDE),
 * sparse indexes, Select per index type (ALL_PROJECTED_ATTRIBUTES; ALL_ATTRIBUTES fetching from the table
 * on an LSI), LastEvaluatedKey with the table's and the index's keys, paging among equal index keys, and
 * consumed capacity per index.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import {
  paginateQuery,
  paginateScan,
  QueryCommand,
  type QueryCommandInput,
  ScanCommand,
  type ScanCommandInput,
} from "@aws-sdk/client-dynamodb";
import { useStratus } from "../../../support/stratus.ts";
import { createTable, indexedTable, numbers, putItems, type SdkItem, strings } from "./helpers.ts";

describe("DynamoDB Query and Scan on indexes", () => {
  const stratus = useStratus({ inMemory: true });
  let table: string;
  const full = (i: number): SdkItem => ({
    pk: { S: i < 8 ? "p" : "q" },
    sk: { S: `s${i}` },
    n: { N: String(10 - i) },
    s2: { S: `k${i}` },
    s3: { S: `c${i % 3}-${i}` },
    ...(i !== 9 && { g: { S: "G" } }),
    inc: { S: `inc${i}` },
    extra: { S: `x${i}` },
  });

  before(async () => {
    table = await createTable(stratus.dynamodb(), indexedTable);
    await putItems(
      stratus,
      table,
      Array.from({ length: 10 }, (_, i) => full(i)),
    );
  });

  const query = (input: Partial<QueryCommandInput>) =>
    stratus.dynamodb().send(new QueryCommand({ TableName: table, ...input }));
  const scan = (input: Partial<ScanCommandInput>) =>
    stratus.dynamodb().send(new ScanCommand({ TableName: table, ...input }));
  const byG = { KeyConditionExpression: "g = :g", ExpressionAttributeValues: { ":g": { S: "G" } } };
  const byP = { KeyConditionExpression: "pk = :p", ExpressionAttributeValues: { ":p": { S: "p" } } };
  const keysOf = (item: SdkItem | undefined) => Object.keys(item ?? {}).sort();

  describe("GSIs", () => {
    it("ALL: whole items in the index's sort order; sparse without the key", async () => {
      const result = await query({ IndexName: "gsi_all", ...byG });
      assert.equal(result.Count, 9);
      assert.deepEqual(numbers(result.Items, "n"), ["2", "3", "4", "5", "6", "7", "8", "9", "10"]);
      assert.deepEqual(result.Items?.[0], full(8));
      const back = await query({ IndexName: "gsi_all", ...byG, ScanIndexForward: false, Limit: 2 });
      assert.deepEqual(numbers(back.Items, "n"), ["10", "9"]);
      assert.deepEqual(back.LastEvaluatedKey, {
        pk: { S: "p" },
        sk: { S: "s1" },
        g: { S: "G" },
        n: { N: "9" },
      });
      const next = await query({
        IndexName: "gsi_all",
        ...byG,
        ScanIndexForward: false,
        Limit: 2,
        ExclusiveStartKey: back.LastEvaluatedKey,
      });
      assert.deepEqual(numbers(next.Items, "n"), ["8", "7"]);
      const range = await query({
        IndexName: "gsi_all",
        KeyConditionExpression: "g = :g AND n BETWEEN :lo AND :hi",
        ExpressionAttributeValues: { ":g": { S: "G" }, ":lo": { N: "4" }, ":hi": { N: "6" } },
        Select: "ALL_ATTRIBUTES",
      });
      assert.deepEqual(strings(range.Items, "sk"), ["s6", "s5", "s4"]);
    });

    it("KEYS_ONLY: the table's and the index's keys; other attributes cannot be asked for", async () => {
      const result = await query({ IndexName: "gsi_keys", ...byG });
      assert.equal(result.Count, 9);
      for (const item of result.Items ?? []) assert.deepEqual(keysOf(item), ["g", "pk", "sk"]);
      const specific = await query({ IndexName: "gsi_keys", ...byG, ProjectionExpression: "sk, extra" });
      for (const item of specific.Items ?? []) assert.deepEqual(keysOf(item), ["sk"]);
      const projected = await query({ IndexName: "gsi_keys", ...byG, Select: "ALL_PROJECTED_ATTRIBUTES" });
      assert.deepEqual(projected.Items, result.Items);
    });

    it("INCLUDE: keys plus NonKeyAttributes, in the index's sort order", async () => {
      const result = await query({ IndexName: "gsi_inc", ...byG });
      assert.deepEqual(strings(result.Items, "s3"), [
        "c0-0",
        "c0-3",
        "c0-6",
        "c1-1",
        "c1-4",
        "c1-7",
        "c2-2",
        "c2-5",
        "c2-8",
      ]);
      for (const item of result.Items ?? []) assert.deepEqual(keysOf(item), ["g", "inc", "pk", "s3", "sk"]);
      const prefix = await query({
        IndexName: "gsi_inc",
        KeyConditionExpression: "g = :g AND begins_with(s3, :c)",
        FilterExpression: "inc <> :i",
        ExpressionAttributeValues: { ":g": { S: "G" }, ":c": { S: "c1" }, ":i": { S: "inc4" } },
      });
      assert.deepEqual(strings(prefix.Items, "s3"), ["c1-1", "c1-7"]);
      assert.equal(prefix.ScannedCount, 3);
    });

    it("pages one at a time through items that share the index key", async () => {
      const seen: string[] = [];
      for await (const page of paginateQuery(
        { client: stratus.dynamodb(), pageSize: 2 },
        { TableName: table, IndexName: "gsi_keys", ...byG },
      )) {
        for (const key of page.LastEvaluatedKey ? [page.LastEvaluatedKey] : [])
          assert.deepEqual(keysOf(key), ["g", "pk", "sk"]);
        seen.push(...(strings(page.Items, "sk") as string[]));
      }
      assert.equal(seen.length, 9);
      assert.equal(new Set(seen).size, 9);
    });

    it("ReturnConsumedCapacity INDEXES names the GSI", async () => {
      const result = await query({ IndexName: "gsi_keys", ...byG, ReturnConsumedCapacity: "INDEXES" });
      assert.deepEqual(result.ConsumedCapacity, {
        TableName: table,
        CapacityUnits: 0.5,
        Table: { CapacityUnits: 0 },
        GlobalSecondaryIndexes: { gsi_keys: { CapacityUnits: 0.5 } },
      });
    });

    it("Scan and parallel Scan of a GSI", async () => {
      const all = await scan({ IndexName: "gsi_inc" });
      assert.equal(all.Count, 9);
      for (const item of all.Items ?? []) assert.deepEqual(keysOf(item), ["g", "inc", "pk", "s3", "sk"]);
      const seen: string[] = [];
      for (let segment = 0; segment < 4; segment++) {
        for await (const page of paginateScan(
          { client: stratus.dynamodb(), pageSize: 2 },
          { TableName: table, IndexName: "gsi_all", Segment: segment, TotalSegments: 4 },
        )) {
          seen.push(...(strings(page.Items, "sk") as string[]));
          if (page.LastEvaluatedKey) assert.deepEqual(keysOf(page.LastEvaluatedKey), ["g", "n", "pk", "sk"]);
        }
      }
      assert.equal(seen.length, 9);
      assert.equal(new Set(seen).size, 9);
    });
  });

  describe("LSIs", () => {
    it("ALL: the partition in the index's sort order, consistent reads allowed", async () => {
      const result = await query({ IndexName: "lsi_all", ...byP, ConsistentRead: true });
      assert.deepEqual(numbers(result.Items, "n"), ["3", "4", "5", "6", "7", "8", "9", "10"]);
      assert.deepEqual(result.Items?.[0], full(7));
      const limited = await query({ IndexName: "lsi_all", ...byP, Limit: 3 });
      assert.deepEqual(limited.LastEvaluatedKey, { pk: { S: "p" }, sk: { S: "s5" }, n: { N: "5" } });
    });

    it("KEYS_ONLY: projected attributes by default, the table's item for ALL_ATTRIBUTES", async () => {
      const projected = await query({ IndexName: "lsi_keys", ...byP, ReturnConsumedCapacity: "INDEXES" });
      assert.deepEqual(strings(projected.Items, "s2"), ["k0", "k1", "k2", "k3", "k4", "k5", "k6", "k7"]);
      for (const item of projected.Items ?? []) assert.deepEqual(keysOf(item), ["pk", "s2", "sk"]);
      assert.equal(projected.ConsumedCapacity?.Table?.CapacityUnits, 0);
      assert.equal(projected.ConsumedCapacity?.LocalSecondaryIndexes?.lsi_keys?.CapacityUnits, 0.5);

      const everything = await query({
        IndexName: "lsi_keys",
        ...byP,
        Select: "ALL_ATTRIBUTES",
        ReturnConsumedCapacity: "INDEXES",
        ConsistentRead: true,
      });
      assert.deepEqual(
        everything.Items,
        Array.from({ length: 8 }, (_, i) => full(i)),
      );
      assert.deepEqual(everything.ConsumedCapacity, {
        TableName: table,
        CapacityUnits: 2,
        Table: { CapacityUnits: 1 },
        LocalSecondaryIndexes: { lsi_keys: { CapacityUnits: 1 } },
      });
    });

    it("a projection or filter naming unprojected attributes reads them from the table", async () => {
      const result = await query({
        IndexName: "lsi_inc",
        ...byP,
        ProjectionExpression: "s3, extra, inc",
        FilterExpression: "extra <> :x",
        ExpressionAttributeValues: { ":p": { S: "p" }, ":x": { S: "x0" } },
      });
      assert.deepEqual(result.Items?.[0], { s3: { S: "c0-3" }, extra: { S: "x3" }, inc: { S: "inc3" } });
      assert.equal(result.Count, 7);
      assert.equal(result.ScannedCount, 8);
      // The filter reads the table's item, but ALL_PROJECTED_ATTRIBUTES still answers the index entry.
      const filtered = await query({
        IndexName: "lsi_keys",
        KeyConditionExpression: "pk = :p",
        FilterExpression: "extra IN (:a, :b)",
        ExpressionAttributeValues: { ":p": { S: "p" }, ":a": { S: "x2" }, ":b": { S: "x5" } },
      });
      assert.deepEqual(filtered.Items, [
        { pk: { S: "p" }, sk: { S: "s2" }, s2: { S: "k2" } },
        { pk: { S: "p" }, sk: { S: "s5" }, s2: { S: "k5" } },
      ]);
      const projected = await query({ IndexName: "lsi_inc", ...byP, Limit: 1 });
      assert.deepEqual(keysOf(projected.Items?.[0]), ["inc", "pk", "s3", "sk"]);
      assert.deepEqual(projected.LastEvaluatedKey, { pk: { S: "p" }, sk: { S: "s0" }, s3: { S: "c0-0" } });
    });

    it("Select COUNT on an index, and Scan of an LSI", async () => {
      const count = await query({ IndexName: "lsi_keys", ...byP, Select: "COUNT" });
      assert.equal(count.Count, 8);
      assert.equal(count.Items, undefined);
      const scanned = await scan({ IndexName: "lsi_all", Select: "ALL_ATTRIBUTES" });
      assert.equal(scanned.Count, 10);
      const keys = await scan({ IndexName: "lsi_keys", Limit: 4 });
      assert.equal(keys.Count, 4);
      assert.deepEqual(keysOf(keys.LastEvaluatedKey), ["pk", "s2", "sk"]);
    });
  });
});
