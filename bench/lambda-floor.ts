/**
 * lambda-floor: how many invokes a second Stratus's own runtimes can complete on this machine when
 * nothing else costs anything — the ceiling under any Lambda throughput figure here.
 *
 * A minimal Runtime API (node:net, no parsing beyond the request head and Content-Length) hands a
 * canned `{}` event to every `GET /invocation/next` at once and counts every posted response. Stratus's
 * Node.js and Python bootstraps (runtimes/node, runtimes/python: the very processes Stratus runs for a
 * function) run the lambda benchmark's hello-world handlers against it, 2 and 8 processes each. There
 * is no client, no Invoke request, no signature, no logs: only the runtime processes and the cheapest
 * possible server. A warm-throughput target above this figure cannot be met here by any server that
 * runs functions in real runtime processes.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BenchOptions, REPO_ROOT } from "./harness.ts";
import { NODE_HANDLER, PYTHON_HANDLER } from "./lambda-client.ts";
import { median, table } from "./lib/report.ts";
import { writeResult } from "./lib/results.ts";

/**
 * Processes, and the events out at a time (none: every runtime always has one). 64 processes with 16
 * events out is the lambda benchmark's 64 connections through API Gateway: a function scaled out to 64
 * environments, each asleep between its invokes.
 */
interface FloorShape {
  processes: number;
  inFlight?: number;
}
const SHAPES: readonly FloorShape[] = [{ processes: 2 }, { processes: 8 }, { processes: 64, inFlight: 16 }];
const SETTLE_MS = 500;
const EVENT = "{}";

interface FloorRow {
  runtime: string;
  processes: number;
  inFlight?: number;
  invokesPerSecond: number[];
}

/**
 * A Runtime API answering at once; `completed` counts posted responses. With `inFlightMax`, at most
 * that many events are out at a time, and a freed one goes to the runtime that has waited longest:
 * the rest sleep until their turn, as a busy function's many environments do when every invoke comes
 * from a client's request (all of them in use, each woken for every invoke). Without it, a runtime's
 * next event is answered as soon as it asks: the runtimes never sleep.
 */
function instantRuntimeApi(inFlightMax = Number.POSITIVE_INFINITY): {
  server: Server;
  completed: () => number;
} {
  let completed = 0;
  let requestId = 0;
  let out = 0;
  const waiting: Socket[] = [];
  const event = () => {
    requestId++;
    return (
      "HTTP/1.1 200 OK\r\n" +
      `Lambda-Runtime-Aws-Request-Id: floor-${requestId}\r\n` +
      `Lambda-Runtime-Deadline-Ms: ${Date.now() + 60_000}\r\n` +
      "Lambda-Runtime-Invoked-Function-Arn: arn:aws:lambda:us-east-1:000000000000:function:floor\r\n" +
      `Content-Type: application/json\r\nContent-Length: ${EVENT.length}\r\n\r\n${EVENT}`
    );
  };
  const server = createServer((socket: Socket) => {
    socket.setNoDelay(true);
    let pending = "";
    socket.on("data", (data: Buffer) => {
      pending += data.toString("latin1");
      let answers = "";
      for (;;) {
        const headEnd = pending.indexOf("\r\n\r\n");
        if (headEnd < 0) break;
        const head = pending.slice(0, headEnd);
        const length = Number(/content-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
        if (pending.length < headEnd + 4 + length) break;
        pending = pending.slice(headEnd + 4 + length);
        if (head.startsWith("GET")) {
          waiting.push(socket);
        } else {
          completed++;
          out--;
          answers += 'HTTP/1.1 202 Accepted\r\nContent-Length: 16\r\n\r\n{"status":"OK"}';
        }
      }
      // Bounded by the queue's length; this socket's answers stay in request order.
      while (out < inFlightMax && waiting.length > 0) {
        const next = waiting.shift() as Socket;
        out++;
        if (next === socket) answers += event();
        else next.write(event());
      }
      if (answers !== "") socket.write(answers);
    });
    socket.on("error", () => socket.destroy());
  });
  return { server, completed: () => completed };
}

async function measure(runtime: "node" | "python", shape: FloorShape, seconds: number): Promise<number> {
  const { processes, inFlight } = shape;
  const handler = runtime === "node" ? NODE_HANDLER : PYTHON_HANDLER;
  // Outside the repository: its package.json says "type": "module", and the handler is CommonJS.
  const taskRoot = mkdtempSync(join(tmpdir(), "stratus-lambda-floor-"));
  writeFileSync(join(taskRoot, handler.file), handler.source);
  const { server, completed } = instantRuntimeApi(inFlight);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  const children: ChildProcess[] = [];
  try {
    const [command, args] =
      runtime === "node"
        ? [process.execPath, [join(REPO_ROOT, "runtimes", "node", "bootstrap.mjs")]]
        : ["python3", ["-u", "-S", join(REPO_ROOT, "runtimes", "python", "bootstrap.py")]];
    for (let i = 0; i < processes; i++) {
      children.push(
        spawn(command, args, {
          cwd: taskRoot,
          stdio: ["ignore", "ignore", "inherit"],
          env: {
            ...process.env,
            AWS_LAMBDA_RUNTIME_API: `127.0.0.1:${port}`,
            LAMBDA_TASK_ROOT: taskRoot,
            _HANDLER: handler.handler,
          },
        }),
      );
    }
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    const before = completed();
    const started = performance.now();
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    return ((completed() - before) * 1000) / (performance.now() - started);
  } finally {
    for (const child of children) child.kill("SIGKILL");
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(taskRoot, { recursive: true, force: true });
  }
}

export const lambdaFloor = {
  name: "lambda-floor",
  async run(options: BenchOptions): Promise<{ summary: string }> {
    const rows: FloorRow[] = [];
    for (const runtime of ["node", "python"] as const) {
      for (const shape of SHAPES) {
        const row: FloorRow = { runtime, ...shape, invokesPerSecond: [] };
        const label = `${runtime} ×${shape.processes}${shape.inFlight ? ` (${shape.inFlight} out)` : ""}`;
        for (let round = 0; round < options.rounds; round++) {
          const rate = await measure(runtime, shape, options.seconds);
          row.invokesPerSecond.push(rate);
          console.log(`  ${label} round ${round + 1}: ${rate.toFixed(0)} invokes/s`);
        }
        rows.push(row);
      }
    }
    const lines = table(
      [
        ["runtime", "processes", "events out", "invokes/s (median)"],
        ...rows.map((row) => [
          row.runtime,
          String(row.processes),
          row.inFlight === undefined ? "all" : String(row.inFlight),
          median(row.invokesPerSecond).toLocaleString("en-US", { maximumFractionDigits: 0 }),
        ]),
      ],
      2,
    );
    console.log(lines);
    const file = writeResult("lambda-floor", { options, rows });
    console.log(`  (written to ${file})`);
    const best = (runtime: string) =>
      Math.max(...rows.filter((row) => row.runtime === runtime).map((row) => median(row.invokesPerSecond)));
    const fanOut = (runtime: string) =>
      median(
        rows.find((row) => row.runtime === runtime && row.inFlight !== undefined)?.invokesPerSecond ?? [0],
      );
    return {
      summary:
        `lambda-floor: runtime processes against an instant Runtime API, best median: ` +
        `node ${best("node").toFixed(0)} invokes/s, python ${best("python").toFixed(0)} invokes/s; ` +
        `64 environments asleep between invokes (16 events out): node ${fanOut("node").toFixed(0)}, ` +
        `python ${fanOut("python").toFixed(0)} invokes/s`,
    };
  },
};
