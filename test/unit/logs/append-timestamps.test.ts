/**
 * LogsStore.appendBatch hands events whose timestamps a key can hold (non-negative safe integers)
 * to the store as they are, and clamps the others (fractions truncated, negatives to 0, past
 * TIMESTAMP_MAX to it) in a copy, never in the caller's objects.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ManualClock } from "../../../src/aws/clock.ts";
import { createLogger } from "../../../src/log.ts";
import { type AppendEvent, LogsStore, TIMESTAMP_MAX } from "../../../src/services/logs/store.ts";
import { openMemoryStore } from "../../../src/storage/memory-engine.ts";

const ACCOUNT = "000000000000";
const REGION = "us-east-1";

describe("logs store appendBatch timestamps", () => {
  it("keeps integer timestamps, clamps the others, and leaves the caller's events alone", async () => {
    const storage = openMemoryStore();
    const clock = new ManualClock(new Date("2026-11-24T12:00:00.000Z"));
    const store = new LogsStore({ storage, clock, logger: createLogger("silent") }, { sweepIntervalMs: 0 });
    const clean: AppendEvent[] = [
      { timestamp: 7, message: "a\n" },
      { timestamp: 0, message: "b\n" },
    ];
    const unclean: AppendEvent[] = [
      { timestamp: 9.75, message: "c\n" },
      { timestamp: -1, message: "d\n" },
      { timestamp: TIMESTAMP_MAX + 10, message: "e\n" },
      { timestamp: 3, message: "f\n" },
    ];
    await store.appendBatch([
      { account: ACCOUNT, region: REGION, group: "g", stream: "clean", events: clean },
      { account: ACCOUNT, region: REGION, group: "g", stream: "unclean", events: unclean },
    ]);
    const read = async (stream: string) => {
      const out: string[] = [];
      for await (const e of store.events(storage, ACCOUNT, REGION, "g", stream, {}))
        out.push(`${e.timestamp}/${e.seq}/${e.message}`);
      return out;
    };
    assert.deepEqual(await read("clean"), ["0/2/b\n", "7/1/a\n"]);
    assert.deepEqual(await read("unclean"), ["0/2/d\n", "3/4/f\n", "9/1/c\n", `${TIMESTAMP_MAX}/3/e\n`]);
    assert.equal(unclean[0]!.timestamp, 9.75, "the caller's events are not changed");
    assert.equal(unclean[1]!.timestamp, -1);
    const record = await store.getStream(storage, ACCOUNT, REGION, "g", "unclean");
    assert.equal(record?.firstEventTimestamp, 0);
    assert.equal(record?.lastEventTimestamp, TIMESTAMP_MAX);
  });
});
