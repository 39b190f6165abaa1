/**
 * The PartiQL lexer for DynamoDB statements: words (keywords and plain identifiers, case-insensitive
 * keywords), "quoted identifiers", 'strings' ('' is a quote), numbers, `?` parameters and punctuation.
 * Line comments (`--`) and block comments (`/* *\/`) are skipped, as DynamoDB does (floci capture
 * 2026-09-17: `SELECT/**\/* FROM t -- the table`). Every token keeps its line, column (1-based) and
 * length in the source, which some of DynamoDB's messages quote (" at 1:11:1").
 *
 * A lexical error (unterminated string, identifier or comment, an unknown character) answers the
 * "not well formed" envelope with an empty detail ([conformance]: asserted on the envelope only).
 */
import { statementNotWellFormed } from "../../errors.ts";
import type { SourcePosition } from "./texts.ts";

export type TokenKind = "word" | "quoted" | "string" | "number" | "param" | "punct" | "eof";

export interface Token extends SourcePosition {
  readonly kind: TokenKind;
  /** Words as written; quoted identifiers and strings unescaped; punctuation as is. */
  readonly text: string;
}

const PUNCTUATION = [
  "<<",
  ">>",
  "<>",
  "!=",
  "<=",
  ">=",
  "(",
  ")",
  "[",
  "]",
  "{",
  "}",
  ",",
  ".",
  ":",
  ";",
  "*",
  "+",
  "-",
  "=",
  "<",
  ">",
];

const isWordStart = (c: string) => /[A-Za-z_]/.test(c);
const isWordPart = (c: string) => /[A-Za-z0-9_$]/.test(c);
const isDigit = (c: string) => c >= "0" && c <= "9";

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const fail = () => statementNotWellFormed("");
  const push = (kind: TokenKind, text: string, start: number, startLine: number, startColumn: number) =>
    tokens.push({ kind, text, line: startLine, column: startColumn, length: i - start });
  /** Advances over one character, keeping line numbers. */
  const step = () => {
    if (source[i] === "\n") {
      line++;
      lineStart = i + 1;
    }
    i++;
  };
  while (i < source.length) {
    const c = source[i] as string;
    const start = i;
    const startLine = line;
    const startColumn = i - lineStart + 1;
    if (/\s/.test(c)) {
      step();
      continue;
    }
    if (source.startsWith("--", i)) {
      while (i < source.length && source[i] !== "\n") i++;
      continue;
    }
    if (source.startsWith("/*", i)) {
      const end = source.indexOf("*/", i + 2);
      if (end < 0) throw fail();
      while (i < end + 2) step();
      continue;
    }
    if (c === "'" || c === '"') {
      let text = "";
      step();
      for (;;) {
        if (i >= source.length) throw fail();
        if (source[i] === c) {
          if (source[i + 1] === c) {
            text += c;
            i += 2;
            continue;
          }
          i++;
          break;
        }
        text += source[i];
        step();
      }
      push(c === "'" ? "string" : "quoted", text, start, startLine, startColumn);
      continue;
    }
    if (isDigit(c) || (c === "." && isDigit(source[i + 1] ?? ""))) {
      while (isDigit(source[i] ?? "")) i++;
      if (source[i] === "." && isDigit(source[i + 1] ?? "")) {
        i++;
        while (isDigit(source[i] ?? "")) i++;
      } else if (source[i] === ".") {
        i++;
      }
      if (/[eE]/.test(source[i] ?? "")) {
        let j = i + 1;
        if (source[j] === "+" || source[j] === "-") j++;
        if (isDigit(source[j] ?? "")) {
          while (isDigit(source[j] ?? "")) j++;
          i = j;
        }
      }
      push("number", source.slice(start, i), start, startLine, startColumn);
      continue;
    }
    if (isWordStart(c)) {
      while (i < source.length && isWordPart(source[i] as string)) i++;
      push("word", source.slice(start, i), start, startLine, startColumn);
      continue;
    }
    if (c === "?") {
      i++;
      push("param", "?", start, startLine, startColumn);
      continue;
    }
    const punctuation = PUNCTUATION.find((p) => source.startsWith(p, i));
    if (punctuation === undefined) throw fail();
    i += punctuation.length;
    push("punct", punctuation, start, startLine, startColumn);
  }
  tokens.push({ kind: "eof", text: "", line, column: i - lineStart + 1, length: 0 });
  return tokens;
}
