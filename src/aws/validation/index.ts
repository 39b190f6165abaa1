/**
 * Model-driven input validation for awsJson services, in AWS's (coral's) order and words:
 *
 * 1. types: a JSON value of the wrong type for its member answers SerializationException with coral's
 *    text (`{"__type":"com.amazon.coral.service#SerializationException","Message":"NUMBER_VALUE cannot
 *    be converted to String"}`); values coral coerces are coerced in place (types.ts);
 * 2. the service's early checks that pre-empt the rest (DynamoDB's table-level TableName);
 * 3. constraints: required members, lengths, ranges, patterns and enums of the model, aggregated into
 *    one ValidationException "N validation errors detected: ...; ..." listing at most ten
 *    (constraints.ts);
 * 4. the service's own checks that replace some of coral's (DynamoDB's Query Limit...).
 *
 * Then the operation runs its own checks. Shapes come from the generated models (src/aws/models);
 * departures from the model are recorded per service (dynamodb.ts).
 *
 * `validateInput` changes `input` in place: unknown members and `null` members are removed, integral
 * numbers truncated, boolean strings ("true", "1", "yes"...) converted, as coral deserializes them.
 *
 * ## Gaps
 * - REST and query protocols are not validated here yet (their inputs arrive as strings from headers,
 *   query and path, and their errors have other shapes).
 */
import type { AwsError } from "../errors.ts";
import { loadModel, type ModelName, type ServiceModel, type Shape } from "../models/index.ts";
import { type ConstraintContext, checkConstraints, checkValueConstraints } from "./constraints.ts";
import { dynamodbQuirks } from "./dynamodb.ts";
import { validationException, violationsMessage } from "./errors.ts";
import type { ServiceQuirks } from "./quirks.ts";
import { javaPackageOf } from "./render.ts";
import { checkTypes } from "./types.ts";

const QUIRKS: Partial<Record<ModelName, ServiceQuirks>> = {
  dynamodb: dynamodbQuirks,
};

interface ServiceValidator {
  readonly model: ServiceModel;
  readonly quirks: ServiceQuirks;
  readonly base: Omit<ConstraintContext, "suppressed">;
  /** Per operation: the context and callback validateInput used to rebuild on every request. */
  readonly operations: Map<string, OperationContext>;
}

interface OperationContext {
  readonly ctx: ConstraintContext;
  readonly checkValue: (name: string, value: unknown, path: string) => string[];
}

/**
 * The constraint context of one operation, built once: it depends only on the service and the
 * operation, and copying `base` into a fresh object with two fresh closures per request was
 * measurable garbage on the hot path.
 */
function operationContext(validator: ServiceValidator, operation: string): OperationContext {
  let found = validator.operations.get(operation);
  if (found === undefined) {
    const { base, quirks } = validator;
    const ctx: ConstraintContext = {
      ...base,
      suppressed: (path, kind) => quirks.suppressed?.(operation, path, kind) ?? false,
    };
    found = { ctx, checkValue: (name, value, path) => checkValueConstraints(ctx, name, value, path) };
    validator.operations.set(operation, found);
  }
  return found;
}

const validators = new Map<ModelName, ServiceValidator>();

/**
 * Validates (and coerces in place) the decoded JSON input of `operation` as AWS would before running
 * it. Throws the AwsError AWS answers: SerializationException, then ValidationException. Does nothing
 * for operations without an input shape and for services that do not speak awsJson.
 */
export function validateInput(service: ModelName, operation: string, input: Record<string, unknown>): void {
  const validator = validatorFor(service);
  const { model, quirks, base } = validator;
  if (model.metadata.protocol !== "awsJson1_0" && model.metadata.protocol !== "awsJson1_1") return;
  const shapeName = model.operations[operation]?.input;
  if (!shapeName) return;

  checkTypes(base, shapeName, input);

  const { ctx, checkValue } = operationContext(validator, operation);
  const early: AwsError | undefined = quirks.beforeConstraints?.(operation, input, checkValue);
  if (early) throw early;

  const violations = checkConstraints(ctx, shapeName, input);
  if (violations.length > 0) throw validationException(violationsMessage(violations));

  const late = quirks.afterConstraints?.(operation, input);
  if (late) throw late;
}

function validatorFor(service: ModelName): ServiceValidator {
  let validator = validators.get(service);
  if (!validator) {
    const model = loadModel(service);
    const quirks = QUIRKS[service] ?? {};
    const regexes = new Map<string, RegExp | undefined>();
    const enumOrder = quirks.enumOrder ?? {};
    validator = {
      model,
      quirks,
      operations: new Map(),
      base: {
        shapes: withConstraints(model.shapes, quirks.shapeConstraints ?? {}),
        javaPackage: javaPackageOf(model.metadata.endpointPrefix, model.metadata.apiVersion),
        opaqueShapes: new Set(quirks.opaqueShapes ?? []),
        hiddenMembers: quirks.hiddenMembers ?? {},
        constraintShape: (name, value) => quirks.constraintShape?.(name, value) ?? name,
        enumOrder: (name, values) => {
          const recorded = enumOrder[name];
          return recorded && sameSet(recorded, values) ? recorded : values;
        },
        regex: (pattern) => {
          if (!regexes.has(pattern)) regexes.set(pattern, compileJavaPattern(pattern));
          return regexes.get(pattern);
        },
      },
    };
    validators.set(service, validator);
  }
  return validator;
}

/**
 * A Java pattern as a JavaScript RegExp matching the whole string (Java's `matches()`). The `u` flag
 * first, so that surrogate pairs in classes (`\uD800\uDC00-\uDBFF\uDFFF`) mean code points as in Java;
 * without it for patterns only legacy syntax accepts; undefined when neither compiles.
 */
export function compileJavaPattern(pattern: string): RegExp | undefined {
  for (const flags of ["u", ""]) {
    try {
      return new RegExp(`^(?:${pattern})$`, flags);
    } catch {
      // try the next flags
    }
  }
  return undefined;
}

/** The model's shapes with a service's recorded extra constraints merged in (the model stays as loaded). */
function withConstraints(
  shapes: Readonly<Record<string, Shape>>,
  extra: NonNullable<ServiceQuirks["shapeConstraints"]>,
): Record<string, Shape> {
  const merged: Record<string, Shape> = { ...shapes };
  for (const [name, constraints] of Object.entries(extra)) {
    const shape = shapes[name];
    if (shape) merged[name] = { ...shape, ...constraints };
  }
  return merged;
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && b.every((value) => a.includes(value));
}
