/**
 * DynamoDB's state, per account and region, over the shared KV store: table metadata (tables/), items,
 * index entries, counters and stream records (items-store/), and the background jobs that follow table
 * changes. docs/dynamodb.md describes the layout; items-store/layout.ts is its single source.
 *
 * Status timing: a new table answers CREATING in CreateTable's own response and becomes ACTIVE
 * `tableActivationMs` later on the injected clock (UPDATING likewise after UpdateTable). The default is
 * 0 on purpose: the SDK waiters (waitUntilTableExists, boto3's table_exists) poll once at once and then
 * sleep at least 20 s, so any CREATING seen by a DescribeTable right after CreateTable costs a client
 * 20 s. Tests that want to watch the transition pass a delay and a ManualClock.
 */
import { randomUUID } from "node:crypto";
import type { Clock } from "../../aws/clock.ts";
import type { RequestContext } from "../../aws/context.ts";
import type { Logger } from "../../log.ts";
import type { KvReader, KvStore } from "../../storage/kv.ts";
import type { ServiceDeps } from "../service.ts";
import { resourceNotFound } from "./errors.ts";
import { ItemStore } from "./items-store/item-store.ts";
import { BackgroundJobs } from "./tables/background.ts";
import { TableCatalog } from "./tables/catalog.ts";
import { type DescribeOptions, type Description, describeTable } from "./tables/describe.ts";
import { type TableView, tableStatus } from "./tables/record.ts";
import { TtlSweeper } from "./ttl.ts";

export interface DynamoDbStoreOptions {
  /** Milliseconds (injected clock) a new table stays CREATING after CreateTable. Default 0. */
  tableActivationMs?: number;
  /** Milliseconds a table stays UPDATING after UpdateTable. Default 0. */
  tableUpdateMs?: number;
  /** How often expired TTL items are swept (ttl.ts); 0 = never (tests call `ttl.sweep()`). Default 1000. */
  ttlSweepIntervalMs?: number;
}

export class DynamoDbStore {
  readonly storage: KvStore;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly tables = new TableCatalog();
  readonly items: ItemStore;
  readonly jobs: BackgroundJobs;
  readonly tableActivationMs: number;
  readonly tableUpdateMs: number;
  readonly ttl: TtlSweeper;
  readonly #ttlSweepIntervalMs: number;

  constructor(deps: Pick<ServiceDeps, "storage" | "clock" | "logger">, options: DynamoDbStoreOptions = {}) {
    this.storage = deps.storage;
    this.clock = deps.clock;
    this.logger = deps.logger;
    this.items = new ItemStore(deps.clock);
    this.jobs = new BackgroundJobs(deps.storage, this.tables, deps.logger);
    this.tableActivationMs = options.tableActivationMs ?? 0;
    this.tableUpdateMs = options.tableUpdateMs ?? 0;
    this.ttl = new TtlSweeper(deps.storage, this.tables, this.items, deps.clock, deps.logger);
    this.#ttlSweepIntervalMs = options.ttlSweepIntervalMs ?? 1000;
  }

  /** Resumes background jobs a previous process left (GSI backfills, dropping deleted data); starts TTL expiry. */
  start(): void {
    this.jobs.kick();
    this.ttl.start(this.#ttlSweepIntervalMs);
  }

  /** Stops TTL expiry; background jobs end with the storage they write to. */
  stop(): void {
    this.ttl.stop();
  }

  nowMs(): number {
    return this.clock.now().getTime();
  }

  /** A fresh 16-byte id as hex, from a v4 UUID so that TableId reads as one. */
  newId(): string {
    return randomUUID().replaceAll("-", "");
  }

  /**
   * For the item operations: the table, or ResourceNotFoundException "Requested resource not found"
   * (also while it is CREATING, as DynamoDB answers). `tableName` must already be checked.
   */
  async requireTable(reader: KvReader, context: RequestContext, tableName: string): Promise<TableView> {
    const table = await this.tables.get(reader, context.accountId, context.region, tableName);
    if (table === undefined || tableStatus(table.record, this.nowMs()) === "CREATING")
      throw resourceNotFound();
    return table;
  }

  /** The full TableDescription with live counts. */
  async describe(reader: KvReader, table: TableView, options: DescribeOptions = {}): Promise<Description> {
    return describeTable(table, await this.items.counts(reader, table), this.nowMs(), options);
  }
}
