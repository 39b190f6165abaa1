/**
 * apigateway: what API Gateway's invoke URLs cost on Stratus, in two comparisons run in one go, at
 * 64 connections of plain unsigned GETs (bench/apigateway-contestants.ts has the servers):
 *
 * 1. **HTTP API → Lambda**: Stratus's HTTP API (quick create, payload format 2.0) in front of the
 *    hello-world Node.js function, against serverless-offline serving the same handler behind an
 *    `httpApi` event. Both must answer `{"message":"hello"}` before anything is measured. Server CPU
 *    is the contestant's whole process tree (Stratus runs a process per execution environment).
 * 2. **The gateway alone**: Stratus's REST API on a MOCK integration against a bare node:http server
 *    replaying the same answer byte for byte (checked with the per-request ids masked).
 *
 * Each round measures every contestant once, each comparison in alternating order (S P, P S, ...),
 * a discarded warm-up before each measured run; medians across rounds, as in bench/harness.ts. Before
 * the first round both Lambda contestants get waves of 64 concurrent GETs, so that both run 64
 * environments (Stratus) or worker threads (serverless-offline) before timing starts.
 *
 * ## Its own defaults
 * Four measured runs a round; unless BENCH_ROUNDS, BENCH_SECONDS or BENCH_WARMUP_SECONDS are set it
 * runs 5 rounds of 4 s after a 1 s warm-up (about 2 minutes with start-up), and in quick mode one
 * round of 2 s after 0.5 s (about 30 s). BENCH_CONNECTIONS replaces 64.
 */
import { loadavg } from "node:os";
import { plainGet, snippet } from "./apigateway-client.ts";
import {
  bareReplay,
  maskedHead,
  prepareStratus,
  type StratusPaths,
  serverlessOffline,
} from "./apigateway-contestants.ts";
import { type PairResult, type SideResult, summaryOf } from "./apigateway-report.ts";
import { type BenchOptions, stratusContestant } from "./harness.ts";
import { HELLO_ANSWER } from "./lambda-client.ts";
import { type LoadSample, runLoad } from "./lib/load.ts";
import { processTreeCpuSeconds } from "./lib/process-tree.ts";
import { type ContestantSpec, type RunningContestant, startContestant, stopAll } from "./lib/processes.ts";
import { settle } from "./lib/quiet.ts";
import { fetchRaw } from "./lib/raw-http.ts";
import { median, ratioOf, summarise } from "./lib/report.ts";
import { machineFacts, writeResult } from "./lib/results.ts";

interface Timing {
  readonly rounds: number;
  readonly seconds: number;
  readonly warmupSeconds: number;
  readonly connections: number;
}

const DEFAULT_TIMING = { rounds: 5, seconds: 4, warmupSeconds: 1 };
const QUICK_TIMING = { rounds: 1, seconds: 2, warmupSeconds: 0.5 };
const CONNECTIONS = 64;
const PRIME_WAVES = 2;
/** A priming GET may wait for a cold start among 64 at once on a small machine. */
const PRIME_TIMEOUT_MS = 30_000;
const CHECK_TIMEOUT_MS = 10_000;

/** One contestant in one comparison. */
interface Side {
  readonly label: string;
  running: RunningContestant | undefined;
  path: string;
  /** Measure the CPU of its process tree rather than of its process alone. */
  readonly tree: boolean;
  failure: string | undefined;
  readonly samples: { load: LoadSample; mainCpuPercent: number | undefined }[];
}

interface Pair {
  readonly name: string;
  readonly target: PairResult["target"];
  readonly stratus: Side;
  readonly peer: Side;
}

/** The entry of bench/run.ts. */
export const apigateway = {
  name: "apigateway",
  run: (options: BenchOptions) => runApiGatewayBenchmark(options),
};

export function apiGatewayTiming(options: BenchOptions, env: NodeJS.ProcessEnv = process.env): Timing {
  const own = options.quick ? QUICK_TIMING : DEFAULT_TIMING;
  const explicit = (name: string) => env[name] !== undefined && env[name] !== "";
  return {
    rounds: explicit("BENCH_ROUNDS") ? options.rounds : own.rounds,
    seconds: explicit("BENCH_SECONDS") ? options.seconds : own.seconds,
    warmupSeconds: explicit("BENCH_WARMUP_SECONDS") ? options.warmupSeconds : own.warmupSeconds,
    connections: options.connections ?? CONNECTIONS,
  };
}

export async function runApiGatewayBenchmark(
  options: BenchOptions,
): Promise<{ readonly summary: string; readonly failed: boolean }> {
  const timing = apiGatewayTiming(options);
  const startedAt = new Date().toISOString();
  const started = performance.now();
  const loadavgBefore = loadavg();
  console.log(
    "\napigateway: GET through an HTTP API → Lambda (vs serverless-offline) and a REST API MOCK " +
      "integration (vs bare node:http)\n" +
      `  ${timing.connections} connections, ${timing.rounds} round(s) of ${timing.seconds} s per contestant ` +
      `after a ${timing.warmupSeconds} s warm-up, order alternating`,
  );
  const side = (label: string, tree: boolean): Side => ({
    label,
    running: undefined,
    path: "/",
    tree,
    failure: undefined,
    samples: [],
  });
  const lambdaPair: Pair = {
    name: "HTTP API → Lambda",
    target: { text: "HTTP API → Lambda ≥ 3x serverless-offline's req/s", minRatio: 3, asPercent: false },
    stratus: side("Stratus", true),
    peer: side("serverless-offline", true),
  };
  const mockPair: Pair = {
    name: "REST API MOCK",
    target: { text: "the gateway alone ≥ 50% of the bare server's req/s", minRatio: 0.5, asPercent: true },
    stratus: side("Stratus", false),
    peer: side("bare node:http", false),
  };
  const pairs = [lambdaPair, mockPair];
  const offline = serverlessOffline();
  try {
    // Stratus is shared by both comparisons; serverless-offline starts beside it (it takes seconds).
    const [stratus, offlineRunning] = await Promise.all([
      startSide("Stratus", async () => stratusContestant()),
      startSide("serverless-offline", offline.spec),
    ]);
    if (typeof stratus === "string") throw new Error(`Stratus: ${stratus}`);
    const paths = await prepareStratus(stratus.url).catch((error: unknown) => {
      throw new Error(`Stratus: setup failed: ${oneLine(error)}`);
    });
    console.log(`  Stratus: HTTP API at ${paths.httpApi}, REST API at ${paths.mock} ${elapsed()}`);
    for (const pair of pairs) pair.stratus.running = stratus;
    lambdaPair.stratus.path = paths.httpApi;
    mockPair.stratus.path = paths.mock;
    if (typeof offlineRunning === "string") lambdaPair.peer.failure = offlineRunning;
    else {
      lambdaPair.peer.running = offlineRunning;
      lambdaPair.peer.path = offline.path;
    }
    await startBare(mockPair, paths);

    if (lambdaPair.peer.running) await checkLambda(lambdaPair);
    if (mockPair.peer.running) await checkMock(mockPair);
    if (lambdaPair.peer.running && !lambdaPair.peer.failure) await primeLambda(lambdaPair, timing);

    for (let round = 0; round < timing.rounds; round++) {
      for (const pair of pairs) {
        const lineup = [pair.stratus, pair.peer].filter((s) => s.running && !s.failure && !s.running.exit);
        if (lineup.length < 2) continue;
        for (const s of round % 2 === 0 ? lineup : lineup.reverse()) {
          await measure(s, pair.name, round, timing);
          await settle();
        }
      }
    }

    const results = pairs.map(resultOf);
    // A side that failed after some rounds still has figures, but the run is not whole.
    const failed = results.some((r) => !r.ratio || r.stratus.failure || r.peer.failure);
    const summary = summaryOf(results, timing.connections, (performance.now() - started) / 1000);
    console.log(`\n${summary}`);
    const result = {
      name: "apigateway",
      summary,
      failed,
      startedAt,
      finishedAt: new Date().toISOString(),
      options: { ...options, timing },
      machine: machineFacts(loadavgBefore),
      pairs: results,
    };
    console.log(`  (written to ${writeResult("apigateway", result)})`);
    return { summary, failed };
  } finally {
    await Promise.all(pairs.flatMap((pair) => [pair.stratus.running?.stop(), pair.peer.running?.stop()]));
    await stopAll();
    try {
      offline.dispose();
    } catch (error) {
      console.error(`  serverless-offline: cleanup failed: ${oneLine(error)}`);
    }
  }
}

/** The running contestant, or why it did not start (its last output printed). */
async function startSide(
  label: string,
  spec: () => Promise<ContestantSpec>,
): Promise<RunningContestant | string> {
  const startedMs = Date.now();
  try {
    const running = await startContestant(await spec());
    console.log(`  ${label}: ${running.url} (pid ${running.pid}), ready in ${Date.now() - startedMs} ms`);
    return running;
  } catch (error) {
    const reason = oneLine(error).replace(`${label}: `, "");
    console.log(`  ${label}: FAILED: ${reason}`);
    const details = (error instanceof Error ? error.message : "").split("\n").slice(1).join("\n");
    if (details) console.log(details.replace(/^/gm, "    "));
    return reason;
  }
}

/** Captures one MOCK answer from Stratus and starts the bare server replaying it. */
async function startBare(pair: Pair, paths: StratusPaths): Promise<void> {
  try {
    const captured = await fetchRaw(pair.stratus.running!.url, paths.mock);
    const bare = await startSide("bare node:http", async () => bareReplay(captured));
    if (typeof bare === "string") pair.peer.failure = bare;
    else {
      pair.peer.running = bare;
      pair.peer.path = paths.mock;
    }
  } catch (error) {
    pair.peer.failure = `could not capture Stratus's MOCK answer: ${oneLine(error)}`;
    console.log(`  bare node:http: FAILED: ${pair.peer.failure}`);
  }
}

/** Both answer GET /hello with status 200 and the same body, the hello answer. */
async function checkLambda(pair: Pair): Promise<void> {
  const expected = JSON.stringify(HELLO_ANSWER);
  const answers: string[] = [];
  for (const s of [pair.stratus, pair.peer]) {
    try {
      const answer = await plainGet(s.running!.url, s.path, CHECK_TIMEOUT_MS);
      if (answer.status !== 200 || answer.body !== expected) {
        throw new Error(`answered HTTP ${answer.status} ${snippet(answer.body)}, not 200 ${expected}`);
      }
      answers.push(answer.body);
    } catch (error) {
      s.failure = `the ${pair.name} check failed: ${oneLine(error)}`;
      console.log(`  ${s.label}: FAILED: ${s.failure}`);
    }
  }
  if (answers.length === 2) console.log(`  ${pair.name}: both answer 200 ${expected}`);
}

/** Both answer the MOCK path with the same bytes, the per-request ids and Date aside. */
async function checkMock(pair: Pair): Promise<void> {
  try {
    const [stratus, peer] = [
      await fetchRaw(pair.stratus.running!.url, pair.stratus.path),
      await fetchRaw(pair.peer.running!.url, pair.peer.path),
    ];
    if (maskedHead(stratus) !== maskedHead(peer) || !stratus.body.equals(peer.body)) {
      throw new Error(
        `the bare server does not answer the same bytes as Stratus\n--- Stratus ---\n${maskedHead(stratus)}` +
          `\n--- bare ---\n${maskedHead(peer)}`,
      );
    }
    console.log(`  ${pair.name}: both answer the same ${peer.head.length + peer.body.length} bytes`);
  } catch (error) {
    pair.peer.failure = `the ${pair.name} check failed: ${oneLine(error)}`;
    console.log(`  ${pair.peer.label}: FAILED: ${pair.peer.failure}`);
    console.log((error as Error).message.replace(/^/gm, "    "));
  }
}

/** PRIME_WAVES waves of `connections` concurrent GETs per Lambda contestant, each wave awaited whole. */
async function primeLambda(pair: Pair, timing: Timing): Promise<void> {
  for (const s of [pair.stratus, pair.peer]) {
    if (s.failure) continue;
    const startedMs = Date.now();
    try {
      for (let wave = 0; wave < PRIME_WAVES; wave++) {
        const answers = await Promise.all(
          Array.from({ length: timing.connections }, () =>
            plainGet(s.running!.url, s.path, PRIME_TIMEOUT_MS),
          ),
        );
        const bad = answers.find((a) => a.status !== 200);
        if (bad) throw new Error(`answered HTTP ${bad.status} ${snippet(bad.body)}`);
      }
      console.log(
        `  ${s.label}: primed with ${PRIME_WAVES} waves of ${timing.connections} concurrent GETs in ` +
          `${Date.now() - startedMs} ms ${elapsed()}`,
      );
    } catch (error) {
      s.failure = `priming failed: ${oneLine(error)}`;
      console.log(`  ${s.label}: FAILED: ${s.failure}`);
    }
  }
}

/** A warm-up and a measured run; a failure takes the side out. */
async function measure(s: Side, pairName: string, round: number, timing: Timing): Promise<void> {
  const running = s.running!;
  const load = {
    connections: timing.connections,
    serverCpuSeconds: s.tree ? () => processTreeCpuSeconds(running.pid) : () => running.cpuSeconds(),
  };
  const workload = { method: "GET" as const, path: s.path };
  try {
    if (timing.warmupSeconds > 0) {
      await runLoad(running.url, workload, { ...load, seconds: timing.warmupSeconds });
      await settle();
    }
    const mainBefore = running.cpuSeconds();
    const wallBefore = performance.now();
    const sample = await runLoad(running.url, workload, { ...load, seconds: timing.seconds });
    const mainAfter = running.cpuSeconds();
    if (running.exit) throw new Error("exited during the run");
    const wallSec = (performance.now() - wallBefore) / 1000;
    const mainCpuPercent =
      s.tree && mainBefore !== undefined && mainAfter !== undefined
        ? ((mainAfter - mainBefore) / wallSec) * 100
        : undefined;
    s.samples.push({ load: sample, mainCpuPercent });
    console.log(`  round ${round + 1}/${timing.rounds}  ${pairName.padEnd(18)} ${progressLine(s, sample)}`);
  } catch (error) {
    s.failure = running.exit ? "exited during a run" : `run failed: ${oneLine(error)}`;
    console.log(`  ${s.label}: FAILED: ${s.failure}\n${running.outputTail().replace(/^/gm, "    ")}`);
  }
}

function resultOf(pair: Pair): PairResult {
  const sideResult = (s: Side): SideResult => {
    if (s.samples.length === 0) {
      const other = s === pair.stratus ? pair.peer : pair.stratus;
      const failure = s.failure ?? (other.failure ? `not measured (${other.label} failed)` : "not measured");
      return { label: s.label, failure };
    }
    const mains = s.samples.map((x) => x.mainCpuPercent).filter((v): v is number => v !== undefined);
    return {
      label: s.label,
      report: summarise(
        s.label,
        s.samples.map((x) => x.load),
      ),
      ...(mains.length > 0 ? { mainCpuPercent: median(mains) } : {}),
      ...(s.failure ? { failure: s.failure } : {}),
    };
  };
  const stratus = sideResult(pair.stratus);
  const peer = sideResult(pair.peer);
  return {
    name: pair.name,
    target: pair.target,
    stratus,
    peer,
    ...(stratus.report && peer.report ? { ratio: ratioOf(stratus.report.median, peer.report.median) } : {}),
  };
}

function progressLine(s: Side, sample: LoadSample): string {
  const problems =
    sample.non2xx + sample.errors + sample.timeouts > 0
      ? `  non-2xx ${sample.non2xx}, errors ${sample.errors + sample.timeouts}`
      : "";
  const cpu = `${s.tree ? "tree" : "server"} CPU ${Math.round(sample.serverCpuPercent ?? Number.NaN)}%`;
  return (
    `${s.label.padEnd(18)} ${Math.round(sample.requestsPerSec).toLocaleString("en-US").padStart(7)} req/s  ` +
    `p50 ${sample.latencyP50Ms.toFixed(2)} ms  p99 ${sample.latencyP99Ms.toFixed(2)} ms  ${cpu}  ` +
    `machine ${Math.round(sample.machineBusyPercent ?? Number.NaN)}%${problems}`
  );
}

function oneLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return (text.split("\n")[0] ?? "").slice(0, 200);
}

const benchStarted = performance.now();

/** "[+12 s]": time since the bench process started, to see where a run's seconds go. */
function elapsed(): string {
  return `[+${Math.round((performance.now() - benchStarted) / 1000)} s]`;
}
