/**
 * A bucket's configuration properties and the S3 operations that set and remove each: at create every
 * given property is applied after CreateBucket; at update only the properties that changed, and a
 * property taken out of the template is removed from the bucket (versioning, which S3 cannot turn
 * off, is suspended instead; notifications are set to none).
 *
 * Order matters where settings depend on each other: public access block and ownership before the ACL
 * (a public ACL needs ACLs enabled and not blocked), tags and versioning before rules that read them.
 *
 * BucketEncryption is accepted and not applied: Stratus's S3 stores objects unencrypted and has no
 * PutBucketEncryption, and default encryption changes nothing a client can observe besides headers.
 */

import { type Props, record, records, sameJson, text } from "../property-values.ts";
import type { ProviderContext } from "../types.ts";
import {
  cannedAcl,
  corsXml,
  lifecycleXml,
  notificationXml,
  objectOwnership,
  ownershipXml,
  publicAccessBlockXml,
  tagsXml,
  versioningXml,
  websiteXml,
} from "./bucket-xml.ts";

export const BUCKET_TYPE = "AWS::S3::Bucket";

/** Properties naming S3 features Stratus does not emulate. */
const UNSUPPORTED: Readonly<Record<string, string>> = {
  AbacStatus: "attribute-based access control is not emulated (IAM is not enforced)",
  AccelerateConfiguration: "Transfer Acceleration is not emulated",
  AnalyticsConfigurations: "storage class analysis is not emulated",
  BucketNamePrefix: "bucket name prefixes are not supported",
  BucketNamespace: "account-regional bucket namespaces are not supported",
  IntelligentTieringConfigurations: "storage classes are not emulated",
  InventoryConfigurations: "S3 Inventory is not emulated",
  LoggingConfiguration: "server access logging is not emulated",
  MetadataConfiguration: "S3 Metadata is not emulated",
  MetadataTableConfiguration: "S3 Metadata is not emulated",
  MetricsConfigurations: "request metrics are not emulated",
  ObjectLockConfiguration: "Object Lock is not emulated",
  ReplicationConfiguration: "replication is not emulated",
};

export function checkSupported(properties: Props): void {
  for (const [name, reason] of Object.entries(UNSUPPORTED)) {
    if (properties[name] !== undefined) {
      throw new Error(`Property ${name} of ${BUCKET_TYPE} is not supported by Stratus: ${reason}.`);
    }
  }
  if (properties.ObjectLockEnabled === true || properties.ObjectLockEnabled === "true") {
    throw new Error(
      `Property ObjectLockEnabled of ${BUCKET_TYPE} is not supported by Stratus: Object Lock is not emulated.`,
    );
  }
}

async function s3(
  context: ProviderContext,
  operation: string,
  bucket: string,
  request: { body?: string; headers?: Record<string, string> } = {},
): Promise<void> {
  await context.call.callRaw("s3", operation, { pathParams: { Bucket: bucket }, ...request });
}

interface BucketFeature {
  readonly property: string;
  /** Already applied by CreateBucket's headers: nothing to do after it. */
  readonly setAtCreate?: boolean;
  put(context: ProviderContext, bucket: string, value: unknown): Promise<void>;
  remove(context: ProviderContext, bucket: string, before: unknown): Promise<void>;
}

const FEATURES: readonly BucketFeature[] = [
  {
    property: "PublicAccessBlockConfiguration",
    put: (context, bucket, value) =>
      s3(context, "PutPublicAccessBlock", bucket, { body: publicAccessBlockXml(record(value) ?? {}) }),
    remove: (context, bucket) => s3(context, "DeletePublicAccessBlock", bucket),
  },
  {
    property: "OwnershipControls",
    setAtCreate: true,
    async put(context, bucket, value) {
      const ownership = objectOwnership(value);
      if (ownership === undefined) return s3(context, "DeleteBucketOwnershipControls", bucket);
      await s3(context, "PutBucketOwnershipControls", bucket, { body: ownershipXml(ownership) });
    },
    remove: (context, bucket) => s3(context, "DeleteBucketOwnershipControls", bucket),
  },
  {
    property: "AccessControl",
    setAtCreate: true,
    put: (context, bucket, value) =>
      s3(context, "PutBucketAcl", bucket, { headers: { "x-amz-acl": cannedAcl(value) ?? "private" } }),
    remove: (context, bucket) => s3(context, "PutBucketAcl", bucket, { headers: { "x-amz-acl": "private" } }),
  },
  {
    property: "Tags",
    async put(context, bucket, value) {
      if (records(value).length === 0) return s3(context, "DeleteBucketTagging", bucket);
      await s3(context, "PutBucketTagging", bucket, { body: tagsXml(value) });
    },
    remove: (context, bucket) => s3(context, "DeleteBucketTagging", bucket),
  },
  {
    property: "VersioningConfiguration",
    put: (context, bucket, value) =>
      s3(context, "PutBucketVersioning", bucket, { body: versioningXml(record(value) ?? {}) }),
    async remove(context, bucket, before) {
      // S3 cannot turn versioning off once on; it can only suspend it.
      if (text(record(before)?.Status) !== "Enabled") return;
      await s3(context, "PutBucketVersioning", bucket, { body: versioningXml({ Status: "Suspended" }) });
    },
  },
  {
    property: "CorsConfiguration",
    put: (context, bucket, value) =>
      s3(context, "PutBucketCors", bucket, { body: corsXml(record(value) ?? {}) }),
    remove: (context, bucket) => s3(context, "DeleteBucketCors", bucket),
  },
  {
    property: "WebsiteConfiguration",
    put: (context, bucket, value) =>
      s3(context, "PutBucketWebsite", bucket, { body: websiteXml(record(value) ?? {}) }),
    remove: (context, bucket) => s3(context, "DeleteBucketWebsite", bucket),
  },
  {
    property: "LifecycleConfiguration",
    put: (context, bucket, value) =>
      s3(context, "PutBucketLifecycleConfiguration", bucket, { body: lifecycleXml(record(value) ?? {}) }),
    remove: (context, bucket) => s3(context, "DeleteBucketLifecycle", bucket),
  },
  {
    property: "NotificationConfiguration",
    put: (context, bucket, value) =>
      s3(context, "PutBucketNotificationConfiguration", bucket, {
        body: notificationXml(record(value) ?? {}),
      }),
    remove: (context, bucket) =>
      s3(context, "PutBucketNotificationConfiguration", bucket, { body: notificationXml({}) }),
  },
];

/** Checks what can be checked before any call (unsupported properties, members and values). */
export function checkConfiguration(properties: Props): void {
  checkSupported(properties);
  cannedAcl(properties.AccessControl);
  const notification = record(properties.NotificationConfiguration);
  if (notification) notificationXml(notification);
  const lifecycle = record(properties.LifecycleConfiguration);
  if (lifecycle) lifecycleXml(lifecycle);
}

/** After CreateBucket: every configuration property the template gives. */
export async function applyConfiguration(context: ProviderContext, bucket: string, properties: Props) {
  for (const feature of FEATURES) {
    const value = properties[feature.property];
    if (value === undefined || feature.setAtCreate) continue;
    await feature.put(context, bucket, value);
  }
}

/** On update: the properties that changed, set or removed. */
export async function updateConfiguration(
  context: ProviderContext,
  bucket: string,
  before: Props,
  after: Props,
): Promise<void> {
  for (const feature of FEATURES) {
    const old = before[feature.property];
    const value = after[feature.property];
    if (sameJson(old, value)) continue;
    if (value === undefined) await feature.remove(context, bucket, old);
    else await feature.put(context, bucket, value);
  }
}
