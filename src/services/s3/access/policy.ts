/**
 * Bucket policies: the checks PutBucketPolicy makes (the text is stored and returned verbatim), what
 * makes a policy "public" (for BlockPublicPolicy and GetBucketPolicyStatus), and the evaluation of an
 * anonymous request against it: an explicit Deny wins, else an Allow whose Principal is everyone,
 * whose Action and Resource match (`*` and `?` wildcards, as IAM's).
 *
 * ## Gaps
 * - Conditions are not evaluated: a statement with a Condition never applies (neither Allow nor Deny),
 *   and is not public (AWS judges some conditions, e.g. aws:SourceIp ranges, as non-public).
 * - NotPrincipal, NotAction, NotResource statements never apply.
 * - Only anonymous callers are evaluated: signed callers keep Stratus's "no IAM" rule (any account may
 *   use any bucket), so a Deny does not stop them.
 */
import {
  malformedPolicy,
  POLICY_BAD_ACTION,
  POLICY_BAD_PRINCIPAL,
  POLICY_BAD_RESOURCE,
  POLICY_BAD_VERSION,
  POLICY_NO_PRINCIPAL,
  POLICY_NO_STATEMENT,
  POLICY_NOT_JSON,
} from "./errors.ts";

interface Statement {
  Effect?: unknown;
  Principal?: unknown;
  NotPrincipal?: unknown;
  Action?: unknown;
  NotAction?: unknown;
  Resource?: unknown;
  NotResource?: unknown;
  Condition?: unknown;
}

const VERSIONS = new Set(["2012-10-17", "2008-10-17"]);

function list(value: unknown): unknown[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

function statementsOf(text: string): Statement[] {
  const document = JSON.parse(text) as { Statement?: unknown };
  return list(document.Statement).filter((s): s is Statement => typeof s === "object" && s !== null);
}

/** Checks a PutBucketPolicy document for `bucket`; MalformedPolicy with S3's text for what it refuses. */
export function checkPolicy(text: string, bucket: string): void {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    throw malformedPolicy(POLICY_NOT_JSON);
  }
  if (text.trimStart()[0] !== "{" || typeof document !== "object" || document === null) {
    throw malformedPolicy(POLICY_NOT_JSON);
  }
  const { Version, Statement } = document as { Version?: unknown; Statement?: unknown };
  if (Version !== undefined && (typeof Version !== "string" || !VERSIONS.has(Version))) {
    throw malformedPolicy(POLICY_BAD_VERSION);
  }
  if (Statement === undefined) throw malformedPolicy(POLICY_NO_STATEMENT);
  for (const raw of list(Statement)) {
    if (typeof raw !== "object" || raw === null) throw malformedPolicy(POLICY_NO_STATEMENT);
    const statement = raw as Statement;
    const principal = statement.Principal ?? statement.NotPrincipal;
    if (principal === undefined) throw malformedPolicy(POLICY_NO_PRINCIPAL);
    // "*" or an object of principal kinds (AWS, Service, CanonicalUser, Federated): anything else is invalid.
    if (
      principal !== "*" &&
      (typeof principal !== "object" || principal === null || Array.isArray(principal))
    ) {
      throw malformedPolicy(POLICY_BAD_PRINCIPAL);
    }
    for (const action of list(statement.Action ?? statement.NotAction)) {
      if (typeof action !== "string" || !(action === "*" || /^s3:[A-Za-z*?]+$/.test(action))) {
        throw malformedPolicy(POLICY_BAD_ACTION);
      }
    }
    const resources = list(statement.Resource ?? statement.NotResource);
    if (resources.length === 0) throw malformedPolicy(POLICY_BAD_RESOURCE);
    for (const resource of resources) {
      const arn = `arn:aws:s3:::${bucket}`;
      // A policy's resources must lie in its own bucket (wildcards may stand for the bucket's name).
      if (
        typeof resource !== "string" ||
        !(wildcard(resource, arn) || resource.startsWith(`${arn}/`) || wildcardPrefix(resource, arn))
      ) {
        throw malformedPolicy(POLICY_BAD_RESOURCE);
      }
    }
  }
}

/** `pattern` (with `*`/`?`) matches some resource of the bucket `arn` names: it can stand for `arn` or `arn/…`. */
function wildcardPrefix(pattern: string, arn: string): boolean {
  return wildcard(pattern, `${arn}/x`) || wildcard(pattern, arn);
}

function isEveryone(principal: unknown): boolean {
  if (principal === "*") return true;
  if (typeof principal === "object" && principal !== null) {
    return list((principal as { AWS?: unknown }).AWS).includes("*");
  }
  return false;
}

/** A policy that grants everyone something (without a condition): what BlockPublicPolicy refuses. */
export function isPublicPolicy(text: string): boolean {
  return statementsOf(text).some(
    (s) => s.Effect === "Allow" && s.Condition === undefined && isEveryone(s.Principal),
  );
}

/**
 * The policy's verdict on an anonymous request for `action` on `resource` (an ARN): "deny" for an
 * explicit Deny, "allow" for an Allow, undefined when no statement applies.
 */
export function evaluateAnonymous(
  text: string,
  action: string,
  resource: string,
): "allow" | "deny" | undefined {
  let verdict: "allow" | undefined;
  for (const s of statementsOf(text)) {
    if (
      s.Condition !== undefined ||
      s.NotPrincipal !== undefined ||
      s.NotAction !== undefined ||
      s.NotResource !== undefined
    )
      continue;
    if (!isEveryone(s.Principal)) continue;
    const actions = list(s.Action).filter((a): a is string => typeof a === "string");
    const resources = list(s.Resource).filter((r): r is string => typeof r === "string");
    if (!actions.some((a) => wildcard(a.toLowerCase(), action.toLowerCase()))) continue;
    if (!resources.some((r) => wildcard(r, resource))) continue;
    if (s.Effect === "Deny") return "deny";
    if (s.Effect === "Allow") verdict = "allow";
  }
  return verdict;
}

/** IAM's wildcards: `*` any run of characters, `?` any one; everything else literal. */
export function wildcard(pattern: string, value: string): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${source}$`, "s").test(value);
}
