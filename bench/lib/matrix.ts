/**
 * The matrix harness: several contestants × several workloads in one run, every workload's figures
 * side by side, with the ratios of a reference contestant (Stratus, listed first) to each of the others.
 *
 * It follows the two-contestant harness (bench/harness.ts) wherever it can: each contestant is its own
 * child process, started once and kept up for the whole run; each run is a discarded warm-up, a pause,
 * then the measured run; medians across rounds, with their spread. What it adds:
 *
 * - **Preparation.** A contestant may need state before it can be measured (tables, items): `prepare`
 *   runs once after it starts, and each workload's `check` once before its first run.
 * - **Failures stay local.** A contestant that is missing is skipped with a note; one that fails to
 *   start, to prepare or to pass a check is reported with a one-line reason, and the run goes on with
 *   the others (a failed check costs only that workload). The result is then marked failed.
 * - **Rotating order.** Round r runs the contestants rotated by r places, so with as many rounds as
 *   contestants each one takes every position once and a drift in the machine is shared.
 * - **Fresh requests.** A workload is built again before every run (a signed request must not outlive
 *   its 15-minute window during a long run).
 *
 * Results go to `.bench/<name>.json`.
 */
import { loadavg } from "node:os";
import type { BenchOptions } from "../harness.ts";
import { type LoadSample, runLoad, type Workload } from "./load.ts";
import { type ContestantSpec, type RunningContestant, startContestant, stopAll } from "./processes.ts";
import { settle } from "./quiet.ts";
import {
  type ContestantReport,
  formatContestant,
  integer,
  ms,
  NOISY_SPREAD_PERCENT,
  percent,
  type Ratio,
  ratioOf,
  summarise,
  table,
} from "./report.ts";
import { machineFacts, writeResult } from "./results.ts";

export interface SkipContestant {
  /** Why, in one line: "moto_server is not on PATH". */
  readonly skip: string;
}

export interface MatrixContestant {
  /** Shown in tables: "Stratus", "dynalite (disk)". */
  readonly label: string;
  /** The process to start, or a reason to skip this contestant (a peer that is not installed). */
  spec(): ContestantSpec | SkipContestant | Promise<ContestantSpec | SkipContestant>;
  /** Once, after start: create tables, seed items. Throws with a one-line reason. */
  prepare?(contestant: RunningContestant): Promise<void>;
  /** Once at the end, after the process is stopped, whatever happened: remove temporary data. */
  dispose?(): void | Promise<void>;
  /** It closes the connection after every response (werkzeug): load it with one connection per request. */
  readonly connectionPerRequest?: boolean;
}

export interface MatrixWorkload {
  /** "GetItem". */
  readonly name: string;
  /** What one request does, in one line. */
  readonly description: string;
  /** The load of one run against `url`; built again before every run. */
  build(url: string): Promise<Workload>;
  /** Once per contestant before its first run: throws with a one-line reason if an answer is wrong. */
  check(url: string): Promise<void>;
  /** The load client, the same for every contestant: load.ts's `runLoad` (autocannon) unless given. */
  readonly client?: typeof runLoad;
}

export interface Matrix {
  /** Also the JSON file name: `.bench/<name>.json`. */
  readonly name: string;
  readonly description: string;
  readonly connections: number;
  /** The first is the reference: each ratio is it / another contestant. */
  readonly contestants: readonly MatrixContestant[];
  readonly workloads: readonly MatrixWorkload[];
}

/** One contestant on one workload: measured, or why not. */
export type Cell =
  | { readonly state: "measured"; readonly report: ContestantReport; readonly ratio: Ratio | undefined }
  | { readonly state: "failed" | "skipped"; readonly reason: string };

export interface MatrixResult {
  readonly name: string;
  readonly description: string;
  /** Several lines: one table of medians and ratios, then the contestants that failed or were skipped. */
  readonly summary: string;
  /** A contestant failed (skipped ones do not count). */
  readonly failed: boolean;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly options: BenchOptions & { readonly connectionsUsed: number };
  readonly machine: Record<string, unknown>;
  readonly contestants: readonly {
    readonly label: string;
    readonly state: "ran" | "failed" | "skipped";
    readonly reason?: string;
  }[];
  /** workload name → contestant label → cell. */
  readonly cells: Readonly<Record<string, Readonly<Record<string, Cell>>>>;
  /** Per workload, the order contestants ran in, per round. */
  readonly order: Readonly<Record<string, readonly (readonly string[])[]>>;
}

interface Entry {
  readonly contestant: MatrixContestant;
  running: RunningContestant | undefined;
  /** Set when the whole contestant is out (skipped, failed to start or prepare, died). */
  out: { readonly state: "failed" | "skipped"; readonly reason: string } | undefined;
}

const REASON_CHARS_MAX = 200;

/** Runs the whole matrix; every child is stopped and every contestant disposed however it ends. */
export async function runMatrix(matrix: Matrix, options: BenchOptions): Promise<MatrixResult> {
  const startedAt = new Date().toISOString();
  const loadavgBefore = loadavg();
  const connections = options.connections ?? matrix.connections;
  console.log(
    `\n${matrix.name}: ${matrix.description}\n` +
      `  ${matrix.contestants.map((c) => c.label).join(", ")}; ${connections} connections, ` +
      `${options.rounds} round(s) of ${options.seconds} s per contestant and workload after a ` +
      `${options.warmupSeconds} s warm-up, order rotating`,
  );

  const entries: Entry[] = matrix.contestants.map((contestant) => ({
    contestant,
    running: undefined,
    out: undefined,
  }));
  const cells: Record<string, Record<string, Cell>> = {};
  const orders: Record<string, string[][]> = {};
  try {
    for (const entry of entries) await startAndPrepare(entry);

    for (const workload of matrix.workloads) {
      console.log(`\n  ${workload.name}: ${workload.description}`);
      const row: Record<string, Cell> = {};
      cells[workload.name] = row;
      const samples = new Map<Entry, LoadSample[]>();
      for (const entry of entries) {
        if (entry.out) continue;
        try {
          await workload.check(entry.running!.url);
          samples.set(entry, []);
        } catch (error) {
          row[entry.contestant.label] = { state: "failed", reason: oneLine(error) };
          console.log(`  ${entry.contestant.label}: FAILED the ${workload.name} check: ${oneLine(error)}`);
        }
      }

      const order: string[][] = [];
      orders[workload.name] = order;
      for (let round = 0; round < options.rounds; round++) {
        const lineup = [...samples.keys()].filter((entry) => !entry.out);
        const sequence = lineup.map((_, i) => lineup[(i + round) % lineup.length]!);
        order.push(sequence.map((entry) => entry.contestant.label));
        for (const entry of sequence) {
          const sample = await measure(entry, workload, connections, options);
          if (!sample) continue;
          samples.get(entry)!.push(sample);
          console.log(
            `  round ${round + 1}/${options.rounds}  ${progressLine(entry.contestant.label, sample)}`,
          );
          await settle();
        }
      }

      for (const [entry, taken] of samples) {
        if (entry.out || taken.length === 0) continue;
        row[entry.contestant.label] = {
          state: "measured",
          report: summarise(entry.contestant.label, taken),
          ratio: undefined,
        };
      }
      addRatios(row, matrix.contestants[0]!.label);
      for (const entry of entries) {
        const cell = row[entry.contestant.label];
        if (cell?.state === "measured") {
          console.log(`\n${indent(formatContestant(cell.report, `pid ${entry.running!.pid}`))}`);
        }
      }
    }

    for (const entry of entries) {
      if (!entry.out) continue;
      for (const workload of matrix.workloads) {
        const row = cells[workload.name]!;
        const cell = row[entry.contestant.label];
        if (cell === undefined) row[entry.contestant.label] = { ...entry.out };
      }
    }
    const failed = entries.some(
      (entry) =>
        entry.out?.state === "failed" ||
        Object.values(cells).some((row) => row[entry.contestant.label]?.state === "failed"),
    );
    const summary = summaryOf(matrix, entries, cells, connections);
    console.log(`\n${summary}`);

    const result: MatrixResult = {
      name: matrix.name,
      description: matrix.description,
      summary,
      failed,
      startedAt,
      finishedAt: new Date().toISOString(),
      options: { ...options, connectionsUsed: connections },
      machine: machineFacts(loadavgBefore),
      contestants: entries.map((entry) => ({
        label: entry.contestant.label,
        state: entry.out?.state ?? "ran",
        ...(entry.out ? { reason: entry.out.reason } : {}),
      })),
      cells,
      order: orders,
    };
    console.log(`  (written to ${writeResult(matrix.name, result)})`);
    return result;
  } finally {
    await Promise.all(entries.map((entry) => entry.running?.stop()));
    await stopAll();
    for (const entry of entries) {
      try {
        await entry.contestant.dispose?.();
      } catch (error) {
        console.error(`  ${entry.contestant.label}: cleanup failed: ${oneLine(error)}`);
      }
    }
  }
}

async function startAndPrepare(entry: Entry): Promise<void> {
  const { label } = entry.contestant;
  try {
    const spec = await entry.contestant.spec();
    if ("skip" in spec) {
      entry.out = { state: "skipped", reason: spec.skip };
      console.log(`  ${label}: skipped (${spec.skip})`);
      return;
    }
    const started = Date.now();
    entry.running = await startContestant(spec);
    await entry.contestant.prepare?.(entry.running);
    console.log(
      `  ${label}: ${entry.running.url} (pid ${entry.running.pid}), ready and prepared in ${Date.now() - started} ms`,
    );
  } catch (error) {
    // startContestant's messages start with the label already.
    const reason = oneLine(error).replace(`${label}: `, "");
    entry.out = { state: "failed", reason };
    console.log(`  ${label}: FAILED: ${reason}`);
    // A failed start's message already carries the child's last output; a failed prepare's does not.
    const details = (error instanceof Error ? error.message : "").split("\n").slice(1).join("\n");
    if (details) console.log(indent(details));
    else if (entry.running?.exit)
      console.log(indent(`--- last output of ${label} ---\n${entry.running.outputTail()}`));
    await entry.running?.stop();
  }
}

/** One warm-up and one measured run; undefined (and the contestant out) if it died. */
async function measure(
  entry: Entry,
  workload: MatrixWorkload,
  connections: number,
  options: BenchOptions,
): Promise<LoadSample | undefined> {
  const running = entry.running!;
  const client = workload.client ?? runLoad;
  const load = {
    connections,
    serverCpuSeconds: () => running.cpuSeconds(),
    connectionPerRequest: entry.contestant.connectionPerRequest === true,
  };
  try {
    if (options.warmupSeconds > 0) {
      await client(running.url, await workload.build(running.url), {
        ...load,
        seconds: options.warmupSeconds,
      });
      await settle();
    }
    const sample = await client(running.url, await workload.build(running.url), {
      ...load,
      seconds: options.seconds,
    });
    if (running.exit) throw new Error("exited during the run");
    return sample;
  } catch (error) {
    const reason = running.exit
      ? `exited during the ${workload.name} run (${running.exit.signal ?? `exit code ${running.exit.code}`})`
      : `${workload.name} run failed: ${oneLine(error)}`;
    entry.out = { state: "failed", reason };
    console.log(`  ${entry.contestant.label}: FAILED: ${reason}`);
    console.log(indent(`--- last output of ${entry.contestant.label} ---\n${running.outputTail()}`));
    await running.stop();
    return undefined;
  }
}

function addRatios(row: Record<string, Cell>, referenceLabel: string): void {
  const reference = row[referenceLabel];
  if (reference?.state !== "measured") return;
  for (const [label, cell] of Object.entries(row)) {
    if (label === referenceLabel || cell.state !== "measured") continue;
    row[label] = { ...cell, ratio: ratioOf(reference.report.median, cell.report.median) };
  }
}

/** The table of medians of every workload and contestant, the ratios, then what failed or was skipped. */
function summaryOf(
  matrix: Matrix,
  entries: readonly Entry[],
  cells: Readonly<Record<string, Readonly<Record<string, Cell>>>>,
  connections: number,
): string {
  const reference = matrix.contestants[0]!.label;
  const rows: string[][] = [
    ["workload", "contestant", "req/s", "p50 ms", "p99 ms", "server CPU", "req/s ×", "p50 ×", "p99 ×"],
  ];
  /** Per row, written after the aligned columns. */
  const notesOf: string[] = ["notes"];
  const problems = new Map<string, string>();
  for (const entry of entries) {
    if (entry.out) problems.set(entry.contestant.label, `${entry.out.state}: ${entry.out.reason}`);
  }
  for (const workload of matrix.workloads) {
    for (const { contestant } of entries) {
      const cell = cells[workload.name]?.[contestant.label];
      if (cell === undefined || cell.state !== "measured") {
        // A contestant that is out altogether is listed once below the table.
        if (cell && !problems.has(contestant.label)) {
          const dashes = Array.from({ length: 7 }, () => "-");
          rows.push([workload.name, contestant.label, ...dashes]);
          notesOf.push(`${cell.state}: ${cell.reason}`);
        }
        continue;
      }
      const { median: m, rounds, spread } = cell.report;
      const notes: string[] = [];
      if (rounds.some((s) => s.non2xx + s.errors + s.timeouts > 0)) notes.push("non-2xx/errors");
      if (rounds.length > 1 && spread.requestsPerSecPercent > NOISY_SPREAD_PERCENT) {
        notes.push(`noisy (req/s spread ${Math.round(spread.requestsPerSecPercent)}%), rerun`);
      }
      const r = cell.ratio;
      const none = contestant.label === reference ? "=" : "-";
      rows.push([
        workload.name,
        contestant.label,
        integer.format(m.requestsPerSec),
        ms(m.latencyP50Ms),
        ms(m.latencyP99Ms),
        percent(m.serverCpuPercent),
        r ? `${r.throughput.toFixed(2)}x` : none,
        r ? `${r.latencyP50.toFixed(2)}x` : none,
        r ? `${r.latencyP99.toFixed(2)}x` : none,
      ]);
      notesOf.push(notes.join("; "));
    }
  }
  const lines = [
    `${matrix.name}: medians at ${connections} connections; the × columns are ${reference}'s figure ` +
      "divided by the contestant's",
    indent(
      table(rows, 2)
        .split("\n")
        .map((line, i) => (notesOf[i] ? `${line}  ${notesOf[i]}` : line))
        .join("\n"),
    ),
    ...[...problems].map(([label, problem]) => `  ${label}: ${problem}`),
  ];
  return lines.join("\n");
}

function progressLine(label: string, s: LoadSample): string {
  const problems =
    s.non2xx + s.errors + s.timeouts > 0 ? `  non-2xx ${s.non2xx}, errors ${s.errors + s.timeouts}` : "";
  return (
    `${label.padEnd(18)} ${Math.round(s.requestsPerSec).toLocaleString("en-US").padStart(8)} req/s  ` +
    `p50 ${s.latencyP50Ms.toFixed(2)} ms  p99 ${s.latencyP99Ms.toFixed(2)} ms  ` +
    `server CPU ${percent(s.serverCpuPercent)}${problems}`
  );
}

/** An error's message as one line of at most REASON_CHARS_MAX characters. */
export function oneLine(error: unknown): string {
  const text = (error instanceof Error ? error.message : String(error)).split("\n", 1)[0]!.trim();
  return text.length > REASON_CHARS_MAX ? `${text.slice(0, REASON_CHARS_MAX - 1)}…` : text;
}

function indent(text: string): string {
  return text.replace(/^/gm, "  ");
}
