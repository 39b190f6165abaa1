/**
 * The syntax tree straight out of the parsers (names and values not yet substituted) and the token
 * cursor the recursive-descent parsers share.
 *
 * Syntax errors quote DynamoDB's shape: `Syntax error; token: "<t>", near: "<source>"`, where the
 * source runs from the token before the offending one to the token after it (both when present),
 * whitespace included; at the end of input the token is <EOF>. Worked out from errors quoted from
 * DynamoDB: `token: ":", near: "hits : incr"` (aws-cdk#7591), `token: "INVALID", near: "INVALID
 * SYNTAX"` (conformance), `token: "<EOF>", near: ","` for "a," and `near: "numx"` for "ADD numx".
 * When alternatives are tried, the failure furthest into the input is the one reported.
 */
import { ExpressionError, expressionTexts } from "./errors.ts";
import type { Token } from "./tokenizer.ts";
import { tokenize } from "./tokenizer.ts";

export type Comparator = "=" | "<>" | "<" | "<=" | ">" | ">=";
export const COMPARATORS: readonly string[] = ["=", "<>", "<", "<=", ">", ">="];

export type RawPathPart =
  | { readonly kind: "id"; readonly name: string }
  | { readonly kind: "name"; readonly name: string }
  | { readonly kind: "index"; readonly index: number };

/** `parens` counts the parentheses directly around a node: two or more is "redundant". */
export interface RawPath {
  readonly kind: "path";
  readonly parts: readonly RawPathPart[];
  readonly parens: number;
}
export interface RawValue {
  readonly kind: "value";
  readonly name: string;
  readonly parens: number;
}
export interface RawCall {
  readonly kind: "call";
  readonly name: string;
  readonly args: readonly RawOperand[];
  readonly parens: number;
}
/** `a + b` / `a - b`, update expressions only. */
export interface RawArith {
  readonly kind: "arith";
  readonly op: "+" | "-";
  readonly left: RawOperand;
  readonly right: RawOperand;
  readonly parens: number;
}
export type RawOperand = RawPath | RawValue | RawCall | RawArith;

export type RawCondition = (
  | {
      readonly kind: "compare";
      readonly op: Comparator;
      readonly left: RawOperand;
      readonly right: RawOperand;
    }
  | {
      readonly kind: "between";
      readonly operand: RawOperand;
      readonly low: RawOperand;
      readonly high: RawOperand;
    }
  | { readonly kind: "in"; readonly operand: RawOperand; readonly list: readonly RawOperand[] }
  | { readonly kind: "function"; readonly call: RawCall }
  | { readonly kind: "and" | "or"; readonly left: RawCondition; readonly right: RawCondition }
  | { readonly kind: "not"; readonly condition: RawCondition }
) & { readonly parens: number };

export type RawAction =
  | { readonly kind: "set"; readonly path: RawPath; readonly value: RawOperand }
  | { readonly kind: "remove"; readonly path: RawPath }
  | { readonly kind: "add" | "delete"; readonly path: RawPath; readonly value: RawValue };

export type Clause = "SET" | "REMOVE" | "ADD" | "DELETE";
export interface RawClause {
  readonly keyword: Clause;
  readonly actions: readonly RawAction[];
}

/** Thrown by the cursor; carries the index of the offending token. */
class SyntaxFailure extends Error {
  constructor(readonly at: number) {
    super("syntax");
  }
}

export class Cursor {
  private readonly tokens: Token[];
  private position = 0;
  private furthest = 0;

  constructor(private readonly source: string) {
    this.tokens = tokenize(source);
  }

  peek(offset = 0): Token {
    return this.tokens[Math.min(this.position + offset, this.tokens.length - 1)] as Token;
  }

  next(): Token {
    const token = this.peek();
    if (token.kind !== "eof") this.position++;
    return token;
  }

  /** Consumes the token if it is this punctuation/operator/keyword (keywords in any case). */
  accept(text: string): Token | undefined {
    const token = this.peek();
    if (
      token.kind === "punct" || token.kind === "op"
        ? token.text === text
        : token.kind === "keyword" && token.upper === text
    ) {
      return this.next();
    }
    return undefined;
  }

  expect(text: string): Token {
    return this.accept(text) ?? this.fail();
  }

  isAt(text: string, offset = 0): boolean {
    const token = this.peek(offset);
    return token.kind === "keyword"
      ? token.upper === text
      : (token.kind === "punct" || token.kind === "op") && token.text === text;
  }

  atEnd(): boolean {
    return this.peek().kind === "eof";
  }

  /** Fails at the current token. */
  fail(): never {
    this.furthest = Math.max(this.furthest, this.position);
    throw new SyntaxFailure(this.position);
  }

  /** Runs one alternative; on a syntax failure rewinds and returns undefined. */
  attempt<T>(parse: () => T): T | undefined {
    const saved = this.position;
    try {
      return parse();
    } catch (error) {
      if (!(error instanceof SyntaxFailure)) throw error;
      this.position = saved;
      return undefined;
    }
  }

  /** Runs a whole parse; turns a syntax failure into DynamoDB's message. */
  run<T>(parse: () => T): T {
    try {
      const result = parse();
      if (!this.atEnd()) this.fail();
      return result;
    } catch (error) {
      if (!(error instanceof SyntaxFailure)) throw error;
      throw new ExpressionError(this.describe(Math.max(this.furthest, error.at)));
    }
  }

  private describe(at: number): string {
    const token = this.tokens[at] as Token;
    const before = at > 0 ? this.tokens[at - 1] : undefined;
    const after = this.tokens[at + 1];
    const from = before?.start ?? token.start;
    const to =
      after && after.kind !== "eof" ? after.end : token.kind === "eof" ? this.source.length : token.end;
    return expressionTexts.syntax(token.text, this.source.slice(from, to));
  }
}

/** A copy with one more pair of parentheses (nodes stay immutable so alternatives can share them). */
export function withParens<T extends { parens: number }>(node: T): T {
  return { ...node, parens: node.parens + 1 };
}

/** path := id ('.' id | '[' index ']')*, id := identifier | #name. */
export function parsePath(cursor: Cursor): RawPath {
  return continuePath(cursor, [parsePathName(cursor)], 0);
}

function continuePath(cursor: Cursor, parts: RawPathPart[], parens: number): RawPath {
  for (;;) {
    if (cursor.accept(".")) {
      parts.push(parsePathName(cursor));
    } else if (cursor.isAt("[")) {
      cursor.next();
      const token = cursor.peek();
      if (token.kind !== "index") cursor.fail();
      cursor.next();
      cursor.expect("]");
      parts.push({ kind: "index", index: Number(token.text) });
    } else {
      return { kind: "path", parts, parens };
    }
  }
}

function parsePathName(cursor: Cursor): RawPathPart {
  const token = cursor.peek();
  if (token.kind === "id") {
    cursor.next();
    return { kind: "id", name: token.text };
  }
  if (token.kind === "name") {
    cursor.next();
    return { kind: "name", name: token.text };
  }
  return cursor.fail();
}

export interface OperandSyntax {
  /** What may sit inside parentheses (update expressions allow arithmetic there). */
  readonly inner?: (cursor: Cursor) => RawOperand;
  /**
   * Condition expressions let a parenthesised path go on: "(b.c).d" is b.c.d, and "((b.c)).d" is
   * redundant (dynalite's grammar and recorded test/scan.js); update expressions do not.
   */
  readonly groupedPaths?: boolean;
}

/** operand := path | :value | function '(' operand (',' operand)* ')' | '(' operand ')'. */
export function parseOperand(cursor: Cursor, syntax: OperandSyntax = {}): RawOperand {
  const token = cursor.peek();
  if (cursor.accept("(")) {
    const operand = (syntax.inner ?? ((c: Cursor) => parseOperand(c, syntax)))(cursor);
    cursor.expect(")");
    if (syntax.groupedPaths && operand.kind === "path" && (cursor.isAt(".") || cursor.isAt("["))) {
      // Only a doubled pair stays visible as redundant once the path goes on.
      return continuePath(cursor, [...operand.parts], operand.parens > 0 ? operand.parens + 1 : 0);
    }
    return withParens(operand);
  }
  if (token.kind === "value") {
    cursor.next();
    return { kind: "value", name: token.text, parens: 0 };
  }
  if (token.kind === "id" && cursor.isAt("(", 1)) {
    cursor.next();
    cursor.next();
    const argument = () => parseOperand(cursor, { groupedPaths: syntax.groupedPaths === true });
    const args = [argument()];
    while (cursor.accept(",")) args.push(argument());
    cursor.expect(")");
    return { kind: "call", name: token.text, args, parens: 0 };
  }
  return parsePath(cursor);
}
