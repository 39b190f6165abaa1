// The Lambda Runtime API (version 2018-06-01) for one execution environment: the HTTP listener a
// runtime's bootstrap polls for events and posts results to. One server per environment, on
// 127.0.0.1 port 0, so a request id can never reach another environment.
//
// Status codes and error bodies as the AWS docs' OpenAPI file and AWS's runtime interface emulator
// give them: 202 {"status":"OK"}; 400 InvalidRequestID; 403 InvalidStateTransition; 413
// RequestEntityTooLarge (payload over 6291556 bytes, AWS's own figure).
//
// ## Gaps
// - Response streaming (Lambda-Runtime-Function-Response-Mode: streaming) is buffered, not streamed.
// - The Extensions and Telemetry APIs are not served (404).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** AWS's response and request payload limit for synchronous invokes: 6 MB plus 100 bytes. */
export const responsePayloadBytesMax = 6_291_556;
const errorBodyBytesMax = 1_048_576;
const prefix = "/2018-06-01/runtime";

/** One event handed to the runtime by GET /invocation/next. */
export interface RuntimeInvocation {
  requestId: string;
  payload: Buffer;
  /** Unix epoch milliseconds. */
  deadlineMs: number;
  invokedFunctionArn: string;
  traceId: string;
  /** JSON text of the client context, as the Invoke X-Amz-Client-Context header decodes to. */
  clientContext?: string;
  /** JSON text of the Cognito identity. */
  cognitoIdentity?: string;
}

/** What the runtime answered for one invocation. */
export type RuntimeOutcome =
  | { kind: "response"; payload: Buffer }
  | { kind: "error"; payload: Buffer; errorType: string | undefined }
  | { kind: "tooLarge"; sizeBytes: number };

/** What the runtime reported through POST /init/error. */
export interface InitErrorReport {
  payload: Buffer;
  errorType: string | undefined;
}

interface Pending {
  invocation: RuntimeInvocation;
  resolve: (outcome: RuntimeOutcome) => void;
  delivered: boolean;
}

export interface RuntimeApiServerEvents {
  /** The runtime asked for its first event: initialisation is over. */
  onFirstNext?: () => void;
  onInitError?: (report: InitErrorReport) => void;
}

/**
 * The Runtime API of one execution environment. `invoke` queues one event and resolves with the
 * runtime's answer; the environment races it against timeouts and process exit.
 */
export class RuntimeApiServer {
  #server: Server;
  #pending: Pending | undefined;
  #waiting: ServerResponse | undefined;
  #initDone = false;
  #events: RuntimeApiServerEvents;
  #address = "";

  constructor(events: RuntimeApiServerEvents = {}) {
    this.#events = events;
    this.#server = createServer((req, res) => {
      this.#route(req, res).catch(() => {
        if (!res.headersSent)
          send(res, 500, { errorMessage: "Internal error", errorType: "ServiceException" });
        else res.destroy();
      });
    });
    this.#server.keepAliveTimeout = 0;
    this.#server.requestTimeout = 0;
    this.#server.headersTimeout = 0;
  }

  /** Listens on 127.0.0.1 port 0; returns "127.0.0.1:PORT", the AWS_LAMBDA_RUNTIME_API value. */
  async listen(): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once("error", reject);
      this.#server.listen(0, "127.0.0.1", () => {
        this.#server.off("error", reject);
        resolve();
      });
    });
    const { port } = this.#server.address() as AddressInfo;
    this.#address = `127.0.0.1:${port}`;
    return this.#address;
  }

  get address(): string {
    return this.#address;
  }

  /** Hands one event to the runtime; resolves with its response or error. One at a time. */
  invoke(invocation: RuntimeInvocation): Promise<RuntimeOutcome> {
    if (this.#pending) throw new Error("an invocation is already in flight in this environment");
    return new Promise<RuntimeOutcome>((resolve) => {
      this.#pending = { invocation, resolve, delivered: false };
      const waiting = this.#waiting;
      if (waiting) {
        this.#waiting = undefined;
        this.#deliver(waiting);
      }
    });
  }

  /** Forgets the in-flight invocation (after a timeout or a crash). */
  abandon(): void {
    this.#pending = undefined;
  }

  async close(): Promise<void> {
    this.#pending = undefined;
    this.#waiting?.destroy();
    this.#waiting = undefined;
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  async #route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = req.url ?? "";
    const path = url.startsWith(prefix) ? url.slice(prefix.length).split("?")[0]! : "";
    if (req.method === "GET" && path === "/invocation/next") return this.#next(req, res);
    if (req.method === "POST" && path === "/init/error") return this.#initError(req, res);
    const match = /^\/invocation\/([^/]+)\/(response|error)$/.exec(path);
    if (req.method === "POST" && match)
      return this.#result(req, res, decodeURIComponent(match[1]!), match[2]!);
    req.resume();
    send(res, 404, { errorMessage: "Unknown Runtime API path", errorType: "NotFound" });
  }

  #next(req: IncomingMessage, res: ServerResponse): void {
    req.resume();
    if (!this.#initDone) {
      this.#initDone = true;
      this.#events.onFirstNext?.();
    }
    this.#waiting?.destroy();
    this.#waiting = undefined;
    if (this.#pending && !this.#pending.delivered) {
      this.#deliver(res);
      return;
    }
    this.#waiting = res;
    res.on("close", () => {
      if (this.#waiting === res) this.#waiting = undefined;
    });
  }

  #deliver(res: ServerResponse): void {
    const pending = this.#pending!;
    pending.delivered = true;
    const inv = pending.invocation;
    const headers: Record<string, string | number> = {
      "Content-Type": "application/json",
      "Content-Length": inv.payload.length,
      "Lambda-Runtime-Aws-Request-Id": inv.requestId,
      "Lambda-Runtime-Deadline-Ms": String(inv.deadlineMs),
      "Lambda-Runtime-Invoked-Function-Arn": inv.invokedFunctionArn,
      "Lambda-Runtime-Trace-Id": inv.traceId,
    };
    if (inv.clientContext !== undefined) headers["Lambda-Runtime-Client-Context"] = inv.clientContext;
    if (inv.cognitoIdentity !== undefined) headers["Lambda-Runtime-Cognito-Identity"] = inv.cognitoIdentity;
    res.writeHead(200, headers);
    res.end(inv.payload);
  }

  async #result(req: IncomingMessage, res: ServerResponse, requestId: string, kind: string): Promise<void> {
    const pending = this.#pending;
    if (!pending || pending.invocation.requestId !== requestId || !pending.delivered) {
      req.resume();
      send(res, 400, { errorMessage: "Invalid request ID", errorType: "InvalidRequestID" });
      return;
    }
    const limit = kind === "response" ? responsePayloadBytesMax : errorBodyBytesMax;
    const body = await readBody(req, limit);
    // A second answer for the same id finds #pending cleared and gets 400 above; AWS answers 403
    // only for transitions its state machine forbids within one invocation.
    if (this.#pending !== pending) {
      send(res, 403, {
        errorMessage: `State transition from ResponseSent to ${kind === "response" ? "InvocationResponse" : "InvocationErrorResponse"} failed for runtime. Error: State transition is not allowed`,
        errorType: "InvalidStateTransition",
      });
      return;
    }
    this.#pending = undefined;
    if (body.tooLarge) {
      send(res, 413, {
        errorMessage: `Exceeded maximum allowed payload size (${responsePayloadBytesMax} bytes).`,
        errorType: "RequestEntityTooLarge",
      });
      pending.resolve({ kind: "tooLarge", sizeBytes: body.sizeBytes });
      return;
    }
    send(res, 202, { status: "OK" });
    if (kind === "response") pending.resolve({ kind: "response", payload: body.data });
    else
      pending.resolve({
        kind: "error",
        payload: body.data,
        errorType: headerOf(req, "lambda-runtime-function-error-type"),
      });
  }

  async #initError(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req, errorBodyBytesMax);
    if (this.#initDone) {
      send(res, 403, {
        errorMessage:
          "State transition from Ready to InitError failed for runtime. Error: State transition is not allowed",
        errorType: "InvalidStateTransition",
      });
      return;
    }
    this.#initDone = true;
    send(res, 202, { status: "OK" });
    this.#events.onInitError?.({
      payload: body.data,
      errorType: headerOf(req, "lambda-runtime-function-error-type"),
    });
  }
}

function headerOf(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text) });
  res.end(text);
}

async function readBody(
  req: IncomingMessage,
  bytesMax: number,
): Promise<{ data: Buffer; tooLarge: boolean; sizeBytes: number }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= bytesMax) chunks.push(chunk);
  }
  return {
    data: size <= bytesMax ? Buffer.concat(chunks) : Buffer.alloc(0),
    tooLarge: size > bytesMax,
    sizeBytes: size,
  };
}
