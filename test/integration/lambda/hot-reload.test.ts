/**
 * Hot reload (LocalStack's convention) through @aws-sdk/client-lambda: a function created with Code
 * {S3Bucket: "hot-reload", S3Key: "/abs/dir"} runs from that directory; an edit under it makes the next
 * invoke run the new code (waited for with a bounded poll); UpdateFunctionCode switches to another
 * directory; the reported CodeSha256/CodeSize/Location; relative paths and other buckets are refused.
 */
import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import {
  CreateFunctionCommand,
  GetFunctionCommand,
  InvokeCommand,
  type LambdaClient,
  type Runtime,
  UpdateFunctionCodeCommand,
} from "@aws-sdk/client-lambda";
import { useStratus } from "../../support/stratus.ts";
import { ROLE, rejects, uniqueName } from "./helpers.ts";

/** How long a change may take to show (debounce plus a cold start on a busy machine). */
const RELOAD_WAIT_MS = 30_000;

describe("Lambda hot reload", () => {
  const stratus = useStratus({ inMemory: true });
  let scratch = "";
  before(async () => {
    scratch = await mkdtemp(join(tmpdir(), "stratus-hot-reload-"));
  });
  after(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  async function invoke(lambda: LambdaClient, name: string): Promise<unknown> {
    const out = await lambda.send(new InvokeCommand({ FunctionName: name, Payload: "{}" }));
    return JSON.parse(Buffer.from(out.Payload ?? new Uint8Array()).toString("utf8"));
  }

  /** Invokes until the answer is `expected` or RELOAD_WAIT_MS passed; returns the last answer. */
  async function invokeUntil(lambda: LambdaClient, name: string, expected: unknown): Promise<unknown> {
    const deadline = Date.now() + RELOAD_WAIT_MS;
    let last: unknown;
    while (Date.now() < deadline) {
      last = await invoke(lambda, name);
      if (JSON.stringify(last) === JSON.stringify(expected)) return last;
      await sleep(200);
    }
    return last;
  }

  async function createFrom(
    lambda: LambdaClient,
    dir: string,
    runtime = "nodejs20.x",
    handler = "index.handler",
  ) {
    const name = uniqueName("hot");
    const created = await lambda.send(
      new CreateFunctionCommand({
        FunctionName: name,
        Runtime: runtime as Runtime,
        Role: ROLE,
        Handler: handler,
        Code: { S3Bucket: "hot-reload", S3Key: dir },
        Timeout: 30,
      }),
    );
    return { name, created };
  }

  it("runs from the directory and picks up an edit on the next invoke", async () => {
    const lambda = stratus.lambda();
    const dir = join(scratch, "node-fn");
    await mkdir(join(dir, "lib"), { recursive: true });
    await writeFile(join(dir, "lib", "answer.js"), 'module.exports = "v1";\n');
    await writeFile(
      join(dir, "index.js"),
      'const answer = require("./lib/answer");\nexports.handler = async () => answer;\n',
    );
    const { name, created } = await createFrom(lambda, dir);
    assert.equal(created.CodeSha256, "hot-reloading-hash-not-available");
    assert.equal(created.CodeSize, 0);
    const got = await lambda.send(new GetFunctionCommand({ FunctionName: name }));
    assert.equal(got.Code?.Location, `Code location: ${dir}`);
    assert.equal(await invoke(lambda, name), "v1");
    assert.equal(await invoke(lambda, name), "v1");
    // An edit in a subdirectory counts too.
    await writeFile(join(dir, "lib", "answer.js"), 'module.exports = "v2";\n');
    assert.equal(await invokeUntil(lambda, name, "v2"), "v2");
    await writeFile(join(dir, "index.js"), 'exports.handler = async () => "v3";\n');
    assert.equal(await invokeUntil(lambda, name, "v3"), "v3");
  });

  it("hot-reloads Python and switches directories with UpdateFunctionCode", async () => {
    const lambda = stratus.lambda();
    const dir = join(scratch, "py-fn");
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, "app.py"), "def handler(event, context):\n    return 'py1'\n");
    const { name } = await createFrom(lambda, dir, "python3.11", "app.handler");
    assert.equal(await invoke(lambda, name), "py1");
    await writeFile(join(dir, "app.py"), "def handler(event, context):\n    return 'py2'\n");
    assert.equal(await invokeUntil(lambda, name, "py2"), "py2");
    const other = join(scratch, "py-other");
    await mkdir(other, { recursive: true });
    await writeFile(join(other, "app.py"), "def handler(event, context):\n    return 'other'\n");
    const updated = await lambda.send(
      new UpdateFunctionCodeCommand({ FunctionName: name, S3Bucket: "hot-reload", S3Key: other }),
    );
    assert.equal(updated.CodeSha256, "hot-reloading-hash-not-available");
    assert.equal(await invoke(lambda, name), "other");
  });

  it("keeps watching a directory that a build removes and recreates", async () => {
    const lambda = stratus.lambda();
    const dir = join(scratch, "rebuilt");
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, "index.js"), 'exports.handler = async () => "build1";\n');
    const { name } = await createFrom(lambda, dir);
    assert.equal(await invoke(lambda, name), "build1");
    await rm(dir, { recursive: true, force: true });
    await sleep(800);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, "index.js"), 'exports.handler = async () => "build2";\n');
    assert.equal(await invokeUntil(lambda, name, "build2"), "build2");
    // And later edits are seen again (the new directory is watched).
    await writeFile(join(dir, "index.js"), 'exports.handler = async () => "build3";\n');
    assert.equal(await invokeUntil(lambda, name, "build3"), "build3");
  });

  it("refuses relative paths, missing directories and other buckets", async () => {
    const lambda = stratus.lambda();
    const base = {
      FunctionName: uniqueName("hot"),
      Runtime: "nodejs20.x" as Runtime,
      Role: ROLE,
      Handler: "index.handler",
    };
    await rejects(
      lambda.send(
        new CreateFunctionCommand({ ...base, Code: { S3Bucket: "hot-reload", S3Key: "relative/dir" } }),
      ),
      "InvalidParameterValueException",
      "When using hot reloading, the archive key has to be an absolute path! Your archive key: relative/dir",
      400,
    );
    const missing = join(scratch, "does-not-exist");
    await rejects(
      lambda.send(new CreateFunctionCommand({ ...base, Code: { S3Bucket: "hot-reload", S3Key: missing } })),
      "InvalidParameterValueException",
      `Hot reloading needs an existing directory: ${missing} is not one.`,
      400,
    );
    await rejects(
      lambda.send(new CreateFunctionCommand({ ...base, Code: { S3Bucket: "my-bucket", S3Key: "code.zip" } })),
      "InvalidParameterValueException",
      // Any other bucket is read through Stratus's S3 (s3-code.test.ts).
      "Error occurred while GetObject. S3 Error Code: NoSuchBucket. S3 Error Message: The specified bucket does not exist",
      400,
    );
  });
});
