// How each Lambda runtime identifier starts its bootstrap. Node.js and Python run Stratus's own
// bootstraps (runtimes/node, runtimes/python) on the machine's node and python3; provided.* runs
// the function's own `bootstrap` executable, as AWS does.
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { packagePath } from "../../../package-root.ts";

/** The repository's runtimes/ directory. */
export const runtimesDir = `${packagePath("runtimes")}/`;

export interface RuntimeLaunch {
  command: string;
  args: string[];
  /** LAMBDA_RUNTIME_DIR. */
  runtimeDir: string;
  family: "node" | "python" | "provided";
}

/** Null when the runtime identifier is not one Stratus can run. */
export function launchFor(runtime: string, codeDir: string, memorySizeMB: number): RuntimeLaunch | null {
  if (/^nodejs\d+\.x$/.test(runtime)) {
    const runtimeDir = join(runtimesDir, "node");
    // V8's heap limit below MemorySize leaves room for the rest of the process (AWS does the same).
    const heapMB = Math.max(32, Math.floor(memorySizeMB * 0.9));
    return {
      command: process.execPath,
      args: [`--max-old-space-size=${heapMB}`, join(runtimeDir, "bootstrap.mjs")],
      runtimeDir,
      family: "node",
    };
  }
  if (/^python3\.\d+$/.test(runtime)) {
    const runtimeDir = join(runtimesDir, "python");
    return {
      command: pythonExecutable(),
      args: ["-u", "-S", join(runtimeDir, "bootstrap.py")], // -S: bootstrap.py adds site-packages itself
      runtimeDir,
      family: "python",
    };
  }
  if (runtime === "provided" || runtime === "provided.al2" || runtime === "provided.al2023") {
    return { command: join(codeDir, "bootstrap"), args: [], runtimeDir: codeDir, family: "provided" };
  }
  return null;
}

let python: string | undefined;

/**
 * The real python3 binary, resolved once: version-manager shims (pyenv) cost 100 ms or more per
 * start, a third of a cold start.
 */
function pythonExecutable(): string {
  if (python === undefined) {
    try {
      python =
        execFileSync("python3", ["-c", "import sys; print(sys.executable)"], {
          encoding: "utf8",
          timeout: 5000,
        }).trim() || "python3";
    } catch {
      python = "python3";
    }
  }
  return python;
}
