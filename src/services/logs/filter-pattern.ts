/**
 * CloudWatch Logs filter patterns ("Filter pattern syntax for metric filters, subscription filters,
 * and filter log events", CloudWatch Logs User Guide), compiled once per request to a predicate over
 * an event's message.
 *
 * Supported:
 * - the empty pattern (every event);
 * - terms: `ERROR`, `"quoted phrase"`; every plain term must occur (case-sensitive substring);
 *   `-term` must not occur; `?a ?b` matches when any of the `?` terms occurs;
 * - JSON patterns over messages that are JSON objects: `{ $.level = "ERROR" }`, `{ $.a.b[0] != 5 }`,
 *   the comparisons = != < > <= >= on numbers, = and != on strings (`*` is a wildcard in strings),
 *   `&&`, `||` and parentheses.
 *
 * ## Gaps
 * - Space-delimited patterns (`[ip, user, ...]`), regular expressions (`%...%`), `IS NULL`/`EXISTS`/
 *   `IS TRUE` and array-wide selectors (`$.a[*]`) answer InvalidParameterException.
 */
import { invalidFilterPattern } from "./errors.ts";

export type EventMatcher = (message: string) => boolean;

export function compileFilterPattern(pattern: string | undefined): EventMatcher {
  const text = (pattern ?? "").trim();
  if (text === "") return () => true;
  if (text.startsWith("{")) return compileJsonPattern(text, pattern ?? "");
  if (text.startsWith("[") || text.startsWith("%")) throw invalidFilterPattern(pattern ?? "");
  return compileTerms(text, pattern ?? "");
}

function compileTerms(text: string, pattern: string): EventMatcher {
  const required: string[] = [];
  const excluded: string[] = [];
  const optional: string[] = [];
  const term = /([?-]?)(?:"((?:[^"\\]|\\.)*)"|(\S+))/gy;
  let at = 0;
  while (at < text.length) {
    if (/\s/.test(text[at] as string)) {
      at++;
      continue;
    }
    term.lastIndex = at;
    const match = term.exec(text);
    if (!match) throw invalidFilterPattern(pattern);
    at = term.lastIndex;
    const value = match[2] !== undefined ? match[2].replace(/\\(.)/g, "$1") : (match[3] as string);
    if (value === "") continue;
    if (match[1] === "?") optional.push(value);
    else if (match[1] === "-") excluded.push(value);
    else required.push(value);
  }
  return (message) =>
    required.every((t) => message.includes(t)) &&
    !excluded.some((t) => message.includes(t)) &&
    (optional.length === 0 || optional.some((t) => message.includes(t)));
}

// JSON patterns

type Json = unknown;
type Condition = (doc: Json) => boolean;
type Token = { kind: "sel" | "op" | "str" | "num" | "word" | "(" | ")" | "&&" | "||"; text: string };

const TOKEN =
  /\s*(?:(\$(?:\.[A-Za-z0-9_@-]+|\[\d+\])*)|(!=|<=|>=|=|<|>)|"((?:[^"\\]|\\.)*)"|(-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)(?![\w*])|(&&|\|\|)|([()])|([^\s()&|=!<>"]+))/y;

function tokenize(body: string, pattern: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  while (at < body.length) {
    if (/\s/.test(body[at] as string)) {
      at++;
      continue;
    }
    TOKEN.lastIndex = at;
    const m = TOKEN.exec(body);
    if (!m) throw invalidFilterPattern(pattern);
    at = TOKEN.lastIndex;
    if (m[1] !== undefined) tokens.push({ kind: "sel", text: m[1] });
    else if (m[2] !== undefined) tokens.push({ kind: "op", text: m[2] });
    else if (m[3] !== undefined) tokens.push({ kind: "str", text: m[3].replace(/\\(.)/g, "$1") });
    else if (m[4] !== undefined) tokens.push({ kind: "num", text: m[4] });
    else if (m[5] !== undefined) tokens.push({ kind: m[5] as "&&" | "||", text: m[5] });
    else if (m[6] !== undefined) tokens.push({ kind: m[6] as "(" | ")", text: m[6] });
    else tokens.push({ kind: "word", text: m[7] as string });
  }
  return tokens;
}

function compileJsonPattern(text: string, pattern: string): EventMatcher {
  if (!text.endsWith("}")) throw invalidFilterPattern(pattern);
  const tokens = tokenize(text.slice(1, -1), pattern);
  let i = 0;
  const fail = (): never => {
    throw invalidFilterPattern(pattern);
  };
  const parseOr = (): Condition => {
    let left = parseAnd();
    while (tokens[i]?.kind === "||") {
      i++;
      const l = left;
      const r = parseAnd();
      left = (doc) => l(doc) || r(doc);
    }
    return left;
  };
  const parseAnd = (): Condition => {
    let left = parseAtom();
    while (tokens[i]?.kind === "&&") {
      i++;
      const l = left;
      const r = parseAtom();
      left = (doc) => l(doc) && r(doc);
    }
    return left;
  };
  const parseAtom = (): Condition => {
    const token = tokens[i++] ?? fail();
    if (token.kind === "(") {
      const inner = parseOr();
      if (tokens[i++]?.kind !== ")") fail();
      return inner;
    }
    if (token.kind !== "sel") return fail();
    const path = parseSelector(token.text);
    const op = tokens[i++] ?? fail();
    const value = tokens[i++] ?? fail();
    if (op.kind !== "op" || !["str", "num", "word"].includes(value.kind)) fail();
    return comparison(path, op.text, value, fail);
  };
  const condition = parseOr();
  if (i !== tokens.length) fail();
  return (message) => {
    let doc: Json;
    try {
      doc = JSON.parse(message);
    } catch {
      return false;
    }
    return typeof doc === "object" && doc !== null && condition(doc);
  };
}

function parseSelector(selector: string): (string | number)[] {
  const path: (string | number)[] = [];
  for (const m of selector.slice(1).matchAll(/\.([^.[]+)|\[(\d+)\]/g)) {
    path.push(m[1] !== undefined ? m[1] : Number(m[2]));
  }
  return path;
}

function select(doc: Json, path: readonly (string | number)[]): Json {
  let value = doc;
  for (const step of path) {
    if (typeof value !== "object" || value === null) return undefined;
    value = (value as Record<string | number, Json>)[step];
  }
  return value;
}

function comparison(path: (string | number)[], op: string, value: Token, fail: () => never): Condition {
  if (value.kind === "num") {
    const expected = Number(value.text);
    const compare: Record<string, (a: number) => boolean> = {
      "=": (a) => a === expected,
      "!=": (a) => a !== expected,
      "<": (a) => a < expected,
      ">": (a) => a > expected,
      "<=": (a) => a <= expected,
      ">=": (a) => a >= expected,
    };
    const test = compare[op] ?? fail();
    return (doc) => {
      const actual = select(doc, path);
      return typeof actual === "number" && test(actual);
    };
  }
  if (op !== "=" && op !== "!=") fail();
  const wildcard = new RegExp(
    `^${value.text
      .split("*")
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
      .join(".*")}$`,
    "s",
  );
  return (doc) => {
    const actual = select(doc, path);
    if (typeof actual !== "string" && typeof actual !== "number" && typeof actual !== "boolean") {
      return false;
    }
    const matches = wildcard.test(String(actual));
    return op === "=" ? matches : !matches;
  };
}
