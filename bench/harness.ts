/**
 * The side-by-side harness: Stratus against a peer, the same workload, the same load generator.
 *
 * A benchmark names two contestants. Each runs as its own child process (the load generator,
 * autocannon, runs here in the bench process), and both stay up for the whole benchmark. The workload
 * then runs against each in alternation for R rounds; a round is a short warm-up (discarded) and a
 * measured run of D seconds per contestant. The order flips every round (S P, P S, S P, ...) so a drift
 * in the machine's load is shared rather than landing on one side. Each metric's median across rounds is
 * reported, with its spread, and the ratio Stratus/peer. Results go to `.bench/<name>.json`.
 *
 * ## Knobs (environment)
 * - `BENCH_ROUNDS` (5), `BENCH_SECONDS` (10), `BENCH_WARMUP_SECONDS` (2), `BENCH_CONNECTIONS` (the
 *   benchmark's own default);
 * - `BENCH_QUICK=1`: 1 round of 2 s after a 0.5 s warm-up, for smoke tests (explicit knobs still win).
 *
 * ## By design
 * - Medians, not means: the machine is small and shared, and one disturbed round must not move the result.
 * - Latency is measured on the client side and includes the loopback round trip, identical for both.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type LoadSample, runLoad, type Workload } from "./lib/load.ts";
import {
  type ContestantSpec,
  describeExit,
  type RunningContestant,
  startContestant,
  stopAll,
} from "./lib/processes.ts";
import { settle } from "./lib/quiet.ts";
import {
  type ContestantReport,
  formatContestant,
  type Ratio,
  ratioOf,
  summarise,
  summaryLine,
} from "./lib/report.ts";

export type { Workload } from "./lib/load.ts";
export type { ContestantSpec, RunningContestant } from "./lib/processes.ts";

export const REPO_ROOT = fileURLToPath(new URL("..", import.meta.url));
export const RESULTS_DIR = join(REPO_ROOT, ".bench");

export interface BenchOptions {
  readonly rounds: number;
  readonly seconds: number;
  readonly warmupSeconds: number;
  /** Overrides every benchmark's own connection count when set. */
  readonly connections: number | undefined;
  readonly quick: boolean;
}

export interface Benchmark {
  /** Also the JSON file name: `.bench/<name>.json`. */
  readonly name: string;
  /** What is measured, in one sentence. */
  readonly description: string;
  readonly workload: Workload;
  readonly connections: number;
  readonly stratus: ContestantSpec;
  /** The peer may be derived from the running Stratus (to copy one of its responses, say). */
  peer(stratus: RunningContestant): ContestantSpec | Promise<ContestantSpec>;
  /** Run once before measuring; throws if the two do not answer the workload alike. */
  check?(stratus: RunningContestant, peer: RunningContestant): Promise<void>;
}

export interface BenchmarkResult {
  readonly name: string;
  readonly description: string;
  readonly summary: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly options: BenchOptions & { readonly connectionsUsed: number };
  readonly workload: Workload;
  readonly machine: {
    readonly cpus: number;
    readonly cpuModel: string;
    readonly memoryBytes: number;
    readonly node: string;
    readonly platform: string;
    readonly loadavgBefore: readonly number[];
    readonly loadavgAfter: readonly number[];
  };
  /** The order contestants ran in, per round. */
  readonly order: readonly (readonly string[])[];
  readonly stratus: ContestantReport;
  readonly peer: ContestantReport;
  readonly ratio: Ratio;
}

const ROUNDS_MAX = 50;
const SECONDS_MAX = 600;
const CONNECTIONS_MAX = 1_024;

/** Stratus as a contestant: `stratus start` on an ephemeral port, in memory, from the repo root. */
export function stratusContestant(extraArgs: readonly string[] = []): ContestantSpec {
  return {
    label: "Stratus",
    command: process.execPath,
    args: ["bin/stratus.js", "start", "--port", "0", "--in-memory", "--log-level", "warn", ...extraArgs],
    cwd: REPO_ROOT,
    urlPattern: /^\s*Endpoint:\s+(http:\/\/\S+)/,
    readyPath: "/_stratus/health",
    readyTimeoutMs: 30_000,
  };
}

/** A contestant written in TypeScript under bench/peers/, run through tsx like Stratus is. */
export function peerContestant(
  label: string,
  file: string,
  env: Readonly<Record<string, string>> = {},
): ContestantSpec {
  return {
    label,
    command: process.execPath,
    args: ["--import", "tsx", join("bench", "peers", file)],
    cwd: REPO_ROOT,
    env,
    urlPattern: /^\s*Endpoint:\s+(http:\/\/\S+)/,
    readyTimeoutMs: 15_000,
  };
}

export function optionsFromEnv(env: NodeJS.ProcessEnv = process.env): BenchOptions {
  const quick = env.BENCH_QUICK === "1" || env.BENCH_QUICK === "true";
  return {
    quick,
    rounds: readNumber(env, "BENCH_ROUNDS", quick ? 1 : 5, 1, ROUNDS_MAX, true),
    seconds: readNumber(env, "BENCH_SECONDS", quick ? 2 : 10, 0.5, SECONDS_MAX, false),
    warmupSeconds: readNumber(env, "BENCH_WARMUP_SECONDS", quick ? 0.5 : 2, 0, SECONDS_MAX, false),
    connections:
      env.BENCH_CONNECTIONS === undefined
        ? undefined
        : readNumber(env, "BENCH_CONNECTIONS", 0, 1, CONNECTIONS_MAX, true),
  };
}

function readNumber(
  env: NodeJS.ProcessEnv,
  name: string,
  fallback: number,
  min: number,
  max: number,
  integerOnly: boolean,
): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max || (integerOnly && !Number.isInteger(value))) {
    throw new Error(
      `${name}=${raw}: expected ${integerOnly ? "an integer" : "a number"} from ${min} to ${max}`,
    );
  }
  return value;
}

/** Runs one benchmark end to end; its children are stopped however it ends. */
export async function runBenchmark(benchmark: Benchmark, options: BenchOptions): Promise<BenchmarkResult> {
  const startedAt = new Date().toISOString();
  const loadavgBefore = loadavg();
  const connections = options.connections ?? benchmark.connections;
  const { workload } = benchmark;
  console.log(
    `\n${benchmark.name}: ${benchmark.description}\n` +
      `  ${workload.method ?? "GET"} ${workload.path}, ${connections} connections, ${options.rounds} round(s) of ` +
      `${options.seconds} s per contestant after a ${options.warmupSeconds} s warm-up, order alternating`,
  );

  let stratus: RunningContestant | undefined;
  let peer: RunningContestant | undefined;
  try {
    stratus = await startContestant(benchmark.stratus);
    peer = await startContestant(await benchmark.peer(stratus));
    console.log(
      `  ${stratus.label}: ${stratus.url} (pid ${stratus.pid}); ${peer.label}: ${peer.url} (pid ${peer.pid})`,
    );
    await benchmark.check?.(stratus, peer);

    const samples = new Map<RunningContestant, LoadSample[]>([
      [stratus, []],
      [peer, []],
    ]);
    const order: string[][] = [];
    for (let round = 0; round < options.rounds; round++) {
      const sequence = round % 2 === 0 ? [stratus, peer] : [peer, stratus];
      order.push(sequence.map((c) => c.label));
      for (const contestant of sequence) {
        assertAlive(contestant);
        const load = { connections, serverCpuSeconds: () => contestant.cpuSeconds() };
        if (options.warmupSeconds > 0) {
          await runLoad(contestant.url, workload, { ...load, seconds: options.warmupSeconds });
          await settle();
        }
        const sample = await runLoad(contestant.url, workload, { ...load, seconds: options.seconds });
        assertAlive(contestant);
        samples.get(contestant)!.push(sample);
        console.log(`  round ${round + 1}/${options.rounds}  ${progressLine(contestant.label, sample)}`);
        await settle();
      }
    }

    const stratusReport = summarise(stratus.label, samples.get(stratus)!);
    const peerReport = summarise(peer.label, samples.get(peer)!);
    const ratio = ratioOf(stratusReport.median, peerReport.median);
    const summary = summaryLine(benchmark.name, stratusReport, peerReport, ratio);
    console.log(`\n${formatContestant(stratusReport, `pid ${stratus.pid}`)}`);
    console.log(`\n${formatContestant(peerReport, `pid ${peer.pid}`)}`);
    console.log(`\n${summary}`);

    const result: BenchmarkResult = {
      name: benchmark.name,
      description: benchmark.description,
      summary,
      startedAt,
      finishedAt: new Date().toISOString(),
      options: { ...options, connectionsUsed: connections },
      workload,
      machine: {
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model ?? "unknown",
        memoryBytes: totalmem(),
        node: process.version,
        platform: `${process.platform}-${process.arch}`,
        loadavgBefore,
        loadavgAfter: loadavg(),
      },
      order,
      stratus: stratusReport,
      peer: peerReport,
      ratio,
    };
    mkdirSync(RESULTS_DIR, { recursive: true });
    const file = join(RESULTS_DIR, `${benchmark.name}.json`);
    writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
    console.log(`  (written to ${file})`);
    return result;
  } finally {
    await Promise.all([stratus?.stop(), peer?.stop()]);
    await stopAll();
  }
}

function assertAlive(contestant: RunningContestant): void {
  if (contestant.exit) {
    throw new Error(
      `${contestant.label} exited during the run (${describeExit(contestant.exit)})\n` +
        `--- last output of ${contestant.label} ---\n${contestant.outputTail()}`,
    );
  }
}

function progressLine(label: string, s: LoadSample): string {
  const problems =
    s.non2xx + s.errors + s.timeouts > 0 ? `  non-2xx ${s.non2xx}, errors ${s.errors + s.timeouts}` : "";
  return (
    `${label.padEnd(16)} ${Math.round(s.requestsPerSec).toLocaleString("en-US").padStart(8)} req/s  ` +
    `p50 ${s.latencyP50Ms.toFixed(2)} ms  p99 ${s.latencyP99Ms.toFixed(2)} ms${problems}`
  );
}
