import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { openDataDir } from "../../../src/storage/data-dir.ts";
import { openLmdbStore } from "../../../src/storage/lmdb-engine.ts";
import { decodeTuple, tuple, tupleRange } from "../../../src/storage/tuple.ts";
import { registerKvConformance } from "./kv-conformance.ts";
import { b, collect, text } from "./kv-helpers.ts";

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "stratus-lmdb-"));
  dirs.push(dir);
  return dir;
}
after(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

registerKvConformance("lmdb engine", { open: async () => openLmdbStore(await tempDir()) });

describe("lmdb engine", () => {
  it("keeps committed data across close and reopen", async () => {
    const dir = await tempDir();
    const first = await openLmdbStore(dir);
    await first.transaction((tx) => {
      tx.put(b(1), text("one"));
      tx.put(b(2), text("two"));
    });
    await first.transaction((tx) => tx.delete(b(2)));
    await first.close();
    const second = await openLmdbStore(dir);
    assert.deepEqual(await second.get(b(1)), text("one"));
    assert.equal(await second.get(b(2)), undefined);
    assert.equal(second.stats().pageSize, 8192);
    await second.close();
  });

  it("group-commits: 2000 concurrent single-put transactions share few LMDB commits", async (t) => {
    const store = await openLmdbStore(await tempDir());
    await store.transaction((tx) => tx.put(b(0), b(0))); // warm up: file creation, first mapping
    const n = 2000;
    const before = store.stats().lastTxnId;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: n }, (_, i) => store.transaction((tx) => tx.put(tuple("k", i), text(`v${i}`)))),
    );
    const ms = performance.now() - started;
    const commits = store.stats().lastTxnId - before;
    t.diagnostic(
      `${n} transactions in ${ms.toFixed(1)} ms = ${Math.round((n / ms) * 1000)}/s, ${commits} LMDB commits`,
    );
    assert.ok(
      commits >= 1 && commits <= n / 20,
      `expected batching, got ${commits} commits for ${n} transactions`,
    );
    assert.equal((await collect(store.range(tupleRange("k")))).length, n);
    await store.close();
  });

  it("group-commits transactions that arrive spread over time, each acknowledged only when durable", async (t) => {
    const store = await openLmdbStore(await tempDir());
    const n = 2000;
    const before = store.stats().lastTxnId;
    const started = performance.now();
    const pending: Promise<void>[] = [];
    for (let i = 0; i < n; i++) {
      // A new arrival every few transactions, as requests would come in from sockets.
      if (i % 10 === 0) await new Promise((resolve) => setImmediate(resolve));
      pending.push(store.transaction((tx) => tx.put(tuple("s", i), text(`v${i}`))));
    }
    await Promise.all(pending);
    const ms = performance.now() - started;
    const commits = store.stats().lastTxnId - before;
    t.diagnostic(
      `${n} spread transactions in ${ms.toFixed(1)} ms = ${Math.round((n / ms) * 1000)}/s, ${commits} LMDB commits`,
    );
    assert.ok(commits < n / 4, `expected batching, got ${commits} commits for ${n} transactions`);
    await store.close();
  });

  it("keeps every acknowledged transaction when the process is killed with SIGKILL", async () => {
    const dir = await tempDir();
    const child = spawn(
      process.execPath,
      ["--import", "tsx", join(import.meta.dirname, "fixtures", "commit-until-killed.ts"), dir],
      {
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    const acked: number[] = [];
    let partial = "";
    let ready = false;
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on("exit", (_code, signal) => resolve(signal)),
    );
    const enough = new Promise<void>((resolve) => {
      child.stdout.setEncoding("utf8");
      child.stdout.on("data", (chunk: string) => {
        const lines = (partial + chunk).split("\n");
        partial = lines.pop() ?? "";
        for (const line of lines) {
          if (line === "ready") ready = true;
          else acked.push(Number(line));
        }
        if (acked.length >= 3000) resolve();
      });
      setTimeout(resolve, 15_000).unref(); // bounded: kill after 15 s whatever the count
    });
    await enough;
    child.kill("SIGKILL");
    assert.equal(await exited, "SIGKILL");
    assert.ok(ready, "child opened the store");
    assert.ok(acked.length > 100, `child acknowledged only ${acked.length} transactions`);

    const store = await openDataDir(dir); // also takes over the LOCK the dead child left
    const stored = new Set<number>();
    for await (const entry of store.range(tupleRange("ack"))) stored.add(decodeTuple(entry.key)[1] as number);
    const missing = acked.filter((i) => !stored.has(i));
    assert.deepEqual(missing, [], `${missing.length} of ${acked.length} acknowledged keys lost`);
    const last = decodeTuple((await store.get(tuple("last")))!)[0] as number;
    assert.ok(stored.has(last), "the hot key names a transaction that committed");
    await store.close();
  });
});
