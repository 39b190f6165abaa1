/**
 * `stratus deploy` and `stratus destroy` as a user runs them: the example application
 * (examples/hello-app, a SAM template: HTTP API, a Node.js and a Python function, one DynamoDB table)
 * is deployed by `node bin/stratus.js deploy` as a child process against a started Stratus; its output
 * shows the events table, the outputs and the local URL, and the API then serves items written by the
 * Node.js function and listed by the Python one. Deploying again changes nothing; a failing template
 * rolls back with exit code 1; --watch updates a function's code when its file changes; `stratus
 * destroy` deletes the stack and its resources.
 */
import assert from "node:assert/strict";
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { DescribeStacksCommand } from "@aws-sdk/client-cloudformation";
import { ListTablesCommand } from "@aws-sdk/client-dynamodb";
import { InvokeCommand } from "@aws-sdk/client-lambda";
import { ListObjectsV2Command } from "@aws-sdk/client-s3";
import { STRATUS_BIN } from "../support/cli-process.ts";
import { startTestStratus, type TestStratus } from "../support/stratus.ts";

const run = promisify(execFile);
const REPO = new URL("../..", import.meta.url).pathname;
const EXAMPLE = "examples/hello-app/template.yaml";
/** Each command's bound: a deploy of the example takes seconds. */
const COMMAND_TIMEOUT_MS = 180_000;

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

async function stratusCommand(args: string[], cwd = REPO): Promise<Outcome> {
  try {
    const { stdout, stderr } = await run(process.execPath, [STRATUS_BIN, ...args], {
      cwd,
      timeout: COMMAND_TIMEOUT_MS,
      maxBuffer: 16 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return {
      code: typeof failed.code === "number" ? failed.code : -1,
      stdout: failed.stdout ?? "",
      stderr: failed.stderr ?? "",
    };
  }
}

/** The outcome, shown in full when an assertion on it fails. */
function show(outcome: Outcome): string {
  return `exit ${outcome.code}\n--- stdout\n${outcome.stdout}\n--- stderr\n${outcome.stderr}`;
}

describe("stratus deploy and destroy: the hello-app example", () => {
  let stratus: TestStratus;
  let apiUrl = "";
  before(async () => {
    stratus = await startTestStratus({ inMemory: true });
  });
  after(async () => {
    await stratus?.close();
  });

  it("deploys the example: packages its code, shows the events, the outputs and the local URL", async () => {
    const outcome = await stratusCommand([
      "deploy",
      EXAMPLE,
      "--endpoint",
      stratus.url,
      "--stack-name",
      "hello",
    ]);
    assert.equal(outcome.code, 0, show(outcome));
    const out = outcome.stdout;
    // Both code folders went to the deploy bucket under their SHA-256.
    assert.match(
      out,
      /Uploaded [\d.]+ (B|KiB) to s3:\/\/stratus-deploy-000000000000-us-east-1\/[0-9a-f]{64}/,
      show(outcome),
    );
    const listed = await stratus
      .s3()
      .send(new ListObjectsV2Command({ Bucket: "stratus-deploy-000000000000-us-east-1" }));
    assert.equal(listed.KeyCount, 2);
    // The change set, then the events table, one row per event.
    assert.match(out, /^\+ Add +ItemsTable +AWS::DynamoDB::Table$/m, show(outcome));
    assert.match(out, /^ResourceStatus +ResourceType +LogicalResourceId +ResourceStatusReason$/m);
    assert.match(out, /^CREATE_IN_PROGRESS +AWS::DynamoDB::Table +ItemsTable /m, show(outcome));
    assert.match(out, /^CREATE_COMPLETE +AWS::DynamoDB::Table +ItemsTable /m);
    assert.match(out, /^CREATE_COMPLETE +AWS::Lambda::Function +ItemsFunction /m);
    assert.match(out, /^CREATE_COMPLETE +AWS::Lambda::Function +ListFunction /m);
    assert.match(out, /^CREATE_COMPLETE +AWS::ApiGatewayV2::Api +ItemsApi /m);
    assert.match(out, /^CREATE_COMPLETE +AWS::CloudFormation::Stack +hello /m);
    // The outputs, as sam deploy prints them, then the URLs that reach the API here.
    assert.match(out, /^CloudFormation outputs from deployed stack$/m);
    assert.match(out, /^Key +ApiUrl$/m);
    const apiId = /^Value +https:\/\/([a-z0-9]+)\.execute-api\.us-east-1\.amazonaws\.com\/$/m.exec(out)?.[1];
    assert.ok(apiId, show(outcome));
    const port = new URL(stratus.url).port;
    assert.match(out, /^ItemsApi \(AWS::ApiGatewayV2::Api, stage \$default\)$/m);
    assert.ok(out.includes(`  http://${apiId}.execute-api.localhost:${port}/\n`), show(outcome));
    apiUrl = `${stratus.url}/_aws/execute-api/${apiId}/`;
    assert.ok(out.includes(`  ${apiUrl}\n`), show(outcome));
    assert.match(out, /Successfully created\/updated stack - hello in us-east-1/);
  });

  it("serves the routes: the Node.js function writes and reads items, the Python function lists them", async () => {
    assert.ok(apiUrl, "the deploy above printed the API's URL");
    const created = await fetch(`${apiUrl}items`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "first" }),
      signal: AbortSignal.timeout(30_000),
    });
    const item = (await created.json()) as { id: string; name: string; createdBy: string };
    assert.equal(created.status, 201, JSON.stringify(item));
    assert.equal(item.name, "first");
    assert.equal(item.createdBy, "node");

    const read = await fetch(`${apiUrl}items/${item.id}`, { signal: AbortSignal.timeout(30_000) });
    assert.equal(read.status, 200);
    assert.deepEqual(await read.json(), item);
    const missing = await fetch(`${apiUrl}items/nope`, { signal: AbortSignal.timeout(30_000) });
    assert.equal(missing.status, 404);

    const list = await fetch(`${apiUrl}items`, { signal: AbortSignal.timeout(30_000) });
    assert.equal(list.status, 200);
    assert.deepEqual(await list.json(), { items: [item], count: 1 });
  });

  it("deploys again with nothing changed: the same artifacts, 'No changes to deploy', exit 0", async () => {
    const outcome = await stratusCommand([
      "deploy",
      EXAMPLE,
      "--endpoint",
      stratus.url,
      "--stack-name",
      "hello",
    ]);
    assert.equal(outcome.code, 0, show(outcome));
    assert.equal(
      outcome.stdout.match(/File with same data already exists at [0-9a-f]{64}, skipping upload/g)?.length,
      2,
    );
    assert.match(outcome.stdout, /No changes to deploy\. Stack hello is up to date/, show(outcome));
  });

  it("destroys the stack: its events until DELETE_COMPLETE, and its resources are gone", async () => {
    const outcome = await stratusCommand(["destroy", "hello", "--endpoint", stratus.url]);
    assert.equal(outcome.code, 0, show(outcome));
    assert.match(outcome.stdout, /^DELETE_COMPLETE +AWS::DynamoDB::Table +ItemsTable /m, show(outcome));
    assert.match(outcome.stdout, /^DELETE_COMPLETE +AWS::CloudFormation::Stack +hello /m, show(outcome));
    assert.match(outcome.stdout, /Deleted successfully/);
    await assert.rejects(
      stratus.cloudformation().send(new DescribeStacksCommand({ StackName: "hello" })),
      /does not exist/,
    );
    const tables = await stratus.dynamodb().send(new ListTablesCommand({}));
    assert.deepEqual(
      tables.TableNames?.filter((name) => name.startsWith("hello-")),
      [],
    );

    const again = await stratusCommand(["destroy", "hello", "--endpoint", stratus.url]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /Error: The input stack hello does not exist on Cloudformation/);
  });

  it("takes --parameter-overrides, names the stack after its folder, and prints function URLs", async () => {
    const dir = mkdtempSync(join(tmpdir(), "stratus-deploy-params-"));
    try {
      writeFileSync(
        join(dir, "template.yaml"),
        [
          "Transform: AWS::Serverless-2016-10-31",
          "Parameters:",
          "  Greeting:",
          "    Type: String",
          "Resources:",
          "  Greeter:",
          "    Type: AWS::Serverless::Function",
          "    Properties:",
          "      Runtime: nodejs22.x",
          "      Handler: index.handler",
          "      InlineCode: |",
          "        exports.handler = async () => ({ statusCode: 200, body: process.env.GREETING });",
          "      Environment:",
          "        Variables:",
          "          GREETING: !Ref Greeting",
          "      FunctionUrlConfig:",
          "        AuthType: NONE",
          "Outputs:",
          "  Said:",
          "    Value: !Ref Greeting",
          "",
        ].join("\n"),
      );
      const stackName = dir.split("/").pop() ?? "";
      const outcome = await stratusCommand(
        ["deploy", "--endpoint", stratus.url, "--parameter-overrides", "Greeting=hello there"],
        dir,
      );
      assert.equal(outcome.code, 0, show(outcome));
      assert.match(
        outcome.stdout,
        new RegExp(`Successfully created/updated stack - ${stackName} in us-east-1`),
      );
      assert.match(outcome.stdout, /^Value +hello there$/m, show(outcome));
      assert.match(outcome.stdout, /^Greeter \(AWS::Lambda::Url\)$/m, show(outcome));
      const pathUrl = new RegExp(`^  (${stratus.url}/_aws/lambda-url/[a-z0-9]+/)$`, "m").exec(
        outcome.stdout,
      )?.[1];
      assert.ok(pathUrl, show(outcome));
      assert.match(outcome.stdout, /^ {2}http:\/\/[a-z0-9]+\.lambda-url\.us-east-1\.localhost:\d+\/$/m);
      const answer = await fetch(pathUrl, { signal: AbortSignal.timeout(30_000) });
      assert.equal(await answer.text(), "hello there");
      const destroyed = await stratusCommand(["destroy", stackName, "--endpoint", stratus.url]);
      assert.equal(destroyed.code, 0, show(destroyed));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("exits 1 when the stack rolls back, naming the resource that failed", async () => {
    const dir = mkdtempSync(join(tmpdir(), "stratus-deploy-fail-"));
    try {
      writeFileSync(
        join(dir, "template.json"),
        JSON.stringify({
          Resources: {
            Broken: {
              Type: "AWS::Lambda::Function",
              Properties: {
                Runtime: "nodejs22.x",
                Handler: "index.handler",
                Role: "not-an-arn",
                Code: { ZipFile: "exports.handler = async () => 1;" },
              },
            },
          },
        }),
      );
      const outcome = await stratusCommand(
        ["deploy", "--endpoint", stratus.url, "--stack-name", "broken"],
        dir,
      );
      assert.equal(outcome.code, 1, show(outcome));
      assert.match(outcome.stdout, /^CREATE_FAILED +AWS::Lambda::Function +Broken /m, show(outcome));
      assert.match(outcome.stdout, /^ROLLBACK_COMPLETE +AWS::CloudFormation::Stack +broken /m, show(outcome));
      assert.match(
        outcome.stderr,
        /Error: Failed to create\/update the stack: broken, stack status ROLLBACK_COMPLETE \(Broken: /,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("stratus deploy --watch", () => {
  let stratus: TestStratus;
  let dir = "";
  let child: ChildProcess | undefined;
  before(async () => {
    stratus = await startTestStratus({ inMemory: true });
    dir = mkdtempSync(join(tmpdir(), "stratus-deploy-watch-"));
  });
  after(async () => {
    if (child && child.exitCode === null) child.kill("SIGKILL");
    await stratus?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("updates a function's code in place when its files change, redeploys on a template change, stops on SIGINT", async () => {
    cpSync(join(REPO, "examples", "hello-app"), dir, { recursive: true });
    child = spawn(
      process.execPath,
      [STRATUS_BIN, "deploy", "--watch", "--endpoint", stratus.url, "--stack-name", "watched"],
      {
        cwd: dir,
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let out = "";
    let err = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      err += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => child?.once("exit", (code) => resolve(code)));
    const waitFor = async (pattern: RegExp, waitMs: number) => {
      const deadline = Date.now() + waitMs;
      while (!pattern.test(out)) {
        if (Date.now() > deadline || child?.exitCode !== null) {
          assert.fail(`no ${pattern} in the output:\n${out}\n--- stderr\n${err}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    };
    await waitFor(/Watching .* the code of 2 function\(s\)/, COMMAND_TIMEOUT_MS);

    const handler = join(dir, "src", "python", "list_items.py");
    writeFileSync(
      handler,
      'def handler(event, context):\n    return {"statusCode": 200, "body": "changed"}\n',
    );
    await waitFor(/Updated ListFunction \(\S+\): 1 file\(s\)/, 30_000);
    const functionName = /Updated ListFunction \((\S+)\)/.exec(out)?.[1] ?? "";
    const invoked = await stratus
      .lambda()
      .send(new InvokeCommand({ FunctionName: functionName, Payload: "{}" }));
    assert.equal(Buffer.from(invoked.Payload ?? []).toString(), '{"statusCode": 200, "body": "changed"}');
    // Only the function whose folder changed was updated.
    assert.doesNotMatch(out, /Updated ItemsFunction/);

    // A template change deploys the stack again.
    const template = join(dir, "template.yaml");
    writeFileSync(template, `${readFileSync(template, "utf8")}  Extra:\n    Value: added-by-watch\n`);
    await waitFor(
      /template\.yaml changed: deploying again[\s\S]*Successfully created\/updated stack - watched/,
      60_000,
    );
    const stack = await stratus.cloudformation().send(new DescribeStacksCommand({ StackName: "watched" }));
    assert.equal(
      stack.Stacks?.[0]?.Outputs?.find((o) => o.OutputKey === "Extra")?.OutputValue,
      "added-by-watch",
    );

    child.kill("SIGINT");
    const code = await Promise.race([
      exited,
      new Promise((resolve) => setTimeout(() => resolve("timeout"), 10_000)),
    ]);
    assert.equal(code, 0, `${out}\n--- stderr\n${err}`);
    assert.match(out, /Stopped watching\./);
  });
});
