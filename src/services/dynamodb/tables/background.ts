/**
 * Work that follows a table operation but must not run inside it, because its size depends on the
 * table's data: filling a GSI that UpdateTable added (backfill), and removing the items and index
 * entries of a deleted table or GSI (drop). Jobs are stored in the KV store in the same transaction as
 * the operation that makes them, and each step is one short transaction over a bounded batch that also
 * advances (or removes) its job, so a crash or restart resumes where it stopped and never leaves half a
 * step. Requests keep flowing in between: each step yields to the event loop.
 *
 * Why backfill is safe while writes continue: every write maintains a new index from the moment the
 * index exists, so the backfill only adds the entries of items nobody has written since, and an entry
 * that already exists is left alone (and not counted twice).
 */
import { randomBytes } from "node:crypto";
import type { Logger } from "../../../log.ts";
import type { KvStore, KvTransaction } from "../../../storage/kv.ts";
import { tupleRange } from "../../../storage/tuple.ts";
import { decodeItem, encodeItem } from "../items-store/codec.ts";
import { indexEntry } from "../items-store/indexes.ts";
import { addToCounter } from "../items-store/item-store.ts";
import { afterPrefix, concat, countKey, ITEM_PREFIX, jobKey, justAfter } from "../items-store/layout.ts";
import { itemSizeBytes } from "../values.ts";
import type { TableCatalog } from "./catalog.ts";
import { hexBytes } from "./record.ts";

/** Keys handled per step: small enough to keep each transaction (and the pause it causes) short. */
const BACKFILL_BATCH_ITEMS = 256;
const DROP_BATCH_KEYS = 1024;

export type Job =
  | {
      kind: "backfill";
      account: string;
      region: string;
      table: string;
      tableId: string;
      indexId: string;
      cursor?: string;
    }
  | { kind: "drop"; prefix: string; counterIds: string[] };

export class BackgroundJobs {
  #loop: Promise<void> | undefined;
  #again = false;

  constructor(
    private readonly storage: KvStore,
    private readonly catalog: TableCatalog,
    private readonly logger: Logger,
  ) {}

  /** Adds a job in the caller's transaction; call `kick()` after it commits. */
  enqueue(tx: KvTransaction, job: Job): void {
    // Time first, so jobs run in the order they were made.
    const id = `${Date.now().toString(16).padStart(12, "0")}-${randomBytes(6).toString("hex")}`;
    tx.put(jobKey(id), new TextEncoder().encode(JSON.stringify(job)));
  }

  /** Runs pending jobs in the background (also those left by a previous process). */
  kick(): void {
    if (this.#loop !== undefined) {
      this.#again = true;
      return;
    }
    this.#loop = this.#run().finally(() => {
      this.#loop = undefined;
    });
  }

  /** Resolves once no job is left (tests; shutdown). */
  async drain(): Promise<void> {
    this.kick();
    while (this.#loop !== undefined) await this.#loop;
  }

  async #run(): Promise<void> {
    try {
      for (;;) {
        this.#again = false;
        while (await this.#step()) await new Promise((resolve) => setImmediate(resolve));
        if (!this.#again) return;
      }
    } catch (error) {
      // Most often the store closing under us; a job left behind resumes at the next start.
      this.logger.debug(`dynamodb background jobs stopped: ${(error as Error).message}`);
    }
  }

  /** One batch of the oldest job; false when there is none. */
  #step(): Promise<boolean> {
    return this.storage.transaction(async (tx) => {
      for await (const entry of tx.range({ ...tupleRange("dynamodb", "job"), limit: 1 })) {
        const job = JSON.parse(new TextDecoder().decode(entry.value)) as Job;
        const next = job.kind === "backfill" ? await this.#backfill(tx, job) : await dropBatch(tx, job);
        if (next === undefined) tx.delete(entry.key);
        else tx.put(entry.key, new TextEncoder().encode(JSON.stringify(next)));
        return true;
      }
      return false;
    });
  }

  async #backfill(tx: KvTransaction, job: Extract<Job, { kind: "backfill" }>): Promise<Job | undefined> {
    const table = await this.catalog.get(tx, job.account, job.region, job.table);
    const index = table?.indexes.find((candidate) => candidate.record.id === job.indexId);
    if (!table || table.record.id !== job.tableId || !index) return undefined; // deleted meanwhile
    const prefix = concat(ITEM_PREFIX, table.id);
    const start = job.cursor === undefined ? prefix : justAfter(hexBytes(job.cursor));
    let seen = 0;
    let lastKey: Uint8Array | undefined;
    let added = 0;
    let addedBytes = 0;
    for await (const entry of tx.range({ start, end: afterPrefix(prefix), limit: BACKFILL_BATCH_ITEMS })) {
      seen++;
      lastKey = entry.key;
      const found = indexEntry(table, index, decodeItem(entry.value));
      if (found === undefined || (await tx.get(found.key)) !== undefined) continue;
      tx.put(found.key, encodeItem(found.value));
      added++;
      addedBytes += itemSizeBytes(found.value);
    }
    if (added > 0) await addToCounter(tx, index.id, added, addedBytes);
    if (seen === BACKFILL_BATCH_ITEMS && lastKey)
      return { ...job, cursor: Buffer.from(lastKey).toString("hex") };
    const record = structuredClone(table.record);
    const done = record.gsis.find((gsi) => gsi.id === job.indexId);
    if (done) done.backfilled = true;
    this.catalog.put(tx, record);
    return undefined;
  }
}

async function dropBatch(tx: KvTransaction, job: Extract<Job, { kind: "drop" }>): Promise<Job | undefined> {
  const prefix = hexBytes(job.prefix);
  let deleted = 0;
  for await (const entry of tx.range({ start: prefix, end: afterPrefix(prefix), limit: DROP_BATCH_KEYS })) {
    tx.delete(entry.key);
    deleted++;
  }
  if (deleted === DROP_BATCH_KEYS) return job;
  for (const id of job.counterIds) tx.delete(countKey(hexBytes(id)));
  return undefined;
}
