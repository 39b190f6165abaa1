/**
 * DynamoDB expressions: the API the item operations use. Parse and check every expression of a
 * request with {@link parseExpressions} (or translate the legacy parameters with the *From*
 * functions), then evaluate conditions, apply updates, project items and plan key conditions.
 */
export type {
  Comparator,
  Condition,
  DocumentPath,
  Operand,
  PathElement,
  Projection,
  Update,
  UpdateAction,
  UpdateValue,
} from "./ast.ts";
export { ExpressionAttributes, expressionAttributes } from "./attributes.ts";
export type { ExpressionKind } from "./errors.ts";
export { evaluateCondition } from "./evaluate.ts";
export type {
  ComparisonOperator,
  KeyAttribute,
  KeyCondition,
  KeyConditions,
  KeyQuery,
  KeySchema,
  SortKeyOperator,
} from "./key-condition.ts";
export {
  analyseKeyConditions,
  keyConditionsFromExpression,
  sortKeyMatches,
} from "./key-condition.ts";
export type { AttributeValueUpdate, ExpectedAttributeValue, LegacyCondition } from "./legacy.ts";
export {
  conditionFromExpected,
  conditionFromFilter,
  keyConditionsFromLegacy,
  projectionFromAttributesToGet,
  updateFromAttributeUpdates,
} from "./legacy.ts";
export { formatPath, valueAt } from "./paths.ts";
export { project } from "./project.ts";
export type { ExpressionParameters, ParsedExpressions } from "./request.ts";
export { checkExpressionParameters, expressionBytesMax, parseExpressions } from "./request.ts";
export { applyUpdate, updatedPaths } from "./update.ts";
