/**
 * Durability: an event Invoke acknowledged (202) survives Stratus stopping before it ran, and a retry
 * that was waiting when Stratus stopped happens after the restart, with its attempt count and request id.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { InvokeCommand, LambdaClient, PutFunctionEventInvokeConfigCommand } from "@aws-sdk/client-lambda";
import { type RunningStratus, startStratus } from "../../../../src/server.ts";
import { clientConfigFor } from "../../../support/stratus.ts";
import { waitForReports } from "../logs/support.ts";
import {
  createNodeFunction,
  FAILS_ONCE_JS,
  RECORDING_JS,
  readLines,
  SLOW_JS,
  waitForLines,
} from "./support.ts";

// Long enough that the retry is still waiting when the first Stratus stops.
process.env.STRATUS_LAMBDA_ASYNC_RETRY_BASE_MS = "3000";

const ARN = "arn:aws:lambda:us-east-1:000000000000:function";

/** Runs `steps` against a Stratus on `dataDir`, then stops it. */
async function withStratus(
  dataDir: string,
  steps: (lambda: LambdaClient, logs: CloudWatchLogsClient) => Promise<void>,
): Promise<void> {
  const server: RunningStratus = await startStratus({ port: 0, dataDir, logLevel: "silent" });
  const lambda = new LambdaClient(clientConfigFor(server.url));
  const logs = new CloudWatchLogsClient(clientConfigFor(server.url));
  try {
    await steps(lambda, logs);
  } finally {
    lambda.destroy();
    logs.destroy();
    await server.close();
  }
}

describe("Lambda asynchronous invocation across restarts", () => {
  it("runs an acknowledged event after a restart when Stratus stopped before it finished", async () => {
    const dir = await mkdtemp(join(tmpdir(), "stratus-async-restart-"));
    const out = join(dir, "slow.jsonl");
    try {
      let requestId: string | undefined;
      await withStratus(join(dir, "data"), async (lambda) => {
        await createNodeFunction(lambda, "slow", SLOW_JS, { OUT: out, SLEEP_MS: "1500" });
        const accepted = await lambda.send(
          new InvokeCommand({
            FunctionName: "slow",
            InvocationType: "Event",
            Payload: Buffer.from('{"keep":1}'),
          }),
        );
        assert.equal(accepted.StatusCode, 202);
        requestId = accepted.$metadata.requestId;
      });
      // Stopped at once: the event had not finished.
      assert.deepEqual(readLines(out), []);
      await withStratus(join(dir, "data"), async () => {
        const [line] = await waitForLines(out, 1);
        assert.equal(line?.requestId, requestId);
        assert.deepEqual(line?.event, { keep: 1 });
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("keeps a waiting retry across a restart, with its attempt count", async () => {
    const dir = await mkdtemp(join(tmpdir(), "stratus-async-restart-"));
    const attempts = join(dir, "flaky.jsonl");
    const out = join(dir, "dest.jsonl");
    try {
      let requestId: string | undefined;
      await withStratus(join(dir, "data"), async (lambda, logs) => {
        await createNodeFunction(lambda, "flaky", FAILS_ONCE_JS, {
          OUT: attempts,
          MARKER: join(dir, "marker"),
        });
        await createNodeFunction(lambda, "dest", RECORDING_JS, { OUT: out });
        await lambda.send(
          new PutFunctionEventInvokeConfigCommand({
            FunctionName: "flaky",
            DestinationConfig: { OnSuccess: { Destination: `${ARN}:dest` } },
          }),
        );
        const accepted = await lambda.send(
          new InvokeCommand({
            FunctionName: "flaky",
            InvocationType: "Event",
            Payload: Buffer.from('{"n":7}'),
          }),
        );
        requestId = accepted.$metadata.requestId;
        // The first attempt fails; stop while its retry waits. Its line is written before it throws, and
        // an attempt still running at a stop is run again uncounted (at least once, async-queue.ts): wait
        // for its REPORT, then for the retry to be stored, which follows within a commit.
        await waitForLines(attempts, 1);
        await waitForReports(logs, "/aws/lambda/flaky", [requestId as string]);
        await sleep(300);
      });
      assert.equal(readLines(attempts).length, 1);
      await withStratus(join(dir, "data"), async () => {
        const [delivered] = await waitForLines(out, 1);
        const record = delivered?.event as Record<string, unknown>;
        assert.deepEqual(record.requestContext, {
          requestId,
          functionArn: `${ARN}:flaky:$LATEST`,
          condition: "Success",
          approximateInvokeCount: 2,
        });
        assert.deepEqual(record.responsePayload, { recovered: true });
        assert.deepEqual(
          readLines(attempts).map((a) => a.requestId),
          [requestId, requestId],
        );
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
