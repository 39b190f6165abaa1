/**
 * A bounded cache of open read-only FileHandles of blob files, so that a GET does not pay an open and
 * a close of its body's file (measured at about 10% of the main thread on 1 MB GETs, docs/benchmarks.md).
 *
 * This is sound because blob files are immutable: an id is written once (blobs.ts publishes a complete
 * file under a fresh random id) and never rewritten; an overwrite makes a new id and unlinks the old
 * file. So a cached handle always reads the bytes its id named.
 *
 * Lifetime: a handle is leased (`acquire` → `release`) by each reader and counted; it is closed only
 * once no reader holds it and it has left the cache, whichever comes last. It leaves the cache when
 * evicted (least recently used, past `capacity`), idle for `idleMs` (an unref'd timer: it never keeps
 * the process up), or dropped because its file was removed (`drop`, from BlobFiles.remove and sweep).
 * A reader that holds a dropped handle reads on to the end: the unlinked inode lives until the close.
 * An open that was still under way when its id was dropped is handed to its waiting readers but not
 * cached.
 *
 * ## Limits
 * - At most `capacity` handles cached; open descriptors ≤ capacity + the leases of evicted handles still
 *   being read (one per request in flight at most).
 */
import type { FileHandle } from "node:fs/promises";

/** 64 descriptors: far under the usual 1024 soft limit, and more than the benchmarks' 32 hot objects. */
export const HANDLES_CACHED_MAX = 64;
/** A handle unused this long is closed. */
export const HANDLE_IDLE_MS = 10_000;

/** One reader's hold on an open blob file; `release` exactly once, when done reading. */
export interface BlobLease {
  readonly handle: FileHandle;
  release(): void;
}

interface Entry {
  readonly id: string;
  readonly handle: FileHandle;
  /** Leases not yet released. */
  refs: number;
  /** In the cache; once out, the last release closes the handle. */
  cached: boolean;
  /** performance.now() of the last acquire or release. */
  usedAt: number;
}

export interface BlobHandlesOptions {
  readonly capacity?: number;
  readonly idleMs?: number;
}

export class BlobHandles {
  /** Least recently used first (Map keeps insertion order; a use re-inserts). */
  readonly #entries = new Map<string, Entry>();
  /** Opens under way, shared by concurrent readers of the same id. */
  readonly #opening = new Map<string, Promise<Entry | undefined>>();
  /** Ids dropped while their open was under way: not to be cached. */
  readonly #dropped = new Set<string>();
  readonly #open: (id: string) => Promise<FileHandle | undefined>;
  readonly #capacity: number;
  readonly #idleMs: number;
  #sweeper: NodeJS.Timeout | undefined;

  /** `open` answers undefined when the file does not exist. */
  constructor(open: (id: string) => Promise<FileHandle | undefined>, options: BlobHandlesOptions = {}) {
    this.#open = open;
    this.#capacity = options.capacity ?? HANDLES_CACHED_MAX;
    this.#idleMs = options.idleMs ?? HANDLE_IDLE_MS;
  }

  /** Handles now cached (never more than the capacity). */
  get size(): number {
    return this.#entries.size;
  }

  /** A lease on the open file of `id`; undefined when the file is gone. */
  async acquire(id: string): Promise<BlobLease | undefined> {
    let entry = this.#entries.get(id);
    if (entry) {
      this.#entries.delete(id);
      this.#entries.set(id, entry);
    } else {
      let opening = this.#opening.get(id);
      if (!opening) {
        opening = this.#openEntry(id);
        this.#opening.set(id, opening);
      }
      entry = await opening;
      if (!entry) return undefined;
    }
    entry.refs++;
    entry.usedAt = performance.now();
    const held = entry;
    let released = false;
    return {
      handle: held.handle,
      release: () => {
        if (released) return;
        released = true;
        this.#release(held);
      },
    };
  }

  /** The file of `id` was removed: its handle leaves the cache (closed once its readers are done). */
  drop(id: string): void {
    if (this.#opening.has(id)) this.#dropped.add(id);
    const entry = this.#entries.get(id);
    if (entry) this.#evict(entry);
  }

  /** Closes every handle no reader holds and empties the cache (held ones close on release). */
  clear(): void {
    for (const entry of [...this.#entries.values()]) this.#evict(entry);
  }

  async #openEntry(id: string): Promise<Entry | undefined> {
    let handle: FileHandle | undefined;
    let dropped: boolean;
    try {
      handle = await this.#open(id);
    } finally {
      this.#opening.delete(id);
      dropped = this.#dropped.delete(id);
    }
    if (!handle) return undefined;
    const entry: Entry = { id, handle, refs: 0, cached: !dropped, usedAt: performance.now() };
    if (!entry.cached) return entry;
    this.#entries.set(id, entry);
    for (const oldest of this.#entries.values()) {
      if (this.#entries.size <= this.#capacity) break;
      this.#evict(oldest);
    }
    this.#startSweeper();
    return entry;
  }

  #release(entry: Entry): void {
    entry.refs--;
    entry.usedAt = performance.now();
    if (entry.refs === 0 && !entry.cached) close(entry);
  }

  #evict(entry: Entry): void {
    if (!entry.cached) return;
    entry.cached = false;
    this.#entries.delete(entry.id);
    if (entry.refs === 0) close(entry);
  }

  #startSweeper(): void {
    if (this.#sweeper) return;
    this.#sweeper = setInterval(() => this.#sweepIdle(), Math.max(1, this.#idleMs / 2));
    this.#sweeper.unref();
  }

  #sweepIdle(): void {
    const now = performance.now();
    for (const entry of [...this.#entries.values()]) {
      if (entry.refs === 0 && now - entry.usedAt >= this.#idleMs) this.#evict(entry);
    }
    if (this.#entries.size === 0) {
      clearInterval(this.#sweeper);
      this.#sweeper = undefined;
    }
  }
}

function close(entry: Entry): void {
  // A close fails only on a descriptor already closed: nothing to do about it.
  entry.handle.close().catch(() => undefined);
}
