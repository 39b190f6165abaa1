// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub strings are written with ${...} on purpose.
/**
 * parseTemplate's YAML reading checked against an independent implementation: cfn-lint's CloudFormation
 * YAML loader (python `cfnlint.decode.cfn_yaml`), which also turns short forms into long forms and reads
 * YAML 1.1 without timestamps. Skipped when python3 or cfn-lint is not installed.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { describe, it } from "node:test";
import { parseTemplate } from "../../../../src/services/cloudformation/template/parse.ts";

const LOADER = `
import json, sys
from cfnlint.decode import cfn_yaml
print(json.dumps(cfn_yaml.loads(sys.stdin.read()), default=str))
`;

function cfnLintReading(body: string): unknown | undefined {
  try {
    return JSON.parse(
      execFileSync("python3", ["-c", LOADER], { input: body, timeout: 60_000, encoding: "utf8" }),
    );
  } catch (error) {
    if ((error as { status?: number }).status !== undefined) throw error;
    return undefined;
  }
}

const sample = `
AWSTemplateFormatVersion: 2010-09-09
Transform: AWS::Serverless-2016-10-31
Description: >
  A folded
  description
Parameters:
  Env: {Type: String, Default: dev, AllowedValues: [dev, prod]}
Mappings:
  Accounts:
    '012345678901': {Name: main}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  IsNotProd: !Not [!Condition IsProd]
  Both: !And [!Condition IsProd, !Or [!Condition IsNotProd, !Equals [a, b]]]
Globals:
  Function:
    Timeout: 30
Resources:
  Table:
    Type: AWS::DynamoDB::Table
    DeletionPolicy: Retain
    Properties:
      TableName: !Sub '\${AWS::StackName}-\${Env}'
      BillingMode: PAY_PER_REQUEST
      PointInTimeRecoverySpecification:
        PointInTimeRecoveryEnabled: yes
  Function:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.handler
      Runtime: nodejs20.x
      MemorySize: 512
      Policies:
        - Version: 2012-10-17
          Statement:
            - Effect: Allow
              Action: [dynamodb:GetItem]
              Resource: !GetAtt Table.Arn
      Environment:
        Variables:
          TABLE: !Ref Table
          STREAM: !GetAtt [Table, StreamArn]
          ACCOUNT_NAME: !FindInMap [Accounts, !Ref AWS::AccountId, Name]
          ZONE: !Select [0, !GetAZs '']
          PARTS: !Join ['-', !Split [',', 'a,b']]
          SECRET: !If [IsProd, !ImportValue shared-secret, !Ref AWS::NoValue]
          USER_DATA: !Base64 {'Fn::Sub': 'echo \${Env}'}
          SUBNETS: !Cidr [10.0.0.0/16, 2, 8]
          ENDPOINT: !GetAtt Db.Endpoint.Address
          MAPPED: !Sub
            - 'https://\${Host}/\${!Literal}'
            - Host: !GetAtt Api.DomainName
Outputs:
  TableArn:
    Value: !GetAtt Table.Arn
    Export:
      Name: !Sub '\${AWS::StackName}-TableArn'
`;

describe("parseTemplate against cfn-lint's YAML loader", () => {
  it("reads a template using every common short form the same way", (context) => {
    const expected = cfnLintReading(sample);
    if (expected === undefined) {
      context.skip("python3 with cfn-lint is not available");
      return;
    }
    assert.deepEqual(parseTemplate(sample), expected);
  });
});
