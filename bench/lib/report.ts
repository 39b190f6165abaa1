/** Medians, ratios and the printed form of a side-by-side benchmark: per-contestant tables and one line. */
import type { LoadSample } from "./load.ts";

export interface Medians {
  readonly requestsPerSec: number;
  readonly latencyP50Ms: number;
  readonly latencyP99Ms: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly serverCpuPercent: number | undefined;
  readonly loadgenCpuPercent: number;
  readonly machineBusyPercent: number | undefined;
}

/** Spread of a metric across rounds: (max - min) / median, in percent. */
export interface Spread {
  readonly requestsPerSecPercent: number;
  readonly latencyP50Percent: number;
  readonly latencyP99Percent: number;
}

export interface ContestantReport {
  readonly label: string;
  readonly rounds: readonly LoadSample[];
  readonly median: Medians;
  readonly spread: Spread;
}

/** Stratus divided by the peer: throughput below 1 and latencies above 1 mean Stratus is slower. */
export interface Ratio {
  readonly throughput: number;
  readonly latencyP50: number;
  readonly latencyP99: number;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export function summarise(label: string, rounds: readonly LoadSample[]): ContestantReport {
  const of = (pick: (s: LoadSample) => number) => median(rounds.map(pick));
  const known = (pick: (s: LoadSample) => number | undefined) => {
    const values = rounds.map(pick).filter((v): v is number => v !== undefined);
    return values.length > 0 ? median(values) : undefined;
  };
  const spreadOf = (pick: (s: LoadSample) => number) => {
    const values = rounds.map(pick);
    const mid = median(values);
    return mid > 0 ? ((Math.max(...values) - Math.min(...values)) / mid) * 100 : 0;
  };
  return {
    label,
    rounds,
    median: {
      requestsPerSec: of((s) => s.requestsPerSec),
      latencyP50Ms: of((s) => s.latencyP50Ms),
      latencyP99Ms: of((s) => s.latencyP99Ms),
      non2xx: of((s) => s.non2xx),
      errors: of((s) => s.errors + s.timeouts),
      serverCpuPercent: known((s) => s.serverCpuPercent),
      loadgenCpuPercent: of((s) => s.loadgenCpuPercent),
      machineBusyPercent: known((s) => s.machineBusyPercent),
    },
    spread: {
      requestsPerSecPercent: spreadOf((s) => s.requestsPerSec),
      latencyP50Percent: spreadOf((s) => s.latencyP50Ms),
      latencyP99Percent: spreadOf((s) => s.latencyP99Ms),
    },
  };
}

export function ratioOf(stratus: Medians, peer: Medians): Ratio {
  return {
    throughput: stratus.requestsPerSec / peer.requestsPerSec,
    latencyP50: stratus.latencyP50Ms / peer.latencyP50Ms,
    latencyP99: stratus.latencyP99Ms / peer.latencyP99Ms,
  };
}

/** Above this spread of req/s across rounds, the summary calls the run noisy. */
export const NOISY_SPREAD_PERCENT = 20;

export const integer = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

/** Milliseconds with 2, 1 or 0 decimals as they grow. */
export function ms(value: number): string {
  return value < 10 ? value.toFixed(2) : value < 100 ? value.toFixed(1) : integer.format(value);
}

export function percent(value: number | undefined): string {
  return value === undefined ? "n/a" : `${integer.format(value)}%`;
}

/** Aligned columns: the first `leftColumns` left-aligned, the others right-aligned; row 0 is the header. */
export function table(rows: readonly (readonly string[])[], leftColumns = 1): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows
    .map((row) =>
      row
        .map((cell, column) =>
          column < leftColumns ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!),
        )
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

/**
 * A per-round table with a median row and a spread row, for one contestant. CPU columns are percent of
 * one core (the server process; the bench process, i.e. autocannon); "machine" is the busy share of all
 * cores together.
 */
export function formatContestant(report: ContestantReport, detail: string): string {
  const header = [
    "round",
    "req/s",
    "p50 ms",
    "p99 ms",
    "non-2xx",
    "errors",
    "server CPU",
    "bench CPU",
    "machine",
  ];
  const rows = report.rounds.map((s, i) => [
    String(i + 1),
    integer.format(s.requestsPerSec),
    ms(s.latencyP50Ms),
    ms(s.latencyP99Ms),
    integer.format(s.non2xx),
    integer.format(s.errors + s.timeouts),
    percent(s.serverCpuPercent),
    percent(s.loadgenCpuPercent),
    percent(s.machineBusyPercent),
  ]);
  const m = report.median;
  const medianRow = [
    "median",
    integer.format(m.requestsPerSec),
    ms(m.latencyP50Ms),
    ms(m.latencyP99Ms),
    integer.format(m.non2xx),
    integer.format(m.errors),
    percent(m.serverCpuPercent),
    percent(m.loadgenCpuPercent),
    percent(m.machineBusyPercent),
  ];
  const spreadRow = [
    "spread",
    percent(report.spread.requestsPerSecPercent),
    percent(report.spread.latencyP50Percent),
    percent(report.spread.latencyP99Percent),
    "",
    "",
    "",
    "",
    "",
  ];
  const body = table([header, ...rows, medianRow, spreadRow]).replace(/^/gm, "  ");
  return `${report.label} (${detail})\n${body}`;
}

function headline(m: Medians): string {
  return `${integer.format(m.requestsPerSec)} req/s (p50 ${ms(m.latencyP50Ms)} ms, p99 ${ms(m.latencyP99Ms)} ms)`;
}

/** e.g. `edge-overhead: Stratus 31,200 req/s (p50 1.90 ms, p99 4.10 ms) vs bare node:http ... → 0.57x throughput`. */
export function summaryLine(
  name: string,
  stratus: ContestantReport,
  peer: ContestantReport,
  ratio: Ratio,
): string {
  const warnings: string[] = [];
  for (const r of [stratus, peer]) {
    if (r.rounds.some((s) => s.non2xx + s.errors + s.timeouts > 0)) {
      warnings.push(`${r.label} had non-2xx/errors`);
    }
    if (r.rounds.length > 1 && r.spread.requestsPerSecPercent > NOISY_SPREAD_PERCENT) {
      warnings.push(
        `${r.label} req/s varied ${Math.round(r.spread.requestsPerSecPercent)}% across rounds: noisy, rerun`,
      );
    }
  }
  const note = warnings.length > 0 ? ` [${warnings.join("; ")}]` : "";
  return (
    `${name}: ${stratus.label} ${headline(stratus.median)} vs ${peer.label} ${headline(peer.median)}` +
    ` → ${ratio.throughput.toFixed(2)}x throughput, ${ratio.latencyP50.toFixed(2)}x p50, ` +
    `${ratio.latencyP99.toFixed(2)}x p99${note}`
  );
}
