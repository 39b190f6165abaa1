// Stratus's Node.js runtime: a Runtime API client loop that loads the handler named by _HANDLER
// from LAMBDA_TASK_ROOT and runs it as AWS's Node.js runtime does. Plain JS, no build step.
// Facts (error types and messages, log line format, handler resolution order) follow AWS's
// aws-lambda-nodejs-runtime-interface-client; the code is Stratus's own.
// ES module handlers that import packages only NODE_PATH holds (layers, the runtime's AWS SDK) get
// the resolve hooks of esm-fallback.mjs; see `importEsm`.
import { existsSync, readFileSync, statSync } from "node:fs";
import { createRequire, isBuiltin, register } from "node:module";
import net from "node:net";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { format } from "node:util";

const api = process.env.AWS_LAMBDA_RUNTIME_API;
const taskRoot = process.env.LAMBDA_TASK_ROOT || process.cwd();
const handlerName = process.env._HANDLER || "index.handler";
const base = "/2018-06-01/runtime";

let currentRequestId;

// ---- logging: "<ISO time>\t<request id>\t<LEVEL>\t<message>\n", as AWS's text format ----
function patchConsole() {
  const write =
    (level) =>
    (...args) => {
      const text = format(...args).replace(/\n/g, "\r");
      process.stdout.write(`${new Date().toISOString()}\t${currentRequestId}\t${level}\t${text}\n`);
    };
  console.log = write("INFO");
  console.info = write("INFO");
  console.warn = write("WARN");
  console.error = write("ERROR");
  console.debug = write("DEBUG");
  console.trace = write("TRACE");
  console.fatal = write("FATAL");
}

// ---- Runtime API client ----
// One keep-alive HTTP/1.1 connection over a raw socket, like the Python bootstrap's: node:http's
// client (agent, ClientRequest, IncomingMessage, header validation) cost more CPU per invoke than the
// handler of a small function. Stratus's Runtime API answers with a Content-Length every time.
// Answers arrive in request order, so requests may be pipelined: the loop sends a result and the next
// GET /invocation/next in one write (one syscall, and one wake-up of Stratus instead of two).
const HEAD_BYTES_MAX = 64 * 1024;

class RuntimeClient {
  #host;
  #port;
  #socket;
  /** What arrived of the answer being read, and its size; its head once parsed. */
  #chunks = [];
  #received = 0;
  #head;
  /** Resolvers of the requests sent and not answered yet, oldest first. */
  #waiting = [];

  constructor(address) {
    const colon = address.lastIndexOf(":");
    this.#host = address.slice(0, colon);
    this.#port = Number(address.slice(colon + 1));
  }

  /** Builds the bytes of one request; `send` writes one or more of them at once. */
  static format(method, urlPath, body, headers = {}) {
    let head = `${method} ${base}${urlPath} HTTP/1.1\r\nHost: ${api}\r\n`;
    for (const name of Object.keys(headers)) head += `${name}: ${headers[name]}\r\n`;
    if (body === undefined) return Buffer.from(`${head}\r\n`, "latin1");
    const payload = Buffer.isBuffer(body) ? body : Buffer.from(body, "utf8");
    head += `Content-Length: ${payload.length}\r\n\r\n`;
    return Buffer.concat([Buffer.from(head, "latin1"), payload]);
  }

  /** Sends the requests in one write; resolves with their answers, in order. */
  send(requests) {
    if (this.#socket === undefined) this.#connect();
    const answers = requests.map(
      () => new Promise((resolve, reject) => this.#waiting.push({ resolve, reject })),
    );
    // Waiting for an answer keeps the process alive; an idle connection must not (see #onData):
    // callbackWaitsForEmptyEventLoop waits for an empty event loop.
    this.#socket.ref();
    this.#socket.write(requests.length === 1 ? requests[0] : Buffer.concat(requests));
    return answers;
  }

  #connect() {
    const socket = net.connect({ host: this.#host, port: this.#port, noDelay: true });
    this.#socket = socket;
    this.#chunks = [];
    this.#received = 0;
    this.#head = undefined;
    socket.on("data", (chunk) => this.#onData(chunk));
    const fail = (error) => {
      if (this.#socket !== socket) return;
      this.#socket = undefined;
      const waiting = this.#waiting;
      this.#waiting = [];
      for (const w of waiting) w.reject(error ?? new Error("Runtime API closed the connection"));
    };
    socket.on("error", fail);
    socket.on("close", () => fail());
  }

  #onData(chunk) {
    // Chunks are joined once per answer, not per chunk: an event can be 6 MB.
    this.#chunks.push(chunk);
    this.#received += chunk.length;
    for (;;) {
      if (this.#head === undefined) {
        const buffer = this.#joined();
        const end = buffer.indexOf("\r\n\r\n");
        if (end < 0) {
          if (buffer.length > HEAD_BYTES_MAX)
            this.#socket.destroy(new Error("Runtime API answer head too large"));
          return;
        }
        const lines = buffer.toString("latin1", 0, end).split("\r\n");
        const status = Number(lines[0].split(" ", 3)[1]);
        const headers = {};
        for (let i = 1; i < lines.length; i++) {
          const colon = lines[i].indexOf(":");
          if (colon > 0)
            headers[lines[i].slice(0, colon).trim().toLowerCase()] = lines[i].slice(colon + 1).trim();
        }
        if (headers["transfer-encoding"] !== undefined) {
          this.#socket.destroy(new Error("Runtime API answered without a Content-Length"));
          return;
        }
        this.#head = { status, headers, length: Number(headers["content-length"] ?? 0) };
        this.#chunks = [buffer.subarray(end + 4)];
        this.#received = buffer.length - end - 4;
      }
      const { status, headers, length } = this.#head;
      if (this.#received < length) return;
      const all = this.#joined();
      const rest = all.subarray(length);
      this.#head = undefined;
      this.#chunks = rest.length > 0 ? [rest] : [];
      this.#received = rest.length;
      const waiter = this.#waiting.shift();
      if (this.#waiting.length === 0) this.#socket.unref();
      if ((headers.connection ?? "").toLowerCase() === "close") this.#socket.end();
      waiter?.resolve({ status, headers, body: all.subarray(0, length) });
      if (this.#socket === undefined || rest.length === 0) return;
    }
  }

  #joined() {
    if (this.#chunks.length !== 1) this.#chunks = [Buffer.concat(this.#chunks)];
    return this.#chunks[0];
  }
}

const client = new RuntimeClient(api);

function request(method, urlPath, body, headers) {
  return client.send([RuntimeClient.format(method, urlPath, body, headers)])[0];
}

function toErrorResponse(error) {
  try {
    if (
      error instanceof Error ||
      (error && typeof error.stack === "string" && typeof error.message === "string")
    ) {
      return { errorType: error.name, errorMessage: error.message, trace: String(error.stack).split("\n") };
    }
    return { errorType: typeof error, errorMessage: String(error), trace: [] };
  } catch {
    return {
      errorType: "handled",
      errorMessage:
        "callback called with Error argument, but there was a problem while retrieving one or more of its message, name, and stack",
    };
  }
}

/** Logs the error as AWS's runtime does and builds its POST; `postError` sends it alone. */
function errorRequest(urlPath, error) {
  const response = toErrorResponse(error);
  const logged = {
    errorType: response.errorType,
    errorMessage: response.errorMessage,
    stack: response.trace,
  };
  const label = urlPath === "/init/error" ? "Uncaught Exception" : "Invoke Error";
  process.stdout.write(
    `${new Date().toISOString()}\t${currentRequestId}\tERROR\t${label} \t${JSON.stringify(logged)}\n`,
  );
  const body = JSON.stringify(response);
  return RuntimeClient.format("POST", urlPath, body, {
    "Content-Type": "application/json",
    "Lambda-Runtime-Function-Error-Type": response.errorType,
  });
}

async function postError(urlPath, error) {
  await client.send([errorRequest(urlPath, error)])[0];
}

// ---- handler loading ----
class RuntimeError extends Error {
  constructor(type, message) {
    super(message);
    this.name = `Runtime.${type}`;
  }
}

function isModulePackage(dir) {
  for (let d = dir; ; d = path.dirname(d)) {
    if (d.endsWith(`${path.sep}node_modules`)) return false;
    const pj = path.join(d, "package.json");
    if (existsSync(pj)) {
      try {
        return JSON.parse(readFileSync(pj, "utf8")).type === "module";
      } catch {
        return false;
      }
    }
    if (path.dirname(d) === d) return false;
  }
}

// ---- ESM imports of packages from layers and the runtime (esm-fallback.mjs) ----
const SCANNED_FILES_MAX = 200;
const SCANNED_BYTES_MAX = 8_000_000;
const STATIC_IMPORT = /\b(?:import|export)\s+(?:[^'"`;]*?\s+from\s+)?["']([^"'\n]+)["']/g;
const DYNAMIC_IMPORT = /\bimport\s*\(\s*["']([^"'\n]+)["']\s*\)/g;

/** NODE_PATH's node_modules directories (layers, then the runtime's): where AWS's runtime looks. */
function fallbackDirs() {
  return (process.env.NODE_PATH || "").split(":").filter((d) => d.endsWith(`${path.sep}node_modules`));
}

function packageName(specifier) {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}

/** Whether Node's own resolution (node_modules of `dir` and its parents) can find the package. */
function resolvesNatively(name, dir) {
  for (let d = dir; ; d = path.dirname(d)) {
    if (existsSync(path.join(d, "node_modules", name))) return true;
    if (path.dirname(d) === d) return false;
  }
}

/**
 * Whether the ES module graph of `entry` (its own files, followed through relative imports) imports a
 * package that only the fallback directories hold. A cheap textual scan: a false "yes" costs the hooks'
 * start-up, a false "no" (a computed specifier) leaves the import to Node's own resolution.
 */
function esmNeedsFallback(entry, dirs) {
  if (dirs.length === 0) return false;
  const queue = [entry];
  const seen = new Set(queue);
  let bytes = 0;
  while (queue.length > 0 && seen.size <= SCANNED_FILES_MAX) {
    const file = queue.shift();
    let source;
    try {
      source = readFileSync(file, "utf8");
    } catch {
      continue;
    }
    bytes += source.length;
    if (bytes > SCANNED_BYTES_MAX) return false;
    for (const pattern of [STATIC_IMPORT, DYNAMIC_IMPORT]) {
      for (const match of source.matchAll(pattern)) {
        const specifier = match[1];
        if (specifier.startsWith("./") || specifier.startsWith("../")) {
          const next = path.resolve(path.dirname(file), specifier);
          if (
            /\.m?js$/.test(next) &&
            !next.includes(`${path.sep}node_modules${path.sep}`) &&
            !seen.has(next)
          ) {
            seen.add(next);
            queue.push(next);
          }
          continue;
        }
        if (/^([a-zA-Z][a-zA-Z0-9+.-]*:|\/|#)/.test(specifier) || isBuiltin(specifier)) continue;
        const name = packageName(specifier);
        if (resolvesNatively(name, path.dirname(file))) continue;
        if (dirs.some((d) => existsSync(path.join(d, name)))) return true;
      }
    }
  }
  return false;
}

let fallbackRegistered = false;

/** Imports an ES module handler, with the fallback hooks when its imports need them. */
function importEsm(file) {
  if (!fallbackRegistered) {
    const dirs = fallbackDirs();
    if (esmNeedsFallback(file, dirs)) {
      register(new URL("./esm-fallback.mjs", import.meta.url), { data: { dirs } });
      fallbackRegistered = true;
    }
  }
  return import(pathToFileURL(file).href);
}

function isFile(file) {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

async function loadModule(file) {
  const require = createRequire(path.join(taskRoot, "noop.js"));
  if (file.endsWith(".mjs") && isFile(file)) return importEsm(file);
  if (existsSync(file)) return require(file);
  const esm = isModulePackage(path.dirname(file));
  if (!esm && existsSync(`${file}.js`)) return require(`${file}.js`);
  if (esm && existsSync(`${file}.js`)) return importEsm(`${file}.js`);
  if (existsSync(`${file}.mjs`)) return importEsm(`${file}.mjs`);
  if (existsSync(`${file}.cjs`)) return require(`${file}.cjs`);
  return require(require.resolve(path.basename(file), { paths: [taskRoot, path.dirname(file)] }));
}

async function loadHandler() {
  if (handlerName.includes("..")) {
    throw new RuntimeError(
      "MalformedHandlerName",
      `'${handlerName}' is not a valid handler name. Use absolute paths when specifying root directories in handler names.`,
    );
  }
  const base = path.basename(handlerName);
  const moduleRoot = handlerName.slice(0, handlerName.length - base.length);
  const match = /^([^.]*)\.(.*)$/.exec(base);
  if (!match) throw new RuntimeError("MalformedHandlerName", "Bad handler");
  const [, moduleName, exportPath] = match;
  let userModule;
  try {
    userModule = await loadModule(path.resolve(taskRoot, moduleRoot, moduleName));
  } catch (e) {
    if (e instanceof SyntaxError) throw new RuntimeError("UserCodeSyntaxError", String(e));
    if (e && (e.code === "MODULE_NOT_FOUND" || e.code === "ERR_MODULE_NOT_FOUND")) {
      throw new RuntimeError("ImportModuleError", String(e));
    }
    throw e;
  }
  const fn = exportPath.split(".").reduce((o, k) => (o == null ? undefined : o[k]), userModule);
  if (!fn) throw new RuntimeError("HandlerNotFound", `${handlerName} is undefined or not exported`);
  if (typeof fn !== "function") throw new RuntimeError("HandlerNotFound", `${handlerName} is not a function`);
  return fn;
}

// ---- invocation ----
function parseJson(text) {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function makeContext(headers, settle) {
  const deadline = Number(headers["lambda-runtime-deadline-ms"]);
  const context = {
    callbackWaitsForEmptyEventLoop: true,
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
    invokedFunctionArn: headers["lambda-runtime-invoked-function-arn"],
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    awsRequestId: headers["lambda-runtime-aws-request-id"],
    logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
    identity: parseJson(headers["lambda-runtime-cognito-identity"]),
    clientContext: parseJson(headers["lambda-runtime-client-context"]),
    getRemainingTimeInMillis: () => Math.max(deadline - Date.now(), 0),
    // Legacy context methods, still present on AWS.
    succeed: (result) => settle(null, result),
    fail: (err) => settle(err ?? "handled"),
    done: (err, result) => settle(err, result),
  };
  return context;
}

let inflight; // { requestId, settled }

/** The POST of an invocation's answer: its result, or the error it ended with. */
function resultRequest(requestId, err, result) {
  if (err !== null && err !== undefined) return errorRequest(`/invocation/${requestId}/error`, err);
  let body;
  try {
    body = JSON.stringify(result === undefined ? null : result);
  } catch (e) {
    return errorRequest(`/invocation/${requestId}/error`, e);
  }
  return RuntimeClient.format("POST", `/invocation/${requestId}/response`, body ?? "null", {
    "Content-Type": "application/json",
  });
}

const NEXT = RuntimeClient.format("GET", "/invocation/next");

/**
 * Posts an answer and asks for the next event in the same write; resolves once the answer is
 * acknowledged (its status is not looked at, as before) with `{ next }`, the pending GET.
 */
async function answerThenNext(answer) {
  const [posted, next] = client.send([answer, NEXT]);
  // Awaited by the loop; until then a failed connection must not count as an unhandled rejection.
  next.catch(() => {});
  await posted;
  return { next };
}

function runHandler(handler, event, headers) {
  return new Promise((resolve) => {
    let done = false;
    const settle = (err, result) => {
      if (done) return;
      done = true;
      resolve({ err, result, viaCallback: true });
    };
    const context = makeContext(headers, settle);
    const callback = (err, result) => {
      if (done) return;
      if (context.callbackWaitsForEmptyEventLoop) {
        // AWS answers once the event loop is empty; "beforeExit" fires exactly then.
        done = true;
        process.once("beforeExit", () => resolve({ err, result }));
      } else {
        settle(err, result);
      }
    };
    let returned;
    try {
      returned = handler(event, context, callback);
    } catch (e) {
      settle(e);
      return;
    }
    if (returned && typeof returned.then === "function") {
      returned.then(
        (r) => settle(null, r),
        (e) => settle(e ?? new Error("handled")),
      );
    } else if (handler.constructor?.name === "AsyncFunction") {
      settle(null, returned);
    }
  });
}

async function main() {
  patchConsole();
  let handler;
  try {
    handler = await loadHandler();
  } catch (e) {
    await postError("/init/error", e).catch(() => {});
    process.exit(129);
  }
  process.on("uncaughtException", (e) => fatal(e));
  process.on("unhandledRejection", (reason) => {
    const err = new Error(String(reason instanceof Error ? (reason.stack ?? reason) : reason));
    err.name = "Runtime.UnhandledPromiseRejection";
    fatal(err);
  });
  let pending = request("GET", "/invocation/next");
  for (;;) {
    const next = await pending;
    if (next.status !== 200) throw new Error(`Runtime API answered ${next.status} to next`);
    const requestId = next.headers["lambda-runtime-aws-request-id"];
    currentRequestId = requestId;
    inflight = { requestId };
    const trace = next.headers["lambda-runtime-trace-id"];
    if (trace) process.env._X_AMZN_TRACE_ID = trace;
    else delete process.env._X_AMZN_TRACE_ID;
    let event;
    try {
      event = JSON.parse(next.body.toString("utf8"));
    } catch (e) {
      ({ next: pending } = await answerThenNext(resultRequest(requestId, e)));
      continue;
    }
    const { err, result } = await runHandler(handler, event, next.headers);
    inflight = undefined;
    ({ next: pending } = await answerThenNext(resultRequest(requestId, err, result)));
  }
}

function fatal(error) {
  const target = inflight ? `/invocation/${inflight.requestId}/error` : "/init/error";
  postError(target, error)
    .catch(() => {})
    .finally(() => process.exit(129));
}

main().catch((e) => {
  process.stderr.write(`${e?.stack ?? e}\n`);
  process.exit(1);
});
