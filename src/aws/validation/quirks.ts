/**
 * Where a service's validation departs from what its public model says: recorded facts, one table per
 * service (dynamodb.ts), applied by validateInput around the model-driven checks.
 */
import type { AwsError } from "../errors.ts";
import type { Shape } from "../models/index.ts";
import type { ConstraintKind } from "./constraints.ts";

/** Checks one value against a shape's constraints at `path`; returns the worded violations. */
export type ValueCheck = (shapeName: string, value: unknown, path: string) => string[];

export interface ServiceQuirks {
  /** Constraints AWS enforces that the public model no longer carries, merged into the named shapes. */
  readonly shapeConstraints?: Readonly<Record<string, Pick<Shape, "min" | "max" | "pattern">>>;
  /** Enum sets AWS lists in another order than the model's, by enum shape name. */
  readonly enumOrder?: Readonly<Record<string, readonly string[]>>;
  /** Structures AWS renders as Java's `Object.toString()` (`class@hash`) in constraint messages. */
  readonly opaqueShapes?: readonly string[];
  /** Members AWS renders after a structure's model members (internal ones), by shape. */
  readonly hiddenMembers?: Readonly<Record<string, readonly string[]>>;
  /** The shape whose constraints AWS applies to a value, where it is not the model's shape. */
  constraintShape?(shapeName: string, value: unknown): string | undefined;
  /** Constraints the service checks itself (see `afterConstraints`) rather than coral. */
  suppressed?(operation: string, path: string, kind: ConstraintKind): boolean;
  /** Checks that run after the type check and pre-empt the constraint check. */
  beforeConstraints?(
    operation: string,
    input: Record<string, unknown>,
    check: ValueCheck,
  ): AwsError | undefined;
  /** Checks that run once the constraint check has passed. */
  afterConstraints?(operation: string, input: Record<string, unknown>): AwsError | undefined;
}
