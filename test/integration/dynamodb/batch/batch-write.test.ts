/**
 * BatchWriteItem through the real SDK clients: puts and deletes over several tables, capacity,
 * ItemCollectionMetrics, and DynamoDB's errors word for word (dynalite's recorded texts; conformance
 * tier1/tier3 captures, 2026; dynamodb-local probes), with nothing written when a request is refused.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { BatchWriteItemCommand, type WriteRequest } from "@aws-sdk/client-dynamodb";
import { BatchWriteCommand, DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { useStratus } from "../../../support/stratus.ts";
import { rejects } from "../helpers.ts";
import { createTable, hashTable, type Item, indexedTable, N, padding, read, S } from "./helpers.ts";

describe("DynamoDB BatchWriteItem", () => {
  const stratus = useStratus({ inMemory: true });
  let hash: string;
  let composite: string;

  before(async () => {
    hash = await createTable(stratus.dynamodb(), hashTable);
    composite = await createTable(stratus.dynamodb(), indexedTable);
  });

  const write = (RequestItems: Record<string, WriteRequest[]>, extra: object = {}) =>
    stratus.dynamodb().send(new BatchWriteItemCommand({ RequestItems, ...extra }));
  const put = (Item: Item): WriteRequest => ({ PutRequest: { Item } });
  const del = (Key: Item): WriteRequest => ({ DeleteRequest: { Key } });

  it("puts and deletes over several tables; UnprocessedItems is empty", async () => {
    const client = stratus.dynamodb();
    await write({ [hash]: [put({ pk: S("gone"), v: S("old") })] });
    const output = await write({
      [hash]: [put({ pk: S("w1"), v: N(1) }), del({ pk: S("gone") }), del({ pk: S("never-there") })],
      [composite]: [put({ pk: S("c"), sk: N(1), idx: S("i") }), put({ pk: S("c"), sk: N(2) })],
    });
    assert.deepEqual(output.UnprocessedItems, {});
    assert.equal(output.ConsumedCapacity, undefined);
    assert.equal(output.ItemCollectionMetrics, undefined);
    assert.deepEqual(await read(client, hash, { pk: S("w1") }), { pk: S("w1"), v: N(1) });
    assert.equal(await read(client, hash, { pk: S("gone") }), undefined);
    assert.deepEqual(await read(client, composite, { pk: S("c"), sk: N(1) }), {
      pk: S("c"),
      sk: N(1),
      idx: S("i"),
    });
    assert.deepEqual(await read(client, composite, { pk: S("c"), sk: N(2) }), { pk: S("c"), sk: N(2) });

    // A put replaces the whole item.
    await write({ [hash]: [put({ pk: S("w1"), other: S("x") })] });
    assert.deepEqual(await read(client, hash, { pk: S("w1") }), { pk: S("w1"), other: S("x") });
  });

  it("reports capacity per table: one unit per KB written, the indexes apart with INDEXES", async () => {
    await write({ [hash]: [put({ pk: S("cap-old"), blob: S(padding(1500)) })] });
    const total = await write(
      {
        [hash]: [
          put({ pk: S("cap-1"), v: N(1) }),
          put({ pk: S("cap-2"), blob: S(padding(2500)) }),
          del({ pk: S("cap-old") }),
          del({ pk: S("cap-none") }),
        ],
      },
      { ReturnConsumedCapacity: "TOTAL" },
    );
    // 1 + 3 (2.5 KB) + 2 (the 1.5 KB item deleted) + 1 (nothing to delete).
    assert.deepEqual(total.ConsumedCapacity, [{ TableName: hash, CapacityUnits: 7 }]);

    const indexes = await write(
      { [composite]: [put({ pk: S("cap"), sk: N(1), idx: S("i") }), put({ pk: S("cap"), sk: N(2) })] },
      { ReturnConsumedCapacity: "INDEXES" },
    );
    assert.deepEqual(indexes.ConsumedCapacity, [
      {
        TableName: composite,
        CapacityUnits: 4,
        Table: { CapacityUnits: 2 },
        GlobalSecondaryIndexes: { gsi1: { CapacityUnits: 1 } },
        LocalSecondaryIndexes: { lsi1: { CapacityUnits: 1 } },
      },
    ]);
  });

  it("answers ItemCollectionMetrics for the item collections of tables with an LSI", async () => {
    const output = await write(
      {
        [hash]: [put({ pk: S("icm") })],
        [composite]: [
          put({ pk: S("icm-a"), sk: N(1) }),
          put({ pk: S("icm-a"), sk: N(2) }),
          put({ pk: S("icm-b"), sk: N(1) }),
        ],
      },
      { ReturnItemCollectionMetrics: "SIZE" },
    );
    assert.deepEqual(output.ItemCollectionMetrics, {
      [composite]: [
        { ItemCollectionKey: { pk: S("icm-a") }, SizeEstimateRangeGB: [0, 1] },
        { ItemCollectionKey: { pk: S("icm-b") }, SizeEstimateRangeGB: [0, 1] },
      ],
    });
  });

  it("works through lib-dynamodb's DocumentClient", async () => {
    const doc = DynamoDBDocumentClient.from(stratus.dynamodb());
    const output = await doc.send(
      new BatchWriteCommand({
        RequestItems: {
          [hash]: [{ PutRequest: { Item: { pk: "doc", list: [1, "two"], set: new Set(["a"]) } } }],
        },
      }),
    );
    assert.deepEqual(output.UnprocessedItems, {});
    assert.deepEqual(await read(stratus.dynamodb(), hash, { pk: S("doc") }), {
      pk: S("doc"),
      list: { L: [N(1), S("two")] },
      set: { SS: ["a"] },
    });
  });

  describe("errors", () => {
    it("refuses the same key twice in one table, a put and a delete included", async () => {
      await rejects(
        write({ [hash]: [put({ pk: S("dup") }), del({ pk: S("dup") })] }),
        "ValidationException",
        "Provided list of item keys contains duplicates",
      );
      await rejects(
        write({
          [composite]: [put({ pk: S("dup"), sk: N("1") }), put({ pk: S("dup"), sk: N("1.0"), v: S("x") })],
        }),
        "ValidationException",
        "Provided list of item keys contains duplicates",
      );
      // The same key in two tables is two items.
      await write({ [hash]: [put({ pk: S("twice") })], [composite]: [put({ pk: S("twice"), sk: N(1) })] });
    });

    it("refuses more than 25 requests, and an empty request", async () => {
      const puts = (n: number, prefix: string) =>
        Array.from({ length: n }, (_, i) => put({ pk: S(`${prefix}${i}`) }));
      await rejects(
        write({
          [hash]: puts(13, "a"),
          [composite]: Array.from({ length: 13 }, (_, i) => put({ pk: S("b"), sk: N(i) })),
        }),
        "ValidationException",
        "Too many items requested for the BatchWriteItem call",
      );
      const error = await write({ [hash]: puts(26, "c") }).catch((e: Error) => e);
      assert.ok(error instanceof Error);
      assert.equal(error.name, "ValidationException");
      assert.match(
        error.message,
        /^1 validation error detected: Value '.*' at 'requestItems' failed to satisfy constraint: Map value must satisfy constraint: \[Member must have length less than or equal to 25, Member must have length greater than or equal to 1\]$/s,
      );
      await rejects(
        write({}),
        "ValidationException",
        "The requestItems parameter is required for BatchWriteItem",
      );
    });

    it("refuses a request with neither PutRequest nor DeleteRequest, or both", async () => {
      const text =
        "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes";
      await rejects(write({ [hash]: [put({ pk: S("ok") }), {}] }), "ValidationException", text);
      await rejects(
        write({ [hash]: [{ PutRequest: { Item: { pk: S("x") } }, DeleteRequest: { Key: { pk: S("x") } } }] }),
        "ValidationException",
        text,
      );
    });

    it("checks keys in the batch's words and the rest in the item operations' words", async () => {
      const mismatch = "The provided key element does not match the schema";
      await rejects(write({ [hash]: [put({ pk: N(5) })] }), "ValidationException", mismatch);
      await rejects(write({ [hash]: [put({ other: S("x") })] }), "ValidationException", mismatch);
      await rejects(write({ [hash]: [del({ pk: S("x"), extra: S("y") })] }), "ValidationException", mismatch);
      await rejects(write({ [composite]: [del({ pk: S("x") })] }), "ValidationException", mismatch);
      await rejects(
        write({ [hash]: [put({ pk: S("") })] }),
        "ValidationException",
        "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk",
      );
      await rejects(
        write({ [composite]: [put({ pk: S("i"), sk: N(1), idx: N(5) })] }),
        "ValidationException",
        "One or more parameter values were invalid: Type mismatch for Index Key idx Expected: S Actual: N IndexName: gsi1",
      );
      await rejects(
        write({ [composite]: [put({ pk: S("i"), sk: N(1), idx: S("") })] }),
        "ValidationException",
        "One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty string value. IndexName: gsi1, IndexKey: idx",
      );
      await rejects(
        write({ [hash]: [put({ pk: S("big"), blob: S(padding(409_600)) })] }),
        "ValidationException",
        "Item size has exceeded the maximum allowed size",
      );
    });

    it("writes nothing when any part of the request is refused", async () => {
      const client = stratus.dynamodb();
      await rejects(
        write({ [hash]: [put({ pk: S("atomic-1") })], "no-such-table": [put({ pk: S("x") })] }),
        "ResourceNotFoundException",
        "Requested resource not found",
      );
      await rejects(
        write({ [hash]: [put({ pk: S("atomic-2") })], [composite]: [put({ pk: S("bad") })] }),
        "ValidationException",
        "The provided key element does not match the schema",
      );
      assert.equal(await read(client, hash, { pk: S("atomic-1") }), undefined);
      assert.equal(await read(client, hash, { pk: S("atomic-2") }), undefined);
    });
  });
});
