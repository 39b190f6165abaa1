/**
 * What DynamoDB checks of keys and items against a table's schema, with its texts (errors.ts), for
 * every operation that takes a Key or an Item: the item operations, batches, transactions, PartiQL.
 * The checks here run after the table is known; the values themselves are validated before
 * (values.ts `validateItem`, which also canonicalises numbers).
 *
 * Order, as dynalite recorded it against DynamoDB (db/index.js validateKey, validateItem,
 * validateUpdates, checkKeySize) and the 2026 conformance captures refined it:
 *
 * - A Key (GetItem, DeleteItem, UpdateItem): as many attributes as the key schema, else "The provided
 *   key element does not match the schema"; then per key attribute, hash first: absent or of another
 *   type → the same text; an empty S or B → "...cannot contain an empty string value. Key: pk"; too long
 *   → the hash-key (2048 bytes, no space in "of2048") or range-key (1024 bytes) text.
 * - An Item (PutItem): per key attribute, hash first: absent → "Missing the key pk in the item"; another
 *   type → "Type mismatch for key pk expected: S actual: N"; empty; too long. Then the index keys,
 *   GSIs first (each key attribute) then LSIs (their sort key), in table order: present with another
 *   type → "Type mismatch for Index Key ... IndexName: gsi1"; empty → the secondary-index text; too long.
 * - An update (UpdateItem), before the item is read: a key attribute written at any depth → "Cannot
 *   update attribute pk. This attribute is part of the key" (table key order); a top-level write to an
 *   index key whose type is known from the request alone (a literal, `+`/`-`, list_append,
 *   if_not_exists' fallback, ADD/DELETE's value) and differs → the Index Key mismatch; then document
 *   paths into key attributes anywhere in the update → "Key attributes must be scalars..." (Key: table
 *   keys first, then IndexKey: GSI keys, LSI sort keys).
 * - After the update is applied: an index key written with another type → "The update expression
 *   attempted to update the secondary index key to unsupported type"; empty → the update's own empty
 *   text; too long → "...beyond allowed size limits".
 * - Documents nest at most 32 levels (the attribute itself is level 1).
 */
import type { AttributeValue, Item } from "./attribute-value.ts";
import { typeOf } from "./attribute-value.ts";
import {
  emptyAttributeName,
  emptyIndexKeyValue,
  emptyKeyValue,
  emptyUpdatedIndexKey,
  hashKeyTooLong,
  indexKeyTypeMismatch,
  keyAttributeUpdated,
  keyMismatch,
  keyTypeMismatch,
  missingKeyInItem,
  nestedKeyPath,
  nestingLimit,
  rangeKeyTooLong,
  updatedIndexKeyTooLong,
  updatedIndexKeyType,
  updatedItemTooLarge,
} from "./errors.ts";
import type { DocumentPath, Update, UpdateAction, UpdateValue } from "./expressions/index.ts";
import type { IndexView, KeyAttribute, TableView } from "./tables/record.ts";
import { itemSizeBytes, itemSizeBytesMax } from "./values.ts";

/** DynamoDB's key value limits, in bytes (UTF-8 for S, raw for B; numbers are never too long). */
export const partitionKeyBytesMax = 2048;
export const sortKeyBytesMax = 1024;
/** Levels a document may nest, the attribute itself counting as level 1. */
export const nestingLevelsMax = 32;

function keyValueBytes(value: AttributeValue): number | undefined {
  if ("S" in value) return Buffer.byteLength(value.S, "utf8");
  if ("B" in value) return Buffer.byteLength(value.B, "base64");
  return undefined;
}

function emptyKind(value: AttributeValue): "string" | "binary" | undefined {
  const bytes = keyValueBytes(value);
  if (bytes !== 0) return undefined;
  return "S" in value ? "string" : "binary";
}

/**
 * One key attribute's value, already of the key's type: not empty (S, B), not too long. `isHash`: the
 * partition key (2048 bytes) rather than the sort key (1024).
 */
export function checkKeyValue(name: string, value: AttributeValue, isHash: boolean): void {
  const kind = emptyKind(value);
  if (kind) throw emptyKeyValue(kind, name);
  checkKeyLength(value, isHash);
}

function checkKeyLength(value: AttributeValue, isHash: boolean): void {
  const bytes = keyValueBytes(value) ?? 0;
  if (isHash && bytes > partitionKeyBytesMax) throw hashKeyTooLong();
  if (!isHash && bytes > sortKeyBytesMax) throw rangeKeyTooLong();
}

function tableKeys(table: TableView): [KeyAttribute, boolean][] {
  return table.range
    ? [
        [table.hash, true],
        [table.range, false],
      ]
    : [[table.hash, true]];
}

/** A Key of GetItem, DeleteItem, UpdateItem (and the batch and transaction equivalents). */
export function checkKey(table: TableView, key: Item): void {
  const expected = table.range ? 2 : 1;
  if (Object.keys(key).length !== expected) throw keyMismatch();
  for (const [attribute, isHash] of tableKeys(table)) {
    const value = key[attribute.name];
    if (value === undefined || !(attribute.type in value)) throw keyMismatch();
    checkKeyValue(attribute.name, value, isHash);
  }
}

/**
 * Each index key attribute, in the order DynamoDB reports them: every key of each GSI, then the sort
 * key of each LSI (its partition key is the table's), in table order. `isHash`: which limit applies.
 */
export function indexKeyAttributes(
  table: TableView,
): { index: IndexView; attribute: KeyAttribute; isHash: boolean }[] {
  const out: { index: IndexView; attribute: KeyAttribute; isHash: boolean }[] = [];
  for (const index of table.indexes) {
    if (index.kind !== "GSI") continue;
    out.push({ index, attribute: index.hash, isHash: true });
    if (index.range) out.push({ index, attribute: index.range, isHash: false });
  }
  for (const index of table.indexes) {
    if (index.kind === "LSI" && index.range) out.push({ index, attribute: index.range, isHash: false });
  }
  return out;
}

/** The top-level attribute names of an Item: none may be empty. */
export function checkAttributeNames(item: Readonly<Record<string, unknown>>): void {
  for (const name in item) if (name === "") throw emptyAttributeName();
}

/** An Item of PutItem (and of BatchWriteItem's and TransactWriteItems' puts). */
export function checkItem(table: TableView, item: Item): void {
  for (const [attribute, isHash] of tableKeys(table)) {
    const value = item[attribute.name];
    if (value === undefined) throw missingKeyInItem(attribute.name);
    if (!(attribute.type in value)) throw keyTypeMismatch(attribute.name, attribute.type, typeOf(value));
    checkKeyValue(attribute.name, value, isHash);
  }
  checkIndexKeys(table, item);
}

/** The index key attributes an item holds: of the index's type, not empty, not too long. */
export function checkIndexKeys(table: TableView, item: Item): void {
  for (const { index, attribute, isHash } of indexKeyAttributes(table)) {
    const value = item[attribute.name];
    if (value === undefined) continue;
    if (!(attribute.type in value))
      throw indexKeyTypeMismatch(attribute.name, attribute.type, typeOf(value), index.name);
    const kind = emptyKind(value);
    if (kind) throw emptyIndexKeyValue(kind, index.name, attribute.name);
    checkKeyLength(value, isHash);
  }
}

/** The table's key attributes of an item (or of a Key). */
export function keyOf(table: TableView, item: Item): Item {
  const key: Item = { [table.hash.name]: item[table.hash.name] as AttributeValue };
  if (table.range) key[table.range.name] = item[table.range.name] as AttributeValue;
  return key;
}

// ---- nesting ----------------------------------------------------------------------------------

/**
 * Whether a value (validated or still raw JSON) nests deeper than DynamoDB's 32 levels. Stops as soon
 * as it is too deep, so an absurdly deep request cannot exhaust the stack here.
 */
export function nestsTooDeep(raw: unknown, level = 1): boolean {
  if (level > nestingLevelsMax) return true;
  if (typeof raw !== "object" || raw === null) return false;
  const { M: map, L: list } = raw as { M?: unknown; L?: unknown };
  if (Array.isArray(list)) return list.some((element) => nestsTooDeep(element, level + 1));
  if (typeof map === "object" && map !== null && !Array.isArray(map)) {
    for (const value of Object.values(map)) if (nestsTooDeep(value, level + 1)) return true;
  }
  return false;
}

/** Every attribute of an item (raw or validated) within the nesting limit. */
export function checkNesting(item: Readonly<Record<string, unknown>>): void {
  for (const name in item) if (nestsTooDeep(item[name])) throw nestingLimit();
}

// ---- updates ----------------------------------------------------------------------------------

function* valuePaths(value: UpdateValue): Generator<DocumentPath> {
  switch (value.kind) {
    case "path":
      yield value.path;
      return;
    case "value":
      return;
    case "size":
      yield* valuePaths(value.operand);
      return;
    case "ifNotExists":
      yield value.path;
      yield* valuePaths(value.fallback);
      return;
    case "listAppend":
    case "plus":
    case "minus":
      yield* valuePaths(value.left);
      yield* valuePaths(value.right);
      return;
  }
}

/** Every document path an update writes or reads. */
export function* updatePaths(update: Update): Generator<DocumentPath> {
  for (const action of update.actions) {
    yield action.path;
    if (action.kind === "set") yield* valuePaths(action.value);
  }
}

/** The type a SET value is known to have from the request alone (dynalite's getType). */
function staticType(value: UpdateValue): string | undefined {
  switch (value.kind) {
    case "value":
      return typeOf(value.value);
    case "plus":
    case "minus":
      return "N";
    case "listAppend":
      return "L";
    case "ifNotExists":
      return staticType(value.fallback);
    default:
      return undefined;
  }
}

function actionType(action: UpdateAction): string | undefined {
  if (action.kind === "remove") return undefined;
  if (action.kind === "set") return staticType(action.value);
  return typeOf(action.value);
}

/**
 * "Key attributes must be scalars": no path may reach inside a key attribute of the table (Key: pk) or
 * of an index (IndexKey: gsiPk).
 */
export function checkKeyPaths(table: TableView, paths: Iterable<DocumentPath>): void {
  const nested = new Set<string>();
  for (const path of paths) if (path.length > 1) nested.add(path[0] as string);
  if (nested.size === 0) return;
  for (const [attribute] of tableKeys(table)) {
    if (nested.has(attribute.name)) throw nestedKeyPath("Key", attribute.name);
  }
  for (const { attribute } of indexKeyAttributes(table)) {
    if (nested.has(attribute.name)) throw nestedKeyPath("IndexKey", attribute.name);
  }
}

/** The checks of an update that need the table but not the item (see the header). */
export function checkUpdate(table: TableView, update: Update): void {
  for (const [attribute] of tableKeys(table)) {
    if (update.actions.some((action) => action.path[0] === attribute.name))
      throw keyAttributeUpdated(attribute.name);
  }
  for (const { index, attribute } of indexKeyAttributes(table)) {
    const action = update.actions.find((a) => a.path.length === 1 && a.path[0] === attribute.name);
    const type = action && actionType(action);
    if (type !== undefined && type !== attribute.type)
      throw indexKeyTypeMismatch(attribute.name, attribute.type, type, index.name);
  }
  checkKeyPaths(table, updatePaths(update));
}

/** The index keys an update wrote, in the item it produced (see the header). */
export function checkUpdatedIndexKeys(table: TableView, update: Update, item: Item): void {
  const written = new Set<string>();
  for (const action of update.actions) if (action.kind !== "remove") written.add(action.path[0] as string);
  for (const { attribute, isHash } of indexKeyAttributes(table)) {
    if (!written.has(attribute.name)) continue;
    const value = item[attribute.name];
    if (value === undefined) continue;
    if (!(attribute.type in value)) throw updatedIndexKeyType();
    const kind = emptyKind(value);
    if (kind) throw emptyUpdatedIndexKey(kind);
    const bytes = keyValueBytes(value) ?? 0;
    if (bytes > (isHash ? partitionKeyBytesMax : sortKeyBytesMax)) throw updatedIndexKeyTooLong();
  }
}

/**
 * UpdateItem's size rule, as measured on DynamoDB (conformance tests/tier3/limits/itemSizeBySurface,
 * eu-west-2, 2026-08): the finished item may not exceed 409,600 bytes, and neither may what the update
 * writes — the top-level attributes its SET and ADD actions leave in the item, names and values — plus
 * 3 bytes, 19 per SET or ADD (20 through a list index) and 2 per REMOVE or DELETE. So at a short key an
 * update cannot quite reach 400 KB, as on DynamoDB. Both answer "Item size to update has exceeded...".
 */
export function checkUpdatedItemSize(update: Update, item: Item): void {
  if (itemSizeBytes(item) > itemSizeBytesMax) throw updatedItemTooLarge();
  let cost = 3;
  const written = new Set<string>();
  for (const action of update.actions) {
    if (action.kind === "set" || action.kind === "add") {
      cost += action.kind === "set" && typeof action.path[action.path.length - 1] === "number" ? 20 : 19;
      written.add(action.path[0] as string);
    } else {
      cost += 2;
    }
  }
  let bytes = 0;
  for (const name of written) {
    const value = item[name];
    if (value !== undefined) bytes += itemSizeBytes({ [name]: value });
  }
  if (bytes + cost > itemSizeBytesMax) throw updatedItemTooLarge();
}
