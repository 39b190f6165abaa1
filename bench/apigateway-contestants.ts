/**
 * The three servers of the apigateway benchmark and how each is made ready:
 *
 * - **Stratus** (`stratus start --in-memory`, harness.ts) serves both workloads: an HTTP API in front
 *   of the hello-world Node.js function, and a REST API on a MOCK integration
 *   (bench/apigateway-client.ts creates both over signed HTTP).
 * - **serverless-offline** 13 under the Serverless Framework 3 (both devDependencies), serving the same
 *   handler behind an `httpApi` event `GET /hello` on its HTTP port, in a generated project: a
 *   temporary directory with serverless.yml, the handler file and a `node_modules` link to this
 *   repository's. It is kept offline exactly as in the lambda benchmark (bench/lambda-contestants.ts
 *   says why each variable is set); its process group is signalled whole.
 * - **bare node:http** (bench/peers/bare-http.ts) replaying one answer of Stratus's MOCK method byte
 *   for byte (only Date differs), as edge-overhead replays the health answer: the floor of any
 *   node:http server sending those bytes.
 */
import { symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import {
  createHelloFunction,
  createHttpApi,
  createMockRestApi,
  HELLO_ROUTE,
  SetupError,
} from "./apigateway-client.ts";
import { peerContestant, REPO_ROOT } from "./harness.ts";
import { NODE_HANDLER } from "./lambda-client.ts";
import { freePort } from "./lib/ports.ts";
import type { ContestantSpec } from "./lib/processes.ts";
import type { RawResponse } from "./lib/raw-http.ts";
import { withTempDir } from "./lib/temp-dir.ts";
import type { ReplayResponse } from "./peers/bare-http.ts";

/** The hello-world handler of the lambda benchmark: `async () => ({ message: "hello" })`. */
export const HANDLER = NODE_HANDLER;

export interface StratusPaths {
  /** The HTTP API's `GET /hello` invoke URL, path form. */
  readonly httpApi: string;
  /** The REST API's MOCK method invoke URL, path form. */
  readonly mock: string;
}

/** Creates the function and both APIs on a running Stratus; the invoke paths. */
export async function prepareStratus(baseUrl: string): Promise<StratusPaths> {
  const arn = await createHelloFunction(baseUrl, "bench-apigateway-hello", HANDLER);
  return { httpApi: await createHttpApi(baseUrl, arn), mock: await createMockRestApi(baseUrl) };
}

const SERVICE = "stratusbench";
const READY_TIMEOUT_MS = 60_000;
/** As in createHelloFunction: slow cold starts under 64 connections must not fail. */
const FUNCTION_TIMEOUT_SECONDS = 30;

/** serverless-offline with the handler behind `httpApi: GET /hello`; its URL is the HTTP port's. */
export function serverlessOffline() {
  const project = withTempDir("serverless-offline-apigw-");
  return {
    path: HELLO_ROUTE.path,
    async spec(): Promise<ContestantSpec> {
      const dir = project.create();
      writeProject(dir);
      const [httpPort, lambdaPort, websocketPort, albPort] = await Promise.all(
        Array.from({ length: 4 }, () => freePort()),
      );
      const require = createRequire(import.meta.url);
      return {
        label: "serverless-offline",
        command: process.execPath,
        args: [
          require.resolve("serverless/bin/serverless.js"),
          "offline",
          "start",
          "--host",
          "127.0.0.1",
          "--httpPort",
          String(httpPort),
          "--lambdaPort",
          String(lambdaPort),
          "--websocketPort",
          String(websocketPort),
          "--albPort",
          String(albPort),
        ],
        cwd: dir,
        env: offlineEnvironment(dir),
        // "Server ready: http://127.0.0.1:3000 🚀", on stderr (the framework's log).
        urlPattern: /Server ready: (http:\/\/[^\s]+)/,
        urlOnStderr: true,
        readyTimeoutMs: READY_TIMEOUT_MS,
        processGroup: true,
      };
    },
    dispose: project.dispose,
  };
}

function writeProject(dir: string): void {
  const yaml = [
    `service: ${SERVICE}`,
    `frameworkVersion: "3"`,
    "provider:",
    "  name: aws",
    "  region: us-east-1",
    "  stage: dev",
    "functions:",
    "  hello:",
    `    handler: ${HANDLER.handler}`,
    `    runtime: ${HANDLER.runtime}`,
    `    timeout: ${FUNCTION_TIMEOUT_SECONDS}`,
    "    events:",
    "      - httpApi:",
    `          method: ${HELLO_ROUTE.method}`,
    `          path: ${HELLO_ROUTE.path}`,
    "plugins:",
    "  - serverless-offline",
    "",
  ].join("\n");
  writeFileSync(join(dir, "serverless.yml"), yaml);
  writeFileSync(join(dir, HANDLER.file), HANDLER.source);
  // The framework loads plugins from the service's node_modules.
  symlinkSync(join(REPO_ROOT, "node_modules"), join(dir, "node_modules"), "dir");
}

/** No network, no dashboard, no user files: see bench/lambda-contestants.ts. */
function offlineEnvironment(dir: string): Record<string, string> {
  return {
    HOME: dir,
    SLS_TELEMETRY_DISABLED: "1",
    SLS_NOTIFICATIONS_MODE: "off",
    SLS_DISABLE_AUTO_UPDATE: "1",
    SLS_DEPRECATION_DISABLE: "*",
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    AWS_REGION: "us-east-1",
    NO_COLOR: "1",
  };
}

/** Headers node:http writes on its own: the peer's server writes them, not its handler. */
const WRITTEN_BY_NODE = new Set(["date", "connection", "keep-alive", "transfer-encoding"]);
/** Headers whose value changes with every request (ids, trace ids); the checks mask them. */
const PER_REQUEST = ["date", "x-amzn-requestid", "x-amz-apigw-id", "x-amzn-trace-id", "apigw-requestid"];
const KEEP_ALIVE_TIMEOUT_MS_DEFAULT = 5_000;

/** The bare node:http peer replaying `captured` (an answer of Stratus's MOCK method). */
export function bareReplay(captured: RawResponse): ContestantSpec {
  if (captured.status !== 200) throw new SetupError(`the MOCK method answered HTTP ${captured.status}`);
  const keepAlive = captured.headers.find(([name]) => name.toLowerCase() === "keep-alive")?.[1];
  const timeoutSec = keepAlive ? Number(/timeout=(\d+)/.exec(keepAlive)?.[1]) : Number.NaN;
  const replay: ReplayResponse = {
    status: captured.status,
    headers: captured.headers.filter(([name]) => !WRITTEN_BY_NODE.has(name.toLowerCase())),
    bodyBase64: captured.body.toString("base64"),
    keepAliveTimeoutMs: Number.isFinite(timeoutSec) ? timeoutSec * 1000 : KEEP_ALIVE_TIMEOUT_MS_DEFAULT,
  };
  return peerContestant("bare node:http", "bare-http.ts", { BARE_HTTP_RESPONSE: JSON.stringify(replay) });
}

/** The response head with the per-request values masked, to compare two answers' bytes. */
export function maskedHead(response: RawResponse): string {
  return response.head.replace(new RegExp(`^(${PER_REQUEST.join("|")}): .*$`, "gim"), "$1: <masked>");
}
