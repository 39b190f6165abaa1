/**
 * TransactGetItems: up to 100 Get members over any tables of the account and region, read together in
 * one storage transaction, so no write is seen half done. What DynamoDB answers (conformance
 * tier2/tier3 2026, captured): a malformed projection is the request's ValidationException; a table
 * that does not exist is ResourceNotFoundException "Requested resource not found"; a Key that does not
 * match its table is TransactionCanceledException with a ValidationError reason at its position ("None"
 * elsewhere); the same item twice is refused.
 *
 * Responses has one entry per member in request order: `{Item}` (projected), or `{}` when there is no
 * such item. Capacity is transactional: two read units per 4 KB, a missing item charged too
 * (conformance: "2 RCU per requested item, and a missing item is still charged").
 */
import type { RequestContext } from "../../../../aws/context.ts";
import { validateInput } from "../../../../aws/validation/index.ts";
import type { Item } from "../../attribute-value.ts";
import type { ReturnConsumedCapacity } from "../../capacity.ts";
import {
  type CancellationReason,
  transactionCanceled,
  transactionMultipleOperations,
  transactionTooLarge,
} from "../../errors.ts";
import {
  checkExpressionParameters,
  type Projection,
  parseExpressions,
  project,
} from "../../expressions/index.ts";
import { checkKey } from "../../item-rules.ts";
import type { DynamoDbStore } from "../../store.ts";
import { type Json, obj, objects, str } from "../../tables/input.ts";
import type { TableView } from "../../tables/record.ts";
import { itemSizeBytes, validateItem } from "../../values.ts";
import { attempt, isRequestLevel, itemIdentity, memberTable } from "./shared.ts";
import { transactionBytesMax } from "./transact-actions.ts";
import { CapacityTally, readUsage } from "./usage.ts";

interface GetMember {
  tableName: string;
  key: Item;
  projection: Projection | undefined;
}

function parseMembers(transactItems: unknown): GetMember[] {
  return objects(transactItems).map((member) => {
    const get = obj(member.Get) ?? {};
    checkExpressionParameters(get, ["ProjectionExpression"], []);
    const projectionExpression = str(get.ProjectionExpression);
    const names = obj(get.ExpressionAttributeNames) as Record<string, string> | undefined;
    const { projection } = parseExpressions({
      ...(projectionExpression !== undefined && { ProjectionExpression: projectionExpression }),
      ...(names && { ExpressionAttributeNames: names }),
    });
    return { tableName: str(get.TableName) ?? "", key: validateItem(obj(get.Key) ?? {}), projection };
  });
}

export function transactGetItems(store: DynamoDbStore) {
  return async (input: Json, context: RequestContext) => {
    validateInput("dynamodb", "TransactGetItems", input);
    const members = parseMembers(input.TransactItems);
    const mode = str(input.ReturnConsumedCapacity) as ReturnConsumedCapacity | undefined;

    return store.storage.transaction(async (tx) => {
      const tables: TableView[] = [];
      for (const member of members) tables.push(await memberTable(store, tx, context, member.tableName));
      const errors = members.map((member, i) => attempt(() => checkKey(tables[i]!, member.key)));
      const requestLevel = errors.find((error) => error && isRequestLevel(error));
      if (requestLevel) throw requestLevel;
      const reasons: CancellationReason[] = errors.map((error) =>
        error ? { Code: "ValidationError", Message: error.message } : { Code: "None" },
      );
      if (reasons.some((reason) => reason.Code !== "None")) throw transactionCanceled(reasons);
      const seen = new Set<string>();
      for (const [i, member] of members.entries()) {
        const identity = itemIdentity(tables[i]!, member.key);
        if (seen.has(identity)) throw transactionMultipleOperations();
        seen.add(identity);
      }

      const capacity = new CapacityTally(true);
      const responses: { Item?: Item }[] = [];
      let bytes = 0;
      for (const [i, member] of members.entries()) {
        const item = await store.items.get(tx, tables[i]!, member.key);
        capacity.add(member.tableName, readUsage(item, "transactional"));
        if (item === undefined) {
          responses.push({});
          continue;
        }
        bytes += itemSizeBytes(item);
        responses.push({ Item: member.projection ? project(member.projection, item) : item });
      }
      if (bytes > transactionBytesMax) throw transactionTooLarge(bytes, transactionBytesMax);
      const consumed = capacity.render(mode, "read");
      return { Responses: responses, ...(consumed && { ConsumedCapacity: consumed }) };
    });
  };
}
