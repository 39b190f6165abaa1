// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub strings are written with ${...} on purpose.
/**
 * resolveOutputs: outputs whose condition holds, values resolved to text, export names resolved, and
 * values CloudFormation refuses (maps, lists built in the template, removed values).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { resolveOutputs } from "../../../../src/services/cloudformation/template/outputs.ts";
import { type Template, TemplateError } from "../../../../src/services/cloudformation/template/types.ts";
import { fakeScope } from "./fake-scope.ts";

const scope = fakeScope({
  parameters: { Env: "prod", Subnets: ["s-1", "s-2"] },
  conditions: { IsProd: true, IsDev: false },
  resources: { Api: {}, Lb: { SecurityGroups: ["sg-1", "sg-2"], Port: 443 } },
});

function outputs(definitions: Template["Outputs"]) {
  return resolveOutputs(
    { Resources: { Api: { Type: "AWS::ApiGateway::RestApi" } }, Outputs: definitions },
    scope,
  );
}

function outputError(definitions: Template["Outputs"]): string {
  try {
    outputs(definitions);
  } catch (error) {
    assert.ok(error instanceof TemplateError, `expected a TemplateError, got ${String(error)}`);
    return error.message;
  }
  assert.fail("the outputs were accepted");
}

describe("resolveOutputs", () => {
  it("resolves values, descriptions and export names, skipping outputs whose condition is false", () => {
    assert.deepEqual(
      outputs({
        Url: {
          Description: "API endpoint",
          Value: { "Fn::Sub": "https://${Api}.execute-api.${AWS::Region}.${AWS::URLSuffix}/Prod/" },
          Export: { Name: { "Fn::Sub": "${AWS::StackName}-Url" } },
        },
        DevOnly: { Condition: "IsDev", Value: "never" },
        ProdOnly: { Condition: "IsProd", Value: { Ref: "Env" } },
        Port: { Value: { "Fn::GetAtt": ["Lb", "Port"] } },
        Groups: { Value: { "Fn::GetAtt": ["Lb", "SecurityGroups"] } },
        Joined: { Value: { "Fn::Join": [",", { Ref: "Subnets" }] } },
      }),
      [
        {
          OutputKey: "Url",
          OutputValue: "https://Api-physical.execute-api.us-east-1.amazonaws.com/Prod/",
          Description: "API endpoint",
          ExportName: "demo-Url",
        },
        { OutputKey: "ProdOnly", OutputValue: "prod" },
        { OutputKey: "Port", OutputValue: "443" },
        { OutputKey: "Groups", OutputValue: "sg-1,sg-2" },
        { OutputKey: "Joined", OutputValue: "s-1,s-2" },
      ],
    );
  });

  it("refuses lists built in the template, maps and removed values as AWS does", () => {
    assert.equal(
      outputError({ L: { Value: { Ref: "Subnets" } } }),
      "Template format error: The Value field of every Outputs member must evaluate to a String and not a List.",
    );
    assert.equal(
      outputError({ M: { Value: { a: 1 } } }),
      "Template format error: The Value field of every Outputs member must evaluate to a String and not a Map.",
    );
    assert.equal(
      outputError({ N: { Value: { "Fn::If": ["IsDev", "x", { Ref: "AWS::NoValue" }] } } }),
      "Template format error: The Value field of every Outputs member must evaluate to a String.",
    );
  });

  it("refuses a resolved export name AWS would refuse", () => {
    const message =
      "Template format error: Output E is malformed. The Name field of every Export member must be specified and consist only of alphanumeric characters, colons, or hyphens.";
    assert.equal(
      outputError({ E: { Value: "v", Export: { Name: { "Fn::Sub": "${AWS::StackName}_x" } } } }),
      message,
    );
    assert.equal(outputError({ E: { Value: "v", Export: { Name: { Ref: "Subnets" } } } }), message);
  });

  it("returns nothing for a template without outputs", () => {
    assert.deepEqual(outputs(undefined), []);
  });
});
