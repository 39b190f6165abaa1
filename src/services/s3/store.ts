/**
 * S3 metadata over the shared KV store. No HTTP here. Bucket names are global across accounts, as in
 * AWS, so buckets and objects are keyed by bucket name alone; the owning account is a field.
 *
 * Layout (tuple keys; values JSON with a format number `v`):
 *   ("s3", "bucket", bucket)             BucketRecord
 *   ("s3", "owned", account, bucket)     ""  — ListBuckets walks an account's buckets in name order
 *   ("s3", "object", bucket, key)        ObjectRecord — ListObjects is a range scan in key order
 *                                        (UTF-8 byte order, S3's own listing order)
 *   ("s3", "blob", blobId)               ""  — the body files metadata names, for the orphan sweep
 *   ("s3", "inline", blobId)             the bytes of a small body kept in the store (inline-bodies.ts)
 *   multipart uploads and their parts: multipart-store.ts
 *
 * An object's body file is published (blobs.ts) before the transaction that points at it commits;
 * the body it replaces is removed only after that commit. So a record never names a missing file,
 * and a crash leaves at worst an unnamed file, which the sweep removes.
 */

import type { ChecksumAlgorithm } from "../../aws/sigv4/checksums.ts";
import { DecodedReads } from "../../storage/decoded-reads.ts";
import type { KvReader, KvStore, KvTransaction } from "../../storage/kv.ts";
import { decodeTuple, prefixEnd, tuple, tupleRange } from "../../storage/tuple.ts";
import type { Grant } from "./access/acl.ts";
import { BucketSettingsCache } from "./bucket-settings-cache.ts";
import { noSuchBucket } from "./errors.ts";
import { InlineBodyCache, isInlineBlob } from "./inline-bodies.ts";

const FORMAT = 1;

export interface BucketRecord {
  v: number;
  name: string;
  account: string;
  region: string;
  /** Epoch milliseconds. */
  created: number;
  /** Bucket tags (PutBucketTagging); absent when there are none. */
  tags?: [key: string, value: string][];
}

/** The headers S3 stores with an object and serves back on GET/HEAD. */
export interface ContentHeaders {
  contentType: string;
  contentEncoding?: string;
  contentDisposition?: string;
  contentLanguage?: string;
  cacheControl?: string;
  /** Kept as sent: S3 echoes the client's text. */
  expires?: string;
}

export interface StoredChecksum {
  algorithm: ChecksumAlgorithm;
  /** Base64, as on the wire; a multipart object's COMPOSITE checksum ends in `-<parts>`. */
  value: string;
  /** Absent: FULL_OBJECT (a checksum of the whole body). */
  type?: "FULL_OBJECT" | "COMPOSITE";
}

export interface ObjectRecord extends ContentHeaders {
  v: number;
  key: string;
  blob: string;
  size: number;
  /** Lower-case hex MD5 of the body (the ETag without its quotes); `<md5 of part MD5s>-<parts>` for multipart. */
  etag: string;
  /** Epoch milliseconds, whole seconds (HTTP dates carry no more). */
  lastModified: number;
  /** x-amz-meta-* names (lower case, without the prefix) and values. */
  metadata: Record<string, string>;
  checksum: StoredChecksum;
  /** The account that wrote the object: ListObjects' Owner. */
  owner: string;
  /** Object tags (tagging.ts), in the order given; absent when there are none. */
  tags?: [key: string, value: string][];
  /** The version id; absent for the `null` version (every object of a never-versioned bucket). */
  versionId?: string;
  /** Order of the versions of one key (versioning/versions.ts); absent counts as 0. */
  seq?: number;
  /** Epoch ms when a newer version replaced this one (noncurrent versions only): lifecycle counts from it. */
  noncurrentSince?: number;
  /** The object's ACL grants (access/acl.ts); absent: private (the owner's FULL_CONTROL only). */
  acl?: Grant[];
  /** x-amz-website-redirect-location: website endpoints answer 301 to it (website/data-plane.ts). */
  websiteRedirectLocation?: string;
}

/** A delete marker (versioned buckets): stands where an object was, answers 404 / 405. */
export interface DeleteMarkerRecord {
  v: number;
  key: string;
  deleteMarker: true;
  versionId?: string;
  seq?: number;
  lastModified: number;
  owner: string;
  noncurrentSince?: number;
}

/** One version of a key: an object or a delete marker. */
export type VersionRecord = ObjectRecord | DeleteMarkerRecord;

export function isDeleteMarker(record: VersionRecord): record is DeleteMarkerRecord {
  return (record as DeleteMarkerRecord).deleteMarker === true;
}

/** The version id S3 shows: `null` for the null version. */
export function versionIdOf(record: VersionRecord): string {
  return record.versionId ?? "null";
}

export type VersioningStatus = "Enabled" | "Suspended";

const fromUtf8 = new TextDecoder();
// Buffer.from rather than TextEncoder: ~4× cheaper for records of a few hundred bytes (every write).
const encode = (value: unknown): Uint8Array => Buffer.from(JSON.stringify(value));
const decode = <T>(bytes: Uint8Array): T => JSON.parse(fromUtf8.decode(bytes)) as T;
const EMPTY = new Uint8Array(0);

/**
 * Bucket-level keys (the bucket record, its settings) are built for every request, and a handful of
 * buckets take nearly all of them: encoded once and kept (tuple encoding showed in the 1 KB GET
 * profile). Bounded: cleared when full. Storage copies keys it keeps, so sharing one array is safe.
 */
const bucketKeys = new Map<string, Uint8Array>();
const BUCKET_KEYS_MAX = 4096;
function memoBucketKey(kind: string, bucket: string): Uint8Array {
  const id = `${kind}\0${bucket}`;
  let key = bucketKeys.get(id);
  if (key === undefined) {
    if (bucketKeys.size >= BUCKET_KEYS_MAX) bucketKeys.clear();
    key = tuple("s3", kind, bucket);
    bucketKeys.set(id, key);
  }
  return key;
}

export const bucketKey = (bucket: string) => memoBucketKey("bucket", bucket);
const ownedKey = (account: string, bucket: string) => tuple("s3", "owned", account, bucket);
export const objectKey = (bucket: string, key: string) => tuple("s3", "object", bucket, key);
export const blobKey = (id: string) => tuple("s3", "blob", id);
export const inlineKey = (id: string) => tuple("s3", "inline", id);
/** Noncurrent versions of a key, newest first (the sequence number is stored inverted). */
const SEQ_TOP = Number.MAX_SAFE_INTEGER;
export const noncurrentKey = (bucket: string, key: string, seq: number) =>
  tuple("s3", "noncurrent", bucket, key, SEQ_TOP - seq);
/** Bucket sub-resources kept beside the bucket record, each its own key so writers do not collide. */
export type BucketConfigKind =
  | "versioning"
  | "lifecycle"
  | "notification"
  // access/, cors/, website/: CORS rules, policy, ACL, public access block, ownership, website.
  | "cors"
  | "policy"
  | "acl"
  | "public-access-block"
  | "ownership"
  | "website";
const BUCKET_CONFIG_KINDS: readonly BucketConfigKind[] = [
  "versioning",
  "lifecycle",
  "notification",
  "cors",
  "policy",
  "acl",
  "public-access-block",
  "ownership",
  "website",
];
export const bucketConfigKey = (kind: BucketConfigKind, bucket: string) => memoBucketKey(kind, bucket);

async function readVersioning(r: KvReader, bucket: string): Promise<VersioningStatus | undefined> {
  const bytes = await r.get(bucketConfigKey("versioning", bucket));
  return bytes && decode<{ status: VersioningStatus }>(bytes).status;
}

async function readConfig<T>(r: KvReader, kind: BucketConfigKind, bucket: string): Promise<T | undefined> {
  const bytes = await r.get(bucketConfigKey(kind, bucket));
  return bytes && decode<T>(bytes);
}

export class S3Store {
  /**
   * Bucket records and latest object versions, kept decoded while their bytes stay the same: every
   * object request reads its bucket, every GET its object's record, and JSON.parse of them was ~8 µs
   * of a 1 KB GET. The values are frozen: callers copy before they change anything.
   */
  readonly #decoded = new DecodedReads(4096, { freeze: true });
  /** Recently read inline bodies (inline-bodies.ts InlineBodyCache). */
  readonly #inlineBodies = new InlineBodyCache();
  /** Bucket records and settings between the writes that change them (bucket-settings-cache.ts). */
  readonly #settings = new BucketSettingsCache();
  /** The KV store; S3's reads and transactions go through this (it keeps #settings right). */
  readonly storage: KvStore;

  constructor(storage: KvStore) {
    this.storage = this.#settings.track(storage);
  }

  newBucketRecord(name: string, account: string, region: string, created: number): BucketRecord {
    return { v: FORMAT, name, account, region, created };
  }

  // The reads below pass their closures inline: tsx compiles with esbuild's keepNames, which wraps a
  // closure bound to a name in a `__name()` call (an Object.defineProperty) each time it is created.
  getBucket(r: KvReader, bucket: string): Promise<BucketRecord | undefined> {
    return r === this.storage
      ? this.#settings.get(`bucket\0${bucket}`, () => this.#readBucket(r, bucket))
      : this.#readBucket(r, bucket);
  }

  #readBucket(r: KvReader, bucket: string): Promise<BucketRecord | undefined> {
    return this.#decoded.get<BucketRecord>(r, `b\0${bucket}`, () => bucketKey(bucket));
  }

  /** The bucket, or NoSuchBucket. */
  async requireBucket(r: KvReader, bucket: string): Promise<BucketRecord> {
    const record = await this.getBucket(r, bucket);
    if (!record) throw noSuchBucket(bucket);
    return record;
  }

  putBucket(tx: KvTransaction, record: BucketRecord): void {
    this.#settings.written(tx);
    tx.put(bucketKey(record.name), encode(record));
    tx.put(ownedKey(record.account, record.name), EMPTY);
  }

  deleteBucket(tx: KvTransaction, record: BucketRecord): void {
    this.#settings.written(tx);
    tx.delete(bucketKey(record.name));
    tx.delete(ownedKey(record.account, record.name));
    // A bucket re-created under the name starts without the old one's settings.
    for (const kind of BUCKET_CONFIG_KINDS) tx.delete(bucketConfigKey(kind, record.name));
  }

  getVersioning(r: KvReader, bucket: string): Promise<VersioningStatus | undefined> {
    return r === this.storage
      ? this.#settings.get(`versioning\0${bucket}`, () => readVersioning(r, bucket))
      : readVersioning(r, bucket);
  }

  putVersioning(tx: KvTransaction, bucket: string, status: VersioningStatus): void {
    this.#settings.written(tx);
    tx.put(bucketConfigKey("versioning", bucket), encode({ v: FORMAT, status }));
  }

  /** A bucket setting stored as JSON (lifecycle rules, notification configuration). */
  getConfig<T>(
    r: KvReader,
    kind: Exclude<BucketConfigKind, "versioning">,
    bucket: string,
  ): Promise<T | undefined> {
    return r === this.storage
      ? this.#settings.get(`${kind}\0${bucket}`, () => readConfig<T>(r, kind, bucket))
      : readConfig<T>(r, kind, bucket);
  }

  putConfig(
    tx: KvTransaction,
    kind: Exclude<BucketConfigKind, "versioning">,
    bucket: string,
    value: unknown,
  ): void {
    this.#settings.written(tx);
    tx.put(bucketConfigKey(kind, bucket), encode(value));
  }

  deleteConfig(tx: KvTransaction, kind: Exclude<BucketConfigKind, "versioning">, bucket: string): void {
    this.#settings.written(tx);
    tx.delete(bucketConfigKey(kind, bucket));
  }

  /** The buckets that have a setting of this kind, by name. */
  async *bucketsWithConfig(r: KvReader, kind: "lifecycle" | "notification"): AsyncGenerator<string> {
    for await (const entry of r.range(tupleRange("s3", kind))) yield String(decodeTuple(entry.key).at(-1));
  }

  /** An account's bucket names in order, after `after` (exclusive) when given. */
  async *bucketNames(r: KvReader, account: string, after?: string): AsyncGenerator<string> {
    const range = tupleRange("s3", "owned", account);
    const start = after === undefined ? range.start : successor(ownedKey(account, after));
    for await (const entry of r.range({ start, end: range.end })) {
      yield String(decodeTuple(entry.key).at(-1));
    }
  }

  async hasObjects(r: KvReader, bucket: string): Promise<boolean> {
    for await (const _ of r.range({ ...tupleRange("s3", "object", bucket), limit: 1 })) return true;
    return false;
  }

  /** The key's current object; undefined when there is none or its latest version is a delete marker. */
  async getObject(r: KvReader, bucket: string, key: string): Promise<ObjectRecord | undefined> {
    const latest = await this.getLatest(r, bucket, key);
    return latest && !isDeleteMarker(latest) ? latest : undefined;
  }

  /** The key's latest version, delete markers included. */
  getLatest(r: KvReader, bucket: string, key: string): Promise<VersionRecord | undefined> {
    return this.#decoded.get<VersionRecord>(r, `o\0${bucket}\0${key}`, () => objectKey(bucket, key));
  }

  /** Stores `record` as the key's latest version, in place of what the key held (bookkeeping: versioning/versions.ts). */
  putLatest(tx: KvTransaction, bucket: string, record: VersionRecord): void {
    tx.put(objectKey(bucket, record.key), encode({ ...record, v: FORMAT }));
    if (!isDeleteMarker(record)) nameBlob(tx, record.blob);
  }

  deleteLatest(tx: KvTransaction, bucket: string, key: string): void {
    tx.delete(objectKey(bucket, key));
  }

  putNoncurrent(tx: KvTransaction, bucket: string, record: VersionRecord): void {
    tx.put(noncurrentKey(bucket, record.key, record.seq ?? 0), encode({ ...record, v: FORMAT }));
    if (!isDeleteMarker(record)) nameBlob(tx, record.blob);
  }

  deleteNoncurrent(tx: KvTransaction, bucket: string, record: VersionRecord): void {
    tx.delete(noncurrentKey(bucket, record.key, record.seq ?? 0));
  }

  /** A key's noncurrent versions, newest first. */
  async *noncurrent(r: KvReader, bucket: string, key: string): AsyncGenerator<VersionRecord> {
    for await (const entry of r.range(tupleRange("s3", "noncurrent", bucket, key)))
      yield decode<VersionRecord>(entry.value);
  }

  /**
   * Drops a body no record will point at any more: a file's name (the file goes after the commit), or
   * an inline body's bytes, in this transaction.
   */
  forgetBlob(tx: KvTransaction, id: string): void {
    if (isInlineBlob(id)) this.#inlineBodies.delete(id);
    tx.delete(isInlineBlob(id) ? inlineKey(id) : blobKey(id));
  }

  /** Stores an inline body; the transaction also writes the record naming `id`. */
  putInlineBody(tx: KvTransaction, id: string, bytes: Uint8Array): void {
    tx.put(inlineKey(id), bytes);
  }

  /**
   * An inline body's bytes; undefined once its version is gone (replaced since its record was read).
   * Read outside a transaction, recently read bodies come from memory (InlineBodyCache).
   */
  async getInlineBody(r: KvReader, id: string): Promise<Uint8Array | undefined> {
    if (r !== this.storage) return r.get(inlineKey(id));
    const kept = this.#inlineBodies.get(id);
    if (kept !== undefined) return kept;
    const bytes = await r.get(inlineKey(id));
    if (bytes !== undefined) this.#inlineBodies.set(id, bytes);
    return bytes;
  }

  /** Writes `record` in place of whatever the key held; returns the record it replaced. */
  async putObject(
    tx: KvTransaction,
    bucket: string,
    record: ObjectRecord,
  ): Promise<ObjectRecord | undefined> {
    const previous = await this.getObject(tx, bucket, record.key);
    tx.put(objectKey(bucket, record.key), encode({ ...record, v: FORMAT }));
    if (previous && previous.blob !== record.blob) this.forgetBlob(tx, previous.blob);
    nameBlob(tx, record.blob);
    return previous;
  }

  async deleteObject(tx: KvTransaction, bucket: string, key: string): Promise<ObjectRecord | undefined> {
    const previous = await this.getObject(tx, bucket, key);
    if (!previous) return undefined;
    tx.delete(objectKey(bucket, key));
    this.forgetBlob(tx, previous.blob);
    return previous;
  }

  async isLiveBlob(id: string): Promise<boolean> {
    return (await this.storage.get(blobKey(id))) !== undefined;
  }

  /**
   * Current objects of a bucket in key order, between storage keys `start` (inclusive) and `end`
   * (exclusive). Keys whose latest version is a delete marker are left out, as ListObjects does.
   */
  async *objectsBetween(r: KvReader, start: Uint8Array, end: Uint8Array): AsyncGenerator<ObjectRecord> {
    for await (const record of this.latestBetween(r, start, end)) if (!isDeleteMarker(record)) yield record;
  }

  /** Latest versions (delete markers included) between two storage keys, in key order. */
  async *latestBetween(r: KvReader, start: Uint8Array, end: Uint8Array): AsyncGenerator<VersionRecord> {
    for await (const entry of r.range({ start, end })) yield decode<VersionRecord>(entry.value);
  }
}

/** Names a body file for the orphan sweep; inline bodies have no file, so no name (one write fewer). */
function nameBlob(tx: KvTransaction, id: string): void {
  if (!isInlineBlob(id)) tx.put(blobKey(id), EMPTY);
}

/** The smallest storage key greater than `key`: where a scan that must skip `key` itself starts. */
export function successor(key: Uint8Array): Uint8Array {
  const next = new Uint8Array(key.length + 1);
  next.set(key);
  return next;
}

/**
 * The first storage key after every object whose key starts with `keyPrefix` (a string prefix, not a
 * tuple prefix): the tuple encoding of a string is its UTF-8 bytes (escaped) then a 0x00 terminator,
 * so dropping the terminator leaves a byte prefix shared by exactly those keys.
 */
export function afterKeysStartingWith(bucket: string, keyPrefix: string): Uint8Array {
  const encoded = objectKey(bucket, keyPrefix);
  const end = prefixEnd(encoded.subarray(0, encoded.length - 1));
  // A string item never ends in 0xFF (UTF-8 has no 0xFF byte), so prefixEnd always exists here.
  return end ?? successor(encoded);
}
