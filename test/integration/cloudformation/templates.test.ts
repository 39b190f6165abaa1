/**
 * Templates over the wire: TemplateURL from Stratus's S3, SAM templates (the capability they need,
 * the Processed template), Lambda and IAM resources, parameters (NoEcho masked, UsePreviousValue),
 * ValidateTemplate/GetTemplateSummary, and the validation errors in AWS's words.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  CreateChangeSetCommand,
  CreateStackCommand,
  DescribeStacksCommand,
  GetTemplateCommand,
  GetTemplateSummaryCommand,
  UpdateStackCommand,
  ValidateTemplateCommand,
  waitUntilChangeSetCreateComplete,
  waitUntilStackCreateComplete,
  waitUntilStackUpdateComplete,
} from "@aws-sdk/client-cloudformation";
import { DescribeLogGroupsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { GetFunctionCommand, InvokeCommand } from "@aws-sdk/client-lambda";
import { CreateBucketCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { useStratus } from "../../support/stratus.ts";

const WAIT = { maxWaitTime: 90, minDelay: 1, maxDelay: 1 };

const logGroupTemplate = (name: string) =>
  JSON.stringify({ Resources: { G: { Type: "AWS::Logs::LogGroup", Properties: { LogGroupName: name } } } });

describe("CloudFormation templates", () => {
  const stratus = useStratus();

  it("reads TemplateURL from S3, path style and virtual-hosted", async () => {
    const s3 = stratus.s3();
    await s3.send(new CreateBucketCommand({ Bucket: "cfn-templates" }));
    await s3.send(
      new PutObjectCommand({
        Bucket: "cfn-templates",
        Key: "a/one.json",
        Body: logGroupTemplate("/url/one"),
      }),
    );
    await s3.send(
      new PutObjectCommand({ Bucket: "cfn-templates", Key: "two.json", Body: logGroupTemplate("/url/two") }),
    );
    const cfn = stratus.cloudformation();
    await cfn.send(
      new CreateStackCommand({
        StackName: "from-url",
        TemplateURL: `${stratus.url}/cfn-templates/a/one.json`,
      }),
    );
    await cfn.send(
      new CreateStackCommand({
        StackName: "from-hosted",
        TemplateURL: "https://cfn-templates.s3.amazonaws.com/two.json",
      }),
    );
    await waitUntilStackCreateComplete({ client: cfn, ...WAIT }, { StackName: "from-url" });
    await waitUntilStackCreateComplete({ client: cfn, ...WAIT }, { StackName: "from-hosted" });
    const groups = await stratus.logs().send(new DescribeLogGroupsCommand({ logGroupNamePrefix: "/url/" }));
    assert.deepEqual(
      groups.logGroups?.map((g) => g.logGroupName),
      ["/url/one", "/url/two"],
    );
    await assert.rejects(
      cfn.send(
        new CreateStackCommand({ StackName: "bad-url", TemplateURL: "https://example.com/template.json" }),
      ),
      { name: "ValidationError", message: "TemplateURL must be a supported URL." },
    );
  });

  it("creates a role and an inline-code function that runs", async () => {
    const cfn = stratus.cloudformation();
    const template = {
      Resources: {
        Role: {
          Type: "AWS::IAM::Role",
          Properties: {
            AssumeRolePolicyDocument: {
              Version: "2012-10-17",
              Statement: [
                { Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" },
              ],
            },
          },
        },
        Fn: {
          Type: "AWS::Lambda::Function",
          Properties: {
            Runtime: "nodejs20.x",
            Handler: "index.handler",
            Role: { "Fn::GetAtt": ["Role", "Arn"] },
            Code: { ZipFile: "exports.handler = async (e) => ({ echoed: e.value });" },
          },
        },
      },
      Outputs: { FunctionName: { Value: { Ref: "Fn" } } },
    };
    await assert.rejects(
      cfn.send(new CreateStackCommand({ StackName: "fn", TemplateBody: JSON.stringify(template) })),
      {
        name: "InsufficientCapabilitiesException",
        message: "Requires capabilities : [CAPABILITY_IAM]",
      },
    );
    await cfn.send(
      new CreateStackCommand({
        StackName: "fn",
        TemplateBody: JSON.stringify(template),
        Capabilities: ["CAPABILITY_IAM"],
      }),
    );
    await waitUntilStackCreateComplete({ client: cfn, ...WAIT }, { StackName: "fn" });
    const { Stacks = [] } = await cfn.send(new DescribeStacksCommand({ StackName: "fn" }));
    const name = Stacks[0]?.Outputs?.[0]?.OutputValue ?? "";
    assert.match(name, /^fn-Fn-[A-Z0-9]{13}$/);
    const fn = await stratus.lambda().send(new GetFunctionCommand({ FunctionName: name }));
    assert.match(fn.Configuration?.Role ?? "", /^arn:aws:iam::\d{12}:role\/fn-Role-/);
    const invoked = await stratus
      .lambda()
      .send(new InvokeCommand({ FunctionName: name, Payload: JSON.stringify({ value: 7 }) }));
    assert.deepEqual(JSON.parse(Buffer.from(invoked.Payload ?? []).toString()), { echoed: 7 });
  });

  it("runs SAM's transform: CAPABILITY_AUTO_EXPAND for CreateStack, not for change sets; Processed template", async () => {
    const cfn = stratus.cloudformation();
    const sam = JSON.stringify({
      Transform: "AWS::Serverless-2016-10-31",
      Resources: {
        Hello: {
          Type: "AWS::Serverless::Function",
          Properties: {
            Runtime: "nodejs20.x",
            Handler: "index.handler",
            InlineCode: "exports.handler = async () => 'hi';",
          },
        },
      },
    });
    await assert.rejects(
      cfn.send(
        new CreateStackCommand({ StackName: "sam", TemplateBody: sam, Capabilities: ["CAPABILITY_IAM"] }),
      ),
      {
        name: "InsufficientCapabilitiesException",
        message: "Requires capabilities : [CAPABILITY_AUTO_EXPAND]",
      },
    );
    const planned = await cfn.send(
      new CreateChangeSetCommand({
        StackName: "sam",
        ChangeSetName: "sam-1",
        ChangeSetType: "CREATE",
        TemplateBody: sam,
        Capabilities: ["CAPABILITY_IAM"],
      }),
    );
    await waitUntilChangeSetCreateComplete({ client: cfn, ...WAIT }, { ChangeSetName: planned.Id });
    const review = await cfn.send(new DescribeStacksCommand({ StackName: "sam" }));
    assert.equal(review.Stacks?.[0]?.StackStatus, "REVIEW_IN_PROGRESS");

    await cfn.send(
      new CreateStackCommand({
        StackName: "sam-direct",
        TemplateBody: sam,
        Capabilities: ["CAPABILITY_IAM", "CAPABILITY_AUTO_EXPAND"],
      }),
    );
    await waitUntilStackCreateComplete({ client: cfn, ...WAIT }, { StackName: "sam-direct" });
    const original = await cfn.send(new GetTemplateCommand({ StackName: "sam-direct" }));
    assert.equal(original.TemplateBody, sam);
    const processed = await cfn.send(
      new GetTemplateCommand({ StackName: "sam-direct", TemplateStage: "Processed" }),
    );
    const resources = JSON.parse(processed.TemplateBody ?? "{}").Resources as Record<
      string,
      { Type: string }
    >;
    assert.equal(resources.Hello?.Type, "AWS::Lambda::Function");
    assert.equal(resources.HelloRole?.Type, "AWS::IAM::Role");
  });

  it("masks NoEcho parameters and keeps values with UsePreviousValue", async () => {
    const cfn = stratus.cloudformation();
    const template = (retention: number) =>
      JSON.stringify({
        Parameters: {
          Name: { Type: "String" },
          Secret: { Type: "String", NoEcho: true },
          Days: { Type: "Number", Default: "1" },
        },
        Resources: {
          G: {
            Type: "AWS::Logs::LogGroup",
            Properties: { LogGroupName: { Ref: "Name" }, RetentionInDays: retention },
          },
        },
      });
    await cfn.send(
      new CreateStackCommand({
        StackName: "params",
        TemplateBody: template(1),
        Parameters: [
          { ParameterKey: "Name", ParameterValue: "/params/group" },
          { ParameterKey: "Secret", ParameterValue: "hunter2" },
        ],
      }),
    );
    await waitUntilStackCreateComplete({ client: cfn, ...WAIT }, { StackName: "params" });
    const shown = async () =>
      Object.fromEntries(
        (
          (await cfn.send(new DescribeStacksCommand({ StackName: "params" }))).Stacks?.[0]?.Parameters ?? []
        ).map((p) => [p.ParameterKey, p.ParameterValue]),
      );
    assert.deepEqual(await shown(), { Name: "/params/group", Secret: "****", Days: "1" });
    await cfn.send(
      new UpdateStackCommand({
        StackName: "params",
        TemplateBody: template(3),
        Parameters: [
          { ParameterKey: "Name", UsePreviousValue: true },
          { ParameterKey: "Secret", UsePreviousValue: true },
        ],
      }),
    );
    await waitUntilStackUpdateComplete({ client: cfn, ...WAIT }, { StackName: "params" });
    const groups = await stratus
      .logs()
      .send(new DescribeLogGroupsCommand({ logGroupNamePrefix: "/params/" }));
    assert.deepEqual(
      groups.logGroups?.map((g) => [g.logGroupName, g.retentionInDays]),
      [["/params/group", 3]],
    );
  });

  it("validates templates and summarises them", async () => {
    const cfn = stratus.cloudformation();
    const body = JSON.stringify({
      Description: "a summary",
      Parameters: { Stage: { Type: "String", Default: "dev", Description: "where" } },
      Resources: { R: { Type: "AWS::IAM::Role", Properties: { AssumeRolePolicyDocument: {} } } },
    });
    const validated = await cfn.send(new ValidateTemplateCommand({ TemplateBody: body }));
    assert.equal(validated.Description, "a summary");
    assert.deepEqual(validated.Parameters, [
      { ParameterKey: "Stage", DefaultValue: "dev", NoEcho: false, Description: "where" },
    ]);
    assert.deepEqual(validated.Capabilities, ["CAPABILITY_IAM"]);
    const summary = await cfn.send(new GetTemplateSummaryCommand({ TemplateBody: body }));
    assert.deepEqual(summary.ResourceTypes, ["AWS::IAM::Role"]);
    await assert.rejects(cfn.send(new ValidateTemplateCommand({})), {
      name: "ValidationError",
      message: "Either Template URL or Template Body must be specified.",
    });
    await assert.rejects(cfn.send(new ValidateTemplateCommand({ TemplateBody: "{ not json" })), {
      name: "ValidationError",
    });
  });

  it("answers stack errors in AWS's words", async () => {
    const cfn = stratus.cloudformation();
    await assert.rejects(cfn.send(new DescribeStacksCommand({ StackName: "missing" })), {
      name: "ValidationError",
      message: "Stack with id missing does not exist",
    });
    await assert.rejects(
      cfn.send(new UpdateStackCommand({ StackName: "missing", TemplateBody: logGroupTemplate("/x") })),
      {
        name: "ValidationError",
        message: "Stack [missing] does not exist",
      },
    );
    await assert.rejects(cfn.send(new CreateStackCommand({ StackName: "no-template" })), {
      name: "ValidationError",
      message: "Either Template URL or Template Body must be specified.",
    });
    await assert.rejects(
      cfn.send(
        new CreateStackCommand({
          StackName: "dangling",
          TemplateBody: JSON.stringify({
            Resources: { G: { Type: "AWS::Logs::LogGroup", Properties: { LogGroupName: { Ref: "Nope" } } } },
          }),
        }),
      ),
      { name: "ValidationError", message: /Unresolved resource dependencies \[Nope\]/ },
    );
    await cfn.send(new CreateStackCommand({ StackName: "twice", TemplateBody: logGroupTemplate("/twice") }));
    await assert.rejects(
      cfn.send(new CreateStackCommand({ StackName: "twice", TemplateBody: logGroupTemplate("/twice") })),
      {
        name: "AlreadyExistsException",
        message: "Stack [twice] already exists",
      },
    );
    await waitUntilStackCreateComplete({ client: cfn, ...WAIT }, { StackName: "twice" });
  });
});
