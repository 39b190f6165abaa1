/**
 * The event message S3 sends (user guide, "Event message structure"): one record per message,
 * eventVersion 2.1, the key URL-encoded as in a form (spaces as `+`), the ETag without quotes, the
 * version id only for buckets with versioning, and a sequencer that orders events of one key.
 */
import { canonicalUserId } from "../context.ts";
import type { BucketRecord } from "../store.ts";

export interface ObjectEvent {
  bucket: string;
  /** Without the `s3:` prefix: `ObjectCreated:Put`, `ObjectRemoved:DeleteMarkerCreated`... */
  eventName: string;
  key: string;
  size?: number;
  /** Hex, unquoted. */
  etag?: string;
  versionId?: string;
  /** The requester: `AWS:<account>`, or `s3.amazonaws.com` for lifecycle actions. */
  principalId: string;
  sourceIp: string;
  requestId: string;
  hostId: string;
  timeMs: number;
  sequencer: string;
}

/**
 * The key as S3 writes it in events: form encoding (`+` for a space; letters, digits and `.-_*` kept,
 * as Java's URLEncoder), with `/` kept as S3 shows it ("images/HappyFace.jpg" in the user guide).
 */
export function eventKey(key: string): string {
  return encodeURIComponent(key)
    .replace(/%20/g, "+")
    .replace(/%2F/g, "/")
    .replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export function s3EventRecord(event: ObjectEvent, bucket: BucketRecord, configurationId: string) {
  const object: Record<string, unknown> = { key: eventKey(event.key) };
  if (event.size !== undefined) object.size = event.size;
  if (event.etag !== undefined) object.eTag = event.etag;
  if (event.versionId !== undefined) object.versionId = event.versionId;
  object.sequencer = event.sequencer;
  return {
    Records: [
      {
        eventVersion: "2.1",
        eventSource: "aws:s3",
        awsRegion: bucket.region,
        eventTime: new Date(event.timeMs).toISOString(),
        eventName: event.eventName,
        userIdentity: { principalId: event.principalId },
        requestParameters: { sourceIPAddress: event.sourceIp },
        responseElements: { "x-amz-request-id": event.requestId, "x-amz-id-2": event.hostId },
        s3: {
          s3SchemaVersion: "1.0",
          configurationId,
          bucket: {
            name: bucket.name,
            ownerIdentity: { principalId: canonicalUserId(bucket.account) },
            arn: `arn:aws:s3:::${bucket.name}`,
          },
          object,
        },
      },
    ],
  };
}
