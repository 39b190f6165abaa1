/**
 * REQUEST (Lambda) authorizers (developer guide, "Working with AWS Lambda authorizers for HTTP
 * APIs"): every identity source must be present, else 401 without invoking the function; the
 * function gets the 2.0 or 1.0 authorizer event; it answers either a simple response
 * `{isAuthorized, context}` (enableSimpleResponses, format 2.0) or an IAM policy
 * `{principalId, policyDocument, context}`. Not authorized / denied → 403 `{"message":"Forbidden"}`;
 * a function that fails, cannot be invoked or answers in another shape → 500
 * `{"message":"Internal Server Error"}`. With authorizerResultTtlInSeconds and identity sources, the
 * answer is cached per authorizer and identity-source values (so for every route using the
 * authorizer, unless `$context.routeKey` is one of the sources); a cached policy is evaluated again
 * for each route.
 */
import { isAwsError } from "../../../aws/errors.ts";
import type { FunctionInvoker } from "../../lambda/invoke/invoker.ts";
import type { AuthorizerRecord } from "../snapshot.ts";
import { authorizerEventV1, authorizerEventV2, routeArn } from "./events.ts";
import { identityValues } from "./identity-sources.ts";
import { invokeTarget } from "./lambda-target.ts";
import type { ServedRequest } from "./served-request.ts";

export type LambdaAuthorizerOutcome =
  | { admitted: true; principalId?: string; context: Record<string, unknown> }
  | { admitted: false; status: 401 | 403 | 500; error?: string };

/** What a function answered, as cached. */
type Verdict =
  | { kind: "simple"; isAuthorized: boolean; context: Record<string, unknown> }
  | { kind: "policy"; principalId: string; statements: Statement[]; context: Record<string, unknown> };

interface Statement {
  effect: "Allow" | "Deny";
  actions: string[];
  resources: string[];
}

/** Most cached answers kept; the oldest are dropped beyond it. */
const CACHE_ENTRIES_MAX = 10_000;

export class LambdaAuthorizers {
  readonly #cache = new Map<string, { verdict: Verdict; expiresAtMs: number }>();
  readonly #invoker: FunctionInvoker;
  readonly #nowMs: () => number;

  constructor(invoker: FunctionInvoker, nowMs: () => number) {
    this.#invoker = invoker;
    this.#nowMs = nowMs;
  }

  async authorize(authorizer: AuthorizerRecord, served: ServedRequest): Promise<LambdaAuthorizerOutcome> {
    const sources = authorizer.identitySource ?? [];
    const identity = identityValues(sources, served);
    if (identity === undefined) return { admitted: false, status: 401 };
    const ttlMs = (authorizer.authorizerResultTtlInSeconds ?? 0) * 1000;
    const cacheKey = `${served.apiId}\u0000${authorizer.authorizerId}\u0000${JSON.stringify(identity)}`;
    const cached = ttlMs > 0 && sources.length > 0 ? this.#cache.get(cacheKey) : undefined;
    let verdict: Verdict;
    if (cached !== undefined && cached.expiresAtMs > this.#nowMs()) {
      verdict = cached.verdict;
    } else {
      const fresh = await this.#invoke(authorizer, served, identity);
      if ("error" in fresh) return { admitted: false, status: 500, error: fresh.error };
      verdict = fresh;
      if (ttlMs > 0 && sources.length > 0) this.#remember(cacheKey, verdict, ttlMs);
    }
    return judge(verdict, routeArn(served));
  }

  async #invoke(
    authorizer: AuthorizerRecord,
    served: ServedRequest,
    identity: string[],
  ): Promise<Verdict | { error: string }> {
    const v2 = authorizer.authorizerPayloadFormatVersion === "2.0";
    const event = v2 ? authorizerEventV2(served, identity) : authorizerEventV1(served, identity);
    let payload: Buffer;
    try {
      const outcome = await invokeTarget(this.#invoker, authorizer.authorizerUri ?? "", served, event);
      if (outcome.result.functionError !== undefined) return { error: "The authorizer function failed" };
      payload = outcome.result.payload;
    } catch (error) {
      if (!isAwsError(error)) throw error;
      return { error: `The authorizer function could not be invoked: ${error.code}` };
    }
    let answer: unknown;
    try {
      answer = JSON.parse(payload.toString("utf8"));
    } catch {
      return { error: "The response from the authorizer function is not valid JSON" };
    }
    return parseVerdict(answer, v2 && authorizer.enableSimpleResponses === true);
  }

  #remember(key: string, verdict: Verdict, ttlMs: number): void {
    if (this.#cache.size >= CACHE_ENTRIES_MAX) {
      const oldest = this.#cache.keys().next().value;
      if (oldest !== undefined) this.#cache.delete(oldest);
    }
    this.#cache.set(key, { verdict, expiresAtMs: this.#nowMs() + ttlMs });
  }
}

function parseVerdict(answer: unknown, simple: boolean): Verdict | { error: string } {
  if (answer === null || typeof answer !== "object" || Array.isArray(answer)) {
    return { error: "The response from the authorizer function is not an object" };
  }
  const record = answer as Record<string, unknown>;
  const context = record.context;
  if (context !== undefined && context !== null && (typeof context !== "object" || Array.isArray(context))) {
    return { error: "The authorizer's context is not an object" };
  }
  const contextObject = (context ?? {}) as Record<string, unknown>;
  if (simple) {
    if (typeof record.isAuthorized !== "boolean") return { error: "isAuthorized is not a boolean" };
    return { kind: "simple", isAuthorized: record.isAuthorized, context: contextObject };
  }
  const document = record.policyDocument as { Statement?: unknown } | undefined;
  if (document === null || typeof document !== "object" || document.Statement === undefined) {
    return { error: "The authorizer's answer has no policyDocument" };
  }
  const raw = Array.isArray(document.Statement) ? document.Statement : [document.Statement];
  const statements: Statement[] = [];
  for (const entry of raw) {
    if (entry === null || typeof entry !== "object") return { error: "A policy statement is not an object" };
    const { Effect, Action, Resource } = entry as Record<string, unknown>;
    if (Effect !== "Allow" && Effect !== "Deny") return { error: "A policy statement has no valid Effect" };
    statements.push({ effect: Effect, actions: strings(Action), resources: strings(Resource) });
  }
  return {
    kind: "policy",
    principalId:
      typeof record.principalId === "string" ? record.principalId : String(record.principalId ?? ""),
    statements,
    context: contextObject,
  };
}

function strings(value: unknown): string[] {
  if (typeof value === "string") return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

function judge(verdict: Verdict, arn: string): LambdaAuthorizerOutcome {
  if (verdict.kind === "simple") {
    return verdict.isAuthorized
      ? { admitted: true, context: verdict.context }
      : { admitted: false, status: 403 };
  }
  const applies = (s: Statement) =>
    s.actions.some((a) => wildcard(a, "execute-api:Invoke", "i")) &&
    s.resources.some((r) => wildcard(r, arn, ""));
  if (verdict.statements.some((s) => s.effect === "Deny" && applies(s)))
    return { admitted: false, status: 403 };
  if (!verdict.statements.some((s) => s.effect === "Allow" && applies(s)))
    return { admitted: false, status: 403 };
  return { admitted: true, principalId: verdict.principalId, context: verdict.context };
}

/** IAM-style match: `*` any run of characters, `?` one character (actions ignore case, ARNs do not). */
function wildcard(pattern: string, value: string, flags: "i" | ""): boolean {
  const regex = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${regex}$`, flags).test(value);
}
