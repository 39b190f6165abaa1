/**
 * Deterministic zips of a function's code folder, as `sam package` makes them for CodeUri/ContentUri:
 * entries sorted by path, every timestamp fixed, Unix permissions kept (a `bootstrap` stays
 * executable). The same folder therefore always gives the same bytes, so its SHA-256 names the upload
 * and an unchanged folder is neither uploaded again nor seen as a change by CloudFormation.
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { type ZipAttributes, zipSync } from "fflate";

/**
 * 1980-01-01 00:00 in local time: the earliest DOS timestamp. fflate writes the local-time fields of
 * the Date, so a Date built from local fields gives the same bytes in every time zone.
 */
const FIXED_MTIME = new Date(1980, 0, 1, 0, 0, 0);
/** PKZIP "version made by" host: Unix, so that the permission bits in `attrs` are read. */
const UNIX_HOST = 3;
const REGULAR_FILE = 0o100000;

export interface FolderZip {
  readonly bytes: Uint8Array;
  readonly sha256: string;
  readonly fileCount: number;
}

/** Every regular file below `folder` (symbolic links followed), as sorted `/`-separated paths. */
export function listFiles(folder: string): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      const stat = statSync(path);
      if (stat.isDirectory()) walk(path);
      else if (stat.isFile()) files.push(relative(folder, path).split(sep).join("/"));
    }
  };
  walk(folder);
  // Plain code-unit order, independent of the locale and of the file system's listing order.
  return files.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The folder's files in one zip, byte for byte the same for the same contents and permissions. */
export function zipFolder(folder: string): FolderZip {
  const entries: Record<string, [Uint8Array, ZipAttributes]> = {};
  const files = listFiles(folder);
  for (const path of files) {
    const full = join(folder, ...path.split("/"));
    const mode = statSync(full).mode;
    entries[path] = [readFileSync(full), { mtime: FIXED_MTIME, os: UNIX_HOST, attrs: unixAttributes(mode) }];
  }
  const bytes = zipSync(entries, { level: 6, mtime: FIXED_MTIME });
  return { bytes, sha256: sha256Hex(bytes), fileCount: files.length };
}

/** One file in a zip of its own (a CodeUri naming a single script), under its base name. */
export function zipSingleFile(file: string, name: string): FolderZip {
  const mode = statSync(file).mode;
  const bytes = zipSync(
    { [name]: [readFileSync(file), { mtime: FIXED_MTIME, os: UNIX_HOST, attrs: unixAttributes(mode) }] },
    { level: 6, mtime: FIXED_MTIME },
  );
  return { bytes, sha256: sha256Hex(bytes), fileCount: 1 };
}

/** Unix file type and permission bits in the high half of the external attributes, as `zip` writes them. */
function unixAttributes(mode: number): number {
  return ((REGULAR_FILE | (mode & 0o777)) << 16) >>> 0;
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}
