/**
 * Every refusal of PutItem, GetItem, UpdateItem and DeleteItem through the real SDK (and raw requests
 * for bodies the SDK will not build), each with DynamoDB's exact text and in DynamoDB's order of
 * checks. Sources of the texts: src/services/dynamodb/errors.ts and expressions/errors.ts (dynalite's
 * recorded tests, nubo-db/dynamodb-conformance captures of 2026).
 *
 * Requests aimed at a table that does not exist prove a check comes before the table is looked up.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { rawRequest } from "../../../support/raw-request.ts";
import { useStratus } from "../../../support/stratus.ts";
import { rejects } from "../helpers.ts";
import { createTable, hashTable, type Item, indexedTable, itemOps, N, S } from "./helpers.ts";

const VALIDATION = "ValidationException";
const INVALID = "One or more parameter values were invalid: ";
const MISMATCH = "The provided key element does not match the schema";
const NEST =
  "Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit";

function deep(depth: number): Item[string] {
  let value: Item[string] = S("leaf");
  for (let i = 0; i < depth; i++) value = { M: { n: value } };
  return value;
}

describe("DynamoDB item operations: refusals", () => {
  const stratus = useStratus({ inMemory: true });
  let table = ""; // pk S
  let indexed = ""; // pk S, sk S, gsi1 (gsiPk S, gsiSk N), lsi1 (lsiSk S)
  let binary = ""; // pk B
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
    indexed = await createTable(client, indexedTable);
    binary = await createTable(client, (name) => ({
      ...hashTable(name),
      AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "B" }],
    }));
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

  describe("keys against the schema", () => {
    it("a Key of GetItem, UpdateItem and DeleteItem", async () => {
      for (const key of [
        {},
        { b: S("a") },
        { pk: S("a"), b: S("a") },
        { pk: N(1) },
        { pk: { SS: ["a"] } },
      ] as Item[]) {
        await rejects(on(() => table).get({ Key: key }), VALIDATION, MISMATCH);
        await rejects(on(() => table).update({ Key: key }), VALIDATION, MISMATCH);
        await rejects(on(() => table).remove({ Key: key }), VALIDATION, MISMATCH);
      }
      await rejects(on(() => indexed).get({ Key: { pk: S("a") } }), VALIDATION, MISMATCH);
      await rejects(on(() => indexed).remove({ Key: { pk: S("a"), sk: N(1) } }), VALIDATION, MISMATCH);
    });

    it("empty and overlong key values", async () => {
      const emptyString =
        "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk";
      await rejects(on(() => table).get({ Key: { pk: S("") } }), VALIDATION, emptyString);
      await rejects(on(() => table).put({ Item: { pk: S("") } }), VALIDATION, emptyString);
      await rejects(on(() => table).update({ Key: { pk: S("") } }), VALIDATION, emptyString);
      await rejects(
        on(() => binary).remove({ Key: { pk: { B: new Uint8Array() } } }),
        VALIDATION,
        "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty binary value. Key: pk",
      );
      await rejects(
        on(() => indexed).put({ Item: { pk: S("a"), sk: S("") } }),
        VALIDATION,
        "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: sk",
      );
      const hashTooLong = `${INVALID}Size of hashkey has exceeded the maximum size limit of2048 bytes`;
      await on(() => table).put({ Item: { pk: S("h".repeat(2048)) } });
      await rejects(on(() => table).put({ Item: { pk: S("h".repeat(2049)) } }), VALIDATION, hashTooLong);
      await rejects(on(() => table).get({ Key: { pk: S("é".repeat(1025)) } }), VALIDATION, hashTooLong);
      await rejects(
        on(() => indexed).get({ Key: { pk: S("a"), sk: S("s".repeat(1025)) } }),
        VALIDATION,
        `${INVALID}Aggregated size of all range keys has exceeded the size limit of 1024 bytes`,
      );
    });

    it("an Item's key attributes", async () => {
      await rejects(
        on(() => table).put({ Item: {} }),
        VALIDATION,
        `${INVALID}Missing the key pk in the item`,
      );
      await rejects(
        on(() => table).put({ Item: { b: S("a") } }),
        VALIDATION,
        `${INVALID}Missing the key pk in the item`,
      );
      await rejects(
        on(() => indexed).put({ Item: { pk: S("a") } }),
        VALIDATION,
        `${INVALID}Missing the key sk in the item`,
      );
      await rejects(
        on(() => table).put({ Item: { pk: N(1) } }),
        VALIDATION,
        `${INVALID}Type mismatch for key pk expected: S actual: N`,
      );
      await rejects(
        on(() => table).put({ Item: { pk: { L: [S("x")] } } }),
        VALIDATION,
        `${INVALID}Type mismatch for key pk expected: S actual: L`,
      );
    });

    it("an Item's index key attributes: types, empty values, lengths", async () => {
      const put = (item: Item) => on(() => indexed).put({ Item: { pk: S("a"), sk: S("b"), ...item } });
      await rejects(
        put({ gsiSk: S("x") }),
        VALIDATION,
        `${INVALID}Type mismatch for Index Key gsiSk Expected: N Actual: S IndexName: gsi1`,
      );
      await rejects(
        put({ lsiSk: N(5) }),
        VALIDATION,
        `${INVALID}Type mismatch for Index Key lsiSk Expected: S Actual: N IndexName: lsi1`,
      );
      await rejects(
        put({ gsiPk: S("") }),
        VALIDATION,
        "One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty string value. IndexName: gsi1, IndexKey: gsiPk",
      );
      await rejects(
        put({ gsiPk: S("g".repeat(2049)) }),
        VALIDATION,
        `${INVALID}Size of hashkey has exceeded the maximum size limit of2048 bytes`,
      );
      await rejects(
        put({ lsiSk: S("l".repeat(1025)) }),
        VALIDATION,
        `${INVALID}Aggregated size of all range keys has exceeded the size limit of 1024 bytes`,
      );
    });

    it("document paths into key attributes", async () => {
      await rejects(
        on(() => table).get({ Key: { pk: S("a") }, ProjectionExpression: "pk.x" }),
        VALIDATION,
        "Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: Key: pk",
      );
      await rejects(
        on(() => indexed).get({ Key: { pk: S("a"), sk: S("b") }, ProjectionExpression: "a, gsiPk[0]" }),
        VALIDATION,
        "Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: IndexKey: gsiPk",
      );
      await rejects(
        on(() => indexed).update({ Key: { pk: S("a"), sk: S("b") }, UpdateExpression: "SET x = lsiSk.y" }),
        VALIDATION,
        "Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: IndexKey: lsiSk",
      );
      await rejects(
        on(() => table).update({ Key: { pk: S("a") }, UpdateExpression: "SET x = pk.y" }),
        VALIDATION,
        "Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: Key: pk",
      );
    });
  });

  describe("UpdateItem against the schema and the item", () => {
    const update = (expression: string, values?: Item, key: Item = { pk: S("u"), sk: S("1") }) =>
      on(() => indexed).update({ Key: key, UpdateExpression: expression, ExpressionAttributeValues: values });

    it("writes to key attributes", async () => {
      const text = (name: string) =>
        `${INVALID}Cannot update attribute ${name}. This attribute is part of the key`;
      await rejects(update("SET pk = :v", { ":v": S("x") }), VALIDATION, text("pk"));
      await rejects(update("SET x[1] = :v ADD sk.b :v", { ":v": N(1) }), VALIDATION, text("sk"));
      await rejects(update("REMOVE sk"), VALIDATION, text("sk"));
      await rejects(
        on(() => table).update({ Key: { pk: S("u") }, AttributeUpdates: { pk: { Value: S("x") } } }),
        VALIDATION,
        text("pk"),
      );
    });

    it("index key types known from the request", async () => {
      await rejects(
        update("SET gsiSk = :v", { ":v": S("x") }),
        VALIDATION,
        `${INVALID}Type mismatch for Index Key gsiSk Expected: N Actual: S IndexName: gsi1`,
      );
      await rejects(
        update("SET lsiSk = if_not_exists(lsiSk, :v)", { ":v": N(1) }),
        VALIDATION,
        `${INVALID}Type mismatch for Index Key lsiSk Expected: S Actual: N IndexName: lsi1`,
      );
      await rejects(
        update("SET gsiPk = a + :v", { ":v": N(1) }),
        VALIDATION,
        `${INVALID}Type mismatch for Index Key gsiPk Expected: S Actual: N IndexName: gsi1`,
      );
      await rejects(
        on(() => indexed).update({
          Key: { pk: S("u"), sk: S("1") },
          AttributeUpdates: { gsiPk: { Action: "ADD", Value: N(1) } },
        }),
        VALIDATION,
        `${INVALID}Type mismatch for Index Key gsiPk Expected: S Actual: N IndexName: gsi1`,
      );
    });

    it("index keys as the update leaves them", async () => {
      await on(() => indexed).put({ Item: { pk: S("u"), sk: S("1"), num: N(1), str: S("s"), blank: S("") } });
      await rejects(
        update("SET gsiSk = str"),
        VALIDATION,
        "The update expression attempted to update the secondary index key to unsupported type",
      );
      await rejects(
        update("SET gsiPk = :e", { ":e": S("") }),
        VALIDATION,
        "One or more parameter values are not valid. The update expression attempted to update a secondary index key to a value that is not supported. The AttributeValue for a key attribute cannot contain an empty string value.",
      );
      await rejects(
        update("SET lsiSk = blank"),
        VALIDATION,
        "One or more parameter values are not valid. The update expression attempted to update a secondary index key to a value that is not supported. The AttributeValue for a key attribute cannot contain an empty string value.",
      );
      await rejects(
        update("SET lsiSk = :long", { ":long": S("l".repeat(1025)) }),
        VALIDATION,
        "The update expression attempted to update the secondary index key beyond allowed size limits",
      );
      // Nothing was written by the refused updates.
      const { Item } = await on(() => indexed).get({ Key: { pk: S("u"), sk: S("1") }, ConsistentRead: true });
      assert.deepEqual(Item, { pk: S("u"), sk: S("1"), num: N(1), str: S("s"), blank: S("") });
    });

    it("paths and operands the item does not support", async () => {
      await on(() => table).put({
        Item: { pk: S("item"), m: { M: { a: S("x") } }, l: { L: [S("a")] }, s: S("s"), ss: { SS: ["a"] } },
      });
      const up = (expression: string, values?: Item, key = "item") =>
        on(() => table).update({
          Key: { pk: S(key) },
          UpdateExpression: expression,
          ExpressionAttributeValues: values,
        });
      const invalidPath = "The document path provided in the update expression is invalid for update";
      await rejects(up("SET b.a = :v", { ":v": S("x") }, "fresh"), VALIDATION, invalidPath);
      await rejects(up("SET s.a = :v", { ":v": S("x") }), VALIDATION, invalidPath);
      await rejects(up("SET m[0] = :v", { ":v": S("x") }), VALIDATION, invalidPath);
      await rejects(up("REMOVE l.x"), VALIDATION, invalidPath);
      await rejects(
        up("SET c = b"),
        VALIDATION,
        "The provided expression refers to an attribute that does not exist in the item",
      );
      const wrongType = "An operand in the update expression has an incorrect data type";
      await rejects(up("SET e = s + :n", { ":n": N(1) }), VALIDATION, wrongType);
      await rejects(up("ADD ss :n", { ":n": N(1) }), VALIDATION, wrongType);
      await rejects(up("DELETE ss :n", { ":n": { NS: ["1"] } }), VALIDATION, wrongType);
      await rejects(up("SET e = list_append(s, :l)", { ":l": { L: [] } }), VALIDATION, wrongType);
      await rejects(
        on(() => table).update({
          Key: { pk: S("item") },
          AttributeUpdates: { s: { Action: "ADD", Value: N(1) } },
        }),
        VALIDATION,
        "Type mismatch for attribute to update",
      );
    });

    it("the size of an update: the finished item, and what the update writes", async () => {
      const tooLarge = "Item size to update has exceeded the maximum allowed size";
      // A 100-byte key: the finished item is what binds; 409,600 bytes fit exactly.
      const longKey = S("k".repeat(100));
      const fill = (bytes: number) => S("p".repeat(bytes));
      await on(() => table).update({
        Key: { pk: longKey },
        UpdateExpression: "SET p = :p",
        ExpressionAttributeValues: { ":p": fill(409_600 - 102 - 1) },
      });
      await rejects(
        on(() => table).update({
          Key: { pk: longKey },
          UpdateExpression: "SET p = :p",
          ExpressionAttributeValues: { ":p": fill(409_600 - 102) },
        }),
        VALIDATION,
        tooLarge,
      );
      // A one-byte key: what one SET writes (p + value) plus 3 + 19 bytes must fit, so 409,581 is the most.
      await on(() => table).update({
        Key: { pk: S("K") },
        UpdateExpression: "SET p = :p",
        ExpressionAttributeValues: { ":p": fill(409_600 - 19 - 3 - 1) },
      });
      await rejects(
        on(() => table).update({
          Key: { pk: S("L") },
          UpdateExpression: "SET p = :p",
          ExpressionAttributeValues: { ":p": fill(409_600 - 19 - 3) },
        }),
        VALIDATION,
        tooLarge,
      );
    });
  });
});
