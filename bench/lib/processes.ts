/**
 * Contestant processes: each server under test runs in its own child process, so the load generator
 * (in the bench process) never shares an event loop or a core's scheduling slot with it.
 *
 * A child is ready once it has printed its base URL on stdout (matched by a pattern) and, if asked,
 * answered a 2xx on a readiness path. Every child started here is tracked; `stopAll` ends them, and an
 * `exit` hook SIGKILLs whatever is left, so an error or Ctrl-C never leaves a server behind.
 *
 * A server that starts processes of its own (serverless-offline spawns a Python process per function
 * instance and leaves them behind when it is killed) runs in its own process group (`processGroup`):
 * signals then go to the whole group, and the group is SIGKILLed once its leader has exited.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";

export interface ContestantSpec {
  /** Shown in tables and summaries: "Stratus", "bare node:http". */
  readonly label: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd?: string;
  /** Added to the bench process's environment. */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * Matched against each stdout line; its first group is the base URL (no trailing slash), or a bare
   * `host:port`, taken as `http://host:port` (s3rver prints "S3rver listening on 127.0.0.1:4568").
   */
  readonly urlPattern: RegExp;
  /** Match `urlPattern` against stderr lines too (servers that log there, such as werkzeug's). */
  readonly urlOnStderr?: boolean;
  /** Polled with GET after the URL is known until it answers 2xx. */
  readonly readyPath?: string;
  /** From spawn to ready. */
  readonly readyTimeoutMs?: number;
  /** Run it in a process group of its own, and signal the whole group (see the header). */
  readonly processGroup?: boolean;
}

export interface RunningContestant {
  readonly label: string;
  readonly url: string;
  readonly pid: number;
  /** Set once the process has exited (expectedly or not). */
  readonly exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  /** User + system CPU seconds the process has used so far; undefined where /proc is unavailable. */
  cpuSeconds(): number | undefined;
  /** The last lines the child wrote (stdout and stderr), for error messages. */
  outputTail(): string;
  /** SIGTERM, then SIGKILL after `graceMs`. Resolves once the process is gone. */
  stop(graceMs?: number): Promise<void>;
}

const READY_TIMEOUT_MS_DEFAULT = 30_000;
const READY_POLL_INTERVAL_MS = 100;
const READY_POLL_REQUEST_TIMEOUT_MS = 2_000;
const STOP_GRACE_MS_DEFAULT = 5_000;
const OUTPUT_TAIL_LINES_MAX = 40;
/** Linux reports /proc/<pid>/stat times in USER_HZ ticks, 100 per second on every mainstream arch. */
const PROC_TICKS_PER_SECOND = 100;

/** Each running child, and whether it leads a process group of its own. */
const live = new Map<ChildProcess, boolean>();
let hooksInstalled = false;

/** Starts a contestant and resolves once it is ready; on any failure the child is already stopped. */
export async function startContestant(spec: ContestantSpec): Promise<RunningContestant> {
  installHooks();
  const readyTimeoutMs = spec.readyTimeoutMs ?? READY_TIMEOUT_MS_DEFAULT;
  const deadline = Date.now() + readyTimeoutMs;
  const child = spawn(spec.command, [...spec.args], {
    cwd: spec.cwd,
    env: { ...process.env, ...spec.env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: spec.processGroup === true,
  });
  const group = spec.processGroup === true;
  live.set(child, group);
  const tail: string[] = [];
  const remember = (line: string) => {
    tail.push(line);
    if (tail.length > OUTPUT_TAIL_LINES_MAX) tail.shift();
  };
  let exit: RunningContestant["exit"];
  const exited = new Promise<void>((resolve) => {
    child.once("exit", (code, signal) => {
      exit = { code, signal };
      live.delete(child);
      // What the leader started and left behind goes with it.
      if (group) sendSignal(child, "SIGKILL", true);
      resolve();
    });
  });
  // Both streams are drained for the child's whole life: a full pipe would stall its event loop.
  const stdoutLines = createInterface({ input: child.stdout! });
  const stderrLines = createInterface({ input: child.stderr! });
  stderrLines.on("line", (line) => remember(`[stderr] ${line}`));

  const stop = async (graceMs = STOP_GRACE_MS_DEFAULT) => {
    if (exit) return;
    sendSignal(child, "SIGTERM", group);
    const timer = setTimeout(() => sendSignal(child, "SIGKILL", group), graceMs);
    await exited;
    clearTimeout(timer);
  };

  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${spec.label}: no URL printed within ${readyTimeoutMs} ms`)),
        readyTimeoutMs,
      );
      const match = (line: string) => {
        const found = spec.urlPattern.exec(line);
        if (found?.[1]) {
          clearTimeout(timer);
          const base = found[1].replace(/\/+$/, "");
          resolve(base.includes("://") ? base : `http://${base}`);
        }
      };
      stdoutLines.on("line", (line) => {
        remember(line);
        match(line);
      });
      if (spec.urlOnStderr) stderrLines.on("line", match);
      child.once("error", (error) => {
        clearTimeout(timer);
        reject(new Error(`${spec.label}: could not start: ${error.message}`));
      });
      void exited.then(() => {
        clearTimeout(timer);
        reject(new Error(`${spec.label}: exited before it was ready (${describeExit(exit)})`));
      });
    });
    if (spec.readyPath !== undefined) await pollReady(spec.label, url + spec.readyPath, deadline, () => exit);
    return {
      label: spec.label,
      url,
      pid: child.pid!,
      get exit() {
        return exit;
      },
      cpuSeconds: () => procCpuSeconds(child.pid!),
      outputTail: () => tail.join("\n"),
      stop,
    };
  } catch (error) {
    await stop();
    const output = tail.length > 0 ? `\n--- last output of ${spec.label} ---\n${tail.join("\n")}` : "";
    throw new Error(`${(error as Error).message}${output}`);
  }
}

/** Stops every child still running, in parallel. */
export async function stopAll(graceMs = STOP_GRACE_MS_DEFAULT): Promise<void> {
  await Promise.all(
    [...live].map(
      ([child, group]) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          const timer = setTimeout(() => sendSignal(child, "SIGKILL", group), graceMs);
          child.once("exit", () => {
            clearTimeout(timer);
            resolve();
          });
          sendSignal(child, "SIGTERM", group);
        }),
    ),
  );
}

/** Signals the child, or its whole process group; a group or child already gone is no error. */
function sendSignal(child: ChildProcess, signal: NodeJS.Signals, group: boolean): void {
  if (group && child.pid !== undefined) {
    try {
      process.kill(-child.pid, signal);
      return;
    } catch {
      // The group is empty (ESRCH): nothing left to signal but, perhaps, the child itself.
    }
  }
  child.kill(signal);
}

export function describeExit(exit: RunningContestant["exit"]): string {
  if (!exit) return "still running";
  return exit.signal ? `killed by ${exit.signal}` : `exit code ${exit.code}`;
}

async function pollReady(
  label: string,
  url: string,
  deadline: number,
  exitOf: () => RunningContestant["exit"],
): Promise<void> {
  let lastProblem = "no attempt";
  const attemptsMax = Math.ceil((deadline - Date.now()) / READY_POLL_INTERVAL_MS) + 1;
  for (let attempt = 0; attempt < attemptsMax && Date.now() < deadline; attempt++) {
    const exit = exitOf();
    if (exit) throw new Error(`${label}: exited before it was ready (${describeExit(exit)})`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(READY_POLL_REQUEST_TIMEOUT_MS) });
      await response.arrayBuffer();
      if (response.ok) return;
      lastProblem = `HTTP ${response.status}`;
    } catch (error) {
      lastProblem = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, READY_POLL_INTERVAL_MS));
  }
  throw new Error(`${label}: ${url} did not answer 2xx before the deadline (last: ${lastProblem})`);
}

function procCpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name (which may hold spaces) start at "state"; utime and stime are
    // fields 14 and 15 of the whole line, i.e. indexes 11 and 12 after the closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? ticks / PROC_TICKS_PER_SECOND : undefined;
  } catch {
    return undefined;
  }
}

function installHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  // Last resort: whatever way the bench process ends, no server survives it.
  process.on("exit", () => {
    for (const [child, group] of live) sendSignal(child, "SIGKILL", group);
  });
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      process.stderr.write(`\nbench: ${signal}, stopping servers...\n`);
      stopAll(2_000).then(
        () => process.exit(signal === "SIGINT" ? 130 : 143),
        () => process.exit(1),
      );
    });
  }
}
