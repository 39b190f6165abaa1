/**
 * DynamoDB's validation as recorded, where it departs from the public model (botocore dynamodb
 * 2012-08-10). Sources: dynalite (mhart/dynalite, validations/ and test/, recorded against DynamoDB over
 * 2013–2023) and nubo-db/dynamodb-conformance (tests/tier3, captured on DynamoDB in 2026); where they
 * disagree the newer wins.
 *
 * - Constraints the public model dropped but DynamoDB still enforces: KeySchema holds at most 2
 *   elements ("Value '[KeySchemaElement(attributeName=pk, keyType=HASH), ...]' at 'keySchema' failed
 *   to satisfy constraint: Member must have length less than or equal to 2", 2026); AttributesToGet
 *   at most 255 names (dynalite validations/query.js, scan.js, getItem.js, batchGetItem.js).
 * - Enum sets are listed in AWS's order, not the model's: `[ALL_NEW, UPDATED_OLD, ALL_OLD, NONE,
 *   UPDATED_NEW]`, `[B, N, S]`, ... (dynalite validations/*.js; Select confirmed 2026).
 * - AttributeValue renders as `com.amazonaws.dynamodb.v20120810.AttributeValue@79175931`, PutRequest
 *   with an internal member: `PutRequest(item={...}, workloadProfileName=null)` (risingwave#17572).
 * - Table names. The model types TableName members as `TableArn` (1..1024, no pattern) since tables
 *   may be named by ARN; a name that is not an ARN is still held to the `TableName` shape (3..255,
 *   `[a-zA-Z0-9_.-]+`): PutItem with 256 characters → "Member must have length less than or equal to
 *   255", with "bad table!@#" → the pattern, but with "" → "Member must have length greater than or
 *   equal to 1" (2026). Table-level operations check the name before anything else: CreateTable
 *   without one → "The parameter 'TableName' is required but was not present in the request", with
 *   "ab" → only "1 validation error detected: Value 'ab' at 'tableName' failed to satisfy constraint:
 *   Member must have length greater than or equal to 3" even when other members are invalid (2026).
 * - Checked by DynamoDB itself, in its own words, once coral's checks pass (2026):
 *   Query `Limit` < 1 → "1 validation error detected: Value at 'Limit' failed to satisfy constraint:
 *   Member must have value greater than or equal to 1" (Scan's Limit stays coral's `'0' at 'limit'`);
 *   empty RequestItems → "The requestItems parameter is required for BatchWriteItem" (BatchGetItem);
 *   more than 100 keys for one table → "1 validation error detected: Value at
 *   'RequestItems.<table>.member.Keys' failed to satisfy constraint: Member must have length less
 *   than or equal to 100".
 *
 * ## Gaps
 * - DescribeTable, DeleteTable, UpdateTable and DescribeTimeToLive get CreateTable's 2026 table-name
 *   behaviour; dynalite recorded the older flat text "TableName must be at least 3 characters long and
 *   at most 255 characters long" for all five.
 * - In some regions (eu-west-2, 2026) PutItem with an empty TableName reports only the table name;
 *   others, and this module, aggregate it with the other violations.
 * - CreateTable: the model no longer requires AttributeDefinitions and KeySchema, so their absence is
 *   left to the operation (dynalite recorded "Value null at 'attributeDefinitions'" from the older
 *   model).
 */
import type { AwsError } from "../errors.ts";
import { validationException, violationsMessage } from "./errors.ts";
import type { ServiceQuirks } from "./quirks.ts";

/** Operations that judge TableName before any other member (dynalite validations `tableName: true`). */
const TABLE_OPERATIONS = new Set([
  "CreateTable",
  "DeleteTable",
  "DescribeTable",
  "UpdateTable",
  "DescribeTimeToLive",
]);

/** DynamoDB's cap on keys per table in one BatchGetItem (the model's KeyList max). */
const BATCH_GET_KEYS_MAX = 100;

function isTableName(value: unknown): value is string {
  return typeof value === "string" && !value.startsWith("arn:");
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function requestItemsRequired(operation: string): AwsError {
  return validationException(`The requestItems parameter is required for ${operation}`);
}

export const dynamodbQuirks: ServiceQuirks = {
  shapeConstraints: {
    KeySchema: { max: 2 },
    AttributeNameList: { max: 255 },
  },

  enumOrder: {
    ReturnValue: ["ALL_NEW", "UPDATED_OLD", "ALL_OLD", "NONE", "UPDATED_NEW"],
    ScalarAttributeType: ["B", "N", "S"],
    ProjectionType: ["ALL", "INCLUDE", "KEYS_ONLY"],
    ComparisonOperator: [
      "IN",
      "NULL",
      "BETWEEN",
      "LT",
      "NOT_CONTAINS",
      "EQ",
      "GT",
      "NOT_NULL",
      "NE",
      "LE",
      "BEGINS_WITH",
      "GE",
      "CONTAINS",
    ],
    ConditionalOperator: ["OR", "AND"],
    Select: ["SPECIFIC_ATTRIBUTES", "COUNT", "ALL_ATTRIBUTES", "ALL_PROJECTED_ATTRIBUTES"],
  },

  opaqueShapes: ["AttributeValue"],
  hiddenMembers: { PutRequest: ["workloadProfileName"] },

  constraintShape(shapeName, value) {
    return shapeName === "TableArn" && isTableName(value) && value !== "" ? "TableName" : undefined;
  },

  suppressed(operation, path, kind) {
    switch (operation) {
      case "Query":
        return path === "limit";
      case "BatchWriteItem":
        return path === "requestItems" && kind === "min";
      case "BatchGetItem":
        return (
          (path === "requestItems" && kind === "min") ||
          (kind === "max" && path.startsWith("requestItems.") && path.endsWith(".member.keys"))
        );
      default:
        return false;
    }
  },

  beforeConstraints(operation, input, check) {
    if (!TABLE_OPERATIONS.has(operation)) return undefined;
    const name = input.TableName;
    if (name === undefined) {
      return validationException("The parameter 'TableName' is required but was not present in the request");
    }
    if (!isTableName(name)) return undefined;
    const violations = check("TableName", name, "tableName");
    return violations.length ? validationException(violationsMessage(violations)) : undefined;
  },

  afterConstraints(operation, input) {
    if (operation === "Query" && typeof input.Limit === "number" && input.Limit < 1) {
      return validationException(
        "1 validation error detected: Value at 'Limit' failed to satisfy constraint: Member must have value greater than or equal to 1",
      );
    }
    if (operation !== "BatchWriteItem" && operation !== "BatchGetItem") return undefined;
    const items = input.RequestItems;
    if (!isRecord(items)) return undefined;
    if (Object.keys(items).length === 0) return requestItemsRequired(operation);
    if (operation === "BatchGetItem") {
      for (const [table, entry] of Object.entries(items)) {
        if (isRecord(entry) && Array.isArray(entry.Keys) && entry.Keys.length > BATCH_GET_KEYS_MAX) {
          return validationException(
            `1 validation error detected: Value at 'RequestItems.${table}.member.Keys' failed to satisfy constraint: Member must have length less than or equal to ${BATCH_GET_KEYS_MAX}`,
          );
        }
      }
    }
    return undefined;
  },
};
