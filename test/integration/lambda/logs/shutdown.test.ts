/**
 * Function logs queued when Stratus stops are written before storage closes: a restart on the same
 * data dir reads every invoke's lines.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { CloudWatchLogsClient, FilterLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { startStratus } from "../../../../src/server.ts";
import { clientConfigFor } from "../../../support/stratus.ts";
import { createFunction, invokeJson } from "./support.ts";

describe("Lambda function logs at shutdown", () => {
  it("writes the last invokes' lines while stopping, and they survive a restart", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "stratus-lambda-logs-restart-"));
    try {
      const first = await startStratus({ port: 0, dataDir, logLevel: "silent" });
      const lambda = new LambdaClient(clientConfigFor(first.url));
      const requestIds: string[] = [];
      let name = "";
      try {
        name = await createFunction(lambda, {
          "index.js": 'exports.handler = async (e) => { console.log("n", e.n); return e; };\n',
        });
        // Back to back: the last invokes' lines are still queued (flushes are at least 50 ms apart)
        // when close() starts.
        for (let n = 0; n < 5; n++) {
          const out = await invokeJson(lambda, { FunctionName: name, Payload: Buffer.from(`{"n":${n}}`) });
          requestIds.push(out.requestId);
        }
      } finally {
        lambda.destroy();
        await first.close();
      }
      const second = await startStratus({ port: 0, dataDir, logLevel: "silent" });
      const logs = new CloudWatchLogsClient(clientConfigFor(second.url));
      try {
        const page = await logs.send(new FilterLogEventsCommand({ logGroupName: `/aws/lambda/${name}` }));
        const messages = (page.events ?? []).map((e) => e.message ?? "");
        for (const [n, id] of requestIds.entries()) {
          assert.ok(messages.includes(`START RequestId: ${id} Version: $LATEST\n`), `START ${n}`);
          assert.ok(
            messages.some((m) => m.endsWith(`\t${id}\tINFO\tn ${n}\n`)),
            `output ${n}`,
          );
          assert.ok(
            messages.some((m) => m.startsWith(`REPORT RequestId: ${id}\t`)),
            `REPORT ${n}`,
          );
        }
      } finally {
        logs.destroy();
        await second.close();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
