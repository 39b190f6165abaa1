import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Item } from "../../../../src/services/dynamodb/attribute-value.ts";
import {
  parseExpressions,
  project,
  projectionFromAttributesToGet,
} from "../../../../src/services/dynamodb/expressions/index.ts";
import { assertValidation } from "./helpers.ts";

const item: Item = {
  a: { M: { b: { S: "ab" }, c: { S: "ac" }, d: { N: "1" } } },
  l: {
    L: [
      { M: { x: { N: "1" }, y: { N: "2" }, z: { N: "3" } } },
      { S: "one" },
      { S: "two" },
      { S: "three" },
      { S: "four" },
    ],
  },
  top: { S: "t" },
};

const paths = (expression: string, names?: Record<string, string>) => {
  const projection = parseExpressions({
    ProjectionExpression: expression,
    ...(names ? { ExpressionAttributeNames: names } : {}),
  }).projection;
  assert.ok(projection);
  return projection;
};

describe("project", () => {
  const cases: [string, Item][] = [
    ["top", { top: { S: "t" } }],
    ["top, absent", { top: { S: "t" } }],
    ["a.b, a.c", { a: { M: { b: { S: "ab" }, c: { S: "ac" } } } }],
    ["l[0].x, l[0].y", { l: { L: [{ M: { x: { N: "1" }, y: { N: "2" } } }] } }],
    ["l[3], l[1]", { l: { L: [{ S: "one" }, { S: "three" }] } }],
    ["l[9], a.zz, top.x", {}],
    ["a", { a: item.a as never }],
  ];
  for (const [expression, expected] of cases) {
    it(expression, () => assert.deepEqual(project(paths(expression), item), expected));
  }

  it("substitutes names and keeps the projected values independent of the item", () => {
    const result = project(paths("#t", { "#t": "top" }), item);
    assert.deepEqual(result, { top: { S: "t" } });
    (result.top as { S: string }).S = "changed";
    assert.deepEqual(item.top, { S: "t" });
  });

  it("translates AttributesToGet and refuses duplicates", () => {
    assert.deepEqual(project(projectionFromAttributesToGet(["top", "a.b"]), item), { top: { S: "t" } });
    assertValidation(
      () => projectionFromAttributesToGet(["a", "b", "a"]),
      "One or more parameter values were invalid: Duplicate value in attribute name: a",
    );
  });
});
