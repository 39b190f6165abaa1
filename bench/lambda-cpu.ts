/**
 * CPU per warm Lambda invoke, Stratus alone: what the lambda benchmark's throughput stands for, measured
 * directly so that a shared, loaded machine does not hide it. Wall-clock figures (req/s, latency) move
 * with whatever else runs on the cores; CPU time consumed per invoke barely does.
 *
 *   npx tsx bench/lambda-cpu.ts [--invokes 3000] [--rounds 3] [--concurrency 1,16] [--runtimes node,python]
 *                               [--root DIR]... [--node-arg ARG]...
 *
 * For each `--root` (a checkout of Stratus; default this one) it starts
 * `node ROOT/bin/stratus.js start --port 0 --in-memory --log-level warn`, creates a hello-world function
 * per runtime (bench/lambda-client.ts), warms as many environments as the concurrency, then sends
 * `--invokes` signed Invokes at a fixed concurrency over keep-alive sockets and reads, from /proc, the CPU
 * time of the Stratus process and of its whole process tree (the runtime processes included). Several
 * roots are measured interleaved, round by round in alternating order, and the medians are printed:
 * that is how a change is compared with a copy of the tree before it.
 *
 * `--node-arg=--cpu-prof --node-arg=--cpu-prof-dir=DIR` profiles the Stratus processes (the profile is
 * written when they stop).
 *
 * The client is a raw socket per connection replaying the signed request's bytes, so the bench process
 * itself takes little of the two cores the servers need.
 */
import { readFileSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { REPO_ROOT } from "./harness.ts";
import {
  createFunction,
  expectHello,
  type HelloHandler,
  invokeHello,
  NODE_HANDLER,
  PYTHON_HANDLER,
  signInvoke,
} from "./lambda-client.ts";
import { processTreeCpuSeconds } from "./lib/process-tree.ts";
import { type RunningContestant, startContestant, stopAll } from "./lib/processes.ts";
import type { SignedRequest } from "./lib/signed-requests.ts";

const HANDLERS: Record<string, HelloHandler> = { node: NODE_HANDLER, python: PYTHON_HANDLER };
const RESPONSE_TIMEOUT_MS = 10_000;

interface Cell {
  runtime: string;
  concurrency: number;
}

interface Sample {
  mainMs: number;
  treeMs: number;
  wallMs: number;
}

const { values } = parseArgs({
  options: {
    invokes: { type: "string", default: "3000" },
    rounds: { type: "string", default: "3" },
    concurrency: { type: "string", default: "1,16" },
    runtimes: { type: "string", default: "node,python" },
    root: { type: "string", multiple: true },
    "node-arg": { type: "string", multiple: true },
  },
});
const invokes = Number(values.invokes);
const rounds = Number(values.rounds);
const concurrencies = values.concurrency.split(",").map(Number);
const runtimes = values.runtimes.split(",");
const roots = (values.root ?? [REPO_ROOT]).map((r) => resolve(r));
const nodeArgs = values["node-arg"] ?? [];

/** The CPU seconds of one process alone (utime + stime), from /proc/<pid>/stat. */
function processCpuSeconds(pid: number): number {
  const text = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** One keep-alive connection replaying `request`: sends, waits for the whole answer, repeats. */
class Connection {
  #socket: Socket;
  #bytes: Buffer;
  #buffer: Buffer = Buffer.alloc(0);
  #waiter: ((answer: { status: number; body: string }) => void) | undefined;
  #fail: ((error: Error) => void) | undefined;

  private constructor(socket: Socket, request: SignedRequest) {
    this.#socket = socket;
    let head = `${request.method} ${request.path} HTTP/1.1\r\n`;
    for (const [name, value] of Object.entries(request.headers)) head += `${name}: ${value}\r\n`;
    head += `content-length: ${Buffer.byteLength(request.body)}\r\n\r\n`;
    this.#bytes = Buffer.concat([Buffer.from(head, "latin1"), Buffer.from(request.body)]);
    socket.on("data", (chunk: Buffer) => this.#onData(chunk));
    socket.on("error", (error) => this.#fail?.(error));
    socket.on("close", () => this.#fail?.(new Error("connection closed")));
  }

  static open(port: number, request: SignedRequest): Promise<Connection> {
    return new Promise((resolvePromise, reject) => {
      const socket = connect({ host: "127.0.0.1", port, noDelay: true });
      socket.once("connect", () => resolvePromise(new Connection(socket, request)));
      socket.once("error", reject);
    });
  }

  send(): Promise<{ status: number; body: string }> {
    return new Promise((resolvePromise, reject) => {
      const timer = setTimeout(() => reject(new Error("no answer")), RESPONSE_TIMEOUT_MS);
      this.#waiter = (answer) => {
        clearTimeout(timer);
        resolvePromise(answer);
      };
      this.#fail = (error) => {
        clearTimeout(timer);
        reject(error);
      };
      this.#socket.write(this.#bytes);
    });
  }

  #onData(chunk: Buffer): void {
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    const end = this.#buffer.indexOf("\r\n\r\n");
    if (end < 0) return;
    const head = this.#buffer.subarray(0, end).toString("latin1");
    const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? "0");
    if (this.#buffer.length < end + 4 + length) return;
    const body = this.#buffer.subarray(end + 4, end + 4 + length).toString("utf8");
    this.#buffer = this.#buffer.subarray(end + 4 + length);
    const waiter = this.#waiter;
    this.#waiter = undefined;
    this.#fail = undefined;
    waiter?.({ status: Number(head.slice(9, 12)), body });
  }

  close(): void {
    this.#fail = undefined;
    this.#socket.destroy();
  }
}

interface Server {
  root: string;
  contestant: RunningContestant;
  port: number;
  functions: Map<string, string>;
}

async function startServer(root: string, index: number): Promise<Server> {
  const contestant = await startContestant({
    label: `stratus#${index}`,
    command: process.execPath,
    args: [...nodeArgs, "bin/stratus.js", "start", "--port", "0", "--in-memory", "--log-level", "warn"],
    cwd: root,
    urlPattern: /^\s*Endpoint:\s+(http:\/\/\S+)/,
    readyPath: "/_stratus/health",
    readyTimeoutMs: 30_000,
  });
  const functions = new Map<string, string>();
  for (const runtime of runtimes) {
    const name = `cpu-${runtime}`;
    await createFunction(contestant.url, name, HANDLERS[runtime]!);
    await invokeHello(contestant.url, name);
    functions.set(runtime, name);
  }
  return { root, contestant, port: Number(new URL(contestant.url).port), functions };
}

/** `count` invokes over `concurrency` connections; every answer must be hello. */
async function drive(server: Server, runtime: string, concurrency: number, count: number): Promise<void> {
  const name = server.functions.get(runtime)!;
  const request = await signInvoke(server.contestant.url, name);
  const connections = await Promise.all(
    Array.from({ length: concurrency }, () => Connection.open(server.port, request)),
  );
  let left = count;
  try {
    await Promise.all(
      connections.map(async (connection) => {
        while (left > 0) {
          left--;
          const answer = await connection.send();
          expectHello(name, answer);
        }
      }),
    );
  } finally {
    for (const connection of connections) connection.close();
  }
}

async function measure(server: Server, cell: Cell): Promise<Sample> {
  // Warm: as many environments as connections, then a short discarded run.
  await drive(server, cell.runtime, cell.concurrency, cell.concurrency * 4);
  await drive(server, cell.runtime, cell.concurrency, Math.min(300, invokes / 5));
  await new Promise((r) => setTimeout(r, 200));
  const pid = server.contestant.pid;
  const main0 = processCpuSeconds(pid);
  const tree0 = processTreeCpuSeconds(pid) ?? Number.NaN;
  const wall0 = performance.now();
  await drive(server, cell.runtime, cell.concurrency, invokes);
  const wallMs = performance.now() - wall0;
  const main1 = processCpuSeconds(pid);
  const tree1 = processTreeCpuSeconds(pid) ?? Number.NaN;
  return {
    mainMs: ((main1 - main0) * 1000) / invokes,
    treeMs: ((tree1 - tree0) * 1000) / invokes,
    wallMs: wallMs / invokes,
  };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

const servers: Server[] = [];
try {
  for (const [i, root] of roots.entries()) servers.push(await startServer(root, i));
  const cells: Cell[] = runtimes.flatMap((runtime) =>
    concurrencies.map((concurrency) => ({ runtime, concurrency })),
  );
  const samples = new Map<string, Sample[]>();
  for (let round = 0; round < rounds; round++) {
    for (const cell of cells) {
      const order = round % 2 === 0 ? servers : [...servers].reverse();
      for (const server of order) {
        const sample = await measure(server, cell);
        const key = `${server.root}\t${cell.runtime}\t${cell.concurrency}`;
        samples.set(key, [...(samples.get(key) ?? []), sample]);
        console.log(
          `round ${round + 1} ${cell.runtime} c=${cell.concurrency} ${server.root}: ` +
            `main ${(sample.mainMs * 1000).toFixed(0)} µs, tree ${(sample.treeMs * 1000).toFixed(0)} µs, ` +
            `wall ${(sample.wallMs * 1000).toFixed(0)} µs per invoke`,
        );
      }
    }
  }
  console.log("\nmedians, µs of CPU per invoke (main process · whole tree), wall µs per invoke:");
  for (const cell of cells) {
    for (const server of servers) {
      const list = samples.get(`${server.root}\t${cell.runtime}\t${cell.concurrency}`) ?? [];
      const m = (f: (s: Sample) => number) => (median(list.map(f)) * 1000).toFixed(0);
      console.log(
        `${cell.runtime.padEnd(7)} c=${String(cell.concurrency).padEnd(3)} ${server.root}: ` +
          `${m((s) => s.mainMs)} · ${m((s) => s.treeMs)}  (wall ${m((s) => s.wallMs)})`,
      );
    }
  }
} finally {
  await stopAll();
}
