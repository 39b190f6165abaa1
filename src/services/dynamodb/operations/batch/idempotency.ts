/**
 * ClientRequestToken idempotency of TransactWriteItems (API reference, ClientRequestToken): "A client
 * request token is valid for 10 minutes after the first request that uses it is completed"; the same
 * token with the same request within that window has "the same effect as one single call"; with other
 * parameters DynamoDB answers IdempotentParameterMismatchException.
 *
 * A token is remembered in the KV store in the same storage transaction as the writes it guarded, so a
 * retry after a crash or restart still finds it, and two concurrent calls with one token serialise: the
 * second sees the first's record and replays its answer. Only completed (successful) transactions are
 * remembered: a cancelled one wrote nothing, and its retry runs again.
 *
 *   ("dynamodb","tx-token",account,region,token)                   {fingerprint, expiresAt, response}
 *   ("dynamodb","tx-token-expiry",expiresAt,account,region,token)  empty: expired tokens in time order
 *
 * Every call that carries a token also drops a few expired tokens (oldest first), so the records stay
 * bounded by the tokens of the last ten minutes.
 *
 * ## Gaps
 * - These two key kinds belong in items-store/layout.ts and docs/dynamodb.md (owned elsewhere).
 */
import { createHash } from "node:crypto";
import type { RequestContext } from "../../../../aws/context.ts";
import type { KvReader, KvTransaction } from "../../../../storage/kv.ts";
import { decodeTuple, tuple } from "../../../../storage/tuple.ts";
import { idempotentParameterMismatch } from "../../errors.ts";

/** How long a completed request's token is honoured (API reference: 10 minutes). */
export const idempotencyWindowMs = 10 * 60 * 1000;

/** Expired tokens dropped per call, so cleanup stays a small constant cost. */
const expiredDropsPerCall = 16;

interface TokenRecord {
  fingerprint: string;
  expiresAt: number;
  response: Record<string, unknown>;
}

const EXPIRY_PREFIX = tuple("dynamodb", "tx-token-expiry");

function tokenKey(context: RequestContext, token: string): Uint8Array {
  return tuple("dynamodb", "tx-token", context.accountId, context.region, token);
}

function expiryKey(expiresAt: number, account: string, region: string, token: string): Uint8Array {
  return tuple("dynamodb", "tx-token-expiry", expiresAt, account, region, token);
}

/** JSON with object members in name order, so equal requests give equal text whatever their order. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (typeof value === "object" && value !== null) {
    const entries = Object.keys(value)
      .sort()
      .map((name) => `${JSON.stringify(name)}:${canonicalJson((value as Record<string, unknown>)[name])}`);
    return `{${entries.join(",")}}`;
  }
  return JSON.stringify(value);
}

/** What identifies a request for its token: every parameter but the token itself. */
export function requestFingerprint(input: Readonly<Record<string, unknown>>): string {
  const { ClientRequestToken: _token, ...parameters } = input;
  return createHash("sha256").update(canonicalJson(parameters)).digest("hex");
}

/**
 * The response remembered for `token`, or undefined when the token is new or expired. A token
 * remembered with another request is IdempotentParameterMismatchException.
 */
export async function recallToken(
  reader: KvReader,
  context: RequestContext,
  token: string,
  fingerprint: string,
  nowMs: number,
): Promise<Record<string, unknown> | undefined> {
  const bytes = await reader.get(tokenKey(context, token));
  if (bytes === undefined) return undefined;
  const record = JSON.parse(Buffer.from(bytes).toString("utf8")) as TokenRecord;
  if (record.expiresAt <= nowMs) return undefined;
  if (record.fingerprint !== fingerprint) throw idempotentParameterMismatch();
  return record.response;
}

/** Remembers a completed request's response under its token for the idempotency window. */
export async function rememberToken(
  tx: KvTransaction,
  context: RequestContext,
  token: string,
  fingerprint: string,
  nowMs: number,
  response: Record<string, unknown>,
): Promise<void> {
  const key = tokenKey(context, token);
  const previous = await tx.get(key);
  if (previous !== undefined) {
    // An expired record of the same token: its expiry entry goes with it.
    const old = JSON.parse(Buffer.from(previous).toString("utf8")) as TokenRecord;
    tx.delete(expiryKey(old.expiresAt, context.accountId, context.region, token));
  }
  const record: TokenRecord = { fingerprint, expiresAt: nowMs + idempotencyWindowMs, response };
  tx.put(key, Buffer.from(JSON.stringify(record), "utf8"));
  tx.put(expiryKey(record.expiresAt, context.accountId, context.region, token), Uint8Array.of(1));
}

/** Drops up to a few tokens whose window has passed, oldest first. */
export async function forgetExpiredTokens(tx: KvTransaction, nowMs: number): Promise<void> {
  const end = tuple("dynamodb", "tx-token-expiry", nowMs + 1);
  const expired: Uint8Array[] = [];
  for await (const entry of tx.range({ start: EXPIRY_PREFIX, end, limit: expiredDropsPerCall })) {
    expired.push(entry.key);
  }
  for (const key of expired) {
    const [, , expiresAt, account, region, token] = decodeTuple(key) as [
      string,
      string,
      number,
      string,
      string,
      string,
    ];
    tx.delete(key);
    const recordKey = tuple("dynamodb", "tx-token", account, region, token);
    const bytes = await tx.get(recordKey);
    if (bytes === undefined) continue;
    const record = JSON.parse(Buffer.from(bytes).toString("utf8")) as TokenRecord;
    if (record.expiresAt === expiresAt) tx.delete(recordKey);
  }
}
