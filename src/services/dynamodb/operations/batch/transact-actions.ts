/**
 * The members of a TransactWriteItems request: parsed and checked before anything is read, then each
 * judged against the item it targets, as DynamoDB sorts the faults (conformance tier3 2026, captured in
 * four regions; API reference "TransactionCanceledException"):
 *
 * - the request's own ValidationException: a member with none or several of ConditionCheck/Put/Update/
 *   Delete, malformed values or expressions, an update of a key attribute, empty key values (table or
 *   index keys, also an update setting an index key to an empty value), an item above 400 KB;
 * - a cancellation reason at the member's position: "ValidationError" for a key that does not match
 *   the schema ("The provided key element does not match the schema" for Update/Delete/ConditionCheck
 *   keys, the PutItem texts for Put items and index keys), for an update that cannot apply ("An operand
 *   in the update expression has an incorrect data type"...) or whose item grows above 400 KB;
 *   "ConditionalCheckFailed" ("The conditional request failed", with the item when
 *   ReturnValuesOnConditionCheckFailure is ALL_OLD).
 */
import type { AwsError } from "../../../../aws/errors.ts";
import { isAwsError } from "../../../../aws/errors.ts";
import type { Item } from "../../attribute-value.ts";
import {
  type CancellationReason,
  conditionalCheckFailed,
  itemTooLarge,
  transactItemNotOneOf,
} from "../../errors.ts";
import {
  applyUpdate,
  type Condition,
  checkExpressionParameters,
  evaluateCondition,
  parseExpressions,
  type Update,
} from "../../expressions/index.ts";
import {
  checkAttributeNames,
  checkItem,
  checkKey,
  checkNesting,
  checkUpdate,
  checkUpdatedIndexKeys,
  checkUpdatedItemSize,
  keyOf,
} from "../../item-rules.ts";
import { obj, objects, str } from "../../tables/input.ts";
import type { TableView } from "../../tables/record.ts";
import { cloneItem, itemSizeBytes, itemSizeBytesMax, validateItem } from "../../values.ts";
import { checkValuesNesting } from "../items/request.ts";
import { attempt, isRequestLevel } from "./shared.ts";

/** The aggregate size of the items of one transaction (API reference: 4 MB). */
export const transactionBytesMax = 4 * 1024 * 1024;

export type ActionKind = "ConditionCheck" | "Put" | "Update" | "Delete";

const KINDS: readonly ActionKind[] = ["ConditionCheck", "Put", "Delete", "Update"];

export interface Action {
  kind: ActionKind;
  tableName: string;
  /** Put: the item; the others: the Key. */
  item: Item;
  condition: Condition | undefined;
  update: Update | undefined;
  returnOldOnFailure: boolean;
}

/** Parses every member, throwing the request-level ValidationExceptions that need no table. */
export function parseActions(transactItems: unknown): Action[] {
  return objects(transactItems).map((member) => {
    const present = KINDS.filter((kind) => member[kind] !== undefined && member[kind] !== null);
    if (present.length !== 1) throw transactItemNotOneOf();
    const kind = present[0]!;
    const body = obj(member[kind]) ?? {};
    const expressions =
      kind === "Update" ? ["UpdateExpression", "ConditionExpression"] : ["ConditionExpression"];
    checkExpressionParameters(body, expressions, []);
    const parameters: Record<string, unknown> = {};
    for (const name of [...expressions, "ExpressionAttributeNames", "ExpressionAttributeValues"]) {
      if (body[name] !== undefined) parameters[name] = body[name];
    }
    checkValuesNesting(parameters);
    const parsed = parseExpressions(parameters);
    const item = validateItem(obj(kind === "Put" ? body.Item : body.Key) ?? {});
    if (kind === "Put") {
      checkAttributeNames(item);
      if (itemSizeBytes(item) > itemSizeBytesMax) throw itemTooLarge();
    }
    return {
      kind,
      tableName: str(body.TableName) ?? "",
      item,
      condition: parsed.condition,
      update: parsed.update,
      returnOldOnFailure: str(body.ReturnValuesOnConditionCheckFailure) === "ALL_OLD",
    };
  });
}

/**
 * A member against its table (item-rules.ts): the Put item or the Key, then an update's own rules.
 * The caller sorts the fault: request-level (`isRequestLevel`) or the member's cancellation reason.
 */
export function memberError(table: TableView, action: Action): AwsError | undefined {
  return attempt(() => {
    if (action.kind === "Put") {
      checkNesting(action.item);
      checkItem(table, action.item);
    } else {
      checkKey(table, action.item);
    }
    if (action.update) checkUpdate(table, action.update);
  });
}

/** The key of the item a member targets. */
export function actionKey(table: TableView, action: Action): Item {
  return action.kind === "Put" ? keyOf(table, action.item) : action.item;
}

export interface Outcome {
  /** The item before the transaction. */
  old: Item | undefined;
  /** The item after (undefined for a Delete, or a ConditionCheck which writes nothing). */
  next: Item | undefined;
  reason: CancellationReason;
}

function validationReason(error: AwsError): CancellationReason {
  return { Code: "ValidationError", Message: error.message };
}

/**
 * Judges one member against the item it targets (`old`): its condition, then what it would write.
 * Throws the request-level errors an update can still produce (an index key set to an empty value).
 */
export function judge(table: TableView, action: Action, old: Item | undefined): Outcome {
  if (action.condition && !evaluateCondition(action.condition, old ?? {})) {
    const reason: CancellationReason = {
      Code: "ConditionalCheckFailed",
      Message: conditionalCheckFailed().message,
    };
    if (action.returnOldOnFailure && old !== undefined) reason.Item = old;
    return { old, next: old, reason };
  }
  const none: CancellationReason = { Code: "None" };
  switch (action.kind) {
    case "ConditionCheck":
      return { old, next: undefined, reason: none };
    case "Delete":
      return { old, next: undefined, reason: none };
    case "Put":
      return { old, next: action.item, reason: none };
    case "Update": {
      let next: Item;
      try {
        next = applyUpdate(action.update as Update, old ?? cloneItem(actionKey(table, action)));
      } catch (error) {
        if (isAwsError(error) && error.code === "ValidationException")
          return { old, next: old, reason: validationReason(error) };
        throw error;
      }
      const update = action.update as Update;
      const error = attempt(() => {
        checkUpdatedIndexKeys(table, update, next);
        checkNesting(next);
        checkUpdatedItemSize(update, next);
      });
      if (error && isRequestLevel(error)) throw error;
      return { old, next, reason: error ? validationReason(error) : none };
    }
  }
}
