/** Where benchmarks keep their full results (`.bench/<name>.json`) and what they say of the machine. */
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { join } from "node:path";
import { RESULTS_DIR } from "../harness.ts";

/** The machine a run was measured on; `loadavgBefore` is read when the run starts. */
export function machineFacts(loadavgBefore: number[]): Record<string, unknown> {
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? "unknown",
    memoryBytes: totalmem(),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    loadavgBefore,
    loadavgAfter: loadavg(),
  };
}

/** Writes `.bench/<name>.json` and answers its path. */
export function writeResult(name: string, result: unknown): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, `${name}.json`);
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  return file;
}
