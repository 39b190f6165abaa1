/**
 * `npm run bench [-- NAME ...]`: runs the registered benchmarks (all, or those named) one after the
 * other, then prints their summary lines together. Exits 1 if any failed. Knobs: see harness.ts.
 */

import { apigateway } from "./apigateway.ts";
import { dynamodb } from "./dynamodb.ts";
import { edgeOverhead } from "./edge-overhead.ts";
import { type Benchmark, type BenchOptions, optionsFromEnv, runBenchmark } from "./harness.ts";
import { lambda } from "./lambda.ts";
import { lambdaFloor } from "./lambda-floor.ts";
import { s3 } from "./s3.ts";
import { s3Large } from "./s3-large.ts";
import { storageFloor } from "./storage-floor.ts";

/** A benchmark as run here: a two-contestant `Benchmark` (harness.ts), or one with its own runner. */
interface Runnable {
  readonly name: string;
  /** `failed`: the benchmark ran but part of it failed (a contestant of a matrix, say). */
  run(options: BenchOptions): Promise<{ readonly summary: string; readonly failed?: boolean }>;
}

function sideBySide(benchmark: Benchmark): Runnable {
  return { name: benchmark.name, run: (options) => runBenchmark(benchmark, options) };
}

/** Every benchmark, in run order. Add new ones here. */
const BENCHMARKS: readonly Runnable[] = [
  sideBySide(edgeOverhead),
  dynamodb,
  lambda,
  lambdaFloor,
  s3,
  s3Large,
  storageFloor,
  apigateway,
];

async function main(args: readonly string[]): Promise<number> {
  let options: BenchOptions;
  try {
    options = optionsFromEnv();
  } catch (error) {
    console.error(`bench: ${(error as Error).message}`);
    return 2;
  }
  const unknown = args.filter((name) => !BENCHMARKS.some((b) => b.name === name));
  if (unknown.length > 0) {
    console.error(`bench: unknown benchmark(s): ${unknown.join(", ")}`);
    console.error(`available: ${BENCHMARKS.map((b) => b.name).join(", ")}`);
    return 2;
  }
  const selected = args.length > 0 ? BENCHMARKS.filter((b) => args.includes(b.name)) : BENCHMARKS;

  const summaries: string[] = [];
  let failed = 0;
  for (const benchmark of selected) {
    try {
      const result = await benchmark.run(options);
      summaries.push(result.summary);
      if (result.failed) {
        failed++;
        console.error(`\nbench: ${benchmark.name}: part of it failed (see above)`);
      }
    } catch (error) {
      failed++;
      summaries.push(`${benchmark.name}: FAILED`);
      console.error(`\nbench: ${benchmark.name} failed: ${(error as Error).message}`);
    }
  }
  const mode = options.quick ? " (quick mode: not a measurement)" : "";
  console.log(`\nSummary${mode}:\n${summaries.map((line) => `  ${line}`).join("\n")}`);
  return failed > 0 ? 1 : 0;
}

process.exitCode = await main(process.argv.slice(2));
// Everything is stopped by now; should a stray handle keep the loop alive, do not hang for it.
setTimeout(() => process.exit(), 5_000).unref();
