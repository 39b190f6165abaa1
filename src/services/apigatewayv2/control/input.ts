/**
 * Reading request members by hand: the restJson adapter hands over the body as parsed JSON, so each
 * member's type is checked here. A member of the wrong JSON type gets a BadRequestException (AWS v2
 * answers malformed members with 400 BadRequestException; the exact wording is unconfirmed).
 */
import { badRequest } from "./errors.ts";

type Body = Record<string, unknown>;

function wrongType(name: string, expected: string): Error {
  return badRequest(`Invalid input for ${name}: expected ${expected}`);
}

export function optString(body: Body, name: string): string | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw wrongType(name, "a string");
  return value;
}

export function optBoolean(body: Body, name: string): boolean | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "boolean") throw wrongType(name, "a boolean");
  return value;
}

export function optInteger(body: Body, name: string): number | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value)) throw wrongType(name, "an integer");
  return value;
}

export function optNumber(body: Body, name: string): number | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isFinite(value)) throw wrongType(name, "a number");
  return value;
}

export function optStringList(body: Body, name: string): string[] | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) {
    throw wrongType(name, "a list of strings");
  }
  return [...(value as string[])];
}

export function optStringMap(body: Body, name: string): Record<string, string> | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "object" || Array.isArray(value)) throw wrongType(name, "a map of strings");
  for (const v of Object.values(value)) if (typeof v !== "string") throw wrongType(name, "a map of strings");
  return { ...(value as Record<string, string>) };
}

export function optObject(body: Body, name: string): Record<string, unknown> | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "object" || Array.isArray(value)) throw wrongType(name, "an object");
  return value as Record<string, unknown>;
}

/** A required string member: AWS names the missing member in its BadRequestException (unconfirmed text). */
export function reqString(body: Body, name: string): string {
  const value = optString(body, name);
  if (value === undefined) throw badRequest(`${name} is required`);
  return value;
}

/** Drops undefined members so that answers only carry what is set, as AWS's do. */
export function compact<T extends Record<string, unknown>>(record: T): T {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) if (value !== undefined) out[key] = value;
  return out as T;
}
