/**
 * ListObjectsV2 and ListObjects (v1). One range scan over the bucket's keys in UTF-8 byte order
 * (store.ts); with a delimiter, each common prefix is reported once and the scan jumps past every key
 * under it rather than reading them.
 *
 * Continuation tokens are opaque to clients: base64 of the last key or common prefix returned.
 */
import type { OperationHandler, ServiceRequest } from "../../service.ts";
import { ownerXml, type S3Parts } from "../context.ts";
import {
  invalidArgument,
  invalidContinuationToken,
  invalidEncodingType,
  KEY_BYTES_MAX,
  notAnInteger,
} from "../errors.ts";
import { quotedEtag } from "../object-headers.ts";
import { clampToKeyLength, queryValue } from "../request.ts";
import { afterKeysStartingWith, type ObjectRecord, objectKey, successor } from "../store.ts";
import { el, isoTime, xmlDocument } from "../xml.ts";
import { bucketOf, xmlResponse } from "./shared.ts";

/** S3 returns at most 1,000 keys per page (ListObjectsV2 API reference). */
const KEYS_PER_PAGE_MAX = 1000;

type Item = { kind: "key"; value: string } | { kind: "prefix"; value: string };

interface Page {
  contents: ObjectRecord[];
  prefixes: string[];
  truncated: boolean;
  last?: Item;
}

interface ListParams {
  bucket: string;
  prefix: string;
  delimiter?: string;
  maxKeys: number;
  /** Storage key the scan starts at. */
  start: Uint8Array;
}

export async function listPage(s3: S3Parts, params: ListParams): Promise<Page> {
  const { bucket, prefix, delimiter, maxKeys } = params;
  const page: Page = { contents: [], prefixes: [], truncated: false };
  // No key is longer than 1024 bytes, so a longer prefix matches nothing (and is never a storage key).
  if (maxKeys === 0 || Buffer.byteLength(prefix) > KEY_BYTES_MAX) return page;
  const prefixStart = objectKey(bucket, prefix);
  const end = afterKeysStartingWith(bucket, prefix);
  let start = Buffer.compare(params.start, prefixStart) > 0 ? params.start : prefixStart;
  let count = 0;
  for (;;) {
    let jumpTo: Uint8Array | undefined;
    for await (const record of s3.store.objectsBetween(s3.store.storage, start, end)) {
      const cut = delimiter ? record.key.indexOf(delimiter, prefix.length) : -1;
      if (count === maxKeys) {
        page.truncated = true;
        return page;
      }
      count++;
      if (delimiter && cut >= 0) {
        const common = record.key.slice(0, cut + delimiter.length);
        page.prefixes.push(common);
        page.last = { kind: "prefix", value: common };
        jumpTo = afterKeysStartingWith(bucket, common);
        break;
      }
      page.contents.push(record);
      page.last = { kind: "key", value: record.key };
    }
    if (!jumpTo) return page;
    start = jumpTo;
  }
}

/** Where a page resumes: after a key, or after every key under a common prefix. */
function startAfterItem(bucket: string, item: Item): Uint8Array {
  return item.kind === "prefix"
    ? afterKeysStartingWith(bucket, clampToKeyLength(item.value))
    : successor(objectKey(bucket, clampToKeyLength(item.value)));
}

function encodeToken(item: Item): string {
  return Buffer.from(`${item.kind === "key" ? "k" : "p"}:${item.value}`, "utf8").toString("base64");
}

function decodeToken(token: string): Item {
  const text = Buffer.from(token, "base64").toString("utf8");
  if (text.startsWith("k:")) return { kind: "key", value: text.slice(2) };
  if (text.startsWith("p:")) return { kind: "prefix", value: text.slice(2) };
  throw invalidContinuationToken(token);
}

export function maxKeysOf(request: ServiceRequest): number {
  const text = queryValue(request, "max-keys");
  if (text === undefined) return KEYS_PER_PAGE_MAX;
  if (!/^-?\d+$/.test(text.trim()) || !Number.isSafeInteger(Number(text)))
    throw notAnInteger("max-keys", text);
  const value = Number(text);
  if (value < 0)
    throw invalidArgument("Argument maxKeys must be an integer between 0 and 2147483647", "maxKeys", text);
  return Math.min(value, KEYS_PER_PAGE_MAX);
}

/** `encoding-type=url`: names in the answer are URL-encoded (spaces as `+`, `/` kept), for keys XML cannot carry. */
export function encoderOf(request: ServiceRequest): { encode: (text: string) => string; type?: string } {
  const type = queryValue(request, "encoding-type");
  if (type === undefined) return { encode: (text) => text };
  if (type.toLowerCase() !== "url") throw invalidEncodingType(type);
  return {
    type: "url",
    encode: (text) => encodeURIComponent(text).replace(/%2F/g, "/").replace(/%20/g, "+"),
  };
}

function contentsXml(record: ObjectRecord, encode: (text: string) => string, withOwner: boolean): string {
  return (
    `<Contents>${el("Key", encode(record.key))}${el("LastModified", isoTime(record.lastModified))}` +
    `${el("ETag", quotedEtag(record))}${el("ChecksumAlgorithm", record.checksum.algorithm.toUpperCase())}` +
    `${el("ChecksumType", record.checksum.type ?? "FULL_OBJECT")}${el("Size", record.size)}` +
    `${withOwner ? ownerXml(record.owner) : ""}${el("StorageClass", "STANDARD")}</Contents>`
  );
}

export function prefixesXml(prefixes: string[], encode: (text: string) => string): string {
  return prefixes
    .map((prefix) => `<CommonPrefixes>${el("Prefix", encode(prefix))}</CommonPrefixes>`)
    .join("");
}

export function listObjectsV2(s3: S3Parts): OperationHandler {
  return async (request) => {
    const bucket = await bucketOf(s3, request);
    const { encode, type } = encoderOf(request);
    const maxKeys = maxKeysOf(request);
    const prefix = queryValue(request, "prefix") ?? "";
    const delimiter = queryValue(request, "delimiter") || undefined;
    const token = queryValue(request, "continuation-token");
    const startAfter = queryValue(request, "start-after");
    let start: Uint8Array = new Uint8Array([0]);
    if (token !== undefined) start = startAfterItem(bucket.name, decodeToken(token));
    else if (startAfter !== undefined && startAfter !== "")
      start = successor(objectKey(bucket.name, clampToKeyLength(startAfter)));
    const page = await listPage(s3, { bucket: bucket.name, prefix, delimiter, maxKeys, start });
    const withOwner = queryValue(request, "fetch-owner") === "true";
    const inner =
      el("Name", bucket.name) +
      el("Prefix", encode(prefix)) +
      (page.truncated && page.last ? el("NextContinuationToken", encodeToken(page.last)) : "") +
      el("KeyCount", page.contents.length + page.prefixes.length) +
      el("MaxKeys", queryValue(request, "max-keys") === undefined ? KEYS_PER_PAGE_MAX : maxKeys) +
      (delimiter !== undefined ? el("Delimiter", encode(delimiter)) : "") +
      el("IsTruncated", page.truncated) +
      page.contents.map((record) => contentsXml(record, encode, withOwner)).join("") +
      prefixesXml(page.prefixes, encode) +
      el("EncodingType", type) +
      el("ContinuationToken", token) +
      (startAfter !== undefined ? el("StartAfter", encode(startAfter)) : "");
    return xmlResponse(xmlDocument("ListBucketResult", inner));
  };
}

export function listObjects(s3: S3Parts): OperationHandler {
  return async (request) => {
    const bucket = await bucketOf(s3, request);
    const { encode, type } = encoderOf(request);
    const maxKeys = maxKeysOf(request);
    const prefix = queryValue(request, "prefix") ?? "";
    const delimiter = queryValue(request, "delimiter") || undefined;
    const marker = queryValue(request, "marker") ?? "";
    let start: Uint8Array = new Uint8Array([0]);
    if (marker !== "") {
      // A NextMarker that is a common prefix resumes after everything under it.
      const rolledUp = delimiter !== undefined && marker.startsWith(prefix) && marker.endsWith(delimiter);
      start = rolledUp
        ? afterKeysStartingWith(bucket.name, clampToKeyLength(marker))
        : successor(objectKey(bucket.name, clampToKeyLength(marker)));
    }
    const page = await listPage(s3, { bucket: bucket.name, prefix, delimiter, maxKeys, start });
    const inner =
      el("Name", bucket.name) +
      el("Prefix", encode(prefix)) +
      el("Marker", encode(marker)) +
      // S3 sends NextMarker only with a delimiter; without one, the last key is the next marker.
      (page.truncated && delimiter !== undefined && page.last
        ? el("NextMarker", encode(page.last.value))
        : "") +
      el("MaxKeys", queryValue(request, "max-keys") === undefined ? KEYS_PER_PAGE_MAX : maxKeys) +
      (delimiter !== undefined ? el("Delimiter", encode(delimiter)) : "") +
      el("IsTruncated", page.truncated) +
      page.contents.map((record) => contentsXml(record, encode, true)).join("") +
      prefixesXml(page.prefixes, encode) +
      el("EncodingType", type);
    return xmlResponse(xmlDocument("ListBucketResult", inner));
  };
}
