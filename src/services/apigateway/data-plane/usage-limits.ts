/**
 * API keys, usage plans and throttling at a REST API's invoke URL.
 *
 * - A method with apiKeyRequired needs an API key: the `x-api-key` header (apiKeySource HEADER, the
 *   default) or the authorizer's usageIdentifierKey (AUTHORIZER). The key must exist, be enabled and
 *   belong to a usage plan that includes this API stage; otherwise 403 {"message":"Forbidden"}
 *   (ForbiddenException, AWS knowledge center "troubleshoot 403").
 * - The plan's throttle (rateLimit requests a second, burstLimit bucket) and the per-method throttle of
 *   its apiStages entry refuse with 429 {"message":"Too Many Requests"}; its quota (limit per DAY, WEEK
 *   or MONTH, UTC, shifted by offset days: WEEK offset 0 starts on Sunday) with 429
 *   {"message":"Limit Exceeded"} (API Gateway developer guide, "Usage plans"; QuotaSettings in the
 *   API reference).
 * - Stage methodSettings throttlingRateLimit/throttlingBurstLimit throttle every caller of the stage
 *   together; the most specific key applies (`~1pets/GET`, `~1pets/*`, `*\/GET`, `*\/*`).
 *
 * Token buckets start full and refill continuously.
 *
 * ## Gaps
 * - Counters live in memory: a restart forgets quota use, and GetUsage does not read them.
 */
import type { Clock } from "../../../aws/clock.ts";
import type { Json } from "../snapshot.ts";
import { quotaExceeded, throttled } from "./gateway-responses.ts";

interface Bucket {
  tokens: number;
  atMs: number;
}

/** Bound on the buckets and quota counters kept (oldest dropped first). */
const COUNTERS_MAX = 100_000;
const DAY_MS = 86_400_000;

function bounded<V>(map: Map<string, V>, key: string, value: V): void {
  if (!map.has(key) && map.size >= COUNTERS_MAX) {
    const oldest = map.keys().next().value;
    if (oldest !== undefined) map.delete(oldest);
  }
  map.set(key, value);
}

/** The start of the quota period that `nowMs` falls in. */
export function quotaPeriodStart(nowMs: number, period: string, offset: number): number {
  const now = new Date(nowMs);
  const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  if (period === "WEEK") {
    const daysSince = (now.getUTCDay() - offset + 7) % 7;
    return midnight - daysSince * DAY_MS;
  }
  if (period === "MONTH") {
    let start = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1 + offset);
    if (start > nowMs) start = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1 + offset);
    return start;
  }
  return midnight;
}

/**
 * Whether any method setting of a stage sets a throttle, once per stored stage (records are shared
 * while unchanged, storage/decoded-reads.ts; a changed stage is a new object): most stages set none,
 * and the four candidate keys cost every request of a MOCK method ~3% of the gateway's time.
 */
const throttlingSettings = new WeakMap<Record<string, Json>, boolean>();

function throttles(methodSettings: Record<string, Json>): boolean {
  let any = throttlingSettings.get(methodSettings);
  if (any === undefined) {
    any = Object.values(methodSettings).some(
      (settings) =>
        typeof settings?.throttlingRateLimit === "number" ||
        typeof settings?.throttlingBurstLimit === "number",
    );
    throttlingSettings.set(methodSettings, any);
  }
  return any;
}

export class UsageLimits {
  readonly #buckets = new Map<string, Bucket>();
  readonly #quotas = new Map<string, { periodStart: number; used: number }>();
  readonly #clock: Clock;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** Takes one token from the bucket `key`; false when it is empty. */
  take(key: string, rateLimit: number, burstLimit: number): boolean {
    const now = this.#clock.now().getTime();
    const capacity = Math.max(0, burstLimit);
    const bucket = this.#buckets.get(key) ?? { tokens: capacity, atMs: now };
    bucket.tokens = Math.min(capacity, bucket.tokens + (Math.max(0, now - bucket.atMs) / 1000) * rateLimit);
    bucket.atMs = now;
    const ok = bucket.tokens >= 1;
    if (ok) bucket.tokens -= 1;
    bounded(this.#buckets, key, bucket);
    return ok;
  }

  /** Throws THROTTLED when the stage's method settings throttle this method. */
  checkStage(
    scope: string,
    methodSettings: Record<string, Json> | undefined,
    resourcePath: string,
    httpMethod: string,
  ): void {
    if (methodSettings === undefined || !throttles(methodSettings)) return;
    // Keys as UpdateStage writes them: the resource path JSON-pointer escaped ("/pets" → "~1pets").
    const escaped = resourcePath.replace(/~/g, "~0").replace(/\//g, "~1");
    const candidates = [`${escaped}/${httpMethod}`, `${escaped}/*`, `*/${httpMethod}`, "*/*"];
    for (const key of candidates) {
      const settings = methodSettings[key];
      if (settings === undefined) continue;
      const rate = settings.throttlingRateLimit;
      const burst = settings.throttlingBurstLimit;
      if (typeof rate !== "number" && typeof burst !== "number") continue;
      const ok = this.take(
        `stage\u0000${scope}\u0000${key}`,
        typeof rate === "number" && rate >= 0 ? rate : 10_000,
        typeof burst === "number" && burst >= 0 ? burst : 5_000,
      );
      if (!ok) throw throttled();
      return;
    }
  }

  /** Applies a usage plan's throttles and quota to one request by one key. */
  checkPlan(
    plan: Json,
    keyId: string,
    apiId: string,
    stageName: string,
    resourcePath: string,
    httpMethod: string,
  ): void {
    const planId = String(plan.id);
    const throttle = plan.throttle as Json | undefined;
    if (throttle && (typeof throttle.rateLimit === "number" || typeof throttle.burstLimit === "number")) {
      const ok = this.take(
        `plan\u0000${planId}\u0000${keyId}`,
        Number(throttle.rateLimit ?? 10_000),
        Number(throttle.burstLimit ?? 5_000),
      );
      if (!ok) throw throttled();
    }
    const apiStage = ((plan.apiStages ?? []) as Json[]).find(
      (s) => s.apiId === apiId && s.stage === stageName,
    );
    const methodThrottle = (apiStage?.throttle as Record<string, Json> | undefined)?.[
      `${resourcePath}/${httpMethod}`
    ];
    if (methodThrottle) {
      const ok = this.take(
        `plan-method\u0000${planId}\u0000${keyId}\u0000${resourcePath}/${httpMethod}`,
        Number(methodThrottle.rateLimit ?? 10_000),
        Number(methodThrottle.burstLimit ?? 5_000),
      );
      if (!ok) throw throttled();
    }
    const quota = plan.quota as Json | undefined;
    if (quota && typeof quota.limit === "number") {
      const now = this.#clock.now().getTime();
      const periodStart = quotaPeriodStart(now, String(quota.period ?? "DAY"), Number(quota.offset ?? 0));
      const key = `quota\u0000${planId}\u0000${keyId}`;
      const counter = this.#quotas.get(key);
      const used = counter && counter.periodStart === periodStart ? counter.used : 0;
      if (used >= quota.limit) throw quotaExceeded();
      bounded(this.#quotas, key, { periodStart, used: used + 1 });
    }
  }
}
