/**
 * Decodes an `aws-chunked` request body as it streams: strips the framing, verifies the chain of chunk
 * signatures and the trailer signature, holds the decoded length to `x-amz-decoded-content-length`, and
 * checks the trailing `x-amz-checksum-*` against the bytes.
 *
 * Framing (S3 API reference, "sigv4-streaming" and "sigv4-streaming-trailers"):
 *   signed:    `hex-size;chunk-signature=<64 hex>\r\n<data>\r\n` … `0;chunk-signature=<sig>\r\n\r\n`
 *   + trailer: … `0;chunk-signature=<sig>\r\nx-amz-checksum-crc32c:<b64>\r\nx-amz-trailer-signature:<sig>\r\n\r\n`
 *   unsigned:  `hex-size\r\n<data>\r\n` … `0\r\nx-amz-checksum-crc32:<b64>\r\n\r\n`
 *
 * Decoded bytes are pushed on as they arrive and only one header line is ever buffered, so memory stays
 * flat whatever the chunk size. The price: bytes are unverified until the stream ends without error —
 * a consumer writes them somewhere temporary and commits only after `result` resolves. Failures are S3
 * AwsErrors (`body-errors.ts`), emitted as the stream's error and as `result`'s rejection.
 *
 * ## By design
 * - A body may end right after the final chunk (`0\r\n` with no trailer: what the AWS SDK for
 *   JavaScript sends when it has no checksum to add; `0;chunk-signature=…\r\n` without the last CRLF).
 * ## Gaps
 * - A signed-trailer body whose trailer lacks `x-amz-trailer-signature` is answered
 *   MalformedTrailerError; no S3 capture of that case was found.
 * - An overlong body is reported when the chunk that overflows ends, so NumberBytesProvided counts
 *   the bytes up to there, not the whole body.
 */

import { createHash, type Hash } from "node:crypto";
import { Transform, type TransformCallback } from "node:stream";
import * as errors from "./body-errors.ts";
import {
  checksumAlgorithmOfHeader,
  createChecksum,
  type IncrementalChecksum,
  isWellFormedChecksum,
} from "./checksums.ts";
import {
  canonicalTrailer,
  chunkStringToSign,
  hmacHex,
  sha256Hex,
  signaturesEqual,
  trailerStringToSign,
} from "./chunk-signing.ts";
import type { ChunkedDecoderOptions, ChunkedResult } from "./chunked-options.ts";
import { EMPTY_SHA256, type StreamingSigning } from "./types.ts";

/** Header lines are tiny (`10000;chunk-signature=<64 hex>`); anything longer is not aws-chunked. */
const LINE_BYTES_MAX = 1024;
const TRAILER_BYTES_MAX = 16 * 1024;
const TRAILER_LINES_MAX = 32;
/** S3: "Only the last chunk is allowed to have a size less than 8192 bytes". */
const CHUNK_BYTES_MIN = 8192;

type State = "header" | "data" | "data-end" | "after-final" | "trailer" | "done";

export class AwsChunkedDecoder extends Transform {
  /** Resolves when the whole body decoded and verified; rejects with the stream's error. */
  readonly result: Promise<ChunkedResult>;
  readonly #options: ChunkedDecoderOptions;
  readonly #signing: StreamingSigning | undefined;
  readonly #checksum: IncrementalChecksum | undefined;
  #resolve!: (result: ChunkedResult) => void;
  #reject!: (error: Error) => void;
  #state: State = "header";
  #line: Buffer[] = [];
  #lineBytes = 0;
  #remaining = 0;
  #crlfLeft = 0;
  #chunkNumber = 0;
  #previousSize = 0;
  #chunkSignature = "";
  #chunkHash: Hash | undefined;
  #previousSignature = "";
  #decoded = 0;
  #trailers: Array<[string, string]> = [];
  #trailerBytes = 0;
  #trailerSignature: string | undefined;
  #verifiedChecksum: ChunkedResult["checksum"];

  constructor(options: ChunkedDecoderOptions) {
    super();
    if (options.mode !== "unsigned-trailer" && !options.signing)
      throw new TypeError("signed aws-chunked needs signing");
    this.#options = options;
    this.#signing = options.mode === "unsigned-trailer" ? undefined : options.signing;
    this.#previousSignature = this.#signing?.seedSignature ?? "";
    const algorithm = options.trailer === undefined ? undefined : checksumAlgorithmOfHeader(options.trailer);
    this.#checksum = algorithm && createChecksum(algorithm);
    this.result = new Promise((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    // The failure also reaches the stream's 'error' event; awaiting `result` is optional.
    this.result.catch(() => {});
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.#consume(chunk).then(
      () => callback(),
      (error: Error) => this.#fail(error, callback),
    );
  }

  override _flush(callback: TransformCallback): void {
    this.#finish().then(
      () => callback(),
      (error: Error) => this.#fail(error, callback),
    );
  }

  #fail(error: Error, callback: TransformCallback): void {
    this.#reject(error);
    callback(error);
  }

  async #consume(buffer: Buffer): Promise<void> {
    let offset = 0;
    while (offset < buffer.length) {
      if (this.#state === "data") {
        const take = Math.min(this.#remaining, buffer.length - offset);
        const data = buffer.subarray(offset, offset + take);
        this.#chunkHash?.update(data);
        this.#checksum?.update(data);
        this.#decoded += take;
        this.#remaining -= take;
        offset += take;
        this.push(data);
        if (this.#remaining === 0) {
          this.#state = "data-end";
          this.#crlfLeft = 2;
        }
      } else if (this.#state === "data-end") {
        if (buffer[offset] !== (this.#crlfLeft === 2 ? 0x0d : 0x0a))
          throw errors.bodyTerminatedUnexpectedly();
        offset += 1;
        this.#crlfLeft -= 1;
        if (this.#crlfLeft === 0) this.#endOfChunk();
      } else if (this.#state === "done") {
        throw errors.bodyTerminatedUnexpectedly();
      } else {
        const newline = buffer.indexOf(0x0a, offset);
        const end = newline < 0 ? buffer.length : newline + 1;
        this.#appendLine(buffer.subarray(offset, end));
        offset = end;
        if (newline >= 0) await this.#onLine(this.#takeLine());
      }
    }
  }

  #appendLine(part: Buffer): void {
    this.#lineBytes += part.length;
    if (this.#lineBytes > LINE_BYTES_MAX) {
      throw this.#state === "trailer" ? errors.malformedTrailer() : errors.bodyTerminatedUnexpectedly();
    }
    this.#line.push(part);
  }

  /** The buffered line without its CRLF; a bare LF is broken framing. */
  #takeLine(): string {
    const line = Buffer.concat(this.#line);
    this.#line = [];
    this.#lineBytes = 0;
    if (line.length < 2 || line[line.length - 2] !== 0x0d) throw errors.bodyTerminatedUnexpectedly();
    return line.subarray(0, line.length - 2).toString("latin1");
  }

  async #onLine(line: string): Promise<void> {
    if (this.#state === "header") return this.#onChunkHeader(line);
    if (this.#state === "after-final") {
      if (line !== "") throw errors.bodyTerminatedUnexpectedly();
      this.#state = "done";
      return;
    }
    if (line === "") {
      await this.#endOfTrailers();
      this.#state = "done";
      return;
    }
    this.#onTrailerLine(line);
  }

  #onChunkHeader(line: string): void {
    const match = this.#signing
      ? /^([0-9a-fA-F]{1,13});chunk-signature=([0-9a-f]{64})$/.exec(line)
      : /^([0-9a-fA-F]{1,13})$/.exec(line);
    if (!match) throw errors.bodyTerminatedUnexpectedly();
    const size = Number.parseInt(match[1] ?? "", 16);
    this.#chunkNumber += 1;
    if (size > 0 && this.#chunkNumber > 1 && this.#previousSize < CHUNK_BYTES_MIN) {
      throw errors.invalidChunkSize(this.#chunkNumber, this.#previousSize);
    }
    this.#previousSize = size;
    this.#chunkSignature = match[2] ?? "";
    if (size > 0) {
      this.#state = "data";
      this.#remaining = size;
      this.#chunkHash = this.#signing ? createHash("sha256") : undefined;
      return;
    }
    // The final, empty chunk: it is signed too, and ends the data.
    this.#verifyChunk(EMPTY_SHA256);
    if (this.#decoded !== this.#options.decodedContentLength) {
      throw errors.decodedLengthMismatch(this.#options.decodedContentLength, this.#decoded);
    }
    this.#state = this.#options.mode === "signed" ? "after-final" : "trailer";
  }

  #endOfChunk(): void {
    this.#verifyChunk(this.#chunkHash?.digest("hex") ?? EMPTY_SHA256);
    if (this.#decoded > this.#options.decodedContentLength) {
      throw errors.decodedLengthMismatch(this.#options.decodedContentLength, this.#decoded);
    }
    this.#state = "header";
  }

  #verifyChunk(dataSha256: string): void {
    if (!this.#signing) return;
    const { signingKey, dateTime, scope } = this.#signing;
    const expected = hmacHex(
      signingKey,
      chunkStringToSign(dateTime, scope, this.#previousSignature, dataSha256),
    );
    if (!signaturesEqual(expected, this.#chunkSignature)) throw errors.chunkSignatureMismatch();
    this.#previousSignature = expected;
  }

  #onTrailerLine(line: string): void {
    this.#trailerBytes += line.length;
    const colon = line.indexOf(":");
    if (colon <= 0 || this.#trailerBytes > TRAILER_BYTES_MAX || this.#trailers.length >= TRAILER_LINES_MAX) {
      throw errors.malformedTrailer();
    }
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    // Nothing may follow the signature, and only a signed-trailer body has one.
    if (this.#trailerSignature !== undefined) throw errors.malformedTrailer();
    if (name === "x-amz-trailer-signature") {
      if (this.#options.mode !== "signed-trailer") throw errors.malformedTrailer();
      this.#trailerSignature = value;
      return;
    }
    this.#trailers.push([name, value]);
  }

  async #endOfTrailers(): Promise<void> {
    if (this.#signing && this.#options.mode === "signed-trailer") {
      if (this.#trailerSignature === undefined) throw errors.malformedTrailer();
      const { signingKey, dateTime, scope } = this.#signing;
      const hashed = sha256Hex(canonicalTrailer(this.#trailers));
      const expected = hmacHex(
        signingKey,
        trailerStringToSign(dateTime, scope, this.#previousSignature, hashed),
      );
      if (!signaturesEqual(expected, this.#trailerSignature)) throw errors.chunkSignatureMismatch();
    }
    const announced = this.#options.trailer;
    // A trailer that was not announced, or an announced one that did not come (versitygw#1600, #1691).
    if (this.#trailers.some(([name]) => name !== announced)) throw errors.malformedTrailer();
    if (announced === undefined) return;
    const value = this.#trailers.find(([name]) => name === announced)?.[1];
    const algorithm = checksumAlgorithmOfHeader(announced);
    if (value === undefined || !algorithm || !this.#checksum) throw errors.malformedTrailer();
    if (!isWellFormedChecksum(algorithm, value)) throw errors.invalidTrailingChecksum(announced);
    if ((await this.#checksum.digest()) !== value) throw errors.checksumMismatch(algorithm);
    this.#verifiedChecksum = { algorithm, value };
  }

  async #finish(): Promise<void> {
    const nothingPending = this.#lineBytes === 0;
    if (
      this.#state === "trailer" &&
      nothingPending &&
      this.#trailers.length === 0 &&
      this.#trailerSignature === undefined
    ) {
      // The body ended right after the final chunk.
      if (this.#options.mode === "signed-trailer") throw errors.bodyTerminatedUnexpectedly();
      if (this.#options.trailer !== undefined) throw errors.malformedTrailer();
    } else if (!(this.#state === "done" || (this.#state === "after-final" && nothingPending))) {
      throw errors.bodyTerminatedUnexpectedly();
    }
    const result: ChunkedResult = {
      decodedLength: this.#decoded,
      trailers: Object.fromEntries(this.#trailers),
    };
    if (this.#verifiedChecksum) result.checksum = this.#verifiedChecksum;
    this.#resolve(result);
  }
}

export function createChunkedDecoder(options: ChunkedDecoderOptions): AwsChunkedDecoder {
  return new AwsChunkedDecoder(options);
}
