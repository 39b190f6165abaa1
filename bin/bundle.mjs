// Loads Stratus's TypeScript sources for the `stratus` command as one ESM bundle built by esbuild,
// kept under node_modules/.cache/stratus/ and rebuilt when a source file changes.
//
// Why not tsx, as the tests use: tsx's loader hooks run on a thread of their own, a second V8 isolate
// that stays for the life of the process. Measured idle: 155 MiB RSS through tsx, 77 MiB from the
// bundle — and an S3 upload of any size must stay under 150 MiB. The bundle also starts faster and runs
// without tsx's keepNames wrappers. Still no build step a user has to run: a checkout starts as is.
//
// STRATUS_NO_BUNDLE=1 loads the sources through tsx instead; so does a package directory that cannot
// be written (the bundle could not be kept).
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const entry = "src/cli/main.ts";
// STRATUS_BUNDLE_DIR moves it (tests keep theirs apart); it must stay under the package's node_modules,
// where the bundle's imports of dependencies resolve and src/package-root.ts finds the package.
const cacheDir = resolve(process.env.STRATUS_BUNDLE_DIR ?? join(root, "node_modules", ".cache", "stratus"));
const bundlePath = join(cacheDir, "main.mjs");
const manifestPath = join(cacheDir, "manifest.json");
/** Bumped when the build options below change, so an old bundle is not taken for a fresh one. */
const FORMAT = 1;
/** Files that shape the bundle without being one of its inputs. */
const SETTINGS = ["tsconfig.json", "package.json", "bin/bundle.mjs"];

function signature(path) {
  const stat = statSync(join(root, path), { throwIfNoEntry: false });
  return stat ? `${stat.size}:${stat.mtimeMs}` : "missing";
}

/** True when the kept bundle was built from the files as they are now. */
function isFresh() {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
  } catch {
    return false;
  }
  if (manifest.format !== FORMAT || manifest.node !== process.version) return false;
  for (const [path, kept] of Object.entries(manifest.files)) {
    if (signature(path) !== kept) return false;
  }
  return statSync(bundlePath, { throwIfNoEntry: false }) !== undefined;
}

/** Builds into files of its own, then renames them into place: servers starting side by side may race. */
async function build() {
  const { build: esbuild } = await import("esbuild");
  mkdirSync(cacheDir, { recursive: true });
  const unique = `${process.pid}.${randomBytes(4).toString("hex")}`;
  const outfile = join(cacheDir, `main.${unique}.mjs`);
  const started = Date.now();
  const result = await esbuild({
    absWorkingDir: root,
    entryPoints: [entry],
    bundle: true,
    platform: "node",
    format: "esm",
    target: `node${process.versions.node.split(".")[0]}`,
    // Dependencies stay in node_modules, resolved from the bundle's place inside it.
    packages: "external",
    outfile,
    sourcemap: "linked",
    metafile: true,
    logLevel: "error",
  });
  // A file saved while the build read it may not be in the bundle: its signature is left unmatched,
  // so that the next start builds again.
  const files = {};
  for (const path of [...Object.keys(result.metafile.inputs), ...SETTINGS]) {
    const stat = statSync(join(root, path), { throwIfNoEntry: false });
    files[path] =
      stat !== undefined && stat.mtimeMs >= started ? "changed during the build" : signature(path);
  }
  renameSync(`${outfile}.map`, `${bundlePath}.map`);
  // The bundle names its map by its own temporary name; point it at the kept one.
  const code = readFileSync(outfile, "utf8").replace(
    /\/\/# sourceMappingURL=\S+\s*$/,
    "//# sourceMappingURL=main.mjs.map\n",
  );
  writeFileSync(outfile, code);
  renameSync(outfile, bundlePath);
  const manifestTemp = join(cacheDir, `manifest.${unique}.json`);
  writeFileSync(manifestTemp, JSON.stringify({ format: FORMAT, node: process.version, files }));
  renameSync(manifestTemp, manifestPath);
}

/** Imports Stratus's command-line entry point. */
export async function loadStratus() {
  if (process.env.STRATUS_NO_BUNDLE !== "1") {
    let usable = isFresh();
    if (!usable) {
      try {
        await build();
        usable = true;
      } catch (error) {
        if (!["EACCES", "EROFS", "EPERM"].includes(error?.code)) throw error;
      }
    }
    if (usable) {
      await import(pathToFileURL(resolve(bundlePath)).href);
      return;
    }
  }
  const { register } = await import("tsx/esm/api");
  register();
  await import(pathToFileURL(join(root, entry)).href);
}
