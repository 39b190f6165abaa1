/**
 * BatchExecuteStatement: up to 25 statements (the model's limit), each run on its own — not a
 * transaction — and answered in request order with `{TableName, Item}` or `{Error: {Code, Message}}`
 * under HTTP 200 ([conformance], [local] recorded):
 *
 * - reads and writes do not mix: "Read and write requests together in the same batch is not
 *   supported." (DynamoDB Local's text; members that do not parse are not counted);
 * - a SELECT names one item by its full primary key and nothing else, never an index: otherwise
 *   "Select statements within BatchExecuteStatement must specify the primary key in the where clause.";
 * - a member that fails to parse or names no table fails alone, Code ValidationError /
 *   ResourceNotFound, without TableName; a member that ran and failed (ConditionalCheckFailed,
 *   DuplicateItem...) carries TableName;
 * - RETURNING is honoured (its row is the member's Item, omitted when empty);
 *   ReturnValuesOnConditionCheckFailure is accepted and inert;
 * - ConsistentRead is per member: half a unit per eventually consistent item read, one per strongly
 *   consistent read (ConsumedCapacity is a list, one entry per table).
 */
import type { RequestContext } from "../../../../aws/context.ts";
import { validateInput } from "../../../../aws/validation/index.ts";
import type { AttributeValue, Item } from "../../attribute-value.ts";
import { type ReturnConsumedCapacity, readUnits, writeUnits } from "../../capacity.ts";
import { validationError } from "../../errors.ts";
import type { DynamoDbStore } from "../../store.ts";
import { itemSizeBytes } from "../../values.ts";
import { keyOnlyRead } from "./key-access.ts";
import { CapacityByTable, describeError, type Json, readParameters, readStatement } from "./requests.ts";
import { columnsOf, projectColumns } from "./select.ts";
import type { SelectStatement, Statement } from "./syntax.ts";
import { partiqlTexts } from "./texts.ts";
import { applyWrite, evaluateWrite, prepareWrite, writeBytes } from "./writes.ts";

interface MemberResponse {
  TableName?: string;
  Item?: Item;
  Error?: { Code: string; Message: string };
}

export function batchExecuteStatement(store: DynamoDbStore) {
  return async (input: Json, context: RequestContext) => {
    validateInput("dynamodb", "BatchExecuteStatement", input);
    const members = (Array.isArray(input.Statements) ? input.Statements : []) as Json[];
    const parsed = members.map(readMember);
    // The first member that parsed decides between reads and writes ([local] BatchExecuteStatement).
    let reads: boolean | undefined;
    for (const entry of parsed) {
      if (!("statement" in entry)) continue;
      const isRead = entry.statement.kind === "select";
      reads ??= isRead;
      if (reads !== isRead) throw validationError(partiqlTexts.batchMixed);
    }
    const capacity = new CapacityByTable();
    const responses: MemberResponse[] = [];
    for (const [i, entry] of parsed.entries()) {
      const ran: { tableName?: string } = {};
      try {
        if (!("statement" in entry)) throw entry.error;
        responses.push(await runMember(store, context, members[i] as Json, entry, capacity, ran));
      } catch (error) {
        const { Code, Message } = describeError(error, false);
        responses.push({ ...(ran.tableName ? { TableName: ran.tableName } : {}), Error: { Code, Message } });
      }
    }
    const consumed = capacity.report(input.ReturnConsumedCapacity as ReturnConsumedCapacity | undefined);
    return { Responses: responses, ...(consumed ? { ConsumedCapacity: consumed } : {}) };
  };
}

type ParsedMember = { statement: Statement; parameters: AttributeValue[] } | { error: unknown };

function readMember(member: Json): ParsedMember {
  try {
    const parameters = readParameters(member.Parameters);
    const { statement } = readStatement(member.Statement, parameters);
    if (statement.kind === "exists") throw validationError(partiqlTexts.existsOutsideTransaction);
    return { statement, parameters };
  } catch (error) {
    return { error };
  }
}

async function runMember(
  store: DynamoDbStore,
  context: RequestContext,
  member: Json,
  { statement, parameters }: { statement: Statement; parameters: AttributeValue[] },
  capacity: CapacityByTable,
  ran: { tableName?: string },
): Promise<MemberResponse> {
  if (statement.kind === "exists") throw validationError(partiqlTexts.existsOutsideTransaction);
  if (statement.kind === "select") {
    const consistent = member.ConsistentRead === true;
    const columns = columnsOf(statement);
    const item = await readItem(store, context, statement, parameters, ran);
    const units = readUnits(item ? itemSizeBytes(item) : 0, consistent ? "strong" : "eventual");
    capacity.add(ran.tableName as string, "read", units);
    const shown = item && columns ? projectColumns(columns, item) : item;
    return { TableName: ran.tableName as string, ...(shown ? { Item: shown } : {}) };
  }
  const outcome = await store.storage.transaction(async (tx) => {
    const prepared = await prepareWrite(store, tx, context, statement, parameters, "batch");
    ran.tableName = prepared.table.record.name;
    const decided = await evaluateWrite(store, tx, prepared, false);
    await applyWrite(store, tx, decided);
    return decided;
  });
  capacity.add(outcome.prepared.table.record.name, "write", writeUnits(writeBytes(outcome)));
  const returned = outcome.returned;
  const item = returned && Object.keys(returned).length > 0 ? { Item: returned } : {};
  return { TableName: outcome.prepared.table.record.name, ...item };
}

async function readItem(
  store: DynamoDbStore,
  context: RequestContext,
  statement: SelectStatement,
  parameters: readonly AttributeValue[],
  ran: { tableName?: string },
): Promise<Item | undefined> {
  const table = await store.requireTable(store.storage, context, statement.source.table);
  if (statement.source.index !== undefined) throw validationError(partiqlTexts.batchSelectKey);
  const located = keyOnlyRead(statement.where, table, parameters);
  if (located === undefined) throw validationError(partiqlTexts.batchSelectKey);
  ran.tableName = table.record.name;
  if (!("key" in located)) throw validationError(partiqlTexts.keyMismatch);
  return store.items.get(store.storage, table, located.key);
}
