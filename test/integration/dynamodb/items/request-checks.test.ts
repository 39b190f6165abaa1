/**
 * The refusals of PutItem, GetItem, UpdateItem and DeleteItem that come before the stored item is read
 * (the model, values, parameters, expressions, the table), through the real SDK and raw requests for
 * bodies the SDK will not build, each with DynamoDB's exact text and in DynamoDB's order of checks.
 * Sources of the texts: src/services/dynamodb/errors.ts and expressions/errors.ts (dynalite's recorded
 * tests, nubo-db/dynamodb-conformance captures of 2026).
 *
 * Requests aimed at a table that does not exist prove a check comes before the table is looked up.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { rawRequest } from "../../../support/raw-request.ts";
import { useStratus } from "../../../support/stratus.ts";
import { rejects } from "../helpers.ts";
import { createTable, hashTable, type Item, itemOps, N, S } from "./helpers.ts";

const VALIDATION = "ValidationException";
const INVALID = "One or more parameter values were invalid: ";
const NEST =
  "Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit";

function deep(depth: number): Item[string] {
  let value: Item[string] = S("leaf");
  for (let i = 0; i < depth; i++) value = { M: { n: value } };
  return value;
}

describe("DynamoDB item operations: refusals before the item is read", () => {
  const stratus = useStratus({ inMemory: true });
  let table = ""; // pk S
  let target = () => table;
  const ops = itemOps(
    () => stratus.dynamodb(),
    () => target(),
  );
  const on = (name: () => string) => {
    target = name;
    return ops;
  };
  const missing = () => "no-such-table";

  before(async () => {
    const client = stratus.dynamodb();
    table = await createTable(client, hashTable);
  });

  async function raw(operation: string, body: unknown) {
    const response = await rawRequest(stratus.url, {
      service: "dynamodb",
      headers: {
        "content-type": "application/x-amz-json-1.0",
        "x-amz-target": `DynamoDB_20120810.${operation}`,
      },
      body: JSON.stringify(body),
    });
    return {
      status: response.status,
      body: JSON.parse(response.text) as { __type: string; message?: string },
    };
  }

  describe("the model and the values, before the table", () => {
    it("coral's constraint envelope", async () => {
      await rejects(
        on(missing).put({ Item: { pk: S("a") }, ReturnValues: "BOGUS" as never }),
        VALIDATION,
        "1 validation error detected: Value 'BOGUS' at 'returnValues' failed to satisfy constraint: Member must satisfy enum value set: [ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]",
      );
      const { status, body } = await raw("PutItem", {});
      assert.equal(status, 400);
      assert.equal(
        body.message,
        "2 validation errors detected: Value null at 'tableName' failed to satisfy constraint: Member must not be null; Value null at 'item' failed to satisfy constraint: Member must not be null",
      );
    });

    it("attribute values that are not values", async () => {
      const empty = await raw("PutItem", { TableName: missing(), Item: { pk: {} } });
      assert.equal(empty.status, 400);
      assert.equal(
        empty.body.message,
        "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes",
      );
      const two = await raw("GetItem", { TableName: missing(), Key: { pk: { S: "a", N: "1" } } });
      assert.equal(
        two.body.message,
        "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes",
      );
      const notMap = await raw("PutItem", { TableName: missing(), Item: [] });
      assert.equal(notMap.status, 400);
      assert.match(notMap.body.__type, /SerializationException$/);
    });

    it("numbers, sets and duplicates", async () => {
      const put = (item: Item) => on(missing).put({ Item: { pk: S("a"), ...item } });
      await rejects(
        put({ n: N("b") }),
        VALIDATION,
        "The parameter cannot be converted to a numeric value: b",
      );
      await rejects(
        put({ n: N("1e126") }),
        VALIDATION,
        "Number overflow. Attempting to store a number with magnitude larger than supported range",
      );
      await rejects(
        put({ n: N("1e-131") }),
        VALIDATION,
        "Number underflow. Attempting to store a number with magnitude smaller than supported range",
      );
      await rejects(
        put({ n: N("1.23456789012345678901234567890123456789") }),
        VALIDATION,
        "Attempting to store more than 38 significant digits in a Number",
      );
      await rejects(put({ s: { SS: [] } }), VALIDATION, `${INVALID}An string set  may not be empty`);
      await rejects(put({ s: { NS: [] } }), VALIDATION, `${INVALID}An number set  may not be empty`);
      await rejects(put({ s: { BS: [] } }), VALIDATION, `${INVALID}Binary sets should not be empty`);
      await rejects(put({ s: { NS: ["1", "1.0"] } }), VALIDATION, "Input collection contains duplicates");
      await rejects(
        put({ s: { SS: ["a", "a"] } }),
        VALIDATION,
        `${INVALID}Input collection [a, a] contains duplicates.`,
      );
      await rejects(
        on(missing).get({ Key: { pk: N("x") } }),
        VALIDATION,
        "The parameter cannot be converted to a numeric value: x",
      );
    });

    it("documents nest at most 32 levels; attribute names are not empty", async () => {
      await rejects(on(missing).put({ Item: { pk: S("a"), d: deep(32) } }), VALIDATION, NEST);
      await on(() => table).put({ Item: { pk: S("deep-31"), d: deep(31) } });
      await rejects(
        on(missing).put({ Item: { pk: S("a"), "": S("x") } }),
        VALIDATION,
        "Empty attribute name",
      );
      await rejects(
        on(missing).update({
          Key: { pk: S("a") },
          UpdateExpression: "SET x = :deep",
          ExpressionAttributeValues: { ":deep": deep(32) },
        }),
        VALIDATION,
        `ExpressionAttributeValues contains invalid value: ${NEST} for key :deep`,
      );
      await rejects(
        on(() => table).update({
          Key: { pk: S("deep-31") },
          UpdateExpression: "SET d.n.n.n = :deep",
          ExpressionAttributeValues: { ":deep": deep(29) },
        }),
        VALIDATION,
        NEST,
      );
    });

    it("ReturnValues PutItem and DeleteItem do not take", async () => {
      for (const returnValues of ["UPDATED_OLD", "ALL_NEW", "UPDATED_NEW"] as const) {
        await rejects(
          on(missing).put({ Item: { pk: S("a") }, ReturnValues: returnValues }),
          VALIDATION,
          "ReturnValues can only be ALL_OLD or NONE",
        );
        await rejects(
          on(missing).remove({ Key: { pk: S("a") }, ReturnValues: returnValues }),
          VALIDATION,
          "ReturnValues can only be ALL_OLD or NONE",
        );
      }
    });

    it("the 400 KB item limit: 409,600 bytes fit, one more does not (before the table)", async () => {
      // pk (2) + "x" (1) + b (1) + value = 409,600.
      await on(() => table).put({ Item: { pk: S("x"), b: S("b".repeat(409_596)) } });
      await rejects(
        on(missing).put({ Item: { pk: S("x"), b: S("b".repeat(409_597)) } }),
        VALIDATION,
        "Item size has exceeded the maximum allowed size",
      );
    });

    it("expression and legacy parameters", async () => {
      await rejects(
        on(missing).put({
          Item: { pk: S("a") },
          Expected: { pk: { Exists: false } },
          ConditionExpression: "attribute_not_exists(pk)",
        }),
        VALIDATION,
        "Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {Expected} Expression parameters: {ConditionExpression}",
      );
      await rejects(
        on(missing).update({
          Key: { pk: S("a") },
          Expected: { a: { Exists: false } },
          AttributeUpdates: { a: { Value: S("x") } },
          ConditionExpression: "attribute_exists(a)",
          UpdateExpression: "SET a = b",
        }),
        VALIDATION,
        "Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {AttributeUpdates, Expected} Expression parameters: {UpdateExpression, ConditionExpression}",
      );
      await rejects(
        on(missing).get({ Key: { pk: S("a") }, AttributesToGet: ["a"], ProjectionExpression: "a" }),
        VALIDATION,
        "Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {AttributesToGet} Expression parameters: {ProjectionExpression}",
      );
      await rejects(
        on(missing).get({ Key: { pk: S("a") }, ExpressionAttributeNames: { "#a": "a" } }),
        VALIDATION,
        "ExpressionAttributeNames can only be specified when using expressions",
      );
      await rejects(
        on(missing).put({ Item: { pk: S("a") }, ExpressionAttributeValues: { ":v": S("x") } }),
        VALIDATION,
        "ExpressionAttributeValues can only be specified when using expressions: ConditionExpression is null",
      );
      await rejects(
        on(missing).update({ Key: { pk: S("a") }, ExpressionAttributeValues: { ":v": S("x") } }),
        VALIDATION,
        "ExpressionAttributeValues can only be specified when using expressions: UpdateExpression and ConditionExpression are null",
      );
    });

    it("ExpressionAttributeNames and ExpressionAttributeValues themselves", async () => {
      const update = (names?: Record<string, string>, values?: Item) =>
        on(missing).update({
          Key: { pk: S("a") },
          UpdateExpression: "SET #a = :v",
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        });
      await rejects(update({}, { ":v": S("x") }), VALIDATION, "ExpressionAttributeNames must not be empty");
      await rejects(
        update({ a: "a" }, { ":v": S("x") }),
        VALIDATION,
        'ExpressionAttributeNames contains invalid key: Syntax error; key: "a"',
      );
      await rejects(update({ "#a": "a" }, {}), VALIDATION, "ExpressionAttributeValues must not be empty");
      await rejects(
        update({ "#a": "a" }, { v: S("x") }),
        VALIDATION,
        'ExpressionAttributeValues contains invalid key: Syntax error; key: "v"',
      );
      await rejects(
        update({ "#b": "b" }, { ":v": S("x") }),
        VALIDATION,
        "Invalid UpdateExpression: An expression attribute name used in the document path is not defined; attribute name: #a",
      );
      await rejects(
        update({ "#a": "a" }, { ":v": N("x1") }),
        VALIDATION,
        "ExpressionAttributeValues contains invalid value: The parameter cannot be converted to a numeric value: x1 for key :v",
      );
      await rejects(
        on(missing).put({ Item: { pk: S("a") }, ConditionExpression: "attribute_exists(size)" }),
        VALIDATION,
        "Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: size",
      );
    });

    it("expressions, their names and their values", async () => {
      await rejects(
        on(missing).get({ Key: { pk: S("a") }, ProjectionExpression: "!!! INVALID !!!" }),
        VALIDATION,
        'Invalid ProjectionExpression: Syntax error; token: "!", near: "!!"',
      );
      await rejects(
        on(missing).put({ Item: { pk: S("a") }, ConditionExpression: "((attribute_not_exists(pk)))" }),
        VALIDATION,
        "Invalid ConditionExpression: The expression has redundant parentheses;",
      );
      await rejects(
        on(missing).put({ Item: { pk: S("a") }, ConditionExpression: "" }),
        VALIDATION,
        "Invalid ConditionExpression: The expression can not be empty;",
      );
      await rejects(
        on(missing).update({ Key: { pk: S("a") }, UpdateExpression: "SET a = :v" }),
        VALIDATION,
        "Invalid UpdateExpression: An expression attribute value used in expression is not defined; attribute value: :v",
      );
      await rejects(
        on(missing).update({
          Key: { pk: S("a") },
          UpdateExpression: "SET a = :v, a = :v",
          ExpressionAttributeValues: { ":v": N(1) },
        }),
        VALIDATION,
        "Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a]",
      );
      await rejects(
        on(missing).update({
          Key: { pk: S("a") },
          UpdateExpression: "ADD a :v",
          ExpressionAttributeValues: { ":v": S("x") },
        }),
        VALIDATION,
        "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: STRING",
      );
      await rejects(
        on(missing).remove({
          Key: { pk: S("a") },
          ConditionExpression: "a = :a",
          ExpressionAttributeNames: { "#u": "u" },
          ExpressionAttributeValues: { ":a": S("a") },
        }),
        VALIDATION,
        "Value provided in ExpressionAttributeNames unused in expressions: keys: {#u}",
      );
      await rejects(
        on(missing).update({
          Key: { pk: S("a") },
          UpdateExpression: "REMOVE a",
          ConditionExpression: "b = :b",
          ExpressionAttributeValues: { ":b": S("a"), ":c": S("c") },
        }),
        VALIDATION,
        "Value provided in ExpressionAttributeValues unused in expressions: keys: {:c}",
      );
      await rejects(
        on(missing).put({
          Item: { pk: S("a") },
          ConditionExpression: "a = :a",
          ExpressionAttributeValues: { ":a": { SS: ["x", "x"] } },
        }),
        VALIDATION,
        `ExpressionAttributeValues contains invalid value: ${INVALID}Input collection [x, x] contains duplicates. for key :a`,
      );
    });

    it("Expected, AttributeUpdates and AttributesToGet", async () => {
      const put = (expected: Record<string, unknown>) =>
        on(missing).put({ Item: { pk: S("a") }, Expected: expected as never });
      await rejects(
        put({ a: {} }),
        VALIDATION,
        `${INVALID}Value must be provided when Exists is null for Attribute: a`,
      );
      await rejects(
        put({ a: { Exists: true } }),
        VALIDATION,
        `${INVALID}Value must be provided when Exists is true for Attribute: a`,
      );
      await rejects(
        put({ a: { Exists: false, Value: S("a") } }),
        VALIDATION,
        `${INVALID}Value cannot be used when Exists is false for Attribute: a`,
      );
      await rejects(
        put({ a: { ComparisonOperator: "LT" } }),
        VALIDATION,
        `${INVALID}Value or AttributeValueList must be used with ComparisonOperator: LT for Attribute: a`,
      );
      await rejects(
        put({ a: { ComparisonOperator: "BETWEEN", AttributeValueList: [N(1)] } }),
        VALIDATION,
        `${INVALID}Invalid number of argument(s) for the BETWEEN ComparisonOperator`,
      );
      const update = (updates: Record<string, unknown>) =>
        on(missing).update({ Key: { pk: S("a") }, AttributeUpdates: updates as never });
      await rejects(
        update({ a: { Action: "PUT" } }),
        VALIDATION,
        `${INVALID}Only DELETE action is allowed when no attribute value is specified`,
      );
      await rejects(
        update({ a: { Action: "DELETE", Value: S("x") } }),
        VALIDATION,
        `${INVALID}DELETE action with value is not supported for the type S`,
      );
      await rejects(
        update({ a: { Action: "ADD", Value: { BOOL: true } } }),
        VALIDATION,
        `${INVALID}ADD action is not supported for the type BOOL`,
      );
      await rejects(
        on(missing).get({ Key: { pk: S("a") }, AttributesToGet: ["a", "a"] }),
        VALIDATION,
        `${INVALID}Duplicate value in attribute name: a`,
      );
    });
  });

  describe("the table", () => {
    it("a table that does not exist, by name or by another account's ARN", async () => {
      const other = () => `arn:aws:dynamodb:us-east-1:111111111111:table/${table}`;
      for (const name of [missing, other]) {
        await rejects(on(name).get({ Key: {} }), "ResourceNotFoundException", "Requested resource not found");
        await rejects(
          on(name).put({ Item: {} }),
          "ResourceNotFoundException",
          "Requested resource not found",
        );
        await rejects(
          on(name).update({ Key: {} }),
          "ResourceNotFoundException",
          "Requested resource not found",
        );
        await rejects(
          on(name).remove({ Key: {} }),
          "ResourceNotFoundException",
          "Requested resource not found",
        );
      }
    });
  });
});
