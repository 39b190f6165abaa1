import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Item } from "../../../../src/services/dynamodb/attribute-value.ts";
import { evaluateCondition } from "../../../../src/services/dynamodb/expressions/index.ts";
import { condition } from "./helpers.ts";

const b64 = (text: string) => Buffer.from(text).toString("base64");

const item: Item = {
  s: { S: "hello" },
  n: { N: "10" },
  b: { B: b64("abc") },
  t: { BOOL: true },
  z: { NULL: true },
  ss: { SS: ["x", "y"] },
  ns: { NS: ["1", "2.5"] },
  bs: { BS: [b64("p"), b64("q")] },
  l: { L: [{ S: "a" }, { N: "2" }, { M: { k: { S: "v" } } }] },
  m: { M: { nested: { M: { deep: { N: "3" } } }, vals: { L: [{ N: "7" }] } } },
};

/** [expression, values, expected]. */
const cases: [string, Record<string, unknown>, boolean][] = [
  // = and <> on every type; numbers by value, sets unordered.
  ["s = :v", { ":v": { S: "hello" } }, true],
  ["n = :v", { ":v": { N: "10.0" } }, true],
  ["b = :v", { ":v": { B: b64("abc") } }, true],
  ["t = :v", { ":v": { BOOL: true } }, true],
  ["z = :v", { ":v": { NULL: true } }, true],
  ["ss = :v", { ":v": { SS: ["y", "x"] } }, true],
  ["ns = :v", { ":v": { NS: ["2.50", "1"] } }, true],
  ["l[2] = :v", { ":v": { M: { k: { S: "v" } } } }, true],
  ["n = :v", { ":v": { S: "10" } }, false],
  ["n <> :v", { ":v": { S: "10" } }, true],
  ["absent <> :v", { ":v": { S: "x" } }, true],
  ["absent = :v", { ":v": { S: "x" } }, false],
  // ordering on S, N, B only
  ["n > :v", { ":v": { N: "9.99" } }, true],
  ["n >= :v", { ":v": { N: "10" } }, true],
  ["n < :v", { ":v": { N: "-1" } }, false],
  ["s < :v", { ":v": { S: "help" } }, true],
  ["b <= :v", { ":v": { B: b64("abd") } }, true],
  ["t < :v", { ":v": { BOOL: true } }, false],
  ["ss < :v", { ":v": { SS: ["z"] } }, false],
  ["n < :v", { ":v": { S: "99" } }, false],
  ["absent < :v", { ":v": { N: "1" } }, false],
  ["s < n", {}, false],
  // BETWEEN, IN
  ["n BETWEEN :a AND :b", { ":a": { N: "10" }, ":b": { N: "11" } }, true],
  ["n BETWEEN :a AND :b", { ":a": { N: "11" }, ":b": { N: "12" } }, false],
  ["s BETWEEN :a AND :b", { ":a": { S: "a" }, ":b": { S: "i" } }, true],
  ["absent BETWEEN :a AND :b", { ":a": { N: "1" }, ":b": { N: "2" } }, false],
  ["n IN (:a, :b)", { ":a": { S: "10" }, ":b": { N: "1e1" } }, true],
  ["n IN (:a)", { ":a": { N: "11" } }, false],
  ["absent IN (:a)", { ":a": { N: "11" } }, false],
  // functions
  ["attribute_exists(m.nested.deep)", {}, true],
  ["attribute_exists(m.nested.nope)", {}, false],
  ["attribute_exists(l[2].k)", {}, true],
  ["attribute_exists(l[5])", {}, false],
  ["attribute_exists(s.x)", {}, false],
  ["attribute_not_exists(absent)", {}, true],
  ["attribute_not_exists(s)", {}, false],
  ["attribute_type(ns, :t)", { ":t": { S: "NS" } }, true],
  ["attribute_type(z, :t)", { ":t": { S: "NULL" } }, true],
  ["attribute_type(s, :t)", { ":t": { S: "N" } }, false],
  ["attribute_type(absent, :t)", { ":t": { S: "S" } }, false],
  ["begins_with(s, :p)", { ":p": { S: "he" } }, true],
  ["begins_with(s, :p)", { ":p": { S: "lo" } }, false],
  ["begins_with(b, :p)", { ":p": { B: b64("ab") } }, true],
  ["begins_with(b, :p)", { ":p": { S: "ab" } }, false],
  ["begins_with(absent, :p)", { ":p": { S: "a" } }, false],
  ["contains(s, :p)", { ":p": { S: "ell" } }, true],
  ["contains(b, :p)", { ":p": { B: b64("bc") } }, true],
  ["contains(ss, :p)", { ":p": { S: "y" } }, true],
  ["contains(ss, :p)", { ":p": { S: "z" } }, false],
  ["contains(ns, :p)", { ":p": { N: "2.50" } }, true],
  ["contains(ns, :p)", { ":p": { S: "1" } }, false],
  ["contains(bs, :p)", { ":p": { B: b64("q") } }, true],
  ["contains(l, :p)", { ":p": { N: "2.0" } }, true],
  ["contains(l, :p)", { ":p": { M: { k: { S: "v" } } } }, true],
  ["contains(n, :p)", { ":p": { N: "1" } }, false],
  ["contains(absent, :p)", { ":p": { S: "a" } }, false],
  ["size(s) = :v", { ":v": { N: "5" } }, true],
  ["size(b) = :v", { ":v": { N: "3" } }, true],
  ["size(ss) = :v", { ":v": { N: "2" } }, true],
  ["size(l) > :v", { ":v": { N: "2" } }, true],
  ["size(m) = :v", { ":v": { N: "2" } }, true],
  ["size(n) = :v", { ":v": { N: "2" } }, false],
  ["size(absent) <> :v", { ":v": { N: "0" } }, true],
  ["size(m.vals) = size(l[0])", {}, true],
  // logic and precedence: NOT > AND > OR
  ["NOT s = :v", { ":v": { S: "nope" } }, true],
  ["s = :v OR n = :w AND t = :x", { ":v": { S: "hello" }, ":w": { N: "0" }, ":x": { BOOL: false } }, true],
  ["(s = :v OR n = :w) AND t = :x", { ":v": { S: "hello" }, ":w": { N: "0" }, ":x": { BOOL: false } }, false],
  ["NOT s = :v AND n = :w", { ":v": { S: "nope" }, ":w": { N: "10" } }, true],
  ["NOT (s = :v AND n = :w)", { ":v": { S: "hello" }, ":w": { N: "10" } }, false],
  ["m.nested.deep = l[1]", {}, false],
  ["m.vals[0] > l[1]", {}, true],
];

describe("evaluateCondition", () => {
  for (const [expression, values, expected] of cases) {
    it(`${expression} is ${expected}`, () => {
      assert.equal(evaluateCondition(condition(expression, values), item), expected);
    });
  }

  it("uses substituted names", () => {
    const parsed = condition("#a.#b = :v", { ":v": { N: "7" } }, { "#a": "m", "#b": "list[0]" });
    // "#b" names an attribute literally called "list[0]", not an index.
    assert.equal(evaluateCondition(parsed, item), false);
    assert.equal(evaluateCondition(parsed, { m: { M: { "list[0]": { N: "7" } } } }), true);
  });
});
