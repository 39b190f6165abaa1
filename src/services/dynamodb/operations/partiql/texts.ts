/**
 * DynamoDB's PartiQL error texts, word for word, each written once here (the service-wide exceptions —
 * DuplicateItemException, TransactionCanceledException, the "not well formed" envelope — are in
 * ../../errors.ts). Sources, named per entry:
 *
 *  - [conformance] nubo-db/dynamodb-conformance tests/tier2/partiql and tests/tier3/error-messages,
 *    pinned against DynamoDB (eu-west-2, 2026);
 *  - [floci]       floci's PartiQL integration tests, "every expectation captured from real DynamoDB
 *    (eu-west-2, 2026-09-17)" and eu-west-1 (2026-09-02/03);
 *  - [local]       the message catalogue of DynamoDB Local (AWS's own PartiQL front end,
 *    ddb.partiql.shared.exceptions.ValidationExceptionMessages) and facts recorded on DynamoDB Local
 *    3.2.0/3.3.1 (xo/dbimp docs, 2026-10);
 *
 * The checks of keys and items are the item operations' (../../item-rules.ts).
 *
 * Some texts carry DynamoDB's source position, " at <line>:<column>:<length>" of the token the
 * message is about ([floci]); {@link at} renders it.
 */
import type { AttributeType } from "../../attribute-value.ts";

export interface SourcePosition {
  readonly line: number;
  readonly column: number;
  readonly length: number;
}

export function at(position: SourcePosition): string {
  return ` at ${position.line}:${position.column}:${position.length}`;
}

const INVALID = "One or more parameter values were invalid: ";

export const partiqlTexts = {
  // ---- statement shape [conformance; floci; local] ----
  expectedDml: "Expected data manipulation",
  trailingTokens: "Unexpected token after expression",
  unexpectedToken: "Unexpected token",
  unexpectedKeyword: "Unexpected keyword",
  expectedExpression: "Expected expression",
  fromPathTooLong: "A path may contain at most 2 components in the FROM clause",
  emptyPathComponent: "Path component cannot be an empty string",
  noSuchIndex: "The table does not have the specified index",
  unsupportedClause: (clause: string) => `Unsupported clause: ${clause}`,
  unrecognizedFunction: (name: string) => `Unrecognized function: ${name}`,
  aliasing: "Aliasing is not supported",
  starAndOthers: "Other attributes should not be present in the projection when '*' is used.",
  duplicateSelectNames: (name: string) => `Duplicate identifiers in select clause: ${name}`,
  missingNotWithIs: "MISSING must be compared using IS operator",
  unsupportedIsType: (type: string) =>
    `Unsupported data type for IS operator: ${type}. Supported data types are [MISSING, NULL, BOOLEAN, BLOB, STRING, NUMERIC, STRUCT, TUPLE, LIST]`,
  existsOutsideTransaction: "EXISTS can only be used in ExecuteTransaction write requests.",
  indexWrite: "This operation is not supported on an index",

  // ---- parameters [local; conformance] ----
  parameterCount: "Number of parameters in request and statement don't match.",
  parameterInCollection: (path: string) => `Unsupported data type: Parameter under key ${path}`,
  unsupportedDataType: (type: string, path: string) => `Unsupported data type: ${type} under key ${path}`,

  // ---- literals [floci; local] ----
  emptyBag: "Empty bags are not supported",
  mixedBag: "Unsupported data type in Bag. DynamoDB only supports either numbers or strings in bags",
  duplicateStrings: (members: readonly string[]) =>
    `${INVALID}Input collection [${members.join(", ")}] contains duplicates.`,
  duplicateNumbers: (members: readonly string[], path: string) =>
    `${INVALID}Input collection [${members.join(", ")}] contains duplicates! under ${path}`,
  duplicateTupleKeys: (key: string, path: string) => `Duplicate keys in tuple. Key: ${key} under ${path}`,
  tupleKeyType: (type: string, path: string) =>
    `Tuple keys must be of type String. Actual type: ${type} under ${path}`,
  tooDeep: (path: string) => `Nesting Levels have exceeded supported limits under ${path}`,
  tooDeepItem: "Nesting Levels have exceeded supported limits",
  listIndexRange: (index: string) => `List index is not within the allowable range; index: [${index}]`,
  itemFormat:
    "Unsupported format in item expression. Please use struct format {...} to express item values for insert statement.",

  // ---- conditions [conformance; floci] ----
  operandType: (operator: string, type: AttributeType) =>
    `Incorrect operand type for operator or function; operator or function: ${operator}, operand type: ${type}`,
  badTypeName: (name: string) =>
    `Invalid attribute type name found; type: ${name}, valid types: {N,BS,L,B,NULL,M,S,SS,NS,BOOL}`,
  tooManyInOperands: (count: number) =>
    `The IN operator is provided with too many operands; number of operands: ${count}`,
  unsupportedConditionOperator: (operator: string) =>
    `Unsupported operator in Condition Expression. Operator: ${operator}`,
  whereNotBoolean: "WHERE clause must contain an expression that resolves to a boolean",
  isOperand: "The left hand side argument to IS must be a Variable Reference, Literal, or Path",
  tooManyReads: "Too many decomposed read operations for a given query.",
  overlappingKeys: "Overlapping conditions with range keys are not supported in where clause",
  keyTypeInWhere: (name: string) =>
    `Key attribute's data type should match its data type in table's schema: Key ${name}`,

  // ---- ORDER BY [floci] ----
  orderByWithoutWhere: "Must have WHERE clause in the statement when using ORDER BY clause.",
  orderByNotKey: (name: string) => `Attribute ${name} in ORDER BY clause must be part of the primary key`,
  orderByWithoutHashKey:
    "Must have at least one non-optional hash key condition in WHERE clause when using ORDER BY clause.",
  orderByNeedsHashKey:
    "Must have hash key in ORDER BY clause when more than one hash key condition specified in WHERE clause.",

  // ---- indexes [conformance] ----
  consistentReadOnGsi: "Strongly consistent read is not supported on Global Secondary Indexes",
  unprojectedSelect: (index: string, names: readonly string[]) =>
    `${INVALID}Global secondary index ${index} does not project [${names.join(", ")}]`,
  unprojectedFilter: (index: string, names: readonly string[]) =>
    `${INVALID}Secondary index ${index} does not project one or more filter attributes: [${names.join(", ")}]`,

  // ---- writes [local; floci] ----
  incompleteKey: "Where clause does not contain a mandatory equality on all key attributes",
  keyMismatch: "The provided key element does not match the schema",
  multipleKeyValues: (name: string) =>
    `Multiple conditions on same key ${name}. Only single item Update/Insert/Delete are supported`,
  returningInInsert: "RETURNING is not supported in INSERT",
  returningInDelete: (variant: string) =>
    `Invalid returning clause: RETURNING ${variant} *. Only RETURNING ALL OLD * is allowed in DELETE statements.`,
  setFunctionFirstArgument: (fn: "ADD" | "DELETE") =>
    `The first argument to SET_${fn} must equal the assignment value`,
  setFunctionSecondArgument: (fn: "ADD" | "DELETE") =>
    `The second argument to SET_${fn} must be a value with type SET`,
  setFunctionArguments: (fn: "ADD" | "DELETE") => `SET_${fn} must have exactly two arguments`,

  // ---- paging [floci; local] ----
  invalidNextToken: "Invalid NextToken",
  nextTokenMismatch: "NextToken does not match request",

  // ---- batches and transactions [conformance; floci; local] ----
  batchSelectKey:
    "Select statements within BatchExecuteStatement must specify the primary key in the where clause.",
  batchMixed: "Read and write requests together in the same batch is not supported.",
  transactionSelectKey:
    "Select statements within ExecuteTransaction must specify the primary key in the where clause.",
  transactionIndexRead: "Reads on indices are not supported within transactions.",
  transactionReturning: "RETURNING clause is not supported in ExecuteTransaction.",
  transactionMixed:
    "ExecuteTransaction API does not support both read and write operations in the same request.",
  transactionIndexWrite: "Operations on indices are not supported in transactions",
  existsShape: "EXISTS() must contain a single item read with additional condition",
  transactionStatement: (index: number, message: string) =>
    `Validation failed in TransactStatements[${index}]: ${message}`,
  sameItemTwice: "Transaction request cannot include multiple operations on one item",
};
