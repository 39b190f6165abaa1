/**
 * What the item operations promise beyond one request: conditional writes stay exact under
 * concurrency (each read-check-write is one storage transaction), acknowledged writes survive a
 * restart on the same data dir, and the secondary indexes follow every put, update and delete (read
 * back through Query and DescribeTable's counters).
 */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import { DescribeTableCommand, DynamoDBClient, QueryCommand } from "@aws-sdk/client-dynamodb";
import { startStratus } from "../../../../src/server.ts";
import { useStratus } from "../../../support/stratus.ts";
import { createTable, hashTable, type Item, indexedTable, itemOps, N, S } from "./helpers.ts";

const WORKERS = 50;

describe("DynamoDB item operations: concurrency, durability, indexes", () => {
  const stratus = useStratus();
  let table = "";
  let indexed = "";
  const ops = itemOps(
    () => stratus.dynamodb(),
    () => table,
  );
  const idx = itemOps(
    () => stratus.dynamodb(),
    () => indexed,
  );

  before(async () => {
    table = await createTable(stratus.dynamodb(), hashTable);
    indexed = await createTable(stratus.dynamodb(), indexedTable);
  });

  const outcome = (promise: Promise<unknown>) =>
    promise.then(
      () => "ok",
      (error: Error) => error.name,
    );

  describe(`${WORKERS} concurrent writers`, () => {
    it("attribute_not_exists: exactly one put wins", async () => {
      const results = await Promise.all(
        Array.from({ length: WORKERS }, (_, i) =>
          outcome(
            ops.put({
              Item: { pk: S("race"), winner: N(i) },
              ConditionExpression: "attribute_not_exists(pk)",
            }),
          ),
        ),
      );
      assert.equal(results.filter((r) => r === "ok").length, 1);
      assert.equal(results.filter((r) => r === "ConditionalCheckFailedException").length, WORKERS - 1);
    });

    it("if_not_exists increments and ADD lose no update", async () => {
      await Promise.all(
        Array.from({ length: WORKERS }, () =>
          ops.update({
            Key: { pk: S("counter") },
            UpdateExpression: "SET n = if_not_exists(n, :zero) + :one ADD hits :one",
            ExpressionAttributeValues: { ":zero": N(0), ":one": N(1) },
          }),
        ),
      );
      const { Item } = await ops.get({ Key: { pk: S("counter") }, ConsistentRead: true });
      assert.deepEqual(Item, { pk: S("counter"), n: N(WORKERS), hits: N(WORKERS) });
    });

    it("version checks: each worker retries until its increment lands, exactly once", async () => {
      await ops.put({ Item: { pk: S("versioned"), version: N(0), trail: { L: [] } } });
      let conflicts = 0;
      const worker = async (id: number) => {
        for (;;) {
          const { Item } = await ops.get({ Key: { pk: S("versioned") }, ConsistentRead: true });
          const version = Number((Item?.version as { N: string } | undefined)?.N);
          const result = await outcome(
            ops.update({
              Key: { pk: S("versioned") },
              UpdateExpression: "SET version = :next, trail = list_append(trail, :me)",
              ConditionExpression: "version = :current",
              ExpressionAttributeValues: {
                ":next": N(version + 1),
                ":current": N(version),
                ":me": { L: [N(id)] },
              },
            }),
          );
          if (result === "ok") return;
          assert.equal(result, "ConditionalCheckFailedException");
          conflicts++;
        }
      };
      await Promise.all(Array.from({ length: WORKERS }, (_, i) => worker(i)));
      const { Item } = await ops.get({ Key: { pk: S("versioned") }, ConsistentRead: true });
      assert.deepEqual(Item?.version, N(WORKERS));
      const log = ((Item?.trail as { L: { N: string }[] } | undefined)?.L ?? [])
        .map((entry) => Number(entry.N))
        .sort((a, b) => a - b);
      assert.deepEqual(
        log,
        Array.from({ length: WORKERS }, (_, i) => i),
      );
      assert.ok(conflicts > 0, "the workers did race");
    });
  });

  describe("secondary indexes", () => {
    const queryGsi = async (gsiPk: string) =>
      (
        await stratus.dynamodb().send(
          new QueryCommand({
            TableName: indexed,
            IndexName: "gsi1",
            KeyConditionExpression: "gsiPk = :g",
            ExpressionAttributeValues: { ":g": S(gsiPk) },
          }),
        )
      ).Items;
    const queryLsi = async (pk: string) =>
      (
        await stratus.dynamodb().send(
          new QueryCommand({
            TableName: indexed,
            IndexName: "lsi1",
            KeyConditionExpression: "pk = :p",
            ExpressionAttributeValues: { ":p": S(pk) },
            ConsistentRead: true,
          }),
        )
      ).Items;
    const counts = async () => {
      const { Table } = await stratus.dynamodb().send(new DescribeTableCommand({ TableName: indexed }));
      return {
        items: Table?.ItemCount,
        gsi: Table?.GlobalSecondaryIndexes?.[0]?.ItemCount,
        lsi: Table?.LocalSecondaryIndexes?.[0]?.ItemCount,
      };
    };

    it("follow puts, updates and deletes", async () => {
      const item = (sk: string, extra: Item) => ({ pk: S("sync"), sk: S(sk), ...extra });
      await idx.put({
        Item: item("1", { gsiPk: S("red"), gsiSk: N(2), proj: S("p1"), hidden: S("h"), lsiSk: S("b") }),
      });
      await idx.put({ Item: item("2", { gsiPk: S("red"), gsiSk: N(1), lsiSk: S("a") }) });
      await idx.put({ Item: item("3", { gsiPk: S("blue") }) }); // no gsiSk: not in gsi1
      assert.deepEqual(await queryGsi("red"), [
        { pk: S("sync"), sk: S("2"), gsiPk: S("red"), gsiSk: N(1) },
        { pk: S("sync"), sk: S("1"), gsiPk: S("red"), gsiSk: N(2), proj: S("p1") },
      ]);
      assert.deepEqual(await queryGsi("blue"), []);
      assert.deepEqual(
        (await queryLsi("sync"))?.map((i) => i.sk),
        [S("2"), S("1")],
      );
      assert.deepEqual(await counts(), { items: 3, gsi: 2, lsi: 2 });

      // Move item 1 to another GSI partition, give item 3 its missing key, drop item 2's LSI key.
      await idx.update({
        Key: { pk: S("sync"), sk: S("1") },
        UpdateExpression: "SET gsiPk = :blue, proj = :p",
        ExpressionAttributeValues: { ":blue": S("blue"), ":p": S("p2") },
      });
      await idx.update({
        Key: { pk: S("sync"), sk: S("3") },
        UpdateExpression: "SET gsiSk = :n",
        ExpressionAttributeValues: { ":n": N(0) },
      });
      await idx.update({ Key: { pk: S("sync"), sk: S("2") }, UpdateExpression: "REMOVE lsiSk" });
      assert.deepEqual(await queryGsi("red"), [{ pk: S("sync"), sk: S("2"), gsiPk: S("red"), gsiSk: N(1) }]);
      assert.deepEqual(await queryGsi("blue"), [
        { pk: S("sync"), sk: S("3"), gsiPk: S("blue"), gsiSk: N(0) },
        { pk: S("sync"), sk: S("1"), gsiPk: S("blue"), gsiSk: N(2), proj: S("p2") },
      ]);
      assert.deepEqual(
        (await queryLsi("sync"))?.map((i) => i.sk),
        [S("1")],
      );
      assert.deepEqual(await counts(), { items: 3, gsi: 3, lsi: 1 });

      // A refused write changes no index.
      await assert.rejects(
        idx.put({
          Item: item("2", { gsiPk: S("green"), gsiSk: N(9) }),
          ConditionExpression: "attribute_not_exists(pk)",
        }),
        { name: "ConditionalCheckFailedException" },
      );
      assert.deepEqual(await queryGsi("green"), []);

      await idx.remove({ Key: { pk: S("sync"), sk: S("1") } });
      await idx.put({ Item: item("3", {}) });
      assert.deepEqual(await queryGsi("blue"), []);
      assert.deepEqual(await queryLsi("sync"), []);
      assert.deepEqual(await counts(), { items: 2, gsi: 1, lsi: 0 });
    });
  });

  describe("durability", () => {
    it("keeps every acknowledged write, and the indexes, across a restart on the same data dir", async () => {
      const dataDir = await mkdtemp(join(tmpdir(), "stratus-items-restart-"));
      const clientFor = (url: string) =>
        new DynamoDBClient({
          endpoint: url,
          region: "us-east-1",
          credentials: { accessKeyId: "test", secretAccessKey: "test" },
          maxAttempts: 1,
        });
      try {
        const first = await startStratus({ port: 0, dataDir, logLevel: "silent" });
        const client = clientFor(first.url);
        let name = "";
        try {
          name = await createTable(client, indexedTable, "durable");
          const ops1 = itemOps(
            () => client,
            () => name,
          );
          await Promise.all(
            Array.from({ length: 20 }, (_, i) =>
              ops1.put({
                Item: { pk: S("p"), sk: S(String(i).padStart(2, "0")), gsiPk: S("g"), gsiSk: N(i) },
              }),
            ),
          );
          await ops1.update({
            Key: { pk: S("p"), sk: S("00") },
            UpdateExpression: "SET v = :v",
            ExpressionAttributeValues: { ":v": N("1.50") },
          });
          await ops1.remove({ Key: { pk: S("p"), sk: S("19") } });
        } finally {
          client.destroy();
          await first.close();
        }
        const second = await startStratus({ port: 0, dataDir, logLevel: "silent" });
        const after = clientFor(second.url);
        try {
          const ops2 = itemOps(
            () => after,
            () => name,
          );
          const { Item } = await ops2.get({ Key: { pk: S("p"), sk: S("00") }, ConsistentRead: true });
          assert.deepEqual(Item, { pk: S("p"), sk: S("00"), gsiPk: S("g"), gsiSk: N(0), v: N("1.5") });
          assert.equal((await ops2.get({ Key: { pk: S("p"), sk: S("19") } })).Item, undefined);
          const { Items } = await after.send(
            new QueryCommand({
              TableName: name,
              IndexName: "gsi1",
              KeyConditionExpression: "gsiPk = :g",
              ExpressionAttributeValues: { ":g": S("g") },
            }),
          );
          assert.deepEqual(
            Items?.map((i) => i.gsiSk),
            Array.from({ length: 19 }, (_, i) => N(i)),
          );
          const { Table } = await after.send(new DescribeTableCommand({ TableName: name }));
          assert.equal(Table?.ItemCount, 19);
        } finally {
          after.destroy();
          await second.close();
        }
      } finally {
        await rm(dataDir, { recursive: true, force: true });
      }
    });
  });
});
