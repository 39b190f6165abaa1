/** Temporary directories of the benchmarks, removed when done or, failing that, when the bench exits. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * A fresh temporary directory per contestant that needs one, removed by `dispose`, or at exit when
 * the bench is interrupted (Ctrl-C ends the process without running `dispose`).
 */
export function withTempDir(prefix: string) {
  let dir: string | undefined;
  const dispose = () => {
    if (dir) rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
    dir = undefined;
    process.off("exit", disposeQuietly);
  };
  const disposeQuietly = () => {
    try {
      dispose();
    } catch {
      // Best effort: the process is ending.
    }
  };
  return {
    create: () => {
      dir = mkdtempSync(join(tmpdir(), prefix));
      process.once("exit", disposeQuietly);
      return dir;
    },
    dispose,
  };
}
