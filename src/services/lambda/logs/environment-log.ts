/**
 * One execution environment's log stream, as Lambda writes it to CloudWatch Logs: INIT_START when the
 * environment starts, then per invoke START, the function's output, the timeout/crash lines, END and
 * REPORT (log-lines.ts builds the same text for LogType=Tail).
 *
 * Output becomes one event per line, as Lambda reads a runtime's stdout and stderr: each event is
 * the line with its newline, as AWS stores it (`START RequestId: … Version: $LATEST\n`). The Node.js
 * and Python bootstraps write a multi-line console.log / logging call as one line with `\r` in place
 * of each inner newline, as AWS's runtimes do on stdout, so such a call stays one event. A line
 * without its newline yet waits for the rest, up to the invoke's end. Blank lines are not written.
 * A line longer than CloudWatch's event limit (262,144 bytes less 26 bytes of overhead) is cut into
 * events of at most that size (users report Lambda splitting long lines at 262,118 bytes too).
 *
 * Every method is called on the invoke path: it only builds strings and hands them to the sink.
 */
import type { FunctionLogWriter, InvokeResult } from "../environments/environment.ts";
import { closingLines, initStartLine, startLine } from "../invoke/log-lines.ts";
import type { FunctionLogSink, LogDestination } from "./log-sink.ts";

/** CloudWatch Logs' largest event (262,144 bytes) less its 26 bytes of per-event overhead. */
export const EVENT_BYTES_MAX = 262_144 - 26;

export interface EnvironmentLogContext {
  runtime: string;
  /** "$LATEST" or a version number, for START. */
  version: string;
  memorySizeMB: number;
  timeoutSeconds: number;
}

export class EnvironmentLog implements FunctionLogWriter {
  readonly destination: LogDestination;
  readonly #sink: FunctionLogSink;
  readonly #context: EnvironmentLogContext;
  /** Output after the last newline, and when it arrived. */
  #partial = "";
  #partialAtMs = 0;

  constructor(sink: FunctionLogSink, destination: LogDestination, context: EnvironmentLogContext) {
    this.#sink = sink;
    this.destination = destination;
    this.#context = context;
  }

  initStart(): void {
    this.#line(initStartLine(this.#context.runtime, this.destination.region), Date.now());
  }

  output(text: string): void {
    const now = Date.now();
    let from = 0;
    for (let newline = text.indexOf("\n"); newline >= 0; newline = text.indexOf("\n", from)) {
      const piece = text.slice(from, newline);
      if (this.#partial === "") {
        this.#line(piece, now);
      } else {
        this.#line(this.#partial + piece, this.#partialAtMs);
        this.#partial = "";
      }
      from = newline + 1;
    }
    if (from < text.length) {
      if (this.#partial === "") this.#partialAtMs = now;
      this.#partial += text.slice(from);
    }
  }

  invokeStart(requestId: string): void {
    this.#endPartial();
    this.#line(startLine(requestId, this.#context.version), Date.now());
  }

  invokeEnd(requestId: string, result: InvokeResult): void {
    this.#endPartial();
    const now = Date.now();
    const lines = closingLines(result, {
      requestId,
      version: this.#context.version,
      memorySizeMB: this.#context.memorySizeMB,
      timeoutSeconds: this.#context.timeoutSeconds,
      now: new Date(now),
    });
    for (const line of lines) this.#line(line, now);
    this.#sink.flushSoon();
  }

  close(): void {
    this.#endPartial();
    this.#sink.flushSoon();
  }

  #endPartial(): void {
    if (this.#partial === "") return;
    this.#line(this.#partial, this.#partialAtMs);
    this.#partial = "";
  }

  #line(line: string, timestamp: number): void {
    if (line === "" || line === "\r") return;
    // Most lines are short: only measure bytes when the characters alone could pass the limit.
    if (line.length * 3 < EVENT_BYTES_MAX || Buffer.byteLength(line) < EVENT_BYTES_MAX) {
      this.#sink.append(this.destination, { timestamp, message: `${line}\n` });
      return;
    }
    for (const piece of splitBytes(line, EVENT_BYTES_MAX - 1)) {
      this.#sink.append(this.destination, { timestamp, message: `${piece}\n` });
    }
  }
}

/** Cuts text into pieces of at most `bytesMax` UTF-8 bytes, never inside a character. */
function splitBytes(text: string, bytesMax: number): string[] {
  const pieces: string[] = [];
  let piece = "";
  let bytes = 0;
  for (const char of text) {
    const size = Buffer.byteLength(char);
    if (bytes + size > bytesMax) {
      pieces.push(piece);
      piece = "";
      bytes = 0;
    }
    piece += char;
    bytes += size;
  }
  if (piece !== "") pieces.push(piece);
  return pieces;
}
