/**
 * Versioning as seen from a bucket that never had it enabled, which is every Stratus bucket:
 * GetBucketVersioning answers an empty VersioningConfiguration (no Status), and ListObjectVersions
 * lists each object once, as version `null`, latest — what S3 answers for an unversioned bucket
 * (S3 user guide, "Working with objects in a versioning-suspended bucket" / null version ids).
 * PutBucketVersioning stays NotImplemented: enabling versioning is not emulated.
 */
import type { OperationHandler } from "../../service.ts";
import { ownerXml, type S3Parts } from "../context.ts";
import { quotedEtag } from "../object-headers.ts";
import { clampToKeyLength, queryValue } from "../request.ts";
import { objectKey, successor } from "../store.ts";
import { el, isoTime, xmlDocument } from "../xml.ts";
import { encoderOf, listPage, maxKeysOf, prefixesXml } from "./list-objects.ts";
import { bucketOf, xmlResponse } from "./shared.ts";

export function getBucketVersioning(s3: S3Parts): OperationHandler {
  return async (request) => {
    await bucketOf(s3, request);
    return xmlResponse(xmlDocument("VersioningConfiguration", ""));
  };
}

export function listObjectVersions(s3: S3Parts): OperationHandler {
  return async (request) => {
    const bucket = await bucketOf(s3, request);
    const { encode, type } = encoderOf(request);
    const maxKeys = maxKeysOf(request);
    const prefix = queryValue(request, "prefix") ?? "";
    const delimiter = queryValue(request, "delimiter") || undefined;
    const keyMarker = queryValue(request, "key-marker") ?? "";
    const versionIdMarker = queryValue(request, "version-id-marker") ?? "";
    // Each key has one version, so resuming after (key, any version) is resuming after the key.
    const start: Uint8Array =
      keyMarker === "" ? new Uint8Array([0]) : successor(objectKey(bucket.name, clampToKeyLength(keyMarker)));
    const page = await listPage(s3, { bucket: bucket.name, prefix, delimiter, maxKeys, start });
    const versions = page.contents
      .map(
        (record) =>
          `<Version>${el("Key", encode(record.key))}${el("VersionId", "null")}${el("IsLatest", true)}` +
          `${el("LastModified", isoTime(record.lastModified))}${el("ETag", quotedEtag(record))}${el("Size", record.size)}` +
          `${ownerXml(record.owner)}${el("StorageClass", "STANDARD")}` +
          `${el("ChecksumAlgorithm", record.checksum.algorithm.toUpperCase())}${el("ChecksumType", record.checksum.type ?? "FULL_OBJECT")}</Version>`,
      )
      .join("");
    const next =
      page.truncated && page.last
        ? el("NextKeyMarker", encode(page.last.value)) +
          (page.last.kind === "key" ? el("NextVersionIdMarker", "null") : "")
        : "";
    const inner =
      el("Name", bucket.name) +
      el("Prefix", encode(prefix)) +
      el("KeyMarker", encode(keyMarker)) +
      el("VersionIdMarker", versionIdMarker) +
      next +
      el("MaxKeys", maxKeys) +
      (delimiter !== undefined ? el("Delimiter", encode(delimiter)) : "") +
      el("IsTruncated", page.truncated) +
      versions +
      prefixesXml(page.prefixes, encode) +
      el("EncodingType", type);
    return xmlResponse(xmlDocument("ListVersionsResult", inner));
  };
}
