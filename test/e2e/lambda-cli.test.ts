/**
 * Lambda as a user drives it from a shell: the AWS CLI v2 (Debian's awscli, /usr/bin/aws; .ci/run
 * installs it) creates a function from a zip file, invokes it into an output file and tails its
 * CloudWatch log group; then `stratus logs` prints the same events, once and with --follow.
 */
import assert from "node:assert/strict";
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { makeZip, ROLE, uniqueName } from "../integration/lambda/helpers.ts";
import { AWS_CLI, AWS_CLI_ENV } from "../support/aws-cli.ts";
import { STRATUS_BIN } from "../support/cli-process.ts";
import { useStratus } from "../support/stratus.ts";

const run = promisify(execFile);
const AWS = AWS_CLI;
const CLI_ENV = AWS_CLI_ENV;
/** `stratus logs` lines: ISO time, stream, message. */
const LOG_LINE =
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z \d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32} /;

const HANDLER = `exports.handler = async (event, context) => {
  console.log("hello from", event.name);
  return { greeting: "hi " + event.name, requestId: context.awsRequestId };
};
`;

describe("AWS CLI v2 and stratus logs: lambda", {
  skip: existsSync(AWS) ? false : `${AWS} is not installed (.ci/run installs it)`,
}, () => {
  const stratus = useStratus({ inMemory: true });
  let dir = "";
  const children: ChildProcess[] = [];
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "stratus-lambda-cli-"));
  });
  after(async () => {
    for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
    await rm(dir, { recursive: true, force: true });
  });

  async function aws(...args: string[]): Promise<string> {
    const { stdout } = await run(AWS, ["--endpoint-url", stratus.url, "--output", "json", ...args], {
      env: CLI_ENV,
      cwd: dir,
      timeout: 60_000,
    });
    return stdout;
  }

  async function stratusLogs(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    try {
      const { stdout, stderr } = await run(
        process.execPath,
        [STRATUS_BIN, "logs", ...args, "--endpoint", stratus.url],
        { timeout: 60_000 },
      );
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code?: number; stdout?: string; stderr?: string };
      return { code: failed.code ?? -1, stdout: failed.stdout ?? "", stderr: failed.stderr ?? "" };
    }
  }

  /** Runs `attempt` until it returns a value, every 250 ms, for at most `waitMs`. */
  async function eventually<T>(what: string, attempt: () => Promise<T | undefined>, waitMs = 20_000) {
    const deadline = Date.now() + waitMs;
    for (;;) {
      const value = await attempt();
      if (value !== undefined) return value;
      if (Date.now() > deadline) assert.fail(`${what}: not within ${waitMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  it("creates, invokes and tails a function's logs with the AWS CLI, then stratus logs prints them", async () => {
    const name = uniqueName("cli");
    await writeFile(join(dir, "f.zip"), makeZip({ "index.js": HANDLER }));
    const created = JSON.parse(
      await aws(
        "lambda",
        "create-function",
        "--function-name",
        name,
        "--runtime",
        "nodejs20.x",
        "--role",
        ROLE,
        "--handler",
        "index.handler",
        "--zip-file",
        "fileb://f.zip",
      ),
    ) as Record<string, unknown>;
    assert.equal(created.FunctionName, name);
    assert.equal(created.Runtime, "nodejs20.x");
    assert.equal(created.FunctionArn, `arn:aws:lambda:us-east-1:000000000000:function:${name}`);
    await aws("lambda", "wait", "function-active-v2", "--function-name", name);

    const printed = JSON.parse(
      await aws(
        "lambda",
        "invoke",
        "--function-name",
        name,
        "--cli-binary-format",
        "raw-in-base64-out",
        "--payload",
        '{"name":"cli"}',
        "--log-type",
        "Tail",
        "out.json",
      ),
    ) as Record<string, unknown>;
    assert.equal(printed.StatusCode, 200);
    assert.equal(printed.ExecutedVersion, "$LATEST");
    assert.equal(printed.FunctionError, undefined);
    const tail = Buffer.from(String(printed.LogResult), "base64").toString("utf8");
    assert.match(tail, /^START RequestId: [0-9a-f-]{36} Version: \$LATEST\n/);
    const output = JSON.parse(await readFile(join(dir, "out.json"), "utf8")) as Record<string, unknown>;
    assert.equal(output.greeting, "hi cli");
    const requestId = String(output.requestId);

    // aws logs tail: "TIMESTAMP STREAM MESSAGE" per event, as it prints them.
    const tailed = await eventually("aws logs tail shows the REPORT line", async () => {
      const text = await aws("logs", "tail", `/aws/lambda/${name}`, "--since", "10m").catch(() => "");
      return text.includes(`REPORT RequestId: ${requestId}`) ? text : undefined;
    });
    assert.match(
      tailed,
      new RegExp(`\\[\\$LATEST\\][0-9a-f]{32} START RequestId: ${requestId} Version: \\$LATEST`),
    );
    assert.match(tailed, new RegExp(`\\t${requestId}\\tINFO\\thello from cli`));
    assert.match(tailed, /INIT_START Runtime Version: nodejs:20\.v\d+\tRuntime Version ARN: /);

    const once = await stratusLogs(name);
    assert.equal(once.code, 0, once.stderr);
    const lines = once.stdout.trimEnd().split("\n");
    assert.ok(lines.length >= 5, once.stdout);
    for (const line of lines) assert.match(line, LOG_LINE);
    const messages = lines.map((line) => line.replace(LOG_LINE, ""));
    assert.match(messages[0] ?? "", /^INIT_START Runtime Version: nodejs:20/);
    assert.ok(messages.includes(`START RequestId: ${requestId} Version: $LATEST`), once.stdout);
    assert.ok(messages.some((m) => m.endsWith(`\t${requestId}\tINFO\thello from cli`)));
    assert.ok(messages.includes(`END RequestId: ${requestId}`));
    assert.ok(messages.some((m) => m.startsWith(`REPORT RequestId: ${requestId}\tDuration: `)));
  });

  it("stratus logs --follow prints new invokes until SIGINT, and a function without logs is an error", async () => {
    const name = uniqueName("cli");
    await writeFile(join(dir, "g.zip"), makeZip({ "index.js": HANDLER }));
    await aws(
      "lambda",
      "create-function",
      "--function-name",
      name,
      "--runtime",
      "nodejs20.x",
      "--role",
      ROLE,
      "--handler",
      "index.handler",
      "--zip-file",
      "fileb://g.zip",
    );

    const missing = await stratusLogs(name);
    assert.equal(missing.code, 1);
    assert.equal(missing.stderr, `stratus logs: no logs yet: log group /aws/lambda/${name} does not exist\n`);

    const follower = spawn(
      process.execPath,
      [STRATUS_BIN, "logs", name, "--follow", "--endpoint", stratus.url],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    children.push(follower);
    let stdout = "";
    let stderr = "";
    follower.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    follower.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => follower.once("exit", (code) => resolve(code)));

    // Started before the function ever ran: it waits for the group, then prints each invoke.
    await eventually("stratus logs --follow waits for the group", async () =>
      stderr.includes(`waiting for log group /aws/lambda/${name}`) ? true : undefined,
    );
    for (const who of ["first", "second"]) {
      await aws(
        "lambda",
        "invoke",
        "--function-name",
        name,
        "--cli-binary-format",
        "raw-in-base64-out",
        "--payload",
        JSON.stringify({ name: who }),
        `${who}.json`,
      );
      const { requestId } = JSON.parse(await readFile(join(dir, `${who}.json`), "utf8")) as {
        requestId: string;
      };
      await eventually(`--follow prints the ${who} invoke`, async () =>
        stdout.includes(`REPORT RequestId: ${requestId}\t`) &&
        stdout.includes(`\t${requestId}\tINFO\thello from ${who}\n`)
          ? true
          : undefined,
      );
    }
    const starts = stdout.split("\n").filter((line) => line.includes(" START RequestId: "));
    assert.equal(starts.length, 2, `each event printed once:\n${stdout}`);
    follower.kill("SIGINT");
    assert.equal(await exited, 0);
  });
});
