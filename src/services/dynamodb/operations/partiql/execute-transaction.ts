/**
 * ExecuteTransaction: up to 100 statements (the model's limit), all reads (each a key read, answered
 * as `Responses[i].Item`, `{}` when absent) or all writes (INSERT, UPDATE, DELETE, EXISTS condition
 * checks), all-or-nothing inside one storage transaction.
 *
 * DynamoDB's order, as captured ([conformance], [floci] eu-west-2 2026-09-17, [local] recorded):
 * 1. every member's Parameters are validated (plain ValidationException);
 * 2. every statement is parsed; then reads and writes may not mix ("ExecuteTransaction API does not
 *    support both read and write operations in the same request.");
 * 3. per statement, its table: a missing table becomes that member's cancellation reason
 *    (ResourceNotFound) — but a statement whose table exists is checked at once, and its faults are
 *    a ValidationException "Validation failed in TransactStatements[i]: ..." (RETURNING, reads of an
 *    index, a read not by the primary key alone, EXISTS without a condition, bad literals);
 * 4. two statements on one item: "Transaction request cannot include multiple operations on one item";
 * 5. every statement is evaluated against the same state; any failure (ConditionalCheckFailed,
 *    DuplicateItem, ValidationError for a key that does not match the schema, ResourceNotFound)
 *    cancels the whole transaction: TransactionCanceledException with one reason per statement in
 *    order, "None" for the others, the item for ReturnValuesOnConditionCheckFailure ALL_OLD;
 * 6. otherwise every write is applied in the same storage transaction.
 *
 * ClientRequestToken: a repeat within 10 minutes replays the first answer without running again (the
 * replay is charged as a transactional read, [conformance]); another request with the same token is
 * IdempotentParameterMismatchException. Tokens are kept with TransactWriteItems' (../batch/idempotency.ts).
 */
import type { RequestContext } from "../../../../aws/context.ts";
import { AwsError } from "../../../../aws/errors.ts";
import { validateInput } from "../../../../aws/validation/index.ts";
import type { KvTransaction } from "../../../../storage/kv.ts";
import type { AttributeValue, Item } from "../../attribute-value.ts";
import { type ConsumedCapacity, type ReturnConsumedCapacity, readUnits, writeUnits } from "../../capacity.ts";
import {
  type CancellationReason,
  resourceNotFound,
  transactionCanceled,
  transactionMultipleOperations,
  validationError,
} from "../../errors.ts";
import type { DynamoDbStore } from "../../store.ts";
import { type TableView, tableStatus } from "../../tables/record.ts";
import { itemSizeBytes } from "../../values.ts";
import { forgetExpiredTokens, recallToken, rememberToken, requestFingerprint } from "../batch/idempotency.ts";
import { toCondition } from "./conditions.ts";
import { keyOnlyRead } from "./key-access.ts";
import { CapacityByTable, describeError, type Json, readParameters, readStatement } from "./requests.ts";
import type { SelectStatement, Statement } from "./syntax.ts";
import { partiqlTexts } from "./texts.ts";
import {
  applyWrite,
  evaluateWrite,
  type PreparedWrite,
  prepareWrite,
  type WriteOutcome,
  writeBytes,
} from "./writes.ts";

type Member =
  | { readonly kind: "missing"; readonly tableName: string }
  | { readonly kind: "read"; readonly table: TableView; readonly key: Item | undefined }
  | { readonly kind: "write"; readonly prepared: PreparedWrite; readonly returnOld: boolean };

/** Runs `work`, prefixing its ValidationException with the statement's index. */
async function atStatement<T>(index: number, work: () => Promise<T> | T): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof AwsError && error.code === "ValidationException")
      throw validationError(partiqlTexts.transactionStatement(index, error.message));
    throw error;
  }
}

export function executeTransaction(store: DynamoDbStore) {
  return async (input: Json, context: RequestContext) => {
    validateInput("dynamodb", "ExecuteTransaction", input);
    const members = (Array.isArray(input.TransactStatements) ? input.TransactStatements : []) as Json[];
    const mode = input.ReturnConsumedCapacity as ReturnConsumedCapacity | undefined;
    const parameters = members.map((member) => readParameters(member.Parameters));
    const statements: Statement[] = [];
    for (const [i, member] of members.entries())
      statements.push(
        await atStatement(i, () => readStatement(member.Statement, parameters[i] ?? []).statement),
      );
    const reads = statements.filter((statement) => statement.kind === "select").length;
    if (reads > 0 && reads < statements.length) throw validationError(partiqlTexts.transactionMixed);
    const token = typeof input.ClientRequestToken === "string" ? input.ClientRequestToken : undefined;
    const fingerprint = token === undefined ? "" : requestFingerprint(input);

    const response = await store.storage.transaction(async (tx) => {
      const now = store.nowMs();
      if (token !== undefined) {
        const recalled = await recallToken(tx, context, token, fingerprint, now);
        if (recalled) return { replay: true, body: recalled };
        await forgetExpiredTokens(tx, now);
      }
      const prepared: Member[] = [];
      for (const [i, statement] of statements.entries()) {
        const member = members[i] as Json;
        prepared.push(
          await atStatement(i, () =>
            prepareMember(
              store,
              tx,
              context,
              statement,
              parameters[i] ?? [],
              member.ReturnValuesOnConditionCheckFailure === "ALL_OLD",
            ),
          ),
        );
      }
      checkDistinctItems(prepared);
      const body =
        reads > 0 ? await runReads(store, tx, prepared, mode) : await runWrites(store, tx, prepared, mode);
      if (token !== undefined) await rememberToken(tx, context, token, fingerprint, now, body);
      return { replay: false, body };
    });
    return response.replay ? asReplay(response.body, mode) : response.body;
  };
}

async function prepareMember(
  store: DynamoDbStore,
  tx: KvTransaction,
  context: RequestContext,
  statement: Statement,
  parameters: readonly AttributeValue[],
  returnOld: boolean,
): Promise<Member> {
  const source = statement.kind === "exists" ? statement.select.source : statement.source;
  const table = await store.tables.get(tx, context.accountId, context.region, source.table);
  if (table === undefined || tableStatus(table.record, store.nowMs()) === "CREATING")
    return { kind: "missing", tableName: source.table };
  if (statement.kind === "select") return { kind: "read", table, key: readKey(table, statement, parameters) };
  if ((statement.kind === "update" || statement.kind === "delete") && statement.returning)
    throw validationError(partiqlTexts.transactionReturning);
  const write = await prepareWrite(store, tx, context, statement, parameters, "transaction");
  return { kind: "write", prepared: write, returnOld };
}

/** The key a transaction read names; undefined when a key value has the wrong type (a cancellation). */
function readKey(
  table: TableView,
  statement: SelectStatement,
  parameters: readonly AttributeValue[],
): Item | undefined {
  if (statement.source.index !== undefined) throw validationError(partiqlTexts.transactionIndexRead);
  if (statement.where) toCondition(statement.where, parameters);
  const located = keyOnlyRead(statement.where, table, parameters);
  if (located === undefined) throw validationError(partiqlTexts.transactionSelectKey);
  return "key" in located ? located.key : undefined;
}

function checkDistinctItems(members: readonly Member[]): void {
  const seen = new Set<string>();
  for (const member of members) {
    const target =
      member.kind === "read"
        ? member.key && { table: member.table, key: member.key }
        : member.kind === "write" && member.prepared.invalid === undefined
          ? member.prepared
          : undefined;
    if (!target) continue;
    const names = [target.table.hash.name, target.table.range?.name].filter((name) => name !== undefined);
    const identity = JSON.stringify([
      target.table.record.id,
      names.map((name) => target.key[name as string]),
    ]);
    if (seen.has(identity)) throw transactionMultipleOperations();
    seen.add(identity);
  }
}

function cancelIfFailed(reasons: readonly CancellationReason[]): void {
  if (reasons.some((reason) => reason.Code !== "None")) throw transactionCanceled(reasons);
}

async function runReads(
  store: DynamoDbStore,
  tx: KvTransaction,
  members: readonly Member[],
  mode: ReturnConsumedCapacity | undefined,
): Promise<Json> {
  const reasons: CancellationReason[] = [];
  const items: (Item | undefined)[] = [];
  for (const member of members) {
    if (member.kind === "missing") {
      reasons.push(describeError(resourceNotFound(), false));
    } else if (member.kind === "read" && member.key === undefined) {
      reasons.push(describeError(validationError(partiqlTexts.keyMismatch), false));
    } else if (member.kind === "read") {
      items.push(await store.items.get(tx, member.table, member.key as Item));
      reasons.push({ Code: "None" });
      continue;
    }
    items.push(undefined);
  }
  cancelIfFailed(reasons);
  const capacity = new CapacityByTable();
  members.forEach((member, i) => {
    if (member.kind !== "read") return;
    const item = items[i];
    capacity.add(
      member.table.record.name,
      "read",
      readUnits(item ? itemSizeBytes(item) : 0, "transactional"),
    );
  });
  const consumed = capacity.report(mode);
  return {
    Responses: items.map((item) => (item ? { Item: item } : {})),
    ...(consumed ? { ConsumedCapacity: consumed } : {}),
  };
}

async function runWrites(
  store: DynamoDbStore,
  tx: KvTransaction,
  members: readonly Member[],
  mode: ReturnConsumedCapacity | undefined,
): Promise<Json> {
  const reasons: CancellationReason[] = [];
  const outcomes: WriteOutcome[] = [];
  for (const member of members) {
    if (member.kind === "missing") {
      reasons.push(describeError(resourceNotFound(), false));
      continue;
    }
    if (member.kind !== "write") continue;
    try {
      outcomes.push(await evaluateWrite(store, tx, member.prepared, member.returnOld));
      reasons.push({ Code: "None" });
    } catch (error) {
      reasons.push(describeError(error, true) as CancellationReason);
    }
  }
  cancelIfFailed(reasons);
  const capacity = new CapacityByTable();
  for (const outcome of outcomes) {
    await applyWrite(store, tx, outcome);
    capacity.add(outcome.prepared.table.record.name, "write", writeUnits(writeBytes(outcome), true));
  }
  const consumed = capacity.report(mode);
  return consumed ? { ConsumedCapacity: consumed } : {};
}

/** A replayed answer: the same body, its capacity charged as the transactional read DynamoDB makes. */
function asReplay(body: Json, mode: ReturnConsumedCapacity | undefined): Json {
  const { ConsumedCapacity: stored, ...rest } = body as { ConsumedCapacity?: ConsumedCapacity[] };
  if (mode !== "TOTAL" && mode !== "INDEXES") return rest;
  const entries = (stored ?? []).map((entry) => {
    const units = entry.CapacityUnits;
    const read = { CapacityUnits: units, ReadCapacityUnits: units };
    return { TableName: entry.TableName, ...read, ...(mode === "INDEXES" ? { Table: read } : {}) };
  });
  return { ...rest, ConsumedCapacity: entries };
}
