/**
 * bin/stratus.js runs Stratus from an esbuild bundle kept under node_modules/.cache: built on first
 * start, reused while no source changes, rebuilt when one does. Each test keeps its bundle in a
 * directory of its own.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { promisify } from "node:util";
import { STRATUS_BIN } from "../support/cli-process.ts";

const run = promisify(execFile);
const root = new URL("../..", import.meta.url).pathname;
const bundleDirs: string[] = [];
after(async () => {
  for (const dir of bundleDirs) await rm(dir, { recursive: true, force: true });
});

async function bundleDir(): Promise<string> {
  const dir = await mkdtemp(join(root, "node_modules", ".cache", "stratus-test-"));
  bundleDirs.push(dir);
  return dir;
}

async function version(env: NodeJS.ProcessEnv): Promise<string> {
  const { stdout } = await run(process.execPath, [STRATUS_BIN, "--version"], {
    env: { ...process.env, ...env },
    timeout: 60_000,
  });
  return stdout.trim();
}

const packageVersion = (JSON.parse(await readFile(join(root, "package.json"), "utf8")) as { version: string })
  .version;

describe("the stratus command's bundle", () => {
  it("is built on first start, reused while the sources are unchanged, rebuilt when one changes", async () => {
    const dir = await bundleDir();
    const bundle = join(dir, "main.mjs");
    assert.match(
      await version({ STRATUS_BUNDLE_DIR: dir }),
      new RegExp(packageVersion.replaceAll(".", "\\.")),
    );
    const manifest = JSON.parse(await readFile(join(dir, "manifest.json"), "utf8")) as {
      files: Record<string, string>;
    };
    assert.ok(manifest.files["src/cli/main.ts"], "the manifest lists the entry point");
    assert.ok(manifest.files["src/version.ts"], "and the modules it imports");
    const built = (await stat(bundle)).mtimeMs;

    await version({ STRATUS_BUNDLE_DIR: dir });
    assert.equal((await stat(bundle)).mtimeMs, built, "an unchanged tree reuses the bundle");

    // A source whose size or time differs from the kept one's makes the bundle stale.
    manifest.files["src/version.ts"] = "0:0";
    await writeFile(join(dir, "manifest.json"), JSON.stringify(manifest));
    await version({ STRATUS_BUNDLE_DIR: dir });
    assert.notEqual((await stat(bundle)).mtimeMs, built, "a changed source rebuilds it");
    const rebuilt = JSON.parse(await readFile(join(dir, "manifest.json"), "utf8")) as typeof manifest;
    assert.notEqual(rebuilt.files["src/version.ts"], "0:0");
  });

  it("loads the sources through tsx when STRATUS_NO_BUNDLE=1, building nothing", async () => {
    const dir = await bundleDir();
    assert.match(await version({ STRATUS_BUNDLE_DIR: dir, STRATUS_NO_BUNDLE: "1" }), /\d+\.\d+\.\d+/);
    await assert.rejects(stat(join(dir, "main.mjs")), { code: "ENOENT" });
  });
});
