// Execution environments end to end: tiny function code dirs written on the fly (Node CJS, Node ESM,
// Python, a shell `bootstrap` custom runtime), invoked through EnvironmentPool.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { FunctionRuntimeConfig } from "../../../src/services/lambda/environments/environment.ts";
import { ConcurrencyLimitError, EnvironmentPool } from "../../../src/services/lambda/environments/pool.ts";

let root = "";
const pools: EnvironmentPool[] = [];

before(async () => {
  root = await mkdtemp(join(tmpdir(), "stratus-lambda-test-"));
});
after(async () => {
  await Promise.all(pools.map((p) => p.dispose()));
  await rm(root, { recursive: true, force: true });
});

async function codeDir(files: Record<string, string>): Promise<string> {
  const dir = join(root, randomUUID());
  for (const [name, text] of Object.entries(files)) {
    await mkdir(join(dir, name, ".."), { recursive: true });
    await writeFile(join(dir, name), text);
  }
  return dir;
}

function pool(
  runtime: string,
  handler: string,
  dir: string,
  extra: Partial<FunctionRuntimeConfig> = {},
  concurrencyMax = 4,
): EnvironmentPool {
  const name = `fn-${randomUUID().slice(0, 8)}`;
  const p = new EnvironmentPool(
    {
      functionName: name,
      functionVersion: "$LATEST",
      functionArn: `arn:aws:lambda:us-east-1:000000000000:function:${name}`,
      runtime,
      handler,
      codeDir: dir,
      memorySizeMB: 256,
      timeoutSeconds: 3,
      region: "us-east-1",
      variables: { MY_VAR: "mine" },
      credentials: { accessKeyId: "AKIDTEST", secretAccessKey: "secret", sessionToken: "token" },
      endpointUrl: "http://127.0.0.1:4566",
      ...extra,
    },
    { concurrencyMax, idleMs: 60_000 },
  );
  pools.push(p);
  return p;
}

const call = (p: EnvironmentPool, event: unknown, requestId: string = randomUUID()) =>
  p.invoke(Buffer.from(JSON.stringify(event)), { requestId });
const json = (b: Buffer) => JSON.parse(b.toString("utf8"));

const nodeEcho = `
exports.handler = async (event, context) => ({
  event, pid: process.pid, tmp: require("node:os").tmpdir(),
  env: { name: process.env.AWS_LAMBDA_FUNCTION_NAME, region: process.env.AWS_REGION, tz: process.env.TZ,
    my: process.env.MY_VAR, root: process.env.LAMBDA_TASK_ROOT, key: process.env.AWS_ACCESS_KEY_ID,
    token: process.env.AWS_SESSION_TOKEN, endpoint: process.env.AWS_ENDPOINT_URL, mem: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE },
  ctx: { functionName: context.functionName, functionVersion: context.functionVersion, arn: context.invokedFunctionArn,
    mem: context.memoryLimitInMB, id: context.awsRequestId, group: context.logGroupName, stream: context.logStreamName,
    remaining: context.getRemainingTimeInMillis() },
});
exports.log = async () => { console.log("hello", { a: 1 }); console.error("bad"); return 1; };
exports.fails = async () => { throw new TypeError("nope"); };
exports.callback = (event, context, callback) => { setTimeout(() => callback(null, { cb: event.n }), 20); };
exports.waits = (event, context, callback) => { let late = false; setTimeout(() => { late = true; }, 50); callback(null, "x"); };
exports.sleep = async () => new Promise((r) => setTimeout(r, 10_000));
exports.exit = async () => { process.exit(1); };
exports.write = async (e) => { require("node:fs").writeFileSync(require("node:path").join(require("node:os").tmpdir(), "f"), e.v); return 1; };
exports.read = async () => { try { return require("node:fs").readFileSync(require("node:path").join(require("node:os").tmpdir(), "f"), "utf8"); } catch { return null; } };
exports.slow = async () => { await new Promise((r) => setTimeout(r, 300)); return process.pid; };
exports.hog = async () => { const a = []; for (;;) a.push(new Array(1e6).fill(1)); };
`;

describe("Node.js CommonJS", () => {
  let dir = "";
  before(async () => {
    dir = await codeDir({
      "index.js": nodeEcho,
      "lib/sub/mod.js": "exports.deep = { fn: async () => 'deep' };",
    });
  });

  test("payload round trip, context fields, env vars, warm reuse", async () => {
    const p = pool("nodejs20.x", "index.handler", dir);
    const first = await call(p, { hello: "world" }, "req-1");
    assert.equal(first.functionError, undefined, first.payload.toString());
    const body = json(first.payload);
    assert.deepEqual(body.event, { hello: "world" });
    assert.equal(body.ctx.functionName, p.config.functionName);
    assert.equal(body.ctx.functionVersion, "$LATEST");
    assert.equal(body.ctx.arn, p.config.functionArn);
    assert.equal(body.ctx.mem, "256");
    assert.equal(body.ctx.id, "req-1");
    assert.equal(body.ctx.group, `/aws/lambda/${p.config.functionName}`);
    assert.match(body.ctx.stream, /^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
    assert.ok(body.ctx.remaining > 2000 && body.ctx.remaining <= 3000);
    assert.deepEqual(body.env, {
      name: p.config.functionName,
      region: "us-east-1",
      tz: ":UTC",
      my: "mine",
      root: dir,
      key: "AKIDTEST",
      token: "token",
      endpoint: "http://127.0.0.1:4566",
      mem: "256",
    });
    assert.ok(first.initDurationMs !== undefined);
    const second = await call(p, { n: 2 });
    assert.equal(json(second.payload).pid, body.pid, "warm environment reused");
    assert.equal(second.initDurationMs, undefined);
  });

  test("subfolder handler and nested export", async () => {
    const p = pool("nodejs20.x", "lib/sub/mod.deep.fn", dir);
    assert.equal(json((await call(p, {})).payload), "deep");
  });

  test("console lines carry AWS's prefix", async () => {
    const p = pool("nodejs20.x", "index.log", dir);
    const r = await call(p, {}, "req-log");
    assert.match(r.logs, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z\treq-log\tINFO\thello { a: 1 }$/m);
    assert.match(r.logs, /\treq-log\tERROR\tbad$/m);
  });

  test("handler error payload shape", async () => {
    const p = pool("nodejs20.x", "index.fails", dir);
    const r = await call(p, {});
    assert.equal(r.functionError, "Unhandled");
    const body = json(r.payload);
    assert.equal(body.errorType, "TypeError");
    assert.equal(body.errorMessage, "nope");
    assert.ok(Array.isArray(body.trace) && body.trace[0] === "TypeError: nope");
    assert.match(r.logs, /\tERROR\tInvoke Error \t\{"errorType":"TypeError"/);
  });

  test("callback handlers, with and without waiting for the event loop", async () => {
    assert.deepEqual(json((await call(pool("nodejs20.x", "index.callback", dir), { n: 7 })).payload), {
      cb: 7,
    });
    const r = await call(pool("nodejs20.x", "index.waits", dir), {});
    assert.equal(json(r.payload), "x");
    assert.ok(r.durationMs >= 45, `waited for the event loop (${r.durationMs} ms)`);
  });

  test("init errors: module not found, handler not found", async () => {
    const missing = await call(pool("nodejs20.x", "nothere.handler", dir), {});
    assert.equal(missing.functionError, "Unhandled");
    const m = json(missing.payload);
    assert.equal(m.errorType, "Runtime.ImportModuleError");
    assert.match(m.errorMessage, /^Error: Cannot find module 'nothere'/);
    const notFound = json((await call(pool("nodejs20.x", "index.nope", dir), {})).payload);
    assert.equal(notFound.errorType, "Runtime.HandlerNotFound");
    assert.equal(notFound.errorMessage, "index.nope is undefined or not exported");
  });

  test("timeout kills the environment with AWS's text; next invoke gets a fresh one", async () => {
    const p = pool("nodejs20.x", "index.sleep", dir, { timeoutSeconds: 1 });
    const r = await call(p, {}, "req-timeout");
    assert.equal(r.functionError, "Unhandled");
    assert.deepEqual(json(r.payload), {
      errorType: "Sandbox.Timedout",
      errorMessage: "RequestId: req-timeout Error: Task timed out after 1.00 seconds",
    });
    assert.equal(p.size, 0);
  });

  test("process exit mid-invoke gives Runtime.ExitError, then a fresh environment", async () => {
    const exitDir = await codeDir({
      "index.js":
        "let n = 0; exports.handler = async () => { if (++n === 1 && !process.env.SECOND) process.exit(1); return process.pid; };",
    });
    const p = pool("nodejs20.x", "index.handler", exitDir);
    const r = await call(p, {}, "req-exit");
    assert.deepEqual(json(r.payload), {
      errorType: "Runtime.ExitError",
      errorMessage: "RequestId: req-exit Error: Runtime exited with error: exit status 1",
    });
    const again = await call(p, {});
    assert.equal(again.functionError, "Unhandled", "fresh environment, whose first invoke exits again");
    assert.equal(p.size, 0);
  });

  test("memory limit", async () => {
    const p = pool("nodejs20.x", "index.hog", dir, { memorySizeMB: 128, timeoutSeconds: 20 });
    const r = await call(p, {}, "req-oom");
    assert.deepEqual(json(r.payload), {
      errorType: "Runtime.OutOfMemory",
      errorMessage: "RequestId: req-oom Error: Runtime exited with error: signal: killed",
    });
  });

  test("concurrency: parallel invokes start environments up to the max", async () => {
    const p = pool("nodejs20.x", "index.slow", dir, {}, 3);
    const results = await Promise.allSettled([1, 2, 3, 4].map(() => call(p, {})));
    const ok = results.filter((r) => r.status === "fulfilled");
    const refused = results.filter((r) => r.status === "rejected");
    assert.equal(ok.length, 3);
    assert.equal(refused.length, 1);
    assert.ok((refused[0] as PromiseRejectedResult).reason instanceof ConcurrencyLimitError);
    const pids = new Set(
      ok.map((r) => json((r as PromiseFulfilledResult<{ payload: Buffer }>).value.payload)),
    );
    assert.equal(pids.size, 3);
    assert.equal(p.size, 3);
  });

  test("each environment has its own TMPDIR", async () => {
    const a = pool("nodejs20.x", "index.write", dir);
    const b = pool("nodejs20.x", "index.read", dir);
    await call(a, { v: "secret" });
    assert.equal(json((await call(b, {})).payload), null);
  });
});

describe("Node.js ESM", () => {
  test(".mjs and type:module handlers", async () => {
    const mjs = await codeDir({ "app.mjs": "export const handler = async (e) => ({ esm: e.x });" });
    assert.deepEqual(json((await call(pool("nodejs22.x", "app.handler", mjs), { x: 1 })).payload), {
      esm: 1,
    });
    const typed = await codeDir({
      "package.json": '{"type":"module"}',
      "src/index.js": "export async function go(e) { return import.meta.url.endsWith('/src/index.js'); }",
    });
    assert.equal(json((await call(pool("nodejs20.x", "src/index.go", typed), {})).payload), true);
  });

  test("syntax error at init", async () => {
    const bad = await codeDir({ "index.mjs": "export const handler = async () => {" });
    const r = json((await call(pool("nodejs20.x", "index.handler", bad), {})).payload);
    assert.equal(r.errorType, "Runtime.UserCodeSyntaxError");
    assert.match(r.errorMessage, /^SyntaxError: /);
  });
});

describe("Python", () => {
  let dir = "";
  before(async () => {
    dir = await codeDir({
      "lambda_function.py": `import os, tempfile
def handler(event, context):
    print("printed")
    return {"event": event, "pid": os.getpid(), "name": context.function_name, "id": context.aws_request_id,
            "arn": context.invoked_function_arn, "mem": context.memory_limit_in_mb,
            "remaining": context.get_remaining_time_in_millis(), "tmp": tempfile.gettempdir(),
            "my": os.environ["MY_VAR"], "handler": os.environ["_HANDLER"]}
def fails(event, context):
    raise Exception("Handler fails")
`,
      "pkg/mod.py": "def fn(event, context):\n    return 'nested'\n",
      "broken.py": 'raise Exception("Runtime startup fails")\n',
    });
  });

  test("payload round trip, context, print, warm reuse", async () => {
    const p = pool("python3.11", "lambda_function.handler", dir);
    const r = await call(p, { a: [1, 2] }, "py-1");
    assert.equal(r.functionError, undefined, r.payload.toString());
    const body = json(r.payload);
    assert.deepEqual(body.event, { a: [1, 2] });
    assert.equal(body.id, "py-1");
    assert.equal(body.name, p.config.functionName);
    assert.equal(body.mem, "256");
    assert.equal(body.my, "mine");
    assert.match(r.logs, /^printed$/m);
    const again = await call(p, {});
    assert.equal(json(again.payload).pid, body.pid);
  });

  test("subfolder module", async () => {
    assert.equal(json((await call(pool("python3.12", "pkg/mod.fn", dir), {})).payload), "nested");
  });

  test("handler error and init errors as AWS shapes them", async () => {
    const r = await call(pool("python3.11", "lambda_function.fails", dir), {}, "py-err");
    const body = json(r.payload);
    assert.equal(body.errorType, "Exception");
    assert.equal(body.errorMessage, "Handler fails");
    assert.equal(body.requestId, "py-err");
    assert.match(
      body.stackTrace[0],
      /^ {2}File ".*lambda_function.py", line 9, in fails\n {4}raise Exception\("Handler fails"\)\n$/,
    );
    assert.match(r.logs, /^\[ERROR\] Exception: Handler fails\rTraceback \(most recent call last\):/m);
    const startup = json((await call(pool("python3.11", "broken.handler", dir), {})).payload);
    assert.equal(startup.errorType, "Exception");
    assert.equal(startup.requestId, "");
    const missing = json((await call(pool("python3.11", "nope.handler", dir), {})).payload);
    assert.equal(missing.errorType, "Runtime.ImportModuleError");
    assert.equal(missing.errorMessage, "Unable to import module 'nope': No module named 'nope'");
    const noHandler = json((await call(pool("python3.11", "lambda_function.absent", dir), {})).payload);
    assert.equal(noHandler.errorType, "Runtime.HandlerNotFound");
    assert.equal(noHandler.errorMessage, "Handler 'absent' missing on module 'lambda_function'");
  });
});

describe("custom runtime (provided.al2023)", () => {
  test("a shell bootstrap speaks the Runtime API", async () => {
    const dir = await codeDir({
      bootstrap: `#!/bin/sh
set -e
while true; do
  HEADERS="$(mktemp)"
  EVENT=$(curl -sS -D "$HEADERS" "http://$AWS_LAMBDA_RUNTIME_API/2018-06-01/runtime/invocation/next")
  ID=$(grep -i Lambda-Runtime-Aws-Request-Id "$HEADERS" | tr -d '\\r' | cut -d' ' -f2)
  curl -sS -o /dev/null -X POST "http://$AWS_LAMBDA_RUNTIME_API/2018-06-01/runtime/invocation/$ID/response" -d "{\\"echo\\":$EVENT,\\"handler\\":\\"$_HANDLER\\"}"
done
`,
    });
    await chmod(join(dir, "bootstrap"), 0o755);
    const p = pool("provided.al2023", "my.handler", dir);
    assert.deepEqual(json((await call(p, { k: 1 })).payload), { echo: { k: 1 }, handler: "my.handler" });
    assert.deepEqual(json((await call(p, { k: 2 })).payload), { echo: { k: 2 }, handler: "my.handler" });
  });

  test("a missing bootstrap is Runtime.ExitError", async () => {
    const dir = await codeDir({ "readme.txt": "" });
    const r = json((await call(pool("provided.al2", "x", dir), {}, "req-nb")).payload);
    assert.equal(r.errorType, "Runtime.ExitError");
    assert.equal(r.errorMessage, "RequestId: req-nb Error: Runtime exited with error: exit status 127");
  });
});
