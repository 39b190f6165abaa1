import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  addNumbers,
  canonicalNumber,
  compareNumbers,
  numberSizeBytes,
  subtractNumbers,
} from "../../../../src/services/dynamodb/numbers.ts";
import { assertValidation } from "../expressions/helpers.ts";

const OVERFLOW = "Number overflow. Attempting to store a number with magnitude larger than supported range";
const UNDERFLOW =
  "Number underflow. Attempting to store a number with magnitude smaller than supported range";
const PRECISION = "Attempting to store more than 38 significant digits in a Number";

describe("canonicalNumber", () => {
  // Round-trips captured from DynamoDB (conformance tests/tier3/limits/numberPrecision, numberByteSize).
  const cases: [string, string][] = [
    ["00042", "42"],
    ["1.0", "1"],
    ["3.1400", "3.14"],
    ["1.5E2", "150"],
    ["-0", "0"],
    ["0042.1200", "42.12"],
    ["1E125", `1${"0".repeat(125)}`],
    ["12345678901234567890123456789012345678", "12345678901234567890123456789012345678"],
    ["0.00000000000000000000000000000000000001", "0.00000000000000000000000000000000000001"],
    ["1E-130", `0.${"0".repeat(129)}1`],
    ["+7", "7"],
    [".5", "0.5"],
    ["5.", "5"],
    [
      "-9.9999999999999999999999999999999999999E+125",
      `-99999999999999999999999999999999999999${"0".repeat(88)}`,
    ],
    ["0e-500", "0"],
  ];
  for (const [input, expected] of cases) {
    it(`${input} -> ${expected.length > 40 ? `${expected.slice(0, 20)}…` : expected}`, () => {
      assert.equal(canonicalNumber(input), expected);
    });
  }

  const errors: [string, string][] = [
    ["", "The parameter cannot be converted to a numeric value"],
    ["b", "The parameter cannot be converted to a numeric value: b"],
    ["NaN", "The parameter cannot be converted to a numeric value: NaN"],
    [" 1", "The parameter cannot be converted to a numeric value:  1"],
    ["1e", "The parameter cannot be converted to a numeric value: 1e"],
    [".", "The parameter cannot be converted to a numeric value: ."],
    ["0x10", "The parameter cannot be converted to a numeric value: 0x10"],
    ["123456789012345678901234567890123456789", PRECISION],
    ["-1.23456789012345678901234567890123456789", PRECISION],
    ["1e126", OVERFLOW],
    ["-1e126", OVERFLOW],
    ["1E99999999999999999999", OVERFLOW],
    ["1e-131", UNDERFLOW],
    ["-1e-131", UNDERFLOW],
    ["1E-99999999999999999999", UNDERFLOW],
  ];
  for (const [input, message] of errors) {
    it(`refuses ${JSON.stringify(input)}`, () => assertValidation(() => canonicalNumber(input), message));
  }

  it("counts significant digits, not trailing zeros of integers", () => {
    assert.equal(canonicalNumber(`1${"0".repeat(100)}`), `1${"0".repeat(100)}`);
  });
});

describe("number arithmetic", () => {
  it("is exact decimal arithmetic", () => {
    assert.equal(addNumbers("0.1", "0.2"), "0.3");
    assert.equal(subtractNumbers("1", "0.9"), "0.1");
    assert.equal(
      addNumbers("12345678901234567890123456789012345678", "1"),
      "12345678901234567890123456789012345679",
    );
    assert.equal(addNumbers("-5", "5"), "0");
  });

  it("refuses results outside DynamoDB's range", () => {
    // conformance numberPrecision: SET n = :a + :b with 9.9e125 twice is a Number overflow.
    assertValidation(() => addNumbers("9.9e125", "9.9e125"), OVERFLOW);
    assertValidation(() => subtractNumbers("1e-130", "0.9e-130"), UNDERFLOW);
    assertValidation(() => addNumbers("1e30", "1e-10"), PRECISION);
  });

  it("compares by value", () => {
    assert.equal(compareNumbers("1", "1.0"), 0);
    assert.equal(compareNumbers("-10", "2"), -1);
    assert.equal(compareNumbers("1E2", "99.99"), 1);
  });
});

describe("numberSizeBytes", () => {
  // Measured to the byte against eu-west-2, 2026-08-18 (conformance src/item-size.ts).
  const captured: [string, number][] = [
    ["0", 1],
    ["1", 2],
    ["12", 2],
    ["123", 3],
    ["1234", 3],
    ["12345678901234567890123456789012345678", 20],
    ["0042", 2],
    ["100", 2],
    ["1010", 3],
    ["0.0000001", 2],
    ["1E125", 2],
    ["1E-100", 2],
    ["1.5", 3],
    ["15", 2],
    ["1.2", 3],
    ["1.200", 3],
    ["1.234", 4],
    ["3.14159", 5],
    ["123456", 4],
    ["100.5", 4],
    ["0.15", 2],
    ["-42", 3],
    ["-0", 1],
  ];
  for (const [literal, bytes] of captured) {
    it(`${literal} is ${bytes} bytes`, () => assert.equal(numberSizeBytes(literal), bytes));
  }
});
