/**
 * Object bodies as files under the blob dir:
 *
 *   <blobDir>/s3/objects/<2 hex>/<32 hex>   one file per stored body, named by a random blob id
 *   <blobDir>/s3/tmp/<32 hex>               bodies being received, renamed into objects/ once complete
 *
 * A body is streamed to a temp file (backpressure all the way from the socket: never held whole in
 * memory), flushed to disk (fsync) on close, then renamed into objects/ and the directory fsync'd.
 * Only then does the caller commit the metadata that points at it (store.ts), so that metadata never
 * names a missing file. A crash between rename and commit leaves an orphan file; `sweep` removes
 * files that no committed metadata names.
 *
 * Reads go through a cache of open handles (blob-handles.ts): a published file is never rewritten, so
 * its handle stays good until the file is removed, and every removal here drops it from the cache.
 */
import { randomUUID } from "node:crypto";
import { createWriteStream } from "node:fs";
import { copyFile, type FileHandle, mkdir, open, readdir, rename, rm, stat, unlink } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { BlobHandles, type BlobHandlesOptions, type BlobLease } from "./blob-handles.ts";

export class BlobFiles {
  readonly #objectsDir: string;
  readonly #tmpDir: string;
  readonly #handles: BlobHandles;

  constructor(blobDir: string, handles: BlobHandlesOptions = {}) {
    this.#objectsDir = join(blobDir, "s3", "objects");
    this.#tmpDir = join(blobDir, "s3", "tmp");
    this.#handles = new BlobHandles((id) => this.open(id), handles);
  }

  /** Creates the folders and drops temp files a previous run left behind (uploads that never finished). */
  async init(): Promise<void> {
    await rm(this.#tmpDir, { recursive: true, force: true });
    await mkdir(this.#tmpDir, { recursive: true });
    await mkdir(this.#objectsDir, { recursive: true });
  }

  /** 32 hex digits; randomUUID draws from a cached entropy pool, cheaper than randomBytes per call. */
  newId(): string {
    return randomUUID().replaceAll("-", "");
  }

  pathOf(id: string): string {
    return join(this.#objectsDir, id.slice(0, 2), id);
  }

  tempPath(id: string): string {
    return join(this.#tmpDir, id);
  }

  /**
   * Streams `body` through `taps` (hashes that see every byte) into a temp file, fsync'd at close.
   * Rejects with the body's own error (a failed signature or checksum check) after removing the file.
   */
  async receive(id: string, body: Readable, taps: Transform[]): Promise<string> {
    const temp = this.tempPath(id);
    // `flush: true`: the descriptor is fsync'd before it closes, so a renamed file is a durable one.
    const file = createWriteStream(temp, { flush: true, mode: 0o644 });
    try {
      await pipeline([body, ...taps, file]);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
    return temp;
  }

  /** A durable copy of a stored body, as a temp file to `publish`. */
  async copyToTemp(sourceId: string, id: string): Promise<string> {
    const temp = this.tempPath(id);
    await copyFile(this.pathOf(sourceId), temp);
    const handle = await open(temp, "r+");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    return temp;
  }

  /** Moves a complete temp file to its final name, durably (the directory entry is fsync'd too). */
  async publish(temp: string, id: string): Promise<void> {
    const target = this.pathOf(id);
    // A shard folder made just now must itself be durable, or a crash could take the file with it.
    if ((await mkdir(dirname(target), { recursive: true })) !== undefined) await syncDir(this.#objectsDir);
    await rename(temp, target);
    await syncDir(dirname(target));
  }

  async discardTemp(temp: string): Promise<void> {
    await rm(temp, { force: true });
  }

  /** Removes a stored body; a missing file is fine (already swept, or never published). */
  async remove(id: string): Promise<void> {
    try {
      await unlink(this.pathOf(id)).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== "ENOENT") throw error;
      });
    } finally {
      // After the unlink: an open that starts later fails (ENOENT), one under way is not cached.
      this.#handles.drop(id);
    }
  }

  /**
   * A lease on the open file of a stored body, from the handle cache; undefined when the file is gone
   * (replaced since the metadata was read). Release it once done reading; never close its handle.
   */
  acquire(id: string): Promise<BlobLease | undefined> {
    return this.#handles.acquire(id);
  }

  /** Handles cached now (tests). */
  get cachedHandles(): number {
    return this.#handles.size;
  }

  /** Closes the cached handles that no reader holds (held ones close on release). */
  closeHandles(): void {
    this.#handles.clear();
  }

  /** Opens a stored body for reading; undefined when the file is gone (replaced since the metadata was read). */
  async open(id: string): Promise<FileHandle | undefined> {
    try {
      return await open(this.pathOf(id), "r");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw error;
    }
  }

  /**
   * Removes object files no metadata names (`isLive` false) that were last written before `before`:
   * orphans of a crash between publish and commit, or of a replaced body whose removal was cut short.
   * Files newer than `before` may belong to uploads in flight and are left alone.
   */
  async sweep(isLive: (id: string) => Promise<boolean>, before: Date): Promise<number> {
    let removed = 0;
    for (const shard of await readdir(this.#objectsDir).catch(() => [] as string[])) {
      const dir = join(this.#objectsDir, shard);
      for (const name of await readdir(dir).catch(() => [] as string[])) {
        const info = await stat(join(dir, name)).catch(() => undefined);
        if (!info || info.mtime >= before || (await isLive(name))) continue;
        await rm(join(dir, name), { force: true });
        this.#handles.drop(name);
        removed++;
      }
    }
    return removed;
  }
}

/** fsync of a directory: makes the entries created or renamed in it durable. */
async function syncDir(path: string): Promise<void> {
  const dir = await open(path, "r");
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}
