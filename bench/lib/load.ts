/**
 * One load run: autocannon, in the bench process, against one contestant's URL for a fixed time.
 *
 * Latency percentiles come from our own histogram fed by autocannon's `response` event, not from
 * autocannon's result: autocannon 9 records latencies in an integer-millisecond HDR histogram, so a
 * p50 near 1 ms would read as 1 or 2. Ours has 10 µs buckets. Like autocannon, it counts 2xx only.
 *
 * CPU use is measured on both sides (the server through /proc, the bench process through
 * `process.cpuUsage`), in percent of one core: a load generator near 100% is the bottleneck, and the
 * figure then says more about autocannon than about the server. The whole machine's busy share (from
 * /proc/stat) tells a quiet run from a disturbed one: when server and bench are both well under 100%
 * of a core and the machine is not busy either, the cores were taken away from outside (a shared host).
 */
import { readFileSync } from "node:fs";
import autocannon from "autocannon";

export interface Workload {
  readonly method?: "GET" | "HEAD" | "POST" | "PUT" | "DELETE";
  /** Path and query, starting with "/". */
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
}

export interface LoadOptions {
  readonly connections: number;
  readonly seconds: number;
  /** Reads the server's CPU seconds so far, if known. */
  readonly serverCpuSeconds?: () => number | undefined;
}

export interface LoadSample {
  /** Completed requests per second of wall time. */
  readonly requestsPerSec: number;
  readonly latencyP50Ms: number;
  readonly latencyP99Ms: number;
  readonly latencyMeanMs: number;
  /** autocannon's own (integer-millisecond) percentiles, kept for comparison. */
  readonly autocannonP50Ms: number;
  readonly autocannonP99Ms: number;
  readonly requests: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly timeouts: number;
  readonly durationSec: number;
  /** Percent of one core; undefined where the server's CPU time cannot be read. */
  readonly serverCpuPercent: number | undefined;
  readonly loadgenCpuPercent: number;
  /** Busy share of all cores together (0..100), guest steal included; undefined without /proc/stat. */
  readonly machineBusyPercent: number | undefined;
  /** Time the hypervisor ran something else while a core wanted to run (0..100 of all cores). */
  readonly machineStealPercent: number | undefined;
}

const BUCKET_US = 10;
/** 10 s, autocannon's own request timeout: no 2xx latency can be longer. */
const BUCKETS = 1_000_000;
/** A run may overrun its duration while in-flight requests finish; past this it is stopped. */
const OVERRUN_MS_MAX = 15_000;
/** After a forced stop, how long to wait for autocannon's result before giving up. */
const STOP_WAIT_MS_MAX = 5_000;

/** A fixed-bucket latency histogram: O(1) record, bounded memory (4 MB), reused between runs. */
class LatencyHistogram {
  private readonly counts = new Uint32Array(BUCKETS);
  private total = 0;
  private sumMs = 0;

  reset(): void {
    this.counts.fill(0);
    this.total = 0;
    this.sumMs = 0;
  }

  record(ms: number): void {
    const bucket = Math.min(BUCKETS - 1, Math.floor((ms * 1000) / BUCKET_US));
    this.counts[bucket] = (this.counts[bucket] ?? 0) + 1;
    this.total++;
    this.sumMs += ms;
  }

  /** The upper edge of the bucket holding the p-th fraction (0..1) of values; 0 when empty. */
  percentileMs(p: number): number {
    if (this.total === 0) return 0;
    const rank = Math.max(1, Math.ceil(p * this.total));
    let seen = 0;
    for (let bucket = 0; bucket < BUCKETS; bucket++) {
      seen += this.counts[bucket] ?? 0;
      if (seen >= rank) return ((bucket + 1) * BUCKET_US) / 1000;
    }
    return (BUCKETS * BUCKET_US) / 1000;
  }

  meanMs(): number {
    return this.total === 0 ? 0 : this.sumMs / this.total;
  }
}

const histogram = new LatencyHistogram();

/** Runs autocannon against `baseUrl` + workload path for `options.seconds` and summarises the run. */
export function runLoad(baseUrl: string, workload: Workload, options: LoadOptions): Promise<LoadSample> {
  histogram.reset();
  const serverCpuBefore = options.serverCpuSeconds?.();
  const loadgenCpuBefore = process.cpuUsage();
  const machineBefore = machineTicks();
  const wallBefore = process.hrtime.bigint();

  return new Promise<LoadSample>((resolve, reject) => {
    let settled = false;
    let stopTimer: NodeJS.Timeout | undefined;
    let giveUpTimer: NodeJS.Timeout | undefined;
    const finish = (error: Error | undefined, result: autocannon.Result | undefined) => {
      if (settled) return;
      settled = true;
      clearTimeout(stopTimer);
      clearTimeout(giveUpTimer);
      if (error || !result) return reject(error ?? new Error("autocannon returned no result"));
      const wallSec = Number(process.hrtime.bigint() - wallBefore) / 1e9;
      const loadgenCpu = process.cpuUsage(loadgenCpuBefore);
      const serverCpuAfter = options.serverCpuSeconds?.();
      const machineAfter = machineTicks();
      const machine =
        machineBefore && machineAfter && machineAfter.total > machineBefore.total
          ? {
              busy:
                ((machineAfter.busy - machineBefore.busy) / (machineAfter.total - machineBefore.total)) * 100,
              steal:
                ((machineAfter.steal - machineBefore.steal) / (machineAfter.total - machineBefore.total)) *
                100,
            }
          : undefined;
      const completed = result.requests.total;
      resolve({
        requestsPerSec: result.duration > 0 ? completed / result.duration : 0,
        latencyP50Ms: histogram.percentileMs(0.5),
        latencyP99Ms: histogram.percentileMs(0.99),
        latencyMeanMs: histogram.meanMs(),
        autocannonP50Ms: result.latency.p50,
        autocannonP99Ms: result.latency.p99,
        requests: completed,
        non2xx: result.non2xx,
        errors: result.errors,
        timeouts: result.timeouts,
        durationSec: result.duration,
        serverCpuPercent:
          serverCpuBefore !== undefined && serverCpuAfter !== undefined
            ? ((serverCpuAfter - serverCpuBefore) / wallSec) * 100
            : undefined,
        loadgenCpuPercent: ((loadgenCpu.user + loadgenCpu.system) / 1e6 / wallSec) * 100,
        machineBusyPercent: machine?.busy,
        machineStealPercent: machine?.steal,
      });
    };

    const instance = autocannon(
      {
        url: baseUrl + workload.path,
        method: workload.method ?? "GET",
        headers: { ...workload.headers },
        ...(workload.body !== undefined ? { body: workload.body } : {}),
        connections: options.connections,
        duration: options.seconds,
        pipelining: 1,
      },
      (error, result) => finish(error ?? undefined, result),
    );
    instance.on("response", (_client, statusCode, _bytes, responseTimeMs) => {
      if (statusCode >= 200 && statusCode < 300) histogram.record(responseTimeMs);
    });
    // Bounded in time whatever the server does: stop, then give up waiting for the result.
    stopTimer = setTimeout(
      () => {
        instance.stop();
        giveUpTimer = setTimeout(
          () => finish(new Error(`autocannon did not finish against ${baseUrl}`), undefined),
          STOP_WAIT_MS_MAX,
        );
      },
      options.seconds * 1000 + OVERRUN_MS_MAX,
    );
  });
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
