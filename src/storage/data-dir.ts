/**
 * The data dir: what `stratus start --data-dir` points at. It carries a FORMAT file with the on-disk
 * format version, so that a newer Stratus can migrate an older dir and an older Stratus refuses a newer
 * one instead of misreading it. Layout (format 1):
 *   FORMAT   {"format":1,"createdBy":"stratus 0.1.0"}
 *   LOCK     pid of the Stratus process using the dir (see dir-lock.ts)
 *   kv/      the LMDB environment (data.mdb, lock.mdb)
 * Other components keep their own subdirs here (large bodies, function code).
 */
import { mkdir, open, readdir, readFile, rename } from "node:fs/promises";
import { join, resolve } from "node:path";
import { VERSION } from "../version.ts";
import { type DirLock, LOCK_FILE, lockDir } from "./dir-lock.ts";
import type { KvStore } from "./kv.ts";
import { type LmdbKvStore, openLmdbStore } from "./lmdb-engine.ts";
import { openMemoryStore } from "./memory-engine.ts";

/** The format this code writes, and the newest it can open. */
export const DATA_FORMAT = 1;

const FORMAT_FILE = "FORMAT";
const FORMAT_TEMP = "FORMAT.tmp";

/**
 * Upgrades, keyed by the format they start from: MIGRATIONS[n] turns a dir of format n into format n+1
 * (reading and rewriting data, never dropping it). FORMAT is rewritten after each step, so a migration
 * interrupted by a crash resumes at the step it was in, which must therefore be safe to run again.
 * Empty: format 1 is the first.
 */
const MIGRATIONS: Readonly<Record<number, (dir: string) => Promise<void>>> = {};

interface FormatFile {
  format: number;
  createdBy: string;
}

export async function openStorage(options: { dataDir: string; inMemory: boolean }): Promise<KvStore> {
  return options.inMemory ? openMemoryStore() : openDataDir(options.dataDir);
}

export async function openDataDir(dir: string): Promise<LmdbKvStore> {
  const root = resolve(dir);
  await mkdir(root, { recursive: true });
  const entries = await readdir(root);
  if (!entries.includes(FORMAT_FILE) && entries.some((name) => name !== FORMAT_TEMP && name !== LOCK_FILE)) {
    throw new Error(`Refusing to use ${root} as a Stratus data dir: it is not empty and has no FORMAT file`);
  }
  const lock = await lockDir(root);
  try {
    let current = await readFormat(root);
    if (current === undefined) {
      current = { format: DATA_FORMAT, createdBy: `stratus ${VERSION}` };
      await writeFormat(root, current);
    }
    if (current.format > DATA_FORMAT) {
      throw new Error(
        `Data dir ${root} has format ${current.format}, newer than the format ${DATA_FORMAT} this Stratus ${VERSION} supports: use a newer Stratus`,
      );
    }
    while (current.format < DATA_FORMAT) {
      const migrate = MIGRATIONS[current.format];
      if (migrate === undefined)
        throw new Error(`Data dir ${root}: no migration from format ${current.format}`);
      await migrate(root);
      current = { ...current, format: current.format + 1 };
      await writeFormat(root, current);
    }
    return withLock(await openLmdbStore(join(root, "kv")), lock);
  } catch (error) {
    await lock.release();
    throw error;
  }
}

async function readFormat(root: string): Promise<FormatFile | undefined> {
  let text: string;
  try {
    text = await readFile(join(root, FORMAT_FILE), "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  let parsed: Partial<FormatFile> | undefined;
  try {
    parsed = JSON.parse(text) as Partial<FormatFile>;
  } catch {
    parsed = undefined;
  }
  const format = parsed?.format;
  if (typeof format !== "number" || !Number.isInteger(format) || format < 1) {
    throw new Error(
      `Data dir ${root} has an unreadable ${FORMAT_FILE} file (expected {"format": <integer>, ...})`,
    );
  }
  return { format, createdBy: String(parsed?.createdBy ?? "unknown") };
}

/** Replaces FORMAT atomically (temp file, fsync, rename, fsync of the dir): never half-written. */
async function writeFormat(root: string, format: FormatFile): Promise<void> {
  const temp = join(root, FORMAT_TEMP);
  const file = await open(temp, "w");
  try {
    await file.writeFile(`${JSON.stringify(format)}\n`);
    await file.sync();
  } finally {
    await file.close();
  }
  await rename(temp, join(root, FORMAT_FILE));
  const dirHandle = await open(root, "r");
  try {
    await dirHandle.sync();
  } finally {
    await dirHandle.close();
  }
}

/** The store, with close() also giving the data dir back. */
function withLock(store: LmdbKvStore, lock: DirLock): LmdbKvStore {
  return {
    get: (key) => store.get(key),
    range: (range) => store.range(range),
    generation: (namespace) => store.generation(namespace),
    transaction: (work) => store.transaction(work),
    stats: () => store.stats(),
    async close() {
      try {
        await store.close();
      } finally {
        await lock.release();
      }
    },
  };
}
