/**
 * Reading a stored object's body, whichever way it is stored: inline in the KV store
 * (inline-bodies.ts) or as a file (blobs.ts). Both answer undefined when the body is gone because the
 * version was replaced or deleted after its record was read; callers read the record again.
 */
import { createReadStream, open as openFd, read as readFd } from "node:fs";
import type { Readable } from "node:stream";
import type { S3Parts } from "./context.ts";
import { isInlineBlob } from "./inline-bodies.ts";
import type { ObjectRecord } from "./store.ts";

/** Long bodies are read in 1 MiB chunks: 16× fewer thread-pool round trips than the 64 KiB default. */
const READ_CHUNK_BYTES = 1024 * 1024;
/** What counts as long (see openBody). */
const LARGE_BODY_BYTES = 256 * 1024;
/**
 * The stream's file operations on a shared descriptor: fs.ReadStream closes its descriptor when it
 * ends or is destroyed, whatever `autoClose` says (Node 20), and this one belongs to the handle cache.
 */
const SHARED_FD = {
  open: openFd,
  read: readFd,
  close: (_fd: number, callback: (error: NodeJS.ErrnoException | null) => void) => callback(null),
};

/** Bytes `start`–`end` (inclusive) of the body: a Buffer for inline bodies, else a file stream. */
export async function openBody(
  s3: S3Parts,
  record: Pick<ObjectRecord, "blob">,
  start: number,
  end: number,
): Promise<Buffer | Readable | undefined> {
  if (isInlineBlob(record.blob)) {
    const bytes = await s3.store.getInlineBody(s3.store.storage, record.blob);
    if (!bytes) return undefined;
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).subarray(start, end + 1);
  }
  const lease = await s3.blobs.acquire(record.blob);
  if (!lease) return undefined;
  // Measured (docs/benchmarks.md, session 4): with the handle cache, no open and close per GET, the
  // server spent 0.146 % of a core per MB/s of 1 MB GETs instead of 0.264 (medians of 6 interleaved
  // runs each, lean client). Reading a ≤ 1 MiB body whole into one Buffer and answering the Buffer
  // measured worse than this stream (0.213) and was not kept.
  // Measured (docs/benchmarks.md, s3): 1 MB GETs at 32 in flight went from 544 to ~850 MB/s with one
  // 1 MiB read instead of sixteen 64 KiB ones, as measured by a lean socket client (autocannon itself
  // tops out near 550 MB/s here). An earlier autocannon-only measurement had favoured 64 KiB chunks:
  // the load generator, not the server, was the limit then. Small bodies keep the default.
  const large = end - start + 1 > LARGE_BODY_BYTES;
  const stream = createReadStream("", {
    fd: lease.handle.fd,
    fs: SHARED_FD,
    start,
    end,
    ...(large ? { highWaterMark: READ_CHUNK_BYTES } : {}),
  });
  // Emitted once whether the stream ended, failed or was destroyed by its reader.
  stream.once("close", lease.release);
  return stream;
}

/** The whole body in memory (website pages, copies into an inline body); undefined when it is gone. */
export async function readWholeBody(
  s3: S3Parts,
  record: Pick<ObjectRecord, "blob" | "size">,
): Promise<Buffer | undefined> {
  if (record.size === 0) return Buffer.alloc(0);
  const body = await openBody(s3, record, 0, record.size - 1);
  if (body === undefined || Buffer.isBuffer(body)) return body;
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of body) chunks.push(chunk as Buffer);
  } catch (error) {
    // Removed while being read (an overwrite's cleanup): as gone.
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  return Buffer.concat(chunks);
}
