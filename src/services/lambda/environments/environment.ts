// One Lambda execution environment: a child process running the runtime's bootstrap, its own
// Runtime API listener, its own TMPDIR, and the standard Lambda environment variables. Invokes run
// one at a time; the timeout, the memory limit and crashes kill this process, never Stratus.
// Its log lines (INIT_START, START, output, END, REPORT) go to `options.functionLog`, the
// environment's CloudWatch Logs stream named `logStreamName` (logs/environment-log.ts).
//
// ## Gaps
// - TMPDIR is private per environment, but a function that writes the literal path /tmp shares
//   the machine's /tmp.
// - Memory is sampled (RSS of the bootstrap process every `memorySampleMs`), so a spike between two
//   samples can pass; Node's heap is also capped with --max-old-space-size.
// - REPORT's Max Memory Used is the process's peak RSS (VmHWM) as of the invoke's end, read exactly
//   when the RSS has grown past the known peak and otherwise at most every `peakReadIntervalMs`
//   (100 ms) per environment: a spike that was freed again before its invoke ended can show in a
//   later REPORT of the environment (at the first invoke ending 100 ms after the last exact
//   reading) instead of its own. The value is never above the true peak.
// - Output written by the runtime after it posted its answer may land in the next invoke's logs.

import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import {
  RuntimeApiServer,
  type RuntimeInvocation,
  type RuntimeOutcome,
  responsePayloadBytesMax,
} from "../runtime-api/server.ts";
import { exitPayload, outOfMemoryPayload, responseTooLargePayload, timeoutPayload } from "./errors.ts";
import { ProcessMemory } from "./process-memory.ts";
import { launchFor, runtimesDir } from "./runtimes.ts";
import { traceId } from "./trace-ids.ts";

/** Everything an environment needs to know about the function version it runs. */
export interface FunctionRuntimeConfig {
  functionName: string;
  /** "$LATEST" or a version number. */
  functionVersion: string;
  /** Unqualified function ARN; the invoked ARN (with qualifier) is per invoke. */
  functionArn: string;
  runtime: string;
  handler: string;
  /** LAMBDA_TASK_ROOT: the unpacked code. */
  codeDir: string;
  memorySizeMB: number;
  timeoutSeconds: number;
  region: string;
  /** The function's own variables (Environment.Variables). */
  variables: Record<string, string>;
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** AWS_ENDPOINT_URL: where Stratus listens. */
  endpointUrl: string;
  /** Extra directories for NODE_PATH / PYTHONPATH (layers under /opt on AWS). */
  layerDirs?: string[];
  /** The function's LoggingConfig.LogGroup; default /aws/lambda/NAME. */
  logGroup?: string;
}

export interface InvokeOptions {
  requestId: string;
  /** ARN the caller used (with its qualifier); defaults to the function ARN. */
  invokedFunctionArn?: string;
  /** JSON text (decoded X-Amz-Client-Context). */
  clientContext?: string;
  /** JSON text. */
  cognitoIdentity?: string;
  traceId?: string;
}

/** How the invoke ended, for the START/END/REPORT lines and the Invoke response. */
export type InvokeEnding =
  | "success"
  | "handled"
  | "initError"
  | "timeout"
  | "exit"
  | "outOfMemory"
  | "tooLarge";

export interface InvokeResult {
  payload: Buffer;
  /** Set when the payload is an error: the X-Amz-Function-Error value. */
  functionError?: "Unhandled";
  ending: InvokeEnding;
  /** Everything the runtime wrote to stdout/stderr during this invoke (and its init on a cold start). */
  logs: string;
  durationMs: number;
  /** Set on the first invoke of this environment. */
  initDurationMs?: number;
  maxMemoryUsedMB: number;
}

export interface EnvironmentOptions {
  /** AWS's init phase limit. */
  initTimeoutMs?: number;
  memorySampleMs?: number;
  /** VmHWM is read at an invoke's end at least this long after the last reading (see the gaps). */
  peakReadIntervalMs?: number;
  /** Called with each chunk of output. */
  onLog?: (text: string) => void;
  /** Opens the log stream of a new environment (CloudWatch Logs: logs/environment-log.ts). */
  functionLog?: (env: ExecutionEnvironment) => FunctionLogWriter;
}

/**
 * Where an environment's log lines go, in the order Lambda writes them. Called on the invoke path:
 * implementations only queue (and must not throw; the environment ignores their failures anyway).
 */
export interface FunctionLogWriter {
  /** The process is about to start: INIT_START. */
  initStart(): void;
  /** A chunk of the runtime's stdout or stderr. */
  output(text: string): void;
  /** The invoke is handed to the runtime (after init on a cold start): START. */
  invokeStart(requestId: string): void;
  /** The invoke ended: the timeout/crash lines, END and REPORT. */
  invokeEnd(requestId: string, result: InvokeResult): void;
  /** The environment is gone: output still waiting for its newline is written. */
  close(): void;
}

type Readiness = { kind: "ready" } | { kind: "initError"; payload: Buffer } | { kind: "exit" };
interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}
/** How an invoke's wait for the runtime ended. */
type WaitEnd = RuntimeOutcome | ExitInfo | "timeout";

const logBytesMax = 1_048_576;
const invokeTailBytes = 4096;

export class ExecutionEnvironment {
  readonly id = randomBytes(16).toString("hex");
  readonly config: FunctionRuntimeConfig;
  readonly logStreamName: string;
  #options: EnvironmentOptions;
  #server: RuntimeApiServer;
  #child: ChildProcess | undefined;
  #tmpDir = "";
  #exit: ExitInfo | undefined;
  #exited!: Promise<ExitInfo>;
  #ready!: Promise<Readiness>;
  #initDurationMs: number | undefined;
  #invoked = false;
  #busy = false;
  #killedForMemory = false;
  #killed = false;
  /** The bootstrap process's memory readings; set once it is spawned. */
  #memory: ProcessMemory | undefined;
  #log = "";
  #disposed = false;
  #functionLog: FunctionLogWriter | undefined;
  /** The running invoke's wait (#wait): how it ends, the answer it waits for, its timer, its deadline. */
  #waitResolve: ((end: WaitEnd) => void) | undefined;
  #waitOutcome: Promise<RuntimeOutcome> | undefined;
  #waitTimer: NodeJS.Timeout | undefined;
  #waitDeadline = 0;
  /** The running invoke's request id, and whether its START line was written. */
  #requestId = "";
  #startLogged = false;

  private constructor(config: FunctionRuntimeConfig, options: EnvironmentOptions) {
    this.config = config;
    this.#options = options;
    const d = new Date();
    const day = `${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}`;
    this.logStreamName = `${day}/[${config.functionVersion}]${this.id}`;
    this.#server = new RuntimeApiServer();
    this.#functionLog = options.functionLog?.(this);
  }

  /** Starts the process; resolves once it is spawned (init goes on in the background). */
  static async start(
    config: FunctionRuntimeConfig,
    options: EnvironmentOptions = {},
  ): Promise<ExecutionEnvironment> {
    const env = new ExecutionEnvironment(config, options);
    await env.#spawn();
    return env;
  }

  get pid(): number | undefined {
    return this.#child?.pid;
  }

  /** False once the process exited or was killed. */
  get alive(): boolean {
    return !this.#exit && !this.#disposed && !this.#killed;
  }

  get busy(): boolean {
    return this.#busy;
  }

  async #spawn(): Promise<void> {
    const { config } = this;
    const launch = launchFor(config.runtime, config.codeDir, config.memorySizeMB);
    if (!launch) throw new Error(`runtime ${config.runtime} is not supported`);
    this.#tmpDir = await mkdtemp(join(tmpdir(), "stratus-lambda-"));
    const started = performance.now();
    let onReady!: (r: Readiness) => void;
    this.#ready = new Promise((resolve) => {
      onReady = resolve;
    });
    this.#server = new RuntimeApiServer({
      onFirstNext: () => {
        this.#initDurationMs = performance.now() - started;
        onReady({ kind: "ready" });
      },
      onInitError: (report) => {
        this.#initDurationMs = performance.now() - started;
        onReady({ kind: "initError", payload: report.payload });
      },
    });
    const runtimeApi = await this.#server.listen();
    this.#logSafely((log) => log.initStart());
    const child = spawn(launch.command, launch.args, {
      cwd: config.codeDir,
      env: this.#environment(runtimeApi, launch.runtimeDir),
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    this.#child = child;
    if (child.pid !== undefined) this.#memory = new ProcessMemory(child.pid);
    this.#exited = new Promise<ExitInfo>((resolve) => {
      const done = (info: ExitInfo) => {
        if (this.#exit) return;
        this.#exit = info;
        this.#memory?.close();
        onReady({ kind: "exit" });
        resolve(info);
        this.#endWait(info);
      };
      child.once("exit", (code, signal) => done({ code, signal }));
      // Spawn failures: a missing bootstrap is exit status 127 as a shell reports it, EACCES 126.
      child.once("error", (err: NodeJS.ErrnoException) =>
        done({ code: err.code === "EACCES" ? 126 : 127, signal: null }),
      );
    });
    const onData = (chunk: Buffer) => this.#append(chunk.toString("utf8"));
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
  }

  #environment(runtimeApi: string, runtimeDir: string): NodeJS.ProcessEnv {
    const { config } = this;
    // Each layer dir stands for /opt (the merged layers, code/opt-dir.ts), searched where the
    // runtimes search /opt on AWS. Literal "/opt/..." paths in function code do not reach it.
    const optDirs = config.layerDirs ?? [];
    const nodeModules = join(runtimesDir, "..", "node_modules");
    const nodeMajor = /^nodejs(\d+)\.x$/.exec(config.runtime)?.[1];
    const python = /^(python3\.\d+)$/.exec(config.runtime)?.[1];
    const searchPath = (...parts: (string | undefined)[]) => parts.filter((p) => p).join(":");
    const env: NodeJS.ProcessEnv = {
      PATH: searchPath(
        process.env.PATH ?? "/usr/local/bin:/usr/bin:/bin",
        ...optDirs.map((d) => join(d, "bin")),
      ),
      LD_LIBRARY_PATH: searchPath(
        process.env.LD_LIBRARY_PATH,
        config.codeDir,
        join(config.codeDir, "lib"),
        ...optDirs.map((d) => join(d, "lib")),
      ),
      LANG: "en_US.UTF-8",
      TZ: ":UTC",
      TMPDIR: this.#tmpDir,
      HOME: this.#tmpDir,
      // AWS: /opt/nodejs/nodeNN/node_modules:/opt/nodejs/node_modules:/var/runtime/node_modules:…:/var/task.
      // The Node bootstrap also consults these for ESM imports (runtimes/node/esm-fallback.mjs).
      NODE_PATH: searchPath(
        ...optDirs.flatMap((d) => [
          nodeMajor === undefined ? undefined : join(d, "nodejs", `node${nodeMajor}`, "node_modules"),
          join(d, "nodejs", "node_modules"),
        ]),
        nodeModules,
        config.codeDir,
      ),
      // AWS: /opt/python/lib/pythonX.Y/site-packages and /opt/python, after the task root.
      PYTHONPATH: searchPath(
        ...optDirs.flatMap((d) => [
          python === undefined ? undefined : join(d, "python", "lib", python, "site-packages"),
          join(d, "python"),
        ]),
      ),
      ...(optDirs[0] !== undefined ? { STRATUS_LAMBDA_OPT_DIR: optDirs[0] } : {}),
      PYTHONUNBUFFERED: "1",
      // /var/task is read-only on AWS, so Python never caches bytecode there; here that also keeps
      // shared code directories unchanged and hot-reload edits from meeting a stale .pyc.
      PYTHONDONTWRITEBYTECODE: "1",
      ...config.variables,
      // Reserved variables: the function's own values never override these, as on AWS.
      _HANDLER: config.handler,
      AWS_REGION: config.region,
      AWS_DEFAULT_REGION: config.region,
      AWS_EXECUTION_ENV: `AWS_Lambda_${config.runtime}`,
      AWS_LAMBDA_FUNCTION_NAME: config.functionName,
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(config.memorySizeMB),
      AWS_LAMBDA_FUNCTION_VERSION: config.functionVersion,
      AWS_LAMBDA_INITIALIZATION_TYPE: "on-demand",
      AWS_LAMBDA_LOG_GROUP_NAME: config.logGroup ?? `/aws/lambda/${config.functionName}`,
      AWS_LAMBDA_LOG_STREAM_NAME: this.logStreamName,
      AWS_LAMBDA_RUNTIME_API: runtimeApi,
      AWS_ACCESS_KEY_ID: config.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: config.credentials.secretAccessKey,
      AWS_ENDPOINT_URL: config.endpointUrl,
      LAMBDA_TASK_ROOT: config.codeDir,
      LAMBDA_RUNTIME_DIR: runtimeDir,
    };
    if (config.credentials.sessionToken) env.AWS_SESSION_TOKEN = config.credentials.sessionToken;
    return env;
  }

  #append(text: string): void {
    this.#log += text;
    if (this.#log.length > logBytesMax) this.#log = this.#log.slice(-logBytesMax);
    try {
      this.#options.onLog?.(text);
    } catch {
      // A log sink's failure must not reach the environment.
    }
    this.#logSafely((log) => log.output(text));
  }

  /** Logging never fails an invoke or the environment. */
  #logSafely(write: (log: FunctionLogWriter) => void): void {
    if (this.#functionLog === undefined) return;
    try {
      write(this.#functionLog);
    } catch {
      // A log sink's failure must not reach the environment.
    }
  }

  /** Runs one invocation. Never rejects for anything the function does. */
  async invoke(payload: Buffer, options: InvokeOptions): Promise<InvokeResult> {
    if (this.#busy) throw new Error("environment is busy");
    if (!this.alive) throw new EnvironmentGoneError();
    this.#busy = true;
    this.#requestId = options.requestId;
    this.#startLogged = false;
    const cold = !this.#invoked;
    this.#invoked = true;
    let started = performance.now();
    const timeoutMs = this.config.timeoutSeconds * 1000;
    try {
      if (cold) {
        const initLimitMs = this.#options.initTimeoutMs ?? 10_000;
        const ready = await withTimer(this.#ready, initLimitMs);
        if (ready === undefined) {
          // Init ran past its limit: AWS retries init inside the invoke; here it counts as a timeout.
          this.#kill();
          return await this.#finish(timeoutPayload(options.requestId, timeoutMs), "timeout", started, cold);
        }
        if (ready.kind === "initError") {
          this.#kill();
          return await this.#finish(ready.payload, "initError", started, cold);
        }
        if (ready.kind === "exit") {
          const exit = await this.#exited;
          return await this.#finish(
            exitPayload(options.requestId, exit.code, exit.signal),
            "exit",
            started,
            cold,
          );
        }
        // Init output still in the pipe goes before START, as on AWS (cold starts only).
        if (this.#functionLog !== undefined) await new Promise<void>((resolve) => setImmediate(resolve));
        // REPORT's Duration is the invoke phase alone; init is Init Duration (AWS's REPORT lines).
        started = performance.now();
      }
      const deadlineMs = Date.now() + timeoutMs;
      this.#logStart();
      const invocation: RuntimeInvocation = {
        requestId: options.requestId,
        payload,
        deadlineMs,
        invokedFunctionArn: options.invokedFunctionArn ?? this.config.functionArn,
        traceId: options.traceId ?? traceId(),
      };
      if (options.clientContext !== undefined) invocation.clientContext = options.clientContext;
      if (options.cognitoIdentity !== undefined) invocation.cognitoIdentity = options.cognitoIdentity;
      const outcome = this.#server.invoke(invocation);
      const ended = await this.#wait(outcome, timeoutMs);
      if (!this.#exit) this.#memory?.readPeak(this.#options.peakReadIntervalMs ?? 100);
      if (ended === "timeout") {
        this.#server.abandon();
        this.#kill();
        return await this.#finish(timeoutPayload(options.requestId, timeoutMs), "timeout", started, cold);
      }
      if ("kind" in ended) return await this.#finish(...this.#fromOutcome(ended), started, cold);
      this.#server.abandon();
      if (this.#killedForMemory || /JavaScript heap out of memory|MemoryError/.test(this.#log)) {
        return await this.#finish(outOfMemoryPayload(options.requestId), "outOfMemory", started, cold);
      }
      return await this.#finish(
        exitPayload(options.requestId, ended.code, ended.signal),
        "exit",
        started,
        cold,
      );
    } finally {
      this.#busy = false;
    }
  }

  #fromOutcome(outcome: RuntimeOutcome): [Buffer, InvokeEnding] {
    if (outcome.kind === "response") return [outcome.payload, "success"];
    if (outcome.kind === "tooLarge") {
      return [responseTooLargePayload(outcome.sizeBytes, responsePayloadBytesMax), "tooLarge"];
    }
    // "Lambda's default behavior is to use Lambda-Runtime-Function-Error-Type header value to
    // construct an error response when error payload is not provided" (runtime API OpenAPI file).
    if (outcome.payload.length === 0) {
      return [
        Buffer.from(JSON.stringify({ errorType: outcome.errorType ?? "Unhandled", errorMessage: "" })),
        "handled",
      ];
    }
    return [outcome.payload, "handled"];
  }

  async #finish(
    payload: Buffer,
    ending: InvokeEnding,
    started: number,
    cold: boolean,
  ): Promise<InvokeResult> {
    // Output written just before the answer is usually still in the pipe: let it drain (two turns
    // of the event loop, as before; one promise for both instead of one per turn).
    await twoLoopTurns();
    const logs = this.#log;
    this.#log = "";
    const result: InvokeResult = {
      payload,
      ending,
      logs,
      durationMs: performance.now() - started,
      maxMemoryUsedMB: Math.max(1, Math.ceil((this.#memory?.peakBytes ?? 0) / 1_048_576)),
    };
    if (ending !== "success") result.functionError = "Unhandled";
    if (cold && this.#initDurationMs !== undefined) result.initDurationMs = this.#initDurationMs;
    // An invoke that ended before reaching the runtime (init error, init timeout) still gets START.
    this.#logStart();
    const functionLog = this.#functionLog;
    if (functionLog !== undefined) {
      // #logSafely without a closure: this runs on every invoke.
      try {
        functionLog.invokeEnd(this.#requestId, result);
      } catch {
        // A log sink's failure must not reach the environment.
      }
    }
    return result;
  }

  #logStart(): void {
    if (this.#startLogged) return;
    this.#startLogged = true;
    const functionLog = this.#functionLog;
    if (functionLog === undefined) return;
    try {
      functionLog.invokeStart(this.#requestId);
    } catch {
      // A log sink's failure must not reach the environment.
    }
  }

  /**
   * The first of: the runtime's answer, the process's exit, the timeout. One timer serves the timeout
   * and the memory samples (every `memorySampleMs` until the deadline), where there were a timeout,
   * a sampling interval and a Promise.race of three per invoke. The exit reaches the wait through
   * #endWait: racing the `#exited` promise added a reaction to it on every invoke, kept until the
   * process exits, so a warm environment's memory grew with each invoke it ran (measured on Node 20:
   * about 320 bytes of heap per Promise.race against a promise that stays pending).
   */
  #wait(outcome: Promise<RuntimeOutcome>, timeoutMs: number): Promise<WaitEnd> {
    return new Promise<WaitEnd>((resolve) => {
      this.#waitResolve = resolve;
      if (this.#exit !== undefined) {
        this.#endWait(this.#exit);
        return;
      }
      this.#waitOutcome = outcome;
      // The Runtime API's promise only resolves (an abandoned invoke's never settles).
      void outcome.then((answer) => {
        if (this.#waitOutcome === outcome) this.#endWait(answer);
      });
      this.#waitDeadline = performance.now() + timeoutMs;
      this.#waitTimer = setTimeout(this.#onWaitTimer, Math.min(this.#sampleMs(), timeoutMs));
    });
  }

  #sampleMs(): number {
    return this.#options.memorySampleMs ?? 50;
  }

  #endWait(end: WaitEnd): void {
    const resolve = this.#waitResolve;
    if (resolve === undefined) return;
    this.#waitResolve = undefined;
    this.#waitOutcome = undefined;
    clearTimeout(this.#waitTimer);
    this.#waitTimer = undefined;
    resolve(end);
  }

  /** The wait's timer: the deadline passed, or a memory sample (over the limit: kill) and re-arm. */
  readonly #onWaitTimer = (): void => {
    this.#waitTimer = undefined;
    if (this.#waitResolve === undefined) return;
    const leftMs = this.#waitDeadline - performance.now();
    if (leftMs <= 0) {
      this.#endWait("timeout");
      return;
    }
    const rss = this.#exit ? 0 : (this.#memory?.readRss() ?? 0);
    if (rss > this.config.memorySizeMB * 1_048_576 && this.alive) {
      this.#killedForMemory = true;
      this.#kill();
    }
    this.#waitTimer = setTimeout(this.#onWaitTimer, Math.min(this.#sampleMs(), leftMs));
  };

  #kill(): void {
    const pid = this.#child?.pid;
    if (!pid || this.#exit) return;
    this.#killed = true;
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
      try {
        this.#child?.kill("SIGKILL");
      } catch {
        // Already gone.
      }
    }
  }

  /** Kills the process, closes the Runtime API and removes the environment's TMPDIR. */
  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#kill();
    if (this.#child && !this.#exit) await withTimer(this.#exited, 2000);
    this.#memory?.close();
    await this.#server.close().catch(() => {});
    if (this.#tmpDir) await rm(this.#tmpDir, { recursive: true, force: true }).catch(() => {});
    this.#logSafely((log) => log.close());
  }

  /** The last 4 KB of an invoke's logs, as LogType=Tail wants before base64. */
  static tail(logs: string): string {
    const bytes = Buffer.from(logs);
    return bytes.length <= invokeTailBytes
      ? logs
      : bytes.subarray(bytes.length - invokeTailBytes).toString("utf8");
  }
}

/** The environment died before this invoke could start; the pool retries on a fresh one. */
export class EnvironmentGoneError extends Error {
  constructor() {
    super("execution environment is no longer running");
  }
}

async function withTimer<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Resolves after the check phases of this event loop iteration and of the next one. */
function twoLoopTurns(): Promise<void> {
  return new Promise<void>((resolve) => {
    setImmediate(() => setImmediate(resolve));
  });
}

function pad(n: number): string {
  return String(n).padStart(2, "0");
}
