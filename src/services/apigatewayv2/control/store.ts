/**
 * Where the HTTP API control plane keeps its state: one JSON record per API, route, integration,
 * authorizer, stage and deployment, keyed under the owning account, region and API so that deleting an
 * API is one range delete and listing a kind is one range scan.
 *
 *   ("apigatewayv2", accountId, region, apiId, "api")              → ApiRecord (+ createdDate, tags...)
 *   ("apigatewayv2", accountId, region, apiId, kind, id)           → that kind's record
 *
 * Records are stored in their wire shape (camelCase, as Get* answers them) — see ../snapshot.ts.
 */
import { DecodedReads } from "../../../storage/decoded-reads.ts";
import type { KvReader, KvTransaction } from "../../../storage/kv.ts";
import { decodeTuple, tuple, tupleRange } from "../../../storage/tuple.ts";

export type ChildKind = "route" | "integration" | "authorizer" | "stage" | "deployment";

/** Which API a request is about. */
export interface ApiScope {
  accountId: string;
  region: string;
  apiId: string;
}

const PREFIX = "apigatewayv2";
const encoder = new TextEncoder();
const decoder = new TextDecoder();

function apiKey(scope: ApiScope): Uint8Array {
  return tuple(PREFIX, scope.accountId, scope.region, scope.apiId, "api");
}

function childKey(scope: ApiScope, kind: ChildKind, id: string): Uint8Array {
  return tuple(PREFIX, scope.accountId, scope.region, scope.apiId, kind, id);
}

function encode(value: unknown): Uint8Array {
  return encoder.encode(JSON.stringify(value));
}

function decode<T>(value: Uint8Array): T {
  return JSON.parse(decoder.decode(value)) as T;
}

export async function getApi<T>(reader: KvReader, scope: ApiScope): Promise<T | undefined> {
  const value = await reader.get(apiKey(scope));
  return value === undefined ? undefined : decode<T>(value);
}

export function putApi(tx: KvTransaction, scope: ApiScope, record: unknown): void {
  tx.put(apiKey(scope), encode(record));
}

/** Every API of an account and region, in API id order. */
export async function listApis<T>(reader: KvReader, accountId: string, region: string): Promise<T[]> {
  const out: T[] = [];
  for await (const entry of reader.range(tupleRange(PREFIX, accountId, region))) {
    // Only the API records themselves; children share the prefix.
    const items = decodeTuple(entry.key);
    if (items.length === 5 && items[4] === "api") out.push(decode<T>(entry.value));
  }
  return out;
}

/** Removes the API and everything under it. */
export async function deleteApiTree(tx: KvTransaction, scope: ApiScope): Promise<void> {
  const keys: Uint8Array[] = [];
  for await (const entry of tx.range(tupleRange(PREFIX, scope.accountId, scope.region, scope.apiId))) {
    keys.push(entry.key);
  }
  for (const key of keys) tx.delete(key);
}

export async function getChild<T>(
  reader: KvReader,
  scope: ApiScope,
  kind: ChildKind,
  id: string,
): Promise<T | undefined> {
  const value = await reader.get(childKey(scope, kind, id));
  return value === undefined ? undefined : decode<T>(value);
}

export function putChild(
  tx: KvTransaction,
  scope: ApiScope,
  kind: ChildKind,
  id: string,
  record: unknown,
): void {
  tx.put(childKey(scope, kind, id), encode(record));
}

export function deleteChild(tx: KvTransaction, scope: ApiScope, kind: ChildKind, id: string): void {
  tx.delete(childKey(scope, kind, id));
}

/** Every record of one kind under an API, in id order. */
export async function listChildren<T>(reader: KvReader, scope: ApiScope, kind: ChildKind): Promise<T[]> {
  const out: T[] = [];
  const range = tupleRange(PREFIX, scope.accountId, scope.region, scope.apiId, kind);
  for await (const entry of reader.range(range)) out.push(decode<T>(entry.value));
  return out;
}

/** The data plane's reads: decoded once per stored version (DecodedReads); callers must not modify them. */
const servedReads = new DecodedReads();

export function getApiForServing<T>(reader: KvReader, scope: ApiScope): Promise<T | undefined> {
  return servedReads.get<T>(reader, `api\0${scope.accountId}\0${scope.region}\0${scope.apiId}`, () =>
    apiKey(scope),
  );
}

export function getChildForServing<T>(
  reader: KvReader,
  scope: ApiScope,
  kind: ChildKind,
  id: string,
): Promise<T | undefined> {
  return servedReads.get<T>(
    reader,
    `${kind}\0${scope.accountId}\0${scope.region}\0${scope.apiId}\0${id}`,
    () => childKey(scope, kind, id),
  );
}
