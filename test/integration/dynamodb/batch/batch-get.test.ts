/**
 * BatchGetItem through the real SDK clients: reads over several tables, projections, capacity, the
 * 16 MB response limit with UnprocessedKeys, and DynamoDB's errors word for word (dynalite's recorded
 * texts; conformance tier1/tier3 captures, 2026).
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { BatchGetItemCommand, BatchWriteItemCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { BatchGetCommand, DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { useStratus } from "../../../support/stratus.ts";
import { rejects } from "../helpers.ts";
import { createTable, hashTable, type Item, indexedTable, N, padding, S } from "./helpers.ts";

async function seed(client: DynamoDBClient, table: string, items: Item[]): Promise<void> {
  for (let i = 0; i < items.length; i += 25) {
    await client.send(
      new BatchWriteItemCommand({
        RequestItems: { [table]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) },
      }),
    );
  }
}

describe("DynamoDB BatchGetItem", () => {
  const stratus = useStratus({ inMemory: true });
  let hash: string;
  let composite: string;

  before(async () => {
    const client = stratus.dynamodb();
    hash = await createTable(client, hashTable);
    composite = await createTable(client, indexedTable);
    await seed(client, hash, [
      { pk: S("a"), n: N(1), m: { M: { x: S("in"), y: N(2) } }, l: { L: [S("l0"), S("l1")] } },
      { pk: S("b"), n: N(2) },
      { pk: S("c"), n: N(3) },
    ]);
    await seed(client, composite, [
      { pk: S("p"), sk: N(1), idx: S("i1"), v: S("one") },
      { pk: S("p"), sk: N(2), v: S("two") },
    ]);
  });

  it("reads keys of several tables; missing keys are left out, every table is answered", async () => {
    const client = stratus.dynamodb();
    const output = await client.send(
      new BatchGetItemCommand({
        RequestItems: {
          [hash]: { Keys: [{ pk: S("b") }, { pk: S("missing") }, { pk: S("c") }] },
          [composite]: {
            Keys: [
              { pk: S("p"), sk: N("2.0") },
              { pk: S("p"), sk: N(9) },
            ],
            ConsistentRead: true,
          },
        },
      }),
    );
    assert.deepEqual(output.Responses, {
      [hash]: [
        { pk: S("b"), n: N(2) },
        { pk: S("c"), n: N(3) },
      ],
      [composite]: [{ pk: S("p"), sk: N(2), v: S("two") }],
    });
    assert.deepEqual(output.UnprocessedKeys, {});
    assert.equal(output.ConsumedCapacity, undefined);

    const none = await client.send(
      new BatchGetItemCommand({ RequestItems: { [hash]: { Keys: [{ pk: S("zz") }] } } }),
    );
    assert.deepEqual(none.Responses, { [hash]: [] });
  });

  it("projects with ProjectionExpression (keys are not added) and with AttributesToGet", async () => {
    const client = stratus.dynamodb();
    const projected = await client.send(
      new BatchGetItemCommand({
        RequestItems: {
          [hash]: {
            Keys: [{ pk: S("a") }],
            ProjectionExpression: "#m.y, l[1], nothing",
            ExpressionAttributeNames: { "#m": "m" },
          },
          [composite]: { Keys: [{ pk: S("p"), sk: N(1) }], ProjectionExpression: "v, idx" },
        },
      }),
    );
    assert.deepEqual(projected.Responses?.[hash], [{ m: { M: { y: N(2) } }, l: { L: [S("l1")] } }]);
    assert.deepEqual(projected.Responses?.[composite], [{ v: S("one"), idx: S("i1") }]);
    const legacy = await client.send(
      new BatchGetItemCommand({
        RequestItems: {
          [composite]: { Keys: [{ pk: S("p"), sk: N(1) }], AttributesToGet: ["v", "nothing"] },
        },
      }),
    );
    assert.deepEqual(legacy.Responses?.[composite], [{ v: S("one") }]);

    // A projection that matches nothing keeps an empty entry for the item (conformance tier1).
    const empty = await client.send(
      new BatchGetItemCommand({
        RequestItems: { [hash]: { Keys: [{ pk: S("b") }], ProjectionExpression: "zz" } },
      }),
    );
    assert.deepEqual(empty.Responses?.[hash], [{}]);
  });

  it("reports capacity per table: half a unit per eventually consistent read, one when consistent", async () => {
    const client = stratus.dynamodb();
    const total = await client.send(
      new BatchGetItemCommand({
        RequestItems: {
          [hash]: { Keys: [{ pk: S("a") }, { pk: S("b") }, { pk: S("nope") }] },
          [composite]: {
            Keys: [
              { pk: S("p"), sk: N(1) },
              { pk: S("p"), sk: N(2) },
            ],
            ConsistentRead: true,
          },
        },
        ReturnConsumedCapacity: "TOTAL",
      }),
    );
    assert.deepEqual(total.ConsumedCapacity, [
      { TableName: hash, CapacityUnits: 1.5 },
      { TableName: composite, CapacityUnits: 2 },
    ]);
    const indexes = await client.send(
      new BatchGetItemCommand({
        RequestItems: { [hash]: { Keys: [{ pk: S("a") }], ConsistentRead: true } },
        ReturnConsumedCapacity: "INDEXES",
      }),
    );
    assert.deepEqual(indexes.ConsumedCapacity, [
      { TableName: hash, CapacityUnits: 1, Table: { CapacityUnits: 1 } },
    ]);
  });

  it("stops at 16 MB of items and hands back the rest as UnprocessedKeys, ready to resend", async () => {
    const client = stratus.dynamodb();
    const big = await createTable(client, hashTable);
    const items = Array.from({ length: 45 }, (_, i) => ({ pk: S(`big-${i}`), blob: S(padding(390_000)) }));
    await seed(client, big, items);
    const keys = items.map((item) => ({ pk: item.pk! }));
    const first = await client.send(
      new BatchGetItemCommand({
        RequestItems: { [big]: { Keys: keys, ConsistentRead: true, ProjectionExpression: "pk" } },
        ReturnConsumedCapacity: "TOTAL",
      }),
    );
    const got = first.Responses?.[big] ?? [];
    const left = first.UnprocessedKeys?.[big];
    assert.ok(left, "some keys are unprocessed");
    // Each item is 390,012 or 390,013 bytes: 43 of them fit in 16 MiB, the 44th would not.
    assert.equal(got.length, 43);
    assert.equal(got.length + (left.Keys?.length ?? 0), 45);
    assert.equal(left.ConsistentRead, true);
    assert.equal(left.ProjectionExpression, "pk");
    assert.deepEqual(first.ConsumedCapacity, [{ TableName: big, CapacityUnits: got.length * 96 }]);

    const second = await client.send(new BatchGetItemCommand({ RequestItems: first.UnprocessedKeys }));
    assert.deepEqual(second.UnprocessedKeys, {});
    const all = [...got, ...(second.Responses?.[big] ?? [])].map((item) => item.pk?.S).sort();
    assert.deepEqual(all, keys.map((key) => key.pk.S).sort());
  });

  it("works through lib-dynamodb's DocumentClient", async () => {
    const doc = DynamoDBDocumentClient.from(stratus.dynamodb());
    const output = await doc.send(
      new BatchGetCommand({
        RequestItems: { [hash]: { Keys: [{ pk: "a" }, { pk: "c" }], ProjectionExpression: "pk, n" } },
      }),
    );
    assert.deepEqual(output.Responses?.[hash], [
      { pk: "a", n: 1 },
      { pk: "c", n: 3 },
    ]);
  });

  describe("errors", () => {
    it("refuses the same key twice in one table", async () => {
      await rejects(
        stratus
          .dynamodb()
          .send(
            new BatchGetItemCommand({ RequestItems: { [hash]: { Keys: [{ pk: S("a") }, { pk: S("a") }] } } }),
          ),
        "ValidationException",
        "Provided list of item keys contains duplicates",
      );
      // Numbers are compared by value.
      await rejects(
        stratus.dynamodb().send(
          new BatchGetItemCommand({
            RequestItems: {
              [composite]: {
                Keys: [
                  { pk: S("p"), sk: N("1") },
                  { pk: S("p"), sk: N("1.00") },
                ],
              },
            },
          }),
        ),
        "ValidationException",
        "Provided list of item keys contains duplicates",
      );
    });

    it("refuses more than 100 keys in one table, and over all tables", async () => {
      const keys = (n: number, prefix: string) =>
        Array.from({ length: n }, (_, i) => ({ pk: S(`${prefix}${i}`) }));
      await rejects(
        stratus
          .dynamodb()
          .send(new BatchGetItemCommand({ RequestItems: { [hash]: { Keys: keys(101, "k") } } })),
        "ValidationException",
        `1 validation error detected: Value at 'RequestItems.${hash}.member.Keys' failed to satisfy constraint: Member must have length less than or equal to 100`,
      );
      await rejects(
        stratus.dynamodb().send(
          new BatchGetItemCommand({
            RequestItems: {
              [hash]: { Keys: keys(60, "k") },
              [composite]: { Keys: Array.from({ length: 41 }, (_, i) => ({ pk: S("p"), sk: N(i) })) },
            },
          }),
        ),
        "ValidationException",
        "Too many items requested for the BatchGetItem call",
      );
    });

    it("refuses an empty request and tables that do not exist", async () => {
      await rejects(
        stratus.dynamodb().send(new BatchGetItemCommand({ RequestItems: {} })),
        "ValidationException",
        "The requestItems parameter is required for BatchGetItem",
      );
      await rejects(
        stratus.dynamodb().send(
          new BatchGetItemCommand({
            RequestItems: { [hash]: { Keys: [{ pk: S("a") }] }, "no-such-table": { Keys: [{ pk: S("a") }] } },
          }),
        ),
        "ResourceNotFoundException",
        "Requested resource not found",
      );
    });

    it("checks each key against its table's schema", async () => {
      const send = (Keys: Item[], table = hash) =>
        stratus.dynamodb().send(new BatchGetItemCommand({ RequestItems: { [table]: { Keys } } }));
      await rejects(
        send([{ pk: N(1) }]),
        "ValidationException",
        "The provided key element does not match the schema",
      );
      await rejects(
        send([{ pk: S("a"), extra: S("x") }]),
        "ValidationException",
        "The provided key element does not match the schema",
      );
      await rejects(
        send([{ pk: S("p") }], composite),
        "ValidationException",
        "The provided key element does not match the schema",
      );
      await rejects(
        send([{ pk: S("") }]),
        "ValidationException",
        "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk",
      );
    });

    it("checks projections before any table", async () => {
      const send = (request: object) =>
        stratus.dynamodb().send(
          new BatchGetItemCommand({
            RequestItems: { "no-such-table": { Keys: [{ pk: S("a") }], ...request } },
          }),
        );
      await rejects(
        send({ AttributesToGet: ["pk"], ProjectionExpression: "pk" }),
        "ValidationException",
        "Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {AttributesToGet} Expression parameters: {ProjectionExpression}",
      );
      // One table with ProjectionExpression, another with AttributesToGet: DynamoDB refuses the request
      // (conformance tier3); its text was not captured, this is the single-table one.
      await rejects(
        stratus.dynamodb().send(
          new BatchGetItemCommand({
            RequestItems: {
              [hash]: { Keys: [{ pk: S("a") }], ProjectionExpression: "pk" },
              [composite]: { Keys: [{ pk: S("p"), sk: N(1) }], AttributesToGet: ["pk"] },
            },
          }),
        ),
        "ValidationException",
        "Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {AttributesToGet} Expression parameters: {ProjectionExpression}",
      );
      await rejects(
        send({ ProjectionExpression: "a, a" }),
        "ValidationException",
        "Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a]",
      );
      await rejects(
        send({ AttributesToGet: ["a", "a"] }),
        "ValidationException",
        "One or more parameter values were invalid: Duplicate value in attribute name: a",
      );
      await rejects(
        send({ ProjectionExpression: "a", ExpressionAttributeNames: { "#n": "a" } }),
        "ValidationException",
        "Value provided in ExpressionAttributeNames unused in expressions: keys: {#n}",
      );
    });
  });
});
