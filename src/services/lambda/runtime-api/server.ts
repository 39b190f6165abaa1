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
//
// HTTP is spoken by http1.ts (node:net), not node:http: see there why, and how a result's 202 and the
// next event share one write when the runtime pipelines.
import { type Http1Reply, type Http1Request, Http1Server } from "./http1.ts";

/** AWS's response and request payload limit for synchronous invokes: 6 MB plus 100 bytes. */
export const responsePayloadBytesMax = 6_291_556;
const errorBodyBytesMax = 1_048_576;
const prefix = "/2018-06-01/runtime";
/** A request id that reads the same in a path with or without URI decoding (request ids are UUIDs). */
const PLAIN_ID = /^[^/%?]+$/;

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
  /** The request target of POST /invocation/{requestId}/response, as runtimes send it. */
  responseTarget: string;
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
  #server: Http1Server;
  #pending: Pending | undefined;
  #waiting: Http1Reply | undefined;
  #initDone = false;
  #events: RuntimeApiServerEvents;
  #address = "";

  constructor(events: RuntimeApiServerEvents = {}) {
    this.#events = events;
    this.#server = new Http1Server((req, res) => {
      try {
        this.#route(req, res);
      } catch {
        // Never answered yet: an answer that was sent cannot throw afterwards.
        send(res, 500, { errorMessage: "Internal error", errorType: "ServiceException" });
      }
    }, responsePayloadBytesMax);
  }

  /** Listens on 127.0.0.1 port 0; returns "127.0.0.1:PORT", the AWS_LAMBDA_RUNTIME_API value. */
  async listen(): Promise<string> {
    const port = await this.#server.listen();
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
      this.#pending = {
        invocation,
        resolve,
        delivered: false,
        responseTarget: PLAIN_ID.test(invocation.requestId)
          ? `${prefix}/invocation/${invocation.requestId}/response`
          : "",
      };
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
    await this.#server.close();
  }

  #route(req: Http1Request, res: Http1Reply): void {
    const url = req.target;
    // The running invocation's result, as the bootstraps post it (no query, the id unencoded): one
    // string comparison instead of the pattern and decodeURIComponent below.
    const pending = this.#pending;
    if (pending !== undefined && req.method === "POST" && url === pending.responseTarget) {
      this.#result(req, res, pending.invocation.requestId, "response");
      return;
    }
    const query = url.indexOf("?");
    const path = !url.startsWith(prefix) ? "" : url.slice(prefix.length, query < 0 ? url.length : query);
    const match =
      req.method === "POST" && path.startsWith("/invocation/")
        ? /^\/invocation\/([^/]+)\/(response|error)$/.exec(path)
        : null;
    if (req.method === "GET" && path === "/invocation/next") this.#next(res);
    else if (req.method === "POST" && path === "/init/error") this.#initError(req, res);
    else if (match) this.#result(req, res, decodeURIComponent(match[1]!), match[2]!);
    else send(res, 404, { errorMessage: "Unknown Runtime API path", errorType: "NotFound" });
  }

  #next(res: Http1Reply): void {
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
    res.onClose = () => {
      if (this.#waiting === res) this.#waiting = undefined;
    };
  }

  #deliver(res: Http1Reply): void {
    const pending = this.#pending!;
    pending.delivered = true;
    const inv = pending.invocation;
    const headers: string[] = [
      "Content-Type",
      "application/json",
      "Content-Length",
      String(inv.payload.length),
      "Lambda-Runtime-Aws-Request-Id",
      inv.requestId,
      "Lambda-Runtime-Deadline-Ms",
      String(inv.deadlineMs),
      "Lambda-Runtime-Invoked-Function-Arn",
      inv.invokedFunctionArn,
      "Lambda-Runtime-Trace-Id",
      inv.traceId,
    ];
    if (inv.clientContext !== undefined) headers.push("Lambda-Runtime-Client-Context", inv.clientContext);
    if (inv.cognitoIdentity !== undefined)
      headers.push("Lambda-Runtime-Cognito-Identity", inv.cognitoIdentity);
    res.send(200, headers, inv.payload);
  }

  #result(req: Http1Request, res: Http1Reply, requestId: string, kind: string): void {
    const pending = this.#pending;
    if (!pending || pending.invocation.requestId !== requestId || !pending.delivered) {
      send(res, 400, { errorMessage: "Invalid request ID", errorType: "InvalidRequestID" });
      return;
    }
    const limit = kind === "response" ? responsePayloadBytesMax : errorBodyBytesMax;
    this.#pending = undefined;
    if (req.bodySize > limit) {
      send(res, 413, {
        errorMessage: `Exceeded maximum allowed payload size (${responsePayloadBytesMax} bytes).`,
        errorType: "RequestEntityTooLarge",
      });
      pending.resolve({ kind: "tooLarge", sizeBytes: req.bodySize });
      return;
    }
    accepted(res);
    if (kind === "response") pending.resolve({ kind: "response", payload: req.body });
    else
      pending.resolve({
        kind: "error",
        payload: req.body,
        errorType: req.headers["lambda-runtime-function-error-type"],
      });
  }

  #initError(req: Http1Request, res: Http1Reply): void {
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
      payload: req.bodySize > errorBodyBytesMax ? Buffer.alloc(0) : req.body,
      errorType: req.headers["lambda-runtime-function-error-type"],
    });
  }
}

const jsonHeaders = (length: number) => [
  "Content-Type",
  "application/json",
  "Content-Length",
  String(length),
];

function send(res: Http1Reply, status: number, body: unknown): void {
  const bytes = Buffer.from(JSON.stringify(body));
  res.send(status, jsonHeaders(bytes.length), bytes);
}

const acceptedBody = Buffer.from(JSON.stringify({ status: "OK" }));
const acceptedHeaders = jsonHeaders(acceptedBody.length);

/** 202 {"status":"OK"}, the answer to every accepted result: built once. */
function accepted(res: Http1Reply): void {
  res.send(202, acceptedHeaders, acceptedBody);
}
