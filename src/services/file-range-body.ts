/**
 * A response body that is a byte range of an open file (an S3 object's body file), readable as any
 * stream, which the edge can also write to the socket itself through reused buffers (edge/write.ts).
 *
 * Why: a file stream allocates a new buffer per read. At 1.5 GB/s of 1 MB GETs that is 1.5 GB/s of
 * memory outside V8's heap, which drives V8's major garbage collections; after a few idle seconds V8
 * shrinks its heap limits and the same load then spent ~40 % of the CPU in concurrent marking and ran
 * at half speed (0.85 against 1.5–1.9 GB/s, docs/benchmarks.md, s3, session 5). Written through a
 * small pool of reused buffers, the body allocates nothing per read.
 *
 * `release` is called exactly once, whichever way the body ends: read to its end, destroyed, or
 * written by the edge.
 */
import { read } from "node:fs";
import { Readable } from "node:stream";

export interface FileRange {
  readonly fd: number;
  /** First and last byte (inclusive), as in a Range header. */
  readonly start: number;
  readonly end: number;
}

/** Reads per chunk: one read for a 1 MB object. */
export const FILE_CHUNK_BYTES = 1024 * 1024;
/** Bodies up to this size are read 64 KiB at a time by stream consumers, as a file stream would. */
const SMALL_BODY_BYTES = 256 * 1024;

export class FileRangeBody extends Readable {
  readonly range: FileRange;
  #position: number;
  #release: (() => void) | undefined;

  constructor(range: FileRange, release: () => void) {
    const length = range.end - range.start + 1;
    super(length > SMALL_BODY_BYTES ? { highWaterMark: FILE_CHUNK_BYTES } : {});
    this.range = range;
    this.#position = range.start;
    this.#release = release;
  }

  /** Gives the lease back (at most once). */
  release(): void {
    const release = this.#release;
    this.#release = undefined;
    release?.();
  }

  override _read(size: number): void {
    const left = this.range.end - this.#position + 1;
    if (left <= 0) {
      this.push(null);
      return;
    }
    const buffer = Buffer.allocUnsafeSlow(Math.min(left, Math.max(size, 1)));
    read(this.range.fd, buffer, 0, buffer.length, this.#position, (error, bytesRead) => {
      if (error) {
        this.destroy(error);
        return;
      }
      if (bytesRead === 0) {
        this.destroy(new Error("file body ended before its range"));
        return;
      }
      this.#position += bytesRead;
      this.push(bytesRead === buffer.length ? buffer : buffer.subarray(0, bytesRead));
    });
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.release();
    callback(error);
  }
}
