/**
 * The checksums S3 accepts in `x-amz-checksum-*` headers and trailers, computed incrementally so a body
 * can be checked as it streams. Values travel base64-encoded, big-endian for the CRCs.
 *
 * CRC32 is Node's zlib.crc32 (Node ≥ 20.15); CRC32C is @aws-crypto/crc32c, as the AWS SDK computes
 * it; CRC64/NVME is hash-wasm's, with the AWS SDK's @aws-sdk/crc64-nvme behind it (crc64-nvme.ts).
 */
import { createHash, type Hash } from "node:crypto";
import { crc32 } from "node:zlib";
import { Crc32c } from "@aws-crypto/crc32c";
import { Crc64NvmeHash } from "./crc64-nvme.ts";

export type ChecksumAlgorithm = "crc32" | "crc32c" | "crc64nvme" | "sha1" | "sha256";

export const CHECKSUM_ALGORITHMS: readonly ChecksumAlgorithm[] = [
  "crc32",
  "crc32c",
  "crc64nvme",
  "sha1",
  "sha256",
];

const DIGEST_BYTES: Record<ChecksumAlgorithm, number> = {
  crc32: 4,
  crc32c: 4,
  crc64nvme: 8,
  sha1: 20,
  sha256: 32,
};

/** `x-amz-checksum-crc32` → "crc32"; undefined for anything else. */
export function checksumAlgorithmOfHeader(name: string): ChecksumAlgorithm | undefined {
  const lower = name.toLowerCase();
  if (!lower.startsWith("x-amz-checksum-")) return undefined;
  const algorithm = lower.slice("x-amz-checksum-".length);
  return (CHECKSUM_ALGORITHMS as readonly string[]).includes(algorithm)
    ? (algorithm as ChecksumAlgorithm)
    : undefined;
}

/** How S3 writes the algorithm in its messages: "CRC32", "CRC64NVME", "SHA1"... */
export function checksumDisplayName(algorithm: ChecksumAlgorithm): string {
  return algorithm.toUpperCase();
}

/** True when `value` is base64 of exactly as many bytes as the algorithm's digest. */
export function isWellFormedChecksum(algorithm: ChecksumAlgorithm, value: string): boolean {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(value) || value.length % 4 !== 0) return false;
  return Buffer.from(value, "base64").length === DIGEST_BYTES[algorithm];
}

export interface IncrementalChecksum {
  update(data: Uint8Array): void;
  /** The base64 digest; call once, after the last update. */
  digest(): Promise<string>;
}

export function createChecksum(algorithm: ChecksumAlgorithm): IncrementalChecksum {
  // Classes rather than object literals of closures: tsx compiles with esbuild's keepNames, which
  // wraps every named closure in a `__name()` call each time it is created (every upload).
  switch (algorithm) {
    case "crc32":
      return new Crc32Checksum();
    case "crc32c":
      return new Crc32cChecksum();
    case "crc64nvme":
      return new Crc64NvmeChecksum();
    case "sha1":
    case "sha256":
      return new HashChecksum(createHash(algorithm));
  }
}

class Crc32Checksum implements IncrementalChecksum {
  #value = 0;
  update(data: Uint8Array): void {
    this.#value = crc32(data, this.#value);
  }
  async digest(): Promise<string> {
    return uint32Base64(this.#value);
  }
}

class Crc32cChecksum implements IncrementalChecksum {
  readonly #crc = new Crc32c();
  update(data: Uint8Array): void {
    this.#crc.update(data);
  }
  async digest(): Promise<string> {
    return uint32Base64(this.#crc.digest());
  }
}

class Crc64NvmeChecksum implements IncrementalChecksum {
  readonly #crc = new Crc64NvmeHash();
  update(data: Uint8Array): void {
    this.#crc.update(data);
  }
  async digest(): Promise<string> {
    return Buffer.from(await this.#crc.digest()).toString("base64");
  }
}

class HashChecksum implements IncrementalChecksum {
  readonly #hash: Hash;
  constructor(hash: Hash) {
    this.#hash = hash;
  }
  update(data: Uint8Array): void {
    this.#hash.update(data);
  }
  async digest(): Promise<string> {
    return this.#hash.digest("base64");
  }
}

/** The base64 checksum of a whole buffer. */
export async function checksumOf(algorithm: ChecksumAlgorithm, data: Uint8Array): Promise<string> {
  const checksum = createChecksum(algorithm);
  checksum.update(data);
  return checksum.digest();
}

function uint32Base64(value: number): string {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(value >>> 0);
  return bytes.toString("base64");
}
