/**
 * The directory of Stratus's own package (where package.json, runtimes/ and src/ are), found by walking
 * up from this module. Walking, rather than a fixed "../..", because the same code runs from its own
 * file under src/ (through tsx, in tests) and from the bundle bin/stratus.js builds under
 * node_modules/.cache/stratus/ — where every module shares one import.meta.url.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

function findPackageRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, "package.json");
    if (
      existsSync(manifest) &&
      (JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name === "stratus"
    ) {
      return dir;
    }
    if (dirname(dir) === dir) throw new Error(`Stratus's package.json was not found above ${from}`);
  }
}

export const packageRoot: string = findPackageRoot(dirname(fileURLToPath(import.meta.url)));

/** A path inside Stratus's package. */
export function packagePath(...segments: string[]): string {
  return join(packageRoot, ...segments);
}
