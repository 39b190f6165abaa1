/**
 * Conditional writes: ConditionExpression and the legacy Expected + ConditionalOperator on PutItem,
 * UpdateItem and DeleteItem; ConditionalCheckFailedException ("The conditional request failed") with the
 * stored item when ReturnValuesOnConditionCheckFailure is ALL_OLD; nothing written when a condition
 * fails. Semantics: AWS developer guide "Condition expressions"; dynalite test/putItem.js (recorded).
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import type { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { useStratus } from "../../../support/stratus.ts";
import { rejects, sdkError } from "../helpers.ts";
import { createTable, hashTable, type Item, itemOps, N, S } from "./helpers.ts";

const FAILED = "ConditionalCheckFailedException";
const FAILED_TEXT = "The conditional request failed";

describe("DynamoDB item operations: conditions", () => {
  const stratus = useStratus({ inMemory: true });
  let table = "";
  const ops = itemOps(
    () => stratus.dynamodb(),
    () => table,
  );
  const read = async (pk: string) => (await ops.get({ Key: { pk: S(pk) }, ConsistentRead: true })).Item;

  before(async () => {
    table = await createTable(stratus.dynamodb(), hashTable);
  });

  describe("ConditionExpression", () => {
    it("attribute_not_exists(pk) lets the first put in and keeps the second out", async () => {
      await ops.put({ Item: { pk: S("once"), v: N(1) }, ConditionExpression: "attribute_not_exists(pk)" });
      await rejects(
        ops.put({ Item: { pk: S("once"), v: N(2) }, ConditionExpression: "attribute_not_exists(pk)" }),
        FAILED,
        FAILED_TEXT,
      );
      assert.deepEqual(await read("once"), { pk: S("once"), v: N(1) });
    });

    it("ReturnValuesOnConditionCheckFailure ALL_OLD puts the stored item in the error", async () => {
      await ops.put({ Item: { pk: S("rvocf"), attr: S("original") } });
      const error = (await sdkError(
        ops.put({
          Item: { pk: S("rvocf"), attr: S("overwrite") },
          ConditionExpression: "attribute_not_exists(pk)",
          ReturnValuesOnConditionCheckFailure: "ALL_OLD",
        }),
      )) as unknown as ConditionalCheckFailedException;
      assert.equal(error.name, FAILED);
      assert.equal(error.message, FAILED_TEXT);
      assert.deepEqual(error.Item, { pk: S("rvocf"), attr: S("original") });

      const updateError = (await sdkError(
        ops.update({
          Key: { pk: S("rvocf") },
          UpdateExpression: "SET attr = :v",
          ConditionExpression: "attr = :other",
          ExpressionAttributeValues: { ":v": S("x"), ":other": S("nope") },
          ReturnValuesOnConditionCheckFailure: "ALL_OLD",
        }),
      )) as unknown as ConditionalCheckFailedException;
      assert.deepEqual(updateError.Item, { pk: S("rvocf"), attr: S("original") });

      const withoutItem = (await sdkError(
        ops.remove({
          Key: { pk: S("no-such-item") },
          ConditionExpression: "attribute_exists(pk)",
          ReturnValuesOnConditionCheckFailure: "ALL_OLD",
        }),
      )) as unknown as ConditionalCheckFailedException;
      assert.equal(withoutItem.name, FAILED);
      assert.equal(withoutItem.Item, undefined);

      const notAsked = (await sdkError(
        ops.remove({ Key: { pk: S("rvocf") }, ConditionExpression: "attribute_not_exists(pk)" }),
      )) as unknown as ConditionalCheckFailedException;
      assert.equal(notAsked.Item, undefined);
    });

    it("a failed UpdateItem or DeleteItem writes nothing, not even the key", async () => {
      await rejects(
        ops.update({
          Key: { pk: S("not-created") },
          UpdateExpression: "SET a = :v",
          ConditionExpression: "attribute_exists(pk)",
          ExpressionAttributeValues: { ":v": S("x") },
        }),
        FAILED,
        FAILED_TEXT,
      );
      assert.equal(await read("not-created"), undefined);
      await ops.put({ Item: { pk: S("kept"), status: S("active") } });
      await rejects(
        ops.remove({
          Key: { pk: S("kept") },
          ConditionExpression: "#s = :gone",
          ExpressionAttributeNames: { "#s": "status" },
          ExpressionAttributeValues: { ":gone": S("deleted") },
        }),
        FAILED,
        FAILED_TEXT,
      );
      assert.deepEqual(await read("kept"), { pk: S("kept"), status: S("active") });
    });

    it("optimistic locking with a version number", async () => {
      await ops.put({ Item: { pk: S("versioned"), version: N(1), body: S("v1") } });
      const bump = (expected: number, body: string) =>
        ops.update({
          Key: { pk: S("versioned") },
          UpdateExpression: "SET version = version + :one, body = :b",
          ConditionExpression: "version = :expected",
          ExpressionAttributeValues: { ":one": N(1), ":b": S(body), ":expected": N(expected) },
        });
      await bump(1, "v2");
      await rejects(bump(1, "stale"), FAILED, FAILED_TEXT);
      await bump(2, "v3");
      assert.deepEqual(await read("versioned"), { pk: S("versioned"), version: N(3), body: S("v3") });
    });

    it("comparators, functions, AND/OR/NOT and their precedence", async () => {
      const item: Item = {
        pk: S("cond"),
        n: N(10),
        s: S("hello world"),
        ss: { SS: ["a", "b"] },
        l: { L: [S("x"), N(2)] },
        m: { M: { leaf: { BOOL: true } } },
        z: { NULL: true },
      };
      await ops.put({ Item: item });
      const holds = async (expression: string, values?: Item) => {
        try {
          await ops.put({ Item: item, ConditionExpression: expression, ExpressionAttributeValues: values });
          return true;
        } catch (error) {
          if ((error as Error).name === FAILED) return false;
          throw error;
        }
      };
      assert.equal(await holds("n = :v", { ":v": N("10.0") }), true);
      assert.equal(await holds("n <> :v", { ":v": N(10) }), false);
      assert.equal(await holds("absent <> :v", { ":v": N(10) }), true);
      assert.equal(await holds("n BETWEEN :a AND :b", { ":a": N(1), ":b": N(10) }), true);
      assert.equal(await holds("n IN (:a, :b)", { ":a": N(1), ":b": N(2) }), false);
      assert.equal(await holds("n > :a AND s < :s", { ":a": N(9), ":s": S("i") }), true);
      assert.equal(await holds("begins_with(s, :p)", { ":p": S("hello") }), true);
      assert.equal(await holds("contains(s, :p)", { ":p": S("o w") }), true);
      assert.equal(await holds("contains(ss, :p)", { ":p": S("c") }), false);
      assert.equal(await holds("contains(l, :p)", { ":p": N(2) }), true);
      assert.equal(await holds("size(l) = :two AND size(s) > :ten", { ":two": N(2), ":ten": N(10) }), true);
      assert.equal(await holds("attribute_type(m.leaf, :t)", { ":t": S("BOOL") }), true);
      assert.equal(await holds("attribute_type(z, :t)", { ":t": S("S") }), false);
      assert.equal(await holds("attribute_exists(m.leaf) AND attribute_not_exists(m.elsewhere)"), true);
      // AND binds tighter than OR; NOT tighter than AND.
      assert.equal(
        await holds("n = :one OR n = :ten AND s = :no", { ":one": N(1), ":ten": N(10), ":no": S("x") }),
        false,
      );
      assert.equal(
        await holds("(n = :one OR n = :ten) AND NOT s = :no", { ":one": N(1), ":ten": N(10), ":no": S("x") }),
        true,
      );
      assert.equal(await holds("l[1] = :two AND NOT l[0] = :two", { ":two": N(2) }), true);
    });
  });

  describe("legacy Expected and ConditionalOperator", () => {
    it("Exists, Value and every ComparisonOperator", async () => {
      const item: Item = { pk: S("legacy"), a: S("b"), n: N(5), ss: { SS: ["x"] } };
      await ops.put({ Item: item });
      const holds = async (expected: Record<string, unknown>, operator?: "AND" | "OR") => {
        try {
          await ops.put({ Item: item, Expected: expected as never, ConditionalOperator: operator });
          return true;
        } catch (error) {
          if ((error as Error).name === FAILED) return false;
          throw error;
        }
      };
      assert.equal(await holds({ a: { Value: S("b") } }), true);
      assert.equal(await holds({ a: { Value: S("c") } }), false);
      assert.equal(await holds({ a: { Exists: true, Value: S("b") } }), true);
      assert.equal(await holds({ a: { Exists: false } }), false);
      assert.equal(await holds({ other: { Exists: false } }), true);
      assert.equal(await holds({ a: { ComparisonOperator: "EQ", AttributeValueList: [S("b")] } }), true);
      assert.equal(await holds({ a: { ComparisonOperator: "EQ", Value: S("b") } }), true);
      assert.equal(await holds({ a: { ComparisonOperator: "NE", AttributeValueList: [S("b")] } }), false);
      assert.equal(await holds({ n: { ComparisonOperator: "LT", AttributeValueList: [N(6)] } }), true);
      assert.equal(await holds({ n: { ComparisonOperator: "GE", AttributeValueList: [N(6)] } }), false);
      assert.equal(
        await holds({ n: { ComparisonOperator: "BETWEEN", AttributeValueList: [N(1), N(5)] } }),
        true,
      );
      assert.equal(await holds({ n: { ComparisonOperator: "IN", AttributeValueList: [N(4), N(5)] } }), true);
      assert.equal(
        await holds({ a: { ComparisonOperator: "BEGINS_WITH", AttributeValueList: [S("b")] } }),
        true,
      );
      assert.equal(
        await holds({ ss: { ComparisonOperator: "CONTAINS", AttributeValueList: [S("x")] } }),
        true,
      );
      assert.equal(
        await holds({ ss: { ComparisonOperator: "NOT_CONTAINS", AttributeValueList: [S("x")] } }),
        false,
      );
      assert.equal(await holds({ other: { ComparisonOperator: "NULL" } }), true);
      assert.equal(await holds({ a: { ComparisonOperator: "NOT_NULL" } }), true);
      const mixed = { a: { Value: S("b") }, other: { ComparisonOperator: "NOT_NULL" } };
      assert.equal(await holds(mixed), false);
      assert.equal(await holds(mixed, "OR"), true);
    });

    it("Expected on UpdateItem and DeleteItem", async () => {
      await ops.put({ Item: { pk: S("legacy-ud"), state: S("open") } });
      await rejects(
        ops.update({
          Key: { pk: S("legacy-ud") },
          AttributeUpdates: { state: { Value: S("closed") } },
          Expected: { state: { Value: S("closed") } },
        }),
        FAILED,
        FAILED_TEXT,
      );
      await ops.update({
        Key: { pk: S("legacy-ud") },
        AttributeUpdates: { state: { Value: S("closed") } },
        Expected: { state: { Value: S("open") } },
      });
      await rejects(
        ops.remove({ Key: { pk: S("legacy-ud") }, Expected: { state: { Exists: false } } }),
        FAILED,
        FAILED_TEXT,
      );
      await ops.remove({ Key: { pk: S("legacy-ud") }, Expected: { state: { Value: S("closed") } } });
      assert.equal(await read("legacy-ud"), undefined);
    });
  });
});
