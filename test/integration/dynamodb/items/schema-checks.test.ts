/**
 * The refusals of PutItem, GetItem, UpdateItem and DeleteItem that need the table's schema or the
 * stored item: keys, index keys, writes to key attributes, the update applied to the item, its size;
 * each with DynamoDB's exact text and in DynamoDB's order of checks. Sources of the texts:
 * src/services/dynamodb/errors.ts (dynalite's recorded tests, nubo-db/dynamodb-conformance captures of
 * 2026).
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { useStratus } from "../../../support/stratus.ts";
import { rejects } from "../helpers.ts";
import { createTable, hashTable, type Item, indexedTable, itemOps, N, S } from "./helpers.ts";

const VALIDATION = "ValidationException";
const INVALID = "One or more parameter values were invalid: ";
const MISMATCH = "The provided key element does not match the schema";

describe("DynamoDB item operations: refusals against the table's schema and the item", () => {
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

  before(async () => {
    const client = stratus.dynamodb();
    table = await createTable(client, hashTable);
    indexed = await createTable(client, indexedTable);
    binary = await createTable(client, (name) => ({
      ...hashTable(name),
      AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "B" }],
    }));
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
