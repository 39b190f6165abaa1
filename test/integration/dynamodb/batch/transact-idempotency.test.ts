/**
 * ClientRequestToken idempotency of TransactWriteItems (API reference): the same token with the same
 * request within 10 minutes answers again without writing again; with another request it is
 * IdempotentParameterMismatchException; after 10 minutes the token is new. Tokens are durable: a retry
 * after a restart is still recognised.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import {
  BatchWriteItemCommand,
  DynamoDBClient,
  TransactWriteItemsCommand,
  type TransactWriteItemsCommandInput,
} from "@aws-sdk/client-dynamodb";
import { ManualClock } from "../../../../src/aws/clock.ts";
import { startStratus } from "../../../../src/server.ts";
import { tuple } from "../../../../src/storage/tuple.ts";
import { useStratus } from "../../../support/stratus.ts";
import { rejects } from "../helpers.ts";
import { cancelled, createTable, hashTable, indexedTable, N, read, S } from "./helpers.ts";

const increment = (
  table: string,
  pk: string,
  token: string,
  extra: object = {},
): TransactWriteItemsCommandInput => ({
  ClientRequestToken: token,
  TransactItems: [
    {
      Update: {
        TableName: table,
        Key: { pk: S(pk) },
        UpdateExpression: "ADD n :one",
        ExpressionAttributeValues: { ":one": N(1) },
      },
    },
  ],
  ...extra,
});

describe("DynamoDB TransactWriteItems ClientRequestToken", () => {
  // Requests are signed with the real time and judged on this clock (15 minutes of skew allowed), and
  // tables exist only from their creation on it: it starts 7 minutes behind and only moves forward.
  const clock = new ManualClock(Date.now() - 7 * 60 * 1000);
  const stratus = useStratus({ inMemory: true, clock });
  let table: string;
  let composite: string;

  before(async () => {
    table = await createTable(stratus.dynamodb(), hashTable, "token");
    composite = await createTable(stratus.dynamodb(), indexedTable, "token");
  });

  const send = (input: TransactWriteItemsCommandInput) =>
    stratus.dynamodb().send(new TransactWriteItemsCommand(input));
  const count = async (pk: string) => (await read(stratus.dynamodb(), table, { pk: S(pk) }))?.n;

  it("answers a repeated request again without applying it twice", async () => {
    await send(increment(table, "once", "token-once"));
    await send(increment(table, "once", "token-once"));
    assert.deepEqual(await count("once"), N(1));
    // The same request built again is the same request; another token is another request.
    await send({
      TransactItems: increment(table, "once", "x").TransactItems,
      ClientRequestToken: "token-once",
    });
    assert.deepEqual(await count("once"), N(1));
    await send(increment(table, "once", "token-other"));
    assert.deepEqual(await count("once"), N(2));
  });

  it("answers the first call's ItemCollectionMetrics, and read capacity on a replay", async () => {
    const input: TransactWriteItemsCommandInput = {
      ClientRequestToken: "token-answer",
      ReturnConsumedCapacity: "TOTAL",
      ReturnItemCollectionMetrics: "SIZE",
      TransactItems: [{ Put: { TableName: composite, Item: { pk: S("answer"), sk: N(1) } } }],
    };
    const first = await send(input);
    const again = await send(input);
    const metrics = {
      [composite]: [{ ItemCollectionKey: { pk: S("answer") }, SizeEstimateRangeGB: [0, 1] }],
    };
    assert.deepEqual(first.ItemCollectionMetrics, metrics);
    assert.deepEqual(again.ItemCollectionMetrics, metrics);
    assert.deepEqual(first.ConsumedCapacity, [
      { TableName: composite, CapacityUnits: 2, WriteCapacityUnits: 2 },
    ]);
    assert.deepEqual(again.ConsumedCapacity, [
      { TableName: composite, CapacityUnits: 1, ReadCapacityUnits: 1 },
    ]);
  });

  it("refuses the same token with another request", async () => {
    await send(increment(table, "mismatch", "token-mismatch"));
    await rejects(
      send(increment(table, "mismatch-other", "token-mismatch")),
      "IdempotentParameterMismatchException",
      "Request parameters do not match with those of the original request with the same client token",
    );
    await rejects(
      send(increment(table, "mismatch", "token-mismatch", { ReturnConsumedCapacity: "TOTAL" })),
      "IdempotentParameterMismatchException",
      "Request parameters do not match with those of the original request with the same client token",
    );
    assert.deepEqual(await count("mismatch"), N(1));
    assert.equal(await count("mismatch-other"), undefined);
  });

  it("does not remember a cancelled request: its retry runs again", async () => {
    const input: TransactWriteItemsCommandInput = {
      ClientRequestToken: "token-cancelled",
      TransactItems: [
        {
          ConditionCheck: {
            TableName: table,
            Key: { pk: S("gate") },
            ConditionExpression: "attribute_exists(pk)",
          },
        },
        { Put: { TableName: table, Item: { pk: S("after-gate") } } },
      ],
    };
    await cancelled(send(input), [
      { Code: "ConditionalCheckFailed", Message: "The conditional request failed" },
      { Code: "None" },
    ]);
    await stratus.dynamodb().send(
      new BatchWriteItemCommand({
        RequestItems: { [table]: [{ PutRequest: { Item: { pk: S("gate") } } }] },
      }),
    );
    await send(input);
    assert.deepEqual(await read(stratus.dynamodb(), table, { pk: S("after-gate") }), { pk: S("after-gate") });
  });

  it("applies concurrent retries with one token once", async () => {
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        stratus.dynamodb().send(new TransactWriteItemsCommand(increment(table, "race", "token-race"))),
      ),
    );
    assert.equal(results.length, 10);
    assert.deepEqual(await count("race"), N(1));
  });

  it("forgets a token 10 minutes after its request completed", async () => {
    await send(increment(table, "window", "token-window"));
    clock.advance(10 * 60 * 1000 - 1);
    await send(increment(table, "window", "token-window"));
    assert.deepEqual(await count("window"), N(1));
    clock.advance(1);
    await send(increment(table, "window", "token-window"));
    assert.deepEqual(await count("window"), N(2));
    // The new use starts a new window: another request with it is now a mismatch.
    await rejects(
      send(increment(table, "window-other", "token-window")),
      "IdempotentParameterMismatchException",
      "Request parameters do not match with those of the original request with the same client token",
    );
  });

  it("drops expired tokens from storage as later tokened calls come", async () => {
    const minute = 60 * 1000;
    const stored = async (token: string) =>
      (await stratus.server.storage.get(
        tuple("dynamodb", "tx-token", "000000000000", stratus.region, token),
      )) !== undefined;
    for (let i = 0; i < 5; i++) await send(increment(table, "sweep", `token-sweep-${i}`));
    assert.equal(await stored("token-sweep-0"), true);
    clock.advance(10 * minute + 1);
    await send(increment(table, "sweep", "token-sweep-last"));
    for (let i = 0; i < 5; i++) assert.equal(await stored(`token-sweep-${i}`), false);
    assert.equal(await stored("token-sweep-last"), true);
  });
});

describe("DynamoDB TransactWriteItems ClientRequestToken across a restart", () => {
  let dataDir: string;
  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "stratus-token-"));
  });
  after(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it("recognises a retry after Stratus restarts on the same data", async () => {
    const start = async () => {
      const server = await startStratus({ port: 0, dataDir, logLevel: "silent" });
      const client = new DynamoDBClient({
        endpoint: server.url,
        region: server.region,
        credentials: { accessKeyId: "test", secretAccessKey: "test" },
        maxAttempts: 1,
      });
      return { server, client };
    };
    let { server, client } = await start();
    const table = await createTable(client, hashTable, "restart");
    await client.send(new TransactWriteItemsCommand(increment(table, "durable", "token-durable")));
    client.destroy();
    await server.close();

    ({ server, client } = await start());
    try {
      await client.send(new TransactWriteItemsCommand(increment(table, "durable", "token-durable")));
      assert.deepEqual((await read(client, table, { pk: S("durable") }))?.n, N(1));
    } finally {
      client.destroy();
      await server.close();
    }
  });
});
