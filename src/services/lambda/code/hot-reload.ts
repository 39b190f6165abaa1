/**
 * Hot reload, LocalStack's convention: CreateFunction/UpdateFunctionCode with Code
 * `{S3Bucket: "hot-reload", S3Key: "/absolute/local/dir"}` runs the function straight from that
 * directory, and a change under it makes the next invoke start fresh environments with the new code.
 *
 * `hotReloadCode` turns the S3 location into StoredCode (LocalStack reports CodeSha256
 * "hot-reloading-hash-not-available" and CodeSize 0 for such functions). `HotReloadWatchers` watches
 * each directory a function runs from (started when the function is created or resolved, so also
 * after a restart) and, once changes have settled for `debounceMs`, tells its listeners which
 * functions use it; invoke/ then retires their environments (see `restartEnvironmentsOnChange`).
 *
 * ## By design
 * - The marker bucket is "hot-reload", or BUCKET_MARKER_LOCAL as in LocalStack's configuration.
 *   Like LocalStack, `$VAR` / `${VAR}` in the path are expanded from Stratus's own environment.
 * - Directories named node_modules or .git are watched themselves (a package added or removed
 *   counts as a change) but not their subtrees, which can hold tens of thousands of directories.
 * - Environments are retired only while idle: an invoke in progress finishes with the code it
 *   started with, the next one starts a fresh environment.
 *
 * ## Gaps
 * - At most `watchedDirsMax` directories are watched per hot-reload directory.
 * - A directory stays watched until shutdown, also after its functions were deleted or moved to
 *   other code (a change then retires nothing).
 */
import { type FSWatcher, watch } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import { isAbsolute, join, normalize } from "node:path";
import { hotReloadPathNotAbsolute, hotReloadPathNotADirectory } from "../errors.ts";
import type { StoredCode } from "./code-store.ts";

/** What LocalStack reports as CodeSha256 of a hot-reload function. */
export const HOT_RELOAD_CODE_SHA256 = "hot-reloading-hash-not-available";

/** The S3Bucket value that means "run from a local directory". */
export function hotReloadBucket(): string {
  return process.env.BUCKET_MARKER_LOCAL || "hot-reload";
}

/** `$VAR` and `${VAR}` from Stratus's environment (unset variables stay as written, as in Python). */
function expandVariables(path: string): string {
  return path.replace(/\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))/g, (whole, a, b) => {
    const value = process.env[(a ?? b) as string];
    return value === undefined ? whole : value;
  });
}

/** The StoredCode of a hot-reload S3Key, or InvalidParameterValueException. */
export async function hotReloadCode(s3Key: string): Promise<StoredCode> {
  const expanded = expandVariables(s3Key);
  if (!isAbsolute(expanded)) throw hotReloadPathNotAbsolute(s3Key);
  const dir = normalize(expanded).replace(/(.)\/+$/, "$1");
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) throw hotReloadPathNotADirectory(s3Key);
  return { sha256Hex: "", codeSha256: HOT_RELOAD_CODE_SHA256, codeSize: 0, hotReloadDir: dir };
}

/** A function that runs from a hot-reload directory. */
export interface HotReloadUser {
  accountId: string;
  region: string;
  name: string;
}

export type HotReloadListener = (dir: string, users: readonly HotReloadUser[]) => void;

const SKIPPED_SUBTREES = new Set(["node_modules", ".git"]);
/** How often a hot-reload directory that disappeared is looked for again. */
const ROOT_RETRY_MS = 500;

/** The watchers of one directory tree. */
class TreeWatch {
  readonly users = new Map<string, HotReloadUser>();
  readonly #dirs = new Map<string, FSWatcher>();
  #timer: NodeJS.Timeout | undefined;
  #closed = false;
  #rootMissing = false;
  #rootIno: number | undefined;
  #scanning = false;
  #rescan = false;
  /** Debounced changes seen so far (tests and diagnostics). */
  generation = 0;

  constructor(
    readonly root: string,
    readonly debounceMs: number,
    readonly watchedDirsMax: number,
    readonly fire: (watch: TreeWatch) => void,
  ) {}

  /**
   * Watches every directory of the tree not yet watched (again after each change: new dirs). One scan
   * at a time: a scan asked for while one runs happens right after it.
   */
  async scan(): Promise<void> {
    if (this.#scanning) {
      this.#rescan = true;
      return;
    }
    this.#scanning = true;
    try {
      do {
        this.#rescan = false;
        await this.#scanOnce();
      } while (this.#rescan && !this.#closed);
    } finally {
      this.#scanning = false;
    }
  }

  async #scanOnce(): Promise<void> {
    if (this.#closed) return;
    // The whole directory can vanish for a moment (a build that empties and refills it): look again
    // until it is back, and count its return as a change.
    const root = await stat(this.root).catch(() => undefined);
    if (!root?.isDirectory()) {
      // Watchers of the old directories see nothing of the new ones: start over when it is back.
      for (const watcher of this.#dirs.values()) watcher.close();
      this.#dirs.clear();
      this.#rootMissing = true;
      const timer = setTimeout(() => void this.scan(), ROOT_RETRY_MS);
      timer.unref();
      return;
    }
    if (this.#rootMissing) {
      this.#rootMissing = false;
      this.#changed();
    }
    // Replaced between two looks (removed and created again): the old watchers watch nothing.
    if (this.#rootIno !== undefined && this.#rootIno !== root.ino) {
      for (const watcher of this.#dirs.values()) watcher.close();
      this.#dirs.clear();
    }
    this.#rootIno = root.ino;
    const seen = new Set<string>();
    const walk = async (dir: string): Promise<void> => {
      if (this.#closed || seen.size >= this.watchedDirsMax) return;
      seen.add(dir);
      if (!this.#dirs.has(dir)) {
        try {
          const watcher = watch(dir, { persistent: false }, () => this.#changed());
          watcher.on("error", () => {
            watcher.close();
            this.#dirs.delete(dir);
          });
          this.#dirs.set(dir, watcher);
        } catch {
          return;
        }
      }
      const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
      for (const entry of entries) {
        if (!entry.isDirectory()) continue;
        // node_modules and .git are watched themselves (a package added counts), never descended into.
        if (SKIPPED_SUBTREES.has(entry.name)) await this.#watchOnly(join(dir, entry.name), seen);
        else await walk(join(dir, entry.name));
      }
    };
    await walk(this.root);
    // Directories that disappeared (and everything, when closed while walking).
    for (const [dir, watcher] of this.#dirs) {
      if (this.#closed || !seen.has(dir)) {
        watcher.close();
        this.#dirs.delete(dir);
      }
    }
  }

  async #watchOnly(dir: string, seen: Set<string>): Promise<void> {
    seen.add(dir);
    if (this.#dirs.has(dir)) return;
    try {
      this.#dirs.set(
        dir,
        watch(dir, { persistent: false }, () => this.#changed()).on("error", () => {}),
      );
    } catch {
      // Gone already.
    }
  }

  #changed(): void {
    if (this.#closed) return;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.generation++;
      this.fire(this);
      void this.scan();
    }, this.debounceMs);
    this.#timer.unref();
  }

  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
    for (const watcher of this.#dirs.values()) watcher.close();
    this.#dirs.clear();
  }
}

export interface HotReloadOptions {
  /** Changes are reported once none came for this long. Default 300. */
  debounceMs?: number;
  /** Directories watched per hot-reload directory at most. Default 5000. */
  watchedDirsMax?: number;
}

export class HotReloadWatchers {
  readonly #trees = new Map<string, TreeWatch>();
  readonly #listeners: HotReloadListener[] = [];
  readonly #debounceMs: number;
  readonly #watchedDirsMax: number;

  constructor(options: HotReloadOptions = {}) {
    this.#debounceMs = options.debounceMs ?? 300;
    this.#watchedDirsMax = options.watchedDirsMax ?? 5000;
  }

  onChange(listener: HotReloadListener): void {
    this.#listeners.push(listener);
  }

  /** Starts watching `dir` for `user` (idempotent and cheap once watching). */
  watch(dir: string, user: HotReloadUser): void {
    let tree = this.#trees.get(dir);
    if (!tree) {
      tree = new TreeWatch(dir, this.#debounceMs, this.#watchedDirsMax, (t) => this.#fire(t));
      this.#trees.set(dir, tree);
      void tree.scan();
    }
    tree.users.set(`${user.accountId}\0${user.region}\0${user.name}`, user);
  }

  /** How many settled changes were seen under `dir` (0 when not watched). */
  generation(dir: string): number {
    return this.#trees.get(dir)?.generation ?? 0;
  }

  #fire(tree: TreeWatch): void {
    const users = [...tree.users.values()];
    for (const listener of this.#listeners) {
      try {
        listener(tree.root, users);
      } catch {
        // One listener's failure must not stop the others.
      }
    }
  }

  close(): void {
    for (const tree of this.#trees.values()) tree.close();
    this.#trees.clear();
  }
}
