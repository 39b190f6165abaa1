/**
 * Evaluating the IAM policy a Lambda authorizer returns against the request's method ARN
 * (`arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/{METHOD}/{path}`): an explicit Deny wins,
 * else an Allow is needed. Actions `execute-api:Invoke`, `execute-api:*` and `*` apply; `*` and `?`
 * are wildcards in actions and resources, as in IAM. Statements may be one object or a list; Action
 * and Resource a string or a list.
 */

export type PolicyDecision = "allow" | "deny" | "none";

/** An IAM wildcard pattern (`*` any run, `?` one character) as a regular expression. */
export function wildcard(pattern: string): RegExp {
  const escaped = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${escaped}$`, "s");
}

/** A policy member that may be one string or a list of them. */
export function list(value: unknown): string[] {
  if (typeof value === "string") return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

/** Whether the document is shaped as a policy (a malformed one is an authorizer configuration error). */
export function isPolicyDocument(document: unknown): boolean {
  if (document === null || typeof document !== "object" || Array.isArray(document)) return false;
  const statements = (document as Record<string, unknown>).Statement;
  return statements !== undefined && statements !== null && typeof statements === "object";
}

export function evaluatePolicy(document: unknown, methodArn: string): PolicyDecision {
  if (!isPolicyDocument(document)) return "none";
  const raw = (document as Record<string, unknown>).Statement;
  const statements = Array.isArray(raw) ? raw : [raw];
  let allowed = false;
  for (const statement of statements) {
    if (statement === null || typeof statement !== "object") continue;
    const s = statement as Record<string, unknown>;
    const actionMatches = list(s.Action).some((a) => wildcard(a.toLowerCase()).test("execute-api:invoke"));
    const resourceMatches = list(s.Resource).some((r) => wildcard(r).test(methodArn));
    if (!actionMatches || !resourceMatches) continue;
    const effect = String(s.Effect ?? "").toLowerCase();
    if (effect === "deny") return "deny";
    if (effect === "allow") allowed = true;
  }
  return allowed ? "allow" : "none";
}
