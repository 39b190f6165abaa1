/**
 * The merged /opt of a function's layers. On AWS every layer is extracted into /opt in the order the
 * function lists them, a later layer's files replacing an earlier one's. Stratus has no /opt to mount
 * (no containers, no root), so it builds that merge once per ordered set of layer packages under
 * `<blobDir>/lambda/opt/<key>/` and points the runtimes' search paths at it (environment.ts).
 *
 * The key is the SHA-256 of the ordered list of the layers' zip digests, so the same layers in the
 * same order share one directory, and the directory's content never changes once it is in place.
 * Files are hard links to the extracted layer packages (no copy, no extra space); where the file
 * system refuses a link the file is copied. The merge is built under a temp name and renamed into
 * place, so a directory under opt/ is always complete.
 *
 * ## Gaps
 * - Merged directories no function uses any more are not removed yet.
 */
import { createHash, randomUUID } from "node:crypto";
import type { Dirent } from "node:fs";
import { copyFile, link, lstat, mkdir, readdir, rename, rm, stat } from "node:fs/promises";
import { dirname, join } from "node:path";

export function optDirKey(layerSha256Hexes: readonly string[]): string {
  return createHash("sha256").update(layerSha256Hexes.join(",")).digest("hex");
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** Puts `source` (a file) at `target`, replacing whatever an earlier layer put there. */
async function placeFile(source: string, target: string): Promise<void> {
  const existing = await lstat(target).catch(() => undefined);
  if (existing) await rm(target, { recursive: true, force: true });
  try {
    await link(source, target);
  } catch {
    await copyFile(source, target);
  }
}

/** Merges the tree `source` into `target` (created), later calls overwriting earlier ones. */
async function mergeTree(source: string, target: string): Promise<void> {
  const existing = await lstat(target).catch(() => undefined);
  if (existing && !existing.isDirectory()) await rm(target, { force: true });
  await mkdir(target, { recursive: true, mode: 0o755 });
  let entries: Dirent[];
  try {
    entries = await readdir(source, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const from = join(source, entry.name);
    const to = join(target, entry.name);
    if (entry.isDirectory()) await mergeTree(from, to);
    else if (entry.isFile()) await placeFile(from, to);
    // The code store skips symbolic links when it extracts, so there are none to merge.
  }
}

/** Builds the merge of `sources` (extracted layer packages, in order) at `target` unless it exists. */
export async function buildOptDir(
  sources: readonly string[],
  target: string,
  tmpRoot: string,
): Promise<void> {
  if (await exists(target)) return;
  await mkdir(tmpRoot, { recursive: true });
  const work = join(tmpRoot, `opt.${randomUUID()}`);
  try {
    await mkdir(work, { recursive: true, mode: 0o755 });
    for (const source of sources) await mergeTree(source, work);
    await mkdir(dirname(target), { recursive: true });
    if (await exists(target)) return;
    await rename(work, target);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
