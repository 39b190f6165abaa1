// Cold start (spawn to first response) and warm invoke latency for hello-world Node and Python
// handlers, printed for the record; the assertions are loose bounds only.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { after, test } from "node:test";
import { EnvironmentPool } from "../../../src/services/lambda/environments/pool.ts";

const dirs: string[] = [];
after(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

async function measure(runtime: string, handler: string, file: string, code: string) {
  const dir = await mkdtemp(join(tmpdir(), "stratus-lambda-latency-"));
  dirs.push(dir);
  await writeFile(join(dir, file), code);
  const colds: number[] = [];
  const warms: number[] = [];
  for (let round = 0; round < 5; round++) {
    const pool = new EnvironmentPool(
      {
        functionName: "latency",
        functionVersion: "$LATEST",
        functionArn: "arn:aws:lambda:us-east-1:000000000000:function:latency",
        runtime,
        handler,
        codeDir: dir,
        memorySizeMB: 256,
        timeoutSeconds: 5,
        region: "us-east-1",
        variables: {},
        credentials: { accessKeyId: "a", secretAccessKey: "b" },
        endpointUrl: "http://127.0.0.1:1",
      },
      { concurrencyMax: 1, idleMs: 60_000 },
    );
    const payload = Buffer.from('{"hello":"world"}');
    let t = performance.now();
    const first = await pool.invoke(payload, { requestId: randomUUID() });
    colds.push(performance.now() - t);
    assert.equal(first.functionError, undefined);
    for (let i = 0; i < 200; i++) {
      t = performance.now();
      await pool.invoke(payload, { requestId: randomUUID() });
      warms.push(performance.now() - t);
    }
    await pool.dispose();
  }
  const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) * p)]!;
  const figures = {
    runtime,
    coldP50Ms: pct(colds, 0.5).toFixed(1),
    warmP50Ms: pct(warms, 0.5).toFixed(3),
    warmP99Ms: pct(warms, 0.99).toFixed(3),
  };
  console.log(JSON.stringify(figures));
  return figures;
}

test("Node.js cold start and warm invoke", async () => {
  const f = await measure("nodejs20.x", "index.handler", "index.js", "exports.handler = async (e) => e;");
  assert.ok(Number(f.coldP50Ms) < 2000);
});

test("Python cold start and warm invoke", async () => {
  const f = await measure(
    "python3.11",
    "lambda_function.handler",
    "lambda_function.py",
    "def handler(e, c):\n    return e\n",
  );
  assert.ok(Number(f.coldP50Ms) < 2000);
});
