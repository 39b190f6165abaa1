/**
 * The printed form of the lambda benchmark: a table per measurement, one summary table with the
 * ratios Stratus / serverless-offline, and the targets with whether this run met them
 * (reported, never asserted: the machine is small and shared).
 */
import {
  type ContestantReport,
  formatContestant,
  integer,
  median,
  ms,
  NOISY_SPREAD_PERCENT,
  percent,
  table,
} from "./lib/report.ts";

export interface ColdCell {
  readonly label: string;
  readonly kind: "cold";
  readonly failure?: string;
  /** Client-side time of each first invoke, in the order taken. */
  readonly samplesMs: readonly number[];
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly minMs: number;
  readonly maxMs: number;
}

export interface WarmCell {
  readonly label: string;
  readonly kind: "warm";
  readonly failure?: string;
  readonly report?: ContestantReport;
  /** Per round, CPU of the contestant's own process (the tree's is the report's server CPU). */
  readonly mainCpuPercent?: readonly (number | undefined)[];
}

export interface LambdaRow {
  readonly runtime: "node" | "python";
  readonly measure: "cold" | "latency" | "throughput";
  readonly connections: number;
  /** Stratus first, then serverless-offline. */
  readonly cells: readonly (ColdCell | WarmCell)[];
}

/** The targets. */
const WARM_P50_MS_TARGET = 1;
const COLD_P50_MS_TARGET = { node: 80, python: 60 } as const;
const THROUGHPUT_RATIO_TARGET = 3;

/** The nearest-rank percentile (as the load histogram's): the smallest value with p of them at or below. */
export function percentileOf(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!;
}

export function coldCellOf(
  label: string,
  samplesMs: readonly number[],
  failure: string | undefined,
): ColdCell {
  return {
    label,
    kind: "cold",
    ...(failure !== undefined ? { failure } : {}),
    samplesMs,
    p50Ms: percentileOf(samplesMs, 0.5),
    p99Ms: percentileOf(samplesMs, 0.99),
    minMs: samplesMs.length > 0 ? Math.min(...samplesMs) : Number.NaN,
    maxMs: samplesMs.length > 0 ? Math.max(...samplesMs) : Number.NaN,
  };
}

export function formatCold(row: LambdaRow): string {
  const rows = [["contestant", "samples", "p50 ms", "p99 ms", "min ms", "max ms", "each (ms, in order)"]];
  for (const cell of row.cells) {
    if (cell.kind !== "cold") continue;
    rows.push([
      cell.label,
      String(cell.samplesMs.length),
      ms(cell.p50Ms),
      ms(cell.p99Ms),
      ms(cell.minMs),
      ms(cell.maxMs),
      cell.failure ? `FAILED: ${cell.failure}` : cell.samplesMs.map((v) => v.toFixed(1)).join(" "),
    ]);
  }
  return `  ${row.runtime} cold start\n${table(rows).replace(/^/gm, "  ")}`;
}

export function formatWarm(row: LambdaRow): string {
  const parts: string[] = [];
  for (const cell of row.cells) {
    if (cell.kind !== "warm") continue;
    if (!cell.report) {
      parts.push(`${cell.label}: FAILED: ${cell.failure ?? "not measured"}`);
      continue;
    }
    const main = (cell.mainCpuPercent ?? []).filter((v): v is number => v !== undefined);
    const detail =
      `${row.runtime}, ${row.connections} connection(s); server CPU = whole process tree, ` +
      `main process alone ${percent(main.length > 0 ? median(main) : undefined)}`;
    parts.push(formatContestant(cell.report, detail));
  }
  return parts.join("\n\n");
}

/** The summary: one line per runtime and measurement, with the ratio Stratus / serverless-offline. */
export function summaryOf(rows: readonly LambdaRow[], notes: readonly string[], elapsedSec: number): string {
  const labels = rows[0]?.cells.map((cell) => cell.label) ?? [];
  const header = [
    "runtime",
    "measure",
    ...labels.flatMap((l) => [`${l} p50`, "p99", "req/s"]),
    "Stratus / peer",
  ];
  const lines: string[][] = [header];
  const rowNotes: string[] = [];
  for (const row of rows) {
    const [stratus, peer] = row.cells;
    lines.push([
      row.runtime,
      measureName(row),
      ...row.cells.flatMap(figures),
      stratus && peer ? ratioText(row, stratus, peer) : "-",
    ]);
    const problems = row.cells.flatMap(noteOf);
    if (problems.length > 0) rowNotes.push(`  ${row.runtime} ${measureName(row)}: ${problems.join("; ")}`);
  }
  const body = table(lines, 2).replace(/^/gm, "  ");
  const targets = targetLines(rows).map((line) => `    ${line}`);
  return [
    `lambda: Stratus vs serverless-offline in ${Math.round(elapsedSec)} s (latencies in ms; ratio ` +
      "Stratus / serverless-offline: latency below 1 and req/s above 1 favour Stratus)",
    body,
    ...rowNotes,
    "  targets from the issue (reported, not asserted):",
    ...targets,
    ...notes.map((note) => `  ${note}`),
  ].join("\n");
}

function measureName(row: LambdaRow): string {
  if (row.measure === "cold") {
    const samples = Math.max(...row.cells.map((c) => (c.kind === "cold" ? c.samplesMs.length : 0)));
    return `cold start (${samples} samples)`;
  }
  return row.measure === "latency" ? "warm, 1 connection" : `warm, ${row.connections} connections`;
}

/** p50, p99 and req/s of one cell ("-" where they do not apply, "FAILED" where it failed). */
function figures(cell: ColdCell | WarmCell): [string, string, string] {
  if (cell.kind === "cold") {
    return cell.samplesMs.length > 0 ? [ms(cell.p50Ms), ms(cell.p99Ms), "-"] : ["FAILED", "-", "-"];
  }
  if (!cell.report) return ["FAILED", "-", "-"];
  const m = cell.report.median;
  return [ms(m.latencyP50Ms), ms(m.latencyP99Ms), integer.format(m.requestsPerSec)];
}

function ratioText(row: LambdaRow, stratus: ColdCell | WarmCell, peer: ColdCell | WarmCell): string {
  if (stratus.kind === "cold" && peer.kind === "cold") {
    return `${(stratus.p50Ms / peer.p50Ms).toFixed(2)}x p50, ${(stratus.p99Ms / peer.p99Ms).toFixed(2)}x p99`;
  }
  if (stratus.kind !== "warm" || peer.kind !== "warm" || !stratus.report || !peer.report) return "-";
  const s = stratus.report.median;
  const p = peer.report.median;
  const latency = `${(s.latencyP50Ms / p.latencyP50Ms).toFixed(2)}x p50, ${(s.latencyP99Ms / p.latencyP99Ms).toFixed(2)}x p99`;
  return row.measure === "latency"
    ? latency
    : `${(s.requestsPerSec / p.requestsPerSec).toFixed(2)}x req/s, ${latency}`;
}

function noteOf(cell: ColdCell | WarmCell): string[] {
  if (cell.failure) return [`${cell.label} failed: ${cell.failure}`];
  if (cell.kind !== "warm" || !cell.report) return [];
  const notes: string[] = [];
  if (cell.report.rounds.some((s) => s.non2xx + s.errors + s.timeouts > 0)) {
    notes.push(`${cell.label} had non-2xx/errors`);
  }
  if (cell.report.rounds.length > 1 && cell.report.spread.requestsPerSecPercent > NOISY_SPREAD_PERCENT) {
    notes.push(`${cell.label} req/s varied ${Math.round(cell.report.spread.requestsPerSecPercent)}%: noisy`);
  }
  return notes;
}

function targetLines(rows: readonly LambdaRow[]): string[] {
  const verdict = (met: boolean) => (met ? "met" : "NOT met");
  const lines: string[] = [];
  for (const row of rows) {
    const [stratus, peer] = row.cells;
    if (row.measure === "cold" && stratus?.kind === "cold" && stratus.samplesMs.length > 0) {
      const target = COLD_P50_MS_TARGET[row.runtime];
      lines.push(
        `${row.runtime} cold start p50 ≤ ${target} ms: ${ms(stratus.p50Ms)} ms, ${verdict(stratus.p50Ms <= target)}`,
      );
    }
    if (row.measure === "latency" && stratus?.kind === "warm" && stratus.report) {
      const p50 = stratus.report.median.latencyP50Ms;
      lines.push(
        `${row.runtime} warm invoke p50 ≤ ${WARM_P50_MS_TARGET} ms: ${ms(p50)} ms, ${verdict(p50 <= WARM_P50_MS_TARGET)}`,
      );
    }
    if (row.measure === "throughput" && stratus?.kind === "warm" && peer?.kind === "warm") {
      if (stratus.report && peer.report) {
        const ratio = stratus.report.median.requestsPerSec / peer.report.median.requestsPerSec;
        lines.push(
          `${row.runtime} warm throughput at ${row.connections} connections ≥ ${THROUGHPUT_RATIO_TARGET}x ` +
            `serverless-offline's: ${ratio.toFixed(2)}x, ${verdict(ratio >= THROUGHPUT_RATIO_TARGET)}`,
        );
      }
    }
  }
  return lines;
}
