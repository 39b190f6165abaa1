import assert from "node:assert/strict";
import { test } from "node:test";
import { InlineBodyCache } from "../../../src/services/s3/inline-bodies.ts";

test("the inline body cache keeps recent bodies within its byte bound and forgets deleted ones", () => {
  const cache = new InlineBodyCache();
  const body = new Uint8Array(128 * 1024).fill(1);
  cache.set("ifirst", body);
  assert.equal(cache.get("ifirst"), body);
  cache.delete("ifirst");
  assert.equal(cache.get("ifirst"), undefined);
  // 32 MiB hold 256 bodies of 128 KiB: the 300 set below push the oldest out, least recently used first.
  cache.set("ikept", body);
  for (let i = 0; i < 300; i++) {
    cache.set(`i${i}`, body);
    if (i % 10 === 0) assert.equal(cache.get("ikept"), body, "a body in use stays");
  }
  assert.equal(cache.get("i0"), undefined);
  assert.equal(cache.get("i299"), body);
  assert.equal(cache.get("ikept"), body);
});
