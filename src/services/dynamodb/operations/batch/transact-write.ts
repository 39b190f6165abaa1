/**
 * TransactWriteItems: up to 100 ConditionCheck/Put/Update/Delete members over any tables of the account
 * and region, all or nothing. Everything after parsing — the tables, the token, every item read, every
 * condition, every write — happens inside ONE storage transaction, so concurrent transactions on the
 * same items never interleave (ARCHITECTURE.md, "Concurrency"), and the answer is sent only once the
 * commit is durable.
 *
 * Order (see transact-actions.ts for which fault is the request's and which a member's):
 * 1. the model; each member parsed (ValidationException);
 * 2. the Put items over 4 MB in all (ValidationException);
 * 3. in the transaction: the tables (ResourceNotFoundException); a remembered ClientRequestToken
 *    (replay, or IdempotentParameterMismatchException); empty key values and key updates
 *    (ValidationException); two members on one item ("Transaction request cannot include multiple
 *    operations on one item");
 * 4. each member judged against its item as it was before the transaction: schema, condition, update;
 *    any fault cancels all with TransactionCanceledException, one reason per member in request order
 *    ("Transaction cancelled, please refer cancellation reasons for specific reasons [None,
 *    ConditionalCheckFailed]"), nothing written;
 * 5. the writes, the token remembered, capacity (transactional: twice the units; a ConditionCheck
 *    reads) and ItemCollectionMetrics.
 *
 * A replayed token answers what the first call answered without writing again; its ConsumedCapacity
 * reports the read units of reading the items, as the API reference describes.
 *
 * ## By design
 * - No TransactionConflict: transactions are serialised by the storage layer, never rejected for a
 *   concurrent one.
 * - The 4 MB limit counts the Put items and the items updates produce.
 */
import type { RequestContext } from "../../../../aws/context.ts";
import { validateInput } from "../../../../aws/validation/index.ts";
import type { KvTransaction } from "../../../../storage/kv.ts";
import type { AttributeValue, Item } from "../../attribute-value.ts";
import { itemWriteUsage, type ReturnConsumedCapacity } from "../../capacity.ts";
import { transactionCanceled, transactionMultipleOperations, transactionTooLarge } from "../../errors.ts";
import type { DynamoDbStore } from "../../store.ts";
import { type Json, str } from "../../tables/input.ts";
import type { TableView } from "../../tables/record.ts";
import { itemSizeBytes } from "../../values.ts";
import { collectionMetrics, type ItemCollectionMetrics } from "../items/request.ts";
import { forgetExpiredTokens, recallToken, rememberToken, requestFingerprint } from "./idempotency.ts";
import { isRequestLevel, itemIdentity, keyText, memberTable } from "./shared.ts";
import {
  type Action,
  actionKey,
  judge,
  memberError,
  type Outcome,
  parseActions,
  transactionBytesMax,
} from "./transact-actions.ts";
import { CapacityTally, readUsage } from "./usage.ts";

function checkAggregateSize(items: readonly (Item | undefined)[]): void {
  let bytes = 0;
  for (const item of items) if (item !== undefined) bytes += itemSizeBytes(item);
  if (bytes > transactionBytesMax) throw transactionTooLarge(bytes, transactionBytesMax);
}

export function transactWriteItems(store: DynamoDbStore) {
  return async (input: Json, context: RequestContext) => {
    validateInput("dynamodb", "TransactWriteItems", input);
    const actions = parseActions(input.TransactItems);
    checkAggregateSize(actions.map((action) => (action.kind === "Put" ? action.item : undefined)));
    const mode = str(input.ReturnConsumedCapacity) as ReturnConsumedCapacity | undefined;
    const wantMetrics = str(input.ReturnItemCollectionMetrics) === "SIZE";
    const token = str(input.ClientRequestToken);
    const fingerprint = token === undefined ? "" : requestFingerprint(input);

    return store.storage.transaction(async (tx) => {
      const now = store.nowMs();
      const tables: TableView[] = [];
      for (const action of actions) tables.push(await memberTable(store, tx, context, action.tableName));

      if (token !== undefined) {
        await forgetExpiredTokens(tx, now);
        const remembered = await recallToken(tx, context, token, fingerprint, now);
        if (remembered !== undefined) return replay(store, tx, actions, tables, remembered, mode);
      }

      const schemaErrors = actions.map((action, i) => memberError(tables[i]!, action));
      const requestLevel = schemaErrors.find((error) => error && isRequestLevel(error));
      if (requestLevel) throw requestLevel;
      const seen = new Set<string>();
      for (const [i, action] of actions.entries()) {
        if (schemaErrors[i]) continue;
        const identity = itemIdentity(tables[i]!, actionKey(tables[i]!, action));
        if (seen.has(identity)) throw transactionMultipleOperations();
        seen.add(identity);
      }

      const outcomes: Outcome[] = [];
      for (const [i, action] of actions.entries()) {
        const schema = schemaErrors[i];
        if (schema) {
          outcomes.push({
            old: undefined,
            next: undefined,
            reason: { Code: "ValidationError", Message: schema.message },
          });
          continue;
        }
        const table = tables[i]!;
        const old = await store.items.get(tx, table, actionKey(table, action));
        outcomes.push(judge(table, action, old));
      }
      if (outcomes.some((outcome) => outcome.reason.Code !== "None"))
        throw transactionCanceled(outcomes.map((outcome) => outcome.reason));
      checkAggregateSize(
        actions.map((action, i) =>
          action.kind === "Update" ? outcomes[i]!.next : action.kind === "Put" ? action.item : undefined,
        ),
      );

      const capacity = new CapacityTally(true);
      const collections = new Map<string, { table: TableView; name: string; partition: AttributeValue }>();
      for (const [i, action] of actions.entries()) {
        const table = tables[i]!;
        const { old, next } = outcomes[i]!;
        capacity.touch(action.tableName);
        if (action.kind === "ConditionCheck") {
          capacity.add(action.tableName, readUsage(old, "transactional"));
          continue;
        }
        if (next === undefined) await store.items.delete(tx, table, actionKey(table, action));
        else await store.items.put(tx, table, next);
        capacity.add(action.tableName, itemWriteUsage(table, old, next, { transactional: true }));
        const partition = actionKey(table, action)[table.hash.name]!;
        collections.set(`${action.tableName}/${keyText({ partition })}`, {
          table,
          name: action.tableName,
          partition,
        });
      }

      const metrics: Record<string, ItemCollectionMetrics[]> = {};
      if (wantMetrics) {
        for (const { table, name, partition } of collections.values()) {
          const metric = await collectionMetrics(store, tx, table, partition);
          if (metric) metrics[name] = [...(metrics[name] ?? []), metric];
        }
      }
      const response: Record<string, unknown> = {
        ...(Object.keys(metrics).length > 0 && { ItemCollectionMetrics: metrics }),
      };
      if (token !== undefined) await rememberToken(tx, context, token, fingerprint, now, response);
      const consumed = capacity.render(mode, "write");
      return { ...(consumed && { ConsumedCapacity: consumed }), ...response };
    });
  };
}

/** The first call's answer again; ConsumedCapacity is now the reads of the members' items. */
async function replay(
  store: DynamoDbStore,
  tx: KvTransaction,
  actions: readonly Action[],
  tables: readonly TableView[],
  remembered: Record<string, unknown>,
  mode: ReturnConsumedCapacity | undefined,
): Promise<Record<string, unknown>> {
  if (mode !== "TOTAL" && mode !== "INDEXES") return remembered;
  const capacity = new CapacityTally(true);
  for (const [i, action] of actions.entries()) {
    const table = tables[i]!;
    // The table may have changed since the first call; an item that cannot be read counts as none.
    const item = await store.items.get(tx, table, actionKey(table, action)).catch(() => undefined);
    capacity.add(action.tableName, readUsage(item, "strong"));
  }
  return { ConsumedCapacity: capacity.render(mode, "read"), ...remembered };
}
