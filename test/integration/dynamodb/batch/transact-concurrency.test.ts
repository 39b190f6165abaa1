/**
 * Concurrent transactions on overlapping items never interleave: each read-check-write runs inside one
 * storage transaction (ARCHITECTURE.md, "Concurrency"). Many clients, many requests in flight at once.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  type DynamoDBClient,
  TransactionCanceledException,
  TransactWriteItemsCommand,
} from "@aws-sdk/client-dynamodb";
import { useStratus } from "../../../support/stratus.ts";
import { createTable, hashTable, N, read, S } from "./helpers.ts";

describe("DynamoDB transactions under concurrency", () => {
  const stratus = useStratus({ inMemory: false });
  let table: string;
  let clients: DynamoDBClient[];

  before(async () => {
    clients = Array.from({ length: 8 }, () => stratus.dynamodb());
    table = await createTable(clients[0]!, hashTable, "concurrency");
  });

  const balance = async (pk: string) => Number((await read(clients[0]!, table, { pk: S(pk) }))?.balance?.N);

  it("keeps the sum of two accounts constant over 40 concurrent transfers", async () => {
    await clients[0]!.send(
      new BatchWriteItemCommand({
        RequestItems: {
          [table]: [
            { PutRequest: { Item: { pk: S("alice"), balance: N(100) } } },
            { PutRequest: { Item: { pk: S("bob"), balance: N(100) } } },
          ],
        },
      }),
    );
    // Amounts large enough that some transfers must be refused for want of funds.
    const transfers = Array.from({ length: 40 }, (_, i) => ({
      from: i % 2 === 0 ? "alice" : "bob",
      to: i % 2 === 0 ? "bob" : "alice",
      amount: 10 + ((i * 7) % 60),
    }));
    const results = await Promise.allSettled(
      transfers.map(({ from, to, amount }, i) =>
        clients[i % clients.length]!.send(
          new TransactWriteItemsCommand({
            TransactItems: [
              {
                Update: {
                  TableName: table,
                  Key: { pk: S(from) },
                  UpdateExpression: "SET balance = balance - :a",
                  ConditionExpression: "balance >= :a",
                  ExpressionAttributeValues: { ":a": N(amount) },
                },
              },
              {
                Update: {
                  TableName: table,
                  Key: { pk: S(to) },
                  UpdateExpression: "SET balance = balance + :a",
                  ExpressionAttributeValues: { ":a": N(amount) },
                },
              },
            ],
          }),
        ),
      ),
    );
    let expectedAlice = 100;
    for (const [i, result] of results.entries()) {
      if (result.status === "rejected") {
        assert.ok(result.reason instanceof TransactionCanceledException, String(result.reason));
        continue;
      }
      const { from, amount } = transfers[i]!;
      expectedAlice += from === "alice" ? -amount : amount;
    }
    const alice = await balance("alice");
    const bob = await balance("bob");
    assert.equal(alice + bob, 200);
    assert.equal(alice, expectedAlice);
    assert.ok(alice >= 0 && bob >= 0);
    assert.ok(results.some((result) => result.status === "fulfilled"));
  });

  it("counts every one of 50 concurrent increments exactly once", async () => {
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        clients[i % clients.length]!.send(
          new TransactWriteItemsCommand({
            TransactItems: [
              {
                Update: {
                  TableName: table,
                  Key: { pk: S("counter") },
                  UpdateExpression: "ADD n :one",
                  ExpressionAttributeValues: { ":one": N(1) },
                },
              },
              { Put: { TableName: table, Item: { pk: S(`log-${i}`), at: N(i) } } },
            ],
          }),
        ),
      ),
    );
    assert.deepEqual(await read(clients[0]!, table, { pk: S("counter") }), { pk: S("counter"), n: N(50) });
    const logged = await clients[0]!.send(
      new BatchGetItemCommand({
        RequestItems: { [table]: { Keys: Array.from({ length: 50 }, (_, i) => ({ pk: S(`log-${i}`) })) } },
      }),
    );
    assert.equal(logged.Responses?.[table]?.length, 50);
  });

  it("lets exactly one of 20 concurrent conditional creations of one item win", async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        clients[i % clients.length]!.send(
          new TransactWriteItemsCommand({
            TransactItems: [
              {
                Put: {
                  TableName: table,
                  Item: { pk: S("lock"), owner: N(i) },
                  ConditionExpression: "attribute_not_exists(pk)",
                },
              },
            ],
          }),
        ),
      ),
    );
    const winners = results.filter((result) => result.status === "fulfilled");
    assert.equal(winners.length, 1);
    const owner = results.findIndex((result) => result.status === "fulfilled");
    assert.deepEqual(await read(clients[0]!, table, { pk: S("lock") }), { pk: S("lock"), owner: N(owner) });
  });
});
