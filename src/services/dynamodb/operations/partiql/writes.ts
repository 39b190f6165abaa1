/**
 * INSERT, UPDATE, DELETE and EXISTS: each names one item and becomes a conditional write, prepared
 * before any item is read (static checks, the table, the key) and then evaluated and applied inside
 * the caller's storage transaction, so that the read-check-write is atomic (and a transaction can
 * evaluate every statement before applying any).
 *
 * Semantics (developer guide PartiQL reference; [local] recorded; [conformance]):
 * - INSERT fails with DuplicateItemException "Duplicate primary key exists in table" when the key
 *   exists (an INSERT is PutItem with attribute_not_exists on the key). No RETURNING.
 * - UPDATE of a missing item, or whose WHERE does not hold for the item, fails with
 *   ConditionalCheckFailedException (the WHERE becomes the condition, the key equalities included).
 * - DELETE of a missing item succeeds and deletes nothing; an item for which the WHERE does not hold
 *   fails with ConditionalCheckFailedException. Only RETURNING ALL OLD *.
 * - EXISTS(SELECT ... WHERE key AND condition) is a ConditionCheck on the item (absent = {}).
 * - RETURNING ALL OLD/ALL NEW return the item before/after; MODIFIED OLD/NEW the paths the
 *   statement wrote, before/after (UPDATED_OLD/UPDATED_NEW).
 */
import type { RequestContext } from "../../../../aws/context.ts";
import type { KvReader, KvTransaction } from "../../../../storage/kv.ts";
import type { Item } from "../../attribute-value.ts";
import { conditionalCheckFailed, duplicateItem, validationError } from "../../errors.ts";
import {
  applyUpdate,
  type Condition,
  evaluateCondition,
  project,
  type Update,
  updatedPaths,
} from "../../expressions/index.ts";
import type { DynamoDbStore } from "../../store.ts";
import type { TableView } from "../../tables/record.ts";
import { itemSizeBytes } from "../../values.ts";
import { toCondition } from "./conditions.ts";
import { checkInsertItem, checkUpdateActions, checkUpdatedItem, checkWriteKey } from "./item-checks.ts";
import { conjuncts, keyOnlyRead, writeKey } from "./key-access.ts";
import { type Parameters, toAttributeValue } from "./literals.ts";
import type { Expr, Returning, Statement } from "./syntax.ts";
import { partiqlTexts } from "./texts.ts";
import { toUpdate } from "./updates.ts";

/** Where a statement runs: its key errors are worded differently inside transactions. */
export type Surface = "statement" | "batch" | "transaction";

export interface PreparedWrite {
  readonly kind: "insert" | "update" | "delete" | "check";
  readonly table: TableView;
  readonly key: Item;
  readonly item?: Item;
  readonly update?: Update;
  readonly condition?: Condition;
  readonly returning?: Returning;
  /**
   * A key problem found while preparing (no full key, a key of the wrong type): raised when the write
   * is evaluated, so that a transaction reports it as the statement's cancellation reason.
   */
  readonly invalid?: string;
}

export interface WriteOutcome {
  readonly prepared: PreparedWrite;
  readonly old: Item | undefined;
  /** The item to store; undefined = delete `old` (or nothing to do for a check/missing delete). */
  readonly next: Item | undefined;
  /** What RETURNING asked for; undefined when it did not. */
  readonly returned: Item | undefined;
  readonly changes: boolean;
}

/** Checks a write statement against its table and resolves its key and expressions. */
export async function prepareWrite(
  store: DynamoDbStore,
  reader: KvReader,
  context: RequestContext,
  statement: Exclude<Statement, { kind: "select" }>,
  parameters: Parameters,
  surface: Surface,
): Promise<PreparedWrite> {
  if (statement.kind === "insert") {
    if (statement.returning) throw validationError(partiqlTexts.returningInInsert);
    const item = insertItem(statement.value, parameters);
    const table = await store.requireTable(reader, context, statement.source.table);
    if (statement.source.index !== undefined) throw validationError(partiqlTexts.indexWrite);
    return { kind: "insert", table, key: keyOf(table, item), item };
  }
  if (statement.kind === "delete" && statement.returning && statement.returning !== "ALL OLD")
    throw validationError(partiqlTexts.returningInDelete(statement.returning));
  const source = statement.kind === "exists" ? statement.select.source : statement.source;
  const where = statement.kind === "exists" ? statement.select.where : statement.where;
  const table = await store.requireTable(reader, context, source.table);
  if (source.index !== undefined) {
    if (statement.kind === "exists") throw validationError(partiqlTexts.transactionIndexWrite);
    throw validationError(partiqlTexts.indexWrite);
  }
  if (statement.kind === "exists") {
    // A ConditionCheck: the key, and something beyond the key to check.
    const read = keyOnlyRead(where, table, parameters);
    const located = writeKey(where, table, parameters);
    if (read !== undefined || !("key" in located)) throw validationError(partiqlTexts.existsShape);
    return { kind: "check", table, key: located.key, condition: toCondition(where as Expr, parameters) };
  }
  const located = writeKey(where, table, parameters);
  const invalid =
    "key" in located
      ? {}
      : {
          invalid:
            surface !== "transaction" && located.failure === "incomplete"
              ? partiqlTexts.incompleteKey
              : partiqlTexts.keyMismatch,
        };
  const key = "key" in located ? located.key : {};
  const condition = conjuncts(where).length > 0 ? toCondition(where as Expr, parameters) : undefined;
  const returning = statement.returning ? { returning: statement.returning } : {};
  if (statement.kind === "delete")
    return { kind: "delete", table, key, ...(condition ? { condition } : {}), ...returning, ...invalid };
  const update = toUpdate(statement.assignments, parameters);
  checkUpdateActions(table, update);
  return {
    kind: "update",
    table,
    key,
    update,
    ...(condition ? { condition } : {}),
    ...returning,
    ...invalid,
  };
}

function insertItem(value: Expr, parameters: Parameters): Item {
  if (value.kind !== "struct") throw validationError(partiqlTexts.itemFormat);
  const item: Item = {};
  for (const field of value.fields) {
    if (field.key.kind !== "string") throw validationError(partiqlTexts.tupleKeyType("Expr", "root"));
    const name = field.key.text;
    if (Object.hasOwn(item, name)) throw validationError(partiqlTexts.duplicateTupleKeys(name, "root"));
    item[name] = toAttributeValue(field.value, parameters);
  }
  return item;
}

function keyOf(table: TableView, item: Item): Item {
  const key: Item = {};
  for (const attribute of [table.hash, table.range]) {
    const value = attribute && item[attribute.name];
    if (attribute && value !== undefined) key[attribute.name] = value;
  }
  return key;
}

/**
 * Reads the item and decides the write, throwing DuplicateItemException or
 * ConditionalCheckFailedException (with the item when `returnOldOnFailure`). Writes nothing.
 */
export async function evaluateWrite(
  store: DynamoDbStore,
  reader: KvReader,
  prepared: PreparedWrite,
  returnOldOnFailure: boolean,
): Promise<WriteOutcome> {
  if (prepared.invalid !== undefined) throw validationError(prepared.invalid);
  if (prepared.kind === "insert") checkInsertItem(prepared.table, prepared.item as Item);
  else checkWriteKey(prepared.table, prepared.key);
  const old = await store.items.get(reader, prepared.table, prepared.key);
  const failed = () => conditionalCheckFailed(returnOldOnFailure && old ? old : undefined);
  switch (prepared.kind) {
    case "insert":
      if (old !== undefined) throw duplicateItem();
      return { prepared, old, next: prepared.item, returned: undefined, changes: true };
    case "check":
      if (!evaluateCondition(prepared.condition as Condition, old ?? {})) throw failed();
      return { prepared, old, next: undefined, returned: undefined, changes: false };
    case "delete": {
      if (old === undefined) return { prepared, old, next: undefined, returned: undefined, changes: false };
      if (prepared.condition && !evaluateCondition(prepared.condition, old)) throw failed();
      return {
        prepared,
        old,
        next: undefined,
        returned: returnedOf(prepared, old, undefined),
        changes: true,
      };
    }
    case "update": {
      if (old === undefined) throw failed();
      if (prepared.condition && !evaluateCondition(prepared.condition, old)) throw failed();
      const next = applyUpdate(prepared.update as Update, old);
      checkUpdatedItem(prepared.table, prepared.update as Update, next);
      return { prepared, old, next, returned: returnedOf(prepared, old, next), changes: true };
    }
  }
}

function returnedOf(
  prepared: PreparedWrite,
  old: Item | undefined,
  next: Item | undefined,
): Item | undefined {
  switch (prepared.returning) {
    case undefined:
      return undefined;
    case "ALL OLD":
      return old;
    case "ALL NEW":
      return next;
    case "MODIFIED OLD":
      return old && project(updatedPaths(prepared.update as Update), old);
    case "MODIFIED NEW":
      return next && project(updatedPaths(prepared.update as Update), next);
  }
}

/** Stores what `evaluateWrite` decided. */
export async function applyWrite(
  store: DynamoDbStore,
  tx: KvTransaction,
  outcome: WriteOutcome,
): Promise<void> {
  if (!outcome.changes) return;
  const { table, key } = outcome.prepared;
  if (outcome.next !== undefined) await store.items.put(tx, table, outcome.next);
  else await store.items.delete(tx, table, key);
}

/** Bytes a write is charged for: the larger of the item before and after (at least one unit). */
export function writeBytes(outcome: WriteOutcome): number {
  return Math.max(
    outcome.old ? itemSizeBytes(outcome.old) : 0,
    outcome.next ? itemSizeBytes(outcome.next) : 0,
  );
}
