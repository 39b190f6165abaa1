import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { KeySchema } from "../../../../src/services/dynamodb/expressions/index.ts";
import {
  analyseKeyConditions,
  keyConditionsFromExpression,
  keyConditionsFromLegacy,
  parseExpressions,
  sortKeyMatches,
} from "../../../../src/services/dynamodb/expressions/index.ts";
import { assertValidation } from "./helpers.ts";

const values = { ":a": { S: "a" }, ":b": { S: "b" }, ":n": { N: "1" }, ":t": { S: "S" } };

/** Parses a KeyConditionExpression with whichever of `values` it uses. */
function keyConditions(expression: string, names?: Record<string, string>) {
  const used = Object.fromEntries(Object.entries(values).filter(([key]) => expression.includes(key)));
  const parsed = parseExpressions({
    KeyConditionExpression: expression,
    ...(Object.keys(used).length > 0 ? { ExpressionAttributeValues: used } : {}),
    ...(names ? { ExpressionAttributeNames: names } : {}),
  }).keyCondition;
  assert.ok(parsed);
  return keyConditionsFromExpression(parsed);
}

const composite: KeySchema = { hash: { name: "pk", type: "S" }, range: { name: "sk", type: "S" } };
const hashOnly: KeySchema = { hash: { name: "pk", type: "S" } };

describe("keyConditionsFromExpression", () => {
  // dynalite test/query.js, recorded against DynamoDB.
  const errors: [string, string][] = [
    ["a > b and size(b) > c or a > c", "Invalid operator used in KeyConditionExpression: OR"],
    ["a in (b, size(c), d)", "Invalid operator used in KeyConditionExpression: IN"],
    ["attribute_exists(a)", "Invalid operator used in KeyConditionExpression: attribute_exists"],
    ["attribute_not_exists(a)", "Invalid operator used in KeyConditionExpression: attribute_not_exists"],
    ["attribute_type(a, :t)", "Invalid operator used in KeyConditionExpression: attribute_type"],
    ["contains(a.d, b)", "Invalid operator used in KeyConditionExpression: contains"],
    ["not a > b", "Invalid operator used in KeyConditionExpression: NOT"],
    ["a <> b", "Invalid operator used in KeyConditionExpression: <>"],
    [
      ":a between size(b) and size(a) and b > :b",
      "Invalid condition in KeyConditionExpression: BETWEEN operator must have the key attribute as its first operand",
    ],
    [
      "begins_with(:a, b) and a > :b",
      "Invalid condition in KeyConditionExpression: begins_with operator must have the key attribute as its first operand",
    ],
    ["size(b) > a AND a.b > b AND b > c", "KeyConditionExpressions cannot contain nested operations"],
    ["a > size(b.d)", "KeyConditionExpressions cannot contain nested operations"],
    ["a between size(b) and size(a)", "KeyConditionExpressions cannot contain nested operations"],
    [
      "b > a.b",
      "Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition",
    ],
    [
      "b between c[1] and d",
      "Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition",
    ],
    [
      "a between b and size(a)",
      "Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition",
    ],
    [
      "begins_with(a, b)",
      "Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition",
    ],
    ["b.d > a AND c.d > e.f", "KeyConditionExpressions cannot have conditions on nested attributes"],
    ["b[0] > a", "KeyConditionExpressions cannot have conditions on nested attributes"],
    [":b > :a AND a < :b", "Invalid condition in KeyConditionExpression: No key attribute specified"],
    [
      "b > :a AND b < :a and c = :a and d = :a",
      "KeyConditionExpressions must only contain one condition per key",
    ],
    [
      "(a > :a and b > :a) and (b > :a and c > :a)",
      "KeyConditionExpressions must only contain one condition per key",
    ],
    [":a = a and b = :a and :a = c", "Conditions can be of length 1 or 2 only"],
  ];
  for (const [expression, message] of errors) {
    it(`refuses ${expression}`, () => assertValidation(() => keyConditions(expression), message));
  }

  it("flips a comparison with the value on the left and keeps the written order", () => {
    const conditions = keyConditions("#pk = :a AND :b <= #sk", { "#pk": "pk", "#sk": "sk" });
    assert.deepEqual(
      [...conditions],
      [
        ["pk", { operator: "EQ", values: [{ S: "a" }] }],
        ["sk", { operator: "GE", values: [{ S: "b" }] }],
      ],
    );
    assert.deepEqual(keyConditions("pk = :a AND sk BETWEEN :a AND :b").get("sk"), {
      operator: "BETWEEN",
      values: [{ S: "a" }, { S: "b" }],
    });
    assert.deepEqual(keyConditions("(pk = :a) AND (begins_with(sk, :b))").get("sk"), {
      operator: "BEGINS_WITH",
      values: [{ S: "b" }],
    });
  });
});

describe("analyseKeyConditions", () => {
  it("plans the partition and the sort-key condition", () => {
    assert.deepEqual(analyseKeyConditions(keyConditions("pk = :a AND sk < :b"), composite), {
      partition: { name: "pk", value: { S: "a" } },
      sort: { name: "sk", operator: "LT", values: [{ S: "b" }] },
    });
    assert.deepEqual(analyseKeyConditions(keyConditions("pk = :a"), composite), {
      partition: { name: "pk", value: { S: "a" } },
    });
  });

  // conformance tests/tier3/error-messages/query; dynalite actions/query.js.
  const errors: [string, KeySchema, string][] = [
    ["sk = :a", composite, "Query condition missed key schema element: pk"],
    ["attr1 = :a", composite, "Query condition missed key schema element: pk"],
    ["pk = :a AND attr1 = :b", composite, "Query condition missed key schema element: sk"],
    ["pk = :a AND sk = :b", hashOnly, "Query key condition not supported"],
    ["pk > :a", hashOnly, "Query key condition not supported"],
    [
      "pk = :n",
      hashOnly,
      "One or more parameter values were invalid: Condition parameter type does not match schema type",
    ],
  ];
  for (const [expression, schema, message] of errors) {
    it(`refuses ${expression}`, () =>
      assertValidation(() => analyseKeyConditions(keyConditions(expression), schema), message));
  }

  it("refuses legacy operators that cannot use the index", () => {
    const legacy = keyConditionsFromLegacy({
      pk: { ComparisonOperator: "EQ", AttributeValueList: [{ S: "a" }] },
      sk: { ComparisonOperator: "CONTAINS", AttributeValueList: [{ S: "a" }] },
    });
    assertValidation(
      () => analyseKeyConditions(legacy, composite),
      "Attempted conditional constraint is not an indexable operation",
    );
    assertValidation(() => keyConditionsFromLegacy({}), "Conditions can be of length 1 or 2 only");
  });
});

describe("sortKeyMatches", () => {
  const cases: [string, { S: string } | { N: string }, boolean][] = [
    ["pk = :a AND sk = :b", { S: "b" }, true],
    ["pk = :a AND sk < :b", { S: "a" }, true],
    ["pk = :a AND sk <= :b", { S: "c" }, false],
    ["pk = :a AND sk > :a", { S: "b" }, true],
    ["pk = :a AND sk >= :b", { S: "a" }, false],
    ["pk = :a AND sk BETWEEN :a AND :b", { S: "ab" }, true],
    ["pk = :a AND begins_with(sk, :a)", { S: "abc" }, true],
    ["pk = :a AND begins_with(sk, :b)", { S: "abc" }, false],
  ];
  for (const [expression, value, expected] of cases) {
    it(`${expression} on ${JSON.stringify(value)}`, () => {
      const { sort } = analyseKeyConditions(keyConditions(expression), composite);
      assert.ok(sort);
      assert.equal(sortKeyMatches(sort, value), expected);
    });
  }
});
