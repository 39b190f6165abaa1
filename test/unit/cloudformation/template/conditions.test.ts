/**
 * evaluateConditions: the Conditions section evaluated against parameters, pseudo parameters, mappings
 * and other conditions; references to resources, unknown conditions and cycles refused.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { evaluateConditions } from "../../../../src/services/cloudformation/template/conditions.ts";
import { type Template, TemplateError } from "../../../../src/services/cloudformation/template/types.ts";
import { fakeScope } from "./fake-scope.ts";

const scope = fakeScope({
  parameters: { Env: "prod", Size: "3" },
  mappings: { Flags: { prod: { Alarms: "on" } } },
  region: "eu-west-1",
});

function template(conditions: Record<string, unknown>): Template {
  return {
    Parameters: { Env: { Type: "String" }, Size: { Type: "Number" } },
    Conditions: conditions,
    Resources: { Topic: { Type: "AWS::SNS::Topic" } },
  };
}

function conditionError(conditions: Record<string, unknown>): string {
  try {
    evaluateConditions(template(conditions), scope);
  } catch (error) {
    assert.ok(error instanceof TemplateError, `expected a TemplateError, got ${String(error)}`);
    return error.message;
  }
  assert.fail("the conditions were accepted");
}

describe("evaluateConditions", () => {
  it("evaluates Equals, And, Or, Not over parameters, pseudo parameters and mappings", () => {
    const results = evaluateConditions(
      template({
        IsProd: { "Fn::Equals": [{ Ref: "Env" }, "prod"] },
        IsIreland: { "Fn::Equals": [{ Ref: "AWS::Region" }, "eu-west-1"] },
        Alarms: { "Fn::Equals": [{ "Fn::FindInMap": ["Flags", { Ref: "Env" }, "Alarms"] }, "on"] },
        Big: { "Fn::Equals": [{ Ref: "Size" }, 3] },
        Both: { "Fn::And": [{ Condition: "IsProd" }, { Condition: "IsIreland" }] },
        Either: { "Fn::Or": [{ "Fn::Not": [{ Condition: "IsProd" }] }, { "Fn::Equals": ["a", "b"] }] },
        NotDev: { "Fn::Not": [{ "Fn::Equals": [{ Ref: "Env" }, "dev"] }] },
      }),
      scope,
    );
    assert.deepEqual(Object.fromEntries(results), {
      IsProd: true,
      IsIreland: true,
      Alarms: true,
      Big: true,
      Both: true,
      Either: false,
      NotDev: true,
    });
  });

  it("evaluates a condition used before its declaration", () => {
    const results = evaluateConditions(
      template({ Outer: { "Fn::Not": [{ Condition: "Inner" }] }, Inner: { "Fn::Equals": ["x", "x"] } }),
      scope,
    );
    assert.deepEqual(
      [...results],
      [
        ["Outer", false],
        ["Inner", true],
      ],
    );
  });

  it("returns an empty map for a template without conditions", () => {
    assert.equal(evaluateConditions({ Resources: { T: { Type: "AWS::SNS::Topic" } } }, scope).size, 0);
  });

  it("refuses references to resources", () => {
    assert.equal(
      conditionError({ C: { "Fn::Equals": [{ Ref: "Topic" }, "x"] } }),
      "Template format error: Unresolved dependencies [Topic]. Cannot reference resources in the Conditions block of the template",
    );
    assert.match(
      conditionError({ C: { "Fn::Equals": [{ "Fn::GetAtt": ["Topic", "Arn"] }, "x"] } }),
      /Unresolved dependencies \[Topic\]/,
    );
  });

  it("refuses unknown conditions and cycles", () => {
    assert.equal(
      conditionError({ C: { "Fn::Not": [{ Condition: "Nope" }] } }),
      "Template format error: Unresolved condition dependencies [Nope] in the Conditions block of the template",
    );
    assert.equal(
      conditionError({ A: { "Fn::Not": [{ Condition: "B" }] }, B: { "Fn::Not": [{ Condition: "A" }] } }),
      "Template format error: Circular dependency between conditions: [A, B]",
    );
    assert.match(
      conditionError({ A: { "Fn::Not": [{ Condition: "A" }] } }),
      /Circular dependency between conditions: \[A\]/,
    );
  });

  it("refuses malformed condition functions", () => {
    assert.equal(
      conditionError({ C: { "Fn::And": [{ "Fn::Equals": ["a", "a"] }] } }),
      "Template error: every Fn::And object requires a list of at least 2 and at most 10 boolean parameters.",
    );
    assert.equal(
      conditionError({ C: { "Fn::Or": Array.from({ length: 11 }, () => ({ "Fn::Equals": ["a", "a"] })) } }),
      "Template error: every Fn::Or object requires a list of at least 2 and at most 10 boolean parameters.",
    );
    assert.equal(
      conditionError({ C: { "Fn::Equals": ["a"] } }),
      "Template error: Fn::Equals requires a list argument with two elements",
    );
  });
});
