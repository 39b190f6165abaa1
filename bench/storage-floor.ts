/**
 * storage-floor: how many durable writes a second Stratus's storage engine alone completes on this
 * machine's disk: the ceiling under every durable-write figure here (S3 PUT 1 KB, DynamoDB PutItem),
 * which answer only once their transaction is on disk.
 *
 * 32 writers (the benchmarks' connections) each run transactions back to back through the very store
 * Stratus opens (storage/lmdb-engine.ts: LMDB, group commit, acknowledged after fsync), each reading one
 * key and writing one ~1.4 KB value: about what a 1 KB PutObject commits. No HTTP, no signature, no
 * JSON: the figure is the disk's and the engine's. Also reported: the machine's fdatasync latency for
 * one 8 KiB write, which bounds how fast any group commit can turn around.
 */
import { closeSync, fdatasyncSync, mkdtempSync, openSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openLmdbStore } from "../src/storage/lmdb-engine.ts";
import type { BenchOptions } from "./harness.ts";
import { median, table } from "./lib/report.ts";
import { writeResult } from "./lib/results.ts";

const WRITERS = [1, 32] as const;
const VALUE_BYTES = 1400;
const FSYNC_SAMPLES = 200;

interface StorageRow {
  writers: number;
  commitsPerSecond: number[];
  p50Ms: number[];
}

async function measure(writers: number, seconds: number): Promise<{ rate: number; p50Ms: number }> {
  const dir = mkdtempSync(join(tmpdir(), "stratus-storage-floor-"));
  const store = await openLmdbStore(dir);
  const value = new Uint8Array(VALUE_BYTES).fill(7);
  const latencies: number[] = [];
  let done = 0;
  const started = performance.now();
  const end = started + seconds * 1000;
  const writer = async (id: number) => {
    // Bounded by the clock; the count bound only guards against a clock that does not move.
    for (let i = 0; i < 10_000_000 && performance.now() < end; i++) {
      const begun = performance.now();
      await store.transaction(async (tx) => {
        await tx.get(new Uint8Array([id, 0]));
        tx.put(new Uint8Array([id, 1, i & 0xff]), value);
      });
      latencies.push(performance.now() - begun);
      done++;
    }
  };
  try {
    await Promise.all(Array.from({ length: writers }, (_, id) => writer(id)));
    const elapsed = performance.now() - started;
    latencies.sort((a, b) => a - b);
    return { rate: (done * 1000) / elapsed, p50Ms: latencies[latencies.length >> 1] ?? 0 };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The median time of writing 8 KiB and fdatasync-ing it, in ms. */
function fdatasyncMs(): number {
  const dir = mkdtempSync(join(tmpdir(), "stratus-storage-floor-"));
  const fd = openSync(join(dir, "sync-test"), "w");
  const block = Buffer.alloc(8192, 1);
  const times: number[] = [];
  try {
    for (let i = 0; i < FSYNC_SAMPLES; i++) {
      const begun = performance.now();
      writeSync(fd, block, 0, block.length, (i % 16) * block.length);
      fdatasyncSync(fd);
      times.push(performance.now() - begun);
    }
  } finally {
    closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
  }
  return median(times);
}

export const storageFloor = {
  name: "storage-floor",
  async run(options: BenchOptions): Promise<{ summary: string }> {
    const syncMs = fdatasyncMs();
    console.log(`  fdatasync of 8 KiB: median ${syncMs.toFixed(2)} ms`);
    const rows: StorageRow[] = [];
    for (const writers of WRITERS) {
      const row: StorageRow = { writers, commitsPerSecond: [], p50Ms: [] };
      for (let round = 0; round < options.rounds; round++) {
        const { rate, p50Ms } = await measure(writers, options.seconds);
        row.commitsPerSecond.push(rate);
        row.p50Ms.push(p50Ms);
        console.log(`  ${writers} writer(s) round ${round + 1}: ${rate.toFixed(0)} durable transactions/s`);
      }
      rows.push(row);
    }
    console.log(
      table(
        [
          ["writers", "durable transactions/s (median)", "p50 latency"],
          ...rows.map((row) => [
            String(row.writers),
            median(row.commitsPerSecond).toLocaleString("en-US", { maximumFractionDigits: 0 }),
            `${median(row.p50Ms).toFixed(2)} ms`,
          ]),
        ],
        1,
      ),
    );
    const file = writeResult("storage-floor", { options, fdatasyncMs: syncMs, rows });
    console.log(`  (written to ${file})`);
    const at = (writers: number) =>
      median(rows.find((row) => row.writers === writers)?.commitsPerSecond ?? [0]);
    return {
      summary:
        `storage-floor: durable 1.4 KB transactions/s of the storage engine alone: ` +
        `${at(1).toFixed(0)} with 1 writer, ${at(32).toFixed(0)} with 32; fdatasync ${syncMs.toFixed(2)} ms`,
    };
  },
};
