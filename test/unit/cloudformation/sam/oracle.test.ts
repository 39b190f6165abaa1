/**
 * Every fixture under test/fixtures/sam is translated by AWS's SAM translator (oracle.py) and by our
 * transformSam; the two CloudFormation templates must be equal — logical ids, types, properties,
 * attributes and Outputs — once the REST API deployment's hash suffix is normalised (see oracle-harness).
 */
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { describe, it } from "node:test";
import { FIXTURES, normalise, ORACLE_SKIP, readFixture, runOracle, runOurs } from "./oracle-harness.ts";

const fixtures = readdirSync(FIXTURES)
  .filter((name) => name.endsWith(".json"))
  .sort();

describe("SAM transform against AWS's translator", { skip: ORACLE_SKIP }, () => {
  it("has the fixtures the brief asks for", () => {
    for (const name of [
      "hello-http-api.json",
      "implicit-rest-api.json",
      "rest-api-authorizer.json",
      "dynamodb-stream.json",
      "s3-notification.json",
      "globals.json",
      "alias-url.json",
      "layer-version.json",
      "policy-templates.json",
    ]) {
      assert.ok(fixtures.includes(name), name);
    }
  });

  for (const name of fixtures) {
    it(`translates ${name} as SAM does`, () => {
      const template = readFixture(name);
      const oracle = runOracle(template);
      const ours = runOurs(template);
      assert.ok("template" in oracle, `SAM refused the fixture: ${"error" in oracle ? oracle.error : ""}`);
      assert.ok("template" in ours, `we refused the fixture: ${"error" in ours ? ours.error : ""}`);
      const expected = normalise(oracle.template) as { Resources: Record<string, { Type: string }> };
      const actual = normalise(ours.template) as { Resources: Record<string, { Type: string }> };
      assert.deepEqual(Object.keys(actual.Resources).sort(), Object.keys(expected.Resources).sort());
      for (const [logicalId, resource] of Object.entries(expected.Resources)) {
        assert.deepEqual(actual.Resources[logicalId], resource, logicalId);
      }
      assert.deepEqual(actual, expected);
    });
  }
});
