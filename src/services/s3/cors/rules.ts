/**
 * A bucket's CORS configuration: parsed from PutBucketCors's document with S3's checks, written back
 * as GetBucketCors answers it, and matched against a request as S3 does — the first rule whose
 * AllowedOrigin, AllowedMethod and (for a preflight) every requested header match.
 *
 * Facts (LocalStack's AWS-validated snapshots of test_s3_cors.py, ceph s3-tests, versitygw issues
 * 1863/1870): a rule needs an origin and a method (else MalformedXML); methods are GET, PUT, HEAD,
 * POST, DELETE (else InvalidRequest naming it); an origin has at most one `*`, which may match the
 * empty string; patterns are anchored at both ends; header names match without regard to case.
 */

import { corsTooManyWildcards, corsUnsupportedMethod } from "../access/errors.ts";
import { malformedXml } from "../errors.ts";
import { el, type XmlElement, xmlDocument } from "../xml.ts";

export interface CorsRule {
  id?: string;
  allowedOrigins: string[];
  allowedMethods: string[];
  allowedHeaders: string[];
  exposeHeaders: string[];
  maxAgeSeconds?: number;
}

const METHODS = new Set(["GET", "PUT", "HEAD", "POST", "DELETE"]);
/** "You can add up to 100 rules to the configuration" (API_CORSRule). */
const RULES_MAX = 100;

function texts(element: XmlElement, name: string): string[] {
  return element.children.filter((c) => c.name === name).map((c) => c.text);
}

export function parseCorsConfiguration(root: XmlElement): CorsRule[] {
  if (root.name !== "CORSConfiguration") throw malformedXml();
  const rules = root.children.filter((c) => c.name === "CORSRule");
  if (rules.length === 0 || rules.length > RULES_MAX) throw malformedXml();
  return rules.map((rule) => {
    const allowedOrigins = texts(rule, "AllowedOrigin");
    const allowedMethods = texts(rule, "AllowedMethod");
    if (allowedOrigins.length === 0 || allowedMethods.length === 0) throw malformedXml();
    for (const method of allowedMethods) if (!METHODS.has(method)) throw corsUnsupportedMethod(method);
    for (const origin of allowedOrigins) if (origin.split("*").length > 2) throw corsTooManyWildcards(origin);
    const id = texts(rule, "ID")[0];
    const maxAge = texts(rule, "MaxAgeSeconds")[0];
    if (maxAge !== undefined && !/^-?\d+$/.test(maxAge.trim())) throw malformedXml();
    return {
      ...(id !== undefined ? { id } : {}),
      allowedOrigins,
      allowedMethods,
      allowedHeaders: texts(rule, "AllowedHeader"),
      exposeHeaders: texts(rule, "ExposeHeader"),
      ...(maxAge !== undefined ? { maxAgeSeconds: Number(maxAge.trim()) } : {}),
    };
  });
}

/** GetBucketCors's document: only the members a rule has, in the model's order. */
export function corsConfigurationXml(rules: readonly CorsRule[]): string {
  const inner = rules
    .map((rule) => {
      const parts = [
        el("ID", rule.id),
        ...rule.allowedHeaders.map((h) => el("AllowedHeader", h)),
        ...rule.allowedMethods.map((m) => el("AllowedMethod", m)),
        ...rule.allowedOrigins.map((o) => el("AllowedOrigin", o)),
        ...rule.exposeHeaders.map((h) => el("ExposeHeader", h)),
        el("MaxAgeSeconds", rule.maxAgeSeconds),
      ];
      return `<CORSRule>${parts.join("")}</CORSRule>`;
    })
    .join("");
  return xmlDocument("CORSConfiguration", inner);
}

/** `pattern` with at most one `*` (matching any run, the empty one too) against `value`. */
function matchesPattern(pattern: string, value: string): boolean {
  const star = pattern.indexOf("*");
  if (star < 0) return pattern === value;
  const head = pattern.slice(0, star);
  const tail = pattern.slice(star + 1);
  return value.length >= head.length + tail.length && value.startsWith(head) && value.endsWith(tail);
}

/** The requested header names of Access-Control-Request-Headers, lower case, in the order sent. */
export function requestedHeaders(value: string | undefined): string[] {
  if (value === undefined) return [];
  return value
    .split(",")
    .map((h) => h.trim().toLowerCase())
    .filter((h) => h !== "");
}

/**
 * The first rule that allows `origin` and `method` and, when given, every requested header (a
 * preflight's Access-Control-Request-Headers; actual requests' headers are not checked).
 */
export function matchRule(
  rules: readonly CorsRule[],
  origin: string,
  method: string,
  headers: readonly string[] = [],
): CorsRule | undefined {
  return rules.find(
    (rule) =>
      rule.allowedOrigins.some((o) => matchesPattern(o, origin)) &&
      rule.allowedMethods.includes(method) &&
      headers.every((h) => rule.allowedHeaders.some((a) => matchesPattern(a.toLowerCase(), h))),
  );
}

/** What S3 sends with every CORS answer, so caches keep answers to different origins apart. */
const VARY = "Origin, Access-Control-Request-Headers, Access-Control-Request-Method";

/**
 * The Access-Control-* headers of a matched rule (LocalStack's validated snapshots): the origin echoed
 * with `Access-Control-Allow-Credentials: true`, or `*` without it for a rule open to every origin;
 * the rule's methods joined by ", "; expose headers and max age when the rule has them; the requested
 * headers (preflights) lower case; and Vary.
 */
export function corsHeaders(
  rule: CorsRule,
  origin: string,
  requested: readonly string[] = [],
): Record<string, string> {
  const headers: Record<string, string> = {};
  const everyone = rule.allowedOrigins.includes("*");
  headers["Access-Control-Allow-Origin"] = everyone ? "*" : origin;
  headers["Access-Control-Allow-Methods"] = rule.allowedMethods.join(", ");
  if (requested.length > 0) headers["Access-Control-Allow-Headers"] = requested.join(", ");
  if (rule.exposeHeaders.length > 0) headers["Access-Control-Expose-Headers"] = rule.exposeHeaders.join(", ");
  if (rule.maxAgeSeconds !== undefined) headers["Access-Control-Max-Age"] = String(rule.maxAgeSeconds);
  if (!everyone) headers["Access-Control-Allow-Credentials"] = "true";
  headers.Vary = VARY;
  return headers;
}
