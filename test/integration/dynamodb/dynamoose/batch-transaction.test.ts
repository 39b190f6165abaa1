/**
 * Dynamoose batches and transactions against Stratus: batchPut, batchGet (found, missing, order kept,
 * attributes), batchDelete, on hash and hash+range tables; `dynamoose.transaction` with
 * Put/Update/Delete/ConditionCheck across two tables, all-or-nothing, a read transaction
 * (TransactGetItems), and a failing condition that cancels everything with its reasons in request order.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import dynamoose from "dynamoose";
import { type DynamooseModel, plain, rejection, tableOf, useDynamoose } from "./helpers.ts";

describe("Dynamoose batches and transactions", () => {
  // On the durable on-disk store, as Stratus runs by default.
  const harness = useDynamoose({ inMemory: false });
  let Product: DynamooseModel;
  let Stock: DynamooseModel;

  before(async () => {
    Product = await harness.model(
      "Products",
      new dynamoose.Schema(
        {
          sku: { type: String, hashKey: true },
          name: { type: String, required: true },
          price: Number,
          colors: { type: Set, schema: [String] },
          specs: { type: Object, schema: { weight: Number, size: String } },
        },
        { timestamps: true },
      ),
    );
    Stock = await harness.model("Stock", {
      warehouse: { type: String, hashKey: true },
      sku: { type: String, rangeKey: true },
      quantity: { type: Number, default: 0 },
    });
  });

  describe("batches", () => {
    it("batchPuts items with defaults, timestamps and nested values, and batchGets them in key order", async () => {
      const put = await Product.batchPut([
        {
          sku: "p1",
          name: "Pen",
          price: 2,
          colors: new Set(["red", "blue"]),
          specs: { weight: 10, size: "S" },
        },
        { sku: "p2", name: "Pad", price: 5 },
        { sku: "p3", name: "Ink", price: 9.75 },
      ]);
      assert.deepEqual(put, { unprocessedItems: [] });
      const request = harness.sent("BatchWriteItem").at(-1) as { RequestItems: Record<string, unknown[]> };
      assert.equal(request.RequestItems[tableOf(Product)]?.length, 3);

      const got = await Product.batchGet(["p3", "missing", "p1", "p2"]);
      assert.deepEqual(
        got.map((item) => plain(item).sku),
        ["p3", "p1", "p2"],
      );
      assert.deepEqual(got.unprocessedKeys, []);
      const pen = plain(got[1]);
      assert.equal(pen.name, "Pen");
      assert.deepEqual(pen.colors, new Set(["red", "blue"]));
      assert.deepEqual(pen.specs, { weight: 10, size: "S" });
      assert.ok(pen.createdAt instanceof Date);
      assert.equal(plain(got[0]).price, 9.75);
    });

    it("batchGets nothing found as an empty list", async () => {
      const got = await Product.batchGet(["nope-1", "nope-2"]);
      assert.equal(got.length, 0);
      assert.deepEqual(got.unprocessedKeys, []);
    });

    it("batchGets only the requested attributes, with a consistent read", async () => {
      await Product.batchPut([{ sku: "a1", name: "Alpha", price: 1 }]);
      const got = await Product.batchGet(["a1"], { attributes: ["sku", "price"], consistent: true });
      assert.deepEqual(
        got.map((item) => plain(item)),
        [{ sku: "a1", price: 1 }],
      );
      const request = harness.sent("BatchGetItem").at(-1) as {
        RequestItems: Record<string, { ConsistentRead?: boolean }>;
      };
      assert.equal(request.RequestItems[tableOf(Product)]?.ConsistentRead, true);
    });

    it("batchDeletes items, leaving the others", async () => {
      await Product.batchPut([
        { sku: "d1", name: "One" },
        { sku: "d2", name: "Two" },
        { sku: "d3", name: "Three" },
      ]);
      const deleted = await Product.batchDelete(["d1", "d3", "d-never"]);
      assert.deepEqual(deleted, { unprocessedItems: [] });
      const left = await Product.batchGet(["d1", "d2", "d3"]);
      assert.deepEqual(
        left.map((item) => plain(item).sku),
        ["d2"],
      );
    });

    it("batches on a hash+range table by composite keys, applying defaults", async () => {
      await Stock.batchPut([
        { warehouse: "north", sku: "p1", quantity: 5 },
        { warehouse: "north", sku: "p2" },
        { warehouse: "south", sku: "p1", quantity: 7 },
      ]);
      const got = await Stock.batchGet([
        { warehouse: "south", sku: "p1" },
        { warehouse: "north", sku: "p2" },
      ]);
      assert.deepEqual(
        got.map((item) => plain(item)),
        [
          { warehouse: "south", sku: "p1", quantity: 7 },
          { warehouse: "north", sku: "p2", quantity: 0 },
        ],
      );
      await Stock.batchDelete([{ warehouse: "north", sku: "p2" }]);
      assert.equal(await Stock.get({ warehouse: "north", sku: "p2" }), undefined);
      assert.equal(plain(await Stock.get({ warehouse: "north", sku: "p1" })).quantity, 5);
    });

    it("rejects an invalid item in a batchPut before sending anything", async () => {
      const writes = harness.sent("BatchWriteItem").length;
      const error = await rejection(Product.batchPut([{ sku: "ok", name: "Ok" }, { sku: "bad" }]));
      assert.equal(error.name, "ValidationError");
      assert.equal(error.message, "name is a required property but has no value when trying to save item");
      assert.equal(harness.sent("BatchWriteItem").length, writes);
      assert.equal(await Product.get("ok"), undefined);
    });
  });

  describe("transactions", () => {
    it("applies Put, Update, Delete and ConditionCheck across two tables", async () => {
      await Product.create({ sku: "t1", name: "Lamp", price: 30 });
      await Product.create({ sku: "t-old", name: "Old" });
      await Stock.create({ warehouse: "east", sku: "t1", quantity: 4 });

      const result = await dynamoose.transaction([
        Product.transaction.create({ sku: "t2", name: "Shade", price: 12 }),
        Stock.transaction.update({ warehouse: "east", sku: "t1" }, { $ADD: { quantity: -1 } }),
        Product.transaction.delete("t-old"),
        Product.transaction.condition("t1", new dynamoose.Condition("price").eq(30)),
      ]);
      assert.equal(result, null);
      const request = harness.sent("TransactWriteItems").at(-1) as {
        TransactItems: Record<string, unknown>[];
      };
      assert.deepEqual(
        request.TransactItems.map((item) => Object.keys(item)[0]),
        ["Put", "Update", "Delete", "ConditionCheck"],
      );

      assert.equal(plain(await Product.get("t2")).name, "Shade");
      assert.equal(plain(await Stock.get({ warehouse: "east", sku: "t1" })).quantity, 3);
      assert.equal(await Product.get("t-old"), undefined);
      assert.equal(plain(await Product.get("t1")).price, 30);
    });

    it("reads several items at once with a transaction of gets (TransactGetItems)", async () => {
      await Product.create({ sku: "g1", name: "Globe", price: 40 });
      await Stock.create({ warehouse: "west", sku: "g1", quantity: 8 });
      const items = (await dynamoose.transaction([
        Product.transaction.get("g1"),
        Stock.transaction.get({ warehouse: "west", sku: "g1" }),
      ])) as unknown[];
      assert.equal(harness.sent("TransactGetItems").length > 0, true);
      assert.equal(items.length, 2);
      assert.equal(plain(items[0]).name, "Globe");
      assert.equal(plain(items[0]).price, 40);
      assert.deepEqual(plain(items[1]), { warehouse: "west", sku: "g1", quantity: 8 });
    });

    it("cancels everything when a condition fails, with the reasons in request order", async () => {
      await Product.create({ sku: "c1", name: "Cup", price: 3 });
      await Stock.create({ warehouse: "east", sku: "c1", quantity: 10 });

      const error = await rejection(
        dynamoose.transaction([
          Product.transaction.update({ sku: "c1" }, { price: 4 }),
          Stock.transaction.update(
            { warehouse: "east", sku: "c1" },
            { $ADD: { quantity: -20 } },
            {
              condition: new dynamoose.Condition("quantity").ge(20),
            },
          ),
          Product.transaction.create({ sku: "c2", name: "Saucer" }),
        ]),
      );
      assert.equal(error.name, "TransactionCanceledException");
      assert.equal(
        error.message,
        "Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed, None]",
      );
      assert.deepEqual(error.CancellationReasons, [
        { Code: "None" },
        { Code: "ConditionalCheckFailed", Message: "The conditional request failed" },
        { Code: "None" },
      ]);
      // Nothing was applied.
      assert.equal(plain(await Product.get("c1")).price, 3);
      assert.equal(plain(await Stock.get({ warehouse: "east", sku: "c1" })).quantity, 10);
      assert.equal(await Product.get("c2"), undefined);
    });

    it("cancels a transaction whose create meets an existing item (overwrite: false)", async () => {
      await Product.create({ sku: "dup", name: "First" });
      const error = await rejection(
        dynamoose.transaction([
          Product.transaction.create({ sku: "fresh", name: "Fresh" }),
          Product.transaction.create({ sku: "dup", name: "Second" }),
        ]),
      );
      assert.equal(error.name, "TransactionCanceledException");
      assert.equal(
        error.message,
        "Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed]",
      );
      assert.equal(plain(await Product.get("dup")).name, "First");
      assert.equal(await Product.get("fresh"), undefined);
    });

    it("cancels on a failed ConditionCheck alone", async () => {
      await Product.create({ sku: "cc", name: "Check", price: 1 });
      const error = await rejection(
        dynamoose.transaction([
          Product.transaction.condition("cc", new dynamoose.Condition("price").gt(100)),
          Stock.transaction.create({ warehouse: "x", sku: "cc", quantity: 1 }),
        ]),
      );
      assert.equal(error.name, "TransactionCanceledException");
      assert.deepEqual(
        (error.CancellationReasons as { Code: string }[]).map((reason) => reason.Code),
        ["ConditionalCheckFailed", "None"],
      );
      assert.equal(await Stock.get({ warehouse: "x", sku: "cc" }), undefined);
    });
  });
});
