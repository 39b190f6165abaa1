/**
 * The digests of an uploaded body, computed while it streams to disk: its size, its MD5 (the ETag,
 * and the Content-MD5 check) and one additional checksum S3 stores with the object.
 *
 * Which checksum: the one the client sent in an `x-amz-checksum-*` header (checked here), or the one
 * in its aws-chunked trailer (already verified by the edge's decoder, sigv4/chunked.ts), or the one
 * named by `x-amz-sdk-checksum-algorithm`; otherwise CRC64NVME, which S3 computes for every object
 * uploaded without one (S3 user guide, "Checking object integrity": default data integrity protections).
 */
import { createHash, type Hash } from "node:crypto";
import { Transform, type TransformCallback } from "node:stream";
import type { AwsError } from "../../aws/errors.ts";
import { checksumMismatch } from "../../aws/sigv4/body-errors.ts";
import {
  CHECKSUM_ALGORITHMS,
  type ChecksumAlgorithm,
  createChecksum,
  type IncrementalChecksum,
  isWellFormedChecksum,
} from "../../aws/sigv4/checksums.ts";
import type { ServiceRequest } from "../service.ts";
import {
  badContentMd5,
  invalidArgument,
  invalidChecksumHeader,
  invalidDigest,
  multipleChecksums,
} from "./errors.ts";
import { header } from "./request.ts";

export interface ExpectedDigests {
  /** Content-MD5, base64. */
  contentMd5?: string;
  /** A checksum header's algorithm and value. */
  checksum?: { algorithm: ChecksumAlgorithm; value: string };
  /** The algorithm to compute and store. */
  algorithm: ChecksumAlgorithm;
  /** The algorithm the client named (header, trailer or x-amz-sdk-checksum-algorithm), if it named one. */
  clientAlgorithm?: ChecksumAlgorithm;
}

/** Reads and checks the digest headers before any byte of the body is read. */
export function expectedDigests(request: ServiceRequest): ExpectedDigests | AwsError {
  const contentMd5 = header(request, "content-md5");
  if (contentMd5 !== undefined && !/^[A-Za-z0-9+/]{22}==$/.test(contentMd5.trim()))
    return invalidDigest(contentMd5);
  const sent = CHECKSUM_ALGORITHMS.filter(
    (algorithm) => header(request, `x-amz-checksum-${algorithm}`) !== undefined,
  );
  if (sent.length > 1) return multipleChecksums();
  const expected: ExpectedDigests = { algorithm: "crc64nvme" };
  if (contentMd5 !== undefined) expected.contentMd5 = contentMd5.trim();
  const algorithm = sent[0];
  if (algorithm) {
    const value = (header(request, `x-amz-checksum-${algorithm}`) ?? "").trim();
    if (!isWellFormedChecksum(algorithm, value)) return invalidChecksumHeader(`x-amz-checksum-${algorithm}`);
    expected.checksum = { algorithm, value };
    expected.algorithm = algorithm;
    expected.clientAlgorithm = algorithm;
    return expected;
  }
  const trailer = header(request, "x-amz-trailer")?.trim().toLowerCase();
  const named = trailer?.startsWith("x-amz-checksum-")
    ? trailer.slice("x-amz-checksum-".length)
    : header(request, "x-amz-sdk-checksum-algorithm")?.trim().toLowerCase();
  if (named && (CHECKSUM_ALGORITHMS as readonly string[]).includes(named)) {
    expected.algorithm = named as ChecksumAlgorithm;
    expected.clientAlgorithm = named as ChecksumAlgorithm;
  }
  return expected;
}

export interface ComputedDigests {
  size: number;
  md5Hex: string;
  checksum: { algorithm: ChecksumAlgorithm; value: string };
}

/** A pass-through that digests every byte on its way to the file. */
/** MD5 (the ETag), the stored checksum and the size of a body, fed chunk by chunk: each byte hashed once. */
export class BodyDigests {
  readonly #md5: Hash = createHash("md5");
  readonly #checksum: IncrementalChecksum;
  readonly #algorithm: ChecksumAlgorithm;
  #size = 0;

  constructor(algorithm: ChecksumAlgorithm) {
    this.#algorithm = algorithm;
    this.#checksum = createChecksum(algorithm);
  }

  update(chunk: Buffer): void {
    this.#md5.update(chunk);
    this.#checksum.update(chunk);
    this.#size += chunk.length;
  }

  /** Call once, after the last chunk. */
  async digests(): Promise<ComputedDigests> {
    return {
      size: this.#size,
      md5Hex: this.#md5.digest("hex"),
      checksum: { algorithm: this.#algorithm, value: await this.#checksum.digest() },
    };
  }
}

/** BodyDigests as a pass-through stream, for bodies piped to a file. */
export class DigestTap extends Transform {
  readonly #digests: BodyDigests;

  constructor(algorithm: ChecksumAlgorithm) {
    super();
    this.#digests = new BodyDigests(algorithm);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.#digests.update(chunk);
    callback(null, chunk);
  }

  /** Call once, after the stream finished. */
  digests(): Promise<ComputedDigests> {
    return this.#digests.digests();
  }
}

/** The error for a body that does not match its Content-MD5 or checksum header, if any. */
export function digestMismatch(expected: ExpectedDigests, computed: ComputedDigests): AwsError | undefined {
  if (expected.contentMd5 !== undefined) {
    const md5Base64 = Buffer.from(computed.md5Hex, "hex").toString("base64");
    if (md5Base64 !== expected.contentMd5) return badContentMd5(expected.contentMd5, md5Base64);
  }
  if (expected.checksum && expected.checksum.value !== computed.checksum.value) {
    return checksumMismatch(expected.checksum.algorithm);
  }
  return undefined;
}

/** The digests of a body already in memory (the small XML documents S3 also checks). */
export async function digestsOf(body: Buffer, algorithm: ChecksumAlgorithm): Promise<ComputedDigests> {
  const checksum = createChecksum(algorithm);
  checksum.update(body);
  return {
    size: body.length,
    md5Hex: createHash("md5").update(body).digest("hex"),
    checksum: { algorithm, value: await checksum.digest() },
  };
}

/**
 * `x-amz-checksum-algorithm` (CreateMultipartUpload, CopyObject): the algorithm to store, or undefined.
 * Text of the refusal per LocalStack's provider.
 */
export function checksumAlgorithmHeader(request: ServiceRequest): ChecksumAlgorithm | undefined {
  const value = header(request, "x-amz-checksum-algorithm");
  if (value === undefined) return undefined;
  const algorithm = value.toLowerCase();
  if (!(CHECKSUM_ALGORITHMS as readonly string[]).includes(algorithm)) {
    throw invalidArgument(
      "Checksum algorithm provided is unsupported. Please try again with any of the valid types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]",
      "x-amz-checksum-algorithm",
      value,
    );
  }
  return algorithm as ChecksumAlgorithm;
}
