/**
 * The quota on a function's package plus its layers, unzipped, checked on real extracted packages in
 * a code store with a small limit (Lambda's is 262,144,000 bytes, too large to build in a test).
 */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { CodeStore } from "../../../../src/services/lambda/code/code-store.ts";
import { checkCombinedSize } from "../../../../src/services/lambda/layers/function-layers.ts";
import type { LambdaStore } from "../../../../src/services/lambda/store.ts";
import { makeZip } from "../helpers.ts";

describe("Lambda layers: code plus layers size quota", () => {
  let dir = "";
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "stratus-combined-size-"));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("counts the package and every layer, unzipped, against the limit", async () => {
    const code = new CodeStore(dir);
    const store = { code } as unknown as LambdaStore;
    const fn = await code.put(Buffer.from(makeZip({ "index.js": "x".repeat(400) })));
    const one = await code.put(Buffer.from(makeZip({ "a/b.txt": "y".repeat(300) })));
    const two = await code.put(Buffer.from(makeZip({ "c.txt": "z".repeat(300) })));
    assert.equal(await code.unzippedBytes(fn.sha256Hex), 400);
    const layers = [one, two].map((c, i) => ({
      arn: `arn:${i}`,
      codeSize: c.codeSize,
      sha256Hex: c.sha256Hex,
    }));
    await checkCombinedSize(store, fn, layers, 1000);
    await assert.rejects(checkCombinedSize(store, fn, layers, 999), {
      name: "InvalidParameterValueException",
      message:
        "Function code combined with layers exceeds the maximum allowed size of 999 bytes. The actual size is 1000 bytes.",
    });
    // Without layers the package's own quota applies (checked when it is extracted), not this one.
    await checkCombinedSize(store, fn, [], 10);
  });
});
