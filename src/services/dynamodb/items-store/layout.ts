/**
 * Where DynamoDB keeps everything in the KV store (docs/dynamodb.md draws the same table). Every key
 * starts with the tuple ("dynamodb", <kind>), so each kind is one contiguous range:
 *
 *   ("dynamodb","table",account,region,name)        table metadata (TableRecord JSON)
 *   ("dynamodb","stream-meta",account,region,table,label)  a stream's metadata, kept after disable/delete
 *   ("dynamodb","job",id)                           background work (GSI backfill, dropping data)
 *   ("dynamodb","item")  | tableId | pkHash | sk    items: tableId 16 B, MD5 of the partition key 16 B,
 *                                                   order-preserving sort key (keys.ts)
 *   ("dynamodb","index") | indexId | pkHash | sk | baseKeyHash   index entries (LSI and GSI alike)
 *   ("dynamodb","count") | tableId or indexId       item count and size, two float64s
 *   ("dynamodb","stream") | streamId | seq (8 B)    stream records in sequence order
 *   ("dynamodb","stream-seq") | streamId            the last sequence number handed out
 *
 * The fixed-size ids and hashes need no escaping, so item and index keys are raw concatenations after
 * the tuple prefix. The longest item key is 16 + 16 + 16 + 2050 (a 1024-byte binary sort key of zeros,
 * escaped) = 2098 bytes, the longest index entry 17 + 16 + 16 + 2050 + 16 = 2115 bytes: both under
 * MAX_KEY_BYTES (4026), checked by test/unit/dynamodb/store/item-store.test.ts. The
 * partition key itself is not in the key (a 2048-byte key could not fit twice); readers compare the
 * stored item's real key attributes, so an MD5 collision can never return the wrong item.
 */
import { concatBytes } from "../../../storage/bytes.ts";
import { tuple } from "../../../storage/tuple.ts";

export const ITEM_PREFIX = tuple("dynamodb", "item");
export const INDEX_PREFIX = tuple("dynamodb", "index");
export const COUNT_PREFIX = tuple("dynamodb", "count");
export const STREAM_PREFIX = tuple("dynamodb", "stream");
export const STREAM_SEQ_PREFIX = tuple("dynamodb", "stream-seq");

/** Keys are built by concatenation: one implementation, in the storage layer. */
export const concat = concatBytes;

export function tableMetaKey(account: string, region: string, name: string): Uint8Array {
  return tuple("dynamodb", "table", account, region, name);
}

export function tableMetaPrefix(account: string, region: string): Uint8Array {
  return tuple("dynamodb", "table", account, region);
}

export function streamMetaKey(account: string, region: string, table: string, label: string): Uint8Array {
  return tuple("dynamodb", "stream-meta", account, region, table, label);
}

export function jobKey(id: string): Uint8Array {
  return tuple("dynamodb", "job", id);
}

export function itemKey(tableId: Uint8Array, pkHash: Uint8Array, sort?: Uint8Array): Uint8Array {
  return sort === undefined
    ? concat(ITEM_PREFIX, tableId, pkHash)
    : concat(ITEM_PREFIX, tableId, pkHash, sort);
}

export function indexKey(
  indexId: Uint8Array,
  pkHash: Uint8Array,
  sort: Uint8Array | undefined,
  baseKeyHash: Uint8Array,
): Uint8Array {
  return sort === undefined
    ? concat(INDEX_PREFIX, indexId, pkHash, baseKeyHash)
    : concat(INDEX_PREFIX, indexId, pkHash, sort, baseKeyHash);
}

export function countKey(id: Uint8Array): Uint8Array {
  return concat(COUNT_PREFIX, id);
}

export function streamRecordKey(streamId: Uint8Array, sequence: number): Uint8Array {
  const seq = new Uint8Array(8);
  new DataView(seq.buffer).setBigUint64(0, BigInt(sequence));
  return concat(STREAM_PREFIX, streamId, seq);
}

export function streamSeqKey(streamId: Uint8Array): Uint8Array {
  return concat(STREAM_SEQ_PREFIX, streamId);
}

/** The smallest key after every key that starts with `prefix` (as a range end). */
export function afterPrefix(prefix: Uint8Array): Uint8Array {
  const end = new Uint8Array(prefix);
  for (let i = end.length - 1; i >= 0; i--) {
    if (end[i] !== 0xff) {
      end[i] = end[i]! + 1;
      return end.subarray(0, i + 1);
    }
  }
  throw new Error("no key follows an all-0xFF prefix");
}

/** The smallest key greater than `key` when keys are prefix-free (as an exclusive start). */
export function justAfter(key: Uint8Array): Uint8Array {
  return concat(key, Uint8Array.of(0));
}
