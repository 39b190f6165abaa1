import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseForm, parseQuery } from "../../../src/aws/protocols/query-string.ts";

describe("parseQuery", () => {
  it("decodes escapes, keeps '+', repeats keys and takes bare keys as empty", () => {
    const query = parseQuery("a=1&a=2&b=x%20y+z&uploads&c=%E2%82%AC&bad=%ZZ");
    assert.deepEqual(query.get("a"), ["1", "2"]);
    assert.deepEqual(query.get("b"), ["x y+z"]);
    assert.deepEqual(query.get("uploads"), [""]);
    assert.deepEqual(query.get("c"), ["€"]);
    assert.deepEqual(query.get("bad"), ["%ZZ"]);
  });

  it("reads form bodies with '+' as space", () => {
    assert.deepEqual(parseForm("Action=Get+It&V=a%2Bb").get("Action"), ["Get It"]);
    assert.deepEqual(parseForm("Action=Get+It&V=a%2Bb").get("V"), ["a+b"]);
  });
});
