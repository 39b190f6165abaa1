/**
 * The log path without a server: EnvironmentLog's line splitting and FunctionLogSink's batching,
 * limits and failure handling, against an appender that records its calls.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createLogger } from "../../../../src/log.ts";
import type { InvokeResult } from "../../../../src/services/lambda/environments/environment.ts";
import { EnvironmentLog, EVENT_BYTES_MAX } from "../../../../src/services/lambda/logs/environment-log.ts";
import {
  FunctionLogSink,
  type LogAppender,
  type LogDestination,
} from "../../../../src/services/lambda/logs/log-sink.ts";
import type { AppendEvent } from "../../../../src/services/logs/store.ts";

interface Call {
  stream: string;
  events: AppendEvent[];
}

function recorder(fail?: (stream: string) => boolean): LogAppender & { calls: Call[] } {
  const calls: Call[] = [];
  return {
    calls,
    async appendEvents(_account, _region, _group, stream, events) {
      await new Promise((resolve) => setImmediate(resolve));
      if (fail?.(stream)) throw new Error("disk full");
      calls.push({ stream, events: [...events] });
    },
  };
}

const silent = createLogger("silent");
const destination = (stream: string): LogDestination => ({
  accountId: "000000000000",
  region: "us-east-1",
  group: "/aws/lambda/f",
  stream,
});
const context = { runtime: "nodejs20.x", version: "$LATEST", memorySizeMB: 128, timeoutSeconds: 3 };
const result = (over: Partial<InvokeResult> = {}): InvokeResult => ({
  payload: Buffer.from("{}"),
  ending: "success",
  logs: "",
  durationMs: 1.5,
  maxMemoryUsedMB: 40,
  ...over,
});
const messages = (calls: Call[]) => calls.flatMap((c) => c.events.map((e) => e.message));

describe("function log sink", () => {
  it("splits output into one event per line and keeps a partial line until its newline", async () => {
    const appender = recorder();
    const sink = new FunctionLogSink(appender, silent, { flushDelayMs: 10_000 });
    const log = new EnvironmentLog(sink, destination("s"), context);
    log.invokeStart("r1");
    log.output("a\nb");
    log.output("c\n\nd\r");
    log.output("\n");
    log.output("tail without newline");
    log.invokeEnd("r1", result());
    await sink.flush();
    assert.deepEqual(messages(appender.calls), [
      "START RequestId: r1 Version: $LATEST\n",
      "a\n",
      "bc\n",
      "d\r\n",
      "tail without newline\n",
      "END RequestId: r1\n",
      "REPORT RequestId: r1\tDuration: 1.50 ms\tBilled Duration: 2 ms\tMemory Size: 128 MB\tMax Memory Used: 40 MB\t\n",
    ]);
    assert.equal(appender.calls.length, 1, "one write for the stream");
  });

  it("cuts a line longer than CloudWatch's event limit into events that fit", async () => {
    const appender = recorder();
    const sink = new FunctionLogSink(appender, silent);
    const log = new EnvironmentLog(sink, destination("s"), context);
    log.output(`${"é".repeat(EVENT_BYTES_MAX)}\n`);
    await sink.flush();
    const sizes = messages(appender.calls).map((m) => Buffer.byteLength(m));
    assert.equal(sizes.length, 3);
    assert.ok(sizes.every((size) => size <= EVENT_BYTES_MAX));
    assert.equal(
      sizes.reduce((a, b) => a + b, 0),
      EVENT_BYTES_MAX * 2 + 3,
    );
  });

  it("batches many invokes into few writes, one per stream, and flushes soon after an invoke ends", async () => {
    const appender = recorder();
    const sink = new FunctionLogSink(appender, silent, { flushDelayMs: 60_000 });
    const a = new EnvironmentLog(sink, destination("a"), context);
    const b = new EnvironmentLog(sink, destination("b"), context);
    for (let i = 0; i < 50; i++) {
      a.invokeStart(`a${i}`);
      a.invokeEnd(`a${i}`, result());
      b.invokeStart(`b${i}`);
      b.invokeEnd(`b${i}`, result());
    }
    // No explicit flush: invokeEnd asked for one; wait (bounded) for it.
    const deadline = Date.now() + 5000;
    while (messages(appender.calls).length < 300 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    assert.equal(messages(appender.calls).length, 300);
    assert.deepEqual(appender.calls.map((c) => c.stream).sort(), ["a", "b"]);
  });

  it("drops events past pendingEventsMax, survives a failing write and writes the rest at close", async () => {
    const warnings: string[] = [];
    const logger = createLogger("warn", (line) => warnings.push(line));
    const appender = recorder((stream) => stream === "broken");
    const sink = new FunctionLogSink(appender, logger, { flushDelayMs: 60_000, pendingEventsMax: 3 });
    for (const stream of ["broken", "ok", "ok", "ok"]) {
      sink.append(destination(stream), { timestamp: 1, message: `${stream}\n` });
    }
    assert.equal(sink.pendingCount, 3);
    await sink.close();
    assert.deepEqual(messages(appender.calls), ["ok\n", "ok\n"]);
    assert.ok(warnings.some((w) => w.includes("dropped 1 events")));
    assert.ok(
      warnings.some((w) =>
        w.includes("1 events for /aws/lambda/f broken were not written: Error: disk full"),
      ),
    );
    sink.append(destination("ok"), { timestamp: 2, message: "late\n" });
    assert.equal(sink.pendingCount, 0, "closed: ignored");
  });

  it("writes the timeout lines of log-lines.ts", async () => {
    const appender = recorder();
    const sink = new FunctionLogSink(appender, silent);
    const log = new EnvironmentLog(sink, destination("s"), context);
    log.initStart();
    log.invokeStart("r2");
    log.invokeEnd("r2", result({ ending: "timeout", durationMs: 3000.25, initDurationMs: 80 }));
    await sink.flush();
    const all = messages(appender.calls);
    assert.match(
      all[0] ?? "",
      /^INIT_START Runtime Version: nodejs:20\.v1\tRuntime Version ARN: arn:aws:lambda:us-east-1::runtime:[0-9a-f]{64}\n$/,
    );
    assert.match(all[2] ?? "", /^\d{4}-.+Z r2 Task timed out after 3\.00 seconds\n$/);
    assert.equal(
      all[4],
      "REPORT RequestId: r2\tDuration: 3000.25 ms\tBilled Duration: 3081 ms\tMemory Size: 128 MB\tMax Memory Used: 40 MB\tInit Duration: 80.00 ms\tStatus: timeout\t\n",
    );
  });
});
