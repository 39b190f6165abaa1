/**
 * Time to Live expiry: a sweeper that deletes the items whose TTL attribute (a Number, epoch seconds)
 * lies in the past, as DynamoDB's background process does, with a stream record marked as a service
 * deletion (userIdentity dynamodb.amazonaws.com). DynamoDB's rules (developer guide, "Time to Live"):
 * only a Number attribute counts (strings, sets, absent: never expire), and values more than five years
 * in the past are ignored. DynamoDB deletes within days; Stratus sweeps every `intervalMs`.
 *
 * Each step is one transaction over a bounded batch of one table, re-reading the table so a table
 * deleted, re-created or with TTL turned off meanwhile is left alone. A pass reads every item of every
 * table with TTL enabled: fine for development-sized tables; an expiry index would be the next step.
 */
import type { Clock } from "../../aws/clock.ts";
import type { Logger } from "../../log.ts";
import type { KvStore } from "../../storage/kv.ts";
import type { Item } from "./attribute-value.ts";
import { decodeItem } from "./items-store/codec.ts";
import type { ItemStore } from "./items-store/item-store.ts";
import { afterPrefix, concat, ITEM_PREFIX, justAfter } from "./items-store/layout.ts";
import type { TableCatalog } from "./tables/catalog.ts";

/** Items examined per transaction. */
const SWEEP_BATCH_ITEMS = 256;
/** TTL values further in the past than this are not expiry times (DynamoDB: five years). */
const IGNORED_AGE_SECONDS = 5 * 365 * 24 * 3600;

export class TtlSweeper {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<number> | undefined;

  constructor(
    private readonly storage: KvStore,
    private readonly tables: TableCatalog,
    private readonly items: ItemStore,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /** Sweeps every `intervalMs` until `stop()` or until the store is closed. */
  start(intervalMs: number): void {
    if (this.#timer !== undefined || intervalMs <= 0) return;
    this.#timer = setInterval(() => {
      this.sweep().catch((error: Error) => {
        this.logger.debug(`dynamodb TTL sweeper stopped: ${error.message}`);
        this.stop();
      });
    }, intervalMs);
    this.#timer.unref(); // never keeps the process alive on its own
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** One pass over every table with TTL enabled; resolves to the number of items deleted. */
  sweep(): Promise<number> {
    this.#running ??= this.#pass().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  async #pass(): Promise<number> {
    const targets: { account: string; region: string; name: string; id: string }[] = [];
    for await (const record of this.tables.all(this.storage)) {
      if (record.ttl)
        targets.push({ account: record.account, region: record.region, name: record.name, id: record.id });
    }
    let deleted = 0;
    for (const target of targets) {
      let cursor: Uint8Array | undefined;
      do {
        const step = await this.#batch(target, cursor);
        deleted += step.deleted;
        cursor = step.next;
      } while (cursor !== undefined);
    }
    return deleted;
  }

  async #batch(
    target: { account: string; region: string; name: string; id: string },
    cursor: Uint8Array | undefined,
  ): Promise<{ deleted: number; next: Uint8Array | undefined }> {
    return this.storage.transaction(async (tx) => {
      const table = await this.tables.get(tx, target.account, target.region, target.name);
      const attribute = table?.record.ttl?.attributeName;
      if (!table || table.record.id !== target.id || attribute === undefined)
        return { deleted: 0, next: undefined };
      const nowSeconds = this.clock.now().getTime() / 1000;
      const prefix = concat(ITEM_PREFIX, table.id);
      let seen = 0;
      let deleted = 0;
      let last: Uint8Array | undefined;
      const start = cursor === undefined ? prefix : justAfter(cursor);
      for await (const entry of tx.range({ start, end: afterPrefix(prefix), limit: SWEEP_BATCH_ITEMS })) {
        seen++;
        last = entry.key;
        const item = decodeItem(entry.value);
        if (!expired(item, attribute, nowSeconds)) continue;
        await this.items.delete(tx, table, item, { byService: true });
        deleted++;
      }
      return { deleted, next: seen === SWEEP_BATCH_ITEMS ? last : undefined };
    });
  }
}

export function expired(item: Item, attribute: string, nowSeconds: number): boolean {
  const value = item[attribute];
  if (value === undefined || !("N" in value)) return false;
  const at = Number(value.N);
  return Number.isFinite(at) && at <= nowSeconds && at > nowSeconds - IGNORED_AGE_SECONDS;
}
