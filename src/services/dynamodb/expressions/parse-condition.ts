/**
 * Parser of condition, filter and key-condition expressions (they share one grammar), by
 * recursive descent over AWS's grammar (DAX client DynamoDbGrammar.g4, read for its rules only):
 *
 *   condition := operand comparator operand | operand BETWEEN operand AND operand
 *              | operand IN '(' operand (',' operand)* ')' | function | '(' condition ')'
 *              | NOT condition | condition AND condition | condition OR condition
 *
 * Precedence, loosest first: OR, AND, NOT, then comparisons, IN, BETWEEN, functions and parentheses
 * (AWS developer guide, "Precedence in conditions"). AND and OR associate to the right, as AWS's
 * grammar declares. A '(' may open a grouped condition or a parenthesised operand ("(a) = :v"); the
 * operand reading is tried first, as dynalite's recorded grammar does, so "(size(a)) > :v" parses.
 */
import type { Comparator, Cursor, RawCall, RawCondition, RawOperand } from "./syntax.ts";
import { COMPARATORS, parseOperand as parseAnyOperand, Cursor as TokenCursor, withParens } from "./syntax.ts";

const parseOperand = (cursor: Cursor): RawOperand => parseAnyOperand(cursor, { groupedPaths: true });

export function parseConditionSyntax(source: string): RawCondition {
  const cursor = new TokenCursor(source);
  return cursor.run(() => parseOr(cursor));
}

function parseOr(cursor: Cursor): RawCondition {
  const left = parseAnd(cursor);
  if (!cursor.accept("OR")) return left;
  return { kind: "or", left, right: parseOr(cursor), parens: 0 };
}

function parseAnd(cursor: Cursor): RawCondition {
  const left = parseNot(cursor);
  if (!cursor.accept("AND")) return left;
  return { kind: "and", left, right: parseAnd(cursor), parens: 0 };
}

function parseNot(cursor: Cursor): RawCondition {
  if (cursor.accept("NOT")) return { kind: "not", condition: parseNot(cursor), parens: 0 };
  return parsePrimary(cursor);
}

function parsePrimary(cursor: Cursor): RawCondition {
  if (!cursor.isAt("(")) return parsePredicate(cursor);
  const predicate = cursor.attempt(() => parsePredicate(cursor));
  if (predicate) return predicate;
  cursor.expect("(");
  const inner = parseOr(cursor);
  cursor.expect(")");
  return withParens(inner);
}

function parsePredicate(cursor: Cursor): RawCondition {
  const operand = parseOperand(cursor);
  const token = cursor.peek();
  if (token.kind === "op" && COMPARATORS.includes(token.text)) {
    cursor.next();
    return {
      kind: "compare",
      op: token.text as Comparator,
      left: operand,
      right: parseOperand(cursor),
      parens: 0,
    };
  }
  if (cursor.accept("BETWEEN")) {
    const low = parseOperand(cursor);
    cursor.expect("AND");
    return { kind: "between", operand, low, high: parseOperand(cursor), parens: 0 };
  }
  if (cursor.accept("IN")) {
    cursor.expect("(");
    const list: RawOperand[] = [parseOperand(cursor)];
    while (cursor.accept(",")) list.push(parseOperand(cursor));
    cursor.expect(")");
    return { kind: "in", operand, list, parens: 0 };
  }
  if (operand.kind !== "call") return cursor.fail();
  // A function standing as a condition; its parentheses belong to the condition.
  const call: RawCall = { ...operand, parens: 0 };
  return { kind: "function", call, parens: operand.parens };
}
