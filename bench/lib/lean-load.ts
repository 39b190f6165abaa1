/**
 * A lean load client for large bodies: N keep-alive sockets (node:net), each replaying its requests
 * one at a time, parsing only what it must: the status line, Content-Length or chunked transfer coding,
 * and `Connection: close`. Body bytes are counted, never copied or decoded. It answers the shape
 * load.ts's `runLoad` answers (same 10 µs latency buckets, 2xx only; the same CPU meters), so the
 * matrix and its report take either.
 *
 * Why: autocannon tops out near 550 MB/s here on 1 MB responses (docs/benchmarks.md, session 3), so
 * with it a 1 MB GET measures autocannon. This client spends a few percent of a core per 100 MB/s.
 * On a 1 KB GET it agrees with autocannon on req/s within noise (see docs/benchmarks.md, session 4).
 *
 * ## By design
 * - One request in flight per socket (no pipelining), as autocannon is run here.
 * - Connection k starts at request k of the pool, as with autocannon, so no two sockets are in step.
 * - A server that answers `Connection: close` (werkzeug, hence moto) gets a new socket for the next
 *   request; with `connectionPerRequest` every request says `Connection: close` itself, and its
 *   latency then includes the TCP connect, as in load.ts's client for such servers.
 * - Bounded: no request starts after the run's duration nor past REQUESTS_PER_SOCKET_MAX; whatever is
 *   still in flight OVERRUN_MS_MAX after the end is cut off and counted as a timeout.
 */
import { connect, type Socket } from "node:net";
import type { LoadOptions, LoadSample, Workload } from "./load.ts";
import { LatencyHistogram, requestBytes, sampleOf, startMeters } from "./load-meters.ts";

const REQUEST_TIMEOUT_MS = 10_000;
/** A run may overrun its duration while in-flight requests finish; past this they are cut off. */
const OVERRUN_MS_MAX = 15_000;
const REQUESTS_PER_SOCKET_MAX = 10_000_000;
/** Each socket's read buffer: a 1 MB body in a few reads. */
const READ_BUFFER_BYTES = 1024 * 1024;
/** A response head larger than this is a protocol error (ours are well under 2 KiB). */
const HEAD_BYTES_MAX = 64 * 1024;

/** How one exchange ended: a status (any), or a failure. */
type Outcome =
  | { readonly status: number; readonly close: boolean }
  | { readonly failure: "error" | "timeout" };

/**
 * The response parser of one socket: fed each chunk as it arrives, it calls `done` once per response.
 * Bodies are skipped by arithmetic on lengths; only the head and chunk-size lines are ever decoded.
 */
class ResponseReader {
  #head: Buffer[] = [];
  #headBytes = 0;
  #status = 0;
  #close = false;
  /** "head" until the blank line; then the body's framing. */
  #state: "head" | "length" | "chunk-size" | "chunk-data" | "chunk-crlf" | "trailer" | "until-close" = "head";
  #remaining = 0;
  #line = "";
  #expectBody = true;

  constructor(private readonly done: (outcome: Outcome) => void) {}

  /** Before each request: HEAD answers carry no body whatever their headers say. */
  expect(method: string): void {
    this.#expectBody = method !== "HEAD";
    this.#state = "head";
    this.#head = [];
    this.#headBytes = 0;
  }

  /** Feeds bytes; answers false on a protocol error (bytes past the response, a head too large). */
  feed(chunk: Buffer): boolean {
    let at = 0;
    let finished = false;
    while (at < chunk.length) {
      // One request in flight: bytes after a complete response are a protocol error.
      if (finished) return false;
      switch (this.#state) {
        case "head": {
          // Heads are small and almost always whole in one chunk; one that straddles chunks is joined.
          const held = this.#headBytes;
          const window = held === 0 ? chunk.subarray(at) : Buffer.concat([...this.#head, chunk.subarray(at)]);
          const found = window.indexOf("\r\n\r\n", 0, "latin1");
          if (found < 0) {
            // A copy: the socket reads into one buffer it reuses.
            this.#head.push(Buffer.from(chunk.subarray(at)));
            this.#headBytes += chunk.length - at;
            return this.#headBytes <= HEAD_BYTES_MAX;
          }
          at += found + 4 - held;
          this.#head = [];
          this.#headBytes = 0;
          this.#parseHead(window.toString("latin1", 0, found));
          if (this.#state === "head") finished = this.#finish();
          break;
        }
        case "length": {
          const take = Math.min(this.#remaining, chunk.length - at);
          this.#remaining -= take;
          at += take;
          if (this.#remaining === 0) finished = this.#finish();
          break;
        }
        case "until-close":
          return true;
        case "chunk-size": {
          const newline = chunk.indexOf(10, at);
          this.#line += chunk.toString("latin1", at, newline < 0 ? chunk.length : newline);
          if (newline < 0) return this.#line.length <= HEAD_BYTES_MAX;
          at = newline + 1;
          const size = Number.parseInt(this.#line.trim().split(";", 1)[0] ?? "", 16);
          this.#line = "";
          if (!Number.isFinite(size) || size < 0) return false;
          if (size === 0) this.#state = "trailer";
          else {
            this.#remaining = size;
            this.#state = "chunk-data";
          }
          break;
        }
        case "chunk-data": {
          const take = Math.min(this.#remaining, chunk.length - at);
          this.#remaining -= take;
          at += take;
          if (this.#remaining === 0) {
            this.#remaining = 2;
            this.#state = "chunk-crlf";
          }
          break;
        }
        case "chunk-crlf": {
          const take = Math.min(this.#remaining, chunk.length - at);
          this.#remaining -= take;
          at += take;
          if (this.#remaining === 0) this.#state = "chunk-size";
          break;
        }
        case "trailer": {
          // Trailer lines, then an empty line ends the message.
          const newline = chunk.indexOf(10, at);
          this.#line += chunk.toString("latin1", at, newline < 0 ? chunk.length : newline);
          if (newline < 0) return this.#line.length <= HEAD_BYTES_MAX;
          at = newline + 1;
          const empty = this.#line.trim() === "";
          this.#line = "";
          if (empty) finished = this.#finish();
          break;
        }
      }
    }
    return true;
  }

  /** The server closed the socket: a body framed by the close ends here. */
  ended(): boolean {
    if (this.#state !== "until-close") return false;
    this.#finish();
    return true;
  }

  /** Answers true, for `feed`'s bookkeeping. */
  #finish(): true {
    this.#state = "head";
    this.done({ status: this.#status, close: this.#close });
    return true;
  }
  #parseHead(head: string): void {
    this.#status = Number(head.slice(9, 12));
    const lower = head.toLowerCase();
    this.#close = /\r\nconnection:\s*close/.test(lower) || head.startsWith("HTTP/1.0");
    const noBody =
      !this.#expectBody ||
      this.#status === 204 ||
      this.#status === 304 ||
      (this.#status >= 100 && this.#status < 200);
    if (noBody) return;
    if (/\r\ntransfer-encoding:[^\r]*chunked/.test(lower)) {
      this.#state = "chunk-size";
      this.#line = "";
      return;
    }
    const length = /\r\ncontent-length:\s*(\d+)/.exec(lower)?.[1];
    if (length !== undefined) {
      this.#remaining = Number(length);
      if (this.#remaining > 0) this.#state = "length";
      return;
    }
    this.#state = "until-close";
    this.#close = true;
  }
}

/** One socket's loop: replays `pool` from `first` until `deadline`, reconnecting when the server closes. */
class Replayer {
  #socket: Socket | undefined;
  #pending: ((outcome: Outcome) => void) | undefined;
  readonly #reader = new ResponseReader((outcome) => this.#settle(outcome));
  readonly #readBuffer = Buffer.allocUnsafe(READ_BUFFER_BYTES);

  constructor(
    private readonly url: URL,
    private readonly connectionPerRequest: boolean,
  ) {}

  /** Sends one request and waits for its whole response, or its failure. */
  exchange(bytes: Buffer, method: string): Promise<Outcome> {
    return new Promise((resolve) => {
      this.#pending = resolve;
      this.#reader.expect(method);
      const socket = this.#socket ?? this.#connect();
      socket.write(bytes);
    });
  }

  /** Cuts the socket (end of the run, or a stuck request). */
  destroy(): void {
    this.#socket?.destroy();
    this.#socket = undefined;
    this.#settle({ failure: "timeout" });
  }

  #connect(): Socket {
    const socket = connect({
      host: this.url.hostname,
      port: Number(this.url.port),
      // Reads land in one buffer per socket, reused: no allocation (and no garbage) per read.
      onread: {
        buffer: this.#readBuffer,
        callback: (bytes: number, buffer: Uint8Array) => {
          if (socket !== this.#socket) return false;
          const chunk = Buffer.from(buffer.buffer, buffer.byteOffset, bytes);
          if (!this.#reader.feed(chunk)) this.#drop(socket, { failure: "error" });
          return true;
        },
      },
    });
    socket.setNoDelay(true);
    socket.setTimeout(REQUEST_TIMEOUT_MS, () => this.#drop(socket, { failure: "timeout" }));
    socket.on("end", () => {
      if (socket !== this.#socket) return;
      if (!this.#reader.ended()) this.#drop(socket, { failure: "error" });
      else this.#drop(socket, undefined);
    });
    socket.on("error", () => this.#drop(socket, { failure: "error" }));
    socket.on("close", () => this.#drop(socket, { failure: "error" }));
    this.#socket = socket;
    return socket;
  }

  /** Closes `socket`; fails the request in flight only if it was on that socket. */
  #drop(socket: Socket, outcome: Outcome | undefined): void {
    socket.destroy();
    if (socket !== this.#socket) return;
    this.#socket = undefined;
    if (outcome) this.#settle(outcome);
  }

  #settle(outcome: Outcome): void {
    const pending = this.#pending;
    if (!pending) return;
    this.#pending = undefined;
    if ("status" in outcome && (outcome.close || this.connectionPerRequest) && this.#socket) {
      const socket = this.#socket;
      this.#socket = undefined;
      socket.destroy();
    }
    pending(outcome);
  }
}

/** Runs the lean client against `baseUrl` for `options.seconds` and summarises the run as load.ts does. */
export async function runLeanLoad(
  baseUrl: string,
  workload: Workload,
  options: LoadOptions,
): Promise<LoadSample> {
  const url = new URL(baseUrl);
  const close = options.connectionPerRequest === true;
  const pool = (workload.requests?.length ? workload.requests : [workload]).map((r) => {
    const request = { ...workload, ...r };
    return { bytes: requestBytes(url, request, close), method: request.method ?? "GET" };
  });
  const histogram = new LatencyHistogram();
  const counts = { completed: 0, non2xx: 0, errors: 0, timeouts: 0 };
  const stopMeters = startMeters(options);
  const started = performance.now();
  const deadline = started + options.seconds * 1000;
  const replayers = Array.from({ length: options.connections }, () => new Replayer(url, close));
  const cutOff = setTimeout(
    () => {
      for (const replayer of replayers) replayer.destroy();
    },
    options.seconds * 1000 + OVERRUN_MS_MAX,
  );
  let cut = false;
  const loop = async (k: number) => {
    const replayer = replayers[k]!;
    for (let i = k; i - k < REQUESTS_PER_SOCKET_MAX && performance.now() < deadline && !cut; i++) {
      const request = pool[i % pool.length]!;
      const sent = performance.now();
      const outcome = await replayer.exchange(request.bytes, request.method);
      if ("failure" in outcome) {
        counts[outcome.failure === "timeout" ? "timeouts" : "errors"]++;
        continue;
      }
      counts.completed++;
      if (outcome.status >= 200 && outcome.status < 300) histogram.record(performance.now() - sent);
      else counts.non2xx++;
    }
    replayer.destroy();
  };
  try {
    await Promise.all(replayers.map((_, k) => loop(k)));
  } finally {
    cut = true;
    clearTimeout(cutOff);
  }
  const durationSec = (performance.now() - started) / 1000;
  return sampleOf(counts, histogram, durationSec, stopMeters());
}
