/**
 * PutItem, GetItem, UpdateItem and DeleteItem round trips through the real SDK clients (the low-level
 * client and lib-dynamodb's DocumentClient): what is stored is what is read, numbers come back
 * canonical, every ReturnValues option answers what DynamoDB answers (dynalite's recorded tests,
 * conformance tier1), projections keep only the paths asked for.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import { useStratus } from "../../../support/stratus.ts";
import { createTable, hashTable, type Item, indexedTable, itemOps, N, S } from "./helpers.ts";

describe("DynamoDB item operations: round trips", () => {
  const stratus = useStratus({ inMemory: true });
  let table: string;
  let composite: string;
  const ops = itemOps(
    () => stratus.dynamodb(),
    () => table,
  );

  before(async () => {
    table = await createTable(stratus.dynamodb(), hashTable);
    composite = await createTable(stratus.dynamodb(), indexedTable);
  });

  const read = async (key: Item) => (await ops.get({ Key: key, ConsistentRead: true })).Item;

  describe("PutItem and GetItem", () => {
    it("stores every attribute type and reads the item back unchanged", async () => {
      const item: Item = {
        pk: S("all-types"),
        s: S(""),
        n: N("-56.789"),
        b: { B: Uint8Array.of(0x62) },
        emptyB: { B: new Uint8Array() },
        t: { BOOL: false },
        z: { NULL: true },
        ss: { SS: ["a", "b"] },
        ns: { NS: ["1", "-56.789"] },
        bs: { BS: [Uint8Array.of(1, 2)] },
        l: { L: [S("a"), N(1), { L: [] }, { M: {} }] },
        m: { M: { a: S("a"), nested: { M: { deep: { L: [{ NULL: true }] } } } } },
      };
      const output = await ops.put({ Item: item });
      assert.deepEqual(Object.keys(output), ["$metadata"]);
      assert.deepEqual(await read({ pk: S("all-types") }), item);
    });

    it("answers numbers in DynamoDB's canonical form", async () => {
      await ops.put({
        Item: {
          pk: S("numbers"),
          b: N("0000012345678901234567890123456789012345678"),
          c: N("-00001.23456789012345678901234567890123456780000"),
          d: N("0009.99999999999999999999999999999999999990000e125"),
          f: N("0001.000e-130"),
          g: N("1.5E2"),
          h: N("-0"),
          ns: { NS: ["1.0", "2e0"] },
        },
      });
      assert.deepEqual(await read({ pk: S("numbers") }), {
        pk: S("numbers"),
        b: N("12345678901234567890123456789012345678"),
        c: N("-1.2345678901234567890123456789012345678"),
        d: N(`${"9".repeat(38)}${"0".repeat(88)}`),
        f: N(`0.${"0".repeat(129)}1`),
        g: N("150"),
        h: N("0"),
        ns: { NS: ["1", "2"] },
      });
    });

    it("answers no Item for a key that is not there", async () => {
      const output = await ops.get({ Key: { pk: S("never-written") } });
      assert.equal(output.Item, undefined);
    });

    it("ReturnValues ALL_OLD: nothing for a new item, the replaced item otherwise", async () => {
      const first = await ops.put({ Item: { pk: S("old"), v: N(1) }, ReturnValues: "ALL_OLD" });
      assert.equal(first.Attributes, undefined);
      const second = await ops.put({ Item: { pk: S("old"), v: N(2) }, ReturnValues: "ALL_OLD" });
      assert.deepEqual(second.Attributes, { pk: S("old"), v: N(1) });
      const none = await ops.put({ Item: { pk: S("old"), v: N(3) }, ReturnValues: "NONE" });
      assert.equal(none.Attributes, undefined);
      assert.deepEqual(await read({ pk: S("old") }), { pk: S("old"), v: N(3) });
    });

    it("projects with ProjectionExpression (nested paths, list indexes, names) and AttributesToGet", async () => {
      await ops.put({
        Item: {
          pk: S("projected"),
          a: S("a"),
          m: { M: { x: N(1), y: N(2), z: { M: { deep: S("d") } } } },
          l: { L: [S("l0"), S("l1"), S("l2"), S("l3")] },
          "odd name": S("odd"),
        },
      });
      const projected = await ops.get({
        Key: { pk: S("projected") },
        ProjectionExpression: "m.z.deep, l[3], l[1], #odd, absent, m.x",
        ExpressionAttributeNames: { "#odd": "odd name" },
      });
      assert.deepEqual(projected.Item, {
        m: { M: { z: { M: { deep: S("d") } }, x: N(1) } },
        l: { L: [S("l1"), S("l3")] },
        "odd name": S("odd"),
      });
      const legacy = await ops.get({ Key: { pk: S("projected") }, AttributesToGet: ["a", "pk", "nope"] });
      assert.deepEqual(legacy.Item, { a: S("a"), pk: S("projected") });
      const nothing = await ops.get({ Key: { pk: S("projected") }, ProjectionExpression: "nope" });
      assert.deepEqual(nothing.Item, {});
    });

    it("finds an item by any spelling of a number key, and answers it canonical", async () => {
      const numeric = await createTable(stratus.dynamodb(), (name) => ({
        ...hashTable(name),
        AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "N" }],
      }));
      const n = itemOps(
        () => stratus.dynamodb(),
        () => numeric,
      );
      await n.put({ Item: { pk: N("1.50"), v: S("one and a half") } });
      for (const spelling of ["1.5", "15e-1", "+0001.500", "0.15E1"]) {
        const { Item } = await n.get({ Key: { pk: N(spelling) }, ConsistentRead: true });
        assert.deepEqual(Item, { pk: N("1.5"), v: S("one and a half") }, spelling);
      }
      await n.remove({ Key: { pk: N("15E-1") } });
      assert.equal((await n.get({ Key: { pk: N("1.5") } })).Item, undefined);
    });

    it("names the table by its ARN", async () => {
      const arn = `arn:aws:dynamodb:us-east-1:000000000000:table/${table}`;
      await ops.put({ TableName: arn, Item: { pk: S("by-arn") } });
      assert.deepEqual(await read({ pk: S("by-arn") }), { pk: S("by-arn") });
    });

    it("keeps items of a composite key apart by their sort key", async () => {
      const c = itemOps(
        () => stratus.dynamodb(),
        () => composite,
      );
      await c.put({ Item: { pk: S("p"), sk: S("a"), v: N(1) } });
      await c.put({ Item: { pk: S("p"), sk: S("b"), v: N(2) } });
      assert.deepEqual((await c.get({ Key: { pk: S("p"), sk: S("a") } })).Item, {
        pk: S("p"),
        sk: S("a"),
        v: N(1),
      });
      assert.deepEqual((await c.get({ Key: { sk: S("b"), pk: S("p") } })).Item?.v, N(2));
    });
  });

  describe("DeleteItem", () => {
    it("removes the item; ALL_OLD answers it; deleting nothing succeeds with nothing", async () => {
      await ops.put({ Item: { pk: S("gone"), v: S("x") } });
      const output = await ops.remove({ Key: { pk: S("gone") }, ReturnValues: "ALL_OLD" });
      assert.deepEqual(output.Attributes, { pk: S("gone"), v: S("x") });
      assert.equal(await read({ pk: S("gone") }), undefined);
      const again = await ops.remove({ Key: { pk: S("gone") }, ReturnValues: "ALL_OLD" });
      assert.equal(again.Attributes, undefined);
    });
  });

  describe("UpdateItem", () => {
    it("creates the item from its key when there is none, even with no action at all", async () => {
      await ops.update({ Key: { pk: S("bare") } });
      assert.deepEqual(await read({ pk: S("bare") }), { pk: S("bare") });
      await ops.update({
        Key: { pk: S("upsert") },
        UpdateExpression: "SET #d = :v",
        ExpressionAttributeNames: { "#d": "data" },
        ExpressionAttributeValues: { ":v": S("created") },
      });
      assert.deepEqual(await read({ pk: S("upsert") }), { pk: S("upsert"), data: S("created") });
    });

    it("applies SET (arithmetic, if_not_exists, list_append), REMOVE, ADD and DELETE", async () => {
      await ops.put({
        Item: {
          pk: S("clauses"),
          cnt: N(10),
          vals: { L: [S("b"), S("c")] },
          tags: { SS: ["a", "b", "c"] },
          few: { SS: ["a", "b"] },
          rm1: S("x"),
          mm: { M: { leaf: N(1) } },
        },
      });
      const output = await ops.update({
        Key: { pk: S("clauses") },
        UpdateExpression:
          "SET cnt = cnt + :one, vals = list_append(:head, vals), fresh = if_not_exists(fresh, :d), mm.leaf = mm.leaf - :half " +
          "REMOVE rm1 ADD tally :ten, tags :more DELETE few :less",
        ExpressionAttributeValues: {
          ":one": N(1),
          ":head": { L: [S("a")] },
          ":d": S("default"),
          ":half": N("0.5"),
          ":ten": N(10),
          ":more": { SS: ["d"] },
          ":less": { SS: ["a"] },
        },
        ReturnValues: "ALL_NEW",
      });
      assert.deepEqual(output.Attributes, {
        pk: S("clauses"),
        cnt: N(11),
        vals: { L: [S("a"), S("b"), S("c")] },
        tags: { SS: ["a", "b", "c", "d"] },
        few: { SS: ["b"] },
        mm: { M: { leaf: N("0.5") } },
        fresh: S("default"),
        tally: N(10),
      });
    });

    it("evaluates every SET against the item as it was", async () => {
      await ops.put({ Item: { pk: S("snapshot"), a: S("OLD") } });
      const output = await ops.update({
        Key: { pk: S("snapshot") },
        UpdateExpression: "SET a = :v, b = a",
        ExpressionAttributeValues: { ":v": S("NEW") },
        ReturnValues: "ALL_NEW",
      });
      assert.deepEqual(output.Attributes, { pk: S("snapshot"), a: S("NEW"), b: S("OLD") });
    });

    it("ReturnValues: NONE, ALL_OLD, UPDATED_OLD, ALL_NEW, UPDATED_NEW", async () => {
      const seed = { pk: S("rv"), x: N(1), y: S("keep") };
      const update = (returnValues: "NONE" | "ALL_OLD" | "UPDATED_OLD" | "ALL_NEW" | "UPDATED_NEW") =>
        ops.put({ Item: seed }).then(() =>
          ops.update({
            Key: { pk: S("rv") },
            UpdateExpression: "SET x = :v, z = :v",
            ExpressionAttributeValues: { ":v": N(2) },
            ReturnValues: returnValues,
          }),
        );
      assert.equal((await update("NONE")).Attributes, undefined);
      assert.deepEqual((await update("ALL_OLD")).Attributes, seed);
      assert.deepEqual((await update("UPDATED_OLD")).Attributes, { x: N(1) });
      assert.deepEqual((await update("ALL_NEW")).Attributes, { pk: S("rv"), x: N(2), y: S("keep"), z: N(2) });
      assert.deepEqual((await update("UPDATED_NEW")).Attributes, { x: N(2), z: N(2) });
    });

    it("ReturnValues on a new item: nothing old; UPDATED_NEW without removed paths", async () => {
      const created = await ops.update({
        Key: { pk: S("rv-new") },
        UpdateExpression: "SET a = :v REMOVE b",
        ExpressionAttributeValues: { ":v": S("x") },
        ReturnValues: "UPDATED_OLD",
      });
      assert.equal(created.Attributes, undefined);
      const removed = await ops.update({
        Key: { pk: S("rv-new") },
        UpdateExpression: "REMOVE a",
        ReturnValues: "UPDATED_NEW",
      });
      assert.equal(removed.Attributes, undefined);
    });

    it("UPDATED_NEW of nested paths and list positions (dynalite's recorded example)", async () => {
      await ops.update({
        Key: { pk: S("nested") },
        UpdateExpression: "set b = :b, c = :c",
        ExpressionAttributeValues: { ":b": { M: { a: N(1), b: N(2), c: N(3) } }, ":c": { L: [N(1), N(3)] } },
      });
      const output = await ops.update({
        Key: { pk: S("nested") },
        UpdateExpression:
          "set b.c=((c[1])+(b.a)),b.a = pk,c[1] = pk, c[4] = b.a - b.b, c[2] = b.c add c[8] :b, c[6] :a",
        ExpressionAttributeValues: { ":a": N(2), ":b": { SS: ["a"] } },
        ReturnValues: "UPDATED_NEW",
      });
      assert.deepEqual(output.Attributes, {
        b: { M: { a: S("nested"), c: N(4) } },
        c: { L: [S("nested"), N(3), N(2)] },
      });
      assert.deepEqual(await read({ pk: S("nested") }), {
        pk: S("nested"),
        b: { M: { a: S("nested"), b: N(2), c: N(4) } },
        c: { L: [N(1), S("nested"), N(3), N(-1), N(2), { SS: ["a"] }] },
      });
    });

    it("legacy AttributeUpdates: PUT, ADD (numbers, sets, lists), DELETE (attributes and set members)", async () => {
      await ops.update({
        Key: { pk: S("legacy") },
        AttributeUpdates: {
          n: { Value: N(1) },
          ss: { Value: { SS: ["a", "b"] } },
          l: { Value: { L: [S("a")] } },
          gone: { Value: S("x") },
        },
      });
      const output = await ops.update({
        Key: { pk: S("legacy") },
        AttributeUpdates: {
          n: { Action: "ADD", Value: N(3) },
          ss: { Action: "DELETE", Value: { SS: ["a", "z"] } },
          l: { Action: "ADD", Value: { L: [S("b")] } },
          gone: { Action: "DELETE" },
          fresh: { Action: "ADD", Value: { NS: ["5"] } },
        },
        ReturnValues: "UPDATED_NEW",
      });
      assert.deepEqual(output.Attributes, {
        n: N(4),
        ss: { SS: ["b"] },
        l: { L: [S("a"), S("b")] },
        fresh: { NS: ["5"] },
      });
      assert.deepEqual(await read({ pk: S("legacy") }), {
        pk: S("legacy"),
        n: N(4),
        ss: { SS: ["b"] },
        l: { L: [S("a"), S("b")] },
        fresh: { NS: ["5"] },
      });
    });

    it("adds exactly: 0.1 + 0.2 is 0.3, and 38 digits stay 38 digits", async () => {
      await ops.put({
        Item: { pk: S("exact"), n: N("0.1"), big: N("99999999999999999999999999999999999998") },
      });
      const output = await ops.update({
        Key: { pk: S("exact") },
        UpdateExpression: "SET n = n + :p ADD big :one",
        ExpressionAttributeValues: { ":p": N("0.2"), ":one": N(1) },
        ReturnValues: "UPDATED_NEW",
      });
      assert.deepEqual(output.Attributes, { n: N("0.3"), big: N("99999999999999999999999999999999999999") });
    });
  });

  describe("through lib-dynamodb's DocumentClient", () => {
    it("puts, gets, updates and deletes native values", async () => {
      const doc = DynamoDBDocumentClient.from(stratus.dynamodb(), {
        marshallOptions: { removeUndefinedValues: true },
      });
      await doc.send(
        new PutCommand({
          TableName: table,
          Item: {
            pk: "doc",
            name: "Ann",
            age: 41,
            tags: new Set(["x", "y"]),
            address: { city: "Oslo" },
            list: [1, "two"],
          },
          ConditionExpression: "attribute_not_exists(pk)",
        }),
      );
      const { Item } = await doc.send(
        new GetCommand({ TableName: table, Key: { pk: "doc" }, ConsistentRead: true }),
      );
      assert.deepEqual(Item, {
        pk: "doc",
        name: "Ann",
        age: 41,
        tags: new Set(["x", "y"]),
        address: { city: "Oslo" },
        list: [1, "two"],
      });
      const updated = await doc.send(
        new UpdateCommand({
          TableName: table,
          Key: { pk: "doc" },
          UpdateExpression: "SET age = age + :one, address.zip = :zip REMOVE #l",
          ExpressionAttributeNames: { "#l": "list" },
          ExpressionAttributeValues: { ":one": 1, ":zip": "0150" },
          ReturnValues: "ALL_NEW",
        }),
      );
      assert.deepEqual(updated.Attributes, {
        pk: "doc",
        name: "Ann",
        age: 42,
        tags: new Set(["x", "y"]),
        address: { city: "Oslo", zip: "0150" },
      });
      const deleted = await doc.send(
        new DeleteCommand({ TableName: table, Key: { pk: "doc" }, ReturnValues: "ALL_OLD" }),
      );
      assert.equal(deleted.Attributes?.age, 42);
      const after = await doc.send(new GetCommand({ TableName: table, Key: { pk: "doc" } }));
      assert.equal(after.Item, undefined);
    });
  });
});
