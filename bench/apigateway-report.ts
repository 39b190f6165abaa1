/**
 * The printed form of the apigateway benchmark: one table of medians for both comparisons, then the
 * issue's targets and whether this run met them (reported, never asserted).
 */
import {
  type ContestantReport,
  integer,
  median,
  ms,
  NOISY_SPREAD_PERCENT,
  percent,
  type Ratio,
  table,
} from "./lib/report.ts";

/** One side of a comparison: measured, or why not. */
export interface SideResult {
  readonly label: string;
  readonly report?: ContestantReport;
  /** Median CPU of the contestant's own process when `report`'s server CPU is its whole tree. */
  readonly mainCpuPercent?: number;
  readonly failure?: string;
}

/** Stratus against one peer on one workload. */
export interface PairResult {
  readonly name: string;
  /** The target as a floor on Stratus's req/s / the peer's. */
  readonly target: { readonly text: string; readonly minRatio: number; readonly asPercent: boolean };
  readonly stratus: SideResult;
  readonly peer: SideResult;
  readonly ratio?: Ratio;
}

export function summaryOf(pairs: readonly PairResult[], connections: number, elapsedSec: number): string {
  const rows: string[][] = [
    [
      "workload",
      "contestant",
      "req/s",
      "p50 ms",
      "p99 ms",
      "server CPU",
      "CPU/req",
      "req/s ×",
      "p50 ×",
      "p99 ×",
    ],
  ];
  const notes: string[] = ["notes"];
  for (const pair of pairs) {
    for (const side of [pair.stratus, pair.peer]) {
      const isStratus = side === pair.stratus;
      const name = isStratus ? pair.name : "";
      if (!side.report) {
        rows.push([name, side.label, ...Array.from({ length: 8 }, () => "-")]);
        notes.push(`FAILED: ${side.failure ?? "not measured"}`);
        continue;
      }
      const m = side.report.median;
      const r = isStratus ? pair.ratio : undefined;
      const cpu =
        side.mainCpuPercent !== undefined
          ? `${percent(m.serverCpuPercent)} (main ${percent(side.mainCpuPercent)})`
          : percent(m.serverCpuPercent);
      rows.push([
        name,
        side.label,
        integer.format(m.requestsPerSec),
        ms(m.latencyP50Ms),
        ms(m.latencyP99Ms),
        cpu,
        cpuPerRequest(side.report),
        r ? `${r.throughput.toFixed(2)}x` : "",
        r ? `${r.latencyP50.toFixed(2)}x` : "",
        r ? `${r.latencyP99.toFixed(2)}x` : "",
      ]);
      notes.push(
        [noteOf(side.report), side.failure ? `FAILED after some rounds: ${side.failure}` : ""]
          .filter((n) => n !== "")
          .join("; "),
      );
    }
  }
  const lines = table(rows, 2)
    .split("\n")
    .map((line, i) => (notes[i] ? `${line}  ${notes[i]}` : line));
  return [
    `apigateway: medians at ${connections} connections (${Math.round(elapsedSec)} s in all); × = Stratus / ` +
      "the peer below it; server CPU: % of one core (Lambda rows: the whole process tree), CPU/req its " +
      "time per request",
    ...lines.map((line) => `  ${line}`),
    "  targets (reported, not asserted):",
    ...pairs.map((pair) => `    ${targetLine(pair)}`),
  ].join("\n");
}

/**
 * CPU time per request in µs, the median of the rounds': on a machine shared with other work req/s
 * moves with the load, the CPU a request costs much less.
 */
function cpuPerRequest(report: ContestantReport): string {
  const us = cpuMicrosPerRequest(report);
  return us === undefined ? "n/a" : `${integer.format(us)} µs`;
}

function cpuMicrosPerRequest(report: ContestantReport): number | undefined {
  const perRound = report.rounds
    .filter((s) => s.serverCpuPercent !== undefined && s.requestsPerSec > 0)
    .map((s) => ((s.serverCpuPercent! / 100) * 1e6) / s.requestsPerSec);
  return perRound.length === 0 ? undefined : median(perRound);
}

function noteOf(report: ContestantReport): string {
  const notes: string[] = [];
  if (report.rounds.some((s) => s.non2xx + s.errors + s.timeouts > 0)) notes.push("non-2xx/errors");
  if (report.rounds.length > 1 && report.spread.requestsPerSecPercent > NOISY_SPREAD_PERCENT) {
    notes.push(`noisy (req/s spread ${Math.round(report.spread.requestsPerSecPercent)}%), rerun`);
  }
  return notes.join("; ");
}

function targetLine(pair: PairResult): string {
  const { text, minRatio, asPercent } = pair.target;
  if (!pair.ratio) return `${text}: not measured`;
  const value = pair.ratio.throughput;
  const format = (ratio: number) => (asPercent ? `${Math.round(ratio * 100)}%` : `${ratio.toFixed(2)}x`);
  // The same ratio from CPU per request (the peer's over Stratus's): what req/s would say if each
  // had the same CPU to spend and nothing else limited it, i.e. without the machine's other load.
  const stratusUs = pair.stratus.report && cpuMicrosPerRequest(pair.stratus.report);
  const peerUs = pair.peer.report && cpuMicrosPerRequest(pair.peer.report);
  const byCpu = stratusUs && peerUs ? ` (by CPU per request: ${format(peerUs / stratusUs)})` : "";
  return `${text}: ${format(value)}${byCpu}, ${value >= minRatio ? "met" : "NOT met"}`;
}
