/**
 * Event invoke configs in the KV store, one per function and qualifier ($LATEST for the unqualified
 * function, a version number or an alias name):
 *
 *   ("lambda", account, region, "event-invoke-config", name, qualifier) → EventInvokeConfigRecord
 *
 * The operations (operations.ts) write them; the async processor (processor.ts) reads the one of the
 * qualifier an event was sent to at every attempt, so a change applies to events already queued.
 */
import type { KvReader, KvTransaction } from "../../../storage/kv.ts";
import { tuple, tupleRange } from "../../../storage/tuple.ts";
import type { FORMAT_VERSION } from "../store.ts";

export interface EventInvokeConfigRecord {
  v: typeof FORMAT_VERSION;
  name: string;
  /** "$LATEST", a version number or an alias name. */
  qualifier: string;
  /** Absent: not set (Lambda then retries twice). */
  maximumRetryAttempts?: number;
  /** Absent: not set (Lambda then keeps events 6 hours). */
  maximumEventAgeInSeconds?: number;
  onSuccess?: string;
  onFailure?: string;
  lastModifiedMs: number;
}

/** AWS's defaults when no config (or no value) is set. */
export const DEFAULT_MAXIMUM_RETRY_ATTEMPTS = 2;
export const DEFAULT_MAXIMUM_EVENT_AGE_SECONDS = 21_600;

const KIND = "event-invoke-config";
const encoder = new TextEncoder();
const decoder = new TextDecoder();

function configKey(accountId: string, region: string, name: string, qualifier: string): Uint8Array {
  return tuple("lambda", accountId, region, KIND, name, qualifier);
}

export async function getEventInvokeConfig(
  reader: KvReader,
  accountId: string,
  region: string,
  name: string,
  qualifier: string,
): Promise<EventInvokeConfigRecord | undefined> {
  const value = await reader.get(configKey(accountId, region, name, qualifier));
  return value === undefined ? undefined : (JSON.parse(decoder.decode(value)) as EventInvokeConfigRecord);
}

export function putEventInvokeConfig(
  tx: KvTransaction,
  accountId: string,
  region: string,
  record: EventInvokeConfigRecord,
): void {
  tx.put(configKey(accountId, region, record.name, record.qualifier), encoder.encode(JSON.stringify(record)));
}

export function deleteEventInvokeConfig(
  tx: KvTransaction,
  accountId: string,
  region: string,
  name: string,
  qualifier: string,
): void {
  tx.delete(configKey(accountId, region, name, qualifier));
}

/** The function's configs: $LATEST, then versions by number, then aliases by name. */
export async function listEventInvokeConfigs(
  reader: KvReader,
  accountId: string,
  region: string,
  name: string,
): Promise<EventInvokeConfigRecord[]> {
  const out: EventInvokeConfigRecord[] = [];
  for await (const entry of reader.range(tupleRange("lambda", accountId, region, KIND, name))) {
    out.push(JSON.parse(decoder.decode(entry.value)) as EventInvokeConfigRecord);
  }
  return out.sort((a, b) => qualifierRank(a.qualifier, b.qualifier));
}

/** Deletes every config of the function: DeleteFunction removes them with the function. */
export async function deleteAllEventInvokeConfigs(
  tx: KvTransaction,
  accountId: string,
  region: string,
  name: string,
): Promise<void> {
  const keys: Uint8Array[] = [];
  for await (const entry of tx.range(tupleRange("lambda", accountId, region, KIND, name)))
    keys.push(entry.key);
  for (const key of keys) tx.delete(key);
}

function qualifierRank(a: string, b: string): number {
  const group = (q: string) => (q === "$LATEST" ? 0 : /^[0-9]+$/.test(q) ? 1 : 2);
  const byGroup = group(a) - group(b);
  if (byGroup !== 0) return byGroup;
  if (group(a) === 1) return Number(a) - Number(b);
  return a < b ? -1 : a > b ? 1 : 0;
}
