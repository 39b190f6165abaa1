/** The request-side details of an event notification: who asked, from where, with which request id. */
import type { ServiceRequest } from "../../service.ts";
import type { S3Parts } from "../context.ts";
import type { ObjectRecord, VersioningStatus } from "../store.ts";

/**
 * Reports a request's change to a key. Stratus does not see the caller's IAM identity, so the
 * principal is the account (`AWS:<account id>`); the source address is the loopback Stratus serves.
 */
export function notifyObjectEvent(
  s3: S3Parts,
  request: ServiceRequest,
  bucket: string,
  eventName: string,
  object: {
    key: string;
    record?: ObjectRecord;
    versionId?: string;
    versioning: VersioningStatus | undefined;
  },
): Promise<void> {
  const { record, versioning } = object;
  return s3.notifier.emit({
    bucket,
    eventName,
    key: object.key,
    ...(record ? { size: record.size, etag: record.etag } : {}),
    // Only buckets that have had versioning report a version id.
    ...(versioning !== undefined ? { versionId: object.versionId ?? record?.versionId ?? "null" } : {}),
    principalId: `AWS:${request.context.accountId}`,
    sourceIp: "127.0.0.1",
    requestId: request.context.requestId,
  });
}
