/**
 * DynamoDB's own errors as a Dynamoose user meets them: requests Dynamoose sends as they are, that
 * DynamoDB refuses, surface with AWS's error name and message (Dynamoose passes SDK errors through).
 * Also the sparse GSI: items without the index key never show up in an index query.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import dynamoose from "dynamoose";
import { uniqueName } from "../helpers.ts";
import { type DynamooseModel, plain, rejection, useDynamoose } from "./helpers.ts";

const INVALID = "One or more parameter values were invalid: ";

describe("Dynamoose and DynamoDB's errors", () => {
  const harness = useDynamoose();
  let Doc: DynamooseModel;

  before(async () => {
    Doc = await harness.model("Docs", {
      id: { type: String, hashKey: true },
      body: String,
      topic: { type: String, index: { name: "byTopic", type: "global" } },
    });
  });

  it("answers ResourceNotFoundException for a model whose table does not exist", async () => {
    const Missing = dynamoose.model(
      uniqueName("Missing"),
      { id: { type: String, hashKey: true } },
      { create: false, waitForActive: false, initialize: false },
    );
    await Missing.table().initialize();
    const error = await rejection(Missing.get("x"));
    assert.equal(error.name, "ResourceNotFoundException");
    assert.equal(error.message, "Requested resource not found");
  });

  it("refuses an empty string as a key value", async () => {
    const error = await rejection(Doc.create({ id: "", body: "b" }));
    assert.equal(error.name, "ValidationException");
    assert.equal(
      error.message,
      "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: id",
    );
  });

  it("refuses an item over 400 KB", async () => {
    const error = await rejection(Doc.create({ id: "big", body: "x".repeat(400 * 1024) }));
    assert.equal(error.name, "ValidationException");
    assert.equal(error.message, "Item size has exceeded the maximum allowed size");
    assert.equal(await Doc.get("big"), undefined);
  });

  it("refuses an update of a key attribute", async () => {
    await Doc.create({ id: "k1", body: "b" });
    const error = await rejection(Doc.update({ id: "k1" }, { $SET: { id: "k2" } }));
    assert.equal(error.name, "ValidationException");
    assert.equal(error.message, `${INVALID}Cannot update attribute id. This attribute is part of the key`);
  });

  it("refuses a consistent query on a GSI", async () => {
    const error = await rejection(Doc.query("topic").eq("t").consistent().exec());
    assert.equal(error.name, "ValidationException");
    assert.equal(error.message, "Consistent reads are not supported on global secondary indexes");
  });

  it("refuses a batchPut that repeats a key", async () => {
    const error = await rejection(
      Doc.batchPut([
        { id: "dup", body: "1" },
        { id: "dup", body: "2" },
      ]),
    );
    assert.equal(error.name, "ValidationException");
    assert.equal(error.message, "Provided list of item keys contains duplicates");
    assert.equal(await Doc.get("dup"), undefined);
  });

  it("refuses a transaction with two operations on one item", async () => {
    await Doc.create({ id: "tx", body: "b" });
    const error = await rejection(
      dynamoose.transaction([
        Doc.transaction.update({ id: "tx" }, { body: "c" }),
        Doc.transaction.delete("tx"),
      ]),
    );
    assert.equal(error.name, "ValidationException");
    assert.equal(error.message, "Transaction request cannot include multiple operations on one item");
    assert.equal(plain(await Doc.get("tx")).body, "b");
  });

  it("keeps items without the index key out of the GSI (sparse index)", async () => {
    await Doc.batchPut([{ id: "s1", topic: "news" }, { id: "s2" }, { id: "s3", topic: "news" }]);
    const found = await Doc.query("topic").eq("news").exec();
    assert.deepEqual(found.map((item) => plain(item).id).sort(), ["s1", "s3"]);
    // Removing the index key takes the item out of the index.
    await Doc.update({ id: "s3" }, { $REMOVE: ["topic"] });
    const after = await Doc.query("topic").eq("news").exec();
    assert.deepEqual(
      after.map((item) => plain(item).id),
      ["s1"],
    );
  });
});
