/**
 * TransactWriteItems through the real SDK clients: ConditionCheck/Put/Update/Delete over several tables,
 * all or nothing (verified by reads), CancellationReasons in request order, transactional capacity,
 * ItemCollectionMetrics, the 4 MB and 100-member limits, and DynamoDB's errors word for word
 * (conformance tier2/tier3 captures in four regions, 2026; LocalStack's AWS-validated snapshot of
 * "Transaction cancelled, please refer cancellation reasons for specific reasons [ConditionalCheckFailed, None]").
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import {
  BatchWriteItemCommand,
  type TransactWriteItem,
  TransactWriteItemsCommand,
} from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { useStratus } from "../../../support/stratus.ts";
import { rejects } from "../helpers.ts";
import {
  cancelled,
  createTable,
  hashTable,
  type Item,
  indexedTable,
  N,
  padding,
  read,
  S,
} from "./helpers.ts";

const CONDITION_FAILED = { Code: "ConditionalCheckFailed", Message: "The conditional request failed" };
const NONE = { Code: "None" };

describe("DynamoDB TransactWriteItems", () => {
  const stratus = useStratus({ inMemory: true });
  let hash: string;
  let composite: string;

  before(async () => {
    hash = await createTable(stratus.dynamodb(), hashTable);
    composite = await createTable(stratus.dynamodb(), indexedTable);
  });

  const send = (TransactItems: TransactWriteItem[], extra: object = {}) =>
    stratus.dynamodb().send(new TransactWriteItemsCommand({ TransactItems, ...extra }));
  const seed = (table: string, ...items: Item[]) =>
    stratus.dynamodb().send(
      new BatchWriteItemCommand({
        RequestItems: { [table]: items.map((Item) => ({ PutRequest: { Item } })) },
      }),
    );
  const get = (table: string, key: Item) => read(stratus.dynamodb(), table, key);

  it("applies Put, Update, Delete and ConditionCheck over several tables", async () => {
    await seed(
      hash,
      { pk: S("tw-upd"), n: N(5) },
      { pk: S("tw-del") },
      { pk: S("tw-check"), status: S("open") },
    );
    const output = await send([
      { Put: { TableName: composite, Item: { pk: S("tw-put"), sk: N(1), v: S("new") } } },
      {
        Update: {
          TableName: hash,
          Key: { pk: S("tw-upd") },
          UpdateExpression: "SET n = n + :d, tag = :t",
          ConditionExpression: "n = :five",
          ExpressionAttributeValues: { ":d": N(2), ":t": S("t"), ":five": N(5) },
        },
      },
      { Delete: { TableName: hash, Key: { pk: S("tw-del") }, ConditionExpression: "attribute_exists(pk)" } },
      {
        ConditionCheck: {
          TableName: hash,
          Key: { pk: S("tw-check") },
          ConditionExpression: "#s = :open",
          ExpressionAttributeNames: { "#s": "status" },
          ExpressionAttributeValues: { ":open": S("open") },
        },
      },
    ]);
    assert.deepEqual(Object.keys(output), ["$metadata"]);
    assert.deepEqual(await get(composite, { pk: S("tw-put"), sk: N(1) }), {
      pk: S("tw-put"),
      sk: N(1),
      v: S("new"),
    });
    assert.deepEqual(await get(hash, { pk: S("tw-upd") }), { pk: S("tw-upd"), n: N(7), tag: S("t") });
    assert.equal(await get(hash, { pk: S("tw-del") }), undefined);
    assert.deepEqual(await get(hash, { pk: S("tw-check") }), { pk: S("tw-check"), status: S("open") });
  });

  it("applies nothing when the third of five members fails its condition", async () => {
    await seed(hash, { pk: S("at-2"), n: N(1) }, { pk: S("at-3"), n: N(1) }, { pk: S("at-5"), n: N(1) });
    await cancelled(
      send([
        { Put: { TableName: hash, Item: { pk: S("at-1"), n: N(1) } } },
        {
          Update: {
            TableName: hash,
            Key: { pk: S("at-2") },
            UpdateExpression: "ADD n :one",
            ExpressionAttributeValues: { ":one": N(1) },
          },
        },
        {
          Update: {
            TableName: hash,
            Key: { pk: S("at-3") },
            UpdateExpression: "ADD n :one",
            ConditionExpression: "n > :one",
            ExpressionAttributeValues: { ":one": N(1) },
          },
        },
        { Put: { TableName: hash, Item: { pk: S("at-4") } } },
        { Delete: { TableName: hash, Key: { pk: S("at-5") } } },
      ]),
      [NONE, NONE, CONDITION_FAILED, NONE, NONE],
    );
    assert.equal(await get(hash, { pk: S("at-1") }), undefined);
    assert.deepEqual(await get(hash, { pk: S("at-2") }), { pk: S("at-2"), n: N(1) });
    assert.deepEqual(await get(hash, { pk: S("at-3") }), { pk: S("at-3"), n: N(1) });
    assert.equal(await get(hash, { pk: S("at-4") }), undefined);
    assert.deepEqual(await get(hash, { pk: S("at-5") }), { pk: S("at-5"), n: N(1) });
  });

  it("lists every member's reason in order, with the old item for ALL_OLD", async () => {
    await seed(hash, { pk: S("r-1"), v: S("one") }, { pk: S("r-2"), v: S("two") });
    await cancelled(
      send([
        {
          Put: {
            TableName: hash,
            Item: { pk: S("r-1"), v: S("over") },
            ConditionExpression: "attribute_not_exists(pk)",
            ReturnValuesOnConditionCheckFailure: "ALL_OLD",
          },
        },
        { Put: { TableName: hash, Item: { pk: S("r-new") } } },
        {
          ConditionCheck: {
            TableName: hash,
            Key: { pk: S("r-2") },
            ConditionExpression: "v = :x",
            ExpressionAttributeValues: { ":x": S("nope") },
          },
        },
        {
          Delete: {
            TableName: hash,
            Key: { pk: S("r-missing") },
            ConditionExpression: "attribute_exists(pk)",
            ReturnValuesOnConditionCheckFailure: "ALL_OLD",
          },
        },
      ]),
      [
        { ...CONDITION_FAILED, Item: { pk: S("r-1"), v: S("one") } },
        NONE,
        CONDITION_FAILED,
        CONDITION_FAILED,
      ],
    );
    assert.deepEqual(await get(hash, { pk: S("r-1") }), { pk: S("r-1"), v: S("one") });
    assert.equal(await get(hash, { pk: S("r-new") }), undefined);
  });

  it("updates a missing item as UpdateItem does: conditions see no item, SET creates it", async () => {
    const update = (pk: string, condition: string) => ({
      Update: {
        TableName: hash,
        Key: { pk: S(pk) },
        UpdateExpression: "SET #s = :new",
        ConditionExpression: condition,
        ExpressionAttributeNames: { "#s": "status" },
        ExpressionAttributeValues: { ":new": S("created") },
      },
    });
    await cancelled(send([update("ghost", "attribute_exists(pk)")]), [CONDITION_FAILED]);
    assert.equal(await get(hash, { pk: S("ghost") }), undefined);
    await send([update("upsert", "attribute_not_exists(pk)")]);
    assert.deepEqual(await get(hash, { pk: S("upsert") }), { pk: S("upsert"), status: S("created") });
  });

  it("cancels with a ValidationError reason when an update cannot apply", async () => {
    await seed(hash, { pk: S("bad-add"), s: S("text") });
    await cancelled(
      send([
        { Put: { TableName: hash, Item: { pk: S("bad-add-other") } } },
        {
          Update: {
            TableName: hash,
            Key: { pk: S("bad-add") },
            UpdateExpression: "ADD s :one",
            ExpressionAttributeValues: { ":one": N(1) },
          },
        },
      ]),
      [
        NONE,
        {
          Code: "ValidationError",
          Message: "An operand in the update expression has an incorrect data type",
        },
      ],
    );
    assert.equal(await get(hash, { pk: S("bad-add-other") }), undefined);
  });

  it("charges twice the write units, and read units for a ConditionCheck", async () => {
    await seed(hash, { pk: S("cap-check") });
    const output = await send(
      [
        { Put: { TableName: hash, Item: { pk: S("cap-1"), v: N(1) } } },
        { Put: { TableName: hash, Item: { pk: S("cap-2"), blob: S(padding(1500)) } } },
        {
          ConditionCheck: {
            TableName: hash,
            Key: { pk: S("cap-check") },
            ConditionExpression: "attribute_exists(pk)",
          },
        },
        { Put: { TableName: composite, Item: { pk: S("cap"), sk: N(1), idx: S("i") } } },
      ],
      { ReturnConsumedCapacity: "INDEXES" },
    );
    assert.deepEqual(output.ConsumedCapacity, [
      {
        TableName: hash,
        CapacityUnits: 8,
        WriteCapacityUnits: 6,
        ReadCapacityUnits: 2,
        Table: { CapacityUnits: 8, WriteCapacityUnits: 6, ReadCapacityUnits: 2 },
      },
      {
        TableName: composite,
        CapacityUnits: 6,
        WriteCapacityUnits: 6,
        Table: { CapacityUnits: 2, WriteCapacityUnits: 2 },
        GlobalSecondaryIndexes: { gsi1: { CapacityUnits: 2, WriteCapacityUnits: 2 } },
        LocalSecondaryIndexes: { lsi1: { CapacityUnits: 2, WriteCapacityUnits: 2 } },
      },
    ]);
  });

  it("answers ItemCollectionMetrics for tables with an LSI", async () => {
    const output = await send(
      [
        { Put: { TableName: composite, Item: { pk: S("icm"), sk: N(1) } } },
        { Put: { TableName: composite, Item: { pk: S("icm"), sk: N(2) } } },
        { Put: { TableName: hash, Item: { pk: S("icm") } } },
      ],
      { ReturnItemCollectionMetrics: "SIZE" },
    );
    assert.deepEqual(output.ItemCollectionMetrics, {
      [composite]: [{ ItemCollectionKey: { pk: S("icm") }, SizeEstimateRangeGB: [0, 1] }],
    });
  });

  it("takes up to 100 members and 4 MB of items", async () => {
    await send(
      Array.from({ length: 100 }, (_, i) => ({ Put: { TableName: hash, Item: { pk: S(`hundred-${i}`) } } })),
    );
    assert.deepEqual(await get(hash, { pk: S("hundred-99") }), { pk: S("hundred-99") });
    const big = (n: number, prefix: string) =>
      Array.from({ length: n }, (_, i) => ({
        Put: { TableName: hash, Item: { pk: S(`${prefix}-${i}`), blob: S(padding(350_000)) } },
      }));
    await send(big(10, "mb-ok"));
    const error = await send(big(12, "mb-over")).catch((e: Error) => e);
    assert.ok(error instanceof Error);
    assert.equal(error.name, "ValidationException");
    // 10 items of 350,015 bytes and 2 of 350,016 ("pk" + "mb-over-N" + "blob" + 350,000).
    assert.equal(
      error.message,
      "Transaction request size has exceeded the maximum allowed size: size: 4200182, maximum: 4194304",
    );
    assert.equal(await get(hash, { pk: S("mb-over-0") }), undefined);
  });

  it("works through lib-dynamodb's DocumentClient", async () => {
    const doc = DynamoDBDocumentClient.from(stratus.dynamodb());
    await doc.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: hash, Item: { pk: "doc", tags: new Set(["a", "b"]), n: 1 } } },
          {
            Update: {
              TableName: hash,
              Key: { pk: "doc-2" },
              UpdateExpression: "SET n = :n",
              ExpressionAttributeValues: { ":n": 2 },
            },
          },
        ],
      }),
    );
    assert.deepEqual(await get(hash, { pk: S("doc") }), { pk: S("doc"), tags: { SS: ["a", "b"] }, n: N(1) });
    assert.deepEqual(await get(hash, { pk: S("doc-2") }), { pk: S("doc-2"), n: N(2) });
  });

  describe("errors", () => {
    it("refuses two members on one item, also spelled differently", async () => {
      const text = "Transaction request cannot include multiple operations on one item";
      await rejects(
        send([
          { Put: { TableName: hash, Item: { pk: S("dup") } } },
          {
            ConditionCheck: {
              TableName: hash,
              Key: { pk: S("dup") },
              ConditionExpression: "attribute_exists(pk)",
            },
          },
        ]),
        "ValidationException",
        text,
      );
      await rejects(
        send([
          { Delete: { TableName: composite, Key: { pk: S("dup"), sk: N("1") } } },
          { Put: { TableName: composite, Item: { pk: S("dup"), sk: N("1.0") } } },
        ]),
        "ValidationException",
        text,
      );
      assert.equal(await get(hash, { pk: S("dup") }), undefined);
    });

    it("answers ResourceNotFoundException for a table that does not exist", async () => {
      await rejects(
        send([
          { Put: { TableName: hash, Item: { pk: S("rnf") } } },
          { Put: { TableName: "no-such-table", Item: { pk: S("x") } } },
        ]),
        "ResourceNotFoundException",
        "Requested resource not found",
      );
      assert.equal(await get(hash, { pk: S("rnf") }), undefined);
    });

    it("cancels with ValidationError reasons for keys that do not match their table", async () => {
      const mismatch = "The provided key element does not match the schema";
      await cancelled(
        send([
          { Put: { TableName: hash, Item: { pk: N(5) } } },
          { Delete: { TableName: hash, Key: { pk: N(5) } } },
          {
            ConditionCheck: {
              TableName: hash,
              Key: { pk: { L: [S("x")] } },
              ConditionExpression: "attribute_exists(pk)",
            },
          },
          {
            Update: {
              TableName: composite,
              Key: { pk: S("u") },
              UpdateExpression: "SET v = :v",
              ExpressionAttributeValues: { ":v": S("x") },
            },
          },
          { Put: { TableName: hash, Item: { pk: S("fine") } } },
          { Put: { TableName: composite, Item: { pk: S("i"), sk: N(1), idx: N(5) } } },
          {
            Update: {
              TableName: composite,
              Key: { pk: S("i"), sk: N(2) },
              UpdateExpression: "SET idx = :v",
              ExpressionAttributeValues: { ":v": N(5) },
            },
          },
        ]),
        [
          {
            Code: "ValidationError",
            Message:
              "One or more parameter values were invalid: Type mismatch for key pk expected: S actual: N",
          },
          { Code: "ValidationError", Message: mismatch },
          { Code: "ValidationError", Message: mismatch },
          { Code: "ValidationError", Message: mismatch },
          NONE,
          {
            Code: "ValidationError",
            Message:
              "One or more parameter values were invalid: Type mismatch for Index Key idx Expected: S Actual: N IndexName: gsi1",
          },
          {
            Code: "ValidationError",
            Message:
              "One or more parameter values were invalid: Type mismatch for Index Key idx Expected: S Actual: N IndexName: gsi1",
          },
        ],
      );
      assert.equal(await get(hash, { pk: S("fine") }), undefined);
    });

    it("refuses empty key values for the whole request", async () => {
      await rejects(
        send([
          { Put: { TableName: hash, Item: { pk: S("fine") } } },
          { Delete: { TableName: hash, Key: { pk: S("") } } },
        ]),
        "ValidationException",
        "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk",
      );
      await rejects(
        send([{ Put: { TableName: composite, Item: { pk: S("e"), sk: N(1), idx: S("") } } }]),
        "ValidationException",
        "One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty string value. IndexName: gsi1, IndexKey: idx",
      );
      await rejects(
        send([
          {
            Update: {
              TableName: composite,
              Key: { pk: S("e"), sk: N(1) },
              UpdateExpression: "SET idx = :v",
              ExpressionAttributeValues: { ":v": S("") },
            },
          },
        ]),
        "ValidationException",
        "One or more parameter values are not valid. The update expression attempted to update a secondary index key to a value that is not supported. The AttributeValue for a key attribute cannot contain an empty string value.",
      );
      assert.equal(await get(hash, { pk: S("fine") }), undefined);
    });

    it("checks each member's shape and expressions before any table", async () => {
      await rejects(
        send([
          {
            Put: { TableName: "no-such-table", Item: { pk: S("x") } },
            Delete: { TableName: "no-such-table", Key: { pk: S("x") } },
          },
        ]),
        "ValidationException",
        "TransactItems can only contain one of Check, Put, Update or Delete",
      );
      await rejects(
        send([{}]),
        "ValidationException",
        "TransactItems can only contain one of Check, Put, Update or Delete",
      );
      await rejects(
        send([
          { Put: { TableName: "no-such-table", Item: { pk: S("x") }, ConditionExpression: "((a = b))" } },
        ]),
        "ValidationException",
        "Invalid ConditionExpression: The expression has redundant parentheses;",
      );
      await rejects(
        send([
          {
            Update: {
              TableName: "no-such-table",
              Key: { pk: S("x") },
              UpdateExpression: "SET a = :a",
              ExpressionAttributeValues: { ":a": S("a"), ":unused": S("b") },
            },
          },
        ]),
        "ValidationException",
        "Value provided in ExpressionAttributeValues unused in expressions: keys: {:unused}",
      );
      await rejects(
        send([
          {
            Put: {
              TableName: "no-such-table",
              Item: { pk: S("x") },
              ExpressionAttributeValues: { ":a": S("a") },
            },
          },
        ]),
        "ValidationException",
        "ExpressionAttributeValues can only be specified when using expressions: ConditionExpression is null",
      );
      await rejects(
        send([{ Put: { TableName: "no-such-table", Item: { pk: S("x"), blob: S(padding(409_600)) } } }]),
        "ValidationException",
        "Item size has exceeded the maximum allowed size",
      );
    });

    it("refuses an update of a key attribute", async () => {
      await cancelled(
        send([
          {
            Update: {
              TableName: hash,
              Key: { pk: S("k") },
              UpdateExpression: "SET pk = :v",
              ExpressionAttributeValues: { ":v": S("other") },
            },
          },
        ]),
        [
          {
            Code: "ValidationError",
            Message:
              "One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key",
          },
        ],
      );
    });

    it("refuses an empty or too long list of members", async () => {
      await rejects(
        send([]),
        "ValidationException",
        "1 validation error detected: Value '[]' at 'transactItems' failed to satisfy constraint: Member must have length greater than or equal to 1",
      );
      const error = await send(
        Array.from({ length: 101 }, (_, i) => ({ Put: { TableName: hash, Item: { pk: S(`over-${i}`) } } })),
      ).catch((e: Error) => e);
      assert.ok(error instanceof Error);
      assert.match(
        error.message,
        /^1 validation error detected: Value '\[.+\]' at 'transactItems' failed to satisfy constraint: Member must have length less than or equal to 100$/s,
      );
    });
  });
});
