import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Item } from "../../../../src/services/dynamodb/attribute-value.ts";
import { applyUpdate, updatedPaths } from "../../../../src/services/dynamodb/expressions/index.ts";
import { assertValidation, update } from "./helpers.ts";

const INVALID_PATH = "The document path provided in the update expression is invalid for update";
const WRONG_TYPE = "An operand in the update expression has an incorrect data type";
const MISSING = "The provided expression refers to an attribute that does not exist in the item";

/** [description, item, expression, values, expected item]. */
const cases: [string, Item, string, Record<string, unknown>, Item][] = [
  [
    "SET a new attribute",
    { k: { S: "1" } },
    "SET a = :v",
    { ":v": { S: "x" } },
    { k: { S: "1" }, a: { S: "x" } },
  ],
  ["SET from another attribute", { k: { S: "1" } }, "SET a = k", {}, { k: { S: "1" }, a: { S: "1" } }],
  [
    "SET a nested map key",
    { m: { M: { keep: { S: "k" } } } },
    "SET m.child = :v",
    { ":v": { N: "1" } },
    { m: { M: { keep: { S: "k" }, child: { N: "1" } } } },
  ],
  [
    "SET replaces a list element",
    { l: { L: [{ N: "1" }, { N: "2" }] } },
    "SET l[1] = :v",
    { ":v": { S: "x" } },
    { l: { L: [{ N: "1" }, { S: "x" }] } },
  ],
  [
    "SET past the end appends",
    { l: { L: [{ S: "a" }] } },
    "SET l[5] = :v",
    { ":v": { S: "z" } },
    { l: { L: [{ S: "a" }, { S: "z" }] } },
  ],
  [
    "SET l[0] of an empty list",
    { l: { L: [] } },
    "SET l[0] = :v",
    { ":v": { S: "first" } },
    { l: { L: [{ S: "first" }] } },
  ],
  [
    "SET + and -",
    { n: { N: "10" } },
    "SET a = n + :d, b = n - :d",
    { ":d": { N: "0.5" } },
    { n: { N: "10" }, a: { N: "10.5" }, b: { N: "9.5" } },
  ],
  [
    "SET nested arithmetic",
    { m: { M: { c: { N: "10" } } } },
    "SET m.c = m.c + :i",
    { ":i": { N: "5" } },
    { m: { M: { c: { N: "15" } } } },
  ],
  ["if_not_exists when missing", {}, "SET a = if_not_exists(a, :d)", { ":d": { N: "0" } }, { a: { N: "0" } }],
  [
    "if_not_exists when present",
    { a: { N: "3" } },
    "SET a = if_not_exists(a, :d) + :i",
    { ":d": { N: "0" }, ":i": { N: "1" } },
    { a: { N: "4" } },
  ],
  [
    "list_append",
    { l: { L: [{ N: "1" }] } },
    "SET l = list_append(l, :v)",
    { ":v": { L: [{ N: "2" }] } },
    { l: { L: [{ N: "1" }, { N: "2" }] } },
  ],
  [
    "list_append prepends",
    { l: { L: [{ N: "1" }] } },
    "SET l = list_append(:v, l)",
    { ":v": { L: [{ N: "0" }] } },
    { l: { L: [{ N: "0" }, { N: "1" }] } },
  ],
  [
    "list_append with if_not_exists",
    {},
    "SET l = list_append(if_not_exists(l, :e), :v)",
    { ":e": { L: [] }, ":v": { L: [{ S: "a" }] } },
    { l: { L: [{ S: "a" }] } },
  ],
  [
    "REMOVE attributes, missing ones too",
    { a: { S: "1" }, b: { S: "2" } },
    "REMOVE a, zz",
    {},
    { b: { S: "2" } },
  ],
  [
    "REMOVE a map key",
    { m: { M: { gone: { S: "g" }, keep: { S: "k" } } } },
    "REMOVE m.gone",
    {},
    { m: { M: { keep: { S: "k" } } } },
  ],
  [
    "REMOVE list elements by original index",
    { l: { L: [{ S: "a" }, { S: "b" }, { S: "c" }, { S: "d" }] } },
    "REMOVE l[1], l[2]",
    {},
    { l: { L: [{ S: "a" }, { S: "d" }] } },
  ],
  [
    "REMOVE past the end is a no-op",
    { l: { L: [{ S: "a" }] } },
    "REMOVE l[3]",
    {},
    { l: { L: [{ S: "a" }] } },
  ],
  ["ADD to a missing number", {}, "ADD n :v", { ":v": { N: "5" } }, { n: { N: "5" } }],
  ["ADD to a number", { n: { N: "1.5" } }, "ADD n :v", { ":v": { N: "-2" } }, { n: { N: "-0.5" } }],
  [
    "ADD to a string set",
    { s: { SS: ["a", "b"] } },
    "ADD s :v",
    { ":v": { SS: ["b", "c"] } },
    { s: { SS: ["a", "b", "c"] } },
  ],
  [
    "ADD to a number set by value",
    { s: { NS: ["1", "2"] } },
    "ADD s :v",
    { ":v": { NS: ["2.0", "3"] } },
    { s: { NS: ["1", "2", "3"] } },
  ],
  ["ADD to a missing set", {}, "ADD s :v", { ":v": { BS: ["AQI="] } }, { s: { BS: ["AQI="] } }],
  [
    "DELETE from a set",
    { s: { NS: ["1", "2", "3"] } },
    "DELETE s :v",
    { ":v": { NS: ["1", "4"] } },
    { s: { NS: ["2", "3"] } },
  ],
  [
    "DELETE the last members drops the attribute",
    { s: { SS: ["a"] }, k: { S: "1" } },
    "DELETE s :v",
    { ":v": { SS: ["a"] } },
    { k: { S: "1" } },
  ],
  ["DELETE from a missing attribute", {}, "DELETE s :v", { ":v": { SS: ["a"] } }, {}],
  [
    "values come from the item before the update; list slots close up in index order",
    {
      a: { S: "k" },
      b: { M: { a: { N: "1" }, b: { N: "2" }, c: { N: "3" } } },
      c: { L: [{ N: "1" }, { N: "3" }] },
    },
    "set b.c=((c[1])+(b.a)),b.a = a,c[1] = a, c[4] = b.a - b.b, c[2] = b.c add c[8] :b, c[6] :a",
    { ":a": { N: "2" }, ":b": { SS: ["a"] } },
    {
      a: { S: "k" },
      b: { M: { a: { S: "k" }, b: { N: "2" }, c: { N: "4" } } },
      c: { L: [{ N: "1" }, { S: "k" }, { N: "3" }, { N: "-1" }, { N: "2" }, { SS: ["a"] }] },
    },
  ],
];

describe("applyUpdate", () => {
  for (const [description, item, expression, values, expected] of cases) {
    it(description, () => {
      const before = structuredClone(item);
      assert.deepEqual(applyUpdate(update(expression, values), item), expected);
      assert.deepEqual(item, before, "the input item is not modified");
    });
  }

  // dynalite test/updateItem.js, recorded against DynamoDB.
  const existing: Item = {
    k: { S: "x" },
    b: { S: "x" },
    c: { M: { "1": { S: "a" } } },
    d: { L: [{ S: "a" }, { S: "b" }] },
  };
  const errors: [string, Item, string, Record<string, unknown>, string][] = [
    ["SET under a missing map", {}, "set b.a = :a", { ":a": { S: "x" } }, INVALID_PATH],
    ["SET into a missing list", {}, "set b[1] = :a", { ":a": { S: "x" } }, INVALID_PATH],
    ["SET a key of a string", existing, "set b.a = :a", { ":a": { S: "x" } }, INVALID_PATH],
    ["SET an index of a map", existing, "set c[1] = :a", { ":a": { S: "x" } }, INVALID_PATH],
    ["SET a key of a list", existing, "set d.x = :a", { ":a": { S: "x" } }, INVALID_PATH],
    ["REMOVE under a missing attribute", existing, "remove y.a", {}, INVALID_PATH],
    ["REMOVE an index of a map", existing, "remove c[1]", {}, INVALID_PATH],
    ["ADD under a string", existing, "add b.a :a", { ":a": { SS: ["a"] } }, INVALID_PATH],
    ["DELETE under a missing list", existing, "delete y[1] :a", { ":a": { SS: ["a"] } }, INVALID_PATH],
    ["SET from a missing attribute", existing, "set c = zz", {}, MISSING],
    ["list_append of missing", existing, "set e = list_append(zz, d)", {}, MISSING],
    ["+ on a string", existing, "set e = b + :a", { ":a": { N: "1" } }, WRONG_TYPE],
    ["- on a map", existing, "set e = c - :a", { ":a": { N: "1" } }, WRONG_TYPE],
    [
      "list_append of a map",
      existing,
      "set e = list_append(c, if_not_exists(f, :a))",
      { ":a": { L: [] } },
      WRONG_TYPE,
    ],
    ["ADD a number set to a string", existing, "add b :a", { ":a": { NS: ["1"] } }, WRONG_TYPE],
    ["ADD a number to a map", existing, "add c :a", { ":a": { N: "1" } }, WRONG_TYPE],
    ["DELETE a string set from a map", existing, "delete c :a", { ":a": { SS: ["1"] } }, WRONG_TYPE],
    [
      "arithmetic overflow",
      { n: { N: "9.9e125" } },
      "set n = n + n",
      {},
      "Number overflow. Attempting to store a number with magnitude larger than supported range",
    ],
  ];
  for (const [description, item, expression, values, message] of errors) {
    it(`refuses: ${description}`, () =>
      assertValidation(() => applyUpdate(update(expression, values), item), message));
  }

  it("lists the paths it writes", () => {
    assert.deepEqual(
      updatedPaths(update("SET a.b = :v REMOVE c[1] ADD d :n", { ":v": { S: "x" }, ":n": { N: "1" } })),
      [["a", "b"], ["c", 1], ["d"]],
    );
  });
});
