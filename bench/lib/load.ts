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
 *
 * ## Servers that close every connection
 * autocannon assumes keep-alive: after a response it writes the next request on the same socket at
 * once, so against a server that answers `Connection: close` (werkzeug, hence moto_server) requests are
 * lost in closing sockets and its figures mean nothing. With `connectionPerRequest`, a small client
 * of its own runs instead: each of the N connections opens a socket, sends one request with
 * `Connection: close`, reads the answer, and starts again, which is what any client of such a server
 * does. Its latency includes the TCP connect.
 */
import { readFileSync } from "node:fs";
import { connect } from "node:net";
import autocannon from "autocannon";

export interface Workload {
  readonly method?: "GET" | "HEAD" | "POST" | "PUT" | "DELETE";
  /** Path and query, starting with "/". */
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  /**
   * Several requests instead of one: each connection sends them in turn, in order, over and over; the
   * fields above are then defaults. Connection k starts at request k (modulo their number), so a pool at
   * least as large as the connection count never has two connections in step on the same request.
   * Each connection gets its own copy, built before its first request: meant for pools of hundreds,
   * not of hundreds of thousands.
   */
  readonly requests?: readonly WorkloadRequest[];
}

/** One request of a pool; a Host header given here is sent instead of the URL's. */
export interface WorkloadRequest {
  readonly method?: "GET" | "HEAD" | "POST" | "PUT" | "DELETE";
  readonly path?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
}

export interface LoadOptions {
  readonly connections: number;
  readonly seconds: number;
  /** Reads the server's CPU seconds so far, if known. */
  readonly serverCpuSeconds?: () => number | undefined;
  /** The server closes the connection after each response: use a new connection per request. */
  readonly connectionPerRequest?: boolean;
}

export interface LoadSample {
  /** Completed requests per second of wall time. */
  readonly requestsPerSec: number;
  readonly latencyP50Ms: number;
  readonly latencyP99Ms: number;
  readonly latencyMeanMs: number;
  /** autocannon's own (integer-millisecond) percentiles, kept for comparison; NaN without autocannon. */
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

type Usage = Pick<
  LoadSample,
  "serverCpuPercent" | "loadgenCpuPercent" | "machineBusyPercent" | "machineStealPercent"
>;

/** Starts the CPU meters of one run; the function returned reads them at its end. */
function startMeters(options: LoadOptions): () => Usage {
  const serverCpuBefore = options.serverCpuSeconds?.();
  const loadgenCpuBefore = process.cpuUsage();
  const machineBefore = machineTicks();
  const wallBefore = process.hrtime.bigint();
  return () => {
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
              ((machineAfter.steal - machineBefore.steal) / (machineAfter.total - machineBefore.total)) * 100,
          }
        : undefined;
    return {
      serverCpuPercent:
        serverCpuBefore !== undefined && serverCpuAfter !== undefined
          ? ((serverCpuAfter - serverCpuBefore) / wallSec) * 100
          : undefined,
      loadgenCpuPercent: ((loadgenCpu.user + loadgenCpu.system) / 1e6 / wallSec) * 100,
      machineBusyPercent: machine?.busy,
      machineStealPercent: machine?.steal,
    };
  };
}

/** Runs autocannon against `baseUrl` + workload path for `options.seconds` and summarises the run. */
export function runLoad(baseUrl: string, workload: Workload, options: LoadOptions): Promise<LoadSample> {
  if (options.connectionPerRequest) return runConnectionPerRequest(baseUrl, workload, options);
  histogram.reset();
  const stopMeters = startMeters(options);

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
      const usage = stopMeters();
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
        ...usage,
      });
    };

    const instance = autocannon(
      {
        url: baseUrl + workload.path,
        method: workload.method ?? "GET",
        headers: { ...workload.headers },
        ...(workload.body !== undefined ? { body: workload.body } : {}),
        ...(workload.requests !== undefined && workload.requests.length > 0
          ? { requests: copyOf(workload.requests, 0), setupClient: rotatingPool(workload.requests) }
          : {}),
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

/** autocannon's own timeout, applied per request by the connection-per-request client too. */
const REQUEST_TIMEOUT_MS = 10_000;

/**
 * The client for servers that close every connection (see the header): `connections` loops, each
 * opening a socket per request. Connection k starts at request k of the pool, as with autocannon.
 */
async function runConnectionPerRequest(
  baseUrl: string,
  workload: Workload,
  options: LoadOptions,
): Promise<LoadSample> {
  const url = new URL(baseUrl);
  const pool = (workload.requests?.length ? workload.requests : [workload]).map((r) =>
    requestBytes(url, { ...workload, ...r }),
  );
  histogram.reset();
  const counts = { completed: 0, non2xx: 0, errors: 0, timeouts: 0 };
  const stopMeters = startMeters(options);
  const started = performance.now();
  const deadline = started + options.seconds * 1000;
  const loop = async (k: number) => {
    for (let i = k; performance.now() < deadline; i++) {
      const outcome = await exchange(url, pool[i % pool.length]!);
      if (outcome.status === undefined) {
        counts[outcome.timedOut ? "timeouts" : "errors"]++;
        continue;
      }
      counts.completed++;
      if (outcome.status >= 200 && outcome.status < 300) histogram.record(outcome.ms);
      else counts.non2xx++;
    }
  };
  await Promise.all(Array.from({ length: options.connections }, (_, k) => loop(k)));
  const durationSec = (performance.now() - started) / 1000;
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
    ...stopMeters(),
  };
}

/** An HTTP/1.1 request with `Connection: close`; a Host among the headers wins over the URL's. */
function requestBytes(url: URL, request: WorkloadRequest): Buffer {
  const body = Buffer.from(request.body ?? "");
  const headers = Object.entries(request.headers ?? {}).filter(
    ([name]) => !/^(connection|content-length)$/i.test(name),
  );
  if (!headers.some(([name]) => name.toLowerCase() === "host")) headers.unshift(["Host", url.host]);
  if (body.length > 0) headers.push(["Content-Length", String(body.length)]);
  headers.push(["Connection", "close"]);
  const head = `${request.method ?? "GET"} ${request.path ?? "/"} HTTP/1.1\r\n${headers
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join("")}\r\n`;
  return Buffer.concat([Buffer.from(head, "latin1"), body]);
}

/** One request on its own connection: the status and latency, or how it failed. */
function exchange(
  url: URL,
  bytes: Buffer,
): Promise<{ status: number; ms: number; timedOut?: never } | { status?: never; timedOut: boolean }> {
  return new Promise((resolve) => {
    const started = performance.now();
    const socket = connect({ host: url.hostname, port: Number(url.port) });
    socket.setNoDelay(true);
    let received: Buffer = Buffer.alloc(0);
    let status: number | undefined;
    let bodyStart = -1;
    let length: number | undefined;
    let done = false;
    const end = (outcome: Parameters<typeof resolve>[0]) => {
      if (done) return;
      done = true;
      socket.destroy();
      resolve(outcome);
    };
    socket.setTimeout(REQUEST_TIMEOUT_MS, () => end({ timedOut: true }));
    socket.once("connect", () => socket.write(bytes));
    socket.once("error", () => end({ timedOut: false }));
    socket.on("data", (chunk: Buffer) => {
      received = received.length === 0 ? chunk : Buffer.concat([received, chunk]);
      if (bodyStart < 0) {
        const headEnd = received.indexOf("\r\n\r\n");
        if (headEnd < 0) return;
        const head = received.subarray(0, headEnd).toString("latin1");
        status = Number(head.slice(9, 12));
        const declared = /\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1];
        length = declared === undefined ? undefined : Number(declared);
        bodyStart = headEnd + 4;
      }
      if (length !== undefined && received.length - bodyStart >= length) {
        end({ status: status!, ms: performance.now() - started });
      }
    });
    socket.once("end", () =>
      end(status === undefined ? { timedOut: false } : { status, ms: performance.now() - started }),
    );
  });
}

/** Fresh request objects (autocannon caches each one's bytes on it), starting at `offset`. */
function copyOf(requests: readonly WorkloadRequest[], offset: number): autocannon.Request[] {
  return requests.map((_, i) => {
    const r = requests[(i + offset) % requests.length]!;
    return { ...r, ...(r.headers !== undefined ? { headers: { ...r.headers } } : {}) } as autocannon.Request;
  });
}

/** Gives the k-th connection the pool rotated by k, as it is created (before its first request). */
function rotatingPool(requests: readonly WorkloadRequest[]): (client: autocannon.Client) => void {
  let created = 0;
  return (client) => {
    const offset = created++ % requests.length;
    if (offset > 0) client.setRequests(copyOf(requests, offset));
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
