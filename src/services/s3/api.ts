/**
 * S3 for other parts of Stratus, in-process (ARCHITECTURE: services call each other through typed
 * interfaces, never over HTTP): Lambda reading function code from `S3Bucket`/`S3Key`, CloudFormation
 * reading a `TemplateURL`, a CDN serving objects. Reads and writes go through the same store, files
 * and commit as the HTTP operations, and fail with the same AwsErrors (NoSuchBucket, NoSuchKey...).
 *
 * ## By design
 * - No authorisation: callers act for the account they pass (the owner recorded on written objects).
 */
import { Readable } from "node:stream";
import type { Clock } from "../../aws/clock.ts";
import { openBody } from "./body-reads.ts";
import { insertBucket, removeBucket } from "./bucket-writes.ts";
import type { S3Parts } from "./context.ts";
import { invalidRange, KEY_BYTES_MAX, keyTooLong, noSuchBucket, noSuchKey } from "./errors.ts";
import { couldBeBucketName } from "./names.ts";
import { DEFAULT_CONTENT_TYPE, quotedEtag } from "./object-headers.ts";
import { commitObject, receiveObjectBody, removeBlobs } from "./object-writes.ts";
import { wholeSeconds } from "./operations/put-object.ts";
import type { ObjectRecord } from "./store.ts";
import { deleteInTransaction } from "./versioning/delete.ts";

/** What callers see of a stored object. */
export interface StoredObject {
  bucket: string;
  key: string;
  size: number;
  /** Quoted, as in HTTP: `"…"`. */
  etag: string;
  lastModified: Date;
  contentType: string;
  metadata: Readonly<Record<string, string>>;
}

export interface PutObjectInput {
  /** The account writing (the object's owner). */
  account: string;
  bucket: string;
  key: string;
  body: Buffer | Readable;
  contentType?: string;
  metadata?: Record<string, string>;
}

/** A body replaced between reading its metadata and opening its file is looked up again, this often. */
const READ_ATTEMPTS = 3;

export class S3Api {
  readonly #s3: S3Parts;
  readonly #clock: Clock;
  readonly #ready: Promise<void>;

  constructor(s3: S3Parts, clock: Clock, ready: Promise<void>) {
    this.#s3 = s3;
    this.#clock = clock;
    this.#ready = ready;
  }

  /**
   * Creates a bucket for `account` in `region` (InvalidBucketName, BucketAlreadyExists,
   * BucketAlreadyOwnedByYou as CreateBucket at that region's endpoint).
   */
  async createBucket(input: { account: string; bucket: string; region: string }): Promise<void> {
    await this.#ready;
    await insertBucket(this.#s3, {
      name: input.bucket,
      account: input.account,
      region: input.region,
      endpointRegion: input.region,
      now: this.#clock.now().getTime(),
    });
  }

  /** Deletes an empty bucket (NoSuchBucket, BucketNotEmpty), aborting its unfinished uploads. */
  async deleteBucket(bucket: string): Promise<void> {
    await this.#ready;
    await this.#bucket(bucket);
    await removeBucket(this.#s3, bucket);
  }

  /** Deletes an object; a missing key is fine, as DeleteObject. */
  async deleteObject(bucket: string, key: string): Promise<void> {
    await this.#ready;
    await this.#bucket(bucket);
    if (Buffer.byteLength(key) > KEY_BYTES_MAX) return;
    // As DeleteObject: a delete marker in versioned buckets (versioning/delete.ts).
    // No caller here: a marker is owned by the bucket's account.
    const owner = await this.#s3.store.getBucket(this.#s3.store.storage, bucket);
    const context = { accountId: owner?.account ?? "", clock: this.#clock };
    const outcome = await this.#s3.store.storage.transaction((tx) =>
      deleteInTransaction(this.#s3, tx, bucket, key, undefined, context),
    );
    await removeBlobs(this.#s3, outcome.orphanedBlobs);
  }

  /** The object's metadata. */
  async head(bucket: string, key: string): Promise<StoredObject> {
    return view(bucket, await this.#record(bucket, key));
  }

  /** The object's body as a stream (a range is inclusive, and must lie within the object). */
  async read(
    bucket: string,
    key: string,
    range?: { start: number; end: number },
  ): Promise<{ object: StoredObject; body: Readable }> {
    for (let attempt = 0; attempt < READ_ATTEMPTS; attempt++) {
      const record = await this.#record(bucket, key);
      const start = range?.start ?? 0;
      const end = Math.min(range?.end ?? record.size - 1, record.size - 1);
      if (range && (start > end || range.start > range.end)) {
        throw invalidRange(`bytes=${range.start}-${range.end}`, record.size);
      }
      if (record.size === 0) return { object: view(bucket, record), body: Readable.from([]) };
      const body = await openBody(this.#s3, record, start, end);
      if (!body) continue;
      // An inline body may be shared with S3's cache of them (InlineBodyCache): callers get their own copy.
      return {
        object: view(bucket, record),
        body: body instanceof Readable ? body : Readable.from([Buffer.from(body)]),
      };
    }
    throw noSuchKey(key);
  }

  /** Stores a body under bucket/key, replacing what was there; resolves once durable. */
  async put(input: PutObjectInput): Promise<StoredObject> {
    await this.#ready;
    const size = Buffer.byteLength(input.key);
    if (size > KEY_BYTES_MAX) throw keyTooLong(size);
    await this.#bucket(input.bucket);
    const { blob, digests, inline } = await receiveObjectBody(this.#s3, input.body, {
      algorithm: "crc64nvme",
    });
    const record: ObjectRecord = {
      v: 1,
      key: input.key,
      blob,
      size: digests.size,
      etag: digests.md5Hex,
      lastModified: wholeSeconds(this.#clock.now().getTime()),
      contentType: input.contentType ?? DEFAULT_CONTENT_TYPE,
      metadata: Object.fromEntries(
        Object.entries(input.metadata ?? {}).map(([k, v]) => [k.toLowerCase(), v]),
      ),
      checksum: digests.checksum,
      owner: input.account,
    };
    await commitObject(this.#s3, input.bucket, record, inline ? { inline } : {});
    return view(input.bucket, record);
  }

  async #bucket(bucket: string): Promise<void> {
    const record = couldBeBucketName(bucket)
      ? await this.#s3.store.getBucket(this.#s3.store.storage, bucket)
      : undefined;
    if (!record) throw noSuchBucket(bucket);
  }

  async #record(bucket: string, key: string): Promise<ObjectRecord> {
    await this.#ready;
    await this.#bucket(bucket);
    const record =
      Buffer.byteLength(key) > KEY_BYTES_MAX
        ? undefined
        : await this.#s3.store.getObject(this.#s3.store.storage, bucket, key);
    if (!record) throw noSuchKey(key);
    return record;
  }
}

function view(bucket: string, record: ObjectRecord): StoredObject {
  return {
    bucket,
    key: record.key,
    size: record.size,
    etag: quotedEtag(record),
    lastModified: new Date(record.lastModified),
    contentType: record.contentType,
    metadata: record.metadata,
  };
}
