/**
 * SELECT for ExecuteStatement: a Query of the partitions the WHERE clause pins (key-access.ts) or a
 * Scan, of the table or of "table"."index", read page by page as Query and Scan read (ExecuteStatement
 * API reference): Limit counts the items *read*, not those that match ([local] recorded: Limit 10 with a
 * filter matching nothing answers no items and a NextToken), a page stops after 1 MB read, and
 * stopping early answers NextToken (and LastEvaluatedKey) even when nothing follows.
 *
 * Projection ([conformance], [floci]): `*` is the whole item (an index's projected item for an index
 * read); a list of paths answers each under its last name, list indexes kept ("SELECT m.k[0]" gives
 * "k[0]"); two equal names are "Duplicate identifiers in select clause". An LSI read fetches the
 * table's item for attributes the index lacks; a GSI refuses them. On a keyed non-ALL index read, a
 * filter naming an attribute the index lacks is refused.
 *
 * ORDER BY takes key attributes of what is read; the sort key orders within a partition (DESC reads
 * backwards), the partition key orders the partitions of an IN/OR read ([floci] captures).
 */
import type { KvReader } from "../../../../storage/kv.ts";
import type { AttributeValue, Item } from "../../attribute-value.ts";
import { validationError } from "../../errors.ts";
import { type Condition, type DocumentPath, evaluateCondition, valueAt } from "../../expressions/index.ts";
import type { DynamoDbStore } from "../../store.ts";
import type { IndexView, TableView } from "../../tables/record.ts";
import { compareValues, itemSizeBytes } from "../../values.ts";
import { documentPath, toCondition } from "./conditions.ts";
import { isKeyed, type KeySchema, planRead } from "./key-access.ts";
import type { Parameters } from "./literals.ts";
import { decodeNextToken, encodeNextToken, type Position } from "./next-token.ts";
import type { Expr, PathStep, SelectStatement } from "./syntax.ts";
import { partiqlTexts } from "./texts.ts";

/** A page of a read stops after this much data ([local] recorded: 262 items of 4000 bytes). */
export const pageBytesMax = 1024 * 1024;

export interface SelectOptions {
  readonly parameters: Parameters;
  readonly limit: number | undefined;
  readonly consistentRead: boolean;
  readonly nextToken: string | undefined;
  readonly digest: string;
}

export interface SelectResult {
  readonly items: Item[];
  readonly nextToken?: string;
  readonly lastEvaluatedKey?: Item;
  /** Bytes read from the index (or table), and from the table for an LSI's fetches. */
  readonly readBytes: number;
  readonly fetchedBytes: number;
  readonly index: IndexView | undefined;
}

/** The index a FROM "table"."index" names. */
export function resolveIndex(table: TableView, name: string | undefined): IndexView | undefined {
  if (name === undefined) return undefined;
  const index = table.indexes.find((candidate) => candidate.name === name);
  if (index === undefined || name === table.record.name) throw validationError(partiqlTexts.noSuchIndex);
  return index;
}

/** The name a projected path answers under: its last named step and the list indexes after it. */
export function columnName(steps: readonly PathStep[]): string {
  let last = steps.length - 1;
  while (last > 0 && !("name" in (steps[last] as PathStep))) last--;
  const head = steps[last] as { name: string };
  return (
    head.name +
    steps
      .slice(last + 1)
      .map((step) => `[${"index" in step ? Number(step.index) : ""}]`)
      .join("")
  );
}

export interface Column {
  readonly name: string;
  readonly path: DocumentPath;
}

export function columnsOf(statement: SelectStatement): Column[] | undefined {
  if (statement.projection === undefined) return undefined;
  const seen = new Set<string>();
  return statement.projection.map((expr) => {
    const name = columnName(expr.steps);
    if (seen.has(name)) throw validationError(partiqlTexts.duplicateSelectNames(name));
    seen.add(name);
    return { name, path: documentPath(expr.steps) };
  });
}

/** Whether the index keeps an attribute of the items it holds. */
function projects(table: TableView, index: IndexView, name: string): boolean {
  if (index.projection === "ALL") return true;
  const keys = [table.hash, table.range, index.hash, index.range].map((key) => key?.name);
  return keys.includes(name) || (index.projection === "INCLUDE" && index.include.has(name));
}

/** Top-level attribute names a clause reads, in the order written. */
function attributesOf(expr: Expr | undefined, into: string[] = []): string[] {
  if (expr === undefined) return into;
  const add = (name: string) => {
    if (!into.includes(name)) into.push(name);
  };
  switch (expr.kind) {
    case "path": {
      const first = expr.steps[0];
      if (first && "name" in first) add(first.name);
      break;
    }
    case "binary":
      attributesOf(expr.left, into);
      attributesOf(expr.right, into);
      break;
    case "not":
    case "negate":
      attributesOf(expr.operand, into);
      break;
    case "between":
      for (const part of [expr.operand, expr.low, expr.high]) attributesOf(part, into);
      break;
    case "in":
      for (const part of [expr.operand, ...expr.list]) attributesOf(part, into);
      break;
    case "is":
      attributesOf(expr.operand, into);
      break;
    case "call":
      for (const part of expr.args) attributesOf(part, into);
      break;
    default:
      break;
  }
  return into;
}

function checkOrderBy(statement: SelectStatement, schema: KeySchema, partitions: number | undefined): void {
  if (statement.orderBy.length === 0) return;
  if (statement.where === undefined) throw validationError(partiqlTexts.orderByWithoutWhere);
  for (const term of statement.orderBy) {
    if (term.name !== schema.hash.name && term.name !== schema.range?.name)
      throw validationError(partiqlTexts.orderByNotKey(term.name));
  }
  if (partitions === undefined) throw validationError(partiqlTexts.orderByWithoutHashKey);
  if (partitions > 1 && !statement.orderBy.some((term) => term.name === schema.hash.name))
    throw validationError(partiqlTexts.orderByNeedsHashKey);
}

function keyOf(table: TableView, index: IndexView | undefined, item: Item): Item {
  const key: Item = {};
  for (const attribute of [table.hash, table.range, index?.hash, index?.range]) {
    const value = attribute && item[attribute.name];
    if (attribute && value !== undefined) key[attribute.name] = value;
  }
  return key;
}

export async function executeSelect(
  store: DynamoDbStore,
  reader: KvReader,
  table: TableView,
  statement: SelectStatement,
  options: SelectOptions,
): Promise<SelectResult> {
  const index = resolveIndex(table, statement.source.index);
  if (index?.kind === "GSI" && options.consistentRead)
    throw validationError(partiqlTexts.consistentReadOnGsi);
  const schema: KeySchema = index ? { hash: index.hash, range: index.range } : table;
  const columns = columnsOf(statement);
  const filter: Condition | undefined = statement.where && toCondition(statement.where, options.parameters);
  let fetch = false;
  if (index && columns) {
    const missing = columns
      .map((column) => column.path[0] as string)
      .filter((name) => !projects(table, index, name));
    if (missing.length > 0 && index.kind === "GSI")
      throw validationError(partiqlTexts.unprojectedSelect(index.name, [...new Set(missing)]));
    fetch = missing.length > 0;
  }
  if (index && index.projection !== "ALL" && isKeyed(statement.where, schema)) {
    const missing = attributesOf(statement.where).filter((name) => !projects(table, index, name));
    if (missing.length > 0) throw validationError(partiqlTexts.unprojectedFilter(index.name, missing));
  }
  const plan = planRead(statement.where, schema, options.parameters);
  checkOrderBy(statement, schema, plan.partitions?.length);

  const hashOrder = statement.orderBy.find((term) => term.name === schema.hash.name);
  const rangeOrder = statement.orderBy.find((term) => term.name === schema.range?.name);
  const partitions: AttributeValue[] | undefined = plan.partitions && [...plan.partitions];
  if (partitions && hashOrder)
    partitions.sort((a, b) => (compareValues(a, b) ?? 0) * (hashOrder.descending ? -1 : 1));

  const start: Position = options.nextToken
    ? decodeNextToken(options.nextToken, options.digest)
    : { partition: 0 };
  const items: Item[] = [];
  let readBytes = 0;
  let fetchedBytes = 0;
  let read = 0;
  const partitionCount = partitions ? partitions.length : 1;
  for (let p = start.partition; p < partitionCount; p++) {
    const startKey = p === start.partition ? start.key : undefined;
    const source = partitions
      ? store.items.query(reader, table, {
          ...(index ? { index: index.name } : {}),
          partition: partitions[p] as AttributeValue,
          ...(plan.sort ? { sort: plan.sort } : {}),
          forward: !rangeOrder?.descending,
          ...(startKey ? { exclusiveStartKey: startKey } : {}),
        })
      : store.items.scan(reader, table, {
          ...(index ? { index: index.name } : {}),
          ...(startKey ? { exclusiveStartKey: startKey } : {}),
        });
    for await (const entry of source) {
      read++;
      readBytes += itemSizeBytes(entry);
      if (filter === undefined || evaluateCondition(filter, entry)) {
        let item = entry;
        if (fetch) {
          const full = await store.items.get(reader, table, keyOf(table, undefined, entry));
          if (full) {
            item = full;
            fetchedBytes += itemSizeBytes(full);
          }
        }
        items.push(columns ? projectColumns(columns, item) : item);
      }
      if (read === options.limit || readBytes >= pageBytesMax) {
        const key = keyOf(table, index, entry);
        return {
          items,
          nextToken: encodeNextToken(options.digest, { partition: p, key }),
          lastEvaluatedKey: key,
          readBytes,
          fetchedBytes,
          index,
        };
      }
    }
  }
  return { items, readBytes, fetchedBytes, index };
}

export function projectColumns(columns: readonly Column[], item: Item): Item {
  const out: Item = {};
  for (const column of columns) {
    const value = valueAt(item, column.path);
    if (value !== undefined) out[column.name] = value;
  }
  return out;
}
