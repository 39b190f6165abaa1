/**
 * Object tags: at most 10 per object, keys 1–128 and values 0–256 characters, keys unique and not
 * starting with `aws:` (S3 user guide, "Categorizing your storage using tags"). They arrive as the
 * `x-amz-tagging` header (URL-encoded `k=v&k2=v2`: PutObject, CreateMultipartUpload, CopyObject with
 * REPLACE) or a `<Tagging><TagSet>` document (PutObjectTagging).
 *
 * Texts: more than 10 tags is `BadRequest` "Object tags cannot be greater than 10" (real S3 answers
 * quoted in hashicorp/terraform-provider-aws issues); a malformed header is InvalidArgument with the
 * text quoted in aws/aws-cli#2841; the InvalidTag texts are moto's and LocalStack's.
 */
import { AwsError } from "../../aws/errors.ts";
import { invalidArgument, malformedXml } from "./errors.ts";
import { child, el, parseXml } from "./xml.ts";

export type Tags = [key: string, value: string][];

const TAGS_MAX = 10;
const KEY_CHARS_MAX = 128;
const VALUE_CHARS_MAX = 256;

function invalidTag(message: string): AwsError {
  return new AwsError("InvalidTag", message, 400);
}

/** The tags of an `x-amz-tagging` header. */
export function tagsOfHeader(value: string): Tags {
  const tags: Tags = [];
  for (const pair of value.split("&")) {
    if (pair === "") continue;
    const eq = pair.indexOf("=");
    let key: string;
    let tagValue: string;
    try {
      key = decodeURIComponent((eq < 0 ? pair : pair.slice(0, eq)).replace(/\+/g, " "));
      tagValue = eq < 0 ? "" : decodeURIComponent(pair.slice(eq + 1).replace(/\+/g, " "));
    } catch {
      throw malformedTaggingHeader(value);
    }
    if (tags.some(([existing]) => existing === key)) throw malformedTaggingHeader(value);
    tags.push([key, tagValue]);
  }
  return validated(tags);
}

function malformedTaggingHeader(value: string): AwsError {
  return invalidArgument(
    "The header 'x-amz-tagging' shall be encoded as UTF-8 then URLEncoded URL query parameters without tag name duplicates.",
    "x-amz-tagging",
    value,
  );
}

/** The tags of a `<Tagging><TagSet><Tag><Key/><Value/></Tag>…` document. */
export function tagsOfDocument(body: string, limits: { objectTags: boolean } = { objectTags: true }): Tags {
  const root = parseXml(body.trim());
  const tagSet = root.name === "Tagging" ? child(root, "TagSet") : undefined;
  if (!tagSet) throw malformedXml();
  const tags: Tags = [];
  for (const tag of tagSet.children) {
    const key = child(tag, "Key");
    const value = child(tag, "Value");
    if (tag.name !== "Tag" || !key || !value) throw malformedXml();
    if (tags.some(([existing]) => existing === key.text)) {
      throw invalidTag("Cannot provide multiple Tags with the same key");
    }
    tags.push([key.text, value.text]);
  }
  return validated(tags, limits.objectTags);
}

function validated(tags: Tags, objectTags = true): Tags {
  if (objectTags && tags.length > TAGS_MAX)
    throw new AwsError("BadRequest", "Object tags cannot be greater than 10", 400);
  for (const [key, value] of tags) {
    if ([...key].length < 1 || [...key].length > KEY_CHARS_MAX) {
      throw invalidTag("The TagKey you have provided is invalid");
    }
    if ([...value].length > VALUE_CHARS_MAX) throw invalidTag("The TagValue you have provided is invalid");
    if (key.startsWith("aws:")) throw invalidTag("Your TagKey cannot be prefixed with aws:");
  }
  return tags;
}

export function tagSetXml(tags: Tags): string {
  return `<TagSet>${tags.map(([key, value]) => `<Tag>${el("Key", key)}${el("Value", value)}</Tag>`).join("")}</TagSet>`;
}
