// A small HTTP/1.1 server for the Runtime API, on node:net. node:http cost a third of Stratus's CPU per
// warm invoke on this path (IncomingMessage and ServerResponse objects, header validation, stream
// machinery) and, above all, one socket write per answer: each write to loopback wakes the runtime
// process. Owning the bytes lets the server send the 202 of a result together with the next event when
// the runtime pipelined its GET /invocation/next behind the result (the Node.js and Python bootstraps
// do): one write and one wake-up per invoke instead of two.
//
// What it accepts, as node:http does for these clients (curl, Go, Rust, Java, the AWS runtime
// interface clients): HTTP/1.0 and 1.1, Content-Length or chunked bodies (trailers skipped),
// `Expect: 100-continue`, `Connection: close`/`keep-alive`, pipelining with answers in request order.
// Malformed requests get 400 (431 for a head over 16 KB, node's limit) and the connection is closed.
//
// ## By design
// - An answer that is ready while a request received after it on the same connection still waits
//   for its own is held back and written with it. Such a client pipelined, so it did not wait for the
//   earlier answer before sending the next request; it gets both at once.
// - A body is kept up to `bodyBytesMax` and counted beyond it (the handler reports the size).
import { STATUS_CODES } from "node:http";
import { createServer, type Server, type Socket } from "node:net";

const HEAD_BYTES_MAX = 16 * 1024;
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const INVALID_HEADER_CHAR = /[^\t\x20-\x7e\x80-\xff]/;
const EMPTY = Buffer.alloc(0);

export interface Http1Request {
  method: string;
  /** The request target as sent (path and query). */
  target: string;
  /** Header names in lower case; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** The body, or its first `bodyBytesMax` bytes. */
  body: Buffer;
  /** The whole body's size. */
  bodySize: number;
}

/** The answer to one request; `send` may be called later (a long-polled GET). */
export interface Http1Reply {
  send(status: number, headers: readonly string[], body: Buffer): void;
  /** Closes the connection without an answer. */
  destroy(): void;
  /** The connection is gone: the answer will never be read. */
  readonly closed: boolean;
  /** Called once when the connection closes before the answer was sent. */
  onClose: (() => void) | undefined;
}

export type Http1Handler = (request: Http1Request, reply: Http1Reply) => void;

/** A request whose body is being read. */
interface BodyState {
  request: Http1Request;
  closeAfter: boolean;
  /** Body bytes still to read (chunked: of the current chunk). */
  remaining: number;
  chunked: boolean;
  /** Chunked: inside a chunk's data, or before a chunk-size line. */
  inChunk: boolean;
  chunks: Buffer[];
}

/**
 * One request's place in its connection's answer queue. A class rather than an object literal with a
 * getter and two closures: two are made per invoke (the result's POST and the next GET).
 */
class Slot implements Http1Reply {
  bytes: Buffer | undefined = undefined;
  onClose: (() => void) | undefined = undefined;
  readonly #connection: Connection;
  readonly closeAfter: boolean;
  /** A HEAD request, answered without the body (its Content-Length stays). */
  readonly head: boolean;

  constructor(connection: Connection, closeAfter: boolean, head: boolean) {
    this.#connection = connection;
    this.closeAfter = closeAfter;
    this.head = head;
  }

  get closed(): boolean {
    return this.#connection.closed;
  }

  send(status: number, headers: readonly string[], body: Buffer): void {
    this.#connection.answer(this, status, headers, body);
  }

  destroy(): void {
    this.#connection.destroy();
  }
}

class ParseError extends Error {
  constructor(readonly status: 400 | 431) {
    super(STATUS_CODES[status]);
  }
}

let dateSecond = -1;
let dateText = "";
/** The Date header's value, formatted once per second as node:http does. */
function httpDate(): string {
  const now = Date.now();
  const second = Math.floor(now / 1000);
  if (second !== dateSecond) {
    dateSecond = second;
    dateText = new Date(now).toUTCString();
  }
  return dateText;
}

class Connection {
  readonly #socket: Socket;
  readonly #handler: Http1Handler;
  readonly #bodyBytesMax: number;
  #buffer: Buffer = EMPTY;
  #queue: Slot[] = [];
  #closed = false;
  /** Requests of one chunk are being handed over: answers wait for #onData's flush. */
  #parsing = false;
  /** No more requests are read: a parse error, or a request asking to close. */
  #stopped = false;
  /** The request whose body is being read. */
  #current: BodyState | undefined;

  constructor(socket: Socket, handler: Http1Handler, bodyBytesMax: number) {
    this.#socket = socket;
    this.#handler = handler;
    this.#bodyBytesMax = bodyBytesMax;
    socket.setNoDelay(true);
    socket.on("data", (chunk: Buffer) => this.#onData(chunk));
    socket.on("error", () => socket.destroy());
    socket.on("close", () => this.#onClose());
  }

  destroy(): void {
    this.#socket.destroy();
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Slot.send: the answer is formatted now and written once the answers before it are. */
  answer(slot: Slot, status: number, headers: readonly string[], body: Buffer): void {
    if (slot.bytes !== undefined || this.#closed) return;
    slot.bytes = this.#format(status, headers, body, slot.closeAfter, slot.head);
    if (!this.#parsing) this.#flush();
  }

  #onClose(): void {
    this.#closed = true;
    const queue = this.#queue;
    this.#queue = [];
    for (const slot of queue) {
      if (slot.bytes === undefined) slot.onClose?.();
    }
  }

  #onData(chunk: Buffer): void {
    if (this.#stopped) return;
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    // Answers given while this chunk's requests are handed over are written after all of them are:
    // a result's 202 then meets the GET /invocation/next pipelined behind it, and waits for it.
    this.#parsing = true;
    try {
      // Bounded: every turn consumes bytes or returns.
      for (;;) {
        if (this.#current === undefined && !this.#readHead()) return;
        if (!this.#readBody()) return;
        if (this.#stopped) return;
      }
    } catch (error) {
      this.#stopped = true;
      this.#buffer = Buffer.alloc(0);
      this.#current = undefined;
      // As node:http answers a request it cannot parse.
      const status = error instanceof ParseError ? error.status : 400;
      const slot = this.#slot(true, false);
      slot.bytes = Buffer.from(
        `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\n\r\n`,
        "latin1",
      );
    } finally {
      this.#parsing = false;
      this.#flush();
    }
  }

  /** Parses one request head from the buffer; false when it is not complete yet. */
  #readHead(): boolean {
    // Empty lines before a request line are skipped (RFC 9112 §2.2), as node:http does.
    let start = 0;
    while (this.#buffer[start] === 13 && this.#buffer[start + 1] === 10) start += 2;
    if (start > 0) this.#buffer = this.#buffer.subarray(start);
    const end = this.#buffer.indexOf("\r\n\r\n");
    if (end < 0) {
      if (this.#buffer.length > HEAD_BYTES_MAX) throw new ParseError(431);
      return false;
    }
    if (end > HEAD_BYTES_MAX) throw new ParseError(431);
    const lines = this.#buffer.toString("latin1", 0, end).split("\r\n");
    this.#buffer = this.#buffer.subarray(end + 4);
    const [method, target, version, extra] = lines[0]!.split(" ");
    if (
      method === undefined ||
      !TOKEN.test(method) ||
      !target ||
      extra !== undefined ||
      (version !== "HTTP/1.1" && version !== "HTTP/1.0")
    ) {
      throw new ParseError(400);
    }
    const headers: Record<string, string> = {};
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i]!;
      const colon = line.indexOf(":");
      const name = colon > 0 ? line.slice(0, colon).toLowerCase() : "";
      if (!TOKEN.test(name)) throw new ParseError(400);
      const value = line.slice(colon + 1).trim();
      const previous = headers[name];
      headers[name] = previous === undefined ? value : `${previous}, ${value}`;
    }
    const connection = (headers.connection ?? "").toLowerCase();
    const closeAfter =
      version === "HTTP/1.0" ? !connection.includes("keep-alive") : connection.includes("close");
    const encoding = headers["transfer-encoding"];
    const length = headers["content-length"];
    let chunked = false;
    let remaining = 0;
    if (encoding !== undefined) {
      if (length !== undefined || !/(^|,)\s*chunked\s*$/i.test(encoding)) throw new ParseError(400);
      chunked = true;
    } else if (length !== undefined) {
      if (!/^\d{1,15}$/.test(length)) throw new ParseError(400);
      remaining = Number(length);
    }
    // Not while earlier answers are still to come: they must reach the client first. A client that
    // gets no 100 sends its body after a while anyway (curl: 1 s).
    if (
      (headers.expect ?? "").toLowerCase() === "100-continue" &&
      version === "HTTP/1.1" &&
      this.#queue.length === 0
    ) {
      this.#socket.write("HTTP/1.1 100 Continue\r\n\r\n");
    }
    this.#current = {
      request: { method, target, headers, body: Buffer.alloc(0), bodySize: 0 },
      closeAfter,
      remaining,
      chunked,
      inChunk: false,
      chunks: [],
    };
    return true;
  }

  /** Reads the current request's body; once complete, hands the request over. False: need more bytes. */
  #readBody(): boolean {
    const current = this.#current!;
    if (!current.chunked) {
      if (!this.#take(current)) return false;
    } else {
      // Bounded: every turn consumes bytes or returns.
      for (;;) {
        if (current.inChunk) {
          if (!this.#take(current)) return false;
          // The CRLF after a chunk's data.
          if (this.#buffer.length < 2) return false;
          if (this.#buffer[0] !== 13 || this.#buffer[1] !== 10) throw new ParseError(400);
          this.#buffer = this.#buffer.subarray(2);
          current.inChunk = false;
          continue;
        }
        const eol = this.#buffer.indexOf("\r\n");
        if (eol < 0) {
          if (this.#buffer.length > HEAD_BYTES_MAX) throw new ParseError(400);
          return false;
        }
        const sizeText = this.#buffer.toString("latin1", 0, eol).split(";")[0]!.trim();
        if (!/^[0-9a-fA-F]{1,12}$/.test(sizeText)) throw new ParseError(400);
        const size = Number.parseInt(sizeText, 16);
        if (size > 0) {
          this.#buffer = this.#buffer.subarray(eol + 2);
          current.remaining = size;
          current.inChunk = true;
          continue;
        }
        // The last chunk: trailers (skipped) up to an empty line; "0\r\n\r\n" has none.
        const end = this.#buffer.indexOf("\r\n\r\n", eol);
        if (end < 0) {
          if (this.#buffer.length > HEAD_BYTES_MAX) throw new ParseError(431);
          return false;
        }
        this.#buffer = this.#buffer.subarray(end + 4);
        break;
      }
    }
    this.#current = undefined;
    const { request, chunks, closeAfter } = current;
    request.body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
    if (closeAfter) this.#stopped = true;
    this.#handler(request, this.#slot(closeAfter, request.method === "HEAD"));
    return true;
  }

  /** Moves up to `remaining` body bytes out of the buffer; true once none remain. */
  #take(current: BodyState): boolean {
    const take = Math.min(current.remaining, this.#buffer.length);
    if (take > 0) {
      this.#keep(current, this.#buffer.subarray(0, take));
      // An empty view would still hold the whole chunk it was cut from.
      this.#buffer = take === this.#buffer.length ? EMPTY : this.#buffer.subarray(take);
      current.remaining -= take;
    }
    return current.remaining === 0;
  }

  #keep(current: BodyState, bytes: Buffer): void {
    const kept = current.request.bodySize;
    current.request.bodySize += bytes.length;
    if (kept >= this.#bodyBytesMax) return;
    current.chunks.push(
      kept + bytes.length <= this.#bodyBytesMax ? bytes : bytes.subarray(0, this.#bodyBytesMax - kept),
    );
  }

  /** `head`: a HEAD request, answered without the body (its Content-Length stays). */
  #slot(closeAfter: boolean, head: boolean): Slot {
    const slot = new Slot(this, closeAfter, head);
    this.#queue.push(slot);
    return slot;
  }

  #format(status: number, headers: readonly string[], body: Buffer, close: boolean, head: boolean): Buffer {
    let text = `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? "Unknown"}\r\n`;
    for (let i = 0; i + 1 < headers.length; i += 2) {
      const value = headers[i + 1]!;
      // node:http's check: a CR or LF would split the head, and the head is latin1.
      if (INVALID_HEADER_CHAR.test(value)) {
        throw Object.assign(new TypeError(`Invalid character in header content ["${headers[i]}"]`), {
          code: "ERR_INVALID_CHAR",
        });
      }
      text += `${headers[i]}: ${value}\r\n`;
    }
    if (headers.length === 0) text += `Content-Length: ${body.length}\r\n`;
    text += `Date: ${httpDate()}\r\nConnection: ${close ? "close" : "keep-alive"}\r\n\r\n`;
    // Head and body in one allocation (a latin1 head is one byte per character), not a head buffer
    // and then a concatenation: this runs once per invoke for the event it hands to the runtime.
    const bodyBytes = head ? 0 : body.length;
    const bytes = Buffer.allocUnsafe(text.length + bodyBytes);
    bytes.write(text, 0, "latin1");
    if (bodyBytes > 0) body.copy(bytes, text.length);
    return bytes;
  }

  /**
   * Writes the answers ready at the head of the queue, in one write. While a request received after
   * them still waits for its answer they are held (see the header): on the Runtime API every request
   * is answered without the client's help (a POST at once, GET /invocation/next when an event comes),
   * so holding never deadlocks.
   */
  #flush(): void {
    let ready = 0;
    while (ready < this.#queue.length && this.#queue[ready]!.bytes !== undefined) ready++;
    if (ready === 0 || ready < this.#queue.length) return;
    const slots = this.#queue;
    this.#queue = [];
    let bytes = slots[0]!.bytes!;
    let closeAfter = slots[0]!.closeAfter;
    if (slots.length > 1) {
      const parts: Buffer[] = [];
      for (const slot of slots) {
        parts.push(slot.bytes!);
        closeAfter ||= slot.closeAfter;
      }
      bytes = Buffer.concat(parts);
    }
    if (closeAfter) this.#socket.end(bytes);
    else this.#socket.write(bytes);
  }
}

/** Listens on 127.0.0.1, port 0. */
export class Http1Server {
  readonly #server: Server;
  readonly #connections = new Set<Connection>();

  constructor(handler: Http1Handler, bodyBytesMax: number) {
    this.#server = createServer((socket) => {
      const connection = new Connection(socket, handler, bodyBytesMax);
      this.#connections.add(connection);
      socket.once("close", () => this.#connections.delete(connection));
    });
  }

  /** Resolves with the port. */
  listen(): Promise<number> {
    return new Promise((resolve, reject) => {
      this.#server.once("error", reject);
      this.#server.listen(0, "127.0.0.1", () => {
        this.#server.off("error", reject);
        const address = this.#server.address();
        resolve(typeof address === "object" && address !== null ? address.port : 0);
      });
    });
  }

  /** Drops every connection and stops listening. */
  close(): Promise<void> {
    for (const connection of this.#connections) connection.destroy();
    this.#connections.clear();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }
}
