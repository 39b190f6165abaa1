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
import { connect } from "node:net";
import autocannon from "autocannon";
import { LatencyHistogram, requestBytes, sampleOf, startMeters } from "./load-meters.ts";

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

/** A run may overrun its duration while in-flight requests finish; past this it is stopped. */
const OVERRUN_MS_MAX = 15_000;
/** After a forced stop, how long to wait for autocannon's result before giving up. */
const STOP_WAIT_MS_MAX = 5_000;

const histogram = new LatencyHistogram();

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
    requestBytes(url, { ...workload, ...r }, true),
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
  return sampleOf(counts, histogram, durationSec, stopMeters());
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
