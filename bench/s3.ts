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
import { type Matrix, type MatrixContestant, type MatrixWorkload, runMatrix } from "./lib/matrix.ts";
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
    description: `GetObject of a ${sizeName(size)} object, cycling through ${KEYS_PER_SIZE} keys`,
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
    description: `PutObject of a ${sizeName(size)} body, overwriting ${KEYS_PER_SIZE} keys in turn`,
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
  workloads: [putWorkload(KB), getWorkload(KB), putWorkload(MB), getWorkload(MB)],
};

/** The entry of bench/run.ts. */
export const s3 = {
  name: s3Matrix.name,
  run: (options: BenchOptions) => runMatrix(s3Matrix, options),
};
