/**
 * FunctionLogSink with an appender that has appendBatch (LogsStore does): one write per flush for
 * every pending stream, slices of at most eventsPerWriteMax events, and stream-by-stream writes when
 * a batch fails, so that one failing stream loses no other stream's events.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createLogger } from "../../../src/log.ts";
import {
  FunctionLogSink,
  type LogAppender,
  type LogDestination,
} from "../../../src/services/lambda/logs/log-sink.ts";
import type { AppendEvent, StreamAppend } from "../../../src/services/logs/store.ts";

type Write = { kind: "batch" | "one"; streams: string[]; events: number };

function recorder(
  fail?: (streams: string[]) => boolean,
): LogAppender & { writes: Write[]; stored: Map<string, string[]> } {
  const writes: Write[] = [];
  const stored = new Map<string, string[]>();
  const keep = (stream: string, events: readonly AppendEvent[]) =>
    stored.set(stream, [...(stored.get(stream) ?? []), ...events.map((e) => e.message)]);
  return {
    writes,
    stored,
    async appendEvents(_account, _region, _group, stream, events) {
      await new Promise((resolve) => setImmediate(resolve));
      if (fail?.([stream])) throw new Error("disk full");
      writes.push({ kind: "one", streams: [stream], events: events.length });
      keep(stream, events);
    },
    async appendBatch(appends: readonly StreamAppend[]) {
      await new Promise((resolve) => setImmediate(resolve));
      const streams = appends.map((a) => a.stream);
      if (fail?.(streams)) throw new Error("disk full");
      writes.push({ kind: "batch", streams, events: appends.reduce((n, a) => n + a.events.length, 0) });
      for (const a of appends) keep(a.stream, a.events);
    },
  };
}

const silent = createLogger("silent");
const to = (stream: string): LogDestination => ({
  accountId: "000000000000",
  region: "us-east-1",
  group: "/aws/lambda/f",
  stream,
});
const event = (message: string): AppendEvent => ({ timestamp: 1, message });

describe("function log sink, batched", () => {
  it("writes every pending stream in one batch", async () => {
    const appender = recorder();
    const sink = new FunctionLogSink(appender, silent, { flushDelayMs: 10_000 });
    for (const s of ["a", "b", "c"]) {
      sink.append(to(s), event(`${s}1\n`));
      sink.append(to(s), event(`${s}2\n`));
    }
    await sink.flush();
    assert.deepEqual(appender.writes, [{ kind: "batch", streams: ["a", "b", "c"], events: 6 }]);
    assert.deepEqual(appender.stored.get("b"), ["b1\n", "b2\n"]);
  });

  it("keeps batches within eventsPerWriteMax, a long stream cut into slices in order", async () => {
    const appender = recorder();
    const sink = new FunctionLogSink(appender, silent, { flushDelayMs: 10_000, eventsPerWriteMax: 3 });
    for (let i = 0; i < 5; i++) sink.append(to("long"), event(`${i}\n`));
    sink.append(to("x"), event("x\n"));
    sink.append(to("y"), event("y\n"));
    await sink.flush();
    assert.deepEqual(appender.writes, [
      { kind: "one", streams: ["long"], events: 3 },
      { kind: "batch", streams: ["long", "x"], events: 3 },
      { kind: "one", streams: ["y"], events: 1 },
    ]);
    assert.deepEqual(appender.stored.get("long"), ["0\n", "1\n", "2\n", "3\n", "4\n"]);
  });

  it("writes a failed batch stream by stream: only the failing stream's events are lost", async () => {
    const appender = recorder((streams) => streams.includes("bad"));
    const sink = new FunctionLogSink(appender, silent, { flushDelayMs: 10_000 });
    for (const s of ["a", "bad", "c"]) sink.append(to(s), event(`${s}\n`));
    await sink.flush();
    assert.deepEqual(appender.writes, [
      { kind: "one", streams: ["a"], events: 1 },
      { kind: "one", streams: ["c"], events: 1 },
    ]);
    assert.equal(appender.stored.get("bad"), undefined);
    assert.equal(sink.pendingCount, 0);
  });
});
