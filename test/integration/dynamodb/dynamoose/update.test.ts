/**
 * Dynamoose's Model.update against Stratus: plain and $SET updates, $ADD to numbers, sets and lists
 * (Dynamoose turns a list $ADD into `SET #a = list_append(#a, :v)`), $REMOVE, $DELETE from sets, all
 * of them in one call, the updatedAt timestamp it adds, update as an upsert, conditional updates, and
 * the ReturnValues it asks for (ALL_NEW by default).
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import dynamoose from "dynamoose";
import { type DynamooseModel, plain, rejection, tableOf, useDynamoose } from "./helpers.ts";

describe("Dynamoose updates", () => {
  const harness = useDynamoose();
  let Account: DynamooseModel;
  let Counter: DynamooseModel;

  before(async () => {
    Account = await harness.model(
      "Accounts",
      new dynamoose.Schema(
        {
          id: { type: String, hashKey: true },
          owner: { type: String, required: true },
          balance: Number,
          visits: Number,
          labels: { type: Set, schema: [String] },
          codes: { type: Set, schema: [Number] },
          log: { type: Array, schema: [String] },
          profile: { type: Object, schema: { city: String, langs: { type: Array, schema: [String] } } },
          nickname: String,
          tier: { type: String, validate: (value: string) => ["free", "pro"].includes(value) },
        },
        { timestamps: true },
      ),
    );
    Counter = await harness.model("Counters", {
      page: { type: String, hashKey: true },
      day: { type: String, rangeKey: true },
      hits: Number,
    });
  });

  /** Creates an account and reads it back (create resolves to stored values: Dates as numbers). */
  async function account(id: string, extra: Record<string, unknown> = {}) {
    await Account.create({
      id,
      owner: "ann",
      balance: 100,
      visits: 1,
      labels: new Set(["a", "b", "c"]),
      codes: new Set([1, 2]),
      log: ["opened"],
      nickname: "annie",
      ...extra,
    });
    return plain(await Account.get(id));
  }

  it("sets attributes with a plain object and with $SET, and returns the new item", async () => {
    const before = await account("set");
    const updated = plain(await Account.update({ id: "set" }, { owner: "bob", balance: 5 }));
    assert.equal(updated.owner, "bob");
    assert.equal(updated.balance, 5);
    assert.equal(updated.nickname, "annie");
    assert.ok((updated.updatedAt as Date).getTime() >= (before.updatedAt as Date).getTime());
    assert.deepEqual(updated.createdAt, before.createdAt);
    const request = harness.sent("UpdateItem").at(-1);
    assert.equal(request?.ReturnValues, "ALL_NEW");
    assert.match(String(request?.UpdateExpression), /^SET /);

    const viaSet = plain(
      await Account.update({ id: "set" }, { $SET: { profile: { city: "Rome", langs: ["it", "en"] } } }),
    );
    assert.deepEqual(viaSet.profile, { city: "Rome", langs: ["it", "en"] });
    assert.deepEqual(plain(await Account.get("set")).profile, { city: "Rome", langs: ["it", "en"] });
  });

  it("$ADDs to a number, to string and number sets, and appends to a list", async () => {
    await account("add");
    const updated = plain(
      await Account.update(
        { id: "add" },
        { $ADD: { balance: -30.5, visits: 1, labels: ["d", "a"], codes: [3], log: ["paid", "closed"] } },
      ),
    );
    assert.equal(updated.balance, 69.5);
    assert.equal(updated.visits, 2);
    assert.deepEqual(updated.labels, new Set(["a", "b", "c", "d"]));
    assert.deepEqual(updated.codes, new Set([1, 2, 3]));
    assert.deepEqual(updated.log, ["opened", "paid", "closed"]);
    const expression = String(harness.sent("UpdateItem").at(-1)?.UpdateExpression);
    assert.match(expression, /list_append\(/);
    assert.match(expression, /\bADD\b/);
    // ADD on a missing number starts from 0.
    const fresh = plain(await Counter.update({ page: "/", day: "mon" }, { $ADD: { hits: 1 } }));
    assert.deepEqual(fresh, { page: "/", day: "mon", hits: 1 });
    const again = plain(await Counter.update({ page: "/", day: "mon" }, { $ADD: { hits: 41 } }));
    assert.equal(again.hits, 42);
  });

  it("$REMOVEs attributes, by list and by object, and refuses to remove a required one", async () => {
    await account("remove");
    const updated = plain(await Account.update({ id: "remove" }, { $REMOVE: ["nickname", "log"] }));
    assert.equal(updated.nickname, undefined);
    assert.equal(updated.log, undefined);
    assert.equal(updated.owner, "ann");
    assert.match(String(harness.sent("UpdateItem").at(-1)?.UpdateExpression), /\bREMOVE\b/);
    const byObject = plain(await Account.update({ id: "remove" }, { $REMOVE: { balance: null } }));
    assert.equal(byObject.balance, undefined);
    const raw = await harness.sdk().getItem({ TableName: tableOf(Account), Key: { id: { S: "remove" } } });
    assert.deepEqual(Object.keys(raw.Item ?? {}).sort(), [
      "codes",
      "createdAt",
      "id",
      "labels",
      "owner",
      "updatedAt",
      "visits",
    ]);

    const updates = harness.sent("UpdateItem").length;
    const error = await rejection(Account.update({ id: "remove" }, { $REMOVE: ["owner"] }));
    assert.equal(error.name, "ValidationError");
    assert.equal(error.message, "owner is a required property but has no value when trying to save item");
    assert.equal(harness.sent("UpdateItem").length, updates);
  });

  it("$DELETEs elements from sets, and removing every element removes the set", async () => {
    await account("delete");
    const updated = plain(
      await Account.update({ id: "delete" }, { $DELETE: { labels: ["a", "zz"], codes: [2] } }),
    );
    assert.deepEqual(updated.labels, new Set(["b", "c"]));
    assert.deepEqual(updated.codes, new Set([1]));
    assert.match(String(harness.sent("UpdateItem").at(-1)?.UpdateExpression), /\bDELETE\b/);
    const emptied = plain(await Account.update({ id: "delete" }, { $DELETE: { codes: [1] } }));
    assert.equal(emptied.codes, undefined);
    const raw = await harness.sdk().getItem({ TableName: tableOf(Account), Key: { id: { S: "delete" } } });
    assert.equal(raw.Item?.codes, undefined);
  });

  it("combines $SET, $ADD, $REMOVE and $DELETE in one UpdateItem", async () => {
    await account("all");
    const updated = plain(
      await Account.update(
        { id: "all" },
        {
          $SET: { owner: "cat", tier: "pro" },
          $ADD: { visits: 10, labels: ["z"] },
          $REMOVE: ["nickname"],
          $DELETE: { codes: [1] },
        },
      ),
    );
    assert.equal(updated.owner, "cat");
    assert.equal(updated.tier, "pro");
    assert.equal(updated.visits, 11);
    assert.deepEqual(updated.labels, new Set(["a", "b", "c", "z"]));
    assert.equal(updated.nickname, undefined);
    assert.deepEqual(updated.codes, new Set([2]));
    const expression = String(harness.sent("UpdateItem").at(-1)?.UpdateExpression);
    for (const clause of ["SET", "ADD", "REMOVE", "DELETE"]) {
      assert.match(expression, new RegExp(`\\b${clause}\\b`), expression);
    }
    assert.deepEqual(plain(await Account.get("all")), updated);
  });

  it("validates $SET values before sending", async () => {
    await account("validate");
    const error = await rejection(Account.update({ id: "validate" }, { tier: "gold" }));
    assert.equal(error.name, "ValidationError");
    assert.equal(
      error.message,
      "tier with a value of gold had a validation error when trying to save the item",
    );
    assert.equal(plain(await Account.get("validate")).tier, undefined);
  });

  it("creates the item when it does not exist (UpdateItem upserts)", async () => {
    const created = plain(await Account.update({ id: "upsert" }, { owner: "dan", balance: 1 }));
    assert.equal(created.id, "upsert");
    assert.equal(created.owner, "dan");
    assert.equal(created.balance, 1);
    assert.ok(created.updatedAt instanceof Date);
    assert.deepEqual(plain(await Account.get("upsert")), created);
  });

  it("updates under a condition, and answers ConditionalCheckFailedException when it fails", async () => {
    await account("cond", { balance: 50 });
    const enough = new dynamoose.Condition("balance").ge(20);
    const paid = plain(
      await Account.update({ id: "cond" }, { $ADD: { balance: -20 } }, { condition: enough }),
    );
    assert.equal(paid.balance, 30);
    const request = harness.sent("UpdateItem").at(-1);
    assert.ok(request?.ConditionExpression, "Dynamoose sends a ConditionExpression");

    const tooMuch = new dynamoose.Condition("balance").ge(40);
    const error = await rejection(
      Account.update({ id: "cond" }, { $ADD: { balance: -40 } }, { condition: tooMuch }),
    );
    assert.equal(error.name, "ConditionalCheckFailedException");
    assert.equal(error.message, "The conditional request failed");
    assert.equal(plain(await Account.get("cond")).balance, 30);

    // The usual guard against upserts: the item must exist.
    const mustExist = new dynamoose.Condition("id").exists();
    const missing = await rejection(
      Account.update({ id: "ghost" }, { owner: "x" }, { condition: mustExist }),
    );
    assert.equal(missing.name, "ConditionalCheckFailedException");
    assert.equal(await Account.get("ghost"), undefined);
  });

  it("passes returnValues through: NONE returns nothing, ALL_OLD the item before", async () => {
    await account("rv", { balance: 7 });
    const none = await Account.update({ id: "rv" }, { balance: 8 }, { returnValues: "NONE" });
    assert.equal(harness.sent("UpdateItem").at(-1)?.ReturnValues, "NONE");
    assert.equal(none, undefined);
    const old = await Account.update({ id: "rv" }, { balance: 9 }, { returnValues: "ALL_OLD" });
    assert.equal(plain(old).balance, 8);
    assert.equal(plain(await Account.get("rv")).balance, 9);
  });

  it("updates a hash+range item by its composite key", async () => {
    await Counter.create({ page: "/a", day: "tue", hits: 3 });
    await Counter.create({ page: "/a", day: "wed", hits: 4 });
    const updated = plain(await Counter.update({ page: "/a", day: "wed" }, { $ADD: { hits: 6 } }));
    assert.deepEqual(updated, { page: "/a", day: "wed", hits: 10 });
    assert.equal(plain(await Counter.get({ page: "/a", day: "tue" })).hits, 3);
  });
});
