/**
 * The lexer of DynamoDB expressions, after AWS's own grammar (the "Tokens" lexer shipped with the
 * DAX client, Apache-2.0, read for its rules only):
 *
 * - whitespace is [ \t\n\r]+ and separates tokens;
 * - keywords IN BETWEEN NOT AND OR SET ADD DELETE REMOVE are matched in any case, everywhere, so
 *   a bare attribute called "set" is a syntax error, while "settings" is an identifier;
 * - identifiers are [a-zA-Z][a-zA-Z0-9_]*, #names and :values are # or : then [a-zA-Z0-9_]+;
 * - list indexes are 0 or [1-9][0-9]* ("01" lexes as 0 then 1);
 * - quoted strings are tokens of their own that no rule accepts (so they are syntax errors);
 * - anything else is a one-character UNKNOWN token (also a syntax error wherever it appears).
 *
 * Tokens keep their source offsets: syntax errors quote the source "near" them.
 */
export type TokenKind =
  | "id"
  | "keyword"
  | "name"
  | "value"
  | "index"
  | "op"
  | "punct"
  | "string"
  | "unknown"
  | "eof";

export interface Token {
  readonly kind: TokenKind;
  /** Source text; keywords keep their spelling, `upper` is for matching. */
  readonly text: string;
  readonly upper: string;
  readonly start: number;
  readonly end: number;
}

const KEYWORDS = new Set(["IN", "BETWEEN", "NOT", "AND", "OR", "SET", "ADD", "DELETE", "REMOVE"]);
const WHITESPACE = /[ \t\n\r]+/y;
const IDENTIFIER = /[a-zA-Z][a-zA-Z0-9_]*/y;
const SUBSTITUTION = /[#:][a-zA-Z0-9_]+/y;
const INDEX = /0|[1-9][0-9]*/y;
const STRING = /"(?:\\"|[^"])*?"|'(?:\\'|[^'])*?'/y;
const OPERATORS = ["<>", "<=", ">=", "=", "<", ">", "+", "-"];
const PUNCTUATION = "()[],.";

function match(pattern: RegExp, source: string, at: number): string | undefined {
  pattern.lastIndex = at;
  return pattern.exec(source)?.[0];
}

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  const push = (kind: TokenKind, text: string) => {
    tokens.push({ kind, text, upper: text.toUpperCase(), start: at, end: at + text.length });
    at += text.length;
  };
  while (at < source.length) {
    const space = match(WHITESPACE, source, at);
    if (space) {
      at += space.length;
      continue;
    }
    const identifier = match(IDENTIFIER, source, at);
    if (identifier) {
      push(KEYWORDS.has(identifier.toUpperCase()) ? "keyword" : "id", identifier);
      continue;
    }
    const substitution = match(SUBSTITUTION, source, at);
    if (substitution) {
      push(substitution.startsWith("#") ? "name" : "value", substitution);
      continue;
    }
    const index = match(INDEX, source, at);
    if (index) {
      push("index", index);
      continue;
    }
    const operator = OPERATORS.find((op) => source.startsWith(op, at));
    if (operator) {
      push("op", operator);
      continue;
    }
    const char = String.fromCodePoint(source.codePointAt(at) ?? 0);
    if (PUNCTUATION.includes(char)) {
      push("punct", char);
      continue;
    }
    const quoted = char === '"' || char === "'" ? match(STRING, source, at) : undefined;
    push(quoted ? "string" : "unknown", quoted ?? char);
  }
  tokens.push({ kind: "eof", text: "<EOF>", upper: "<EOF>", start: source.length, end: source.length });
  return tokens;
}
