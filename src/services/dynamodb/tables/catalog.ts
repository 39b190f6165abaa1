/**
 * Table metadata in the KV store: one JSON TableRecord per (account, region, table name). Every item
 * operation starts by looking its table up, so decoded views are cached; a cache entry is used only
 * while the stored bytes are identical to the ones it was decoded from (a memcmp, far cheaper than
 * JSON.parse), so a change by any writer, in this process or another node, is never missed.
 */
import { equalBytes } from "../../../storage/bytes.ts";
import type { KvReader, KvTransaction } from "../../../storage/kv.ts";
import { decodeTuple, tupleRange } from "../../../storage/tuple.ts";
import { tableMetaKey, tableMetaPrefix } from "../items-store/layout.ts";
import { type TableRecord, type TableView, tableView } from "./record.ts";

/** Entries kept decoded; beyond this the cache starts over (a bound, not an LRU: lookups are cheap). */
const CACHE_ENTRIES_MAX = 10_000;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function encodeRecord(record: TableRecord): Uint8Array {
  return encoder.encode(JSON.stringify(record));
}

export function decodeRecord(bytes: Uint8Array): TableRecord {
  const record = JSON.parse(decoder.decode(bytes)) as TableRecord;
  if (record.format !== 1) throw new Error(`unknown DynamoDB table record format ${String(record.format)}`);
  return record;
}

export class TableCatalog {
  readonly #cache = new Map<string, { key: Uint8Array; bytes: Uint8Array; view: TableView }>();

  /** The table, or undefined when there is none of that name in the account and region. */
  async get(reader: KvReader, account: string, region: string, name: string): Promise<TableView | undefined> {
    const cacheKey = `${account}\0${region}\0${name}`;
    const cached = this.#cache.get(cacheKey);
    // A cached entry also keeps the encoded storage key: encoding the tuple costs more than the lookup.
    const key = cached?.key ?? tableMetaKey(account, region, name);
    const bytes = await reader.get(key);
    if (bytes === undefined) return undefined;
    if (cached && equalBytes(cached.bytes, bytes)) return cached.view;
    const view = tableView(decodeRecord(bytes));
    if (this.#cache.size >= CACHE_ENTRIES_MAX) this.#cache.clear();
    this.#cache.set(cacheKey, { key, bytes, view });
    return view;
  }

  put(tx: KvTransaction, record: TableRecord): void {
    tx.put(tableMetaKey(record.account, record.region, record.name), encodeRecord(record));
  }

  delete(tx: KvTransaction, record: TableRecord): void {
    tx.delete(tableMetaKey(record.account, record.region, record.name));
  }

  /** Table names in order, after `exclusiveStart`; at most `limit`, and whether more follow. */
  async listNames(
    reader: KvReader,
    account: string,
    region: string,
    options: { exclusiveStart?: string; limit: number },
  ): Promise<{ names: string[]; more: boolean }> {
    const range = tupleRange("dynamodb", "table", account, region);
    const start =
      options.exclusiveStart === undefined
        ? range.start
        : // The first key after the start name's whole tuple range.
          tupleRange("dynamodb", "table", account, region, options.exclusiveStart).end;
    const prefixItems = decodeTuple(tableMetaPrefix(account, region)).length;
    const names: string[] = [];
    for await (const entry of reader.range({ start, end: range.end, limit: options.limit + 1 })) {
      names.push(String(decodeTuple(entry.key)[prefixItems]));
    }
    const more = names.length > options.limit;
    return { names: more ? names.slice(0, options.limit) : names, more };
  }

  /** Every table of every account and region (background work: backfills, TTL). */
  async *all(reader: KvReader): AsyncGenerator<TableRecord> {
    for await (const entry of reader.range(tupleRange("dynamodb", "table"))) yield decodeRecord(entry.value);
  }
}
