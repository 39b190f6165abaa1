/**
 * PartiQL for DynamoDB: ExecuteStatement, BatchExecuteStatement, ExecuteTransaction, registered by the
 * service's index.ts. A statement is tokenized (tokenizer.ts), parsed (parser.ts, syntax.ts), and
 * translated into the expression ASTs the item operations use (conditions.ts, updates.ts,
 * literals.ts), so a WHERE filters and conditions exactly as a FilterExpression/ConditionExpression
 * does; key-access.ts decides Query or Scan and which item a write names; select.ts and writes.ts run
 * them over the item store; texts.ts holds DynamoDB's words.
 *
 * ## Gaps
 * - Reserved words: DynamoDB refuses some SQL words as unquoted names (`pad`, [local]); only the
 *   words of the grammar are keywords here, so such names are accepted.
 * - Syntax errors answer the envelope with one of a few details ("Expected data manipulation",
 *   "Unexpected token after expression", "Unexpected keyword", "Unexpected token", "Expected
 *   expression"); DynamoDB's parser names more cases.
 * - Overlapping OR branches on the sort key (`pk = 'a' AND (sk > '0' OR sk < '5')`) are evaluated
 *   rather than refused with "Overlapping conditions with range keys are not supported".
 * - The order of names in "does not project one or more filter attributes: [a, b]" is the order
 *   written; DynamoDB's follows a hash order.
 * - ORDER BY on the partition key of a single partition keeps sort-key order (DynamoDB was seen to
 *   answer that case in descending order).
 * - BatchExecuteStatement refuses a batch mixing reads and writes with DynamoDB Local's text (not
 *   captured from DynamoDB itself).
 * - Consumed capacity counts the table (and the index read); writes do not add GSI write units.
 * - COUNT(*), aliases, functions in the projection, UPSERT/REPLACE are refused as not well formed or
 *   with DynamoDB Local's text, not always DynamoDB's.
 */
import { jsonHandler } from "../../../../aws/protocols/json-operation.ts";
import type { OperationHandler } from "../../../service.ts";
import type { DynamoDbStore } from "../../store.ts";
import { batchExecuteStatement } from "./batch-execute-statement.ts";
import { executeStatement } from "./execute-statement.ts";
import { executeTransaction } from "./execute-transaction.ts";

export function partiqlOperations(store: DynamoDbStore): Record<string, OperationHandler> {
  return {
    ExecuteStatement: jsonHandler(executeStatement(store)),
    BatchExecuteStatement: jsonHandler(batchExecuteStatement(store)),
    ExecuteTransaction: jsonHandler(executeTransaction(store)),
  };
}
