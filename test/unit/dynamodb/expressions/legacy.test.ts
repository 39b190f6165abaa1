import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Item } from "../../../../src/services/dynamodb/attribute-value.ts";
import type {
  ExpectedAttributeValue,
  LegacyCondition,
} from "../../../../src/services/dynamodb/expressions/index.ts";
import {
  applyUpdate,
  conditionFromExpected,
  conditionFromFilter,
  evaluateCondition,
  updateFromAttributeUpdates,
} from "../../../../src/services/dynamodb/expressions/index.ts";
import { assertValidation } from "./helpers.ts";

const INVALID = "One or more parameter values were invalid: ";
const item: Item = { status: { S: "active" }, role: { S: "admin" }, n: { N: "5" }, tags: { SS: ["a", "b"] } };

function expected(entries: Record<string, ExpectedAttributeValue>, operator?: string): boolean {
  const condition = conditionFromExpected(entries, operator);
  assert.ok(condition);
  return evaluateCondition(condition, item);
}

describe("Expected", () => {
  it("evaluates Exists, Value and ComparisonOperator forms", () => {
    assert.equal(expected({ status: { Value: { S: "active" } } }), true);
    assert.equal(expected({ status: { Exists: true, Value: { S: "other" } } }), false);
    assert.equal(expected({ gone: { Exists: false } }), true);
    assert.equal(expected({ status: { Exists: false } }), false);
    assert.equal(expected({ n: { ComparisonOperator: "GT", AttributeValueList: [{ N: "4" }] } }), true);
    assert.equal(
      expected({ n: { ComparisonOperator: "BETWEEN", AttributeValueList: [{ N: "1" }, { N: "5" }] } }),
      true,
    );
    assert.equal(expected({ status: { ComparisonOperator: "BEGINS_WITH", Value: { S: "act" } } }), true);
    assert.equal(
      expected({ tags: { ComparisonOperator: "NOT_CONTAINS", AttributeValueList: [{ S: "z" }] } }),
      true,
    );
    assert.equal(expected({ gone: { ComparisonOperator: "NE", AttributeValueList: [{ S: "z" }] } }), true);
    assert.equal(expected({ gone: { ComparisonOperator: "NULL" } }), true);
    assert.equal(
      expected({ n: { ComparisonOperator: "IN", AttributeValueList: [{ N: "1" }, { N: "5.0" }] } }),
      true,
    );
  });

  it("joins entries with AND, or OR with ConditionalOperator", () => {
    const entries = { status: { Value: { S: "active" } }, role: { Value: { S: "user" } } };
    assert.equal(expected(entries), false);
    assert.equal(expected(entries, "AND"), false);
    assert.equal(expected(entries, "OR"), true);
    assert.equal(conditionFromExpected({}), undefined);
  });

  // dynalite test/deleteItem.js, recorded against DynamoDB.
  const errors: [Record<string, ExpectedAttributeValue>, string][] = [
    [
      { a: { ComparisonOperator: "LT" } },
      `${INVALID}Value or AttributeValueList must be used with ComparisonOperator: LT for Attribute: a`,
    ],
    [
      { a: { Exists: true, ComparisonOperator: "LT" } },
      `${INVALID}Exists and ComparisonOperator cannot be used together for Attribute: a`,
    ],
    [
      { a: { AttributeValueList: [] } },
      `${INVALID}AttributeValueList can only be used with a ComparisonOperator for Attribute: a`,
    ],
    [
      { a: { Value: { S: "a" }, AttributeValueList: [] } },
      `${INVALID}Value and AttributeValueList cannot be used together for Attribute: a`,
    ],
    [
      { a: { Value: { S: "a" }, ComparisonOperator: "BETWEEN" } },
      `${INVALID}Invalid number of argument(s) for the BETWEEN ComparisonOperator`,
    ],
    [
      { a: { Value: { S: "a" }, ComparisonOperator: "NULL" } },
      `${INVALID}Invalid number of argument(s) for the NULL ComparisonOperator`,
    ],
    [{ a: {} }, `${INVALID}Value must be provided when Exists is null for Attribute: a`],
    [{ a: { Exists: true } }, `${INVALID}Value must be provided when Exists is true for Attribute: a`],
    [
      { a: { Exists: false, Value: { S: "a" } } },
      `${INVALID}Value cannot be used when Exists is false for Attribute: a`,
    ],
    [
      { a: { ComparisonOperator: "IN", AttributeValueList: [{ S: "b" }, { N: "1" }] } },
      `${INVALID}AttributeValues inside AttributeValueList must be of same type`,
    ],
    [
      { a: { ComparisonOperator: "BETWEEN", AttributeValueList: [{ S: "b" }, { S: "a" }] } },
      "The BETWEEN condition was provided a range where the lower bound is greater than the upper bound",
    ],
    [{ a: { Value: { SS: [] } } }, `${INVALID}An string set  may not be empty`],
  ];
  for (const [entries, message] of errors) {
    it(`refuses ${JSON.stringify(entries)}`, () =>
      assertValidation(() => conditionFromExpected(entries), message));
  }
});

describe("QueryFilter / ScanFilter", () => {
  it("evaluates like the expression forms", () => {
    const condition = conditionFromFilter(
      {
        status: { ComparisonOperator: "EQ", AttributeValueList: [{ S: "active" }] },
        n: { ComparisonOperator: "LE", AttributeValueList: [{ N: "4" }] },
      },
      "OR",
    );
    assert.ok(condition);
    assert.equal(evaluateCondition(condition, item), true);
    const notNull = conditionFromFilter({ role: { ComparisonOperator: "NOT_NULL" } });
    assert.ok(notNull);
    assert.equal(evaluateCondition(notNull, item), true);
  });

  // dynalite test/query.js, recorded against DynamoDB.
  const errors: [Record<string, LegacyCondition>, string][] = [
    [
      { a: { ComparisonOperator: "EQ" } },
      `${INVALID}Invalid number of argument(s) for the EQ ComparisonOperator`,
    ],
    [
      { a: { ComparisonOperator: "IN", AttributeValueList: [] } },
      `${INVALID}Invalid number of argument(s) for the IN ComparisonOperator`,
    ],
    [
      { a: { ComparisonOperator: "NOT_NULL", AttributeValueList: [{ S: "a" }] } },
      `${INVALID}Invalid number of argument(s) for the NOT_NULL ComparisonOperator`,
    ],
    [
      { a: { ComparisonOperator: "LT", AttributeValueList: [{ BOOL: true }] } },
      `${INVALID}ComparisonOperator LT is not valid for BOOL AttributeValue type`,
    ],
    [
      { a: { ComparisonOperator: "IN", AttributeValueList: [{ SS: ["a"] }] } },
      `${INVALID}ComparisonOperator IN is not valid for SS AttributeValue type`,
    ],
    [
      { a: { ComparisonOperator: "CONTAINS", AttributeValueList: [{ L: [] }] } },
      `${INVALID}ComparisonOperator CONTAINS is not valid for L AttributeValue type`,
    ],
    [
      { a: { ComparisonOperator: "BETWEEN", AttributeValueList: [{ M: {} }, { M: {} }] } },
      `${INVALID}ComparisonOperator BETWEEN is not valid for M AttributeValue type`,
    ],
    [
      { a: { ComparisonOperator: "BEGINS_WITH", AttributeValueList: [{ N: "1" }] } },
      `${INVALID}ComparisonOperator BEGINS_WITH is not valid for N AttributeValue type`,
    ],
    [
      { a: { ComparisonOperator: "EQ", AttributeValueList: [{ N: "b" }] } },
      "The parameter cannot be converted to a numeric value: b",
    ],
  ];
  for (const [filter, message] of errors) {
    it(`refuses ${JSON.stringify(filter)}`, () =>
      assertValidation(() => conditionFromFilter(filter), message));
  }
});

describe("AttributeUpdates", () => {
  it("applies PUT (the default), ADD on numbers, sets and lists, DELETE of values and attributes", () => {
    const start: Item = {
      k: { S: "1" },
      n: { N: "10" },
      s: { SS: ["a", "b"] },
      l: { L: [{ S: "a" }] },
      x: { S: "x" },
    };
    const result = applyUpdate(
      updateFromAttributeUpdates({
        name: { Value: { S: "new" } },
        n: { Action: "ADD", Value: { N: "5" } },
        s: { Action: "DELETE", Value: { SS: ["a", "z"] } },
        l: { Action: "ADD", Value: { L: [{ N: "2" }] } },
        fresh: { Action: "ADD", Value: { SS: ["q"] } },
        x: { Action: "DELETE" },
      }),
      start,
    );
    assert.deepEqual(result, {
      k: { S: "1" },
      n: { N: "15" },
      s: { SS: ["b"] },
      l: { L: [{ S: "a" }, { N: "2" }] },
      name: { S: "new" },
      fresh: { SS: ["q"] },
    });
  });

  it("refuses what DynamoDB refuses", () => {
    assertValidation(
      () => updateFromAttributeUpdates({ a: { Action: "PUT" } }),
      `${INVALID}Only DELETE action is allowed when no attribute value is specified`,
    );
    assertValidation(
      () => updateFromAttributeUpdates({ a: { Action: "DELETE", Value: { S: "a" } } }),
      `${INVALID}DELETE action with value is not supported for the type S`,
    );
    assertValidation(
      () => updateFromAttributeUpdates({ a: { Action: "ADD", Value: { M: {} } } }),
      `${INVALID}ADD action is not supported for the type M`,
    );
    const start: Item = { b: { SS: ["1"] }, c: { N: "1" }, d: { NS: ["1"] } };
    const mismatch = "Type mismatch for attribute to update";
    assertValidation(
      () => applyUpdate(updateFromAttributeUpdates({ b: { Action: "DELETE", Value: { NS: ["1"] } } }), start),
      mismatch,
    );
    assertValidation(
      () => applyUpdate(updateFromAttributeUpdates({ c: { Action: "DELETE", Value: { NS: ["1"] } } }), start),
      mismatch,
    );
    assertValidation(
      () => applyUpdate(updateFromAttributeUpdates({ b: { Action: "ADD", Value: { NS: ["1"] } } }), start),
      mismatch,
    );
    assertValidation(
      () => applyUpdate(updateFromAttributeUpdates({ d: { Action: "ADD", Value: { N: "1" } } }), start),
      mismatch,
    );
  });
});
