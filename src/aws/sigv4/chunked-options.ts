/**
 * What the aws-chunked decoder (`chunked.ts`) is told about a body, read from the request's headers
 * and its verified signature: the framing mode, the signing chain, the decoded length, the announced
 * trailer — and the S3 error when those headers do not add up.
 */
import type { IncomingHttpHeaders } from "node:http";
import type { AwsError } from "../errors.ts";
import * as errors from "./body-errors.ts";
import { type ChecksumAlgorithm, checksumAlgorithmOfHeader } from "./checksums.ts";
import { headerValue } from "./parse.ts";
import {
  STREAMING_SIGNED,
  STREAMING_SIGNED_TRAILER,
  STREAMING_UNSIGNED_TRAILER,
  type StreamingSigning,
} from "./types.ts";

export type ChunkedMode = "signed" | "signed-trailer" | "unsigned-trailer";

export interface ChunkedDecoderOptions {
  mode: ChunkedMode;
  /** Required for the signed modes: from the verified request. */
  signing?: StreamingSigning;
  /** x-amz-decoded-content-length. */
  decodedContentLength: number;
  /** x-amz-trailer, lower case: the checksum trailer the client announced. */
  trailer?: string;
}

export interface ChunkedResult {
  decodedLength: number;
  /** The trailing checksum, already verified against the decoded bytes. */
  checksum?: { algorithm: ChecksumAlgorithm; value: string };
  /** Every trailing header but the trailer signature, names in lower case. */
  trailers: Record<string, string>;
}

const MODES: Record<string, ChunkedMode> = {
  [STREAMING_SIGNED]: "signed",
  [STREAMING_SIGNED_TRAILER]: "signed-trailer",
  [STREAMING_UNSIGNED_TRAILER]: "unsigned-trailer",
};

/** True when a verified request's payload hash says its body is aws-chunked. */
export function isAwsChunked(payloadHash: string): boolean {
  return payloadHash in MODES;
}

/** Reads an aws-chunked request's headers into decoder options, or the S3 error they deserve. */
export function chunkedDecoderOptions(
  headers: IncomingHttpHeaders,
  verified: { payloadHash: string; streaming?: StreamingSigning },
): ChunkedDecoderOptions | AwsError {
  const mode = MODES[verified.payloadHash];
  if (!mode) throw new TypeError(`not an aws-chunked payload: ${verified.payloadHash}`);
  const length = headerValue(headers, "x-amz-decoded-content-length") ?? "";
  if (!/^\d{1,15}$/.test(length)) return errors.missingDecodedContentLength();
  const options: ChunkedDecoderOptions = { mode, decodedContentLength: Number(length) };
  if (verified.streaming) options.signing = verified.streaming;
  const trailer = headerValue(headers, "x-amz-trailer")?.trim().toLowerCase();
  if (trailer !== undefined && trailer !== "") {
    if (!checksumAlgorithmOfHeader(trailer)) return errors.trailerNotSupported();
    options.trailer = trailer;
  }
  return options;
}
