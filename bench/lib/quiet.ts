/**
 * The pause between two measured runs: long enough for the previous run's sockets to close, and then
 * until the machine is quiet again, so that one contestant's leftovers are not charged to the next.
 *
 * Why: a server does not stop working when its load generator does. moto (Python) goes on serving
 * queued 1 MB responses, and the kernel goes on writing back what a PUT run wrote, for a second or more
 * after the client closes. On 2 cores that took half the CPU from whichever contestant ran next: Stratus's
 * GET 1 MB measured 1,649 / 833 / 991 MB/s over three rounds of one run (session 4), depending on who ran
 * before it. Quiet means the whole machine's CPU was at least QUIET_IDLE_SHARE idle over one sample.
 * The wait is bounded: on a machine that never gets quiet, the run goes on after QUIET_WAIT_MAX_MS.
 */
import { readFileSync } from "node:fs";

/** The shortest pause: sockets of the previous run close. */
const SETTLE_MS = 250;
const QUIET_SAMPLE_MS = 200;
const QUIET_IDLE_SHARE = 0.8;
const QUIET_WAIT_MAX_MS = 5_000;

export async function settle(): Promise<void> {
  await sleep(SETTLE_MS);
  const started = Date.now();
  let before = cpuTimes();
  // Bounded by QUIET_WAIT_MAX_MS / QUIET_SAMPLE_MS samples.
  while (before !== undefined && Date.now() - started < QUIET_WAIT_MAX_MS) {
    await sleep(QUIET_SAMPLE_MS);
    const after = cpuTimes();
    if (after === undefined) return;
    const total = after.total - before.total;
    if (total > 0 && (after.idle - before.idle) / total >= QUIET_IDLE_SHARE) return;
    before = after;
  }
}

/** The machine's CPU time so far (all cores, in clock ticks), from /proc/stat; undefined off Linux. */
function cpuTimes(): { idle: number; total: number } | undefined {
  let text: string;
  try {
    text = readFileSync("/proc/stat", "latin1");
  } catch {
    return undefined;
  }
  const line = text.slice(0, text.indexOf("\n"));
  // cpu  user nice system idle iowait irq softirq steal ...
  const fields = line.trim().split(/\s+/).slice(1).map(Number);
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
  const total = fields.reduce((sum, value) => sum + (Number.isFinite(value) ? value : 0), 0);
  return { idle, total };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
