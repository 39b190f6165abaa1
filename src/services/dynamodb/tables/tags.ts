/**
 * Table tags: stored in the table record, in the order they were first given; TagResource with an
 * existing key replaces its value in place. Limits from the DynamoDB developer guide (50 tags per
 * resource; keys may not start with "aws:"); texts from the ack-api-quirks catalogue.
 */
import { duplicateTagKey, tagKeyAwsPrefix, tooManyTags } from "../errors.ts";
import { objects, str } from "./input.ts";
import type { Tag } from "./record.ts";

const TAGS_PER_RESOURCE_MAX = 50;

export function readTags(value: unknown): Tag[] {
  return objects(value).map((tag) => ({ Key: str(tag.Key) ?? "", Value: str(tag.Value) ?? "" }));
}

/** `existing` with `added` applied, after DynamoDB's checks on the added tags. */
export function mergeTags(existing: readonly Tag[], added: readonly Tag[]): Tag[] {
  const seen = new Set<string>();
  for (const tag of added) {
    if (tag.Key.startsWith("aws:")) throw tagKeyAwsPrefix(tag.Key);
    if (seen.has(tag.Key)) throw duplicateTagKey(tag.Key);
    seen.add(tag.Key);
  }
  const merged = existing.map((tag) => ({ ...tag }));
  for (const tag of added) {
    const current = merged.find((candidate) => candidate.Key === tag.Key);
    if (current) current.Value = tag.Value;
    else merged.push({ ...tag });
  }
  if (merged.length > TAGS_PER_RESOURCE_MAX) throw tooManyTags();
  return merged;
}
