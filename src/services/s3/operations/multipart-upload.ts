/**
 * Multipart uploads, the writing half: CreateMultipartUpload, UploadPart, AbortMultipartUpload
 * (UploadPartCopy: upload-part-copy.ts).
 * A part's body streams to its own file exactly as a PutObject body does (put-object.ts), and is
 * committed under the upload only once verified.
 *
 * ## Gaps
 * - S3 refuses FULL_OBJECT checksums for SHA algorithms and COMPOSITE for CRC64NVME; Stratus computes
 *   either as asked.
 */

import { randomBytes } from "node:crypto";
import { AwsError } from "../../../aws/errors.ts";
import type { ChecksumAlgorithm } from "../../../aws/sigv4/checksums.ts";
import type { OperationHandler, ServiceRequest } from "../../service.ts";
import type { S3Parts } from "../context.ts";
import {
  checksumTypeMismatch,
  invalidArgument,
  invalidPartNumber,
  missingContentLength,
  PART_NUMBER_MAX,
} from "../errors.ts";
import type { UploadRecord } from "../multipart-store.ts";
import { contentHeadersOf, quotedEtag, userMetadataOf } from "../object-headers.ts";
import { receiveBody, removeBlobs } from "../object-writes.ts";
import { commitPart } from "../part-commit.ts";
import { discardBody, header, queryValue } from "../request.ts";
import { checksumAlgorithmHeader, expectedDigests } from "../upload-digest.ts";
import { el, xmlDocument } from "../xml.ts";
import { taggedWith, tagsOf } from "./put-object.ts";
import { bucketOf, keyOf, xmlResponse } from "./shared.ts";

export function createMultipartUpload(s3: S3Parts): OperationHandler {
  return async (request) => {
    const bucket = await bucketOf(s3, request);
    await discardBody(request);
    const key = keyOf(request);
    const algorithm = checksumAlgorithmHeader(request);
    const typeHeader = header(request, "x-amz-checksum-type")?.toUpperCase();
    if (typeHeader !== undefined && typeHeader !== "FULL_OBJECT" && typeHeader !== "COMPOSITE") {
      throw invalidArgument(
        "Value for x-amz-checksum-type header is invalid.",
        "x-amz-checksum-type",
        typeHeader,
      );
    }
    const upload: UploadRecord = {
      v: 1,
      uploadId: randomBytes(32).toString("base64url"),
      key,
      initiated: request.context.clock.now().getTime(),
      ...contentHeadersOf(request),
      metadata: userMetadataOf(request),
      ...taggedWith(tagsOf(request)),
      owner: request.context.accountId,
    };
    if (algorithm) {
      upload.checksumAlgorithm = algorithm;
      // S3's default combination: COMPOSITE, except CRC64NVME, which only exists as FULL_OBJECT.
      upload.checksumType =
        (typeHeader as UploadRecord["checksumType"]) ??
        (algorithm === "crc64nvme" ? "FULL_OBJECT" : "COMPOSITE");
    }
    await s3.store.storage.transaction(async (tx) => {
      await s3.store.requireBucket(tx, bucket.name);
      s3.multipart.putUpload(tx, bucket.name, upload);
    });
    const headers: Record<string, string> = { "x-amz-server-side-encryption": "AES256" };
    if (upload.checksumAlgorithm)
      headers["x-amz-checksum-algorithm"] = upload.checksumAlgorithm.toUpperCase();
    if (upload.checksumType) headers["x-amz-checksum-type"] = upload.checksumType;
    return xmlResponse(
      xmlDocument(
        "InitiateMultipartUploadResult",
        el("Bucket", bucket.name) + el("Key", key) + el("UploadId", upload.uploadId),
      ),
      200,
      headers,
    );
  };
}

export function uploadPart(s3: S3Parts): OperationHandler {
  return async (request) => {
    const bucket = await bucketOf(s3, request);
    let prepared: Awaited<ReturnType<typeof preparePart>>;
    try {
      prepared = await preparePart(s3, bucket.name, request);
    } catch (error) {
      await discardBody(request);
      throw error;
    }
    const { upload, partNumber, expected, algorithm } = prepared;
    const { blob, digests } = await receiveBody(s3, request.body, { ...expected, algorithm });
    const part = await commitPart(
      s3,
      bucket.name,
      upload,
      partNumber,
      blob,
      digests,
      request.context.clock.now(),
    );
    const headers: Record<string, string> = {
      ETag: quotedEtag(part),
      "x-amz-server-side-encryption": "AES256",
    };
    if (upload.checksumAlgorithm || expected.clientAlgorithm) {
      headers[`x-amz-checksum-${part.checksum.algorithm}`] = part.checksum.value;
    }
    return { status: 200, headers };
  };
}

async function preparePart(s3: S3Parts, bucket: string, request: ServiceRequest) {
  const key = keyOf(request);
  const partText = queryValue(request, "partNumber") ?? "";
  const partNumber = Number(partText);
  if (!/^\d+$/.test(partText) || partNumber < 1 || partNumber > PART_NUMBER_MAX)
    throw invalidPartNumber(partText);
  const upload = await s3.multipart.requireUpload(
    s3.store.storage,
    bucket,
    key,
    queryValue(request, "uploadId") ?? "",
  );
  if (
    header(request, "content-length") === undefined &&
    header(request, "x-amz-decoded-content-length") === undefined
  ) {
    throw missingContentLength();
  }
  const expected = expectedDigests(request);
  if (expected instanceof AwsError) throw expected;
  if (
    upload.checksumAlgorithm &&
    expected.clientAlgorithm &&
    expected.clientAlgorithm !== upload.checksumAlgorithm
  ) {
    throw checksumTypeMismatch(upload.checksumAlgorithm, expected.clientAlgorithm);
  }
  const algorithm: ChecksumAlgorithm = upload.checksumAlgorithm ?? expected.algorithm;
  return { upload, partNumber, expected, algorithm };
}

export function abortMultipartUpload(s3: S3Parts): OperationHandler {
  return async (request) => {
    const bucket = await bucketOf(s3, request);
    const key = keyOf(request);
    const uploadId = queryValue(request, "uploadId") ?? "";
    const parts = await s3.store.storage.transaction(async (tx) => {
      const upload = await s3.multipart.requireUpload(tx, bucket.name, key, uploadId);
      return s3.multipart.deleteUpload(tx, bucket.name, upload);
    });
    await removeBlobs(
      s3,
      parts.map((part) => part.blob),
    );
    return { status: 204 };
  };
}
