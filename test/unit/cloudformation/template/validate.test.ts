// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub strings are written with ${...} on purpose.
/**
 * validateTemplate (the static checks before CreateStack) and templateSummary (what ValidateTemplate and
 * GetTemplateSummary report).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseTemplate } from "../../../../src/services/cloudformation/template/parse.ts";
import { type Template, TemplateError } from "../../../../src/services/cloudformation/template/types.ts";
import {
  templateSummary,
  validateTemplate,
} from "../../../../src/services/cloudformation/template/validate.ts";

const valid = `
AWSTemplateFormatVersion: 2010-09-09
Description: Orders service
Metadata:
  Team: orders
Parameters:
  Env:
    Type: String
    Default: dev
    AllowedValues: [dev, prod]
    Description: Stage
  Password:
    Type: String
    NoEcho: true
  Ports:
    Type: List<Number>
    Default: [80, 443]
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  Table:
    Type: AWS::DynamoDB::Table
    Properties:
      TableName: !Sub orders-\${Env}
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {}
  Function:
    Type: AWS::Lambda::Function
    DependsOn: Table
    Properties:
      Role: !GetAtt Role.Arn
      Environment:
        Variables:
          TABLE: !Ref Table
          REGION: !Ref AWS::Region
  Alarm:
    Type: Custom::Alarm
    Condition: IsProd
    Properties:
      Target: !If [IsProd, !Ref Function, !Ref AWS::NoValue]
Outputs:
  FunctionArn:
    Value: !GetAtt Function.Arn
    Export:
      Name: !Sub \${AWS::StackName}-FunctionArn
  TableName:
    Condition: IsProd
    Value: !Ref Table
`;

function validationError(mutate: (template: Template) => void): string {
  const template = parseTemplate(valid);
  mutate(template);
  try {
    validateTemplate(template);
  } catch (error) {
    assert.ok(error instanceof TemplateError, `expected a TemplateError, got ${String(error)}`);
    return error.message;
  }
  assert.fail("the template was accepted");
}

describe("validateTemplate", () => {
  it("accepts a well-formed template", () => {
    assert.doesNotThrow(() => validateTemplate(parseTemplate(valid)));
  });

  it("refuses unknown resource attributes, bad types and non-alphanumeric logical ids", () => {
    assert.equal(
      validationError((t) => {
        (t.Resources.Table as unknown as Record<string, unknown>).Propertiess = {};
      }),
      "Invalid template resource property 'Propertiess'",
    );
    assert.equal(
      validationError((t) => {
        (t.Resources.Table as { Type: string }).Type = "DynamoDBTable";
      }),
      "Template format error: Unrecognized resource types: [DynamoDBTable]",
    );
    assert.equal(
      validationError((t) => {
        t.Resources["my-bucket"] = { Type: "AWS::S3::Bucket" };
      }),
      "Template format error: Resource name my-bucket is non alphanumeric.",
    );
  });

  it("refuses references to unknown names and unknown DependsOn targets", () => {
    assert.equal(
      validationError((t) => {
        (t.Resources.Table as { Properties: Record<string, unknown> }).Properties.X = { Ref: "Ghost" };
      }),
      "Template format error: Unresolved resource dependencies [Ghost] in the Resources block of the template",
    );
    assert.equal(
      validationError((t) => {
        (t.Resources.Table as { DependsOn?: string }).DependsOn = "Env";
      }),
      "Template format error: Unresolved resource dependencies [Env] in the Resources block of the template",
    );
    assert.equal(
      validationError((t) => {
        (t.Outputs as Record<string, { Value: unknown }>).FunctionArn = { Value: { "Fn::Sub": "${Nope}" } };
      }),
      "Template format error: Unresolved resource dependencies [Nope] in the Outputs block of the template",
    );
    assert.equal(
      validationError((t) => {
        (t.Outputs as Record<string, { Value: unknown }>).FunctionArn = {
          Value: { "Fn::GetAtt": ["Nope", "Arn"] },
        };
      }),
      "Template error: instance of Fn::GetAtt references undefined resource Nope",
    );
  });

  it("refuses unknown conditions on resources, outputs and in Fn::If", () => {
    assert.equal(
      validationError((t) => {
        (t.Resources.Table as { Condition?: string }).Condition = "Nope";
      }),
      "Template format error: Unresolved condition dependencies [Nope] in the Resources block of the template",
    );
    assert.match(
      validationError((t) => {
        (t.Outputs as Record<string, { Value: unknown; Condition?: string }>).TableName = {
          Value: "x",
          Condition: "Nope",
        };
      }),
      /Unresolved condition dependencies \[Nope\] in the Outputs block/,
    );
    assert.match(
      validationError((t) => {
        (t.Resources.Table as { Properties: Record<string, unknown> }).Properties.X = {
          "Fn::If": ["Nope", 1, 2],
        };
      }),
      /Unresolved condition dependencies \[Nope\]/,
    );
  });

  it("refuses outputs without Value and duplicate export names", () => {
    assert.equal(
      validationError((t) => {
        (t.Outputs as Record<string, unknown>).Broken = { Description: "no value" };
      }),
      "Template format error: [/Outputs/Broken] Every Outputs member must contain a Value object",
    );
    assert.match(
      validationError((t) => {
        (t.Outputs as Record<string, unknown>).A = { Value: "1", Export: { Name: "same" } };
        (t.Outputs as Record<string, unknown>).B = { Value: "2", Export: { Name: "same" } };
      }),
      /same/,
    );
  });

  it("refuses dependency cycles whatever the conditions, naming the resources left waiting on it", () => {
    assert.equal(
      validationError((t) => {
        (t.Resources.Role as { Properties: Record<string, unknown> }).Properties.X = {
          "Fn::If": ["IsProd", { "Fn::GetAtt": ["Function", "Arn"] }, "none"],
        };
      }),
      "Circular dependency between resources: [Role, Function, Alarm]",
    );
  });

  it("checks parameter declarations", () => {
    assert.equal(
      validationError((t) => {
        (t.Parameters as Record<string, unknown>).Bad = { Type: "Text" };
      }),
      "Template format error: Unrecognized parameter type: Text",
    );
  });
});

describe("templateSummary", () => {
  it("reports parameters, description, types, version, metadata and IAM capability", () => {
    assert.deepEqual(templateSummary(parseTemplate(valid)), {
      Parameters: [
        {
          ParameterKey: "Env",
          DefaultValue: "dev",
          ParameterType: "String",
          NoEcho: false,
          Description: "Stage",
          ParameterConstraints: { AllowedValues: ["dev", "prod"] },
        },
        { ParameterKey: "Password", ParameterType: "String", NoEcho: true, ParameterConstraints: {} },
        {
          ParameterKey: "Ports",
          DefaultValue: "80,443",
          ParameterType: "List<Number>",
          NoEcho: false,
          ParameterConstraints: {},
        },
      ],
      Description: "Orders service",
      Capabilities: ["CAPABILITY_IAM"],
      CapabilitiesReason: "The following resource(s) require capabilities: [AWS::IAM::Role]",
      DeclaredTransforms: [],
      ResourceTypes: ["AWS::DynamoDB::Table", "AWS::IAM::Role", "AWS::Lambda::Function", "Custom::Alarm"],
      Version: "2010-09-09",
      Metadata: '{"Team":"orders"}',
    });
  });

  it("asks for CAPABILITY_NAMED_IAM when an IAM resource is named, AUTO_EXPAND for transforms", () => {
    const summary = templateSummary(
      parseTemplate(
        "Transform: [AWS::Serverless-2016-10-31, {Name: AWS::Include, Parameters: {}}]\nResources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n      RoleName: fixed\n  P:\n    Type: AWS::IAM::Policy\n",
      ),
    );
    assert.deepEqual(summary.Capabilities, ["CAPABILITY_NAMED_IAM", "CAPABILITY_AUTO_EXPAND"]);
    assert.equal(
      summary.CapabilitiesReason,
      "The following resource(s) require capabilities: [AWS::IAM::Role, AWS::IAM::Policy]",
    );
    assert.deepEqual(summary.DeclaredTransforms, ["AWS::Serverless-2016-10-31", "AWS::Include"]);
  });

  it("asks for no capability when there is no IAM resource", () => {
    const summary = templateSummary(parseTemplate("Resources:\n  T:\n    Type: AWS::SNS::Topic\n"));
    assert.deepEqual(summary.Capabilities, []);
    assert.equal(summary.CapabilitiesReason, undefined);
    assert.equal(summary.Version, undefined);
  });
});

describe("validateTemplate: properties named Condition", () => {
  it("reads a one-key { Condition: name } property as data, not as a condition reference", () => {
    const template = parseTemplate(
      "Resources:\n  Rule:\n    Type: AWS::Some::Thing\n    Properties:\n      Filter:\n        Condition: NotAConditionName\n",
    );
    assert.doesNotThrow(() => validateTemplate(template));
  });
});

describe("validateTemplate: names, policies, quotas and imports", () => {
  it("refuses non-alphanumeric parameter and output names", () => {
    assert.equal(
      validationError((t) => {
        (t.Parameters as Record<string, unknown>).USE_CLAUDE = { Type: "String", Default: "x" };
      }),
      "Template format error: Parameter name USE_CLAUDE is non alphanumeric.",
    );
    assert.equal(
      validationError((t) => {
        (t.Outputs as Record<string, unknown>)["api-url"] = { Value: "x" };
      }),
      "Template format error: Outputs name 'api-url' is non alphanumeric.",
    );
  });

  it("refuses unknown deletion and replace policies", () => {
    assert.equal(
      validationError((t) => {
        (t.Resources.Table as { DeletionPolicy?: string }).DeletionPolicy = "Keep";
      }),
      "Template format error: Unrecognized DeletionPolicy Keep for resource Table",
    );
    assert.equal(
      validationError((t) => {
        (t.Resources.Table as { UpdateReplacePolicy?: string }).UpdateReplacePolicy = "RetainExceptOnCreate";
      }),
      "Template format error: Unrecognized UpdateReplacePolicy RetainExceptOnCreate for resource Table",
    );
    assert.equal(
      validationError((t) => {
        (t.Resources.Table as { DeletionPolicy?: unknown }).DeletionPolicy = { Ref: "Env" };
      }),
      "Template format error: Every DeletionPolicy member must be a string.",
    );
  });

  it("refuses more than 200 outputs", () => {
    assert.equal(
      validationError((t) => {
        t.Outputs = Object.fromEntries(
          Array.from({ length: 201 }, (_, index) => [`O${index}`, { Value: "v" }]),
        );
      }),
      "Template format error: Outputs count 201 is greater than max allowed 200",
    );
  });

  it("refuses export names with other characters than alphanumerics, colons and hyphens", () => {
    assert.equal(
      validationError((t) => {
        (t.Outputs as Record<string, unknown>).Bad = { Value: "x", Export: { Name: "my_export" } };
      }),
      "Template format error: Output Bad is malformed. The Name field of every Export member must be specified and consist only of alphanumeric characters, colons, or hyphens.",
    );
  });

  it("refuses an Fn::ImportValue name that depends on a resource, an import or Fn::GetAZs", () => {
    const message =
      "Template error: the attribute in Fn::ImportValue must not depend on any resources, imported values, or Fn::GetAZs";
    for (const name of [
      { Ref: "Table" },
      { "Fn::GetAtt": ["Table", "Arn"] },
      { "Fn::ImportValue": "x" },
      { "Fn::Sub": "${Table}-x" },
    ]) {
      assert.equal(
        validationError((t) => {
          (t.Resources.Function as { Properties: Record<string, unknown> }).Properties.Import = {
            "Fn::ImportValue": name,
          };
        }),
        message,
        JSON.stringify(name),
      );
    }
    const template = parseTemplate(valid);
    (template.Resources.Function as { Properties: Record<string, unknown> }).Properties.Import = {
      "Fn::ImportValue": { "Fn::Sub": "${AWS::StackName}-${Env}-x" },
    };
    assert.doesNotThrow(() => validateTemplate(template));
  });
});
