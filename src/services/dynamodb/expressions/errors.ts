/**
 * Error texts of DynamoDB's data model and expressions, word for word, each written once here.
 *
 * Sources, named per entry:
 *  - [dynalite-v]  texts recorded from DynamoDB by dynalite: validations/index.js, validations/*.js
 *  - [dynalite-p]  dynalite's PEG parsers db/conditionParser.js, updateParser.js, projectionParser.js
 *  - [dynalite-a]  dynalite actions/*.js (runtime errors of UpdateItem and Query)
 *  - [dynalite-t]  dynalite's test suite asserted against DynamoDB (test/updateItem.js, query.js, scan.js)
 *  - [conformance] nubo-db/dynamodb-conformance, tests and captures run against DynamoDB (2026)
 *  - [issues]      messages quoted from DynamoDB in public issue threads (aws-cdk#7591, dazn#242)
 *
 * The value/number texts live here too because the service catalogue (../errors.ts) is owned
 * elsewhere; they can move there unchanged.
 *
 * Messages that DynamoDB prefixes with "Invalid <Kind>Expression: " are plain strings thrown as
 * {@link ExpressionError}; the request layer adds the prefix (see request.ts).
 */
import type { AwsError } from "../../../aws/errors.ts";
import { validationError } from "../errors.ts";

export type ExpressionKind =
  | "ConditionExpression"
  | "KeyConditionExpression"
  | "FilterExpression"
  | "UpdateExpression"
  | "ProjectionExpression";

/** A message that belongs after "Invalid <Kind>: ". */
export class ExpressionError extends Error {
  override readonly name = "ExpressionError";
}

const INVALID = "One or more parameter values were invalid: ";

// ---- numbers [dynalite-v checkNum; dynalite-t] -------------------------------------------------
export const numberTexts = {
  notANumber: (text: string) =>
    text === ""
      ? "The parameter cannot be converted to a numeric value"
      : `The parameter cannot be converted to a numeric value: ${text}`,
  overflow: "Number overflow. Attempting to store a number with magnitude larger than supported range",
  underflow: "Number underflow. Attempting to store a number with magnitude smaller than supported range",
  tooPrecise: "Attempting to store more than 38 significant digits in a Number",
};

// ---- attribute values [dynalite-v validateAttributeValue; dynalite-t; conformance] -------------
export const valueTexts = {
  empty: "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes",
  manyTypes:
    "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes",
  nullNotTrue: `${INVALID}Null attribute value types must have the value of true`,
  // The double space and "An string" are DynamoDB's.
  emptyStringSet: `${INVALID}An string set  may not be empty`,
  emptyNumberSet: `${INVALID}An number set  may not be empty`,
  emptyBinarySet: `${INVALID}Binary sets should not be empty`,
  // Older regions render [a, a]; newer ones ["a", "a"] (conformance capture 2026-06-09).
  duplicateStrings: (list: readonly string[]) =>
    `${INVALID}Input collection [${list.join(", ")}] contains duplicates.`,
  duplicateNumbers: "Input collection contains duplicates",
  // No space before "of": DynamoDB's.
  duplicateBinaries: (list: readonly string[]) =>
    `${INVALID}Input collection [${list.join(", ")}]of type BS contains duplicates.`,
};

// ---- request parameters around expressions [dynalite-v validateExpressionParams/Expressions] ----
export const requestTexts = {
  namesEmpty: "ExpressionAttributeNames must not be empty",
  namesInvalidKey: (key: string) =>
    `ExpressionAttributeNames contains invalid key: Syntax error; key: "${key}"`,
  valuesEmpty: "ExpressionAttributeValues must not be empty",
  valuesInvalidKey: (key: string) =>
    `ExpressionAttributeValues contains invalid key: Syntax error; key: "${key}"`,
  valuesInvalidValue: (message: string, key: string) =>
    `ExpressionAttributeValues contains invalid value: ${message} for key ${key}`,
  unusedNames: (keys: readonly string[]) =>
    `Value provided in ExpressionAttributeNames unused in expressions: keys: {${keys.join(", ")}}`,
  unusedValues: (keys: readonly string[]) =>
    `Value provided in ExpressionAttributeValues unused in expressions: keys: {${keys.join(", ")}}`,
  mixed: (legacy: readonly string[], expressions: readonly string[]) =>
    "Can not use both expression and non-expression parameters in the same request: " +
    `Non-expression parameters: {${legacy.join(", ")}} Expression parameters: {${expressions.join(", ")}}`,
  namesWithoutExpressions: "ExpressionAttributeNames can only be specified when using expressions",
  valuesWithoutExpressions: (expressions: readonly string[]) =>
    "ExpressionAttributeValues can only be specified when using expressions: " +
    `${expressions.join(" and ")} ${expressions.length > 1 ? "are" : "is"} null`,
};

// ---- inside "Invalid <Kind>: ..." [dynalite-p; dynalite-t; conformance; issues] -----------------
export const expressionTexts = {
  empty: "The expression can not be empty;",
  // Condition and Filter add the size; the others do not (captured, ExtendDB tests 2026).
  tooLong: (size: number | undefined) =>
    size === undefined
      ? "Expression size has exceeded the maximum allowed size;"
      : `Expression size has exceeded the maximum allowed size; expression size: ${size}`,
  syntax: (token: string, near: string) => `Syntax error; token: "${token}", near: "${near}"`,
  redundantParentheses: "The expression has redundant parentheses;",
  unknownFunction: (name: string) => `Invalid function name; function: ${name}`,
  misusedFunction: (name: string) =>
    `The function is not allowed to be used this way in an expression; function: ${name}`,
  reserved: (word: string) => `Attribute name is a reserved keyword; reserved keyword: ${word}`,
  undefinedName: (name: string) =>
    `An expression attribute name used in the document path is not defined; attribute name: ${name}`,
  undefinedValue: (name: string) =>
    `An expression attribute value used in expression is not defined; attribute value: ${name}`,
  operandCount: (fn: string, count: number) =>
    `Incorrect number of operands for operator or function; operator or function: ${fn}, number of operands: ${count}`,
  notDistinct: (op: string, path: string) =>
    "The first operand must be distinct from the remaining operands for this operator or function; " +
    `operator: ${op}, first operand: ${path}`,
  needsPath: (fn: string) => `Operator or function requires a document path; operator or function: ${fn}`,
  operandType: (fn: string, type: string) =>
    `Incorrect operand type for operator or function; operator or function: ${fn}, operand type: ${type}`,
  // The set of types printed when the operand is a path (order as recorded by dynalite).
  anyType: "{NS,SS,L,BS,N,M,B,BOOL,NULL,S}",
  badTypeName: (name: string) =>
    `Invalid attribute type name found; type: ${name}, valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}`,
  betweenTypes: (low: string, high: string) =>
    "The BETWEEN operator requires same data type for lower and upper bounds; " +
    `lower bound operand: AttributeValue: ${low}, upper bound operand: AttributeValue: ${high}`,
  betweenOrder: (low: string, high: string) =>
    "The BETWEEN operator requires upper bound to be greater than or equal to lower bound; " +
    `lower bound operand: AttributeValue: ${low}, upper bound operand: AttributeValue: ${high}`,
  sectionTwice: (clause: string) => `The "${clause}" section can only be used once in an update expression;`,
  pathsOverlap: (one: string, two: string) =>
    `Two document paths overlap with each other; must remove or rewrite one of these paths; path one: ${one}, path two: ${two}`,
  pathsConflict: (one: string, two: string) =>
    `Two document paths conflict with each other; must remove or rewrite one of these paths; path one: ${one}, path two: ${two}`,
  actionOperandType: (action: string, type: string) =>
    `Incorrect operand type for operator or function; operator: ${action}, operand type: ${type}`,
};

// ---- applying an update to an item [dynalite-a updateItem.js; dynalite-t] -----------------------
export const updateTexts = {
  invalidPath: "The document path provided in the update expression is invalid for update",
  wrongType: "An operand in the update expression has an incorrect data type",
  missingAttribute: "The provided expression refers to an attribute that does not exist in the item",
  legacyTypeMismatch: "Type mismatch for attribute to update",
};

// ---- key conditions [dynalite-v convertKeyCondition; dynalite-a query.js; dynalite-t; conformance]
export const keyTexts = {
  invalidOperator: (op: string) => `Invalid operator used in KeyConditionExpression: ${op}`,
  nestedOperation: "KeyConditionExpressions cannot contain nested operations",
  keyFirst: (op: string) =>
    `Invalid condition in KeyConditionExpression: ${op} operator must have the key attribute as its first operand`,
  multipleNames:
    "Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition",
  nestedAttribute: "KeyConditionExpressions cannot have conditions on nested attributes",
  noKeyAttribute: "Invalid condition in KeyConditionExpression: No key attribute specified",
  onePerKey: "KeyConditionExpressions must only contain one condition per key",
  count: "Conditions can be of length 1 or 2 only",
  missedElement: (name: string) => `Query condition missed key schema element: ${name}`,
  notSupported: "Query key condition not supported",
  notIndexable: "Attempted conditional constraint is not an indexable operation",
  schemaType: `${INVALID}Condition parameter type does not match schema type`,
};

// ---- legacy parameters [dynalite-v validateAttributeConditions/validateConditions; dynalite-t] --
export const legacyTexts = {
  valueAndList: (attr: string) =>
    `${INVALID}Value and AttributeValueList cannot be used together for Attribute: ${attr}`,
  existsAndOperator: (attr: string) =>
    `${INVALID}Exists and ComparisonOperator cannot be used together for Attribute: ${attr}`,
  operatorWithoutValue: (op: string, attr: string) =>
    `${INVALID}Value or AttributeValueList must be used with ComparisonOperator: ${op} for Attribute: ${attr}`,
  argumentCount: (op: string) => `${INVALID}Invalid number of argument(s) for the ${op} ComparisonOperator`,
  mixedTypes: `${INVALID}AttributeValues inside AttributeValueList must be of same type`,
  betweenOrder:
    "The BETWEEN condition was provided a range where the lower bound is greater than the upper bound",
  listWithoutOperator: (attr: string) =>
    `${INVALID}AttributeValueList can only be used with a ComparisonOperator for Attribute: ${attr}`,
  valueRequired: (exists: string, attr: string) =>
    `${INVALID}Value must be provided when Exists is ${exists} for Attribute: ${attr}`,
  valueWithNotExists: (attr: string) =>
    `${INVALID}Value cannot be used when Exists is false for Attribute: ${attr}`,
  operatorType: (op: string, type: string) =>
    `${INVALID}ComparisonOperator ${op} is not valid for ${type} AttributeValue type`,
  deleteOnly: `${INVALID}Only DELETE action is allowed when no attribute value is specified`,
  deleteType: (type: string) => `${INVALID}DELETE action with value is not supported for the type ${type}`,
  addType: (type: string) => `${INVALID}ADD action is not supported for the type ${type}`,
  duplicateAttributeName: (name: string) => `${INVALID}Duplicate value in attribute name: ${name}`,
};

/** "Invalid UpdateExpression: <message>" as a ValidationException. */
export function invalidExpression(kind: ExpressionKind, message: string): AwsError {
  return validationError(`Invalid ${kind}: ${message}`);
}

/** Any text above as a ValidationException (400). */
export function invalid(message: string): AwsError {
  return validationError(message);
}
