/**
 * The AWS CLI v2 (Debian's awscli, /usr/bin/aws) reading events another service appended in-process,
 * as `aws logs tail` will read Lambda's function logs.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { describe, it } from "node:test";
import { promisify } from "node:util";
import { systemClock } from "../../../src/aws/clock.ts";
import { createLogger } from "../../../src/log.ts";
import { LogsStore } from "../../../src/services/logs/index.ts";
import { useStratus } from "../../support/stratus.ts";

const run = promisify(execFile);
const AWS = "/usr/bin/aws";

describe("AWS CLI v2: logs tail", { skip: existsSync(AWS) ? false : `${AWS} is not installed` }, () => {
  const stratus = useStratus({ inMemory: true });

  it("tails events appended in-process", async () => {
    const store = new LogsStore(
      { storage: stratus.server.storage, clock: systemClock, logger: createLogger("silent") },
      { sweepIntervalMs: 0 },
    );
    const group = "/aws/lambda/tailed";
    const stream = "2026/11/24/[$LATEST]0123456789abcdef";
    const now = Date.now();
    await store.appendEvents("000000000000", stratus.region, group, stream, [
      { timestamp: now - 2000, message: "START RequestId: r1 Version: $LATEST" },
      { timestamp: now - 1000, message: "hello from the function" },
      { timestamp: now, message: "END RequestId: r1" },
    ]);
    const { stdout } = await run(
      AWS,
      ["--endpoint-url", stratus.url, "logs", "tail", group, "--since", "1h"],
      {
        env: {
          PATH: process.env.PATH ?? "",
          HOME: process.env.HOME ?? "/tmp",
          AWS_ACCESS_KEY_ID: "test",
          AWS_SECRET_ACCESS_KEY: "test",
          AWS_DEFAULT_REGION: stratus.region,
          AWS_PAGER: "",
        },
        timeout: 60_000,
      },
    );
    const lines = stdout.trim().split("\n");
    assert.equal(lines.length, 3, stdout);
    assert.match(
      lines[0] ?? "",
      /^\S+ 2026\/11\/24\/\[\$LATEST\]0123456789abcdef START RequestId: r1 Version: \$LATEST$/,
    );
    assert.match(lines[1] ?? "", / hello from the function$/);
    assert.match(lines[2] ?? "", / END RequestId: r1$/);
  });
});
