/**
 * ExecuteStatement: one PartiQL statement. A SELECT answers Items, NextToken and LastEvaluatedKey
 * (select.ts); a write answers `Items: []`, or the RETURNING row ([local] recorded: UPDATE and DELETE
 * answer `{"Items": []}`). A write runs inside one storage transaction: read, check, write.
 *
 * Errors a write raises are the item operations' (ConditionalCheckFailedException, with the item when
 * ReturnValuesOnConditionCheckFailure is ALL_OLD, [local] recorded) plus DuplicateItemException.
 */
import type { RequestContext } from "../../../../aws/context.ts";
import { validateInput } from "../../../../aws/validation/index.ts";
import { consumedCapacity, type ReturnConsumedCapacity, readUnits, writeUnits } from "../../capacity.ts";
import { validationError } from "../../errors.ts";
import type { DynamoDbStore } from "../../store.ts";
import { statementDigest } from "./next-token.ts";
import { type Json, readParameters, readStatement, rows } from "./requests.ts";
import { executeSelect } from "./select.ts";
import { partiqlTexts } from "./texts.ts";
import { applyWrite, evaluateWrite, prepareWrite, writeBytes } from "./writes.ts";

export function executeStatement(store: DynamoDbStore) {
  return async (input: Json, context: RequestContext) => {
    validateInput("dynamodb", "ExecuteStatement", input);
    const parameters = readParameters(input.Parameters);
    const { statement } = readStatement(input.Statement, parameters);
    const mode = input.ReturnConsumedCapacity as ReturnConsumedCapacity | undefined;
    if (statement.kind === "exists") throw validationError(partiqlTexts.existsOutsideTransaction);

    if (statement.kind === "select") {
      const consistentRead = input.ConsistentRead === true;
      const table = await store.requireTable(store.storage, context, statement.source.table);
      const result = await executeSelect(store, store.storage, table, statement, {
        parameters,
        limit: typeof input.Limit === "number" ? input.Limit : undefined,
        consistentRead,
        nextToken: typeof input.NextToken === "string" ? input.NextToken : undefined,
        digest: statementDigest(String(input.Statement), parameters),
      });
      const consistency = consistentRead ? "strong" : "eventual";
      const readUnitsOf = (bytes: number) => readUnits(bytes, consistency);
      const index = result.index;
      const capacity = consumedCapacity(mode, table.record.name, {
        kind: "read",
        table: index
          ? result.fetchedBytes > 0
            ? readUnitsOf(result.fetchedBytes)
            : 0
          : readUnitsOf(result.readBytes),
        ...(index?.kind === "GSI" ? { globalIndexes: { [index.name]: readUnitsOf(result.readBytes) } } : {}),
        ...(index?.kind === "LSI" ? { localIndexes: { [index.name]: readUnitsOf(result.readBytes) } } : {}),
      });
      return {
        Items: result.items,
        ...(result.nextToken ? { NextToken: result.nextToken } : {}),
        ...(capacity ? { ConsumedCapacity: capacity } : {}),
        ...(result.lastEvaluatedKey ? { LastEvaluatedKey: result.lastEvaluatedKey } : {}),
      };
    }

    const returnOld = input.ReturnValuesOnConditionCheckFailure === "ALL_OLD";
    const outcome = await store.storage.transaction(async (tx) => {
      const prepared = await prepareWrite(store, tx, context, statement, parameters, "statement");
      const decided = await evaluateWrite(store, tx, prepared, returnOld);
      await applyWrite(store, tx, decided);
      return decided;
    });
    const capacity = consumedCapacity(mode, outcome.prepared.table.record.name, {
      kind: "write",
      table: writeUnits(writeBytes(outcome)),
    });
    return { Items: rows(outcome.returned), ...(capacity ? { ConsumedCapacity: capacity } : {}) };
  };
}
