/** What the batch and transaction operations share: naming tables and telling items apart. */
import type { RequestContext } from "../../../../aws/context.ts";
import { type AwsError, isAwsError } from "../../../../aws/errors.ts";
import type { KvReader } from "../../../../storage/kv.ts";
import type { Item } from "../../attribute-value.ts";
import { typeOf } from "../../attribute-value.ts";
import { storageKey } from "../../items-store/item-store.ts";
import type { DynamoDbStore } from "../../store.ts";
import type { TableView } from "../../tables/record.ts";
import { tableNameOf } from "../items/request.ts";

/**
 * The table a batch member names (a name, or its ARN), or "Requested resource not found" as the item
 * operations answer, also for an ARN of another account or region (items/request.ts `tableNameOf`).
 */
export async function memberTable(
  store: DynamoDbStore,
  reader: KvReader,
  context: RequestContext,
  tableName: string,
): Promise<TableView> {
  return store.requireTable(reader, context, tableNameOf(tableName, context));
}

/**
 * A text identifying a key by its values, before the table is known (BatchGetItem refuses duplicates
 * first): attribute names in order with type and canonical value (numbers are canonical once
 * validated; binaries are compared by their bytes).
 */
export function keyText(key: Item): string {
  return Object.keys(key)
    .sort()
    .map((name) => {
      const value = key[name]!;
      const type = typeOf(value);
      const raw = (value as Record<string, unknown>)[type];
      const canonical = type === "B" ? Buffer.from(raw as string, "base64").toString("base64") : raw;
      return JSON.stringify([name, type, canonical]);
    })
    .join(",");
}

/** A text identifying one item of one table (same for every spelling of the same key). */
export function itemIdentity(table: TableView, key: Item): string {
  return `${Buffer.from(table.id).toString("hex")}/${Buffer.from(storageKey(table, key)).toString("hex")}`;
}

/** The members of a JSON object, in order (absent or malformed reads as none). */
export function entries(value: unknown): [string, unknown][] {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? Object.entries(value) : [];
}

/** Runs one of item-rules.ts's checks and hands back its ValidationException instead of throwing it. */
export function attempt(check: () => void): AwsError | undefined {
  try {
    check();
    return undefined;
  } catch (error) {
    if (isAwsError(error) && error.code === "ValidationException") return error;
    throw error;
  }
}

/**
 * Whether a member's fault is one DynamoDB reports for the whole transaction rather than as that
 * member's cancellation reason: the empty key values, worded "One or more parameter values are not
 * valid." (conformance tier3 2026: "the error shape splits by fault"; wrong types and schema mismatches
 * are reasons).
 */
export function isRequestLevel(error: AwsError): boolean {
  return error.message.startsWith("One or more parameter values are not valid.");
}
