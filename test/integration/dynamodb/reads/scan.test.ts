/**
 * Scan through the real SDK: whole-table reads, filters (expression and legacy ScanFilter), projections,
 * Select COUNT, Limit and ExclusiveStartKey paging (by hand and with paginateScan), the 1 MB page,
 * parallel segments that together cover every item exactly once, and consumed capacity.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { paginateScan, ScanCommand, type ScanCommandInput } from "@aws-sdk/client-dynamodb";
import { useStratus } from "../../../support/stratus.ts";
import { compositeTable, createTable, putItems, type SdkItem } from "./helpers.ts";

describe("DynamoDB Scan", () => {
  const stratus = useStratus({ inMemory: true });
  const count = 200;
  let table: string;

  before(async () => {
    table = await createTable(stratus.dynamodb(), (name) => compositeTable(name, "N"));
    const items: SdkItem[] = [];
    for (let i = 0; i < count; i++) {
      items.push({
        pk: { S: `p${i % 40}` },
        sk: { N: String(i) },
        kind: { S: i % 3 === 0 ? "fizz" : "other" },
        info: { M: { i: { N: String(i) }, tag: { S: `t${i}` } } },
      });
    }
    await putItems(stratus, table, items);
  });

  const scan = (input: Partial<ScanCommandInput> = {}) =>
    stratus.dynamodb().send(new ScanCommand({ TableName: table, ...input }));
  const keyOf = (item: SdkItem) => `${item.pk?.S}/${item.sk?.N}`;

  it("reads every item once, each partition in sort order", async () => {
    const result = await scan();
    assert.equal(result.Count, count);
    assert.equal(result.ScannedCount, count);
    assert.equal(result.LastEvaluatedKey, undefined);
    const items = result.Items ?? [];
    assert.equal(new Set(items.map(keyOf)).size, count);
    const byPartition = new Map<string, number[]>();
    for (const item of items) {
      const list = byPartition.get(item.pk?.S as string) ?? [];
      list.push(Number(item.sk?.N));
      byPartition.set(item.pk?.S as string, list);
    }
    assert.equal(byPartition.size, 40);
    for (const list of byPartition.values())
      assert.deepEqual(
        list,
        [...list].sort((a, b) => a - b),
      );
    // A partition's items are contiguous in a Scan (hash order, then sort order).
    const order = items.map((item) => item.pk?.S);
    const runs = order.filter((pk, i) => i === 0 || order[i - 1] !== pk).length;
    assert.equal(runs, 40);
  });

  it("filters after reading: Count vs ScannedCount; projection with names", async () => {
    const result = await scan({
      FilterExpression: "kind = :k AND info.i < :n",
      ProjectionExpression: "sk, #i.tag",
      ExpressionAttributeNames: { "#i": "info" },
      ExpressionAttributeValues: { ":k": { S: "fizz" }, ":n": { N: "10" } },
    });
    assert.equal(result.ScannedCount, count);
    assert.equal(result.Count, 4);
    const items = (result.Items ?? []).sort((a, b) => Number(a.sk?.N) - Number(b.sk?.N));
    assert.deepEqual(
      items,
      [0, 3, 6, 9].map((i) => ({ sk: { N: String(i) }, info: { M: { tag: { S: `t${i}` } } } })),
    );
  });

  it("legacy ScanFilter, ConditionalOperator and AttributesToGet", async () => {
    const result = await scan({
      ScanFilter: {
        sk: { ComparisonOperator: "BETWEEN", AttributeValueList: [{ N: "10" }, { N: "12" }] },
        pk: { ComparisonOperator: "EQ", AttributeValueList: [{ S: "p0" }] },
      },
      ConditionalOperator: "OR",
      AttributesToGet: ["sk"],
    });
    const values = (result.Items ?? []).map((item) => Number(item.sk?.N)).sort((a, b) => a - b);
    assert.deepEqual(values, [0, 10, 11, 12, 40, 80, 120, 160]);
    assert.deepEqual(Object.keys(result.Items?.[0] ?? {}), ["sk"]);
  });

  it("Select COUNT", async () => {
    const result = await scan({
      Select: "COUNT",
      FilterExpression: "kind = :k",
      ExpressionAttributeValues: { ":k": { S: "fizz" } },
    });
    assert.equal(result.Items, undefined);
    assert.equal(result.Count, 67);
    assert.equal(result.ScannedCount, count);
  });

  it("Limit and ExclusiveStartKey page through everything; paginateScan does the same", async () => {
    const seen: string[] = [];
    let start: SdkItem | undefined;
    let pages = 0;
    do {
      const page = await scan({ Limit: 30, ...(start && { ExclusiveStartKey: start }) });
      pages++;
      assert.ok((page.ScannedCount ?? 0) <= 30);
      seen.push(...(page.Items ?? []).map(keyOf));
      start = page.LastEvaluatedKey;
      if (start) assert.deepEqual(Object.keys(start).sort(), ["pk", "sk"]);
    } while (start);
    assert.equal(pages, 7);
    assert.equal(seen.length, count);
    assert.equal(new Set(seen).size, count);

    const paged: string[] = [];
    let filteredTotal = 0;
    for await (const page of paginateScan(
      { client: stratus.dynamodb(), pageSize: 17 },
      { TableName: table, FilterExpression: "kind = :k", ExpressionAttributeValues: { ":k": { S: "fizz" } } },
    )) {
      filteredTotal += page.Count ?? 0;
      paged.push(...(page.Items ?? []).map(keyOf));
    }
    assert.equal(filteredTotal, 67);
    assert.equal(new Set(paged).size, 67);
  });

  it("parallel segments cover every item exactly once, for any TotalSegments", async () => {
    for (const total of [1, 2, 3, 7, 16, 64, 300]) {
      const seen: string[] = [];
      for (let segment = 0; segment < total; segment++) {
        for await (const page of paginateScan(
          { client: stratus.dynamodb(), pageSize: 25 },
          { TableName: table, Segment: segment, TotalSegments: total, ProjectionExpression: "pk, sk" },
        )) {
          seen.push(...(page.Items ?? []).map(keyOf));
        }
      }
      assert.equal(seen.length, count, `TotalSegments ${total}`);
      assert.equal(new Set(seen).size, count, `TotalSegments ${total}`);
    }
  });

  it("a partition lies in one segment whole", async () => {
    const segmentOf = new Map<string, number>();
    for (let segment = 0; segment < 8; segment++) {
      const page = await scan({ Segment: segment, TotalSegments: 8 });
      for (const item of page.Items ?? []) {
        const pk = item.pk?.S as string;
        assert.ok(!segmentOf.has(pk) || segmentOf.get(pk) === segment, pk);
        segmentOf.set(pk, segment);
      }
    }
    assert.equal(segmentOf.size, 40);
  });

  it("stops once 1 MB was read, before the filter", async () => {
    const big = await createTable(stratus.dynamodb(), (name) => compositeTable(name, undefined));
    const filler = "z".repeat(200_000);
    const items: SdkItem[] = [];
    for (let i = 0; i < 12; i++) items.push({ pk: { S: `big${i}` }, payload: { S: filler } });
    await putItems(stratus, big, items);
    const first = await stratus.dynamodb().send(
      new ScanCommand({
        TableName: big,
        FilterExpression: "attribute_not_exists(payload)",
        ReturnConsumedCapacity: "TOTAL",
      }),
    );
    // "pk" + "bigN" + "payload" + 200,000 bytes = 200,013 or 200,014 bytes: the 6th item crosses
    // 1,048,576 bytes. Six items are 1,200,078 to 1,200,080 bytes: 293 units of 4 KB, halved.
    assert.equal(first.ScannedCount, 6);
    assert.equal(first.Count, 0);
    assert.ok(first.LastEvaluatedKey);
    assert.equal(first.ConsumedCapacity?.CapacityUnits, 146.5);
    const second = await stratus
      .dynamodb()
      .send(new ScanCommand({ TableName: big, Select: "COUNT", ExclusiveStartKey: first.LastEvaluatedKey }));
    assert.equal(second.ScannedCount, 6);
    assert.ok(second.LastEvaluatedKey);
    const third = await stratus
      .dynamodb()
      .send(new ScanCommand({ TableName: big, Select: "COUNT", ExclusiveStartKey: second.LastEvaluatedKey }));
    assert.equal(third.ScannedCount, 0);
    assert.equal(third.LastEvaluatedKey, undefined);
  });

  it("ReturnConsumedCapacity counts what was read, not what the filter kept", async () => {
    const plain = await scan({ ReturnConsumedCapacity: "TOTAL" });
    const filtered = await scan({
      ReturnConsumedCapacity: "INDEXES",
      FilterExpression: "kind = :k",
      ProjectionExpression: "pk",
      ExpressionAttributeValues: { ":k": { S: "nothing" } },
    });
    assert.equal(filtered.Count, 0);
    const units = plain.ConsumedCapacity?.CapacityUnits;
    assert.ok(units && units > 0.5);
    assert.deepEqual(filtered.ConsumedCapacity, {
      TableName: table,
      CapacityUnits: units,
      Table: { CapacityUnits: units },
    });
    const consistent = await scan({ ReturnConsumedCapacity: "TOTAL", ConsistentRead: true });
    assert.equal(consistent.ConsumedCapacity?.CapacityUnits, units * 2);
  });
});
