/**
 * UploadPartCopy: a part whose bytes come from a stored object (whole, or the inclusive
 * `x-amz-copy-source-range: bytes=first-last`), streamed from that object's file into the part's own —
 * how clients copy objects over 5 GB, and what the AWS CLI uses for every copy above its multipart
 * threshold. The source conditions are CopyObject's (copy-source.ts).
 */

import { Readable } from "node:stream";
import type { OperationHandler, ServiceRequest } from "../../service.ts";
import { openBody } from "../body-reads.ts";
import type { S3Parts } from "../context.ts";
import { copySourceOf, readCopySource, requireSourceBucket } from "../copy-source.ts";
import {
  copySourceRangeOutside,
  invalidCopySourceRange,
  invalidPart,
  invalidPartNumber,
  PART_NUMBER_MAX,
} from "../errors.ts";
import { quotedEtag } from "../object-headers.ts";
import { commitPart } from "../part-commit.ts";
import { discardBody, header, queryValue } from "../request.ts";
import type { ObjectRecord } from "../store.ts";
import { DigestTap } from "../upload-digest.ts";
import { el, isoTime, xmlDocument } from "../xml.ts";
import { bucketOf, keyOf, xmlResponse } from "./shared.ts";

export function uploadPartCopy(s3: S3Parts): OperationHandler {
  return async (request) => {
    await discardBody(request);
    const bucket = await bucketOf(s3, request);
    const key = keyOf(request);
    const partText = queryValue(request, "partNumber") ?? "";
    const partNumber = Number(partText);
    if (!/^\d+$/.test(partText) || partNumber < 1 || partNumber > PART_NUMBER_MAX)
      throw invalidPartNumber(partText);
    const upload = await s3.multipart.requireUpload(
      s3.store.storage,
      bucket.name,
      key,
      queryValue(request, "uploadId") ?? "",
    );
    const source = copySourceOf(request);
    await requireSourceBucket(s3, source);
    const from = await readCopySource(s3, request, source);
    const range = sourceRange(request, from);
    const blob = s3.blobs.newId();
    const tap = new DigestTap(upload.checksumAlgorithm ?? "crc64nvme");
    const opened = await openBody(s3, from, range.start, range.end);
    // The source was replaced (its body removed) since its record was read.
    if (opened === undefined) throw invalidPart(partNumber, from.etag);
    const bytes = Buffer.isBuffer(opened) ? Readable.from([opened]) : opened;
    let temp: string;
    try {
      temp = await s3.blobs.receive(blob, bytes, [tap]);
    } catch (error) {
      // The source was replaced (its file removed) while being read.
      if ((error as NodeJS.ErrnoException).code === "ENOENT") throw invalidPart(partNumber, from.etag);
      throw error;
    }
    await s3.blobs.publish(temp, blob);
    const digests = await tap.digests();
    const part = await commitPart(
      s3,
      bucket.name,
      upload,
      partNumber,
      blob,
      digests,
      request.context.clock.now(),
    );
    const result =
      el("ETag", quotedEtag(part)) +
      el("LastModified", isoTime(part.lastModified)) +
      (upload.checksumAlgorithm
        ? el(`Checksum${part.checksum.algorithm.toUpperCase()}`, part.checksum.value)
        : "");
    return xmlResponse(xmlDocument("CopyPartResult", result), 200, {
      "x-amz-server-side-encryption": "AES256",
    });
  };
}

/** The inclusive byte range to copy: the whole object, or `bytes=first-last` within it. */
function sourceRange(request: ServiceRequest, from: ObjectRecord): { start: number; end: number } {
  const value = header(request, "x-amz-copy-source-range");
  if (value === undefined) return { start: 0, end: Math.max(0, from.size - 1) };
  const match = /^bytes=(\d+)-(\d+)$/.exec(value.trim());
  if (!match) throw invalidCopySourceRange(value);
  const start = Number(match[1]);
  const end = Number(match[2]);
  if (start > end || end >= from.size) throw copySourceRangeOutside(value, from.size);
  return { start, end };
}
