import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { BlobFiles } from "../../../src/services/s3/blobs.ts";

/** Publishes `text` as a blob and answers its id. */
async function store(blobs: BlobFiles, text: string): Promise<string> {
  const id = blobs.newId();
  const temp = blobs.tempPath(id);
  await writeFile(temp, text);
  await blobs.publish(temp, id);
  return id;
}

async function readAll(blobs: BlobFiles, id: string): Promise<string | undefined> {
  const lease = await blobs.acquire(id);
  if (!lease) return undefined;
  try {
    const { size } = await lease.handle.stat();
    const bytes = Buffer.alloc(size);
    await lease.handle.read(bytes, 0, size, 0);
    return bytes.toString();
  } finally {
    lease.release();
  }
}

describe("S3 blob handle cache", () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "stratus-blob-handles-"));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function blobFiles(options: { capacity?: number; idleMs?: number } = {}): Promise<BlobFiles> {
    const blobs = new BlobFiles(await mkdtemp(join(dir, "b-")), options);
    await blobs.init();
    return blobs;
  }

  it("shares one handle between concurrent readers of a blob", async () => {
    const blobs = await blobFiles();
    const id = await store(blobs, "shared");
    const leases = await Promise.all(Array.from({ length: 8 }, () => blobs.acquire(id)));
    assert.equal(new Set(leases.map((lease) => lease?.handle)).size, 1, "one open file for all");
    assert.equal(blobs.cachedHandles, 1);
    for (const lease of leases) lease?.release();
    assert.equal(await readAll(blobs, id), "shared", "still open after every reader released it");
    blobs.closeHandles();
  });

  it("never holds more than its capacity, and keeps evicted handles open for their readers", async () => {
    const blobs = await blobFiles({ capacity: 3 });
    const ids = await Promise.all(Array.from({ length: 10 }, (_, i) => store(blobs, `blob ${i}`)));
    const held = await blobs.acquire(ids[0]!);
    assert.ok(held);
    for (const id of ids.slice(1)) {
      assert.equal(await readAll(blobs, id), `blob ${ids.indexOf(id)}`);
      assert.ok(blobs.cachedHandles <= 3, `${blobs.cachedHandles} cached`);
    }
    // The first blob's handle was evicted long ago, but its reader still holds it: it must be open.
    const bytes = Buffer.alloc(6);
    await held.handle.read(bytes, 0, 6, 0);
    assert.equal(bytes.toString(), "blob 0");
    held.release();
    await sleep(10);
    assert.equal(held.handle.fd, -1, "closed once its last reader released it");
    blobs.closeHandles();
  });

  it("drops the handle of a removed blob: closed when idle, kept for a reader until it releases", async () => {
    const blobs = await blobFiles();
    const idle = await store(blobs, "idle");
    const busy = await store(blobs, "busy");
    const idleLease = await blobs.acquire(idle);
    idleLease?.release();
    const busyLease = await blobs.acquire(busy);
    assert.ok(idleLease && busyLease);
    await blobs.remove(idle);
    await blobs.remove(busy);
    assert.equal(blobs.cachedHandles, 0);
    await sleep(10);
    assert.equal(idleLease.handle.fd, -1, "an unused handle closes at once");
    const bytes = Buffer.alloc(4);
    await busyLease.handle.read(bytes, 0, 4, 0);
    assert.equal(bytes.toString(), "busy", "a reader finishes with the removed file's bytes");
    busyLease.release();
    await sleep(10);
    assert.equal(busyLease.handle.fd, -1);
    assert.equal(await blobs.acquire(busy), undefined, "gone for new readers");
  });

  it("does not cache a handle whose blob was removed while it was being opened", async () => {
    const blobs = await blobFiles();
    const id = await store(blobs, "racing");
    const opening = blobs.acquire(id);
    await blobs.remove(id);
    const lease = await opening;
    // Either the open lost the race (gone) or it won and the handle is not cached.
    if (lease) {
      assert.equal(blobs.cachedHandles, 0);
      lease.release();
      await sleep(10);
      assert.equal(lease.handle.fd, -1);
    }
    assert.equal(await blobs.acquire(id), undefined);
  });

  it("closes handles left idle", async () => {
    const blobs = await blobFiles({ idleMs: 20 });
    const id = await store(blobs, "idle");
    const lease = await blobs.acquire(id);
    assert.ok(lease);
    lease.release();
    assert.equal(blobs.cachedHandles, 1);
    await sleep(100);
    assert.equal(blobs.cachedHandles, 0);
    assert.equal(lease.handle.fd, -1);
  });

  it("drops the handles of files the sweep removes", async () => {
    const blobs = await blobFiles();
    const id = await store(blobs, "orphan");
    (await blobs.acquire(id))?.release();
    assert.equal(blobs.cachedHandles, 1);
    assert.equal(await blobs.sweep(async () => false, new Date(Date.now() + 60_000)), 1);
    assert.equal(blobs.cachedHandles, 0);
  });
});
