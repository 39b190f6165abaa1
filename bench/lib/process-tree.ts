/**
 * CPU time of a process and all its descendants, from /proc.
 *
 * A Lambda emulator's work is split between its own process and the function processes it starts
 * (Stratus: one child per execution environment; serverless-offline: worker threads inside its
 * process, but a child per Python function instance). Comparing the main processes alone would hide
 * half the cost, so the lambda benchmark reads the whole tree.
 *
 * ## By design
 * - Descendants are found through the parent pid of every process in /proc, read at each call: one
 *   pass over /proc, a few hundred small files, only at the start and end of a run.
 * - A descendant that exited between two readings takes its CPU time with it, unless its parent has
 *   reaped it (then it moves to the parent's cutime/cstime, counted here). A run's figure may therefore
 *   be a little low when environments end during it; environments of a warm run do not.
 */
import { readdirSync, readFileSync } from "node:fs";

/** Linux reports /proc/<pid>/stat times in USER_HZ ticks, 100 per second on every mainstream arch. */
const PROC_TICKS_PER_SECOND = 100;

interface ProcStat {
  readonly ppid: number;
  /** utime + stime + cutime + cstime, in ticks. */
  readonly ticks: number;
}

/** User + system CPU seconds of `rootPid` and its descendants (reaped children included). */
export function processTreeCpuSeconds(rootPid: number): number | undefined {
  const stats = new Map<number, ProcStat>();
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return undefined;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(Number(entry));
    if (stat) stats.set(Number(entry), stat);
  }
  if (!stats.has(rootPid)) return undefined;
  const children = new Map<number, number[]>();
  for (const [pid, stat] of stats) {
    const siblings = children.get(stat.ppid);
    if (siblings) siblings.push(pid);
    else children.set(stat.ppid, [pid]);
  }
  let ticks = 0;
  const pending = [rootPid];
  for (let pid = pending.pop(); pid !== undefined; pid = pending.pop()) {
    ticks += stats.get(pid)?.ticks ?? 0;
    pending.push(...(children.get(pid) ?? []));
  }
  return ticks / PROC_TICKS_PER_SECOND;
}

function readStat(pid: number): ProcStat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    // After the command name (which may hold spaces and parentheses): state ppid ... with utime,
    // stime, cutime, cstime at indexes 11 to 14.
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
    const ticks = [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0);
    const ppid = Number(fields[1]);
    return Number.isFinite(ticks) && Number.isFinite(ppid) ? { ppid, ticks } : undefined;
  } catch {
    // The process ended while /proc was being read.
    return undefined;
  }
}
