/**
 * The two sides of the lambda benchmark, behind one shape: how to start each, which function a warm
 * run invokes, and which never-invoked function a cold-start sample invokes.
 *
 * - **Stratus**: `stratus start --in-memory` (harness.ts). Functions are made over the API:
 *   two warm ones, and a new one per cold-start sample (CreateFunction, then wait for Active; not
 *   timed), deleted at the end of the cold phase so their environments stop.
 * - **serverless-offline** 13 under the Serverless Framework 3, both devDependencies, run as
 *   `serverless offline start` in a generated project (a temporary directory holding serverless.yml,
 *   the same handler files, and a `node_modules` link to this repository's). It cannot create functions
 *   while running, so serverless.yml declares every function up front: the warm ones and one per
 *   cold-start sample. Its "cold start" is therefore the first invoke of a function since it started:
 *   for Node.js a new worker thread that imports the handler, for Python a new `sh -c python3 ...`
 *   process that imports it.
 *
 * ## Keeping serverless-offline offline
 * The network here is loopback-only and no AWS credentials exist. The framework is told not to phone
 * home (SLS_TELEMETRY_DISABLED, SLS_NOTIFICATIONS_MODE=off, SLS_DISABLE_AUTO_UPDATE, no `org`/`app`
 * in serverless.yml, so no dashboard), gets dummy credentials, and HOME is the project directory, so it
 * neither reads nor writes the user's ~/.aws or ~/.serverlessrc. Every port it could open is a free one
 * on 127.0.0.1 (it would take 3000-3003 on `localhost` otherwise). `--noPrependStageInUrl` and
 * `--httpPort` concern API Gateway routes, which this project has none of; the Lambda port serves the
 * Invoke API (`POST /2015-03-31/functions/NAME/invocations`, NAME = service-stage-function).
 *
 * ## Fairness
 * - serverless-offline starts Python through a shell as `python3`; on a machine with a version
 *   manager (pyenv) that is a shim costing 100 ms or more per start. Stratus resolves the real binary
 *   once, so serverless-offline gets the same binary's directory first on its PATH.
 * - serverless-offline logs a line per invoke to its output; that is how it runs.
 */
import { execFileSync } from "node:child_process";
import { symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { REPO_ROOT, stratusContestant } from "./harness.ts";
import { createFunction, deleteFunction, type HelloHandler } from "./lambda-client.ts";
import { freePort } from "./lib/ports.ts";
import type { ContestantSpec, RunningContestant } from "./lib/processes.ts";
import { withTempDir } from "./lib/temp-dir.ts";

export interface LambdaSide {
  readonly label: string;
  spec(): Promise<ContestantSpec>;
  /** Once started: creates what the warm runs invoke. */
  prepare(running: RunningContestant, handlers: readonly HelloHandler[]): Promise<void>;
  /** The function a warm run of `handler` invokes. */
  warmFunction(handler: HelloHandler): string;
  /** Makes ready (untimed) a function never invoked before, for cold-start sample `index`; its name. */
  coldFunction(running: RunningContestant, handler: HelloHandler, index: number): Promise<string>;
  /** After the cold phase: lets go of the cold functions' environments, where it can. */
  releaseCold(running: RunningContestant): Promise<void>;
  /** After the process has stopped, whatever happened. */
  dispose(): void;
}

export function stratusSide(): LambdaSide {
  const cold: string[] = [];
  return {
    label: "Stratus",
    spec: async () => stratusContestant(),
    async prepare(running, handlers) {
      for (const handler of handlers) {
        await createFunction(running.url, `bench-warm-${handler.family}`, handler);
      }
    },
    warmFunction: (handler) => `bench-warm-${handler.family}`,
    async coldFunction(running, handler, index) {
      const name = `bench-cold-${handler.family}-${index + 1}`;
      await createFunction(running.url, name, handler);
      cold.push(name);
      return name;
    },
    async releaseCold(running) {
      for (let name = cold.shift(); name !== undefined; name = cold.shift()) {
        await deleteFunction(running.url, name);
      }
    },
    dispose: () => {},
  };
}

const SERVICE = "stratusbench";
const STAGE = "dev";
const READY_TIMEOUT_MS = 60_000;

export function serverlessOfflineSide(coldSamples: number, handlers: readonly HelloHandler[]): LambdaSide {
  const project = withTempDir("serverless-offline-bench-");
  const keyOf = (handler: HelloHandler, kind: "warm" | "cold", index = 0) =>
    `${kind}${capitalised(handler.family)}${kind === "cold" ? index + 1 : ""}`;
  const nameOf = (key: string) => `${SERVICE}-${STAGE}-${key}`;
  return {
    label: "serverless-offline",
    async spec() {
      const dir = project.create();
      const keys = handlers.flatMap((handler) => [
        { key: keyOf(handler, "warm"), handler },
        ...Array.from({ length: coldSamples }, (_, i) => ({ key: keyOf(handler, "cold", i), handler })),
      ]);
      writeProject(dir, keys, handlers);
      const [lambdaPort, httpPort, websocketPort, albPort] = await Promise.all(
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
          "--lambdaPort",
          String(lambdaPort),
          "--httpPort",
          String(httpPort),
          "--websocketPort",
          String(websocketPort),
          "--albPort",
          String(albPort),
        ],
        cwd: dir,
        env: offlineEnvironment(dir),
        // "Offline [http for lambda] listening on http://127.0.0.1:3002", on stderr (the framework's log).
        urlPattern: /Offline \[http for lambda\] listening on (http:\/\/\S+)/,
        urlOnStderr: true,
        readyTimeoutMs: READY_TIMEOUT_MS,
        processGroup: true,
      };
    },
    prepare: async () => {},
    warmFunction: (handler) => nameOf(keyOf(handler, "warm")),
    coldFunction: async (_running, handler, index) => nameOf(keyOf(handler, "cold", index)),
    // Idle function instances end after its terminateIdleLambdaTime (60 s), or with the process.
    releaseCold: async () => {},
    dispose: project.dispose,
  };
}

function writeProject(
  dir: string,
  functions: readonly { key: string; handler: HelloHandler }[],
  handlers: readonly HelloHandler[],
): void {
  const yaml = [
    `service: ${SERVICE}`,
    `frameworkVersion: "3"`,
    "provider:",
    "  name: aws",
    "  region: us-east-1",
    `  stage: ${STAGE}`,
    "functions:",
    ...functions.flatMap(({ key, handler }) => [
      `  ${key}:`,
      `    handler: ${handler.handler}`,
      `    runtime: ${handler.runtime}`,
    ]),
    "plugins:",
    "  - serverless-offline",
    "",
  ].join("\n");
  writeFileSync(join(dir, "serverless.yml"), yaml);
  for (const handler of handlers) writeFileSync(join(dir, handler.file), handler.source);
  // The framework loads plugins from the service's node_modules.
  symlinkSync(join(REPO_ROOT, "node_modules"), join(dir, "node_modules"), "dir");
}

function offlineEnvironment(dir: string): Record<string, string> {
  const python = realPythonDir();
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
    ...(python ? { PATH: `${python}:${process.env.PATH ?? "/usr/bin:/bin"}` } : {}),
  };
}

/** The directory of the real python3 binary (behind any version-manager shim), as Stratus runs it. */
function realPythonDir(): string | undefined {
  try {
    const executable = execFileSync("python3", ["-c", "import sys; print(sys.executable)"], {
      encoding: "utf8",
      timeout: 5_000,
    }).trim();
    return executable === "" ? undefined : dirname(executable);
  } catch {
    return undefined;
  }
}

function capitalised(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
