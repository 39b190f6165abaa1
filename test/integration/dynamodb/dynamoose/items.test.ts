/**
 * Dynamoose items against Stratus: a schema with nested maps and lists, string/number sets, binary,
 * dates, timestamps, defaults, required, validate and enum; create, save, get (with attributes), delete,
 * conditional saves (`overwrite: false`, `dynamoose.Condition`) and conditional deletes. Values are read
 * back through Dynamoose and, raw, through the SDK, to see what Dynamoose stored.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import dynamoose from "dynamoose";
import { type DynamooseModel, plain, rejection, tableOf, useDynamoose } from "./helpers.ts";

const CONDITIONAL_FAILED = "The conditional request failed";

describe("Dynamoose items", () => {
  // On the durable on-disk store, as Stratus runs by default.
  const harness = useDynamoose({ inMemory: false });
  let User: DynamooseModel;
  let Event: DynamooseModel;

  before(async () => {
    User = await harness.model(
      "Users",
      new dynamoose.Schema(
        {
          id: { type: String, hashKey: true },
          name: { type: String, required: true },
          email: { type: String, validate: /^[^@\s]+@[^@\s]+$/ },
          age: { type: Number, validate: (value: number) => value >= 0 },
          role: { type: String, default: "member", enum: ["member", "admin"] },
          address: {
            type: Object,
            schema: {
              street: String,
              city: String,
              zip: Number,
              geo: { type: Object, schema: { lat: Number } },
            },
          },
          tags: { type: Array, schema: [String] },
          history: { type: Array, schema: [{ type: Object, schema: { at: Number, what: String } }] },
          roles: { type: Set, schema: [String] },
          lucky: { type: Set, schema: [Number] },
          active: Boolean,
          avatar: Buffer,
          born: Date,
        },
        { timestamps: true },
      ),
    );
    Event = await harness.model("Events", {
      stream: { type: String, hashKey: true },
      seq: { type: Number, rangeKey: true },
      body: String,
    });
  });

  it("creates and gets an item with nested maps, lists, sets, binary, dates, defaults and timestamps", async () => {
    const started = Date.now();
    const created = await User.create({
      id: "u1",
      name: "Ann",
      email: "ann@example.com",
      age: 41,
      address: { street: "1 Main St", city: "Lyon", zip: 69001, geo: { lat: 45.76 } },
      tags: ["a", "b", "a"],
      history: [
        { at: 1, what: "joined" },
        { at: 2, what: "paid" },
      ],
      roles: new Set(["reader", "writer"]),
      lucky: new Set([7, 13]),
      active: true,
      avatar: Buffer.from([0, 1, 2, 255]),
      born: new Date("1983-04-05T00:00:00.000Z"),
    });
    // create resolves to the item as stored: timestamps as epoch milliseconds.
    const createdMs = (created as unknown as { createdAt: number }).createdAt;
    assert.equal(typeof createdMs, "number");
    assert.ok(createdMs >= started && createdMs <= Date.now(), `createdAt ${createdMs}`);
    const createdAt = new Date(createdMs);

    const got = plain(await User.get("u1"));
    assert.deepEqual(got, {
      id: "u1",
      name: "Ann",
      email: "ann@example.com",
      age: 41,
      role: "member",
      address: { street: "1 Main St", city: "Lyon", zip: 69001, geo: { lat: 45.76 } },
      tags: ["a", "b", "a"],
      history: [
        { at: 1, what: "joined" },
        { at: 2, what: "paid" },
      ],
      roles: new Set(["reader", "writer"]),
      lucky: new Set([7, 13]),
      active: true,
      avatar: Buffer.from([0, 1, 2, 255]),
      born: new Date("1983-04-05T00:00:00.000Z"),
      createdAt,
      updatedAt: createdAt,
    });

    // What Dynamoose stored, as DynamoDB types.
    const raw = await harness.sdk().getItem({ TableName: tableOf(User), Key: { id: { S: "u1" } } });
    const item = raw.Item ?? {};
    assert.deepEqual(item.address, {
      M: {
        street: { S: "1 Main St" },
        city: { S: "Lyon" },
        zip: { N: "69001" },
        geo: { M: { lat: { N: "45.76" } } },
      },
    });
    assert.deepEqual(item.tags, { L: [{ S: "a" }, { S: "b" }, { S: "a" }] });
    assert.deepEqual(new Set(item.roles?.SS), new Set(["reader", "writer"]));
    assert.deepEqual(new Set(item.lucky?.NS), new Set(["7", "13"]));
    assert.deepEqual(item.active, { BOOL: true });
    assert.deepEqual(item.avatar?.B, new Uint8Array([0, 1, 2, 255]));
    assert.deepEqual(item.born, { N: String(Date.parse("1983-04-05T00:00:00.000Z")) });
    assert.deepEqual(item.createdAt, { N: String(createdAt.getTime()) });
    assert.deepEqual(item.role, { S: "member" });
  });

  it("gets only the requested attributes", async () => {
    await User.create({ id: "u-attrs", name: "Bea", age: 30, address: { city: "Oslo" } });
    const got = plain(await User.get("u-attrs", { attributes: ["name", "age"] }));
    assert.deepEqual(got, { name: "Bea", age: 30 });
    const [request] = harness.sent("GetItem").slice(-1);
    assert.ok(request?.ProjectionExpression, "Dynamoose sends a ProjectionExpression");
  });

  it("gets with a consistent read, and answers undefined for a missing item", async () => {
    await User.create({ id: "u-consistent", name: "Cy" });
    assert.equal(plain(await User.get("u-consistent", { consistent: true })).name, "Cy");
    assert.equal(harness.sent("GetItem").at(-1)?.ConsistentRead, true);
    assert.equal(await User.get("nobody"), undefined);
  });

  it("rejects a missing required attribute before sending anything", async () => {
    const puts = harness.sent("PutItem").length;
    const error = await rejection(User.create({ id: "u-noname" }));
    assert.equal(error.name, "ValidationError");
    assert.equal(error.message, "name is a required property but has no value when trying to save item");
    assert.equal(harness.sent("PutItem").length, puts);
  });

  it("rejects values that fail validate (RegExp, function), enum and type checks", async () => {
    const email = await rejection(User.create({ id: "v1", name: "V", email: "not-an-email" }));
    assert.equal(email.name, "ValidationError");
    assert.equal(
      email.message,
      "email with a value of not-an-email had a validation error when trying to save the item",
    );
    const age = await rejection(User.create({ id: "v2", name: "V", age: -1 }));
    assert.equal(age.name, "ValidationError");
    assert.equal(age.message, "age with a value of -1 had a validation error when trying to save the item");
    const role = await rejection(User.create({ id: "v3", name: "V", role: "root" }));
    assert.equal(role.name, "ValidationError");
    assert.equal(role.message, 'role must equal ["member","admin"], but is set to root');
    const type = await rejection(User.create({ id: "v4", name: "V", age: "old" }));
    assert.equal(type.name, "TypeMismatch");
    assert.equal(type.message, "Expected age to be of type number, instead found type string.");
    for (const id of ["v1", "v2", "v3", "v4"]) assert.equal(await User.get(id), undefined);
  });

  it("refuses to overwrite with create (overwrite: false), and overwrites with save", async () => {
    await User.create({ id: "u-once", name: "First" });
    const error = await rejection(User.create({ id: "u-once", name: "Second" }));
    assert.equal(error.name, "ConditionalCheckFailedException");
    assert.equal(error.message, CONDITIONAL_FAILED);
    assert.equal((error.$metadata as { httpStatusCode?: number }).httpStatusCode, 400);
    assert.equal(plain(await User.get("u-once")).name, "First");
    assert.equal(harness.sent("PutItem").at(-1)?.ConditionExpression, "attribute_not_exists(#__hash_key)");

    const replacement = new User({ id: "u-once", name: "Replaced", age: 5 });
    await replacement.save();
    const got = plain(await User.get("u-once"));
    assert.equal(got.name, "Replaced");
    assert.equal(got.age, 5);

    const again = await rejection(
      new User({ id: "u-once", name: "No" }).save({ return: "item", overwrite: false }),
    );
    assert.equal(again.name, "ConditionalCheckFailedException");
  });

  it("saves under a dynamoose.Condition and fails when it does not hold", async () => {
    await User.create({ id: "u-cond", name: "Dee", age: 20, role: "member" });
    const young = new dynamoose.Condition("age").lt(30).and().where("role").eq("member");
    await new User({ id: "u-cond", name: "Dee", age: 21, role: "member" }).save({
      return: "item",
      condition: young,
    });
    assert.equal(plain(await User.get("u-cond")).age, 21);

    const admin = new dynamoose.Condition().where("role").eq("admin").or().where("age").between(50, 60);
    const error = await rejection(
      new User({ id: "u-cond", name: "Dee", age: 99 }).save({ return: "item", condition: admin }),
    );
    assert.equal(error.name, "ConditionalCheckFailedException");
    assert.equal(error.message, CONDITIONAL_FAILED);
    assert.equal(plain(await User.get("u-cond")).age, 21);

    const exists = new dynamoose.Condition("email").not().exists();
    await new User({ id: "u-cond", name: "Dee", age: 22, email: "d@e.f" }).save({
      return: "item",
      condition: exists,
    });
    const second = await rejection(
      new User({ id: "u-cond", name: "Dee", age: 23 }).save({ return: "item", condition: exists }),
    );
    assert.equal(second.name, "ConditionalCheckFailedException");
    assert.equal(plain(await User.get("u-cond")).age, 22);
  });

  it("saves and gets a hash+range item by its composite key, and deletes it", async () => {
    await Event.create({ stream: "s", seq: 1, body: "one" });
    await Event.create({ stream: "s", seq: 2, body: "two" });
    assert.deepEqual(plain(await Event.get({ stream: "s", seq: 2 })), { stream: "s", seq: 2, body: "two" });
    await Event.delete({ stream: "s", seq: 2 });
    assert.equal(await Event.get({ stream: "s", seq: 2 }), undefined);
    assert.deepEqual(plain(await Event.get({ stream: "s", seq: 1 })), { stream: "s", seq: 1, body: "one" });
  });

  it("deletes an item, through the model and through the item, and deleting nothing succeeds", async () => {
    await User.create({ id: "u-del", name: "Eve" });
    await User.delete("u-del");
    assert.equal(await User.get("u-del"), undefined);
    const item = await User.create({ id: "u-del2", name: "Fay" });
    await item.delete();
    assert.equal(await User.get("u-del2"), undefined);
    await User.delete("never-existed");
  });

  it("deletes under a condition, and keeps the item when the condition fails", async () => {
    await User.create({ id: "u-cdel", name: "Gus", role: "admin" });
    const error = await rejection(
      User.delete("u-cdel", { condition: new dynamoose.Condition("role").eq("member") }),
    );
    assert.equal(error.name, "ConditionalCheckFailedException");
    assert.equal(error.message, CONDITIONAL_FAILED);
    assert.equal(plain(await User.get("u-cdel")).name, "Gus");
    await User.delete("u-cdel", { condition: new dynamoose.Condition("role").eq("admin") });
    assert.equal(await User.get("u-cdel"), undefined);
  });

  it("round-trips unicode strings and doubles, and omits undefined attributes", async () => {
    await User.create({ id: "u-edge", name: "ü 日本 🙂", email: undefined, age: 0.1 + 0.2 });
    const got = plain(await User.get("u-edge"));
    assert.equal(got.name, "ü 日本 🙂");
    assert.equal(got.age, 0.1 + 0.2);
    const raw = await harness.sdk().getItem({ TableName: tableOf(User), Key: { id: { S: "u-edge" } } });
    assert.equal(raw.Item?.age?.N, "0.30000000000000004");
    assert.equal(raw.Item?.email, undefined);
  });
});
