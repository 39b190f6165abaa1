/**
 * Parsers of update and projection expressions, after AWS's grammar (DAX client
 * DynamoDbGrammar.g4, read for its rules only):
 *
 *   update     := (SET set_action (',' set_action)* | REMOVE path (',' path)*
 *                 | ADD path :value (',' ...)* | DELETE path :value (',' ...)*)+
 *   set_action := path '=' (operand | arithmetic)
 *   arithmetic := operand ('+' | '-') operand | '(' arithmetic ')'
 *   projection := path (',' path)*
 *
 * A clause keyword may appear more than once syntactically; "section can only be used once" is a
 * later check. Function arguments are operands, never arithmetic ("set a = b + c + d" and
 * "set a[1] = 1" are syntax errors, as dynalite's recorded tests show).
 */
import type { Clause, Cursor, RawAction, RawClause, RawOperand, RawPath, RawValue } from "./syntax.ts";
import { parseOperand, parsePath, Cursor as TokenCursor } from "./syntax.ts";

const CLAUSES: readonly Clause[] = ["SET", "REMOVE", "ADD", "DELETE"];

export function parseUpdateSyntax(source: string): RawClause[] {
  const cursor = new TokenCursor(source);
  return cursor.run(() => {
    const clauses: RawClause[] = [parseClause(cursor)];
    while (!cursor.atEnd()) clauses.push(parseClause(cursor));
    return clauses;
  });
}

export function parseProjectionSyntax(source: string): RawPath[] {
  const cursor = new TokenCursor(source);
  return cursor.run(() => {
    const paths = [parsePath(cursor)];
    while (cursor.accept(",")) paths.push(parsePath(cursor));
    return paths;
  });
}

function parseClause(cursor: Cursor): RawClause {
  const keyword = CLAUSES.find((clause) => cursor.isAt(clause));
  if (!keyword) return cursor.fail();
  cursor.next();
  const actions = [parseAction(cursor, keyword)];
  while (cursor.accept(",")) actions.push(parseAction(cursor, keyword));
  return { keyword, actions };
}

function parseAction(cursor: Cursor, keyword: Clause): RawAction {
  const path = parsePath(cursor);
  switch (keyword) {
    case "SET":
      cursor.expect("=");
      return { kind: "set", path, value: parseSetValue(cursor) };
    case "REMOVE":
      return { kind: "remove", path };
    case "ADD":
    case "DELETE":
      return { kind: keyword === "ADD" ? "add" : "delete", path, value: parseLiteral(cursor) };
  }
}

function parseLiteral(cursor: Cursor): RawValue {
  const token = cursor.peek();
  if (token.kind !== "value") return cursor.fail();
  cursor.next();
  return { kind: "value", name: token.text, parens: 0 };
}

/** operand, arithmetic, or either in parentheses. */
function parseSetValue(cursor: Cursor): RawOperand {
  const left = parseOperand(cursor, { inner: parseSetValue });
  const token = cursor.peek();
  if (token.kind !== "op" || (token.text !== "+" && token.text !== "-")) return left;
  // "(b + c) + d": a parenthesised sum is not an operand.
  if (left.kind === "arith") return cursor.fail();
  cursor.next();
  return { kind: "arith", op: token.text, left, right: parseOperand(cursor), parens: 0 };
}
