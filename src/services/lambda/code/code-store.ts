/**
 * Function code on disk, content-addressed by the SHA-256 of the zip:
 *
 *   <blobDir>/lambda/zips/<sha256 hex>.zip   the deployment package as uploaded
 *   <blobDir>/lambda/code/<sha256 hex>/      the package extracted, where execution environments run from
 *   <blobDir>/lambda/tmp/                    temp names, renamed into place once complete
 *   <blobDir>/lambda/opt/<key>/              the merged /opt of an ordered set of layers (opt-dir.ts)
 *
 * Hot-reload code (hot-reload.ts) is not stored: StoredCode then names the developer's directory.
 *
 * A zip is written to a temp name, fsync'd and renamed; it is extracted into a temp directory that is
 * renamed into place, so a directory under code/ is always complete. The same package uploaded twice
 * (or by two functions) is stored once.
 *
 * ## By design
 * - Entry names are checked twice: yauzl refuses absolute paths and `..` segments, and every target
 *   path is checked to stay inside the extraction directory. Symbolic links in the zip are skipped.
 * - Unix permission bits from the zip are kept (a custom runtime's `bootstrap` must stay executable);
 *   entries without them get 0644 (files) / 0755 (directories).
 *
 * ## Gaps
 * - Packages no function uses any more are not removed yet.
 */
import { createHash, randomUUID } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, open, readdir, rename, rm, stat } from "node:fs/promises";
import { dirname, join, resolve, sep } from "node:path";
import { pipeline } from "node:stream/promises";
import yauzl from "yauzl";
import { couldNotUnzip, unzippedTooLarge } from "../errors.ts";
import { buildOptDir, optDirKey } from "./opt-dir.ts";

/** Lambda's quota for an extracted deployment package (Lambda quotas page). */
export const UNZIPPED_BYTES_MAX = 262_144_000;
/** At most this many entries in one package: a limit on work per upload. */
export const ZIP_ENTRIES_MAX = 100_000;

export interface StoredCode {
  /** Lowercase hex SHA-256 of the zip: the name of its files on disk. */
  sha256Hex: string;
  /** Base64 SHA-256 of the zip, as Lambda reports CodeSha256. */
  codeSha256: string;
  /** Bytes of the zip, as Lambda reports CodeSize. */
  codeSize: number;
  /**
   * Hot reload: the absolute local directory the function runs from (no zip; sha256Hex is then
   * empty, codeSha256 and codeSize are LocalStack's placeholders).
   */
  hotReloadDir?: string;
}

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;
const S_IFDIR = 0o040000;

export class CodeStore {
  readonly root: string;
  /** Extractions under way, so that two uploads of one package share the work. */
  readonly #pending = new Map<string, Promise<void>>();
  readonly #unzippedSizes = new Map<string, number>();

  constructor(blobDir: string) {
    this.root = join(blobDir, "lambda");
  }

  zipPath(sha256Hex: string): string {
    return join(this.root, "zips", `${sha256Hex}.zip`);
  }

  /** The extracted package: the task root (`LAMBDA_TASK_ROOT`) of the function's environments. */
  codeDir(sha256Hex: string): string {
    return join(this.root, "code", sha256Hex);
  }

  /** Bytes of the extracted package's files (counted once per package: its content never changes). */
  async unzippedBytes(sha256Hex: string): Promise<number> {
    let size = this.#unzippedSizes.get(sha256Hex);
    if (size === undefined) {
      size = await treeBytes(this.codeDir(sha256Hex));
      this.#unzippedSizes.set(sha256Hex, size);
    }
    return size;
  }

  /** Where a function's code runs from: its extracted package, or its hot-reload directory. */
  runDir(code: StoredCode): string {
    return code.hotReloadDir ?? this.codeDir(code.sha256Hex);
  }

  /** The merged /opt of these layer packages (in the function's order); see opt-dir.ts. */
  optDir(layerSha256Hexes: readonly string[]): string {
    return join(this.root, "opt", optDirKey(layerSha256Hexes));
  }

  /** Builds optDir(layerSha256Hexes) unless it exists; two callers share one build. */
  async ensureOptDir(layerSha256Hexes: readonly string[]): Promise<string> {
    const target = this.optDir(layerSha256Hexes);
    let work = this.#pending.get(target);
    if (!work) {
      const sources = layerSha256Hexes.map((sha) => this.codeDir(sha));
      work = buildOptDir(sources, target, join(this.root, "tmp")).finally(() => this.#pending.delete(target));
      this.#pending.set(target, work);
    }
    await work;
    return target;
  }

  /**
   * Validates, stores and extracts a zip. Throws InvalidParameterValueException when it is not a
   * readable zip or unpacks to more than Lambda allows.
   */
  async put(zip: Buffer): Promise<StoredCode> {
    const digest = createHash("sha256").update(zip).digest();
    const stored: StoredCode = {
      sha256Hex: digest.toString("hex"),
      codeSha256: digest.toString("base64"),
      codeSize: zip.length,
    };
    let work = this.#pending.get(stored.sha256Hex);
    if (!work) {
      work = this.#store(zip, stored.sha256Hex).finally(() => this.#pending.delete(stored.sha256Hex));
      this.#pending.set(stored.sha256Hex, work);
    }
    await work;
    return stored;
  }

  async #store(zip: Buffer, sha256Hex: string): Promise<void> {
    const target = this.codeDir(sha256Hex);
    if ((await exists(target)) && (await exists(this.zipPath(sha256Hex)))) return;
    const tmpDir = join(this.root, "tmp");
    await mkdir(tmpDir, { recursive: true });
    const extractTo = join(tmpDir, `${sha256Hex}.${randomUUID()}`);
    try {
      await extract(zip, extractTo);
    } catch (error) {
      await rm(extractTo, { recursive: true, force: true });
      throw error;
    }
    await writeDurably(join(tmpDir, `${sha256Hex}.${randomUUID()}.zip`), this.zipPath(sha256Hex), zip);
    await mkdir(dirname(target), { recursive: true });
    if (await exists(target)) {
      await rm(extractTo, { recursive: true, force: true });
      return;
    }
    await rename(extractTo, target);
  }
}

/** The total size of the regular files under `dir`. */
async function treeBytes(dir: string): Promise<number> {
  let total = 0;
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += await treeBytes(path);
    else if (entry.isFile()) total += (await stat(path)).size;
  }
  return total;
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

async function writeDurably(tmp: string, target: string, bytes: Buffer): Promise<void> {
  await mkdir(dirname(target), { recursive: true });
  const handle = await open(tmp, "w", 0o644);
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tmp, target);
}

function openZip(zip: Buffer): Promise<yauzl.ZipFile> {
  return new Promise((resolveZip, reject) => {
    yauzl.fromBuffer(zip, { lazyEntries: true, validateEntrySizes: true }, (error, file) => {
      if (error || !file) reject(couldNotUnzip());
      else resolveZip(file);
    });
  });
}

function openEntry(file: yauzl.ZipFile, entry: yauzl.Entry): Promise<NodeJS.ReadableStream> {
  return new Promise((resolveStream, reject) => {
    file.openReadStream(entry, (error, stream) => {
      if (error || !stream) reject(couldNotUnzip());
      else resolveStream(stream);
    });
  });
}

/** The next entry of the zip, or undefined at its end. */
function nextEntry(file: yauzl.ZipFile): Promise<yauzl.Entry | undefined> {
  return new Promise((resolveEntry, reject) => {
    const cleanup = () => {
      file.off("entry", onEntry);
      file.off("end", onEnd);
      file.off("error", onError);
    };
    const onEntry = (entry: yauzl.Entry) => {
      cleanup();
      resolveEntry(entry);
    };
    const onEnd = () => {
      cleanup();
      resolveEntry(undefined);
    };
    const onError = () => {
      cleanup();
      reject(couldNotUnzip());
    };
    file.on("entry", onEntry);
    file.on("end", onEnd);
    file.on("error", onError);
    file.readEntry();
  });
}

/** Extracts every file and directory of `zip` under `dir` (created), refusing anything unsafe. */
async function extract(zip: Buffer, dir: string): Promise<void> {
  const file = await openZip(zip);
  // An error between reads must not go unhandled: the reads in progress report it.
  file.on("error", () => {});
  await mkdir(dir, { recursive: true });
  const root = resolve(dir);
  let unzippedBytes = 0;
  let entries = 0;
  try {
    for (;;) {
      const entry = await nextEntry(file);
      if (entry === undefined) return;
      entries++;
      if (entries > ZIP_ENTRIES_MAX) throw couldNotUnzip();
      const target = resolve(root, entry.fileName);
      if (target !== root && !target.startsWith(root + sep)) throw couldNotUnzip();
      const unixMode = (entry.externalFileAttributes >>> 16) & 0xffff;
      const type = unixMode & S_IFMT;
      if (type === S_IFLNK) continue;
      if (entry.fileName.endsWith("/") || type === S_IFDIR) {
        await mkdir(target, { recursive: true, mode: 0o755 });
        continue;
      }
      unzippedBytes += entry.uncompressedSize;
      if (unzippedBytes > UNZIPPED_BYTES_MAX) throw unzippedTooLarge(UNZIPPED_BYTES_MAX);
      if (entry.isEncrypted() || !entry.canDecodeFileData()) throw couldNotUnzip();
      await mkdir(dirname(target), { recursive: true, mode: 0o755 });
      const permissions = unixMode & 0o777 ? (unixMode & 0o777) | 0o400 : 0o644;
      const stream = await openEntry(file, entry);
      try {
        await pipeline(stream, createWriteStream(target, { mode: permissions }));
      } catch {
        throw couldNotUnzip();
      }
    }
  } finally {
    file.close();
  }
}
