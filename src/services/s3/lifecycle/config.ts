/**
 * Lifecycle configurations (PutBucketLifecycleConfiguration's document): parsing, S3's validation,
 * the XML GetBucketLifecycleConfiguration answers, and which rules apply to an object.
 *
 * Emulated actions: Expiration (Days, Date, ExpiredObjectDeleteMarker), NoncurrentVersionExpiration
 * (NoncurrentDays, NewerNoncurrentVersions is refused) and AbortIncompleteMultipartUpload. Transitions
 * change storage classes, which Stratus does not have: refused with NotImplemented.
 *
 * Error texts: S3's answers as recorded in LocalStack's and moto's lifecycle test snapshots.
 */
import { AwsError } from "../../../aws/errors.ts";
import { malformedXml } from "../errors.ts";
import type { Tags } from "../tagging.ts";
import { child, el, parseXml, type XmlElement } from "../xml.ts";

export interface LifecycleFilter {
  prefix?: string;
  tags?: Tags;
  sizeGreaterThan?: number;
  sizeLessThan?: number;
  /** How it was written, for Get: `Filter` with one predicate, `And`, or the legacy rule `Prefix`. */
  form: "filter" | "and" | "legacy-prefix";
}

export interface LifecycleRule {
  id: string;
  status: "Enabled" | "Disabled";
  filter: LifecycleFilter;
  expirationDays?: number;
  /** Epoch ms, midnight UTC. */
  expirationDate?: number;
  expiredObjectDeleteMarker?: boolean;
  noncurrentDays?: number;
  abortDays?: number;
}

export interface LifecycleConfig {
  v: number;
  rules: LifecycleRule[];
}

const DAY_MS = 24 * 3600 * 1000;
/** PutBucketLifecycleConfiguration API reference: up to 1,000 rules; IDs up to 255 characters. */
const RULES_MAX = 1000;
const ID_CHARS_MAX = 255;

function invalidArgument(message: string, name: string, value: string): AwsError {
  return new AwsError("InvalidArgument", message, 400, {
    fields: { ArgumentName: name, ArgumentValue: value },
  });
}

function invalidRequest(message: string): AwsError {
  return new AwsError("InvalidRequest", message, 400);
}

export function parseLifecycleConfig(body: string): LifecycleConfig {
  const root = parseXml(body.trim());
  if (root.name !== "LifecycleConfiguration") throw malformedXml();
  const rules = root.children.filter((c) => c.name === "Rule").map(parseRule);
  if (rules.length === 0 || rules.length > RULES_MAX) throw malformedXml();
  const ids = new Set<string>();
  for (const rule of rules) {
    if (ids.has(rule.id))
      throw invalidArgument("Rule ID must be unique. Found same ID for more than one rule", "ID", rule.id);
    ids.add(rule.id);
  }
  return { v: 1, rules };
}

function positiveInteger(element: XmlElement | undefined, message: string, name: string): number | undefined {
  if (!element) return undefined;
  const text = element.text.trim();
  if (!/^-?\d+$/.test(text)) throw malformedXml();
  const value = Number(text);
  if (value <= 0) throw invalidArgument(message, name, text);
  return value;
}

function parseRule(rule: XmlElement, index: number): LifecycleRule {
  const id = child(rule, "ID")?.text ?? `rule-${index + 1}`;
  if (id.length > ID_CHARS_MAX)
    throw invalidArgument("ID length should not exceed allowed limit of 255", "ID", id);
  const status = child(rule, "Status")?.text.trim();
  if (status !== "Enabled" && status !== "Disabled") throw malformedXml();
  if (child(rule, "Transition") || child(rule, "NoncurrentVersionTransition")) {
    throw new AwsError(
      "NotImplemented",
      "Stratus does not emulate storage classes: lifecycle transitions are not supported.",
      501,
    );
  }
  const filterElement = child(rule, "Filter");
  const legacyPrefix = child(rule, "Prefix");
  if (filterElement && legacyPrefix) throw malformedXml();
  const filter: LifecycleFilter = filterElement
    ? parseFilter(filterElement)
    : { prefix: legacyPrefix?.text ?? "", form: "legacy-prefix" };
  const parsed: LifecycleRule = { id, status, filter };

  const expiration = child(rule, "Expiration");
  if (expiration) {
    const days = child(expiration, "Days");
    const date = child(expiration, "Date");
    const marker = child(expiration, "ExpiredObjectDeleteMarker");
    if ([days, date, marker].filter(Boolean).length !== 1) throw malformedXml();
    parsed.expirationDays = positiveInteger(
      days,
      "'Days' for Expiration action must be a positive integer",
      "Days",
    );
    if (date) {
      const ms = Date.parse(date.text.trim());
      if (Number.isNaN(ms)) throw malformedXml();
      if (ms % DAY_MS !== 0)
        throw invalidArgument("'Date' must be at midnight GMT", "Date", date.text.trim());
      parsed.expirationDate = ms;
    }
    if (marker) {
      const text = marker.text.trim().toLowerCase();
      if (text !== "true" && text !== "false") throw malformedXml();
      if (filter.tags && filter.tags.length > 0)
        throw invalidRequest("ExpiredObjectDeleteMarker cannot be specified with Tags.");
      parsed.expiredObjectDeleteMarker = text === "true";
    }
  }
  const noncurrent = child(rule, "NoncurrentVersionExpiration");
  if (noncurrent) {
    if (child(noncurrent, "NewerNoncurrentVersions")) {
      throw new AwsError("NotImplemented", "NewerNoncurrentVersions is not emulated by Stratus.", 501);
    }
    parsed.noncurrentDays = positiveInteger(
      child(noncurrent, "NoncurrentDays"),
      "'NoncurrentDays' for NoncurrentVersionExpiration action must be a positive integer",
      "NoncurrentDays",
    );
    if (parsed.noncurrentDays === undefined) throw malformedXml();
  }
  const abort = child(rule, "AbortIncompleteMultipartUpload");
  if (abort) {
    if (filter.tags && filter.tags.length > 0)
      throw invalidRequest("AbortIncompleteMultipartUpload cannot be specified with Tags.");
    parsed.abortDays = positiveInteger(
      child(abort, "DaysAfterInitiation"),
      "'DaysAfterInitiation' for AbortIncompleteMultipartUpload action must be a positive integer",
      "DaysAfterInitiation",
    );
    if (parsed.abortDays === undefined) throw malformedXml();
  }
  if (!expiration && !noncurrent && !abort)
    throw invalidRequest("At least one action needs to be specified in a rule");
  return parsed;
}

function parseTag(tag: XmlElement): [string, string] {
  const key = child(tag, "Key")?.text;
  if (key === undefined) throw malformedXml();
  return [key, child(tag, "Value")?.text ?? ""];
}

function size(element: XmlElement | undefined): number | undefined {
  if (!element) return undefined;
  const text = element.text.trim();
  if (!/^\d+$/.test(text)) throw malformedXml();
  return Number(text);
}

function parseFilter(filter: XmlElement): LifecycleFilter {
  const and = child(filter, "And");
  const predicates = filter.children.filter((c) =>
    ["Prefix", "Tag", "And", "ObjectSizeGreaterThan", "ObjectSizeLessThan"].includes(c.name),
  );
  // A filter names one predicate; several go in <And>.
  if (predicates.length > 1) throw malformedXml();
  const source = and ?? filter;
  const result: LifecycleFilter = { form: and ? "and" : "filter" };
  const prefix = child(source, "Prefix");
  if (prefix) result.prefix = prefix.text;
  const tags = source.children.filter((c) => c.name === "Tag").map(parseTag);
  if (tags.length > 0) result.tags = tags;
  const greater = size(child(source, "ObjectSizeGreaterThan"));
  const less = size(child(source, "ObjectSizeLessThan"));
  if (greater !== undefined) result.sizeGreaterThan = greater;
  if (less !== undefined) result.sizeLessThan = less;
  if (greater !== undefined && less !== undefined && greater >= less)
    throw invalidArgument(
      "ObjectSizeGreaterThan must be less than ObjectSizeLessThan",
      "ObjectSizeGreaterThan",
      String(greater),
    );
  return result;
}

function filterXml(filter: LifecycleFilter): string {
  if (filter.form === "legacy-prefix") return el("Prefix", filter.prefix ?? "");
  const parts =
    (filter.prefix !== undefined ? el("Prefix", filter.prefix) : "") +
    (filter.tags ?? []).map(([k, v]) => `<Tag>${el("Key", k)}${el("Value", v)}</Tag>`).join("") +
    (filter.sizeGreaterThan !== undefined ? el("ObjectSizeGreaterThan", filter.sizeGreaterThan) : "") +
    (filter.sizeLessThan !== undefined ? el("ObjectSizeLessThan", filter.sizeLessThan) : "");
  return filter.form === "and" ? `<Filter><And>${parts}</And></Filter>` : `<Filter>${parts}</Filter>`;
}

export function lifecycleConfigXml(config: LifecycleConfig): string {
  return config.rules
    .map((rule) => {
      const expiration =
        rule.expirationDays !== undefined
          ? `<Expiration>${el("Days", rule.expirationDays)}</Expiration>`
          : rule.expirationDate !== undefined
            ? `<Expiration>${el("Date", new Date(rule.expirationDate).toISOString())}</Expiration>`
            : rule.expiredObjectDeleteMarker !== undefined
              ? `<Expiration>${el("ExpiredObjectDeleteMarker", rule.expiredObjectDeleteMarker)}</Expiration>`
              : "";
      return (
        `<Rule>${expiration}${el("ID", rule.id)}${filterXml(rule.filter)}${el("Status", rule.status)}` +
        (rule.noncurrentDays !== undefined
          ? `<NoncurrentVersionExpiration>${el("NoncurrentDays", rule.noncurrentDays)}</NoncurrentVersionExpiration>`
          : "") +
        (rule.abortDays !== undefined
          ? `<AbortIncompleteMultipartUpload>${el("DaysAfterInitiation", rule.abortDays)}</AbortIncompleteMultipartUpload>`
          : "") +
        "</Rule>"
      );
    })
    .join("");
}

/** Whether an enabled rule's filter selects this object (key, tags, size). */
export function ruleApplies(
  rule: LifecycleRule,
  object: { key: string; tags?: Tags | undefined; size?: number | undefined },
): boolean {
  if (rule.status !== "Enabled") return false;
  const { filter } = rule;
  if (filter.prefix !== undefined && !object.key.startsWith(filter.prefix)) return false;
  for (const [key, value] of filter.tags ?? []) {
    if (!(object.tags ?? []).some(([k, v]) => k === key && v === value)) return false;
  }
  if (filter.sizeGreaterThan !== undefined && !((object.size ?? 0) > filter.sizeGreaterThan)) return false;
  if (filter.sizeLessThan !== undefined && !((object.size ?? 0) < filter.sizeLessThan)) return false;
  return true;
}

/**
 * When `days` after `fromMs` falls due: S3 adds the days and rounds up to the next midnight UTC
 * (user guide, "Lifecycle configuration elements": created 1/15 10:30, 3 days → 1/19 00:00).
 */
export function dueAfterDays(fromMs: number, days: number): number {
  return Math.floor((fromMs + days * DAY_MS) / DAY_MS) * DAY_MS + DAY_MS;
}

/** When a current object expires under a rule with an Expiration Days or Date; undefined if never. */
export function expiryOf(rule: LifecycleRule, lastModified: number): number | undefined {
  if (rule.expirationDays !== undefined) return dueAfterDays(lastModified, rule.expirationDays);
  return rule.expirationDate;
}
