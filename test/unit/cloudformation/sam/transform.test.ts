// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub strings are written with ${...} on purpose.
/**
 * Behaviour of transformSam beyond the fixtures: SAM's hashing of logical ids, parameter resolution for
 * AutoPublishAlias/CodeUri, reference rewriting, pass-through of plain CloudFormation, and the partition.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { describe, it } from "node:test";
import {
  hashedLogicalId,
  pythonSortedJson,
} from "../../../../src/services/cloudformation/sam/logical-ids.ts";
import { hasSamTransform, transformSam } from "../../../../src/services/cloudformation/sam/transform.ts";
import type { Template } from "../../../../src/services/cloudformation/template/types.ts";
import { normalise, ORACLE_SKIP, runOracle, runOurs, samContext } from "./oracle-harness.ts";

const TRANSFORM = "AWS::Serverless-2016-10-31";

function pythonJsonDumps(value: unknown): string {
  const script =
    "import json,sys; sys.stdout.write(json.dumps(json.load(sys.stdin), separators=(',', ':'), sort_keys=True))";
  const result = spawnSync("python3", ["-c", script], {
    input: JSON.stringify(value),
    encoding: "utf8",
    timeout: 30_000,
  });
  return result.stdout;
}

describe("SAM logical ids", () => {
  it("stringifies data exactly as Python's json.dumps(sort_keys=True, compact)", {
    skip: ORACLE_SKIP,
  }, () => {
    const data = {
      b: [1, 2.5, "é", { z: null, a: true }],
      a: 'x"y\\',
      ü: { "10": 1, "9": 2 },
      c: 1e-7,
      d: -0.5,
    };
    assert.equal(pythonSortedJson(data), pythonJsonDumps(data));
  });

  it("appends the first 10 hex characters of the SHA1, and nothing for empty data", () => {
    assert.match(hashedLogicalId("FnVersion", { S3Bucket: "b" }), /^FnVersion[0-9a-f]{10}$/);
    assert.equal(hashedLogicalId("FnVersion", {}), "FnVersion");
    assert.notEqual(
      hashedLogicalId("FnVersion", { S3Bucket: "b" }),
      hashedLogicalId("FnVersion", { S3Bucket: "c" }),
    );
  });
});

describe("transformSam", () => {
  const aliased: Template = {
    Transform: TRANSFORM,
    Parameters: {
      CodeKey: { Type: "String", Default: "v1.zip" },
      Alias: { Type: "String", Default: "blue" },
    },
    Resources: {
      Fn: {
        Type: "AWS::Serverless::Function",
        Properties: {
          CodeUri: { Bucket: "artifacts", Key: { Ref: "CodeKey" } },
          Handler: "index.handler",
          Runtime: "nodejs20.x",
          AutoPublishAlias: { Ref: "Alias" },
        },
      },
    },
    Outputs: { Alias: { Value: { Ref: "Fn.Alias" } }, Version: { Value: { Ref: "Fn.Version" } } },
  };

  it("resolves parameters in CodeUri and AutoPublishAlias as SAM does, so the Version id follows the code", {
    skip: ORACLE_SKIP,
  }, () => {
    const overrides = { CodeKey: "v2.zip", Alias: "green" };
    const oracle = runOracle(aliased, overrides);
    const ours = runOurs(aliased, overrides);
    assert.ok("template" in oracle && "template" in ours);
    assert.deepEqual(normalise(ours.template), normalise(oracle.template));
    assert.ok("FnAliasgreen" in ours.template.Resources);
    const defaults = runOurs(aliased);
    assert.ok("template" in defaults);
    const versionIds = (template: Template) =>
      Object.keys(template.Resources).filter((id) => id.startsWith("FnVersion"));
    assert.notDeepEqual(versionIds(defaults.template), versionIds(ours.template));
  });

  it("rewrites SAM references in Outputs (Fn.Alias, Fn.Version)", () => {
    const ours = runOurs(aliased);
    assert.ok("template" in ours);
    const outputs = ours.template.Outputs ?? {};
    assert.deepEqual(outputs.Alias?.Value, { Ref: "FnAliasblue" });
    const version = outputs.Version?.Value as { Ref: string } | undefined;
    assert.match(String(version?.Ref), /^FnVersion[0-9a-f]{10}$/);
  });

  it("passes plain CloudFormation through unchanged and drops Transform and Globals", () => {
    const queue = {
      Type: "AWS::SQS::Queue",
      Properties: { QueueName: "q" },
      DeletionPolicy: "Retain" as const,
    };
    const template: Template = {
      AWSTemplateFormatVersion: "2010-09-09",
      Transform: TRANSFORM,
      Globals: { Function: { Timeout: 3 } },
      Conditions: { Always: { "Fn::Equals": ["a", "a"] } },
      Resources: { Queue: queue },
    };
    const output = transformSam(template, samContext(template));
    assert.deepEqual(output, {
      AWSTemplateFormatVersion: "2010-09-09",
      Conditions: { Always: { "Fn::Equals": ["a", "a"] } },
      Resources: { Queue: queue },
    });
    assert.equal(template.Transform, TRANSFORM, "the input is not mutated");
  });

  it("rewrites Ref, GetAtt, Sub and DependsOn of a renamed LayerVersion everywhere", () => {
    const template: Template = {
      Transform: TRANSFORM,
      Resources: {
        Layer: { Type: "AWS::Serverless::LayerVersion", Properties: { ContentUri: "s3://a/layer.zip" } },
        Param: {
          Type: "AWS::SSM::Parameter",
          DependsOn: "Layer",
          Properties: {
            Type: "String",
            Value: { "Fn::Sub": "${Layer} ${!Layer} ${AWS::Region}" },
            Name: { "Fn::GetAtt": ["Layer", "LayerVersionArn"] },
          },
        },
      },
      Outputs: { Arn: { Value: { Ref: "Layer" } } },
    };
    const output = transformSam(template, samContext(template));
    const layerId = Object.keys(output.Resources).find((id) => id.startsWith("Layer")) as string;
    assert.match(layerId, /^Layer[0-9a-f]{10}$/);
    assert.deepEqual(output.Resources.Param, {
      Type: "AWS::SSM::Parameter",
      DependsOn: layerId,
      Properties: {
        Type: "String",
        Value: { "Fn::Sub": `\${${layerId}} \${!Layer} \${AWS::Region}` },
        Name: { "Fn::GetAtt": [layerId, "LayerVersionArn"] },
      },
    });
    assert.deepEqual(output.Outputs?.Arn?.Value, { Ref: layerId });
    if (ORACLE_SKIP) return;
    const oracle = runOracle(template);
    assert.ok("template" in oracle);
    assert.deepEqual(output, oracle.template);
  });

  it("writes the stack's partition into the ARNs SAM spells out", () => {
    const template: Template = {
      Transform: TRANSFORM,
      Resources: {
        Fn: {
          Type: "AWS::Serverless::Function",
          Properties: {
            InlineCode: "x",
            Handler: "i.h",
            Runtime: "nodejs20.x",
            Events: { Get: { Type: "Api", Properties: { Path: "/", Method: "get" } } },
          },
        },
      },
    };
    const output = transformSam(template, {
      ...samContext(template),
      region: "cn-north-1",
      partition: "aws-cn",
    });
    const role = output.Resources.FnRole?.Properties as { ManagedPolicyArns: string[] };
    assert.deepEqual(role.ManagedPolicyArns, [
      "arn:aws-cn:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
    ]);
    const permission = output.Resources.FnGetPermissionProd?.Properties as {
      SourceArn: { "Fn::Sub": [string, unknown] };
    };
    assert.match(permission.SourceArn["Fn::Sub"][0], /^arn:aws-cn:execute-api:/);
  });

  it("recognises the transform as a string or in a list", () => {
    assert.equal(hasSamTransform({ Transform: TRANSFORM, Resources: {} }), true);
    assert.equal(hasSamTransform({ Transform: ["Other", TRANSFORM], Resources: {} }), true);
    assert.equal(hasSamTransform({ Resources: {} }), false);
  });
});
