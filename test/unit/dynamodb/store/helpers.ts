/**
 * An in-process DynamoDB store over the memory engine, with a ManualClock, and tables made through the
 * real CreateTable/UpdateTable operations (no socket).
 */
import { ManualClock } from "../../../../src/aws/clock.ts";
import type { RequestContext } from "../../../../src/aws/context.ts";
import { createLogger } from "../../../../src/log.ts";
import type { Item } from "../../../../src/services/dynamodb/attribute-value.ts";
import { createTable } from "../../../../src/services/dynamodb/operations/create-table.ts";
import { updateTable } from "../../../../src/services/dynamodb/operations/update-table.ts";
import { DynamoDbStore, type DynamoDbStoreOptions } from "../../../../src/services/dynamodb/store.ts";
import type { TableView } from "../../../../src/services/dynamodb/tables/record.ts";
import { openMemoryStore } from "../../../../src/storage/memory-engine.ts";

export interface Harness {
  store: DynamoDbStore;
  clock: ManualClock;
  context: RequestContext;
  create(input: Record<string, unknown>): Promise<Record<string, unknown>>;
  update(input: Record<string, unknown>): Promise<Record<string, unknown>>;
  table(name: string): Promise<TableView>;
  put(table: TableView, item: Item): Promise<Item | undefined>;
  remove(table: TableView, key: Item, byService?: boolean): Promise<Item | undefined>;
  collect(items: AsyncIterable<Item>): Promise<Item[]>;
}

export function harness(options: DynamoDbStoreOptions = {}): Harness {
  const clock = new ManualClock(Date.UTC(2025, 0, 1));
  const store = new DynamoDbStore(
    { storage: openMemoryStore(), clock, logger: createLogger("silent") },
    { ttlSweepIntervalMs: 0, ...options },
  );
  const context: RequestContext = {
    requestId: "TEST",
    accountId: "000000000000",
    region: "us-east-1",
    accessKeyId: "test",
    receivedAt: clock.now(),
    clock,
  };
  const h: Harness = {
    store,
    clock,
    context,
    create: async (input) =>
      (await createTable(store)(structuredClone(input), context)) as Record<string, unknown>,
    update: async (input) =>
      (await updateTable(store)(structuredClone(input), context)) as Record<string, unknown>,
    async table(name) {
      const view = await store.tables.get(store.storage, context.accountId, context.region, name);
      if (!view) throw new Error(`no table ${name}`);
      return view;
    },
    put: (table, item) => store.storage.transaction((tx) => store.items.put(tx, table, item)),
    remove: (table, key, byService) =>
      store.storage.transaction((tx) =>
        store.items.delete(tx, table, key, { byService: byService ?? false }),
      ),
    async collect(items) {
      const out: Item[] = [];
      for await (const item of items) out.push(item);
      return out;
    },
  };
  return h;
}

export const S = (value: string) => ({ S: value });
export const N = (value: string | number) => ({ N: String(value) });
