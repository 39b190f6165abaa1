/**
 * API ids of API Gateway, shared by REST APIs (v1), HTTP and WebSocket APIs (v2): one id space, as on
 * AWS, since both are invoked at `{apiId}.execute-api.{region}.amazonaws.com`. Invoke URLs are unsigned,
 * so the data plane finds the account and region that own an id here.
 *
 * Key: ("execute-api", "api", apiId) → JSON ApiIdOwner.
 */
import { randomBytes } from "node:crypto";
import { DecodedReads } from "../../storage/decoded-reads.ts";
import type { KvReader, KvTransaction } from "../../storage/kv.ts";
import { tuple } from "../../storage/tuple.ts";

export type ApiKind = "rest" | "http" | "websocket";

export interface ApiIdOwner {
  accountId: string;
  region: string;
  kind: ApiKind;
}

const ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
const encoder = new TextEncoder();

function apiIdKey(apiId: string): Uint8Array {
  return tuple("execute-api", "api", apiId);
}

/** A random id of `length` lower-case letters and digits (API ids are 10, resource ids 6...). */
export function randomId(length = 10): string {
  const bytes = randomBytes(length);
  let id = "";
  for (const byte of bytes) id += ALPHABET[byte % ALPHABET.length];
  return id;
}

/** Registers a fresh API id for its owner inside the caller's transaction; never reuses a live id. */
export async function allocateApiId(tx: KvTransaction, owner: ApiIdOwner): Promise<string> {
  for (;;) {
    const apiId = randomId(10);
    if ((await tx.get(apiIdKey(apiId))) !== undefined) continue;
    tx.put(apiIdKey(apiId), encoder.encode(JSON.stringify(owner)));
    return apiId;
  }
}

/**
 * The data plane's lookups: the store is still read on every request (so a deleted API is seen at once),
 * but the key is encoded and the record decoded once per stored version — the key's tuple encoding
 * and the JSON decode were ~2.5% of a MOCK request's time (profile, 24 November 2026).
 */
const servedOwners = new DecodedReads();

/** Who owns an API id; undefined when no live API has it. The record is shared: do not modify it. */
export function lookupApiId(reader: KvReader, apiId: string): Promise<ApiIdOwner | undefined> {
  return servedOwners.get<ApiIdOwner>(reader, apiId, () => apiIdKey(apiId));
}

/** Frees an id when its API is deleted. */
export function releaseApiId(tx: KvTransaction, apiId: string): void {
  tx.delete(apiIdKey(apiId));
}
