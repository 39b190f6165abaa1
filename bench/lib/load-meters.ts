/**
 * What both load clients (load.ts: autocannon; lean-load.ts: raw sockets) measure with: the 10 µs
 * latency histogram, the CPU meters of a run, and the bytes of one request.
 */
import { readFileSync } from "node:fs";
import type { LoadOptions, LoadSample, WorkloadRequest } from "./load.ts";

const BUCKET_US = 10;
/** 10 s, autocannon's own request timeout: no 2xx latency can be longer. */
const BUCKETS = 1_000_000;

/** A fixed-bucket latency histogram: O(1) record, bounded memory (4 MB), reusable between runs. */
export class LatencyHistogram {
  readonly #counts = new Uint32Array(BUCKETS);
  #total = 0;
  #sumMs = 0;

  reset(): void {
    this.#counts.fill(0);
    this.#total = 0;
    this.#sumMs = 0;
  }

  record(ms: number): void {
    const bucket = Math.min(BUCKETS - 1, Math.floor((ms * 1000) / BUCKET_US));
    this.#counts[bucket] = (this.#counts[bucket] ?? 0) + 1;
    this.#total++;
    this.#sumMs += ms;
  }

  /** The upper edge of the bucket holding the p-th fraction (0..1) of values; 0 when empty. */
  percentileMs(p: number): number {
    if (this.#total === 0) return 0;
    const rank = Math.max(1, Math.ceil(p * this.#total));
    let seen = 0;
    for (let bucket = 0; bucket < BUCKETS; bucket++) {
      seen += this.#counts[bucket] ?? 0;
      if (seen >= rank) return ((bucket + 1) * BUCKET_US) / 1000;
    }
    return (BUCKETS * BUCKET_US) / 1000;
  }

  meanMs(): number {
    return this.#total === 0 ? 0 : this.#sumMs / this.#total;
  }
}

export type Usage = Pick<
  LoadSample,
  "serverCpuPercent" | "loadgenCpuPercent" | "machineBusyPercent" | "machineStealPercent"
>;

/** Starts the CPU meters of one run; the function returned reads them at its end. */
export function startMeters(options: LoadOptions): () => Usage {
  const serverCpuBefore = options.serverCpuSeconds?.();
  const loadgenCpuBefore = process.cpuUsage();
  const machineBefore = machineTicks();
  const wallBefore = process.hrtime.bigint();
  return () => {
    const wallSec = Number(process.hrtime.bigint() - wallBefore) / 1e9;
    const loadgenCpu = process.cpuUsage(loadgenCpuBefore);
    const serverCpuAfter = options.serverCpuSeconds?.();
    const machineAfter = machineTicks();
    const span = machineBefore && machineAfter ? machineAfter.total - machineBefore.total : 0;
    return {
      serverCpuPercent:
        serverCpuBefore !== undefined && serverCpuAfter !== undefined
          ? ((serverCpuAfter - serverCpuBefore) / wallSec) * 100
          : undefined,
      loadgenCpuPercent: ((loadgenCpu.user + loadgenCpu.system) / 1e6 / wallSec) * 100,
      machineBusyPercent: span > 0 ? ((machineAfter!.busy - machineBefore!.busy) / span) * 100 : undefined,
      machineStealPercent: span > 0 ? ((machineAfter!.steal - machineBefore!.steal) / span) * 100 : undefined,
    };
  };
}

/** Cumulative ticks of all cores from /proc/stat: user nice system idle iowait irq softirq steal. */
function machineTicks(): { busy: number; steal: number; total: number } | undefined {
  try {
    const line = readFileSync("/proc/stat", "utf8").split("\n", 1)[0] ?? "";
    const ticks = line.trim().split(/\s+/).slice(1, 9).map(Number);
    if (ticks.length < 8 || ticks.some((v) => !Number.isFinite(v))) return undefined;
    const total = ticks.reduce((sum, v) => sum + v, 0);
    return { busy: total - ticks[3]! - ticks[4]!, steal: ticks[7]!, total };
  } catch {
    return undefined;
  }
}

/** What a client without autocannon counted over a run. */
export interface RunCounts {
  completed: number;
  non2xx: number;
  errors: number;
  timeouts: number;
}

/** The LoadSample of a run by a client of our own (no autocannon percentiles). */
export function sampleOf(
  counts: RunCounts,
  histogram: LatencyHistogram,
  durationSec: number,
  usage: Usage,
): LoadSample {
  return {
    requestsPerSec: counts.completed / durationSec,
    latencyP50Ms: histogram.percentileMs(0.5),
    latencyP99Ms: histogram.percentileMs(0.99),
    latencyMeanMs: histogram.meanMs(),
    autocannonP50Ms: Number.NaN,
    autocannonP99Ms: Number.NaN,
    requests: counts.completed,
    non2xx: counts.non2xx,
    errors: counts.errors,
    timeouts: counts.timeouts,
    durationSec,
    ...usage,
  };
}

/** The bytes of one HTTP/1.1 request; a Host among the headers wins over the URL's. */
export function requestBytes(url: URL, request: WorkloadRequest, close: boolean): Buffer {
  const body = Buffer.from(request.body ?? "");
  const headers = Object.entries(request.headers ?? {}).filter(
    ([name]) => !/^(connection|content-length)$/i.test(name),
  );
  if (!headers.some(([name]) => name.toLowerCase() === "host")) headers.unshift(["Host", url.host]);
  if (body.length > 0 || request.method === "PUT" || request.method === "POST")
    headers.push(["Content-Length", String(body.length)]);
  if (close) headers.push(["Connection", "close"]);
  const head = `${request.method ?? "GET"} ${request.path ?? "/"} HTTP/1.1\r\n${headers
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join("")}\r\n`;
  return Buffer.concat([Buffer.from(head, "latin1"), body]);
}
