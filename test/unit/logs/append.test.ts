/**
 * The Logs store's append path without a server: event keys written in place equal the tuple
 * encoding, values keep their JSON form, and appendBatch writes several streams in one transaction.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ManualClock } from "../../../src/aws/clock.ts";
import { createLogger } from "../../../src/log.ts";
import { eventKey, LogsStore, TIMESTAMP_MAX } from "../../../src/services/logs/store.ts";
import type { KvStore, KvTransaction } from "../../../src/storage/kv.ts";
import { openMemoryStore } from "../../../src/storage/memory-engine.ts";
import { tuple, tupleRange } from "../../../src/storage/tuple.ts";

const ACCOUNT = "000000000000";
const REGION = "us-east-1";

function logsStore(storage: KvStore = openMemoryStore()) {
  const clock = new ManualClock(new Date("2026-11-24T12:00:00.000Z"));
  return new LogsStore({ storage, clock, logger: createLogger("silent") }, { sweepIntervalMs: 0 });
}

/** Counts the store's transactions. */
function counting(storage: KvStore): KvStore & { transactions: number } {
  const counted = Object.create(storage) as KvStore & { transactions: number };
  counted.transactions = 0;
  counted.transaction = <T>(work: (tx: KvTransaction) => Promise<T> | T) => {
    counted.transactions++;
    return storage.transaction(work);
  };
  return counted;
}

describe("logs store append", () => {
  it("writes event keys equal to the tuple encoding", () => {
    const prefix = tuple("logs", ACCOUNT, REGION, "e", "/aws/lambda/f", "2026/11/24/[$LATEST]ab\u0000é");
    const values = [0, 1, 255, 256, 65_535, 65_536, 2 ** 32, 1_764_000_000_000, TIMESTAMP_MAX];
    for (const timestamp of values) {
      for (const seq of [1, 255, 256, 2 ** 40]) {
        const expected = tuple(
          "logs",
          ACCOUNT,
          REGION,
          "e",
          "/aws/lambda/f",
          "2026/11/24/[$LATEST]ab\u0000é",
          timestamp,
          seq,
        );
        assert.deepEqual(eventKey(prefix, timestamp, seq), expected, `${timestamp}, ${seq}`);
      }
    }
    assert.throws(() => eventKey(prefix, -1, 1), RangeError);
    assert.throws(() => eventKey(prefix, 1.5, 1), RangeError);
  });

  it("stores each event as {m, i} JSON under (timestamp, seq) and keeps the stream record", async () => {
    const storage = openMemoryStore();
    const store = logsStore(storage);
    const message = 'quote " backslash \\ tab \t newline \n é 😀\n';
    await store.appendEvents(ACCOUNT, REGION, "g", "s", [
      { timestamp: 2000, message },
      { timestamp: 1000, message: "b\n" },
    ]);
    const entries: { key: Uint8Array; value: string }[] = [];
    for await (const e of storage.range(tupleRange("logs", ACCOUNT, REGION, "e", "g", "s"))) {
      entries.push({ key: e.key, value: Buffer.from(e.value).toString("utf8") });
    }
    const ingestion = store.nowMs();
    assert.deepEqual(entries, [
      {
        key: tuple("logs", ACCOUNT, REGION, "e", "g", "s", 1000, 2),
        value: JSON.stringify({ m: "b\n", i: ingestion }),
      },
      {
        key: tuple("logs", ACCOUNT, REGION, "e", "g", "s", 2000, 1),
        value: JSON.stringify({ m: message, i: ingestion }),
      },
    ]);
    const stream = await store.getStream(storage, ACCOUNT, REGION, "g", "s");
    assert.deepEqual(stream, {
      name: "s",
      creationTime: ingestion,
      storedBytes: Buffer.byteLength(message) + 2,
      seq: 2,
      firstEventTimestamp: 1000,
      lastEventTimestamp: 2000,
      lastIngestionTime: ingestion,
    });
  });

  it("stores events larger than the scratch buffer whole, before and after smaller ones", async () => {
    const storage = openMemoryStore();
    const store = logsStore(storage);
    const big = `${'é😀"'.repeat(30_000)}\n`;
    await store.appendEvents(ACCOUNT, REGION, "g", "s", [
      { timestamp: 1, message: "small\n" },
      { timestamp: 2, message: big },
      { timestamp: 3, message: "after\n" },
    ]);
    const messages: string[] = [];
    for await (const e of store.events(storage, ACCOUNT, REGION, "g", "s", {})) messages.push(e.message);
    assert.deepEqual(messages, ["small\n", big, "after\n"]);
  });

  it("appendBatch writes several streams and groups in one transaction, in order per stream", async () => {
    const storage = counting(openMemoryStore());
    const store = logsStore(storage);
    await store.appendBatch([
      {
        account: ACCOUNT,
        region: REGION,
        group: "g1",
        stream: "a",
        events: [{ timestamp: 5, message: "1\n" }],
      },
      {
        account: ACCOUNT,
        region: REGION,
        group: "g1",
        stream: "b",
        events: [{ timestamp: 5, message: "2\n" }],
      },
      {
        account: ACCOUNT,
        region: REGION,
        group: "g1",
        stream: "a",
        events: [{ timestamp: 5, message: "3\n" }],
      },
      {
        account: "111111111111",
        region: REGION,
        group: "g2",
        stream: "c",
        events: [{ timestamp: -3, message: "4\n" }],
      },
    ]);
    assert.equal(storage.transactions, 1);
    const read = async (account: string, group: string, stream: string) => {
      const out: string[] = [];
      for await (const e of store.events(storage, account, REGION, group, stream, {}))
        out.push(`${e.timestamp}/${e.seq}/${e.message}`);
      return out;
    };
    assert.deepEqual(await read(ACCOUNT, "g1", "a"), ["5/1/1\n", "5/2/3\n"]);
    assert.deepEqual(await read(ACCOUNT, "g1", "b"), ["5/1/2\n"]);
    assert.deepEqual(await read("111111111111", "g2", "c"), ["0/1/4\n"], "negative timestamps clamp to 0");
    assert.ok(await store.getGroup(storage, ACCOUNT, REGION, "g1"));
    assert.ok(await store.getGroup(storage, "111111111111", REGION, "g2"));
  });
});
