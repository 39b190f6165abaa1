/**
 * s3: PUT and GET of 1 KB and 1 MB objects at 32 requests in flight on Stratus (durable, on disk) side
 * by side with s3rver (npm; files on disk) and moto's server (in memory), in one run; then, on Stratus
 * and s3rver, one large object: its upload streamed while the server's RSS is sampled, and its download
 * throughput (s3-large.ts).
 *
 * Every contestant gets the same bucket and objects, set up over signed HTTP (s3-client.ts). GETs cycle
 * through 32 keys of their size; PUTs overwrite 32 keys of theirs (as many as connections, so no two
 * connections replay the same request in step). Requests are signed once and
 * replayed (bench/lib/signed-requests.ts), so the client's cost stays small next to the servers'.
 * The 1 KB workloads are loaded by autocannon, the 1 MB ones by the lean client (bench/lib/lean-load.ts)
 * for every contestant alike: autocannon tops out near 550 MB/s here, below what the servers reach.
 * The summary adds MB/s for the 1 MB rows and the issue's target for them (reported, not asserted).
 *
 * ## By design
 * - Stratus runs durable on a fresh data directory, as a user runs it, with s3rver's key pair in a
 *   credentials file so that one signed request serves every contestant.
 * - s3rver stores files without fsync; moto keeps objects in memory: neither is durable as Stratus is.
 */
import { writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { type BenchOptions, REPO_ROOT } from "./harness.ts";
import { runLeanLoad } from "./lib/lean-load.ts";
import {
  type Matrix,
  type MatrixContestant,
  type MatrixResult,
  type MatrixWorkload,
  runMatrix,
} from "./lib/matrix.ts";
import { onPath } from "./lib/on-path.ts";
import { freePort } from "./lib/ports.ts";
import { withTempDir } from "./lib/temp-dir.ts";
import {
  BUCKET,
  bodyOf,
  callS3,
  KEYS_PER_SIZE,
  objectKey,
  prepareBucket,
  S3_CREDENTIALS,
  signS3,
} from "./s3-client.ts";

const CONNECTIONS = 32;
const READY_TIMEOUT_MS = 30_000;
const KB = 1024;
const MB = 1024 * 1024;
const SIZES = [KB, MB] as const;
/** Issue 6's target for 1 MB GETs at 32 in flight, in MB/s (10^6 bytes). */
const GET_1MB_TARGET_MBPS = 1000;

/** The lean client where autocannon would be the limit (1 MB bodies), autocannon elsewhere. */
function clientFor(size: number): Pick<MatrixWorkload, "client"> {
  return size >= MB ? { client: runLeanLoad } : {};
}

export function stratus(): MatrixContestant {
  const data = withTempDir("stratus-s3-bench-");
  return {
    label: "Stratus",
    spec: () => {
      const dir = data.create();
      const credentials = join(dir, "credentials.json");
      writeFileSync(credentials, JSON.stringify([{ ...S3_CREDENTIALS, accountId: "000000000000" }]));
      return {
        label: "Stratus",
        command: process.execPath,
        args: [
          "bin/stratus.js",
          "start",
          "--port",
          "0",
          "--data-dir",
          join(dir, "data"),
          "--credentials",
          credentials,
          "--log-level",
          "warn",
        ],
        cwd: REPO_ROOT,
        urlPattern: /^\s*Endpoint:\s+(http:\/\/\S+)/,
        readyPath: "/_stratus/health",
        readyTimeoutMs: READY_TIMEOUT_MS,
      };
    },
    prepare: (running) => prepareBucket(running.url, SIZES),
    dispose: data.dispose,
  };
}

export function s3rver(): MatrixContestant {
  const data = withTempDir("s3rver-bench-");
  return {
    label: "s3rver",
    async spec() {
      const cli = createRequire(import.meta.url).resolve("s3rver/bin/s3rver.js");
      const port = await freePort();
      return {
        label: "s3rver",
        command: process.execPath,
        args: [cli, "-d", data.create(), "-a", "127.0.0.1", "-p", String(port), "--no-vhost-buckets"],
        cwd: REPO_ROOT,
        // "S3rver listening on 127.0.0.1:4568"
        urlPattern: /S3rver listening on\s+(\S+)/,
        readyTimeoutMs: READY_TIMEOUT_MS,
      };
    },
    prepare: (running) => prepareBucket(running.url, SIZES),
    dispose: data.dispose,
  };
}

function moto(): MatrixContestant {
  return {
    label: "moto",
    async spec() {
      if (!onPath("moto_server")) return { skip: "moto_server is not on PATH (pip install 'moto[server]')" };
      const port = await freePort();
      return {
        label: "moto",
        command: "moto_server",
        args: ["-H", "127.0.0.1", "-p", String(port)],
        cwd: REPO_ROOT,
        urlPattern: /Running on\s+(http:\/\/\S+)/,
        urlOnStderr: true,
        readyTimeoutMs: READY_TIMEOUT_MS,
      };
    },
    prepare: (running) => prepareBucket(running.url, SIZES),
    // werkzeug answers every request with `Connection: close`.
    connectionPerRequest: true,
  };
}

function sizeName(size: number): string {
  return size >= MB ? `${size / MB} MB` : `${size / KB} KB`;
}

function getWorkload(size: number): MatrixWorkload {
  return {
    name: `GET ${sizeName(size)}`,
    description: `GetObject of a ${sizeName(size)} object, cycling through ${KEYS_PER_SIZE} keys${size >= MB ? " (lean client)" : ""}`,
    ...clientFor(size),
    build: async (url) => ({
      path: `/${BUCKET}`,
      requests: await Promise.all(
        Array.from({ length: KEYS_PER_SIZE }, (_, i) =>
          signS3(url, "GET", `/${BUCKET}/${objectKey("get", size, i)}`),
        ),
      ),
    }),
    async check(url) {
      const answer = await callS3(url, "GET", `/${BUCKET}/${objectKey("get", size, 3)}`);
      if (answer.body !== bodyOf(size, `${size}-3`))
        throw new Error(`GET ${sizeName(size)} answered other bytes`);
    },
  };
}

function putWorkload(size: number): MatrixWorkload {
  return {
    name: `PUT ${sizeName(size)}`,
    description: `PutObject of a ${sizeName(size)} body, overwriting ${KEYS_PER_SIZE} keys in turn${size >= MB ? " (lean client)" : ""}`,
    ...clientFor(size),
    build: async (url) => ({
      path: `/${BUCKET}`,
      requests: await Promise.all(
        Array.from({ length: KEYS_PER_SIZE }, (_, i) =>
          signS3(url, "PUT", `/${BUCKET}/${objectKey("put", size, i)}`, bodyOf(size, `put-${size}-${i}`)),
        ),
      ),
    }),
    async check(url) {
      await callS3(url, "PUT", `/${BUCKET}/${objectKey("put", size, 0)}`, bodyOf(size, `put-${size}-0`));
      const answer = await callS3(url, "GET", `/${BUCKET}/${objectKey("put", size, 0)}`);
      if (answer.body !== bodyOf(size, `put-${size}-0`))
        throw new Error(`GET after PUT ${sizeName(size)} differs`);
    },
  };
}

export const s3Matrix: Matrix = {
  name: "s3",
  description: "PUT and GET of 1 KB and 1 MB objects on Stratus (durable) vs s3rver and moto",
  connections: CONNECTIONS,
  contestants: [stratus(), s3rver(), moto()],
  // GETs before PUTs: after the PUT 1 MB runs (gigabytes written by three servers, Stratus's with fsync)
  // the kernel goes on writing dirty pages back for seconds, and a GET 1 MB measured then measured that
  // writeback as well: 839 MB/s in the matrix against 1.5–1.7 GB/s alone on a quiet machine (session 4).
  workloads: [getWorkload(KB), putWorkload(KB), getWorkload(MB), putWorkload(MB)],
};

/** The entry of bench/run.ts. */
export const s3 = {
  name: s3Matrix.name,
  async run(options: BenchOptions): Promise<MatrixResult> {
    const result = await runMatrix(s3Matrix, options);
    const extra = throughputLines(result);
    console.log(`\n${extra}`);
    return { ...result, summary: `${result.summary}\n${extra}` };
  },
};

/** MB/s (10^6 bytes) of every measured 1 MB row, then the target: req/s × body size of the medians. */
function throughputLines(result: MatrixResult): string {
  const lines = ["s3: 1 MB throughput (median req/s × 1 MiB, in MB/s of 10^6 bytes)"];
  let stratusGet: number | undefined;
  for (const workload of s3Matrix.workloads.filter((w) => w.name.endsWith(sizeName(MB)))) {
    for (const [label, cell] of Object.entries(result.cells[workload.name] ?? {})) {
      if (cell.state !== "measured") continue;
      const mbps = (cell.report.median.requestsPerSec * MB) / 1e6;
      if (label === "Stratus" && workload.name.startsWith("GET")) stratusGet = mbps;
      lines.push(
        `  ${workload.name.padEnd(10)} ${label.padEnd(10)} ${Math.round(mbps).toString().padStart(6)} MB/s`,
      );
    }
  }
  const met =
    stratusGet === undefined ? "not measured" : stratusGet >= GET_1MB_TARGET_MBPS ? "met" : "not met";
  const measured = stratusGet === undefined ? "" : ` (${Math.round(stratusGet)} MB/s)`;
  lines.push(
    "  targets (reported, not asserted):",
    `    Stratus GET 1 MB at ${CONNECTIONS} in flight ≥ ${GET_1MB_TARGET_MBPS / 1000} GB/s: ${met}${measured}`,
  );
  return lines.join("\n");
}
