/**
 * `x-amz-expiration` on GetObject/HeadObject (and PutObject on S3): when the object will expire under
 * the bucket's lifecycle rules and which rule says so, as
 * `expiry-date="Fri, 23 Dec 2012 00:00:00 GMT", rule-id="picture-deletion-rule"` (GetObject API
 * reference). With several rules the earliest expiry wins.
 */
import type { S3Parts } from "../context.ts";
import { httpDate } from "../object-headers.ts";
import type { ObjectRecord } from "../store.ts";
import { expiryOf, type LifecycleConfig, ruleApplies } from "./config.ts";

export async function expirationHeader(
  s3: S3Parts,
  bucket: string,
  record: ObjectRecord,
): Promise<string | undefined> {
  // Only the current version expires by Expiration; noncurrent versions follow other rules.
  if (record.noncurrentSince !== undefined) return undefined;
  const config = await s3.store.getConfig<LifecycleConfig>(s3.store.storage, "lifecycle", bucket);
  let best: { at: number; id: string } | undefined;
  for (const rule of config?.rules ?? []) {
    if (!ruleApplies(rule, record)) continue;
    const at = expiryOf(rule, record.lastModified);
    if (at !== undefined && (!best || at < best.at)) best = { at, id: rule.id };
  }
  return best && `expiry-date="${httpDate(best.at)}", rule-id="${best.id}"`;
}
