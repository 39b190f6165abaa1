/**
 * resolveParameters and describeParameters: values from overrides, previous values and defaults; types;
 * constraints with AWS's messages; NoEcho masking.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  describeParameters,
  NO_ECHO_MASK,
  resolveParameters,
} from "../../../../src/services/cloudformation/template/parameters.ts";
import {
  type Template,
  TemplateError,
  type TemplateParameter,
} from "../../../../src/services/cloudformation/template/types.ts";

function templateWith(parameters: Record<string, TemplateParameter>): Template {
  return { Parameters: parameters, Resources: { Topic: { Type: "AWS::SNS::Topic" } } };
}

function values(
  parameters: Record<string, TemplateParameter>,
  given: Record<string, string> = {},
  previous?: Record<string, string>,
) {
  return resolveParameters(
    templateWith(parameters),
    new Map(Object.entries(given)),
    previous && new Map(Object.entries(previous)),
  );
}

function parameterError(
  parameters: Record<string, TemplateParameter>,
  given: Record<string, string> = {},
): string {
  try {
    values(parameters, given);
  } catch (error) {
    assert.ok(error instanceof TemplateError, `expected a TemplateError, got ${String(error)}`);
    return error.message;
  }
  assert.fail("the parameters were accepted");
}

describe("resolveParameters: where values come from", () => {
  it("takes the given value, else the previous one, else the Default", () => {
    const declared: Record<string, TemplateParameter> = {
      A: { Type: "String", Default: "a-default" },
      B: { Type: "String", Default: "b-default" },
      C: { Type: "String", Default: "c-default" },
      N: { Type: "Number", Default: 30 },
    };
    assert.deepEqual(
      [...values(declared, { A: "given" }, { A: "old", B: "previous" })],
      [
        ["A", "given"],
        ["B", "previous"],
        ["C", "c-default"],
        ["N", "30"],
      ],
    );
  });

  it("names every parameter without a value, and refuses undeclared ones", () => {
    assert.equal(
      parameterError({ A: { Type: "String" }, B: { Type: "String", Default: "" }, C: { Type: "Number" } }),
      "Parameters: [A, C] must have values",
    );
    assert.equal(
      parameterError({ A: { Type: "String", Default: "x" } }, { Foo: "1", Bar: "2" }),
      "Parameters: [Foo, Bar] do not exist in the template",
    );
    assert.equal(values({ A: { Type: "String", Default: "" } }).get("A"), "");
  });
});

describe("resolveParameters: types", () => {
  it("splits list types on commas, trimming members", () => {
    const result = values(
      {
        Names: { Type: "CommaDelimitedList" },
        Ports: { Type: "List<Number>" },
        Subnets: { Type: "List<AWS::EC2::Subnet::Id>" },
        Empty: { Type: "CommaDelimitedList", Default: "" },
        FromYaml: { Type: "CommaDelimitedList", Default: ["a", "b"] as unknown as string },
      },
      { Names: "a, b ,c", Ports: "80,443", Subnets: "subnet-1,subnet-2" },
    );
    assert.deepEqual(result.get("Names"), ["a", "b", "c"]);
    assert.deepEqual(result.get("Ports"), ["80", "443"]);
    assert.deepEqual(result.get("Subnets"), ["subnet-1", "subnet-2"]);
    assert.deepEqual(result.get("Empty"), []);
    assert.deepEqual(result.get("FromYaml"), ["a", "b"]);
  });

  it("reads AWS-specific types as strings", () => {
    const result = values(
      {
        Vpc: { Type: "AWS::EC2::VPC::Id" },
        Key: { Type: "AWS::EC2::KeyPair::KeyName" },
        Name: { Type: "AWS::SSM::Parameter::Name" },
      },
      { Vpc: "vpc-1", Key: "k", Name: "/a/b" },
    );
    assert.deepEqual([...result.values()], ["vpc-1", "k", "/a/b"]);
  });

  it("checks numbers", () => {
    assert.equal(parameterError({ N: { Type: "Number" } }, { N: "soon" }), "Parameter 'N' must be a number");
    assert.equal(
      parameterError({ N: { Type: "List<Number>" } }, { N: "1,x" }),
      "Parameter 'N' must be a number",
    );
    assert.equal(values({ N: { Type: "Number" } }, { N: "-1.5e3" }).get("N"), "-1.5e3");
  });

  it("refuses unknown types and SSM parameter values (Stratus has no Parameter Store)", () => {
    assert.equal(
      parameterError({ X: { Type: "Strin" } }, { X: "a" }),
      "Template format error: Unrecognized parameter type: Strin",
    );
    assert.match(
      parameterError({ Ami: { Type: "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>", Default: "/ami" } }),
      /^Parameter 'Ami' .*Stratus has no SSM Parameter Store/,
    );
    assert.equal(
      parameterError({ X: { Type: "String", Foo: 1 } as TemplateParameter }, { X: "a" }),
      "Invalid template parameter property 'Foo'",
    );
  });
});

describe("resolveParameters: constraints", () => {
  it("checks AllowedValues, lengths, patterns and number ranges in AWS's words", () => {
    assert.equal(
      parameterError({ Env: { Type: "String", AllowedValues: ["dev", "prod"] } }, { Env: "test" }),
      "Parameter 'Env' must be one of AllowedValues",
    );
    assert.equal(
      parameterError({ Name: { Type: "String", MinLength: 3 } }, { Name: "ab" }),
      "Parameter 'Name' must contain at least 3 characters",
    );
    assert.equal(
      parameterError({ Name: { Type: "String", MaxLength: "4" } }, { Name: "abcde" }),
      "Parameter 'Name' must contain at most 4 characters",
    );
    assert.equal(
      parameterError({ Name: { Type: "String", AllowedPattern: "[a-z]+" } }, { Name: "abc1" }),
      "Parameter 'Name' failed to satisfy constraint: must match pattern [a-z]+",
    );
    assert.equal(
      parameterError({ T: { Type: "Number", MinValue: 1 } }, { T: "0" }),
      "Parameter 'T' must be a number not less than 1",
    );
    assert.equal(
      parameterError({ T: { Type: "Number", MaxValue: "900" } }, { T: "901" }),
      "Parameter 'T' must be a number not greater than 900",
    );
    assert.equal(values({ T: { Type: "Number", MinValue: 1, MaxValue: 900 } }, { T: "900" }).get("T"), "900");
  });

  it("matches AllowedPattern against the whole value", () => {
    assert.equal(
      values({ Name: { Type: "String", AllowedPattern: "[a-z]+" } }, { Name: "abc" }).get("Name"),
      "abc",
    );
    assert.match(
      parameterError({ Name: { Type: "String", AllowedPattern: "[a-z]+" } }, { Name: "1abc" }),
      /must match pattern/,
    );
  });

  it("puts ConstraintDescription in place of the message", () => {
    assert.equal(
      parameterError(
        { Env: { Type: "String", AllowedValues: ["dev"], ConstraintDescription: "dev only" } },
        { Env: "x" },
      ),
      "Parameter 'Env' failed to satisfy constraint: dev only",
    );
    assert.equal(
      parameterError(
        {
          Zone: {
            Type: "String",
            AllowedPattern: "[a-z]{2}-[0-9]",
            ConstraintDescription: "two letters, a dash, a digit",
          },
        },
        { Zone: "europe" },
      ),
      "Parameter 'Zone' failed to satisfy constraint: two letters, a dash, a digit",
    );
  });

  it("holds defaults and list members to the constraints too", () => {
    assert.equal(
      parameterError({ Env: { Type: "String", AllowedValues: ["dev"], Default: "prod" } }),
      "Parameter 'Env' must be one of AllowedValues",
    );
    assert.equal(
      parameterError(
        { Envs: { Type: "CommaDelimitedList", AllowedValues: ["dev", "prod"] } },
        { Envs: "dev,qa" },
      ),
      "Parameter 'Envs' must be one of AllowedValues",
    );
  });
});

describe("describeParameters", () => {
  it("lists values in declaration order, lists joined, NoEcho masked", () => {
    const template = templateWith({
      Secret: { Type: "String", NoEcho: true },
      Plain: { Type: "String" },
      List: { Type: "CommaDelimitedList" },
      Quoted: { Type: "String", NoEcho: "true" },
    });
    const resolved = resolveParameters(
      template,
      new Map([
        ["Secret", "hunter2"],
        ["Plain", "p"],
        ["List", "a,b"],
        ["Quoted", "q"],
      ]),
    );
    assert.deepEqual(describeParameters(template, resolved), [
      { ParameterKey: "Secret", ParameterValue: NO_ECHO_MASK },
      { ParameterKey: "Plain", ParameterValue: "p" },
      { ParameterKey: "List", ParameterValue: "a,b" },
      { ParameterKey: "Quoted", ParameterValue: "****" },
    ]);
  });
});
