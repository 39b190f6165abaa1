/**
 * Checked expressions, ready to evaluate: #names substituted into document paths, :values
 * replaced by their attribute values, functions turned into typed nodes. The parsers' raw trees
 * (syntax.ts) become these only after every DynamoDB validation has passed (check-*.ts), and the
 * legacy parameters (Expected, QueryFilter, AttributeUpdates...) translate into the same shapes.
 */
import type { AttributeType, AttributeValue } from "../attribute-value.ts";
import type { Comparator } from "./syntax.ts";

export type { Comparator };

/** An attribute name (after substitution) or a list index. */
export type PathElement = string | number;
export type DocumentPath = readonly PathElement[];

export type Operand =
  | { readonly kind: "path"; readonly path: DocumentPath }
  | { readonly kind: "value"; readonly value: AttributeValue }
  | { readonly kind: "size"; readonly operand: Operand };

export type Condition =
  | { readonly kind: "compare"; readonly op: Comparator; readonly left: Operand; readonly right: Operand }
  | { readonly kind: "between"; readonly operand: Operand; readonly low: Operand; readonly high: Operand }
  | { readonly kind: "in"; readonly operand: Operand; readonly list: readonly Operand[] }
  | { readonly kind: "exists" | "notExists"; readonly path: DocumentPath }
  | { readonly kind: "type"; readonly path: DocumentPath; readonly type: AttributeType }
  | { readonly kind: "beginsWith"; readonly subject: Operand; readonly prefix: Operand }
  | { readonly kind: "contains"; readonly subject: Operand; readonly operand: Operand }
  | { readonly kind: "and" | "or"; readonly left: Condition; readonly right: Condition }
  | { readonly kind: "not"; readonly condition: Condition };

/** What a SET assigns. */
export type UpdateValue =
  | Operand
  | { readonly kind: "ifNotExists"; readonly path: DocumentPath; readonly fallback: UpdateValue }
  | { readonly kind: "listAppend"; readonly left: UpdateValue; readonly right: UpdateValue }
  | { readonly kind: "plus" | "minus"; readonly left: UpdateValue; readonly right: UpdateValue };

export type UpdateAction =
  | { readonly kind: "set"; readonly path: DocumentPath; readonly value: UpdateValue }
  | { readonly kind: "remove"; readonly path: DocumentPath }
  | { readonly kind: "add" | "delete"; readonly path: DocumentPath; readonly value: AttributeValue };

export interface Update {
  /** In the order written (SET, REMOVE, ADD, DELETE clauses as they appear). */
  readonly actions: readonly UpdateAction[];
  /**
   * AttributeUpdates (legacy) semantics: ADD appends to lists and type errors read
   * "Type mismatch for attribute to update".
   */
  readonly legacy?: boolean;
}

/** A projection: the document paths to keep. */
export type Projection = readonly DocumentPath[];
