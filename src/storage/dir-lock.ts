/**
 * One Stratus process per data dir. LMDB itself allows several processes, but the transaction mutex and
 * the overlay of not-yet-durable commits live in one process's memory, so a second writer would break
 * serialisability. The lock is a LOCK file holding the owner's pid, created exclusively; a LOCK left by a
 * process that no longer exists (kill -9, power loss) is taken over.
 */
import { open, readFile, unlink } from "node:fs/promises";
import { join } from "node:path";

export interface DirLock {
  /** Removes the LOCK file; safe to call more than once. */
  release(): Promise<void>;
}

export const LOCK_FILE = "LOCK";

export async function lockDir(dir: string): Promise<DirLock> {
  const path = join(dir, LOCK_FILE);
  // Two rounds: the second follows the removal of a stale lock (bounded, never a spin).
  for (let round = 0; round < 2; round++) {
    try {
      const handle = await open(path, "wx");
      try {
        await handle.writeFile(`${process.pid}\n`);
      } finally {
        await handle.close();
      }
      let released = false;
      return {
        async release() {
          if (released) return;
          released = true;
          await unlink(path).catch(() => {});
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const owner = Number.parseInt(await readFile(path, "utf8").catch(() => ""), 10);
    if (Number.isInteger(owner) && owner > 0 && isAlive(owner)) {
      const who = owner === process.pid ? "this process" : `process ${owner}`;
      throw new Error(`Data dir ${dir} is in use by ${who} (remove ${path} if that is wrong)`);
    }
    await unlink(path).catch(() => {});
  }
  throw new Error(`Data dir ${dir}: could not take ${path}: another process keeps taking it`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0); // signal 0: only asks whether the process exists
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM"; // exists, owned by someone else
  }
}
