/**
 * Keeps `npm run bench` from rotting: one quick round of edge-overhead must run and print its summary.
 * It asserts that the harness works, never how fast anything is.
 *
 * Only edge-overhead: the dynamodb benchmark starts four servers (moto among them, which CI may lack)
 * and takes over 30 s even in quick mode.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { describe, it } from "node:test";

describe("npm run bench (quick mode)", () => {
  it("runs edge-overhead side by side and prints a ratio", () => {
    const root = new URL("../..", import.meta.url).pathname;
    const result = spawnSync(process.execPath, ["--import", "tsx", "bench/run.ts", "edge-overhead"], {
      cwd: root,
      env: { ...process.env, BENCH_QUICK: "1" },
      encoding: "utf8",
      timeout: 90_000,
    });
    assert.equal(result.status, 0, result.stderr);
    assert.match(
      result.stdout,
      /edge-overhead: Stratus [\d,]+ req\/s .* vs bare node:http [\d,]+ req\/s .*→ [\d.]+x throughput/,
    );
  });
});
