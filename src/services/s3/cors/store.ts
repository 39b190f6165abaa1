/** A bucket's CORS rules, kept beside the bucket record (store.ts bucketConfigKey "cors"). */
import type { KvReader, KvTransaction } from "../../../storage/kv.ts";
import type { S3Parts } from "../context.ts";
import type { CorsRule } from "./rules.ts";

export async function bucketCorsRules(
  s3: S3Parts,
  r: KvReader,
  bucket: string,
): Promise<CorsRule[] | undefined> {
  return (await s3.store.getConfig<{ rules: CorsRule[] }>(r, "cors", bucket))?.rules;
}

export function putBucketCorsRules(
  s3: S3Parts,
  tx: KvTransaction,
  bucket: string,
  rules: CorsRule[] | undefined,
): void {
  if (rules === undefined) s3.store.deleteConfig(tx, "cors", bucket);
  else s3.store.putConfig(tx, "cors", bucket, { v: 1, rules });
}
