/**
 * S3 (restXml, path style `/{bucket}/{key}` and virtual-hosted `{bucket}.s3.localhost`, which the edge
 * maps to path style): buckets, objects with streamed bodies, conditional and ranged reads, copies,
 * listings, versioning, lifecycle expiration and event notifications to Lambda. Every other
 * operation of the model answers S3's 501 NotImplemented. docs/s3.md has the whole table, the
 * storage layout and the differences from S3.
 *
 * ## Gaps
 * - No encryption settings, object lock; notifications go to Lambda only (no SQS, SNS,
 *   EventBridge); lifecycle transitions are not emulated.
 * ## By design
 * - IAM is not enforced: any account may read and write any bucket (ListBuckets lists one's own).
 *   Bucket policies, ACLs and Block Public Access decide what anonymous callers may read; CORS and
 *   website endpoints are sharing.ts, access/, cors/, website/.
 */
import { Readable } from "node:stream";
import type { OperationHandler, ServiceDeps } from "../service.ts";
import { S3Api } from "./api.ts";
import { BlobFiles } from "./blobs.ts";
import type { S3Parts } from "./context.ts";
import { LifecycleSweeper } from "./lifecycle/sweeper.ts";
import { MultipartStore } from "./multipart-store.ts";
import { type NotificationTarget, S3Notifier } from "./notifications/notifier.ts";
import { deleteBucketTagging, getBucketTagging, putBucketTagging } from "./operations/bucket-tagging.ts";
import {
  createBucket,
  deleteBucket,
  getBucketLocation,
  headBucket,
  listBuckets,
} from "./operations/buckets.ts";
import { copyObject } from "./operations/copy-object.ts";
import { deleteObject, deleteObjects } from "./operations/delete-objects.ts";
import { getObject, headObject } from "./operations/get-object.ts";
import {
  deleteBucketLifecycle,
  getBucketLifecycleConfiguration,
  putBucketLifecycleConfiguration,
} from "./operations/lifecycle.ts";
import { listObjects, listObjectsV2 } from "./operations/list-objects.ts";
import { completeMultipartUpload } from "./operations/multipart-complete.ts";
import { listMultipartUploads, listParts } from "./operations/multipart-list.ts";
import { abortMultipartUpload, createMultipartUpload, uploadPart } from "./operations/multipart-upload.ts";
import {
  getBucketNotificationConfiguration,
  putBucketNotificationConfiguration,
} from "./operations/notification-config.ts";
import { getObjectAttributes } from "./operations/object-attributes.ts";
import { deleteObjectTagging, getObjectTagging, putObjectTagging } from "./operations/object-tagging.ts";
import {
  getBucketVersioning,
  listObjectVersions,
  putBucketVersioning,
} from "./operations/object-versions.ts";
import { putObject } from "./operations/put-object.ts";
import { uploadPartCopy } from "./operations/upload-part-copy.ts";
import { discardBody } from "./request.ts";
import { SHARING_READS_BODY, sharingOperations, withSharing } from "./sharing.ts";
import { S3Store } from "./store.ts";

export type { PutObjectInput, StoredObject } from "./api.ts";
export { S3Api } from "./api.ts";
export type { NotificationTarget } from "./notifications/notifier.ts";

/** The operations that read their request body themselves (all others have none to read). */
const READS_BODY = new Set([
  "CreateBucket",
  "PutObject",
  "UploadPart",
  "CompleteMultipartUpload",
  "DeleteObjects",
  "PutObjectTagging",
  "PutBucketTagging",
  "PutBucketVersioning",
  "PutBucketLifecycleConfiguration",
  "PutBucketNotificationConfiguration",
  ...SHARING_READS_BODY,
]);

/** How often lifecycle rules are applied (by the injected clock's time; see lifecycle/sweeper.ts). */
const LIFECYCLE_SWEEP_MS = 1000;

export interface S3Service {
  readonly parts: S3Parts;
  /** S3 for other services, in-process: `api.read(bucket, key)`, `api.put({...})`, `api.createBucket(...)`. */
  readonly api: S3Api;
  readonly operations: Record<string, OperationHandler>;
  /** Binds event notifications to their destination (Lambda, created after S3): registry.ts. */
  connectNotifications(target: NotificationTarget): void;
  /** Applies lifecycle rules now (the sweep also runs every second); resolves to the changes made. */
  sweepLifecycle(): Promise<number>;
}

export function createS3Service(deps: ServiceDeps): S3Service {
  const blobs = new BlobFiles(deps.blobDir);
  const store = new S3Store(deps.storage);
  const parts: S3Parts = {
    store,
    blobs,
    multipart: new MultipartStore(),
    logger: deps.logger,
    notifier: new S3Notifier(store, deps.clock, deps.logger),
  };
  const lifecycle = new LifecycleSweeper(parts, deps.clock);
  // Wall time, not the injected clock: it is compared with file modification times.
  const startedAt = new Date();
  // Requests wait for the folders; the orphan sweep runs behind them: it only touches bodies that no
  // metadata names and that were written before this start (see blobs.ts), i.e. crash leftovers.
  const ready = blobs.init();
  const swept = ready
    .then(() => blobs.sweep((id) => parts.store.isLiveBlob(id), startedAt))
    .then((removed) => {
      if (removed > 0) deps.logger.info(`S3: removed ${removed} orphaned object bodies`);
    })
    .catch((error: Error) => deps.logger.warn(`S3: orphan sweep failed: ${error.message}`));
  const guarded =
    (name: string, handler: OperationHandler): OperationHandler =>
    async (request) => {
      const body = request.body;
      if (body instanceof Readable) {
        // The edge verifies a streamed body as it is read; a verifier that fails on a body nobody
        // reads must not become an unhandled 'error' event (a crash). Readers still see the error.
        body.on("error", () => {});
        // Operations without a body still answer a body that fails verification (a wrong
        // x-amz-content-sha256 on a GET) with its own error, before anything else.
        if (!READS_BODY.has(name)) await discardBody(request);
      }
      await ready;
      try {
        return await handler(request);
      } finally {
        // Whatever the operation left unread is read away, so the connection stays usable.
        if (body instanceof Readable && !body.readableEnded && !body.destroyed) body.resume();
      }
    };
  const operations: Record<string, OperationHandler> = {
    CreateBucket: createBucket(parts),
    HeadBucket: headBucket(parts),
    DeleteBucket: deleteBucket(parts),
    ListBuckets: listBuckets(parts),
    GetBucketLocation: getBucketLocation(parts),
    GetBucketTagging: getBucketTagging(parts),
    PutBucketTagging: putBucketTagging(parts),
    DeleteBucketTagging: deleteBucketTagging(parts),
    GetBucketVersioning: getBucketVersioning(parts),
    ListObjectVersions: listObjectVersions(parts),
    PutObject: putObject(parts),
    GetObject: getObject(parts),
    HeadObject: headObject(parts),
    DeleteObject: deleteObject(parts),
    DeleteObjects: deleteObjects(parts),
    CopyObject: copyObject(parts),
    ListObjectsV2: listObjectsV2(parts),
    ListObjects: listObjects(parts),
    CreateMultipartUpload: createMultipartUpload(parts),
    UploadPart: uploadPart(parts),
    UploadPartCopy: uploadPartCopy(parts),
    CompleteMultipartUpload: completeMultipartUpload(parts),
    AbortMultipartUpload: abortMultipartUpload(parts),
    ListParts: listParts(parts),
    ListMultipartUploads: listMultipartUploads(parts),
    GetObjectAttributes: getObjectAttributes(parts),
    GetObjectTagging: getObjectTagging(parts),
    PutObjectTagging: putObjectTagging(parts),
    DeleteObjectTagging: deleteObjectTagging(parts),
    PutBucketVersioning: putBucketVersioning(parts),
    PutBucketLifecycleConfiguration: putBucketLifecycleConfiguration(parts),
    GetBucketLifecycleConfiguration: getBucketLifecycleConfiguration(parts),
    DeleteBucketLifecycle: deleteBucketLifecycle(parts),
    PutBucketNotificationConfiguration: putBucketNotificationConfiguration(parts),
    GetBucketNotificationConfiguration: getBucketNotificationConfiguration(parts),
    ...sharingOperations(parts),
  };
  // Every operation checks anonymous callers and answers CORS headers (sharing.ts).
  for (const [name, handler] of Object.entries(operations))
    operations[name] = guarded(name, withSharing(parts, name, handler));
  void ready.then(() => lifecycle.start(LIFECYCLE_SWEEP_MS));
  deps.onClose(() => swept);
  deps.onClose(() => lifecycle.stop());
  return {
    parts,
    operations,
    api: new S3Api(parts, deps.clock, ready),
    connectNotifications: (target) => parts.notifier.connect(target),
    sweepLifecycle: () => lifecycle.sweep(),
  };
}
