import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { describe, it } from "node:test";
import { Crc64Nvme } from "@aws-sdk/crc64-nvme";
import { Crc64NvmeHash } from "../../../src/aws/sigv4/crc64-nvme.ts";

async function reference(chunks: Uint8Array[]): Promise<string> {
  const crc = new Crc64Nvme();
  for (const chunk of chunks) crc.update(chunk);
  return Buffer.from(await crc.digest()).toString("hex");
}

async function hexOf(crc: Crc64NvmeHash): Promise<string> {
  return Buffer.from(await crc.digest()).toString("hex");
}

describe("CRC64/NVME (hash-wasm with the AWS SDK behind it)", () => {
  it("matches the AWS SDK's digest, whatever the chunking", async () => {
    const body = randomBytes(300_001);
    for (const size of [1, 7, 4096, 65_536, body.length]) {
      const chunks: Uint8Array[] = [];
      for (let at = 0; at < body.length; at += size) chunks.push(body.subarray(at, at + size));
      const crc = new Crc64NvmeHash();
      for (const chunk of chunks) crc.update(chunk);
      assert.equal(await hexOf(crc), await reference(chunks), `chunks of ${size}`);
    }
    // The check value of the CRC-64/NVME catalogue entry.
    const check = new Crc64NvmeHash();
    check.update(Buffer.from("123456789"));
    assert.equal(await hexOf(check), "ae8b14860a799888");
  });

  it("keeps interleaved checksums apart, more of them than hashers made yet, and reuses hashers", async () => {
    const bodies = Array.from({ length: 100 }, (_, i) => randomBytes(1000 + i));
    for (let round = 0; round < 3; round++) {
      const crcs = bodies.map(() => new Crc64NvmeHash());
      for (let at = 0; at < 1100; at += 100) {
        for (const [i, crc] of crcs.entries()) crc.update((bodies[i] as Buffer).subarray(at, at + 100));
      }
      const digests = await Promise.all(crcs.map(hexOf));
      const expected = await Promise.all(bodies.map((body) => reference([body])));
      assert.deepEqual(digests, expected, `round ${round}`);
      // Lets the hashers made in the background join the pool before the next round.
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  });

  it("answers a digest that a later checksum on the same hasher does not change", async () => {
    const first = new Crc64NvmeHash();
    first.update(Buffer.from("first"));
    const digest = await first.digest();
    const kept = Buffer.from(digest).toString("hex");
    const second = new Crc64NvmeHash();
    second.update(Buffer.from("second, on the hasher the first gave back"));
    await second.digest();
    assert.equal(Buffer.from(digest).toString("hex"), kept);
  });
});
