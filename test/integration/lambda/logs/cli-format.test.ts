/**
 * `stratus logs` without a server: --since parsing and the line it prints per event.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatEvent, parseSince, runLogs } from "../../../../src/cli/logs.ts";

describe("stratus logs formatting", () => {
  it("reads --since as a duration before now or as an ISO time", () => {
    const now = Date.UTC(2026, 10, 24, 12, 0, 0);
    assert.equal(parseSince("30s", now), now - 30_000);
    assert.equal(parseSince("10m", now), now - 600_000);
    assert.equal(parseSince("2h", now), now - 7_200_000);
    assert.equal(parseSince("1d", now), now - 86_400_000);
    assert.equal(parseSince("1w", now), now - 604_800_000);
    assert.equal(parseSince("2026-11-24T11:00:00Z", now), Date.UTC(2026, 10, 24, 11, 0, 0));
    assert.equal(parseSince("yesterday", now), undefined);
    assert.equal(parseSince("10x", now), undefined);
    assert.equal(parseSince("2026-99-99", now), undefined);
  });

  it("prints TIMESTAMP STREAM MESSAGE without the final newline, \\r as a line break", () => {
    const stream = "2026/11/24/[$LATEST]0123456789abcdef0123456789abcdef";
    const timestamp = Date.UTC(2026, 10, 24, 18, 23, 24, 123);
    assert.equal(
      formatEvent({ timestamp, logStreamName: stream, message: "END RequestId: r1\n" }),
      `2026-11-24T18:23:24.123Z ${stream} END RequestId: r1\n`,
    );
    assert.equal(
      formatEvent({ timestamp, logStreamName: stream, message: "a\rb\r\nc\n" }),
      `2026-11-24T18:23:24.123Z ${stream} a\nb\nc\n`,
    );
  });

  it("answers bad arguments with one line and status 1, --help with the usage", async () => {
    const run = async (...args: string[]) => {
      let out = "";
      let err = "";
      const code = await runLogs(args, {
        stdout: (t) => {
          out += t;
        },
        stderr: (t) => {
          err += t;
        },
        signal: new AbortController().signal,
      });
      return { code, out, err };
    };
    assert.deepEqual(await run(), {
      code: 1,
      out: "",
      err: "stratus logs: name one function (try: stratus logs --help)\n",
    });
    assert.deepEqual(await run("fn", "--since", "yesterday"), {
      code: 1,
      out: "",
      err: "stratus logs: --since must be a duration such as 10m, 2h or 1d, or an ISO time, not 'yesterday'\n",
    });
    assert.equal(
      (await run("fn", "--endpoint", "localhost:4566")).err.includes("--endpoint must be a URL"),
      true,
    );
    assert.equal((await run("fn", "--bogus")).code, 1);
    const help = await run("--help");
    assert.equal(help.code, 0);
    assert.match(help.out, /^Usage: stratus logs FUNCTION \[options\]/);
  });

  it("reports an endpoint where nothing listens in one line", async () => {
    let err = "";
    const code = await runLogs(["fn", "--endpoint", "http://127.0.0.1:1"], {
      stdout: () => {},
      stderr: (t) => {
        err += t;
      },
      signal: new AbortController().signal,
    });
    assert.equal(code, 1);
    assert.match(
      err,
      /^stratus logs: cannot reach Stratus at http:\/\/127\.0\.0\.1:1 \(ECONNREFUSED\); is `stratus start` running\?\n$/,
    );
  });
});
