/**
 * What the three PartiQL operations share: reading a statement member (Parameters validated as
 * attribute values first, then the statement parsed, then the `?` counted — [floci] "refuses an
 * invalid parameter before reading the statement"), naming errors as BatchStatementError and
 * CancellationReason codes, and summing consumed capacity per table.
 */
import { AwsError } from "../../../../aws/errors.ts";
import type { AttributeValue } from "../../attribute-value.ts";
import {
  type CapacityUsage,
  type ConsumedCapacity,
  consumedCapacity,
  type ReturnConsumedCapacity,
} from "../../capacity.ts";
import { validationError } from "../../errors.ts";
import { validateAttributeValue } from "../../values.ts";
import { parseStatement } from "./parser.ts";
import type { ParsedStatement } from "./syntax.ts";
import { partiqlTexts } from "./texts.ts";

export type Json = Record<string, unknown>;

/** Parameters as DynamoDB validates them (the same texts as any AttributeValue). */
export function readParameters(raw: unknown): AttributeValue[] {
  return Array.isArray(raw) ? raw.map((value) => validateAttributeValue(value)) : [];
}

/** Parses a statement and checks it has no more `?` than Parameters (more parameters are ignored, [local]). */
export function readStatement(text: unknown, parameters: readonly AttributeValue[]): ParsedStatement {
  const parsed = parseStatement(typeof text === "string" ? text : "");
  if (parsed.parameterCount > parameters.length) throw validationError(partiqlTexts.parameterCount);
  return parsed;
}

/** BatchStatementError codes and CancellationReason codes for DynamoDB's exceptions. */
const CODES: Readonly<Record<string, string>> = {
  ConditionalCheckFailedException: "ConditionalCheckFailed",
  DuplicateItemException: "DuplicateItem",
  ValidationException: "ValidationError",
  ResourceNotFoundException: "ResourceNotFound",
  ItemCollectionSizeLimitExceededException: "ItemCollectionSizeLimitExceeded",
  ProvisionedThroughputExceededException: "ProvisionedThroughputExceeded",
  RequestLimitExceeded: "RequestLimitExceeded",
  TransactionConflictException: "TransactionConflict",
  ThrottlingException: "ThrottlingError",
  AccessDeniedException: "AccessDenied",
};

export function errorCode(error: AwsError): string {
  return CODES[error.code] ?? "InternalServerError";
}

/** The error as a member's `{Code, Message[, Item]}`; rethrows anything that is not an AwsError. */
export function describeError(
  error: unknown,
  withItem: boolean,
): { Code: string; Message: string; Item?: Record<string, unknown> } {
  if (!(error instanceof AwsError)) throw error;
  const item = withItem ? (error.fields.Item as Record<string, unknown> | undefined) : undefined;
  return { Code: errorCode(error), Message: error.message, ...(item ? { Item: item } : {}) };
}

/** Capacity per table, in the order tables were first used, for the operations that answer a list. */
export class CapacityByTable {
  readonly #usage = new Map<string, CapacityUsage>();

  add(tableName: string, kind: CapacityUsage["kind"], units: number): void {
    const usage = this.#usage.get(tableName) ?? { kind, table: 0 };
    usage.table += units;
    this.#usage.set(tableName, usage);
  }

  report(mode: ReturnConsumedCapacity | undefined): ConsumedCapacity[] | undefined {
    if (mode !== "TOTAL" && mode !== "INDEXES") return undefined;
    return [...this.#usage].map(([name, usage]) => consumedCapacity(mode, name, usage) as ConsumedCapacity);
  }
}

/** How ExecuteStatement answers a write's RETURNING: no row for nothing or an empty projection. */
export function rows(item: Record<string, unknown> | undefined): Record<string, unknown>[] {
  return item === undefined || Object.keys(item).length === 0 ? [] : [item];
}
