// Stratus's Node.js runtime: a Runtime API client loop that loads the handler named by _HANDLER
// from LAMBDA_TASK_ROOT and runs it as AWS's Node.js runtime does. Plain JS, no build step.
// Facts (error types and messages, log line format, handler resolution order) follow AWS's
// aws-lambda-nodejs-runtime-interface-client; the code is Stratus's own.
// ES module handlers that import packages only NODE_PATH holds (layers, the runtime's AWS SDK) get
// the resolve hooks of esm-fallback.mjs; see `importEsm`.
import { existsSync, readFileSync, statSync } from "node:fs";
import http from "node:http";
import { createRequire, isBuiltin, register } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { format } from "node:util";

const api = process.env.AWS_LAMBDA_RUNTIME_API;
const taskRoot = process.env.LAMBDA_TASK_ROOT || process.cwd();
const handlerName = process.env._HANDLER || "index.handler";
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
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
function request(method, urlPath, body, headers = {}) {
  return new Promise((resolve, reject) => {
    const [host, port] = api.split(":");
    const req = http.request(
      { host, port: Number(port), method, path: base + urlPath, agent, headers: { ...headers } },
      (res) => {
        const chunks = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () =>
          resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }),
        );
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    if (body !== undefined) req.end(body);
    else req.end();
  });
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

async function postError(urlPath, error) {
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
  await request("POST", urlPath, body, {
    "Content-Type": "application/json",
    "Lambda-Runtime-Function-Error-Type": response.errorType,
  });
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

async function postResult(requestId, err, result) {
  if (err !== null && err !== undefined) {
    await postError(`/invocation/${requestId}/error`, err);
    return;
  }
  let body;
  try {
    body = JSON.stringify(result === undefined ? null : result);
  } catch (e) {
    await postError(`/invocation/${requestId}/error`, e);
    return;
  }
  await request("POST", `/invocation/${requestId}/response`, body ?? "null", {
    "Content-Type": "application/json",
  });
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
  for (;;) {
    const next = await request("GET", "/invocation/next");
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
      await postResult(requestId, e);
      continue;
    }
    const { err, result } = await runHandler(handler, event, next.headers);
    inflight = undefined;
    await postResult(requestId, err, result);
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
