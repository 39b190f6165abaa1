/**
 * Reading table-operation inputs safely, and table names.
 *
 * `validateInput` (src/aws/validation) checks every input against the AWS model first — JSON types,
 * required members, lengths, enums — so these readers normally see well-formed values. They still never
 * trust a shape: a value of the wrong type reads as absent, so a gap in the model check can at worst
 * give a ValidationException, never a crash.
 *
 * Table names: CreateTable's TableName must be 3 to 255 characters of [a-zA-Z0-9_.-]; the other table
 * operations accept the same names or the table's ARN (the model types TableName as TableArn, 1 to 1024
 * characters, so the name rules are DynamoDB's own check, made here, in coral's words).
 */
import type { RequestContext } from "../../../aws/context.ts";
import { constraintText, tableNotFound, validationErrors } from "../errors.ts";

export type Json = Record<string, unknown>;

export function str(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

export function num(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

export function bool(value: unknown): boolean | undefined {
  return typeof value === "boolean" ? value : undefined;
}

export function obj(value: unknown): Json | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

export function list(value: unknown): unknown[] | undefined {
  return Array.isArray(value) ? value : undefined;
}

/** The objects of a list (non-objects read as empty objects). */
export function objects(value: unknown): Json[] {
  return (list(value) ?? []).map((element) => obj(element) ?? {});
}

const NAME_PATTERN = /^[a-zA-Z0-9_.-]+$/;

/**
 * The constraint failures of a table name: pattern, then the length bounds (CreateTable and the table
 * operations: 3 to 255; item operations pass `minLength` 1, where an empty name fails on length only).
 */
export function tableNameErrors(name: string, minLength = 3): string[] {
  const errors: string[] = [];
  if (!NAME_PATTERN.test(name) && !(minLength === 1 && name === "")) {
    errors.push(
      constraintText("tableName", name, "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+"),
    );
  }
  if (name.length < minLength) {
    errors.push(
      constraintText("tableName", name, `Member must have length greater than or equal to ${minLength}`),
    );
  }
  if (name.length > 255) {
    errors.push(constraintText("tableName", name, "Member must have length less than or equal to 255"));
  }
  return errors;
}

/** Throws the envelope for a missing or malformed TableName; returns the name. */
export function checkTableName(value: unknown): string {
  const name = str(value);
  if (name === undefined)
    throw validationErrors([constraintText("tableName", undefined, "Member must not be null")]);
  const errors = tableNameErrors(name);
  if (errors.length > 0) throw validationErrors(errors);
  return name;
}

const TABLE_ARN = /^arn:aws[a-z-]*:dynamodb:([a-z0-9-]+):(\d{12}):table\/([a-zA-Z0-9_.-]{3,255})$/;

/**
 * The table a TableName designates: a name, or the ARN of a table of the caller's account and region.
 * An ARN of another account or region designates no table Stratus will show this caller.
 */
export function resolveTableName(value: unknown, context: RequestContext): string {
  const text = str(value);
  const arn = text === undefined ? null : TABLE_ARN.exec(text);
  if (!arn) return checkTableName(value);
  const [, region, account, name] = arn;
  if (region !== context.region || account !== context.accountId) throw tableNotFound(name!);
  return name!;
}
