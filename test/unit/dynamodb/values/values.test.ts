import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { AttributeValue } from "../../../../src/services/dynamodb/attribute-value.ts";
import {
  compareStrings,
  compareValues,
  itemSizeBytes,
  sizeOf,
  validateAttributeValue,
  validateItem,
  valueSizeBytes,
  valuesEqual,
} from "../../../../src/services/dynamodb/values.ts";
import { assertValidation } from "../expressions/helpers.ts";

const b64 = (...bytes: number[]) => Buffer.from(bytes).toString("base64");

describe("valuesEqual", () => {
  const equal: [AttributeValue, AttributeValue][] = [
    [{ N: "1" }, { N: "1.0" }],
    [{ S: "a" }, { S: "a" }],
    [{ B: b64(1, 2) }, { B: b64(1, 2) }],
    [{ SS: ["a", "b"] }, { SS: ["b", "a"] }],
    [{ NS: ["1", "2"] }, { NS: ["2.0", "1"] }],
    [{ BS: [b64(1), b64(2)] }, { BS: [b64(2), b64(1)] }],
    [{ L: [{ N: "1" }, { S: "x" }] }, { L: [{ N: "1.00" }, { S: "x" }] }],
    [{ M: { a: { BOOL: true }, b: { NULL: true } } }, { M: { b: { NULL: true }, a: { BOOL: true } } }],
  ];
  for (const [a, b] of equal)
    it(`${JSON.stringify(a)} = ${JSON.stringify(b)}`, () => assert.ok(valuesEqual(a, b)));

  const different: [AttributeValue, AttributeValue][] = [
    [{ N: "1" }, { S: "1" }],
    [{ S: "a" }, { S: "A" }],
    [{ SS: ["a"] }, { SS: ["a", "b"] }],
    [{ L: [{ N: "1" }, { N: "2" }] }, { L: [{ N: "2" }, { N: "1" }] }],
    [{ M: { a: { N: "1" } } }, { M: { a: { N: "1" }, b: { N: "1" } } }],
    [{ BOOL: true }, { BOOL: false }],
    [{ SS: ["1"] }, { NS: ["1"] }],
  ];
  for (const [a, b] of different) {
    it(`${JSON.stringify(a)} <> ${JSON.stringify(b)}`, () => assert.ok(!valuesEqual(a, b)));
  }
});

describe("ordering", () => {
  it("orders numbers by value, strings by UTF-8 bytes, binaries by bytes", () => {
    assert.equal(compareValues({ N: "-10" }, { N: "9" }), -1);
    assert.equal(compareValues({ N: "1e2" }, { N: "99" }), 1);
    assert.equal(compareValues({ S: "B" }, { S: "a" }), -1);
    // U+FF61 sorts below U+1F600 in UTF-8 though its UTF-16 unit is higher than the surrogate.
    assert.equal(compareStrings("\uff61", "\u{1f600}"), -1);
    assert.equal(compareStrings("ab", "abc"), -1);
    assert.equal(compareValues({ B: b64(0x7f) }, { B: b64(0x80) }), -1);
  });

  it("does not order other types or mixed types", () => {
    assert.equal(compareValues({ S: "1" }, { N: "1" }), undefined);
    assert.equal(compareValues({ BOOL: true }, { BOOL: false }), undefined);
    assert.equal(compareValues({ SS: ["a"] }, { SS: ["b"] }), undefined);
  });
});

describe("size()", () => {
  const cases: [AttributeValue, number | undefined][] = [
    [{ S: "abc" }, 3],
    // UTF-16 code units, as DynamoDB counts (ExtendDB#60, checked against DynamoDB).
    [{ S: "é𝄞" }, 3],
    [{ B: b64(1, 2, 3, 4) }, 4],
    [{ SS: ["a", "b"] }, 2],
    [{ NS: ["1"] }, 1],
    [{ BS: [b64(1), b64(2), b64(3)] }, 3],
    [{ L: [{ S: "a" }, { N: "1" }] }, 2],
    [{ M: { a: { S: "x" } } }, 1],
    [{ N: "123" }, undefined],
    [{ BOOL: true }, undefined],
    [{ NULL: true }, undefined],
  ];
  for (const [value, size] of cases)
    it(`${JSON.stringify(value)} -> ${size}`, () => assert.equal(sizeOf(value), size));
});

describe("item size", () => {
  it("adds UTF-8 names and values", () => {
    assert.equal(itemSizeBytes({ pk: { S: "abc" } }), 5);
    assert.equal(itemSizeBytes({ é: { S: "é" } }), 4);
    assert.equal(itemSizeBytes({ n: { N: "3.14159" } }), 6);
    assert.equal(itemSizeBytes({ b: { B: b64(1, 2, 3) } }), 4);
    assert.equal(itemSizeBytes({ t: { BOOL: true }, u: { NULL: true } }), 4);
  });

  it("counts sets by their members, lists and maps with 3 bytes plus 1 per element", () => {
    assert.equal(valueSizeBytes({ SS: ["ab", "c"] }), 3);
    assert.equal(valueSizeBytes({ NS: ["1", "-42"] }), 5);
    assert.equal(valueSizeBytes({ L: [] }), 3);
    assert.equal(valueSizeBytes({ M: {} }), 3);
    assert.equal(valueSizeBytes({ L: [{ S: "ab" }, { N: "1" }] }), 3 + 1 + 2 + 1 + 2);
    assert.equal(valueSizeBytes({ M: { ab: { S: "c" }, d: { M: {} } } }), 3 + (1 + 2 + 1) + (1 + 1 + 3));
  });
});

describe("validateAttributeValue", () => {
  it("normalises numbers and keeps other values", () => {
    assert.deepEqual(validateAttributeValue({ N: "001.50" }), { N: "1.5" });
    assert.deepEqual(validateAttributeValue({ NS: ["1E2", "2"] }), { NS: ["100", "2"] });
    assert.deepEqual(validateAttributeValue({ S: "" }), { S: "" });
    assert.deepEqual(validateAttributeValue({ S: null, N: "1" }), { N: "1" });
    assert.deepEqual(validateAttributeValue({ M: { a: { L: [{ N: "1.0" }, { NULL: true }] } } }), {
      M: { a: { L: [{ N: "1" }, { NULL: true }] } },
    });
    assert.deepEqual(validateItem({ a: { N: "+3" }, b: { BOOL: false } }), {
      a: { N: "3" },
      b: { BOOL: false },
    });
  });

  // Texts recorded from DynamoDB (dynalite test/*.js; conformance putItem).
  const errors: [unknown, string][] = [
    [{}, "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"],
    [{ a: "" }, "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"],
    [
      { M: { a: {} } },
      "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes",
    ],
    [{ L: [{}] }, "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"],
    [
      { S: "a", N: "1" },
      "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes",
    ],
    [{ S: "a", N: "b" }, "The parameter cannot be converted to a numeric value: b"],
    [
      { NULL: false },
      "One or more parameter values were invalid: Null attribute value types must have the value of true",
    ],
    [{ SS: [] }, "One or more parameter values were invalid: An string set  may not be empty"],
    [{ NS: [] }, "One or more parameter values were invalid: An number set  may not be empty"],
    [{ BS: [] }, "One or more parameter values were invalid: Binary sets should not be empty"],
    [
      { SS: ["a", "a"] },
      "One or more parameter values were invalid: Input collection [a, a] contains duplicates.",
    ],
    [{ NS: ["1", "1.0"] }, "Input collection contains duplicates"],
    [{ NS: ["1", "b"] }, "The parameter cannot be converted to a numeric value: b"],
    [{ NS: ["1", ""] }, "The parameter cannot be converted to a numeric value"],
    [
      { BS: ["Yg==", "Yg=="] },
      "One or more parameter values were invalid: Input collection [Yg==, Yg==]of type BS contains duplicates.",
    ],
    [
      { L: [{ N: "1e126" }] },
      "Number overflow. Attempting to store a number with magnitude larger than supported range",
    ],
  ];
  for (const [value, message] of errors) {
    it(`refuses ${JSON.stringify(value)}`, () =>
      assertValidation(() => validateAttributeValue(value), message));
  }
});
