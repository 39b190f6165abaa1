/**
 * lambda: Invoke of a hello-world Node.js and Python function on Stratus side by side with
 * serverless-offline (bench/lambda-contestants.ts), in one run:
 *
 * 1. **Cold start**: the client-side time of the first Invoke of a function never invoked before
 *    (spawn, init and the invoke itself, the TCP connect included), COLD_SAMPLES per runtime and
 *    contestant; p50 and p99 of the samples. Samples alternate between the contestants.
 * 2. **Warm latency**: p50/p99 of Invoke at 1 connection, after warm-up.
 * 3. **Warm throughput**: req/s at 16 and 32 connections.
 *
 * Warm runs follow the harness (bench/harness.ts): both processes up for the whole run, rounds in
 * alternating order, a discarded warm-up before each measured run, medians across rounds. Before the
 * first round at N connections, each contestant gets two waves of N concurrent invokes, so that both
 * have N environments (Stratus) or function instances (serverless-offline) running before any
 * timing starts; otherwise the first run would time N cold starts.
 *
 * The load is one pre-signed Invoke (bench/lambda-client.ts) replayed by autocannon; "server CPU" is
 * the CPU of the contestant's whole process tree (bench/lib/process-tree.ts), since function
 * processes do much of the work, and "main CPU" that of its own process.
 *
 * ## Its own defaults
 * 12 measured cells (2 runtimes × 3 connection counts × 2 contestants) at the harness's defaults would
 * take 12 minutes. Unless BENCH_ROUNDS, BENCH_SECONDS or BENCH_WARMUP_SECONDS are set, it runs 3 rounds
 * of 2 s after a 0.5 s warm-up (quick mode: 1 round of 1 s, no warm-up beyond the priming): under
 * 3 minutes in all (quick: under 40 s). BENCH_COLD_SAMPLES (10, quick 3) sets the cold-start samples;
 * BENCH_CONNECTIONS, when set, replaces 16 and 32.
 */
import { loadavg } from "node:os";
import type { BenchOptions } from "./harness.ts";
import {
  expectHello,
  type HelloHandler,
  invokeHello,
  NODE_HANDLER,
  PYTHON_HANDLER,
  signInvoke,
} from "./lambda-client.ts";
import { type LambdaSide, serverlessOfflineSide, stratusSide } from "./lambda-contestants.ts";
import {
  type ColdCell,
  coldCellOf,
  formatCold,
  formatWarm,
  type LambdaRow,
  summaryOf,
  type WarmCell,
} from "./lambda-report.ts";
import { type LoadSample, runLoad } from "./lib/load.ts";
import { processTreeCpuSeconds } from "./lib/process-tree.ts";
import { type RunningContestant, startContestant, stopAll } from "./lib/processes.ts";
import { settle } from "./lib/quiet.ts";
import { summarise } from "./lib/report.ts";
import { machineFacts, writeResult } from "./lib/results.ts";
import { sendSigned } from "./lib/signed-requests.ts";

export interface LambdaTiming {
  readonly rounds: number;
  readonly seconds: number;
  readonly warmupSeconds: number;
  readonly coldSamples: number;
  /** Connection counts of the warm runs: 1 (latency), then the throughput ones. */
  readonly connectionLevels: readonly number[];
}

const DEFAULT_TIMING = { rounds: 3, seconds: 2, warmupSeconds: 0.5, coldSamples: 10 };
const QUICK_TIMING = { rounds: 1, seconds: 1, warmupSeconds: 0, coldSamples: 3 };
const THROUGHPUT_CONNECTIONS = [16, 32];
const COLD_SAMPLES_MAX = 50;
const HANDLERS: readonly HelloHandler[] = [NODE_HANDLER, PYTHON_HANDLER];
const COLD_GAP_MS = 100;
const PRIME_WAVES = 2;

interface Entry {
  readonly side: LambdaSide;
  running: RunningContestant | undefined;
  /** Why this contestant is out altogether (failed to start, died). */
  out: string | undefined;
}

/** The entry of bench/run.ts. */
export const lambda = {
  name: "lambda",
  run: (options: BenchOptions) => runLambdaBenchmark(options),
};

/** The harness's knobs where set explicitly, this benchmark's own defaults otherwise (see the header). */
export function lambdaTiming(options: BenchOptions, env: NodeJS.ProcessEnv = process.env): LambdaTiming {
  const own = options.quick ? QUICK_TIMING : DEFAULT_TIMING;
  const explicit = (name: string) => env[name] !== undefined && env[name] !== "";
  const rawSamples = env.BENCH_COLD_SAMPLES;
  let coldSamples = own.coldSamples;
  if (rawSamples !== undefined && rawSamples !== "") {
    coldSamples = Number(rawSamples);
    if (!Number.isInteger(coldSamples) || coldSamples < 1 || coldSamples > COLD_SAMPLES_MAX) {
      throw new Error(`BENCH_COLD_SAMPLES=${rawSamples}: expected an integer from 1 to ${COLD_SAMPLES_MAX}`);
    }
  }
  return {
    rounds: explicit("BENCH_ROUNDS") ? options.rounds : own.rounds,
    seconds: explicit("BENCH_SECONDS") ? options.seconds : own.seconds,
    warmupSeconds: explicit("BENCH_WARMUP_SECONDS") ? options.warmupSeconds : own.warmupSeconds,
    coldSamples,
    connectionLevels: [
      1,
      ...(options.connections !== undefined ? [options.connections] : THROUGHPUT_CONNECTIONS),
    ],
  };
}

export async function runLambdaBenchmark(
  options: BenchOptions,
): Promise<{ readonly summary: string; readonly failed: boolean }> {
  const timing = lambdaTiming(options);
  const startedAt = new Date().toISOString();
  const started = performance.now();
  const loadavgBefore = loadavg();
  console.log(
    "\nlambda: Invoke of a hello-world Node.js and Python function on Stratus vs serverless-offline\n" +
      `  cold start: ${timing.coldSamples} new functions per runtime and contestant; warm: ` +
      `${timing.connectionLevels.join(", ")} connection(s), ${timing.rounds} round(s) of ${timing.seconds} s ` +
      `after a ${timing.warmupSeconds} s warm-up, order alternating`,
  );
  const entries: Entry[] = [stratusSide(), serverlessOfflineSide(timing.coldSamples, HANDLERS)].map(
    (side) => ({ side, running: undefined, out: undefined }),
  );
  const rows: LambdaRow[] = [];
  try {
    await Promise.all(entries.map(start));
    if (entries[0]!.out) throw new Error(`Stratus: ${entries[0]!.out}`);

    for (const handler of HANDLERS) await checkWarm(entries, handler);
    rows.push(...(await coldPhase(entries, timing)));
    for (const entry of live(entries)) await entry.side.releaseCold(entry.running!);
    for (const handler of HANDLERS) {
      for (const connections of timing.connectionLevels) {
        rows.push(await warmRow(entries, handler, connections, timing));
      }
    }

    const failed = entries.some((e) => e.out) || rows.some((row) => row.cells.some((c) => c.failure));
    const summary = summaryOf(
      rows,
      entries.map(outNote).filter((n): n is string => n !== undefined),
      (performance.now() - started) / 1000,
    );
    console.log(`\n${summary}`);
    const result = {
      name: "lambda",
      summary,
      failed,
      startedAt,
      finishedAt: new Date().toISOString(),
      options: { ...options, timing },
      machine: machineFacts(loadavgBefore),
      contestants: entries.map((e) => ({ label: e.side.label, ...(e.out ? { failed: e.out } : {}) })),
      rows,
    };
    console.log(`  (written to ${writeResult("lambda", result)})`);
    return { summary, failed };
  } finally {
    await Promise.all(entries.map((entry) => entry.running?.stop()));
    await stopAll();
    for (const entry of entries) {
      try {
        entry.side.dispose();
      } catch (error) {
        console.error(`  ${entry.side.label}: cleanup failed: ${oneLine(error)}`);
      }
    }
  }
}

async function start(entry: Entry): Promise<void> {
  const started = Date.now();
  try {
    entry.running = await startContestant(await entry.side.spec());
    await entry.side.prepare(entry.running, HANDLERS);
    console.log(
      `  ${entry.side.label}: ${entry.running.url} (pid ${entry.running.pid}), ready in ${Date.now() - started} ms`,
    );
  } catch (error) {
    await takeOut(entry, oneLine(error).replace(`${entry.side.label}: `, ""), error);
  }
}

/** Both contestants answer the warm function's invoke alike (this also warms it). */
async function checkWarm(entries: readonly Entry[], handler: HelloHandler): Promise<void> {
  for (const entry of live(entries)) {
    try {
      await invokeHello(entry.running!.url, entry.side.warmFunction(handler));
    } catch (error) {
      await takeOut(entry, `the ${handler.family} check failed: ${oneLine(error)}`, error);
    }
  }
}

/** Cold starts, alternating contestants sample by sample. */
async function coldPhase(entries: readonly Entry[], timing: LambdaTiming): Promise<LambdaRow[]> {
  console.log(
    `\n  cold start: first Invoke of a function never invoked before (client side, ms) ${elapsed()}`,
  );
  const samples = new Map<string, number[]>();
  const failures = new Map<string, string>();
  const key = (entry: Entry, handler: HelloHandler) => `${entry.side.label}/${handler.family}`;
  for (let index = 0; index < timing.coldSamples; index++) {
    for (const handler of HANDLERS) {
      const lineup = live(entries);
      const order = index % 2 === 0 ? lineup : [...lineup].reverse();
      const line: string[] = [];
      for (const entry of order) {
        const cell = key(entry, handler);
        if (failures.has(cell)) continue;
        try {
          const ms = await coldSample(entry, handler, index);
          samples.set(cell, [...(samples.get(cell) ?? []), ms]);
          line.push(`${entry.side.label} ${ms.toFixed(1)}`);
        } catch (error) {
          failures.set(cell, oneLine(error));
          console.log(`  ${entry.side.label}: ${handler.family} cold start FAILED: ${oneLine(error)}`);
          if (entry.running?.exit) await takeOut(entry, "exited during the cold starts", error);
        }
        await sleep(COLD_GAP_MS);
      }
      console.log(
        `  sample ${index + 1}/${timing.coldSamples}  ${handler.family.padEnd(6)}  ${line.join("  ")}`,
      );
    }
  }
  const rows = HANDLERS.map((handler) => ({
    runtime: handler.family,
    measure: "cold" as const,
    connections: 1,
    cells: entries.map((entry): ColdCell | WarmCell => {
      const cell = key(entry, handler);
      const taken = samples.get(cell) ?? [];
      const failure = failures.get(cell) ?? (taken.length === 0 ? (entry.out ?? "not measured") : undefined);
      return coldCellOf(entry.side.label, taken, failure);
    }),
  }));
  for (const row of rows) console.log(`\n${formatCold(row)}`);
  return rows;
}

async function coldSample(entry: Entry, handler: HelloHandler, index: number): Promise<number> {
  const running = entry.running!;
  const name = await entry.side.coldFunction(running, handler, index);
  const request = await signInvoke(running.url, name);
  const started = performance.now();
  const response = await sendSigned(running.url, request);
  const ms = performance.now() - started;
  expectHello(name, response);
  return ms;
}

/** One runtime at one connection count: prime, then rounds in alternating order. */
async function warmRow(
  entries: readonly Entry[],
  handler: HelloHandler,
  connections: number,
  timing: LambdaTiming,
): Promise<LambdaRow> {
  console.log(`\n  ${handler.family} warm, ${connections} connection(s) ${elapsed()}`);
  const samples = new Map<Entry, { load: LoadSample; mainCpuPercent: number | undefined }[]>();
  const failures = new Map<Entry, string>();
  for (const entry of live(entries)) {
    try {
      await prime(entry, handler, connections);
      samples.set(entry, []);
    } catch (error) {
      failures.set(entry, `priming failed: ${oneLine(error)}`);
    }
  }
  for (let round = 0; round < timing.rounds; round++) {
    const lineup = [...samples.keys()].filter((entry) => !entry.out && !failures.has(entry));
    const order = round % 2 === 0 ? lineup : [...lineup].reverse();
    for (const entry of order) {
      try {
        const sample = await measure(entry, handler, connections, timing);
        samples.get(entry)!.push(sample);
        console.log(`  round ${round + 1}/${timing.rounds}  ${progressLine(entry.side.label, sample.load)}`);
      } catch (error) {
        failures.set(entry, oneLine(error));
        console.log(`  ${entry.side.label}: FAILED: ${oneLine(error)}`);
        if (entry.running?.exit) await takeOut(entry, "exited during a warm run", error);
      }
      await settle();
    }
  }
  const row: LambdaRow = {
    runtime: handler.family,
    measure: connections === 1 ? "latency" : "throughput",
    connections,
    cells: entries.map((entry): WarmCell => {
      const taken = samples.get(entry) ?? [];
      const failure = failures.get(entry) ?? (taken.length === 0 ? (entry.out ?? "not measured") : undefined);
      return {
        label: entry.side.label,
        kind: "warm",
        ...(failure !== undefined ? { failure } : {}),
        ...(taken.length > 0
          ? {
              report: summarise(
                entry.side.label,
                taken.map((s) => s.load),
              ),
              mainCpuPercent: taken.map((s) => s.mainCpuPercent),
            }
          : {}),
      };
    }),
  };
  console.log(`\n${formatWarm(row)}`);
  return row;
}

/** PRIME_WAVES waves of `connections` concurrent invokes, each wave awaited whole. */
async function prime(entry: Entry, handler: HelloHandler, connections: number): Promise<void> {
  const { url } = entry.running!;
  const name = entry.side.warmFunction(handler);
  const request = await signInvoke(url, name);
  for (let wave = 0; wave < PRIME_WAVES; wave++) {
    const answers = await Promise.all(Array.from({ length: connections }, () => sendSigned(url, request)));
    for (const answer of answers) expectHello(name, answer);
  }
}

async function measure(
  entry: Entry,
  handler: HelloHandler,
  connections: number,
  timing: LambdaTiming,
): Promise<{ load: LoadSample; mainCpuPercent: number | undefined }> {
  const running = entry.running!;
  const name = entry.side.warmFunction(handler);
  const load = { connections, serverCpuSeconds: () => processTreeCpuSeconds(running.pid) };
  if (timing.warmupSeconds > 0) {
    await runLoad(running.url, await signInvoke(running.url, name), {
      ...load,
      seconds: timing.warmupSeconds,
    });
    await settle();
  }
  const mainBefore = running.cpuSeconds();
  const wallBefore = performance.now();
  const sample = await runLoad(running.url, await signInvoke(running.url, name), {
    ...load,
    seconds: timing.seconds,
  });
  const mainAfter = running.cpuSeconds();
  const wallSec = (performance.now() - wallBefore) / 1000;
  if (running.exit) throw new Error("exited during the run");
  const mainCpuPercent =
    mainBefore !== undefined && mainAfter !== undefined
      ? ((mainAfter - mainBefore) / wallSec) * 100
      : undefined;
  return { load: sample, mainCpuPercent };
}

function progressLine(label: string, s: LoadSample): string {
  const problems =
    s.non2xx + s.errors + s.timeouts > 0 ? `  non-2xx ${s.non2xx}, errors ${s.errors + s.timeouts}` : "";
  return (
    `${label.padEnd(18)} ${Math.round(s.requestsPerSec).toLocaleString("en-US").padStart(7)} req/s  ` +
    `p50 ${s.latencyP50Ms.toFixed(2)} ms  p99 ${s.latencyP99Ms.toFixed(2)} ms  ` +
    `tree CPU ${Math.round(s.serverCpuPercent ?? Number.NaN)}%${problems}`
  );
}

function live(entries: readonly Entry[]): Entry[] {
  return entries.filter((entry) => entry.running !== undefined && !entry.out);
}

/** Marks the contestant out, shows why (with its last output), and stops it. */
async function takeOut(entry: Entry, reason: string, error: unknown): Promise<void> {
  entry.out = reason;
  console.log(`  ${entry.side.label}: FAILED: ${reason}`);
  const details = (error instanceof Error ? error.message : "").split("\n").slice(1).join("\n");
  const output = details || (entry.running ? `--- last output ---\n${entry.running.outputTail()}` : "");
  if (output) console.log(output.replace(/^/gm, "    "));
  await entry.running?.stop();
}

function outNote(entry: Entry): string | undefined {
  return entry.out ? `${entry.side.label}: FAILED: ${entry.out}` : undefined;
}

function oneLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return (text.split("\n")[0] ?? "").slice(0, 200);
}

const benchStarted = performance.now();

/** "[+12 s]": time since the bench process started, to see where a run's minutes go. */
function elapsed(): string {
  return `[+${Math.round((performance.now() - benchStarted) / 1000)} s]`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
