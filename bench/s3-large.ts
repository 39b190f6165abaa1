/**
 * s3-large: one large object on Stratus and on s3rver, one after the other: its upload (a single
 * streamed PUT) while the server's RSS is sampled every 50 ms, then its download, timed. The issue's
 * targets: RSS flat during the upload (bodies are streamed to disk, never held), 1 MB-class GETs at
 * ≥ 1 GB/s — here measured as the throughput of one large GET over one connection.
 *
 * 1 GiB by default; BENCH_QUICK=1 uses 256 MiB; BENCH_S3_LARGE_MB sets it.
 */
import { readFileSync } from "node:fs";
import { request } from "node:http";
import type { BenchOptions } from "./harness.ts";
import type { MatrixContestant } from "./lib/matrix.ts";
import { type RunningContestant, startContestant, stopAll } from "./lib/processes.ts";
import { table } from "./lib/report.ts";
import { s3rver, stratus } from "./s3.ts";
import { BUCKET, callS3, signS3 } from "./s3-client.ts";

const MiB = 1024 * 1024;
const CHUNK = Buffer.alloc(MiB, 0x61);
const SAMPLE_MS = 50;
const TRANSFER_TIMEOUT_MS = 600_000;

interface LargeResult {
  label: string;
  uploadMiBps: number;
  rssBeforeMiB: number;
  rssPeakUploadMiB: number;
  /** The peak RSS in each quarter of the upload's duration. */
  rssUploadQuarterPeaksMiB: number[];
  downloadMiBps: number;
  rssPeakDownloadMiB: number;
}

function rssMiB(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    return kb / 1024;
  } catch {
    return 0;
  }
}

/**
 * Samples the process's RSS while `work` runs; answers the work's result, the peak, and the peak of
 * each quarter of the work's duration: a flat RSS has the same peak in the last quarter as in the first,
 * whatever the size of the object.
 */
async function sampled<T>(
  pid: number,
  work: () => Promise<T>,
): Promise<{ result: T; peakMiB: number; quarterPeaksMiB: number[] }> {
  const samples: { at: number; rss: number }[] = [{ at: performance.now(), rss: rssMiB(pid) }];
  const timer = setInterval(() => {
    samples.push({ at: performance.now(), rss: rssMiB(pid) });
  }, SAMPLE_MS);
  try {
    const result = await work();
    samples.push({ at: performance.now(), rss: rssMiB(pid) });
    const start = samples[0]!.at;
    const span = Math.max(1, samples[samples.length - 1]!.at - start);
    const quarterPeaksMiB = [0, 0, 0, 0];
    for (const { at, rss } of samples) {
      const quarter = Math.min(3, Math.floor(((at - start) / span) * 4));
      quarterPeaksMiB[quarter] = Math.max(quarterPeaksMiB[quarter]!, rss);
    }
    return { result, peakMiB: Math.max(...samples.map((sample) => sample.rss)), quarterPeaksMiB };
  } finally {
    clearInterval(timer);
  }
}

async function upload(url: string, key: string, sizeMiB: number): Promise<number> {
  const signed = await signS3(url, "PUT", `/${BUCKET}/${key}`);
  const target = new URL(url);
  const started = performance.now();
  await new Promise<void>((resolve, reject) => {
    const req = request(
      {
        host: target.hostname,
        port: target.port,
        method: "PUT",
        path: signed.path,
        headers: { ...signed.headers, "content-length": String(sizeMiB * MiB) },
        timeout: TRANSFER_TIMEOUT_MS,
      },
      (res) => {
        res.resume();
        res.on("end", () =>
          res.statusCode === 200 ? resolve() : reject(new Error(`PUT answered ${res.statusCode}`)),
        );
      },
    );
    req.on("error", reject);
    let sent = 0;
    const pump = () => {
      while (sent < sizeMiB) {
        sent++;
        if (!req.write(CHUNK)) {
          req.once("drain", pump);
          return;
        }
      }
      req.end();
    };
    pump();
  });
  return sizeMiB / ((performance.now() - started) / 1000);
}

async function download(url: string, key: string, sizeMiB: number): Promise<number> {
  const signed = await signS3(url, "GET", `/${BUCKET}/${key}`);
  const target = new URL(url);
  const started = performance.now();
  const received = await new Promise<number>((resolve, reject) => {
    const req = request(
      {
        host: target.hostname,
        port: target.port,
        method: "GET",
        path: signed.path,
        headers: signed.headers,
        timeout: TRANSFER_TIMEOUT_MS,
      },
      (res) => {
        let bytes = 0;
        res.on("data", (chunk: Buffer) => {
          bytes += chunk.length;
        });
        res.on("end", () => resolve(bytes));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end();
  });
  if (received !== sizeMiB * MiB) throw new Error(`GET gave ${received} bytes, not ${sizeMiB * MiB}`);
  return sizeMiB / ((performance.now() - started) / 1000);
}

async function measure(contestant: MatrixContestant, sizeMiB: number): Promise<LargeResult> {
  const spec = await contestant.spec();
  if ("skip" in spec) throw new Error(spec.skip);
  let running: RunningContestant | undefined;
  try {
    running = await startContestant(spec);
    const { url, pid } = running;
    await callS3(url, "PUT", `/${BUCKET}`);
    const rssBeforeMiB = rssMiB(pid);
    const up = await sampled(pid, () => upload(url, "large.bin", sizeMiB));
    const down = await sampled(pid, () => download(url, "large.bin", sizeMiB));
    return {
      label: contestant.label,
      uploadMiBps: up.result,
      rssBeforeMiB,
      rssPeakUploadMiB: up.peakMiB,
      rssUploadQuarterPeaksMiB: up.quarterPeaksMiB,
      downloadMiBps: down.result,
      rssPeakDownloadMiB: down.peakMiB,
    };
  } finally {
    await running?.stop();
    await contestant.dispose?.();
  }
}

function sizeFrom(options: BenchOptions): number {
  const given = process.env.BENCH_S3_LARGE_MB;
  if (given !== undefined && /^[1-9][0-9]*$/.test(given)) return Number(given);
  return options.quick ? 256 : 1024;
}

export const s3Large = {
  name: "s3-large",
  async run(options: BenchOptions): Promise<{ summary: string; failed?: boolean }> {
    const sizeMiB = sizeFrom(options);
    const rows: string[][] = [];
    let failed = false;
    try {
      for (const contestant of [stratus(), s3rver()]) {
        try {
          const r = await measure(contestant, sizeMiB);
          console.log(`  ${r.label}: ${JSON.stringify(r)}`);
          rows.push([
            r.label,
            r.uploadMiBps.toFixed(0),
            r.rssBeforeMiB.toFixed(0),
            r.rssPeakUploadMiB.toFixed(0),
            r.rssUploadQuarterPeaksMiB.map((rss) => rss.toFixed(0)).join(" / "),
            r.downloadMiBps.toFixed(0),
            r.rssPeakDownloadMiB.toFixed(0),
          ]);
        } catch (error) {
          failed = true;
          console.error(`  ${contestant.label}: FAILED: ${(error as Error).message.split("\n")[0]}`);
          rows.push([contestant.label, "FAILED", "-", "-", "-", "-", "-"]);
        }
      }
    } finally {
      await stopAll();
    }
    const header = [
      "contestant",
      "PUT MiB/s",
      "RSS before",
      "RSS peak PUT",
      "PUT quarters' peaks",
      "GET MiB/s",
      "RSS peak GET",
    ];
    const summary = `s3-large: one ${sizeMiB} MiB object, single streamed PUT then GET (RSS in MiB)\n${table([header, ...rows])}`;
    return { summary, failed };
  },
};
