// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub strings are written with ${...} on purpose.
/**
 * parseTemplate: JSON and YAML bodies to the one JSON form, every YAML short-form tag to its long form,
 * dates left as the strings CloudFormation reads, and the structural errors in AWS's words.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseTemplate } from "../../../../src/services/cloudformation/template/parse.ts";
import { TemplateError } from "../../../../src/services/cloudformation/template/types.ts";

const yamlResources = "Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n";

/** The Properties of the single resource of a YAML template whose Properties block is `properties`. */
function yamlProperties(properties: string): Record<string, unknown> {
  const body = `Resources:\n  Thing:\n    Type: AWS::S3::Bucket\n    Properties:\n${properties
    .split("\n")
    .map((line) => `      ${line}`)
    .join("\n")}\n`;
  return parseTemplate(body).Resources.Thing?.Properties ?? {};
}

function templateError(body: string): string {
  try {
    parseTemplate(body);
  } catch (error) {
    assert.ok(error instanceof TemplateError, `expected a TemplateError, got ${String(error)}`);
    return error.message;
  }
  assert.fail("the template was accepted");
}

describe("parseTemplate: JSON", () => {
  it("reads a JSON body (leading whitespace allowed) as is", () => {
    const template = parseTemplate(
      '  \n{"AWSTemplateFormatVersion":"2010-09-09","Resources":{"T":{"Type":"AWS::SNS::Topic","Properties":{"N":1,"F":{"Fn::GetAtt":["A","B"]}}}}}',
    );
    assert.deepEqual(template.Resources.T, {
      Type: "AWS::SNS::Topic",
      Properties: { N: 1, F: { "Fn::GetAtt": ["A", "B"] } },
    });
  });

  it("reports where malformed JSON breaks, as AWS does", () => {
    assert.equal(
      templateError('{"Resources":}'),
      "Template format error: JSON not well-formed. (line 1, column 14)",
    );
    assert.equal(
      templateError('{\n  "Resources": {\n    "A" 1\n'),
      "Template format error: JSON not well-formed. (line 3, column 9)",
    );
    assert.equal(
      templateError('{"a": tru}'),
      "Template format error: JSON not well-formed. (line 1, column 10)",
    );
    assert.equal(
      templateError('{"a": 1,}'),
      "Template format error: JSON not well-formed. (line 1, column 9)",
    );
    assert.equal(templateError("{"), "Template format error: JSON not well-formed. (line 1, column 2)");
  });
});

describe("parseTemplate: YAML", () => {
  it("keeps unquoted dates as strings (AWS supports no timestamp tag)", () => {
    const template = parseTemplate(
      `AWSTemplateFormatVersion: 2010-09-09\n${yamlResources}    Properties:\n      PolicyDocument:\n        Version: 2012-10-17\n        When: 2001-12-14t21:59:43.10-05:00\n`,
    );
    assert.equal(template.AWSTemplateFormatVersion, "2010-09-09");
    assert.deepEqual(template.Resources.Bucket?.Properties, {
      PolicyDocument: { Version: "2012-10-17", When: "2001-12-14t21:59:43.10-05:00" },
    });
  });

  it("reads booleans and null as YAML 1.1 does (yes/no/on/off are booleans)", () => {
    assert.deepEqual(yamlProperties("A: true\nB: yes\nC: off\nD: NO\nE: 'yes'\nF: ~\nG:"), {
      A: true,
      B: true,
      C: false,
      D: false,
      E: "yes",
      F: null,
      G: null,
    });
  });

  it("keeps numbers JSON can hold as numbers, and the written text of the others", () => {
    assert.deepEqual(
      yamlProperties(
        "A: 30\nB: -4\nC: 0.5\nD: '30'\nE: 012345678901\nF: 1.0\nG: 0755\nH: 1:30\nI: 1_000\nJ: 1e3\nK: 0x1F",
      ),
      {
        A: 30,
        B: -4,
        C: 0.5,
        D: "30",
        E: "012345678901",
        F: "1.0",
        G: "0755",
        H: "1:30",
        I: "1_000",
        J: "1e3",
        K: "0x1F",
      },
    );
  });

  it("keeps the written text of number-like mapping keys (account ids) and reads << as a plain key", () => {
    const template = parseTemplate(
      `Mappings:\n  Accounts:\n    012345678901: {Env: prod}\n    42: {Env: dev}\n${yamlResources}    Properties:\n      <<: {a: 1}\n`,
    );
    assert.deepEqual(Object.keys(template.Mappings?.Accounts ?? {}).sort(), ["012345678901", "42"]);
    assert.deepEqual(template.Resources.Bucket?.Properties, { "<<": { a: 1 } });
  });

  it("turns !Ref, !Condition and every Fn short form into its long form", () => {
    const properties = yamlProperties(
      [
        "Ref: !Ref Name",
        "Cond: !Condition IsProd",
        "Sub: !Sub 'arn:${AWS::Partition}:s3:::${Bucket}'",
        "SubList: !Sub ['${A}-x', {A: !Ref B}]",
        "Join: !Join ['', [a, !Ref B]]",
        "Select: !Select [0, !GetAZs '']",
        "Split: !Split [',', 'a,b']",
        "If: !If [IsProd, !Ref AWS::NoValue, 1]",
        "Equals: !Equals [!Ref Env, prod]",
        "Not: !Not [!Condition IsProd]",
        "And: !And [!Condition A, !Condition B]",
        "Or: !Or [!Condition A, !Condition B]",
        "Find: !FindInMap [Map, !Ref AWS::Region, Ami]",
        "Import: !ImportValue Shared-Vpc",
        "ImportSub: !ImportValue {'Fn::Sub': '${Net}-Vpc'}",
        "AZs: !GetAZs",
        "B64: !Base64 hello",
        "Cidr: !Cidr [10.0.0.0/16, 4, 8]",
        "Len: !Length [a, b]",
        "Json: !ToJsonString {a: 1}",
        "Transform: !Transform {Name: AWS::Include, Parameters: {Location: s3://b/k}}",
      ].join("\n"),
    );
    assert.deepEqual(properties, {
      Ref: { Ref: "Name" },
      Cond: { Condition: "IsProd" },
      Sub: { "Fn::Sub": "arn:${AWS::Partition}:s3:::${Bucket}" },
      SubList: { "Fn::Sub": ["${A}-x", { A: { Ref: "B" } }] },
      Join: { "Fn::Join": ["", ["a", { Ref: "B" }]] },
      Select: { "Fn::Select": [0, { "Fn::GetAZs": "" }] },
      Split: { "Fn::Split": [",", "a,b"] },
      If: { "Fn::If": ["IsProd", { Ref: "AWS::NoValue" }, 1] },
      Equals: { "Fn::Equals": [{ Ref: "Env" }, "prod"] },
      Not: { "Fn::Not": [{ Condition: "IsProd" }] },
      And: { "Fn::And": [{ Condition: "A" }, { Condition: "B" }] },
      Or: { "Fn::Or": [{ Condition: "A" }, { Condition: "B" }] },
      Find: { "Fn::FindInMap": ["Map", { Ref: "AWS::Region" }, "Ami"] },
      Import: { "Fn::ImportValue": "Shared-Vpc" },
      ImportSub: { "Fn::ImportValue": { "Fn::Sub": "${Net}-Vpc" } },
      AZs: { "Fn::GetAZs": "" },
      B64: { "Fn::Base64": "hello" },
      Cidr: { "Fn::Cidr": ["10.0.0.0/16", 4, 8] },
      Len: { "Fn::Length": ["a", "b"] },
      Json: { "Fn::ToJsonString": { a: 1 } },
      Transform: { "Fn::Transform": { Name: "AWS::Include", Parameters: { Location: "s3://b/k" } } },
    });
  });

  it("splits !GetAtt's scalar form at the first dot and keeps its sequence form", () => {
    assert.deepEqual(
      yamlProperties("A: !GetAtt Db.Endpoint.Address\nB: !GetAtt Fn.Arn\nC: !GetAtt [Fn, Arn]"),
      {
        A: { "Fn::GetAtt": ["Db", "Endpoint.Address"] },
        B: { "Fn::GetAtt": ["Fn", "Arn"] },
        C: { "Fn::GetAtt": ["Fn", "Arn"] },
      },
    );
  });

  it("keeps a tagged scalar's text as written (!Sub of a number-looking string stays text)", () => {
    assert.deepEqual(yamlProperties("A: !Sub 2010-09-09\nB: !Ref 123"), {
      A: { "Fn::Sub": "2010-09-09" },
      B: { Ref: "123" },
    });
  });

  it("follows anchors and aliases", () => {
    assert.deepEqual(yamlProperties("A: &tags {k: !Ref V}\nB: *tags"), {
      A: { k: { Ref: "V" } },
      B: { k: { Ref: "V" } },
    });
  });

  it("reports malformed YAML, duplicate keys and unknown tags with their line and column", () => {
    assert.equal(
      templateError("Resources:\n  A:\n   - b\n  c: d: e"),
      "Template format error: YAML not well-formed. (line 4, column 6)",
    );
    assert.equal(
      templateError("Resources:\n  A: {Type: X}\n  A: {Type: Y}"),
      "Template format error: YAML not well-formed. (line 3, column 3)",
    );
    assert.match(
      templateError(`${yamlResources}    Properties:\n      X: !Foo bar\n`),
      /^Template format error: YAML not well-formed\. \(line 5, column \d+\)$/,
    );
  });
});

describe("parseTemplate: structure", () => {
  it("refuses a body that is not a mapping", () => {
    assert.equal(templateError("template.yaml"), "Template format error: unsupported structure.");
    assert.equal(templateError("- a\n- b"), "Template format error: unsupported structure.");
  });

  it("needs at least one resource", () => {
    const message = "Template format error: At least one Resources member must be defined.";
    assert.equal(templateError("Description: x"), message);
    assert.equal(templateError("Resources: {}"), message);
    assert.equal(templateError('{"Resources": []}'), message);
  });

  it("needs a Type on every resource", () => {
    assert.equal(
      templateError("Resources:\n  Good:\n    Type: AWS::SNS::Topic\n  Bad:\n    Properties: {}"),
      "Template format error: [/Resources/Bad] Every Resources object must contain a Type member.",
    );
  });

  it("refuses unknown top-level sections, and Globals without a Transform", () => {
    assert.equal(
      templateError(`Foo: 1\nBar: 2\n${yamlResources}`),
      "Template format error: Invalid template property or properties [Foo, Bar]",
    );
    assert.equal(
      templateError(`Globals: {}\n${yamlResources}`),
      "Template format error: Invalid template property or properties [Globals]",
    );
    assert.deepEqual(
      parseTemplate(`Transform: AWS::Serverless-2016-10-31\nGlobals: {}\n${yamlResources}`).Globals,
      {},
    );
  });

  it("accepts only the 2010-09-09 format version", () => {
    assert.match(
      templateError(`AWSTemplateFormatVersion: 2011-01-01\n${yamlResources}`),
      /^Template format error: .*2011-01-01/,
    );
    assert.equal(
      parseTemplate(`AWSTemplateFormatVersion: '2010-09-09'\n${yamlResources}`).AWSTemplateFormatVersion,
      "2010-09-09",
    );
  });

  it("needs Description to be a string", () => {
    assert.equal(
      templateError(`Description: [a]\n${yamlResources}`),
      "Template format error: Every Description member must be a string.",
    );
  });
});

describe("parseTemplate: byte-order mark", () => {
  it("ignores a leading BOM in JSON and YAML bodies", () => {
    assert.equal(
      parseTemplate('\uFEFF{"Resources":{"T":{"Type":"AWS::SNS::Topic"}}}').Resources.T?.Type,
      "AWS::SNS::Topic",
    );
    assert.equal(parseTemplate(`\uFEFF${yamlResources}`).Resources.Bucket?.Type, "AWS::S3::Bucket");
  });

  it("locates errors in long JSON bodies full of numbers", () => {
    const numbers = Array.from({ length: 2000 }, (_, index) => index * 1.5).join(",");
    const body = `{"Resources": {"T": {"Type": "AWS::SNS::Topic", "Properties": {"N": [${numbers}], "Bad": tru}}}}`;
    // The "}" where "true" should go on is the first character that cannot belong.
    const column = body.indexOf("tru}") + 4;
    assert.equal(
      templateError(body),
      `Template format error: JSON not well-formed. (line 1, column ${column})`,
    );
  });
});

describe("parseTemplate: hostile and unsupported YAML", () => {
  it("refuses alias bombs, unknown aliases and explicit binary or timestamp values", () => {
    const levels = ["a: &a [x, x, x, x, x, x, x, x, x]"];
    for (const [index, name] of [..."bcdefgh"].entries()) {
      const previous = "abcdefgh"[index] as string;
      levels.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(", ")}]`);
    }
    const started = Date.now();
    assert.match(
      templateError(`${levels.join("\n")}\n${yamlResources}`),
      /^Template format error: YAML not well-formed\. \(line \d+, column \d+\)$/,
    );
    assert.ok(Date.now() - started < 5_000, "the bomb was refused quickly");
    assert.match(
      templateError(`a: *nope\n${yamlResources}`),
      /^Template format error: YAML not well-formed\./,
    );
    assert.match(
      templateError(`${yamlResources}    Properties:\n      B: !!binary aGVsbG8=\n`),
      /YAML not well-formed/,
    );
    assert.match(
      templateError(`${yamlResources}    Properties:\n      T: !!timestamp 2012-10-17\n`),
      /YAML not well-formed/,
    );
  });
});
