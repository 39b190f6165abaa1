#!/usr/bin/env node
// Runs every test file under test/ with Node's own test runner (TypeScript through tsx).
// Node 20 takes no glob patterns after --test, so the files are listed here.
// Usage: npm test [-- DIR_OR_FILE ...]   e.g. npm test -- test/unit
import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const roots = process.argv.slice(2).filter((a) => !a.startsWith("--"));
const passThrough = process.argv.slice(2).filter((a) => a.startsWith("--"));

function collect(path, out) {
  const info = statSync(path);
  if (info.isFile()) {
    if (path.endsWith(".test.ts")) out.push(path);
    return out;
  }
  for (const entry of readdirSync(path).sort()) {
    if (entry === "node_modules" || entry === "fixtures") continue;
    collect(join(path, entry), out);
  }
  return out;
}

const files = (roots.length ? roots : ["test"]).flatMap((r) => collect(join(root, r), []));
if (files.length === 0) {
  console.error("no test files found");
  process.exit(1);
}
const args = [
  "--import",
  "tsx",
  "--test",
  "--test-concurrency=2",
  "--test-timeout=120000",
  "--test-reporter=spec",
  ...passThrough,
  ...files.map((f) => relative(root, f)),
];
const result = spawnSync(process.execPath, args, { cwd: root, stdio: "inherit" });
process.exit(result.status ?? 1);
