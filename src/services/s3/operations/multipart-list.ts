/**
 * Multipart uploads, the reading half: ListParts (paged by part-number-marker and max-parts) and
 * ListMultipartUploads (prefix, delimiter, key-marker/upload-id-marker, max-uploads).
 */
import type { OperationHandler, ServiceRequest } from "../../service.ts";
import { ownerXml, type S3Parts } from "../context.ts";
import { invalidArgument, notAnInteger } from "../errors.ts";
import type { UploadRecord } from "../multipart-store.ts";
import { quotedEtag } from "../object-headers.ts";
import { clampToKeyLength, queryValue } from "../request.ts";
import { el, isoTime, xmlDocument } from "../xml.ts";
import { bucketOf, keyOf, xmlResponse } from "./shared.ts";

/** ListParts and ListMultipartUploads answer at most 1,000 entries per page (API reference). */
const ENTRIES_PER_PAGE_MAX = 1000;

function limitOf(request: ServiceRequest, name: string): number {
  const text = queryValue(request, name);
  if (text === undefined) return ENTRIES_PER_PAGE_MAX;
  if (!/^-?\d+$/.test(text.trim())) throw notAnInteger(name, text);
  const value = Number(text);
  if (value < 0)
    throw invalidArgument(`Argument ${name} must be an integer between 0 and 2147483647`, name, text);
  return Math.min(value, ENTRIES_PER_PAGE_MAX);
}

export function listParts(s3: S3Parts): OperationHandler {
  return async (request) => {
    const bucket = await bucketOf(s3, request);
    const key = keyOf(request);
    const uploadId = queryValue(request, "uploadId") ?? "";
    const upload = await s3.multipart.requireUpload(s3.store.storage, bucket.name, key, uploadId);
    const maxParts = limitOf(request, "max-parts");
    const markerText = queryValue(request, "part-number-marker") ?? "0";
    if (!/^\d+$/.test(markerText)) throw notAnInteger("part-number-marker", markerText);
    const marker = Number(markerText);
    let parts = "";
    let count = 0;
    let last = marker;
    let truncated = false;
    for await (const part of s3.multipart.parts(s3.store.storage, uploadId, marker)) {
      if (count === maxParts) {
        truncated = true;
        break;
      }
      parts +=
        `<Part>${el("PartNumber", part.partNumber)}${el("LastModified", isoTime(part.lastModified))}` +
        `${el("ETag", quotedEtag(part))}${el("Size", part.size)}` +
        `${upload.checksumAlgorithm ? el(`Checksum${part.checksum.algorithm.toUpperCase()}`, part.checksum.value) : ""}</Part>`;
      count++;
      last = part.partNumber;
    }
    const inner =
      el("Bucket", bucket.name) +
      el("Key", key) +
      el("UploadId", uploadId) +
      el("PartNumberMarker", marker) +
      (truncated ? el("NextPartNumberMarker", last) : "") +
      el("MaxParts", maxParts) +
      el("IsTruncated", truncated) +
      parts +
      initiatorAndOwner(upload) +
      el("StorageClass", "STANDARD") +
      el("ChecksumAlgorithm", upload.checksumAlgorithm?.toUpperCase()) +
      el("ChecksumType", upload.checksumType);
    return xmlResponse(xmlDocument("ListPartsResult", inner));
  };
}

export function listMultipartUploads(s3: S3Parts): OperationHandler {
  return async (request) => {
    const bucket = await bucketOf(s3, request);
    const maxUploads = limitOf(request, "max-uploads");
    const prefix = queryValue(request, "prefix") ?? "";
    const delimiter = queryValue(request, "delimiter") || undefined;
    const keyMarker = queryValue(request, "key-marker") ?? "";
    const uploadIdMarker = queryValue(request, "upload-id-marker") ?? "";
    const start =
      keyMarker === ""
        ? undefined
        : s3.multipart.uploadsAfter(
            bucket.name,
            clampToKeyLength(keyMarker),
            uploadIdMarker === "" ? undefined : uploadIdMarker,
          );
    let uploads = "";
    const prefixes: string[] = [];
    let count = 0;
    let truncated = false;
    let next: { key: string; uploadId: string } | undefined;
    for await (const upload of s3.multipart.uploads(s3.store.storage, bucket.name, start)) {
      if (!upload.key.startsWith(prefix)) continue;
      const cut = delimiter ? upload.key.indexOf(delimiter, prefix.length) : -1;
      const common = delimiter && cut >= 0 ? upload.key.slice(0, cut + delimiter.length) : undefined;
      if (common !== undefined && prefixes.at(-1) === common) continue;
      if (count === maxUploads) {
        truncated = true;
        break;
      }
      count++;
      next = { key: upload.key, uploadId: upload.uploadId };
      if (common !== undefined) {
        prefixes.push(common);
        continue;
      }
      uploads +=
        `<Upload>${el("Key", upload.key)}${el("UploadId", upload.uploadId)}${initiatorAndOwner(upload)}` +
        `${el("StorageClass", "STANDARD")}${el("Initiated", isoTime(upload.initiated))}` +
        `${el("ChecksumAlgorithm", upload.checksumAlgorithm?.toUpperCase())}${el("ChecksumType", upload.checksumType)}</Upload>`;
    }
    const inner =
      el("Bucket", bucket.name) +
      el("KeyMarker", keyMarker) +
      el("UploadIdMarker", uploadIdMarker) +
      (truncated && next ? el("NextKeyMarker", next.key) + el("NextUploadIdMarker", next.uploadId) : "") +
      (queryValue(request, "prefix") !== undefined ? el("Prefix", prefix) : "") +
      (delimiter !== undefined ? el("Delimiter", delimiter) : "") +
      el("MaxUploads", maxUploads) +
      el("IsTruncated", truncated) +
      uploads +
      prefixes.map((p) => `<CommonPrefixes>${el("Prefix", p)}</CommonPrefixes>`).join("");
    return xmlResponse(xmlDocument("ListMultipartUploadsResult", inner));
  };
}

function initiatorAndOwner(upload: UploadRecord): string {
  return ownerXml(upload.owner).replace(/Owner>/g, "Initiator>") + ownerXml(upload.owner);
}
