/**
 * The errors S3 answers about a request body that does not hold up: a payload hash that does not
 * match, aws-chunked framing that breaks, chunk signatures, trailers and trailing checksums.
 *
 * Texts are AWS's, copied from responses captured off real S3 and published in issue threads; each
 * factory names its source. (versity/versitygw's issues quote the S3 response next to their bug.)
 */
import { AwsError } from "../errors.ts";
import { type ChecksumAlgorithm, checksumDisplayName } from "./checksums.ts";

/** Captured: grosskur/lua-resty-aws#2 and postmanlabs/postman-app-support#3680 (400, both fields). */
export function contentSha256Mismatch(clientComputed: string, computed: string): AwsError {
  return new AwsError(
    "XAmzContentSHA256Mismatch",
    "The provided 'x-amz-content-sha256' header does not match what was computed.",
    400,
    {
      fields: { ClientComputedContentSHA256: clientComputed, S3ComputedContentSHA256: computed },
    },
  );
}

/** Broken aws-chunked framing or a body cut short. Captured: versity/versitygw#1660, #1666, #1685. */
export function bodyTerminatedUnexpectedly(): AwsError {
  return new AwsError("IncompleteBody", "The request body terminated unexpectedly", 400);
}

/**
 * Decoded bytes not matching x-amz-decoded-content-length. Captured: versity/versitygw#1684 — note
 * there is no final period in this text, unlike the older one quoted by minio-go.
 */
export function decodedLengthMismatch(expected: number, provided: number): AwsError {
  return new AwsError(
    "IncompleteBody",
    "You did not provide the number of bytes specified by the Content-Length HTTP header",
    400,
    {
      fields: { NumberBytesExpected: String(expected), NumberBytesProvided: String(provided) },
    },
  );
}

/** aws-chunked without x-amz-decoded-content-length. Text: minio cmd/api-errors.go, versitygw s3err.go (411). */
export function missingDecodedContentLength(): AwsError {
  return new AwsError("MissingContentLength", "You must provide the Content-Length HTTP header.", 411);
}

/** A chunk or trailer signature that does not verify: S3's usual signature error (versity/versitygw#1056). */
export function chunkSignatureMismatch(): AwsError {
  return new AwsError(
    "SignatureDoesNotMatch",
    "The request signature we calculated does not match the signature you provided. Check your key and signing method.",
    403,
  );
}

/**
 * A chunk other than the last one smaller than 8 KiB. Captured: versity/versitygw#1683 and #1665:
 * `Chunk` is the number of the chunk being read, `BadChunkSize` the size of the one before it.
 * Status 400 per versitygw's s3err table.
 */
export function invalidChunkSize(chunk: number, badChunkSize: number): AwsError {
  return new AwsError(
    "InvalidChunkSizeError",
    "Only the last chunk is allowed to have a size less than 8192 bytes",
    400,
    {
      fields: { Chunk: String(chunk), BadChunkSize: String(badChunkSize) },
    },
  );
}

/** A trailer missing, not announced by x-amz-trailer, or not `name:value`. Captured: versity/versitygw#1600, #1626, #1690, #1691. */
export function malformedTrailer(): AwsError {
  return new AwsError(
    "MalformedTrailerError",
    "The request contained trailing data that was not well-formed or did not conform to our published schema.",
    400,
  );
}

/** x-amz-trailer naming something S3 cannot check. Text: versity/versitygw s3err.go ErrTrailerHeaderNotSupported. */
export function trailerNotSupported(): AwsError {
  return new AwsError(
    "InvalidRequest",
    "The value specified in the x-amz-trailer header is not supported",
    400,
  );
}

/** A trailing checksum that is not base64 of the right length. Captured: versity/versitygw#1165, #1652. */
export function invalidTrailingChecksum(headerName: string): AwsError {
  return new AwsError("InvalidRequest", `Value for ${headerName} trailing header is invalid.`, 400);
}

/** A trailing checksum that does not match the bytes. Captured: versity/versitygw#1694 (SHA1), #1653 (CRC64NVME). */
export function checksumMismatch(algorithm: ChecksumAlgorithm): AwsError {
  return new AwsError(
    "BadDigest",
    `The ${checksumDisplayName(algorithm)} you specified did not match the calculated checksum.`,
    400,
  );
}
