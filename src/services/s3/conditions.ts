/**
 * Conditional requests as S3 evaluates them (GetObject/HeadObject: "Conditional requests" in the API
 * reference, following RFC 7232's precedence):
 *   1. If-Match false → 412; If-Match true makes If-Unmodified-Since irrelevant.
 *   2. otherwise If-Unmodified-Since: modified after it → 412.
 *   3. If-None-Match: matches → 304; If-None-Match false makes If-Modified-Since irrelevant.
 *   4. otherwise If-Modified-Since: not modified after it → 304.
 * CopyObject's x-amz-copy-source-if-* follow the same order, answering 412 for both kinds.
 * Dates that do not parse are ignored, as HTTP says.
 */
import type { AwsError } from "../../aws/errors.ts";
import { preconditionFailed } from "./errors.ts";
import type { ObjectRecord } from "./store.ts";

export interface Conditions {
  ifMatch?: string;
  ifNoneMatch?: string;
  ifModifiedSince?: string;
  ifUnmodifiedSince?: string;
}

export type ConditionOutcome =
  | { kind: "proceed" }
  | { kind: "not-modified" }
  | { kind: "failed"; error: AwsError };

/** Condition names as S3 reports them in `<Condition>`. */
export interface ConditionNames {
  ifMatch: string;
  ifNoneMatch: string;
  ifModifiedSince: string;
  ifUnmodifiedSince: string;
}

export const GET_CONDITION_NAMES: ConditionNames = {
  ifMatch: "If-Match",
  ifNoneMatch: "If-None-Match",
  ifModifiedSince: "If-Modified-Since",
  ifUnmodifiedSince: "If-Unmodified-Since",
};

export const COPY_CONDITION_NAMES: ConditionNames = {
  ifMatch: "x-amz-copy-source-If-Match",
  ifNoneMatch: "x-amz-copy-source-If-None-Match",
  ifModifiedSince: "x-amz-copy-source-If-Modified-Since",
  ifUnmodifiedSince: "x-amz-copy-source-If-Unmodified-Since",
};

export function evaluateConditions(
  conditions: Conditions,
  record: ObjectRecord,
  names: ConditionNames,
  /** CopyObject answers 412 where GET answers 304. */
  notModifiedFails: boolean,
): ConditionOutcome {
  const lastModifiedSeconds = Math.floor(record.lastModified / 1000);
  if (conditions.ifMatch !== undefined) {
    if (!etagMatches(conditions.ifMatch, record.etag)) return failed(names.ifMatch);
  } else if (conditions.ifUnmodifiedSince !== undefined) {
    const since = parseHttpSeconds(conditions.ifUnmodifiedSince);
    if (since !== undefined && lastModifiedSeconds > since) return failed(names.ifUnmodifiedSince);
  }
  if (conditions.ifNoneMatch !== undefined) {
    if (etagMatches(conditions.ifNoneMatch, record.etag))
      return notModified(names.ifNoneMatch, notModifiedFails);
  } else if (conditions.ifModifiedSince !== undefined) {
    const since = parseHttpSeconds(conditions.ifModifiedSince);
    if (since !== undefined && lastModifiedSeconds <= since) {
      return notModified(names.ifModifiedSince, notModifiedFails);
    }
  }
  return { kind: "proceed" };
}

function failed(condition: string): ConditionOutcome {
  return { kind: "failed", error: preconditionFailed(condition) };
}

function notModified(condition: string, fails: boolean): ConditionOutcome {
  return fails ? failed(condition) : { kind: "not-modified" };
}

/** `*`, or a list of entity tags, quoted or not (S3 accepts both), weak ones compared by value. */
export function etagMatches(list: string, etag: string): boolean {
  return list.split(",").some((item) => {
    const tag = item.trim().replace(/^W\//, "");
    return tag === "*" || tag.replace(/^"(.*)"$/, "$1") === etag;
  });
}

function parseHttpSeconds(text: string): number | undefined {
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? Math.floor(ms / 1000) : undefined;
}
