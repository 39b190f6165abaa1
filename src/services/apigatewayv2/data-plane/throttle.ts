/**
 * Stage throttling: each route of a stage draws on a token bucket of `throttlingBurstLimit` tokens
 * refilled at `throttlingRateLimit` per second, from the stage's `routeSettings[routeKey]` or else its
 * `defaultRouteSettings`; an empty bucket answers 429 `{"message":"Too Many Requests"}` before any
 * authorizer or integration runs. A stage without limits is not throttled here (the account's
 * 10,000 rps / 5,000 burst quota is not emulated).
 *
 * Buckets live in memory, keyed by API, stage and route key, and start full; a changed limit starts a
 * fresh bucket.
 */
import type { RouteSettings, StageRecord } from "../snapshot.ts";

interface Bucket {
  rate: number;
  burst: number;
  tokens: number;
  updatedMs: number;
}

/** Most buckets kept; the oldest are dropped beyond it. */
const BUCKETS_MAX = 10_000;

export class RouteThrottle {
  readonly #buckets = new Map<string, Bucket>();
  readonly #nowMs: () => number;

  constructor(nowMs: () => number) {
    this.#nowMs = nowMs;
  }

  /** Takes a token for this request; false when the route is over its limit. */
  admit(apiId: string, stage: StageRecord, routeKey: string): boolean {
    const limits = limitsFor(stage, routeKey);
    if (limits === undefined) return true;
    const key = `${apiId}\u0000${stage.stageName}\u0000${routeKey}`;
    const now = this.#nowMs();
    let bucket = this.#buckets.get(key);
    if (bucket === undefined || bucket.rate !== limits.rate || bucket.burst !== limits.burst) {
      bucket = { ...limits, tokens: limits.burst, updatedMs: now };
      if (this.#buckets.size >= BUCKETS_MAX) {
        const oldest = this.#buckets.keys().next().value;
        if (oldest !== undefined) this.#buckets.delete(oldest);
      }
      this.#buckets.set(key, bucket);
    } else {
      const refill = ((now - bucket.updatedMs) / 1000) * bucket.rate;
      bucket.tokens = Math.min(bucket.burst, bucket.tokens + refill);
      bucket.updatedMs = now;
    }
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }
}

function limitsFor(stage: StageRecord, routeKey: string): { rate: number; burst: number } | undefined {
  const route: RouteSettings | undefined = stage.routeSettings?.[routeKey];
  const defaults: RouteSettings | undefined = stage.defaultRouteSettings;
  const rate = route?.throttlingRateLimit ?? defaults?.throttlingRateLimit;
  const burst = route?.throttlingBurstLimit ?? defaults?.throttlingBurstLimit;
  // A burst without a rate never refills: taken as unthrottled (AWS sets both in practice).
  if (rate === undefined) return undefined;
  return { rate, burst: Math.floor(burst ?? Math.max(1, Math.ceil(rate))) };
}
