/**
 * Nothing acknowledged is lost. A writer makes conditional writes (each item's `seq` only grows) and
 * records every acknowledgement; Stratus is SIGKILLed at a random moment and restarted on the same
 * data dir, several rounds. After each restart every acknowledged write is present (a write in flight
 * at the kill may also have landed: `seq` may be higher, never lower), and every GSI entry matches its
 * base item.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import {
  CreateTableCommand,
  DynamoDBClient,
  PutItemCommand,
  ScanCommand,
  waitUntilTableExists,
} from "@aws-sdk/client-dynamodb";
import { startStratusProcess } from "../support/cli-process.ts";
import { clientConfigFor } from "../support/stratus.ts";

const ROUNDS = 4;
const WRITERS = 8;
const KEYS = 40;
const ROUND_MS_MIN = 300;
const ROUND_MS_MAX = 1200;

function client(url: string): DynamoDBClient {
  return new DynamoDBClient(clientConfigFor(url));
}

async function scanAll(dynamodb: DynamoDBClient, indexName?: string) {
  const items: Record<string, { S?: string; N?: string }>[] = [];
  let start: Record<string, never> | undefined;
  for (let page = 0; page < 100; page++) {
    const result = await dynamodb.send(
      new ScanCommand({
        TableName: "crash",
        IndexName: indexName,
        ExclusiveStartKey: start,
        ConsistentRead: !indexName,
      }),
    );
    items.push(...((result.Items ?? []) as typeof items));
    start = result.LastEvaluatedKey as typeof start;
    if (!start) break;
  }
  return items;
}

describe("DynamoDB survives kill -9", () => {
  const dirs: string[] = [];
  after(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it("keeps every acknowledged conditional write and consistent GSI entries across SIGKILLs", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "stratus-crash-"));
    dirs.push(dataDir);
    const acked = new Map<string, number>();
    let nextSeq = 1;

    // Rounds 1..ROUNDS start by checking what the previous round's kill left; the last one only checks.
    for (let round = 0; round <= ROUNDS; round++) {
      const server = await startStratusProcess([
        "--port",
        "0",
        "--data-dir",
        dataDir,
        "--log-level",
        "error",
      ]);
      const dynamodb = client(server.url);
      try {
        if (round === 0) {
          await dynamodb.send(
            new CreateTableCommand({
              TableName: "crash",
              BillingMode: "PAY_PER_REQUEST",
              AttributeDefinitions: [
                { AttributeName: "id", AttributeType: "S" },
                { AttributeName: "group", AttributeType: "S" },
                { AttributeName: "seq", AttributeType: "N" },
              ],
              KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
              GlobalSecondaryIndexes: [
                {
                  IndexName: "byGroup",
                  KeySchema: [
                    { AttributeName: "group", KeyType: "HASH" },
                    { AttributeName: "seq", KeyType: "RANGE" },
                  ],
                  Projection: { ProjectionType: "ALL" },
                },
              ],
            }),
          );
          await waitUntilTableExists({ client: dynamodb, maxWaitTime: 30 }, { TableName: "crash" });
        } else {
          // After a restart: every acknowledged write is there, and the GSI mirrors the table.
          const items = await scanAll(dynamodb);
          const stored = new Map(items.map((item) => [item.id?.S ?? "", Number(item.seq?.N)]));
          for (const [id, seq] of acked) {
            assert.ok(
              (stored.get(id) ?? 0) >= seq,
              `round ${round}: ${id} acknowledged at seq ${seq}, found ${stored.get(id)}`,
            );
          }
          const entries = await scanAll(dynamodb, "byGroup");
          assert.equal(
            entries.length,
            items.length,
            `round ${round}: GSI has ${entries.length} entries for ${items.length} items`,
          );
          const entrySeq = new Map(entries.map((entry) => [entry.id?.S ?? "", Number(entry.seq?.N)]));
          for (const [id, seq] of stored)
            assert.equal(entrySeq.get(id), seq, `round ${round}: GSI entry of ${id}`);
          for (const [id, seq] of stored) if ((acked.get(id) ?? 0) < seq) acked.set(id, seq);
          if (round === ROUNDS) break;
        }

        let killed = false;
        const writer = async (w: number) => {
          for (let n = 0; n < 100_000 && !killed; n++) {
            const id = `k${(w * 7 + n) % KEYS}`;
            const seq = nextSeq++;
            try {
              await dynamodb.send(
                new PutItemCommand({
                  TableName: "crash",
                  Item: {
                    id: { S: id },
                    group: { S: `g${seq % 4}` },
                    seq: { N: String(seq) },
                    pad: { S: "x".repeat(100) },
                  },
                  ConditionExpression: "attribute_not_exists(id) OR seq < :seq",
                  ExpressionAttributeValues: { ":seq": { N: String(seq) } },
                }),
              );
              if ((acked.get(id) ?? 0) < seq) acked.set(id, seq);
            } catch (error) {
              if (killed) return;
              if ((error as { name?: string }).name === "ConditionalCheckFailedException") continue;
              throw error;
            }
          }
        };
        const writers = Array.from({ length: WRITERS }, (_, w) => writer(w));
        const lifetime = ROUND_MS_MIN + Math.floor(Math.random() * (ROUND_MS_MAX - ROUND_MS_MIN));
        await new Promise((resolve) => setTimeout(resolve, lifetime));
        killed = true;
        server.child.kill("SIGKILL");
        await server.exit;
        await Promise.allSettled(writers);
      } finally {
        dynamodb.destroy();
        server.child.kill("SIGKILL");
      }
    }
    assert.ok(acked.size > 0, "the writers had writes acknowledged");
  });
});
