/**
 * The expressions of one request, parsed and checked together, as DynamoDB validates them
 * (dynalite validations validateExpressionParams/validateExpressions; dynalite-t; conformance):
 *
 * 1. expression and legacy parameters may not be mixed (checkExpressionParameters);
 * 2. ExpressionAttributeNames / ExpressionAttributeValues are well formed (attributes.ts);
 * 3. each expression, in the order Update, Condition, KeyCondition, Filter, Projection: not empty,
 *    at most 4096 bytes, then its syntax and checks, errors prefixed "Invalid <Kind>: ";
 * 4. every supplied #name, then every :value, was used by some expression of the request.
 */
import type { Condition, Projection, Update } from "./ast.ts";
import type { ExpressionAttributes } from "./attributes.ts";
import { expressionAttributes } from "./attributes.ts";
import { checkCondition } from "./check-condition.ts";
import { checkProjection, checkUpdate } from "./check-update.ts";
import type { ExpressionKind } from "./errors.ts";
import { ExpressionError, expressionTexts, invalid, invalidExpression, requestTexts } from "./errors.ts";
import { parseConditionSyntax } from "./parse-condition.ts";
import { parseProjectionSyntax, parseUpdateSyntax } from "./parse-update.ts";

export const expressionBytesMax = 4096;

export interface ExpressionParameters {
  readonly ExpressionAttributeNames?: Record<string, string>;
  readonly ExpressionAttributeValues?: Record<string, unknown>;
  readonly UpdateExpression?: string;
  readonly ConditionExpression?: string;
  readonly KeyConditionExpression?: string;
  readonly FilterExpression?: string;
  readonly ProjectionExpression?: string;
}

export interface ParsedExpressions {
  readonly update?: Update;
  readonly condition?: Condition;
  readonly keyCondition?: Condition;
  readonly filter?: Condition;
  readonly projection?: Projection;
}

/** Parses and checks every expression of a request; throws DynamoDB's ValidationException. */
export function parseExpressions(parameters: ExpressionParameters): ParsedExpressions {
  const attributes = expressionAttributes(
    parameters.ExpressionAttributeNames,
    parameters.ExpressionAttributeValues,
  );
  // Parsed in this order (it decides which error a request with several bad expressions gets). The
  // result keeps only the expressions present, built with plain assignments: the former per-call
  // `parse` closure and Object.keys/Object.assign loop cost a `__name()` wrapper (see parseIfPresent)
  // and a temporary object per key on every item request.
  const update = parseIfPresent(parameters, "UpdateExpression", attributes, updateChecker);
  const condition = parseIfPresent(parameters, "ConditionExpression", attributes, conditionChecker);
  const keyCondition = parseIfPresent(parameters, "KeyConditionExpression", attributes, conditionChecker);
  const filter = parseIfPresent(parameters, "FilterExpression", attributes, conditionChecker);
  const projection = parseIfPresent(parameters, "ProjectionExpression", attributes, projectionChecker);
  attributes.assertAllUsed();
  const result: { -readonly [K in keyof ParsedExpressions]: ParsedExpressions[K] } = {};
  if (update !== undefined) result.update = update;
  if (condition !== undefined) result.condition = condition;
  if (keyCondition !== undefined) result.keyCondition = keyCondition;
  if (filter !== undefined) result.filter = filter;
  if (projection !== undefined) result.projection = projection;
  return result;
}

// Module-level rather than a closure in parseExpressions: tsx compiles with esbuild's keepNames, which wraps every named closure in a `__name()` call (an
// Object.defineProperty) each time it is created; a module-level function pays that once.
function parseIfPresent<T>(
  parameters: ExpressionParameters,
  kind: ExpressionKind,
  attributes: ExpressionAttributes,
  check: (source: string, attributes: ExpressionAttributes) => T,
): T | undefined {
  const source = parameters[kind];
  return source === undefined ? undefined : parseOne(kind, source, attributes, check);
}

const conditionChecker = (source: string, attributes: ExpressionAttributes): Condition =>
  checkCondition(parseConditionSyntax(source), attributes);
const updateChecker = (source: string, attributes: ExpressionAttributes): Update =>
  checkUpdate(parseUpdateSyntax(source), attributes);
const projectionChecker = (source: string, attributes: ExpressionAttributes): Projection =>
  checkProjection(parseProjectionSyntax(source), attributes);

/** One expression on its own (the request-level unused checks are the caller's). */
export function parseOne<T>(
  kind: ExpressionKind,
  source: string,
  attributes: ExpressionAttributes,
  check: (source: string, attributes: ExpressionAttributes) => T,
): T {
  if (source === "") throw invalidExpression(kind, expressionTexts.empty);
  const size = Buffer.byteLength(source, "utf8");
  if (size > expressionBytesMax) {
    const withSize = kind === "ConditionExpression" || kind === "FilterExpression";
    throw invalidExpression(kind, expressionTexts.tooLong(withSize ? size : undefined));
  }
  try {
    return check(source, attributes);
  } catch (error) {
    if (error instanceof ExpressionError) throw invalidExpression(kind, error.message);
    throw error;
  }
}

export const checkers = { condition: conditionChecker, update: updateChecker, projection: projectionChecker };

function isPresentIn(request: Readonly<Record<string, unknown>>, name: string): boolean {
  return request[name] !== undefined && request[name] !== null;
}

/**
 * The mixing rules between expression and legacy parameters. `expressions` and `legacy` list the
 * operation's parameter names in DynamoDB's order, e.g. for Query ["ProjectionExpression",
 * "FilterExpression", "KeyConditionExpression"] and ["AttributesToGet", "QueryFilter",
 * "ConditionalOperator", "KeyConditions"] (dynalite validations/query.js).
 */
export function checkExpressionParameters(
  request: Readonly<Record<string, unknown>>,
  expressions: readonly string[],
  legacy: readonly string[],
): void {
  // isPresentIn is module-level and the callbacks below are anonymous arguments, so no per-call
  // `__name()` wrapper (see parseIfPresent); formerly a named `present` closure.
  const used = expressions.filter((name) => isPresentIn(request, name));
  if (used.length > 0) {
    // KeyConditions with a FilterExpression but no KeyConditionExpression is allowed.
    const mixedIn = legacy.filter(
      (name) =>
        isPresentIn(request, name) &&
        !(name === "KeyConditions" && !isPresentIn(request, "KeyConditionExpression")),
    );
    if (mixedIn.length > 0) throw invalid(requestTexts.mixed(mixedIn, used));
  }
  if (isPresentIn(request, "ExpressionAttributeNames") && used.length === 0)
    throw invalid(requestTexts.namesWithoutExpressions);
  const valueExpressions = expressions.filter((name) => name !== "ProjectionExpression");
  if (
    valueExpressions.length > 0 &&
    isPresentIn(request, "ExpressionAttributeValues") &&
    !valueExpressions.some((name) => isPresentIn(request, name))
  ) {
    throw invalid(requestTexts.valuesWithoutExpressions(valueExpressions));
  }
}
