import assert from "node:assert/strict";
import { test } from "node:test";
import { S3Store } from "../../../src/services/s3/store.ts";
import { openMemoryStore } from "../../../src/storage/memory-engine.ts";

async function bucketWith(store: S3Store): Promise<void> {
  await store.storage.transaction((tx) => {
    store.putBucket(tx, store.newBucketRecord("b", "000000000000", "us-east-1", 0));
  });
}

test("a setting written after a cached read is what the next read sees", async () => {
  const store = new S3Store(openMemoryStore());
  await bucketWith(store);
  assert.equal(await store.getVersioning(store.storage, "b"), undefined);
  assert.equal(await store.getVersioning(store.storage, "b"), undefined);
  await store.storage.transaction((tx) => store.putVersioning(tx, "b", "Enabled"));
  assert.equal(await store.getVersioning(store.storage, "b"), "Enabled");
  await store.storage.transaction((tx) => store.putVersioning(tx, "b", "Suspended"));
  assert.equal(await store.getVersioning(store.storage, "b"), "Suspended");
});

test("a value read while a transaction is writing it is not served once that transaction commits", async () => {
  const store = new S3Store(openMemoryStore());
  await bucketWith(store);
  let readDuringWrite: Promise<unknown> | undefined;
  await store.storage.transaction(async (tx) => {
    store.putConfig(tx, "lifecycle", "b", { rules: ["new"] });
    // Begun after the write was made but before it commits: it reads the old (absent) value.
    readDuringWrite = store.getConfig(store.storage, "lifecycle", "b");
    await readDuringWrite;
  });
  assert.equal(await readDuringWrite, undefined);
  assert.deepEqual(await store.getConfig(store.storage, "lifecycle", "b"), { rules: ["new"] });
});

test("a failed transaction leaves the stored value readable", async () => {
  const store = new S3Store(openMemoryStore());
  await bucketWith(store);
  await store.storage.transaction((tx) => store.putConfig(tx, "cors", "b", { rules: [1] }));
  await assert.rejects(
    store.storage.transaction((tx) => {
      store.putConfig(tx, "cors", "b", { rules: [2] });
      throw new Error("abandoned");
    }),
  );
  assert.deepEqual(await store.getConfig(store.storage, "cors", "b"), { rules: [1] });
});

test("a deleted bucket is gone for the next read, and cached values are frozen", async () => {
  const store = new S3Store(openMemoryStore());
  await bucketWith(store);
  const bucket = await store.getBucket(store.storage, "b");
  assert.ok(bucket);
  assert.throws(() => {
    (bucket as { region: string }).region = "eu-west-1";
  }, TypeError);
  await store.storage.transaction((tx) => store.deleteBucket(tx, bucket));
  assert.equal(await store.getBucket(store.storage, "b"), undefined);
});
