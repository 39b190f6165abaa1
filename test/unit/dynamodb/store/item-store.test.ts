/**
 * The item store the item operations build on: puts and deletes keep index entries (projections, sparse
 * indexes), counts and sizes, and stream records in step; range reads follow the sort-key order.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { readStreamRecords } from "../../../../src/services/dynamodb/items-store/streams.ts";
import { numberSizeBytes as numberSize } from "../../../../src/services/dynamodb/numbers.ts";
import { itemSizeBytes as itemSize } from "../../../../src/services/dynamodb/values.ts";
import { harness, N, S } from "./helpers.ts";

const PAY = { BillingMode: "PAY_PER_REQUEST" };

async function ordersTable(h: ReturnType<typeof harness>, extra: Record<string, unknown> = {}) {
  await h.create({
    TableName: "orders",
    ...PAY,
    AttributeDefinitions: [
      { AttributeName: "customer", AttributeType: "S" },
      { AttributeName: "placed", AttributeType: "N" },
      { AttributeName: "status", AttributeType: "S" },
      { AttributeName: "total", AttributeType: "N" },
    ],
    KeySchema: [
      { AttributeName: "customer", KeyType: "HASH" },
      { AttributeName: "placed", KeyType: "RANGE" },
    ],
    LocalSecondaryIndexes: [
      {
        IndexName: "by-total",
        KeySchema: [
          { AttributeName: "customer", KeyType: "HASH" },
          { AttributeName: "total", KeyType: "RANGE" },
        ],
        Projection: { ProjectionType: "KEYS_ONLY" },
      },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: "by-status",
        KeySchema: [
          { AttributeName: "status", KeyType: "HASH" },
          { AttributeName: "placed", KeyType: "RANGE" },
        ],
        Projection: { ProjectionType: "INCLUDE", NonKeyAttributes: ["note"] },
      },
    ],
    ...extra,
  });
  return h.table("orders");
}

describe("DynamoDB item store", () => {
  it("gets, replaces and deletes items, keeping ItemCount and TableSizeBytes", async () => {
    const h = harness();
    const table = await ordersTable(h);
    const first = { customer: S("ann"), placed: N(1), note: S("hello") };
    assert.equal(await h.put(table, first), undefined);
    assert.deepEqual(
      await h.store.items.get(h.store.storage, table, { customer: S("ann"), placed: N("1.0") }),
      first,
    );
    const second = { customer: S("ann"), placed: N(1), note: S("hello, world") };
    assert.deepEqual(await h.put(table, second), first);
    await h.put(table, { customer: S("bob"), placed: N(2) });
    let counts = await h.store.items.counts(h.store.storage, table);
    assert.deepEqual(counts.table, {
      count: 2,
      bytes: itemSize(second) + itemSize({ customer: S("bob"), placed: N(2) }),
    });
    assert.deepEqual(await h.remove(table, { customer: S("ann"), placed: N(1) }), second);
    assert.equal(await h.remove(table, { customer: S("ann"), placed: N(1) }), undefined);
    counts = await h.store.items.counts(h.store.storage, table);
    assert.equal(counts.table.count, 1);
    assert.equal(
      await h.store.items.get(h.store.storage, table, { customer: S("ann"), placed: N(1) }),
      undefined,
    );
    const described = await h.store.describe(h.store.storage, table);
    assert.equal(described.ItemCount, 1);
  });

  it("maintains GSI and LSI entries with their projections, and leaves sparse items out", async () => {
    const h = harness();
    const table = await ordersTable(h);
    await h.put(table, {
      customer: S("ann"),
      placed: N(1),
      status: S("open"),
      total: N(10),
      note: S("n1"),
      extra: S("x"),
    });
    await h.put(table, { customer: S("ann"), placed: N(2), total: N(5) }); // no status: not in by-status
    await h.put(table, { customer: S("bob"), placed: N(3), status: S("open"), note: S("n3") }); // no total: not in by-total

    const open = await h.collect(
      h.store.items.query(h.store.storage, table, { index: "by-status", partition: S("open") }),
    );
    assert.deepEqual(open, [
      { customer: S("ann"), placed: N(1), status: S("open"), note: S("n1") },
      { customer: S("bob"), placed: N(3), status: S("open"), note: S("n3") },
    ]);
    const byTotal = await h.collect(
      h.store.items.query(h.store.storage, table, { index: "by-total", partition: S("ann") }),
    );
    assert.deepEqual(byTotal, [
      { customer: S("ann"), placed: N(2), total: N(5) },
      { customer: S("ann"), placed: N(1), total: N(10) },
    ]);

    // Moving an item between GSI partitions removes its old entry; dropping the attribute removes it.
    await h.put(table, { customer: S("ann"), placed: N(1), status: S("shipped"), total: N(10) });
    await h.put(table, { customer: S("bob"), placed: N(3) });
    assert.deepEqual(
      await h.collect(
        h.store.items.query(h.store.storage, table, { index: "by-status", partition: S("open") }),
      ),
      [],
    );
    assert.deepEqual(await h.collect(h.store.items.scan(h.store.storage, table, { index: "by-status" })), [
      { customer: S("ann"), placed: N(1), status: S("shipped") },
    ]);
    const counts = await h.store.items.counts(h.store.storage, table);
    assert.equal(counts.indexes.get("by-status")?.count, 1);
    assert.equal(counts.indexes.get("by-total")?.count, 2);
    assert.equal(
      counts.indexes.get("by-status")?.bytes,
      itemSize({ customer: S("ann"), placed: N(1), status: S("shipped") }),
    );
  });

  it("reads a partition in sort-key order with every key condition, both ways, from a start key", async () => {
    const h = harness();
    const table = await ordersTable(h);
    for (const placed of ["-5", "0", "1.5", "2", "10", "100"])
      await h.put(table, { customer: S("ann"), placed: N(placed) });
    await h.put(table, { customer: S("bob"), placed: N(1) });
    const placed = async (range: Omit<Parameters<typeof h.store.items.query>[2], "partition">) =>
      (await h.collect(h.store.items.query(h.store.storage, table, { partition: S("ann"), ...range }))).map(
        (item) => (item.placed as { N: string }).N,
      );
    assert.deepEqual(await placed({}), ["-5", "0", "1.5", "2", "10", "100"]);
    assert.deepEqual(await placed({ forward: false }), ["100", "10", "2", "1.5", "0", "-5"]);
    assert.deepEqual(await placed({ sort: { op: "EQ", value: N("2.0") } }), ["2"]);
    assert.deepEqual(await placed({ sort: { op: "LT", value: N(2) } }), ["-5", "0", "1.5"]);
    assert.deepEqual(await placed({ sort: { op: "LE", value: N(2) } }), ["-5", "0", "1.5", "2"]);
    assert.deepEqual(await placed({ sort: { op: "GT", value: N(2) } }), ["10", "100"]);
    assert.deepEqual(await placed({ sort: { op: "GE", value: N(2) } }), ["2", "10", "100"]);
    assert.deepEqual(await placed({ sort: { op: "BETWEEN", low: N(0), high: N(10) } }), [
      "0",
      "1.5",
      "2",
      "10",
    ]);
    assert.deepEqual(await placed({ exclusiveStartKey: { customer: S("ann"), placed: N(1.5) } }), [
      "2",
      "10",
      "100",
    ]);
    assert.deepEqual(
      await placed({ forward: false, exclusiveStartKey: { customer: S("ann"), placed: N(1.5) } }),
      ["0", "-5"],
    );
  });

  it("reads string sort keys with begins_with", async () => {
    const h = harness();
    await h.create({
      TableName: "files",
      ...PAY,
      AttributeDefinitions: [
        { AttributeName: "owner", AttributeType: "S" },
        { AttributeName: "path", AttributeType: "S" },
      ],
      KeySchema: [
        { AttributeName: "owner", KeyType: "HASH" },
        { AttributeName: "path", KeyType: "RANGE" },
      ],
    });
    const table = await h.table("files");
    for (const path of ["a", "a/b", "a/c", "a\u0000", "ab", "b"])
      await h.put(table, { owner: S("me"), path: S(path) });
    const paths = await h.collect(
      h.store.items.query(h.store.storage, table, {
        partition: S("me"),
        sort: { op: "BEGINS_WITH", prefix: S("a/") },
      }),
    );
    assert.deepEqual(
      paths.map((item) => item.path),
      [S("a/b"), S("a/c")],
    );
    const all = await h.collect(h.store.items.query(h.store.storage, table, { partition: S("me") }));
    assert.deepEqual(
      all.map((item) => (item.path as { S: string }).S),
      ["a", "a\u0000", "a/b", "a/c", "ab", "b"],
    );
  });

  it("splits a scan into disjoint parallel segments that together cover the table", async () => {
    const h = harness();
    const table = await ordersTable(h);
    for (let i = 0; i < 200; i++) await h.put(table, { customer: S(`c${i}`), placed: N(i) });
    const seen = new Set<string>();
    for (let segment = 0; segment < 7; segment++) {
      for (const item of await h.collect(
        h.store.items.scan(h.store.storage, table, { segment, totalSegments: 7 }),
      )) {
        const id = (item.customer as { S: string }).S;
        assert.ok(!seen.has(id), `${id} in two segments`);
        seen.add(id);
      }
    }
    assert.equal(seen.size, 200);
    const firstPage = (await h.collect(h.store.items.scan(h.store.storage, table))).slice(0, 50);
    const rest = await h.collect(
      h.store.items.scan(h.store.storage, table, { exclusiveStartKey: firstPage.at(-1)! }),
    );
    assert.equal(firstPage.length + rest.length, 200);
  });

  it("appends stream records in sequence, with images per view type, SizeBytes and the TTL identity", async () => {
    const h = harness();
    const table = await ordersTable(h, {
      StreamSpecification: { StreamEnabled: true, StreamViewType: "NEW_AND_OLD_IMAGES" },
    });
    await h.put(table, { customer: S("Fred"), placed: N(1) });
    await h.put(table, { customer: S("Fred"), placed: N(1) }); // unchanged: no record
    await h.put(table, { customer: S("Fred"), placed: N(1), name: S("Fred") });
    await h.remove(table, { customer: S("Fred"), placed: N(1) }, true);
    await h.remove(table, { customer: S("Fred"), placed: N(1) }); // nothing deleted: no record
    const records = await readStreamRecords(h.store.storage, table.record.stream!.id, 0, 100);
    assert.deepEqual(
      records.map((r) => [r.sequence, r.record.eventName]),
      [
        [1, "INSERT"],
        [2, "MODIFY"],
        [3, "REMOVE"],
      ],
    );
    const [insert, modify, remove] = records.map((r) => r.record);
    assert.deepEqual(insert!.dynamodb.Keys, { customer: S("Fred"), placed: N(1) });
    assert.deepEqual(insert!.dynamodb.NewImage, { customer: S("Fred"), placed: N(1) });
    assert.equal(insert!.dynamodb.OldImage, undefined);
    assert.equal(insert!.dynamodb.SequenceNumber, "100000000000000000001");
    assert.ok(modify!.dynamodb.SequenceNumber > insert!.dynamodb.SequenceNumber);
    const keys = itemSize({ customer: S("Fred"), placed: N(1) });
    assert.equal(modify!.dynamodb.SizeBytes, 3 * keys + "name".length + "Fred".length); // Keys + New + Old
    assert.equal(insert!.dynamodb.ApproximateCreationDateTime, Date.UTC(2025, 0, 1) / 1000);
    assert.match(insert!.eventID, /^[0-9a-f]{32}$/);
    assert.equal(insert!.awsRegion, "us-east-1");
    assert.equal(insert!.userIdentity, undefined);
    assert.deepEqual(remove!.userIdentity, { PrincipalId: "dynamodb.amazonaws.com", Type: "Service" });
    assert.deepEqual(remove!.dynamodb.OldImage, { customer: S("Fred"), placed: N(1), name: S("Fred") });
    assert.equal(remove!.dynamodb.NewImage, undefined);
    assert.deepEqual((await readStreamRecords(h.store.storage, table.record.stream!.id, 2, 100)).length, 1);
  });

  it("backfills a GSI added by UpdateTable, then reports it ACTIVE with its count", async () => {
    const h = harness();
    const table = await ordersTable(h);
    for (let i = 0; i < 600; i++)
      await h.put(table, { customer: S(`c${i}`), placed: N(i), region: S(i % 3 === 0 ? "eu" : "us") });
    const answer = await h.update({
      TableName: "orders",
      AttributeDefinitions: [{ AttributeName: "region", AttributeType: "S" }],
      GlobalSecondaryIndexUpdates: [
        {
          Create: {
            IndexName: "by-region",
            KeySchema: [{ AttributeName: "region", KeyType: "HASH" }],
            Projection: { ProjectionType: "KEYS_ONLY" },
          },
        },
      ],
    });
    const created = (
      answer.TableDescription as { GlobalSecondaryIndexes: Record<string, unknown>[] }
    ).GlobalSecondaryIndexes.find((gsi) => gsi.IndexName === "by-region");
    assert.equal(created?.IndexStatus, "CREATING");
    assert.equal(created?.Backfilling, true);
    await h.store.jobs.drain();
    const after = await h.table("orders");
    const described = await h.store.describe(h.store.storage, after);
    const index = (described.GlobalSecondaryIndexes as Record<string, unknown>[]).find(
      (gsi) => gsi.IndexName === "by-region",
    );
    assert.equal(index?.IndexStatus, "ACTIVE");
    assert.equal(index?.Backfilling, undefined);
    assert.equal(index?.ItemCount, 600);
    const eu = await h.collect(
      h.store.items.query(h.store.storage, after, { index: "by-region", partition: S("eu") }),
    );
    assert.equal(eu.length, 200);
  });

  it("drops a deleted table's items in the background; a new table of the same name starts empty", async () => {
    const h = harness();
    const table = await ordersTable(h);
    for (let i = 0; i < 50; i++)
      await h.put(table, { customer: S(`c${i}`), placed: N(i), status: S("open") });
    const { deleteTable } = await import("../../../../src/services/dynamodb/operations/delete-table.ts");
    await deleteTable(h.store)({ TableName: "orders" }, h.context);
    const again = await ordersTable(h);
    assert.equal((await h.collect(h.store.items.scan(h.store.storage, again))).length, 0);
    await h.store.jobs.drain();
    assert.equal((await h.collect(h.store.items.scan(h.store.storage, table))).length, 0);
    assert.equal(
      (await h.collect(h.store.items.scan(h.store.storage, table, { index: "by-status" }))).length,
      0,
    );
  });

  it("shows CREATING until the activation delay has passed on the injected clock", async () => {
    const h = harness({ tableActivationMs: 50 });
    await ordersTable(h);
    const table = await h.table("orders");
    assert.equal((await h.store.describe(h.store.storage, table)).TableStatus, "CREATING");
    await assert.rejects(h.store.requireTable(h.store.storage, h.context, "orders"), {
      name: "ResourceNotFoundException",
    });
    h.clock.advance(50);
    assert.equal((await h.store.describe(h.store.storage, table)).TableStatus, "ACTIVE");
    assert.equal((await h.store.requireTable(h.store.storage, h.context, "orders")).record.name, "orders");
  });

  it("expires items whose TTL number has passed, as service deletions in the stream", async () => {
    const h = harness();
    await h.create({
      TableName: "sessions",
      ...PAY,
      AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }],
      KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
      StreamSpecification: { StreamEnabled: true, StreamViewType: "KEYS_ONLY" },
    });
    const { updateTimeToLive } = await import("../../../../src/services/dynamodb/operations/time-to-live.ts");
    await updateTimeToLive(h.store)(
      { TableName: "sessions", TimeToLiveSpecification: { Enabled: true, AttributeName: "exp" } },
      h.context,
    );
    const table = await h.table("sessions");
    const now = h.clock.now().getTime() / 1000;
    await h.put(table, { id: S("past"), exp: N(now - 60) });
    await h.put(table, { id: S("now"), exp: N(now) });
    await h.put(table, { id: S("future"), exp: N(now + 60) });
    await h.put(table, { id: S("ancient"), exp: N(now - 6 * 365 * 24 * 3600) }); // over five years: ignored
    await h.put(table, { id: S("text"), exp: S(String(now - 60)) }); // not a Number: never expires
    await h.put(table, { id: S("none") });
    assert.equal(await h.store.ttl.sweep(), 2);
    const left = await h.collect(h.store.items.scan(h.store.storage, table));
    assert.deepEqual(left.map((item) => (item.id as { S: string }).S).sort(), [
      "ancient",
      "future",
      "none",
      "text",
    ]);
    h.clock.advance(61_000);
    assert.equal(await h.store.ttl.sweep(), 1);
    const records = await readStreamRecords(h.store.storage, table.record.stream!.id, 0, 100);
    const removals = records.filter((r) => r.record.eventName === "REMOVE");
    assert.equal(removals.length, 3);
    for (const removal of removals) assert.equal(removal.record.userIdentity?.Type, "Service");
  });

  it("fits DynamoDB's largest keys (2048-byte partition, 1024-byte sort key of zeros) in item and index keys", async () => {
    const h = harness();
    await h.create({
      TableName: "big-keys",
      ...PAY,
      AttributeDefinitions: [
        { AttributeName: "pk", AttributeType: "S" },
        { AttributeName: "sk", AttributeType: "B" },
        { AttributeName: "alt", AttributeType: "S" },
      ],
      KeySchema: [
        { AttributeName: "pk", KeyType: "HASH" },
        { AttributeName: "sk", KeyType: "RANGE" },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: "by-alt",
          KeySchema: [
            { AttributeName: "alt", KeyType: "HASH" },
            { AttributeName: "sk", KeyType: "RANGE" },
          ],
          Projection: { ProjectionType: "KEYS_ONLY" },
        },
      ],
    });
    const table = await h.table("big-keys");
    const item = {
      pk: S("p".repeat(2048)),
      sk: { B: Buffer.alloc(1024).toString("base64") },
      alt: S("a".repeat(2048)),
    };
    const { storageKey } = await import("../../../../src/services/dynamodb/items-store/item-store.ts");
    const { indexEntryKey } = await import("../../../../src/services/dynamodb/items-store/indexes.ts");
    assert.equal(storageKey(table, item).length, 16 + 16 + 16 + 2050);
    assert.equal(indexEntryKey(table, table.indexes[0]!, item)?.length, 17 + 16 + 16 + 2050 + 16);
    await h.put(table, item);
    assert.deepEqual(await h.store.items.get(h.store.storage, table, item), item);
    assert.equal(
      (await h.collect(h.store.items.query(h.store.storage, table, { index: "by-alt", partition: item.alt })))
        .length,
      1,
    );
  });

  it("sizes items as DynamoDB does", () => {
    assert.equal(itemSize({ id: S("Fred") }), 6);
    assert.equal(numberSize("0"), 1);
    assert.equal(numberSize("1"), 2);
    assert.equal(numberSize("-1"), 3);
    assert.equal(numberSize("12"), 2);
    assert.equal(numberSize("1.5"), 3); // two digits and an even exponent: one more
    assert.equal(numberSize("123"), 3);
    assert.equal(
      itemSize({ l: { L: [S("ab"), { NULL: true }] }, m: { M: { k: { BOOL: true } } } }),
      1 + 3 + 1 + 2 + 1 + 1 + (1 + 3 + 1 + 1 + 1),
    );
  });
});
