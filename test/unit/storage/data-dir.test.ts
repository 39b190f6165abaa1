import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { DATA_FORMAT, openDataDir, openStorage } from "../../../src/storage/data-dir.ts";
import { VERSION } from "../../../src/version.ts";
import { b, text } from "./kv-helpers.ts";

const roots: string[] = [];
async function tempRoot(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), "stratus-datadir-"));
  roots.push(root);
  return root;
}
after(async () => {
  await Promise.all(roots.map((root) => rm(root, { recursive: true, force: true })));
});

/** Asserts a rejection whose message is one line and contains every fragment. */
async function rejectsWith(promise: Promise<unknown>, ...fragments: string[]): Promise<void> {
  await assert.rejects(promise, (error: Error) => {
    assert.ok(!error.message.includes("\n"), `one line: ${error.message}`);
    for (const fragment of fragments)
      assert.ok(error.message.includes(fragment), `"${fragment}" in: ${error.message}`);
    return true;
  });
}

describe("data dir", () => {
  it("creates a new dir (parents too) with FORMAT, kv/ and a LOCK held while open", async () => {
    const dir = join(await tempRoot(), "nested", ".stratus");
    const store = await openDataDir(dir);
    const format = JSON.parse(await readFile(join(dir, "FORMAT"), "utf8"));
    assert.deepEqual(format, { format: 1, createdBy: `stratus ${VERSION}` });
    assert.equal(DATA_FORMAT, 1);
    assert.ok(existsSync(join(dir, "kv", "data.mdb")));
    assert.equal((await readFile(join(dir, "LOCK"), "utf8")).trim(), String(process.pid));
    await store.transaction((tx) => tx.put(b(1), text("kept")));
    await store.close();
    assert.ok(!existsSync(join(dir, "LOCK")), "close() gives the dir back");
    assert.deepEqual((await readdir(dir)).sort(), ["FORMAT", "kv"]);
  });

  it("reopens an existing dir with its data and FORMAT unchanged", async () => {
    const dir = join(await tempRoot(), "data");
    const first = await openDataDir(dir);
    await first.transaction((tx) => tx.put(b(1), text("kept")));
    await first.close();
    const before = await readFile(join(dir, "FORMAT"), "utf8");
    const second = await openDataDir(dir);
    assert.deepEqual(await second.get(b(1)), text("kept"));
    await second.close();
    assert.equal(await readFile(join(dir, "FORMAT"), "utf8"), before);
  });

  it("refuses a dir written by a newer Stratus, naming the dir and both formats", async () => {
    const dir = join(await tempRoot(), "future");
    await mkdir(dir);
    await writeFile(join(dir, "FORMAT"), JSON.stringify({ format: 2, createdBy: "stratus 9.0.0" }));
    await rejectsWith(openDataDir(dir), dir, "format 2", `format ${DATA_FORMAT}`);
    assert.ok(!existsSync(join(dir, "kv")), "nothing was created");
    assert.ok(!existsSync(join(dir, "LOCK")), "the lock was given back");
  });

  it("refuses a non-empty dir that is not a Stratus dir, and leaves it alone", async () => {
    const dir = await tempRoot();
    await writeFile(join(dir, "notes.txt"), "mine");
    await rejectsWith(openDataDir(dir), dir, "FORMAT");
    assert.deepEqual(await readdir(dir), ["notes.txt"]);
  });

  it("refuses an unreadable FORMAT file", async () => {
    const dir = await tempRoot();
    await writeFile(join(dir, "FORMAT"), "{not json");
    await rejectsWith(openDataDir(dir), dir, "FORMAT");
  });

  it("refuses a dir that is already open, and takes over a LOCK left by a dead process", async () => {
    const dir = join(await tempRoot(), "locked");
    const store = await openDataDir(dir);
    await rejectsWith(openDataDir(dir), dir, "in use by this process");
    await store.close();
    const dead = spawnSync(process.execPath, ["-e", ""]).pid!; // a pid that has just exited
    await writeFile(join(dir, "LOCK"), `${dead}\n`);
    const again = await openDataDir(dir);
    assert.equal((await readFile(join(dir, "LOCK"), "utf8")).trim(), String(process.pid));
    await again.close();
  });

  it("openStorage picks the in-memory engine without touching the disk", async () => {
    const dir = join(await tempRoot(), "never-created");
    const memory = await openStorage({ dataDir: dir, inMemory: true });
    await memory.transaction((tx) => tx.put(b(1), b(2)));
    assert.deepEqual(await memory.get(b(1)), b(2));
    await memory.close();
    assert.ok(!existsSync(dir));
    const disk = await openStorage({ dataDir: dir, inMemory: false });
    assert.ok(existsSync(join(dir, "FORMAT")));
    await disk.close();
  });
});
