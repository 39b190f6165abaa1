/**
 * Small object bodies kept in the KV store instead of files.
 *
 * Why: a file-backed PUT pays a file fsync, a rename and a directory fsync before its KV commit; an
 * inline body rides in the object's own KV transaction, and the LMDB engine group-commits concurrent
 * transactions under one fsync. Bodies up to INLINE_BODY_MAX bytes are stored at ("s3", "inline", id)
 * (a sibling key, so listings, which decode every object record, never read bodies).
 *
 * An inline body's blob id starts with `i` (file blob ids are 32 hex digits), so every place that
 * handles blob ids tells them apart without a record field: inline bodies have no file, no
 * ("s3", "blob", id) name (the orphan sweep only looks at files) and go away in the transaction that
 * forgets them (store.ts `forgetBlob`).
 */
import { randomUUID } from "node:crypto";
import { type FileHandle, open, rm } from "node:fs/promises";
import type { Readable } from "node:stream";
import type { BodyDigests } from "./upload-digest.ts";

/**
 * The largest body stored inline. Measured (docs/benchmarks.md, s3): inline halves the CPU of a PUT
 * even at 128 KB (2.5 → 1.3 ms) and quarters it at 1 KB; the limit is also what one upload may hold in
 * memory before it spills to a file, so it stays well below the 1 MB bodies that stream best as files.
 */
export const INLINE_BODY_MAX = 128 * 1024;

/** File writes are batched to at least this many bytes: fewer syscalls and thread-pool hops. */
const WRITE_BATCH_BYTES = 1024 * 1024;

/** `i` and 32 hex digits (122 random bits): randomUUID draws from a cached entropy pool, cheaper than randomBytes. */
export function newInlineId(): string {
  return `i${randomUUID().replaceAll("-", "")}`;
}

export function isInlineBlob(id: string): boolean {
  return id.charCodeAt(0) === 0x69; // "i"
}

/**
 * Inline bodies read lately, by blob id, least recently used first; at most INLINE_CACHE_BYTES in all.
 * Exact without any check: an inline blob id names one body for good (ids are random and never
 * reused; a new body gets a new id). A body forgotten by a write leaves at once; one being read while
 * its version was replaced may come back, and is then only ever served to a reader that already holds
 * the record naming it (as a file body stays readable to the reader holding it) until it ages out.
 * Why: a 1 KB GET's body read was its last storage read and ~8 % of its CPU (the read transaction's
 * renewal and a copy into a fresh buffer), docs/benchmarks.md, s3, session 5.
 */
export class InlineBodyCache {
  readonly #bodies = new Map<string, Uint8Array>();
  #bytes = 0;

  get(id: string): Uint8Array | undefined {
    const body = this.#bodies.get(id);
    if (body !== undefined) {
      this.#bodies.delete(id);
      this.#bodies.set(id, body);
    }
    return body;
  }

  set(id: string, body: Uint8Array): void {
    this.delete(id);
    this.#bodies.set(id, body);
    this.#bytes += body.length;
    for (const [oldest, old] of this.#bodies) {
      if (this.#bytes <= INLINE_CACHE_BYTES) break;
      this.#bodies.delete(oldest);
      this.#bytes -= old.length;
    }
  }

  delete(id: string): void {
    const body = this.#bodies.get(id);
    if (body === undefined) return;
    this.#bodies.delete(id);
    this.#bytes -= body.length;
  }
}

/** Memory kept for InlineBodyCache: 256 bodies of the largest inline size, far more of small ones. */
const INLINE_CACHE_BYTES = 32 * 1024 * 1024;

/** Where a received body ended up: in memory (small enough to be inline) or in a durable temp file. */
export type Received = { kind: "inline"; bytes: Buffer } | { kind: "file"; temp: string };

/**
 * Reads `body`, feeding every chunk to `digests` once. The first `limit` bytes are kept in memory;
 * only once the body is longer does it go to the file `tempPath()` names (the kept bytes first),
 * written in large batches with one write in flight while the next batch is read, then fsync'd.
 * Memory stays bounded by `limit` plus two batches whatever the body's size; reading pauses while a
 * full batch waits for the write before it (backpressure). On failure the temp file is removed.
 *
 * A plain loop rather than stream.pipeline: pipeline's per-call AbortController (and the DOMException
 * it builds on every finish) was a measurable share of a 1 KB PUT's CPU.
 */
export async function receiveSpilling(
  body: Readable | Buffer,
  digests: BodyDigests,
  limit: number,
  tempPath: () => string,
): Promise<Received> {
  if (Buffer.isBuffer(body) && body.length <= limit) {
    digests.update(body);
    return { kind: "inline", bytes: body };
  }
  const kept: Buffer[] = [];
  let keptBytes = 0;
  let temp: string | undefined;
  let handle: FileHandle | undefined;
  let inFlight: Promise<unknown> | undefined;
  let batch: Buffer[] = [];
  let batchBytes = 0;
  try {
    for await (const item of Buffer.isBuffer(body) ? [body] : (body as AsyncIterable<unknown>)) {
      // In-process callers may stream strings or Uint8Arrays; the edge streams Buffers.
      const chunk = asBuffer(item);
      digests.update(chunk);
      if (!handle) {
        kept.push(chunk);
        keptBytes += chunk.length;
        if (keptBytes <= limit) continue;
        temp = tempPath();
        handle = await open(temp, "w", 0o644);
        batch = kept.splice(0);
        batchBytes = keptBytes;
      } else {
        batch.push(chunk);
        batchBytes += chunk.length;
      }
      if (batchBytes >= WRITE_BATCH_BYTES) {
        await inFlight;
        inFlight = writeAll(handle, batch);
        batch = [];
        batchBytes = 0;
      }
    }
    if (handle) {
      await inFlight;
      inFlight = undefined;
      if (batch.length > 0) await writeAll(handle, batch);
      // Durable before the caller renames it into place and commits metadata naming it.
      await handle.sync();
    }
  } catch (error) {
    // A failed body must not leave a write racing the removal.
    await inFlight?.catch(() => undefined);
    await handle?.close().catch(() => undefined);
    if (temp !== undefined) await rm(temp, { force: true });
    throw error;
  }
  if (!handle || temp === undefined) return { kind: "inline", bytes: Buffer.concat(kept, keptBytes) };
  await handle.close();
  return { kind: "file", temp };
}

function asBuffer(item: unknown): Buffer {
  if (Buffer.isBuffer(item)) return item;
  if (typeof item === "string") return Buffer.from(item);
  if (item instanceof Uint8Array) return Buffer.from(item.buffer, item.byteOffset, item.byteLength);
  throw new TypeError("S3 bodies are streams of bytes or strings");
}

/** writev appends at the current position; a short write (rare, e.g. near a full disk) is resumed. */
async function writeAll(handle: FileHandle, buffers: Buffer[]): Promise<void> {
  let rest = buffers;
  for (let round = 0; round < 1_000_000 && rest.length > 0; round++) {
    const { bytesWritten } = await handle.writev(rest);
    rest = dropBytes(rest, bytesWritten);
  }
}

function dropBytes(buffers: Buffer[], count: number): Buffer[] {
  let left = count;
  let index = 0;
  while (index < buffers.length && left >= (buffers[index] as Buffer).length) {
    left -= (buffers[index] as Buffer).length;
    index++;
  }
  const rest = buffers.slice(index);
  if (left > 0 && rest.length > 0) rest[0] = (rest[0] as Buffer).subarray(left);
  return rest;
}
