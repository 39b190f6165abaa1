/**
 * ExecuteStatement's NextToken: where a SELECT stopped, bound to the statement that issued it. It is
 * base64 of JSON {h: digest of the statement and its parameters, p: the partition being read (for
 * IN/OR reads of several partitions), k: the last key read}. DynamoDB's tokens are opaque and
 * encrypted; what matters is the behaviour: a token of another statement answers "NextToken does not
 * match request" ([floci], eu-west-1 2026-09-03), one that is not a token "Invalid NextToken" ([local]).
 */
import { createHash } from "node:crypto";
import type { AttributeValue, Item } from "../../attribute-value.ts";
import { validationError } from "../../errors.ts";
import { partiqlTexts } from "./texts.ts";

export interface Position {
  /** Index of the partition in the plan (0 for a Scan). */
  readonly partition: number;
  /** The last key read in that partition; undefined = start the partition. */
  readonly key?: Item;
}

export function statementDigest(statement: string, parameters: readonly AttributeValue[]): string {
  return createHash("sha256")
    .update(JSON.stringify([statement, parameters]))
    .digest("hex")
    .slice(0, 32);
}

export function encodeNextToken(digest: string, position: Position): string {
  return Buffer.from(JSON.stringify({ h: digest, p: position.partition, k: position.key })).toString(
    "base64",
  );
}

export function decodeNextToken(token: string, digest: string): Position {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(token, "base64").toString("utf8"));
  } catch {
    throw validationError(partiqlTexts.invalidNextToken);
  }
  const { h, p, k } = (decoded ?? {}) as { h?: unknown; p?: unknown; k?: unknown };
  if (typeof h !== "string" || typeof p !== "number" || !Number.isInteger(p) || p < 0)
    throw validationError(partiqlTexts.invalidNextToken);
  if (k !== undefined && (typeof k !== "object" || k === null || Array.isArray(k)))
    throw validationError(partiqlTexts.invalidNextToken);
  if (h !== digest) throw validationError(partiqlTexts.nextTokenMismatch);
  return k === undefined ? { partition: p } : { partition: p, key: k as Item };
}
