/**
 * DeleteTable: the table record goes at once (its name is free again and DescribeTable answers
 * ResourceNotFoundException, so waitUntilTableNotExists returns at its first poll); its items, index
 * entries and counters are dropped by background jobs enqueued in the same transaction. A new table of
 * the same name has a new id, so it never sees them even before they are gone.
 */
import type { RequestContext } from "../../../aws/context.ts";
import { validateInput } from "../../../aws/validation/index.ts";
import { deletionProtected, tableBeingCreated, tableIndexesBusy, tableNotFound } from "../errors.ts";
import { concat, INDEX_PREFIX, ITEM_PREFIX } from "../items-store/layout.ts";
import type { DynamoDbStore } from "../store.ts";
import { describeDeleting } from "../tables/describe.ts";
import { type Json, resolveTableName } from "../tables/input.ts";
import { tableStatus } from "../tables/record.ts";
import { putStreamMeta, streamMetaOf } from "../tables/stream-meta.ts";

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");

export function deleteTable(store: DynamoDbStore) {
  return async (input: Json, context: RequestContext) => {
    validateInput("dynamodb", "DeleteTable", input);
    const name = resolveTableName(input.TableName, context);
    const result = await store.storage.transaction(async (tx) => {
      const table = await store.tables.get(tx, context.accountId, context.region, name);
      if (!table) throw tableNotFound(name);
      const record = table.record;
      const now = store.nowMs();
      if (tableStatus(record, now) === "CREATING") throw tableBeingCreated(name);
      if (record.gsis.some((gsi) => !gsi.backfilled)) throw tableIndexesBusy();
      if (record.deletionProtection) throw deletionProtected();
      const counts = await store.items.counts(tx, table);
      store.tables.delete(tx, record);
      store.jobs.enqueue(tx, {
        kind: "drop",
        prefix: hex(concat(ITEM_PREFIX, table.id)),
        counterIds: [record.id],
      });
      for (const index of table.indexes) {
        store.jobs.enqueue(tx, {
          kind: "drop",
          prefix: hex(concat(INDEX_PREFIX, index.id)),
          counterIds: [index.record.id],
        });
      }
      if (record.stream?.enabled) putStreamMeta(tx, streamMetaOf(record, record.stream, now));
      return { TableDescription: describeDeleting(table, counts) };
    });
    store.jobs.kick();
    return result;
  };
}
