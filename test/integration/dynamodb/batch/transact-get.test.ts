/**
 * TransactGetItems through the real SDK clients: reads over several tables in one snapshot, projections,
 * transactional capacity, and DynamoDB's errors (conformance tier2/tier3 captures, 2026): a missing table
 * is ResourceNotFoundException, a bad key a ValidationError cancellation reason, a bad projection the
 * request's ValidationException.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import {
  BatchWriteItemCommand,
  type TransactGetItem,
  TransactGetItemsCommand,
} from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, TransactGetCommand } from "@aws-sdk/lib-dynamodb";
import { useStratus } from "../../../support/stratus.ts";
import { rejects } from "../helpers.ts";
import { cancelled, createTable, hashTable, type Item, indexedTable, N, padding, S } from "./helpers.ts";

describe("DynamoDB TransactGetItems", () => {
  const stratus = useStratus({ inMemory: true });
  let hash: string;
  let composite: string;

  before(async () => {
    const client = stratus.dynamodb();
    hash = await createTable(client, hashTable);
    composite = await createTable(client, indexedTable);
    await client.send(
      new BatchWriteItemCommand({
        RequestItems: {
          [hash]: [
            { PutRequest: { Item: { pk: S("a"), n: N(1), m: { M: { x: S("x"), y: S("y") } } } } },
            { PutRequest: { Item: { pk: S("big"), blob: S(padding(9000)) } } },
          ],
          [composite]: [{ PutRequest: { Item: { pk: S("p"), sk: N(1), v: S("one") } } }],
        },
      }),
    );
  });

  const get = (TableName: string, Key: Item, extra: object = {}): TransactGetItem => ({
    Get: { TableName, Key, ...extra },
  });
  const send = (TransactItems: TransactGetItem[], extra: object = {}) =>
    stratus.dynamodb().send(new TransactGetItemsCommand({ TransactItems, ...extra }));

  it("answers one entry per member in request order, {} for a missing item", async () => {
    const output = await send([
      get(composite, { pk: S("p"), sk: N(1) }),
      get(hash, { pk: S("missing") }),
      get(hash, { pk: S("a") }, { ProjectionExpression: "#m.y", ExpressionAttributeNames: { "#m": "m" } }),
    ]);
    assert.deepEqual(output.Responses, [
      { Item: { pk: S("p"), sk: N(1), v: S("one") } },
      {},
      { Item: { m: { M: { y: S("y") } } } },
    ]);
    assert.equal(output.ConsumedCapacity, undefined);
  });

  it("charges two read units per 4 KB per member, a missing item included", async () => {
    const total = await send(
      [get(hash, { pk: S("a") }), get(hash, { pk: S("none") }), get(hash, { pk: S("big") })],
      {
        ReturnConsumedCapacity: "TOTAL",
      },
    );
    assert.deepEqual(total.ConsumedCapacity, [{ TableName: hash, CapacityUnits: 10, ReadCapacityUnits: 10 }]);
    const indexes = await send([get(hash, { pk: S("a") }), get(composite, { pk: S("p"), sk: N(1) })], {
      ReturnConsumedCapacity: "INDEXES",
    });
    assert.deepEqual(indexes.ConsumedCapacity, [
      {
        TableName: hash,
        CapacityUnits: 2,
        ReadCapacityUnits: 2,
        Table: { CapacityUnits: 2, ReadCapacityUnits: 2 },
      },
      {
        TableName: composite,
        CapacityUnits: 2,
        ReadCapacityUnits: 2,
        Table: { CapacityUnits: 2, ReadCapacityUnits: 2 },
      },
    ]);
  });

  it("works through lib-dynamodb's DocumentClient", async () => {
    const doc = DynamoDBDocumentClient.from(stratus.dynamodb());
    const output = await doc.send(
      new TransactGetCommand({
        TransactItems: [
          { Get: { TableName: hash, Key: { pk: "a" }, ProjectionExpression: "n" } },
          { Get: { TableName: hash, Key: { pk: "zz" } } },
        ],
      }),
    );
    assert.deepEqual(output.Responses, [{ Item: { n: 1 } }, {}]);
  });

  describe("errors", () => {
    it("answers ResourceNotFoundException for a table that does not exist", async () => {
      await rejects(
        send([get(hash, { pk: S("a") }), get("no-such-table", { pk: S("x") })]),
        "ResourceNotFoundException",
        "Requested resource not found",
      );
    });

    it("cancels with a ValidationError reason at the position of a key that does not match", async () => {
      const mismatch = "The provided key element does not match the schema";
      await cancelled(send([get(hash, { pk: S("a") }), get(hash, {})]), [
        { Code: "None" },
        { Code: "ValidationError", Message: mismatch },
      ]);
      await cancelled(send([get(hash, { pk: N(1) }), get(composite, { pk: S("p") })]), [
        { Code: "ValidationError", Message: mismatch },
        { Code: "ValidationError", Message: mismatch },
      ]);
    });

    it("refuses an empty key value for the whole request", async () => {
      await rejects(
        send([get(hash, { pk: S("a") }), get(hash, { pk: S("") })]),
        "ValidationException",
        "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk",
      );
    });

    it("refuses two members on one item", async () => {
      await rejects(
        send([get(hash, { pk: S("a") }), get(hash, { pk: S("a") }, { ProjectionExpression: "n" })]),
        "ValidationException",
        "Transaction request cannot include multiple operations on one item",
      );
    });

    it("checks projections and the member count first", async () => {
      await rejects(
        send([get("no-such-table", { pk: S("x") }, { ProjectionExpression: "!!!" })]),
        "ValidationException",
        'Invalid ProjectionExpression: Syntax error; token: "!", near: "!!"',
      );
      await rejects(
        send([]),
        "ValidationException",
        "1 validation error detected: Value '[]' at 'transactItems' failed to satisfy constraint: Member must have length greater than or equal to 1",
      );
      const error = await send(Array.from({ length: 101 }, (_, i) => get(hash, { pk: S(`k${i}`) }))).catch(
        (e: Error) => e,
      );
      assert.ok(error instanceof Error);
      assert.match(
        error.message,
        /^1 validation error detected: Value '\[.+\]' at 'transactItems' failed to satisfy constraint: Member must have length less than or equal to 100$/s,
      );
    });
  });
});
