/** DescribeTable and ListTables: reads of the table metadata, outside any transaction. */
import type { RequestContext } from "../../../aws/context.ts";
import { validateInput } from "../../../aws/validation/index.ts";
import { tableNotFound } from "../errors.ts";
import type { DynamoDbStore } from "../store.ts";
import { type Json, num, resolveTableName, str } from "../tables/input.ts";

/** ListTables' page size when the request gives no Limit (the API reference: "the limit is 100"). */
const LIST_TABLES_LIMIT_DEFAULT = 100;

export function describeTableOperation(store: DynamoDbStore) {
  return async (input: Json, context: RequestContext) => {
    validateInput("dynamodb", "DescribeTable", input);
    const name = resolveTableName(input.TableName, context);
    const table = await store.tables.get(store.storage, context.accountId, context.region, name);
    if (!table) throw tableNotFound(name);
    return { Table: await store.describe(store.storage, table) };
  };
}

export function listTables(store: DynamoDbStore) {
  return async (input: Json, context: RequestContext) => {
    validateInput("dynamodb", "ListTables", input);
    const limit = num(input.Limit) ?? LIST_TABLES_LIMIT_DEFAULT;
    const exclusiveStart = str(input.ExclusiveStartTableName);
    const { names, more } = await store.tables.listNames(store.storage, context.accountId, context.region, {
      limit,
      ...(exclusiveStart !== undefined && { exclusiveStart }),
    });
    return { TableNames: names, ...(more && { LastEvaluatedTableName: names[names.length - 1] }) };
  };
}
