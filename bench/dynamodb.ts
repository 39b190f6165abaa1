/**
 * dynamodb: GetItem, PutItem and Query on Stratus (durable, on disk) side by side with dynalite in
 * memory, dynalite on disk (`--path`) and moto's server, in one run.
 *
 * Every contestant gets the same table (HASH `pk`, RANGE `sk`) and the same 100 items of ~200 bytes in
 * one partition, set up over signed HTTP. The load is pre-signed requests replayed by autocannon
 * (bench/lib/signed-requests.ts): GetItem cycles through the 100 keys, PutItem through 100 keys of
 * another partition (overwriting them), Query asks for the whole partition and gets 100 items back.
 *
 * ## By design
 * - Stratus runs durable, on a fresh temporary data directory, as a user would run it.
 * - dynalite runs from its own CLI (`dynalite --port P [--path DIR]`), moto as `moto_server -p P`; both
 *   print their URL once listening. moto is skipped, with a note, where `moto_server` is not on PATH.
 * - dynalite on disk writes LevelDB without fsync per write: "on disk", not "durable" as Stratus is.
 * - moto_server (werkzeug's development server) logs every request to stderr; that is how it runs.
 * - "node:http floor" is not a DynamoDB: it is the ceiling of the machine and load generator (floor()).
 */
import { createRequire } from "node:module";
import {
  callDynamoDb,
  ITEM_COUNT,
  itemOf,
  keyOf,
  PUT_PK,
  parseAnswer,
  prepareTable,
  QUERY_PK,
  signDynamoDb,
  TABLE_NAME,
} from "./dynamodb-client.ts";
import { type BenchOptions, peerContestant, REPO_ROOT } from "./harness.ts";
import { type Matrix, type MatrixContestant, type MatrixWorkload, runMatrix } from "./lib/matrix.ts";
import { onPath } from "./lib/on-path.ts";
import { freePort } from "./lib/ports.ts";
import type { ContestantSpec } from "./lib/processes.ts";
import { sendSigned } from "./lib/signed-requests.ts";
import { withTempDir } from "./lib/temp-dir.ts";

const CONNECTIONS = 32;
const READY_TIMEOUT_MS = 30_000;

function stratus(): MatrixContestant {
  const data = withTempDir("stratus-bench-");
  return {
    label: "Stratus",
    spec: () => ({
      label: "Stratus",
      command: process.execPath,
      args: ["bin/stratus.js", "start", "--port", "0", "--data-dir", data.create(), "--log-level", "warn"],
      cwd: REPO_ROOT,
      urlPattern: /^\s*Endpoint:\s+(http:\/\/\S+)/,
      readyPath: "/_stratus/health",
      readyTimeoutMs: READY_TIMEOUT_MS,
    }),
    prepare: (running) => prepareTable(running.url),
    dispose: data.dispose,
  };
}

function dynalite(onDisk: boolean): MatrixContestant {
  const label = onDisk ? "dynalite (disk)" : "dynalite (memory)";
  const data = withTempDir("dynalite-bench-");
  return {
    label,
    async spec(): Promise<ContestantSpec> {
      const cli = createRequire(import.meta.url).resolve("dynalite/cli.js");
      const port = await freePort();
      return {
        label,
        command: process.execPath,
        args: [
          cli,
          "--host",
          "127.0.0.1",
          "--port",
          String(port),
          ...(onDisk ? ["--path", data.create()] : []),
        ],
        cwd: REPO_ROOT,
        // "Dynalite listening at: http://127.0.0.1:4567"
        urlPattern: /listening at:\s+(http:\/\/\S+)/i,
        readyTimeoutMs: READY_TIMEOUT_MS,
      };
    },
    prepare: (running) => prepareTable(running.url),
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
        // werkzeug, on stderr: " * Running on http://127.0.0.1:5000"
        urlPattern: /Running on\s+(http:\/\/\S+)/,
        urlOnStderr: true,
        readyTimeoutMs: READY_TIMEOUT_MS,
      };
    },
    prepare: (running) => prepareTable(running.url),
    // werkzeug answers every request with `Connection: close`.
    connectionPerRequest: true,
  };
}

/**
 * The machine's ceiling for these workloads (bench/peers/dynamodb-floor.ts): node:http answering from
 * a Map, with no signature check, no validation and no disk. A target above its figure cannot be met by
 * any server doing DynamoDB's work on this machine with this load generator.
 */
function floor(): MatrixContestant {
  return {
    label: "node:http floor",
    spec: () => peerContestant("node:http floor", "dynamodb-floor.ts"),
    prepare: (running) => prepareTable(running.url),
  };
}

/** The same pool, signed for `url`: one request per item, in key order. */
async function pool(url: string, operation: string, inputOf: (index: number) => unknown) {
  return Promise.all(Array.from({ length: ITEM_COUNT }, (_, i) => signDynamoDb(url, operation, inputOf(i))));
}

const getItem: MatrixWorkload = {
  name: "GetItem",
  description: `GetItem of one ~200-byte item, cycling through ${ITEM_COUNT} keys`,
  build: async (url) => ({
    path: "/",
    requests: await pool(url, "GetItem", (i) => ({ TableName: TABLE_NAME, Key: keyOf(QUERY_PK, i) })),
  }),
  async check(url) {
    const answer = (await callDynamoDb(url, "GetItem", {
      TableName: TABLE_NAME,
      Key: keyOf(QUERY_PK, 42),
    })) as {
      Item?: unknown;
    };
    expectItem("GetItem", answer.Item, itemOf(QUERY_PK, 42));
  },
};

const putItem: MatrixWorkload = {
  name: "PutItem",
  description: `PutItem of one ~200-byte item, cycling through ${ITEM_COUNT} keys (overwrites)`,
  build: async (url) => ({
    path: "/",
    requests: await pool(url, "PutItem", (i) => ({ TableName: TABLE_NAME, Item: itemOf(PUT_PK, i) })),
  }),
  async check(url) {
    await callDynamoDb(url, "PutItem", { TableName: TABLE_NAME, Item: itemOf(PUT_PK, 7) });
    const answer = (await callDynamoDb(url, "GetItem", { TableName: TABLE_NAME, Key: keyOf(PUT_PK, 7) })) as {
      Item?: unknown;
    };
    expectItem("GetItem after PutItem", answer.Item, itemOf(PUT_PK, 7));
  },
};

const QUERY_INPUT = {
  TableName: TABLE_NAME,
  KeyConditionExpression: "pk = :pk",
  ExpressionAttributeValues: { ":pk": { S: QUERY_PK } },
};

const query: MatrixWorkload = {
  name: "Query",
  description: `Query of one partition, answered with its ${ITEM_COUNT} items (25 KB of JSON)`,
  build: async (url) => ({ path: "/", requests: [await signDynamoDb(url, "Query", QUERY_INPUT)] }),
  async check(url) {
    const request = await signDynamoDb(url, "Query", QUERY_INPUT);
    const answer = parseAnswer("Query", await sendSigned(url, request)) as {
      Count?: unknown;
      Items?: unknown[];
      LastEvaluatedKey?: unknown;
    };
    const items = answer.Items ?? [];
    if (answer.Count !== ITEM_COUNT || items.length !== ITEM_COUNT || answer.LastEvaluatedKey !== undefined) {
      throw new Error(
        `Query answered Count ${String(answer.Count)} with ${items.length} items` +
          `${answer.LastEvaluatedKey ? " and a LastEvaluatedKey" : ""}, expected all ${ITEM_COUNT} in one page`,
      );
    }
    for (const [i, item] of items.entries()) expectItem(`Query item ${i}`, item, itemOf(QUERY_PK, i));
  },
};

/** Compares attribute by attribute, in any order of attributes. */
function expectItem(what: string, actual: unknown, expected: Readonly<Record<string, unknown>>): void {
  const got = (actual ?? {}) as Record<string, unknown>;
  const same =
    actual !== undefined &&
    Object.keys(got).length === Object.keys(expected).length &&
    Object.entries(expected).every(([name, value]) => JSON.stringify(got[name]) === JSON.stringify(value));
  if (!same) {
    throw new Error(
      `${what} answered ${JSON.stringify(actual)?.slice(0, 120) ?? "no item"}, not the item put`,
    );
  }
}

export const dynamodbMatrix: Matrix = {
  name: "dynamodb",
  description:
    "GetItem, PutItem and Query (100 items of ~200 bytes) on Stratus (durable) vs dynalite (memory, disk) and moto",
  connections: CONNECTIONS,
  contestants: [stratus(), dynalite(false), dynalite(true), moto(), floor()],
  workloads: [getItem, putItem, query],
};

/** The entry of bench/run.ts. */
export const dynamodb = {
  name: dynamodbMatrix.name,
  run: (options: BenchOptions) => runMatrix(dynamodbMatrix, options),
};
