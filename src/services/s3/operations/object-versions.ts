/**
 * Bucket versioning: PutBucketVersioning (Enabled / Suspended; a bucket that had versioning never
 * returns to "never versioned"), GetBucketVersioning (an empty configuration until versioning was
 * first set, as S3 answers), and ListObjectVersions: per key in UTF-8 order, the latest version then
 * the noncurrent ones newest first, objects as `<Version>` and delete markers as `<DeleteMarker>`.
 *
 * ## Gaps
 * - MFA delete is not emulated: a configuration with `<MfaDelete>Enabled</MfaDelete>` is NotImplemented.
 */
import { AwsError } from "../../../aws/errors.ts";
import type { OperationHandler } from "../../service.ts";
import { ownerXml, type S3Parts } from "../context.ts";
import { KEY_BYTES_MAX, malformedXml } from "../errors.ts";
import { quotedEtag } from "../object-headers.ts";
import { clampToKeyLength, queryValue, readSmallBody } from "../request.ts";
import {
  afterKeysStartingWith,
  isDeleteMarker,
  objectKey,
  successor,
  type VersionRecord,
  versionIdOf,
} from "../store.ts";
import { child, el, isoTime, parseXml, xmlDocument } from "../xml.ts";
import { encoderOf, maxKeysOf, prefixesXml } from "./list-objects.ts";
import { bucketOf, xmlResponse } from "./shared.ts";

export function getBucketVersioning(s3: S3Parts): OperationHandler {
  return async (request) => {
    const bucket = await bucketOf(s3, request);
    const status = await s3.store.getVersioning(s3.store.storage, bucket.name);
    return xmlResponse(xmlDocument("VersioningConfiguration", el("Status", status)));
  };
}

export function putBucketVersioning(s3: S3Parts): OperationHandler {
  return async (request) => {
    const bucket = await bucketOf(s3, request);
    const root = parseXml((await readSmallBody(request)).toString("utf8").trim());
    if (root.name !== "VersioningConfiguration") throw malformedXml();
    const status = child(root, "Status")?.text.trim();
    const mfaDelete = child(root, "MfaDelete")?.text.trim();
    if (status !== undefined && status !== "Enabled" && status !== "Suspended") throw malformedXml();
    if (mfaDelete !== undefined && mfaDelete !== "Enabled" && mfaDelete !== "Disabled") throw malformedXml();
    if (mfaDelete === "Enabled") {
      // S3 requires the root account's MFA device (x-amz-mfa) for this; Stratus has no MFA devices.
      throw new AwsError(
        "NotImplemented",
        "A header you provided implies functionality that is not implemented.",
        501,
        { fields: { Header: "MfaDelete" } },
      );
    }
    if (status !== undefined) {
      await s3.store.storage.transaction(async (tx) => {
        await s3.store.requireBucket(tx, bucket.name);
        s3.store.putVersioning(tx, bucket.name, status);
      });
    }
    return { status: 200, headers: {} };
  };
}

interface VersionsPage {
  entries: VersionRecord[];
  prefixes: string[];
  truncated: boolean;
  /** Where the next page starts: the last key and version id listed, or the last common prefix. */
  next?: { key: string; versionId?: string };
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
    const page = await versionsPage(s3, bucket.name, {
      prefix,
      delimiter,
      maxKeys,
      keyMarker,
      versionIdMarker,
    });
    const versions = page.entries.map((record) => versionXml(record, encode)).join("");
    const next = page.next
      ? el("NextKeyMarker", encode(page.next.key)) + el("NextVersionIdMarker", page.next.versionId)
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

function versionXml(record: VersionRecord, encode: (text: string) => string): string {
  // The latest version sits at the object key and has no noncurrentSince.
  const common =
    el("Key", encode(record.key)) +
    el("VersionId", versionIdOf(record)) +
    el("IsLatest", record.noncurrentSince === undefined) +
    el("LastModified", isoTime(record.lastModified));
  if (isDeleteMarker(record)) return `<DeleteMarker>${ownerXml(record.owner)}${common}</DeleteMarker>`;
  return (
    `<Version>${common}${el("ETag", quotedEtag(record))}${el("Size", record.size)}` +
    `${ownerXml(record.owner)}${el("StorageClass", "STANDARD")}` +
    `${el("ChecksumAlgorithm", record.checksum.algorithm.toUpperCase())}${el("ChecksumType", record.checksum.type ?? "FULL_OBJECT")}</Version>`
  );
}

interface PageParams {
  prefix: string;
  delimiter: string | undefined;
  maxKeys: number;
  keyMarker: string;
  versionIdMarker: string;
}

/**
 * One page: keys from the key marker on (after it, unless a version id marker names where within
 * that key to resume), each key's versions latest first; a common prefix counts as one entry.
 */
async function versionsPage(s3: S3Parts, bucket: string, params: PageParams): Promise<VersionsPage> {
  const { prefix, delimiter, maxKeys, keyMarker, versionIdMarker } = params;
  const page: VersionsPage = { entries: [], prefixes: [], truncated: false };
  if (maxKeys === 0 || Buffer.byteLength(prefix) > KEY_BYTES_MAX) return page;
  const end = afterKeysStartingWith(bucket, prefix);
  let start = objectKey(bucket, prefix);
  let resumeWithin: string | undefined;
  if (keyMarker !== "") {
    const markerKey = objectKey(bucket, clampToKeyLength(keyMarker));
    const rolledUp = delimiter !== undefined && keyMarker.endsWith(delimiter);
    if (versionIdMarker !== "" && !rolledUp) {
      if (Buffer.compare(markerKey, start) >= 0) start = markerKey;
      resumeWithin = keyMarker;
    } else {
      const after = rolledUp
        ? afterKeysStartingWith(bucket, clampToKeyLength(keyMarker))
        : successor(markerKey);
      if (Buffer.compare(after, start) > 0) start = after;
    }
  }
  let count = 0;
  let last: { key: string; versionId?: string } | undefined;
  for (;;) {
    let jumpTo: Uint8Array | undefined;
    for await (const latest of s3.store.latestBetween(s3.store.storage, start, end)) {
      const cut = delimiter ? latest.key.indexOf(delimiter, prefix.length) : -1;
      if (delimiter && cut >= 0) {
        if (count === maxKeys) return truncated(page, last);
        const common = latest.key.slice(0, cut + delimiter.length);
        page.prefixes.push(common);
        count++;
        last = { key: common };
        jumpTo = afterKeysStartingWith(bucket, common);
        break;
      }
      let skipping = resumeWithin === latest.key;
      resumeWithin = undefined;
      for await (const version of versionsOf(s3, bucket, latest)) {
        if (skipping) {
          // Resume after the version id marker within its key.
          if (versionIdOf(version) === versionIdMarker) skipping = false;
          continue;
        }
        if (count === maxKeys) return truncated(page, last);
        page.entries.push(version);
        count++;
        last = { key: version.key, versionId: versionIdOf(version) };
      }
    }
    if (!jumpTo) return page;
    start = jumpTo;
  }
}

function truncated(page: VersionsPage, last: VersionsPage["next"]): VersionsPage {
  page.truncated = true;
  if (last) page.next = last;
  return page;
}

async function* versionsOf(
  s3: S3Parts,
  bucket: string,
  latest: VersionRecord,
): AsyncGenerator<VersionRecord> {
  yield latest;
  yield* s3.store.noncurrent(s3.store.storage, bucket, latest.key);
}
