/**
 * A recursive-descent parser for the PartiQL subset DynamoDB runs (developer guide, "PartiQL statements
 * for DynamoDB"): SELECT (projection, FROM table[.index], WHERE, ORDER BY), INSERT INTO t VALUE {...},
 * UPDATE t SET/REMOVE ... WHERE ... [RETURNING], DELETE FROM t WHERE ... [RETURNING], and EXISTS(SELECT
 * ...) for write transactions. It knows no tables: checks against a schema belong to the planners.
 *
 * Precedence, loosest first: OR, AND, NOT, predicates (comparisons, [NOT] BETWEEN, [NOT] IN, IS [NOT]),
 * + and -, unary minus, primaries. Keywords are case-insensitive; an unquoted keyword where a name is
 * expected is "Unexpected keyword" ("pad" and the other SQL words DynamoDB reserves are not listed:
 * see the gaps in index.ts).
 */
import { statementNotWellFormed, validationError } from "../../errors.ts";
import type {
  Assignment,
  BinaryOperator,
  Expr,
  OrderTerm,
  ParsedStatement,
  PathStep,
  Returning,
  SelectStatement,
  Source,
  Statement,
} from "./syntax.ts";
import { partiqlTexts } from "./texts.ts";
import { type Token, tokenize } from "./tokenizer.ts";

const KEYWORDS = new Set([
  "SELECT",
  "FROM",
  "WHERE",
  "INSERT",
  "INTO",
  "VALUE",
  "VALUES",
  "UPDATE",
  "SET",
  "REMOVE",
  "DELETE",
  "AND",
  "OR",
  "NOT",
  "IN",
  "IS",
  "BETWEEN",
  "MISSING",
  "NULL",
  "TRUE",
  "FALSE",
  "ORDER",
  "BY",
  "ASC",
  "DESC",
  "RETURNING",
  "EXISTS",
  "LIMIT",
  "AS",
]);

const COMPARATORS: Readonly<Record<string, BinaryOperator>> = {
  "=": "=",
  "<>": "<>",
  "!=": "<>",
  "<": "<",
  "<=": "<=",
  ">": ">",
  ">=": ">=",
};

const DML = new Set(["SELECT", "INSERT", "UPDATE", "DELETE", "EXISTS"]);

export function parseStatement(source: string): ParsedStatement {
  return new Parser(tokenize(source)).statement();
}

class Parser {
  #position = 0;
  #parameters = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  statement(): ParsedStatement {
    const first = this.#peek();
    if (first.kind !== "word" || !DML.has(first.text.toUpperCase()))
      throw statementNotWellFormed(partiqlTexts.expectedDml);
    let statement: Statement;
    switch (first.text.toUpperCase()) {
      case "SELECT":
        statement = this.#select();
        break;
      case "INSERT":
        statement = this.#insert();
        break;
      case "UPDATE":
        statement = this.#update();
        break;
      case "DELETE":
        statement = this.#delete();
        break;
      default:
        this.#next();
        this.#expectPunct("(");
        statement = { kind: "exists", select: this.#select() };
        this.#expectPunct(")");
    }
    this.#acceptPunct(";");
    const rest = this.#peek();
    if (rest.kind !== "eof") {
      if (this.#isKeyword(rest, "LIMIT")) throw validationError(partiqlTexts.unsupportedClause("LIMIT"));
      throw statementNotWellFormed(partiqlTexts.trailingTokens);
    }
    return { statement, parameterCount: this.#parameters };
  }

  // ---- statements --------------------------------------------------------------------------------

  #select(): SelectStatement {
    this.#expectKeyword("SELECT");
    let projection: Extract<Expr, { kind: "path" }>[] | undefined;
    if (this.#acceptPunct("*")) {
      if (this.#isPunct(this.#peek(), ",")) throw validationError(partiqlTexts.starAndOthers);
    } else {
      projection = [];
      do {
        if (this.#isPunct(this.#peek(), "*")) throw validationError(partiqlTexts.starAndOthers);
        const item = this.#unary();
        if (item.kind !== "path") throw statementNotWellFormed(partiqlTexts.unexpectedToken);
        if (this.#isKeyword(this.#peek(), "AS")) throw validationError(partiqlTexts.aliasing);
        projection.push(item);
      } while (this.#acceptPunct(","));
    }
    this.#expectKeyword("FROM");
    const source = this.#source();
    const where = this.#acceptKeyword("WHERE") ? this.#or() : undefined;
    const orderBy: OrderTerm[] = [];
    if (this.#acceptKeyword("ORDER")) {
      this.#expectKeyword("BY");
      do {
        const name = this.#name();
        const descending = this.#acceptKeyword("DESC");
        if (!descending) this.#acceptKeyword("ASC");
        orderBy.push({ name, descending });
      } while (this.#acceptPunct(","));
    }
    return {
      kind: "select",
      source,
      ...(projection ? { projection } : {}),
      ...(where ? { where } : {}),
      orderBy,
    };
  }

  #insert(): Statement {
    this.#expectKeyword("INSERT");
    this.#expectKeyword("INTO");
    const source = this.#source();
    this.#expectKeyword("VALUE");
    const value = this.#additive();
    const returning = this.#returning();
    return { kind: "insert", source, value, ...(returning ? { returning } : {}) };
  }

  #update(): Statement {
    this.#expectKeyword("UPDATE");
    const source = this.#source();
    const assignments: Assignment[] = [];
    for (;;) {
      if (this.#acceptKeyword("SET")) {
        do {
          const target = this.#path();
          this.#expectPunct("=");
          assignments.push({ kind: "set", target, value: this.#additive() });
        } while (this.#acceptPunct(","));
      } else if (this.#acceptKeyword("REMOVE")) {
        do assignments.push({ kind: "remove", target: this.#path() });
        while (this.#acceptPunct(","));
      } else {
        break;
      }
    }
    if (assignments.length === 0) throw this.#unexpected(this.#peek());
    const where = this.#acceptKeyword("WHERE") ? this.#or() : undefined;
    const returning = this.#returning();
    return {
      kind: "update",
      source,
      assignments,
      ...(where ? { where } : {}),
      ...(returning ? { returning } : {}),
    };
  }

  #delete(): Statement {
    this.#expectKeyword("DELETE");
    this.#expectKeyword("FROM");
    const source = this.#source();
    const where = this.#acceptKeyword("WHERE") ? this.#or() : undefined;
    const returning = this.#returning();
    return { kind: "delete", source, ...(where ? { where } : {}), ...(returning ? { returning } : {}) };
  }

  #returning(): Returning | undefined {
    if (!this.#acceptKeyword("RETURNING")) return undefined;
    const scope = this.#next();
    const age = this.#next();
    const scopeText = scope.kind === "word" ? scope.text.toUpperCase() : "";
    const ageText = age.kind === "word" ? age.text.toUpperCase() : "";
    if (!["ALL", "MODIFIED"].includes(scopeText) || !["OLD", "NEW"].includes(ageText))
      throw statementNotWellFormed(partiqlTexts.unexpectedToken);
    this.#expectPunct("*");
    return `${scopeText} ${ageText}` as Returning;
  }

  /** FROM "table" or "table"."index": at most two components, none empty. */
  #source(): Source {
    const components: string[] = [this.#name()];
    while (this.#acceptPunct(".")) components.push(this.#name());
    if (components.some((component) => component === ""))
      throw validationError(partiqlTexts.emptyPathComponent);
    if (components.length > 2) throw validationError(partiqlTexts.fromPathTooLong);
    const [table, index] = components as [string, string | undefined];
    return index === undefined ? { table } : { table, index };
  }

  /** A name: a quoted identifier or an unquoted word that is not a keyword. */
  #name(): string {
    const token = this.#next();
    if (token.kind === "quoted") return token.text;
    if (token.kind === "word" && !KEYWORDS.has(token.text.toUpperCase())) return token.text;
    throw this.#unexpected(token);
  }

  // ---- expressions -------------------------------------------------------------------------------

  #or(): Expr {
    let left = this.#and();
    for (let token = this.#peek(); this.#acceptKeyword("OR"); token = this.#peek())
      left = { kind: "binary", op: "or", left, right: this.#and(), at: token };
    return left;
  }

  #and(): Expr {
    let left = this.#not();
    for (let token = this.#peek(); this.#acceptKeyword("AND"); token = this.#peek())
      left = { kind: "binary", op: "and", left, right: this.#not(), at: token };
    return left;
  }

  #not(): Expr {
    const token = this.#peek();
    if (this.#acceptKeyword("NOT")) return { kind: "not", operand: this.#not(), at: token };
    return this.#predicate();
  }

  #predicate(): Expr {
    let left = this.#additive();
    for (;;) {
      const token = this.#peek();
      const comparator = token.kind === "punct" ? COMPARATORS[token.text] : undefined;
      if (comparator) {
        this.#next();
        left = { kind: "binary", op: comparator, left, right: this.#additive(), at: token };
        continue;
      }
      const negated = this.#isKeyword(token, "NOT") && this.#isPredicateKeyword(this.#peek(1));
      if (negated) this.#next();
      if (this.#acceptKeyword("BETWEEN")) {
        const low = this.#additive();
        this.#expectKeyword("AND");
        left = { kind: "between", operand: left, low, high: this.#additive(), negated, at: token };
        continue;
      }
      if (this.#acceptKeyword("IN")) {
        left = { kind: "in", operand: left, list: this.#inList(), negated, at: token };
        continue;
      }
      if (this.#acceptKeyword("IS")) {
        const not = this.#acceptKeyword("NOT");
        const type = this.#next();
        if (type.kind !== "word") throw this.#unexpected(type);
        left = { kind: "is", operand: left, type: type.text.toUpperCase(), negated: not, at: token };
        continue;
      }
      return left;
    }
  }

  #isPredicateKeyword(token: Token): boolean {
    return this.#isKeyword(token, "BETWEEN") || this.#isKeyword(token, "IN");
  }

  #inList(): Expr[] {
    const open = this.#next();
    const close = open.text === "[" ? "]" : open.text === "(" ? ")" : undefined;
    if (open.kind !== "punct" || close === undefined) throw this.#unexpected(open);
    const items: Expr[] = [];
    if (!this.#acceptPunct(close)) {
      do items.push(this.#additive());
      while (this.#acceptPunct(","));
      this.#expectPunct(close);
    }
    return items;
  }

  #additive(): Expr {
    let left = this.#unary();
    for (;;) {
      const token = this.#peek();
      if (this.#acceptPunct("+")) left = { kind: "binary", op: "+", left, right: this.#unary(), at: token };
      else if (this.#acceptPunct("-"))
        left = { kind: "binary", op: "-", left, right: this.#unary(), at: token };
      else return left;
    }
  }

  #unary(): Expr {
    const token = this.#peek();
    if (this.#acceptPunct("-")) return { kind: "negate", operand: this.#unary(), at: token };
    if (this.#acceptPunct("+")) return this.#unary();
    return this.#primary();
  }

  #primary(): Expr {
    const token = this.#next();
    switch (token.kind) {
      case "string":
        return { kind: "string", text: token.text, at: token };
      case "number":
        return { kind: "number", text: token.text, at: token };
      case "param":
        return { kind: "param", index: this.#parameters++, at: token };
      case "quoted":
        return this.#pathFrom(token.text, token);
      case "word":
        return this.#wordPrimary(token);
      case "punct":
        return this.#punctPrimary(token);
      default:
        throw statementNotWellFormed(partiqlTexts.expectedExpression);
    }
  }

  #wordPrimary(token: Token): Expr {
    const upper = token.text.toUpperCase();
    if (upper === "TRUE" || upper === "FALSE") return { kind: "boolean", value: upper === "TRUE", at: token };
    if (upper === "NULL") return { kind: "null", at: token };
    if (upper === "MISSING") return { kind: "missing", at: token };
    if (this.#isPunct(this.#peek(), "(") && !KEYWORDS.has(upper)) {
      this.#next();
      const args: Expr[] = [];
      if (!this.#acceptPunct(")")) {
        do args.push(this.#or());
        while (this.#acceptPunct(","));
        this.#expectPunct(")");
      }
      return { kind: "call", name: token.text.toLowerCase(), args, at: token };
    }
    if (KEYWORDS.has(upper)) throw statementNotWellFormed(partiqlTexts.unexpectedKeyword);
    return this.#pathFrom(token.text, token);
  }

  #punctPrimary(token: Token): Expr {
    switch (token.text) {
      case "(": {
        const inner = this.#or();
        this.#expectPunct(")");
        return inner;
      }
      case "[":
        return { kind: "list", items: this.#items("]"), at: token };
      case "<<":
        return { kind: "bag", items: this.#items(">>"), at: token };
      case "{": {
        const fields: { key: Expr; value: Expr }[] = [];
        if (!this.#acceptPunct("}")) {
          do {
            const key = this.#additive();
            this.#expectPunct(":");
            fields.push({ key, value: this.#additive() });
          } while (this.#acceptPunct(","));
          this.#expectPunct("}");
        }
        return { kind: "struct", fields, at: token };
      }
      default:
        throw statementNotWellFormed(partiqlTexts.unexpectedToken);
    }
  }

  #items(close: string): Expr[] {
    const items: Expr[] = [];
    if (this.#acceptPunct(close)) return items;
    do items.push(this.#additive());
    while (this.#acceptPunct(","));
    this.#expectPunct(close);
    return items;
  }

  #path(): Extract<Expr, { kind: "path" }> {
    const token = this.#next();
    if (token.kind === "quoted") return this.#pathFrom(token.text, token);
    if (token.kind === "word" && !KEYWORDS.has(token.text.toUpperCase()))
      return this.#pathFrom(token.text, token);
    throw this.#unexpected(token);
  }

  /** The rest of a document path after its first name: `.name`, `."name"`, `[n]`, `['key']`. */
  #pathFrom(first: string, at: Token): Extract<Expr, { kind: "path" }> {
    const steps: PathStep[] = [{ name: first }];
    for (;;) {
      if (this.#isPunct(this.#peek(), ".") && this.#peek(1).kind !== "punct") {
        this.#next();
        const token = this.#next();
        if (token.kind !== "word" && token.kind !== "quoted") throw this.#unexpected(token);
        steps.push({ name: token.text });
      } else if (this.#acceptPunct("[")) {
        const negative = this.#acceptPunct("-");
        const token = this.#next();
        if (token.kind === "string" && !negative) steps.push({ name: token.text });
        else if (token.kind === "number")
          steps.push({ index: (negative ? "-" : "") + token.text, at: token });
        else throw this.#unexpected(token);
        this.#expectPunct("]");
      } else {
        return { kind: "path", steps, at };
      }
    }
  }

  // ---- tokens ------------------------------------------------------------------------------------

  #peek(ahead = 0): Token {
    return this.tokens[Math.min(this.#position + ahead, this.tokens.length - 1)] as Token;
  }

  #next(): Token {
    const token = this.#peek();
    if (token.kind !== "eof") this.#position++;
    return token;
  }

  #isKeyword(token: Token, keyword: string): boolean {
    return token.kind === "word" && token.text.toUpperCase() === keyword;
  }

  #isPunct(token: Token, text: string): boolean {
    return token.kind === "punct" && token.text === text;
  }

  #acceptKeyword(keyword: string): boolean {
    if (!this.#isKeyword(this.#peek(), keyword)) return false;
    this.#next();
    return true;
  }

  #acceptPunct(text: string): boolean {
    if (!this.#isPunct(this.#peek(), text)) return false;
    this.#next();
    return true;
  }

  #expectKeyword(keyword: string): void {
    if (!this.#acceptKeyword(keyword)) throw this.#unexpected(this.#peek());
  }

  #expectPunct(text: string): void {
    if (!this.#acceptPunct(text)) throw this.#unexpected(this.#peek());
  }

  #unexpected(token: Token): Error {
    if (token.kind === "eof") return statementNotWellFormed(partiqlTexts.unexpectedToken);
    if (token.kind === "word" && KEYWORDS.has(token.text.toUpperCase()))
      return statementNotWellFormed(partiqlTexts.unexpectedKeyword);
    return statementNotWellFormed(partiqlTexts.unexpectedToken);
  }
}
