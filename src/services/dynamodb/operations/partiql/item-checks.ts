/**
 * The checks a PartiQL write makes of the key and item it would store: the item operations' rules
 * (../../item-rules.ts, with their texts), except the nesting limit, which PartiQL words without the
 * item operations' suffix ([floci] eu-west-2 2026-09-17: "Nesting Levels have exceeded supported
 * limits" for an UPDATE whose parameter nests too deep).
 */
import type { Item } from "../../attribute-value.ts";
import { itemTooLarge, validationError } from "../../errors.ts";
import type { Update } from "../../expressions/index.ts";
import {
  checkAttributeNames,
  checkItem as checkItemRules,
  checkKey,
  checkUpdate,
  checkUpdatedIndexKeys,
  checkUpdatedItemSize,
  nestsTooDeep,
} from "../../item-rules.ts";
import type { TableView } from "../../tables/record.ts";
import { itemSizeBytes, itemSizeBytesMax } from "../../values.ts";
import { partiqlTexts } from "./texts.ts";

function checkNesting(item: Item): void {
  for (const name in item) if (nestsTooDeep(item[name])) throw validationError(partiqlTexts.tooDeepItem);
}

/** The item of an INSERT: PutItem's rules. */
export function checkInsertItem(table: TableView, item: Item): void {
  checkAttributeNames(item);
  checkItemRules(table, item);
  checkNesting(item);
  if (itemSizeBytes(item) > itemSizeBytesMax) throw itemTooLarge();
}

/** The key an UPDATE, DELETE or EXISTS names: GetItem's rules (empty or too long values). */
export function checkWriteKey(table: TableView, key: Item): void {
  checkKey(table, key);
}

/** An UPDATE's actions, before the item is read: no key attribute written, index key types. */
export function checkUpdateActions(table: TableView, update: Update): void {
  checkUpdate(table, update);
}

/** The item an UPDATE produced: UpdateItem's rules. */
export function checkUpdatedItem(table: TableView, update: Update, item: Item): void {
  checkUpdatedIndexKeys(table, update, item);
  checkNesting(item);
  checkUpdatedItemSize(update, item);
}
