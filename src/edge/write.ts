/** Writes an encoded response: status, headers, and a body of bytes, text or a stream. */

import { read } from "node:fs";
import type { ServerResponse } from "node:http";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { EncodedResponse } from "../aws/protocols/protocol.ts";
import { FILE_CHUNK_BYTES, FileRangeBody } from "../services/file-range-body.ts";

/** A promise only for a streamed body: the pipeline awaits nothing for the usual buffered answer. */
export function writeResponse(
  res: ServerResponse,
  response: EncodedResponse,
  method: string,
): Promise<void> | undefined {
  if (res.headersSent) {
    res.end();
    return undefined;
  }
  const { body } = response;
  if (body instanceof Readable) {
    for (const [name, value] of Object.entries(response.headers)) res.setHeader(name, value);
    res.statusCode = response.status;
    if (method === "HEAD") {
      body.destroy();
      res.end();
      return undefined;
    }
    return body instanceof FileRangeBody ? writeFileRange(res, body) : writeStream(res, body);
  }
  // One writeHead with the whole header object instead of a setHeader per header (each of which
  // validates, lower-cases and files its header in a second object), then one end() with the body:
  // Node sends status line, headers and body in a single write.
  let headers = response.headers;
  if (body !== undefined && !hasContentLength(headers)) {
    const length = typeof body === "string" ? Buffer.byteLength(body) : body.length;
    // Object.assign, not a spread: on Node 20 `{ ...headers, name: value }` measured 1.3–3 µs per
    // response against ~0.2 µs (profile of the execute-api plane, session 4).
    headers = Object.assign({}, headers);
    headers["Content-Length"] = String(length);
  }
  holdUntilTurnEnds(res);
  res.writeHead(response.status, headers);
  res.end(method === "HEAD" ? undefined : body);
  return undefined;
}

/**
 * Sockets whose answers wait for the end of this event-loop turn. Why: on this machine (a VM, 2
 * cores) a write that wakes a sleeping client costs the writer an inter-processor interrupt, a third of
 * a 1 KB S3 GET's CPU; answers of one turn written back to back wake the client once. Measured on a
 * bare node:http server doing 60 µs of work per request: +3–8 % requests/s. A few microseconds of
 * latency at most: the turn's last answer waits for nothing.
 */
let held: Array<NonNullable<ServerResponse["socket"]>> = [];

function holdUntilTurnEnds(res: ServerResponse): void {
  const socket = res.socket;
  if (socket === null || socket.destroyed) return;
  socket.cork();
  if (held.push(socket) === 1) setImmediate(releaseHeld);
}

function releaseHeld(): void {
  const sockets = held;
  held = [];
  for (const socket of sockets) socket.uncork();
}

async function writeStream(res: ServerResponse, body: Readable): Promise<void> {
  await pipeline(body, res).catch(() => res.destroy());
}

/**
 * A file range written through reused buffers (services/file-range-body.ts says why): two buffers per
 * body, so the next chunk is read while the last is being written. A buffer goes back to the pool once
 * the socket has taken its bytes (the write's callback).
 */
async function writeFileRange(res: ServerResponse, body: FileRangeBody): Promise<void> {
  const { fd, start, end } = body.range;
  if (end < start) {
    body.destroy();
    res.end();
    return;
  }
  const buffers = [takeBuffer(), takeBuffer()];
  // Settles when the response closes before it finished (the client went away): a write callback that
  // may never come is not waited for.
  let onClose: (() => void) | undefined;
  const closed = new Promise<"closed">((resolve) => {
    onClose = () => resolve("closed");
    res.once("close", onClose);
  });
  let writing: Promise<Error | "closed" | undefined> | undefined;
  try {
    let position = start;
    // Bounded by the range: every pass moves `position` on by at least one byte, or throws.
    for (let turn = 0; position <= end; turn++) {
      const buffer = buffers[turn % 2] as Buffer;
      const bytesRead = await readAt(fd, buffer, Math.min(buffer.length, end - position + 1), position);
      if (bytesRead === 0) throw new Error("file body ended before its range");
      position += bytesRead;
      if ((await writing) !== undefined) throw new Error("response failed");
      writing = Promise.race([writeChunk(res, buffer.subarray(0, bytesRead)), closed]);
    }
    if ((await writing) !== undefined) throw new Error("response failed");
    res.end();
  } catch {
    // The chunk in flight, if any, keeps its buffer until the socket lets go of it.
    if ((await writing) === "closed") buffers.length = 0;
    res.destroy();
  } finally {
    if (onClose) res.off("close", onClose);
    for (const buffer of buffers) giveBuffer(buffer);
    body.destroy();
  }
}

const spareBuffers: Buffer[] = [];
/** Buffers kept for reuse: two per body in flight at the benchmarks' 32. */
const SPARE_BUFFERS_MAX = 64;

function takeBuffer(): Buffer {
  return spareBuffers.pop() ?? Buffer.allocUnsafeSlow(FILE_CHUNK_BYTES);
}

function giveBuffer(buffer: Buffer): void {
  if (spareBuffers.length < SPARE_BUFFERS_MAX) spareBuffers.push(buffer);
}

function readAt(fd: number, buffer: Buffer, length: number, position: number): Promise<number> {
  return new Promise((resolve, reject) => {
    read(fd, buffer, 0, length, position, (error, bytesRead) => (error ? reject(error) : resolve(bytesRead)));
  });
}

/** Settles once the socket has taken the chunk's bytes, with the error if the write failed. Never rejects. */
function writeChunk(res: ServerResponse, chunk: Buffer): Promise<Error | undefined> {
  return new Promise((resolve) => {
    res.write(chunk, (error) => resolve(error ?? undefined));
  });
}

function hasContentLength(headers: EncodedResponse["headers"]): boolean {
  for (const name in headers) {
    if (name.length === 14 && name.toLowerCase() === "content-length") return true;
  }
  return false;
}
