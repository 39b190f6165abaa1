/**
 * Bucket naming rules for general purpose buckets (S3 user guide, "General purpose bucket naming
 * rules"): 3 to 63 characters of lower-case letters, digits, dots and hyphens; a letter or digit at
 * each end; no two adjacent dots; not shaped like an IPv4 address; none of the prefixes and suffixes
 * S3 reserves for its own features.
 */
const SHAPE = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const IPV4 = /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;
const RESERVED_PREFIXES = ["xn--", "sthree-", "amzn-s3-demo-"];
const RESERVED_SUFFIXES = ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"];

export function isValidBucketName(name: string): boolean {
  if (!SHAPE.test(name) || name.includes("..") || IPV4.test(name)) return false;
  if (RESERVED_PREFIXES.some((prefix) => name.startsWith(prefix))) return false;
  return !RESERVED_SUFFIXES.some((suffix) => name.endsWith(suffix));
}

/**
 * A name that could belong to an existing bucket, checked before touching storage so that an
 * arbitrary path segment never becomes an oversized storage key. Looser than the create rules:
 * S3 still serves some legacy us-east-1 names (upper case, underscores) that new buckets may not use.
 */
export function couldBeBucketName(name: string): boolean {
  return name.length >= 3 && name.length <= 255 && /^[A-Za-z0-9._-]+$/.test(name);
}

/** Region names as S3 accepts them in a LocationConstraint (`eu-west-1`, `us-gov-west-1`), or S3's legacy `EU`. */
export function isRegionName(value: string): boolean {
  return value === "EU" || /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$/.test(value);
}
