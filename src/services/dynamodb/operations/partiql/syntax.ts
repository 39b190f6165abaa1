/**
 * The parsed form of a PartiQL statement, before it meets a table: what parser.ts produces and the
 * planners (select.ts, writes.ts) translate into the expression ASTs of ../../expressions.
 */
import type { SourcePosition } from "./texts.ts";

/** A step of a document path: an attribute or map key, or a list index (kept as written). */
export type PathStep = { readonly name: string } | { readonly index: string; readonly at: SourcePosition };

export type Expr =
  | { readonly kind: "string"; readonly text: string; readonly at: SourcePosition }
  | { readonly kind: "number"; readonly text: string; readonly at: SourcePosition }
  | { readonly kind: "boolean"; readonly value: boolean; readonly at: SourcePosition }
  | { readonly kind: "null"; readonly at: SourcePosition }
  | { readonly kind: "missing"; readonly at: SourcePosition }
  | { readonly kind: "param"; readonly index: number; readonly at: SourcePosition }
  | { readonly kind: "path"; readonly steps: readonly PathStep[]; readonly at: SourcePosition }
  | { readonly kind: "list"; readonly items: readonly Expr[]; readonly at: SourcePosition }
  | { readonly kind: "bag"; readonly items: readonly Expr[]; readonly at: SourcePosition }
  | {
      readonly kind: "struct";
      readonly fields: readonly { readonly key: Expr; readonly value: Expr }[];
      readonly at: SourcePosition;
    }
  | { readonly kind: "negate"; readonly operand: Expr; readonly at: SourcePosition }
  | {
      readonly kind: "call";
      /** Lower case. */
      readonly name: string;
      readonly args: readonly Expr[];
      readonly at: SourcePosition;
    }
  | {
      readonly kind: "binary";
      readonly op: BinaryOperator;
      readonly left: Expr;
      readonly right: Expr;
      readonly at: SourcePosition;
    }
  | { readonly kind: "not"; readonly operand: Expr; readonly at: SourcePosition }
  | {
      readonly kind: "between";
      readonly operand: Expr;
      readonly low: Expr;
      readonly high: Expr;
      readonly negated: boolean;
      readonly at: SourcePosition;
    }
  | {
      readonly kind: "in";
      readonly operand: Expr;
      readonly list: readonly Expr[];
      readonly negated: boolean;
      readonly at: SourcePosition;
    }
  | {
      readonly kind: "is";
      readonly operand: Expr;
      /** Upper case: MISSING, NULL, BOOLEAN, STRING... */
      readonly type: string;
      readonly negated: boolean;
      readonly at: SourcePosition;
    };

export type BinaryOperator = "and" | "or" | "=" | "<>" | "<" | "<=" | ">" | ">=" | "+" | "-";

/** FROM "table" or FROM "table"."index". */
export interface Source {
  readonly table: string;
  readonly index?: string;
}

export type Returning = "ALL OLD" | "MODIFIED OLD" | "ALL NEW" | "MODIFIED NEW";

export interface OrderTerm {
  readonly name: string;
  readonly descending: boolean;
}

export interface SelectStatement {
  readonly kind: "select";
  readonly source: Source;
  /** Undefined for `*`. */
  readonly projection?: readonly Extract<Expr, { kind: "path" }>[];
  readonly where?: Expr;
  readonly orderBy: readonly OrderTerm[];
}

export interface InsertStatement {
  readonly kind: "insert";
  readonly source: Source;
  readonly value: Expr;
  readonly returning?: Returning;
}

export type Assignment =
  | { readonly kind: "set"; readonly target: Extract<Expr, { kind: "path" }>; readonly value: Expr }
  | { readonly kind: "remove"; readonly target: Extract<Expr, { kind: "path" }> };

export interface UpdateStatement {
  readonly kind: "update";
  readonly source: Source;
  readonly assignments: readonly Assignment[];
  readonly where?: Expr;
  readonly returning?: Returning;
}

export interface DeleteStatement {
  readonly kind: "delete";
  readonly source: Source;
  readonly where?: Expr;
  readonly returning?: Returning;
}

/** EXISTS(SELECT ...): a condition check, only inside write transactions. */
export interface ExistsStatement {
  readonly kind: "exists";
  readonly select: SelectStatement;
}

export type Statement =
  | SelectStatement
  | InsertStatement
  | UpdateStatement
  | DeleteStatement
  | ExistsStatement;

export interface ParsedStatement {
  readonly statement: Statement;
  /** How many `?` the statement holds. */
  readonly parameterCount: number;
}
