/**
 * CloudFormation as a user drives it from a shell: the AWS CLI v2 (Debian's awscli, /usr/bin/aws;
 * .ci/run installs it) runs `aws cloudformation deploy` on a small template — a DynamoDB table, a log
 * group, an IAM role and an inline-code Lambda function, with parameters and outputs — then
 * describes the stack, deploys a change (UPDATE_COMPLETE), deploys again without one ("No changes to
 * deploy"), and deletes it. `deploy` exercises the whole change-set path the CLI takes:
 * DescribeStacks (absent stack: "Stack with id s does not exist"), GetTemplateSummary (for
 * UsePreviousValue on update), CreateChangeSet, DescribeChangeSet (its waiter, and the FAILED "didn't
 * contain changes" answer), ExecuteChangeSet, DescribeStacks (the create/update waiters).
 *
 * The resources are checked through their own services with the same CLI, so the test proves that
 * the stack made real tables, log groups and functions, not only that CloudFormation says so.
 *
 * Steps run in order and share the stack; after a failing step the rest are skipped, so the report
 * names the first step that does not work. ValidateTemplate is checked alongside, not as a step.
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it, type TestContext } from "node:test";
import { AWS_CLI, type CliResult, runAwsCli } from "../support/aws-cli.ts";
import { useStratus } from "../support/stratus.ts";

/**
 * The CLI's stack waiters poll every 30 s (deployer.py sets Delay 30, MaxAttempts 120): a stack that
 * is not done at the first DescribeStacks costs 30 s per poll. Room for a few polls per command.
 */
const COMMAND_TIMEOUT_MS = 200_000;
const STACK = `cli-stack-${process.pid}`;
/** `aws cloudformation deploy` of the test's template to its stack, as every deploy step runs it. */
const DEPLOY = [
  "cloudformation",
  "deploy",
  "--template-file",
  "t.yaml",
  "--stack-name",
  STACK,
  "--capabilities",
  "CAPABILITY_IAM",
];

const TEMPLATE = `AWSTemplateFormatVersion: "2010-09-09"
Description: Stratus e2e - aws cloudformation deploy
Parameters:
  Greeting:
    Type: String
    Default: hello
  Retention:
    Type: Number
    AllowedValues: [1, 3, 5, 7, 14]
Resources:
  Table:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions:
        - AttributeName: pk
          AttributeType: S
      KeySchema:
        - AttributeName: pk
          KeyType: HASH
  Logs:
    Type: AWS::Logs::LogGroup
    Properties:
      RetentionInDays: !Ref Retention
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              Service: lambda.amazonaws.com
            Action: sts:AssumeRole
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      Role: !GetAtt Role.Arn
      Code:
        ZipFile: |
          exports.handler = async () => ({ greeting: process.env.GREETING, table: process.env.TABLE });
      Environment:
        Variables:
          GREETING: !Ref Greeting
          TABLE: !Ref Table
Outputs:
  TableName:
    Value: !Ref Table
  TableArn:
    Value: !GetAtt Table.Arn
  LogGroupName:
    Value: !Ref Logs
  FunctionName:
    Value: !Ref Fn
  RoleArn:
    Value: !GetAtt Role.Arn
  Greeting:
    Description: what the function says
    Value: !Sub "\${Greeting}, world"
`;

interface Stack {
  StackName: string;
  StackId: string;
  StackStatus: string;
  Parameters?: { ParameterKey: string; ParameterValue: string }[];
  Outputs?: { OutputKey: string; OutputValue: string; Description?: string }[];
  Capabilities?: string[];
}

interface Resource {
  LogicalResourceId: string;
  PhysicalResourceId?: string;
  ResourceType: string;
  ResourceStatus: string;
}

interface StackEvent extends Resource {
  EventId: string;
  Timestamp: string;
  ResourceStatusReason?: string;
}

describe("AWS CLI v2: cloudformation deploy, describe-stacks, delete-stack", {
  skip: existsSync(AWS_CLI) ? false : `${AWS_CLI} is not installed (.ci/run installs it)`,
  timeout: 15 * 60_000,
}, () => {
  const stratus = useStratus({ inMemory: true });
  let dir = "";
  /** The first step that failed: the later ones depend on it and are skipped. */
  let failedStep: string | undefined;
  let outputs: Record<string, string> = {};

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "stratus-cfn-cli-"));
    await writeFile(join(dir, "t.yaml"), TEMPLATE);
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** Runs one AWS CLI command; a non-zero exit is returned, not thrown (the test decides). */
  function aws(...args: string[]): Promise<CliResult> {
    return runAwsCli(stratus.url, args, { cwd: dir, timeoutMs: COMMAND_TIMEOUT_MS });
  }

  /** Runs a command that must succeed and returns its stdout. */
  async function awsOk(...args: string[]): Promise<string> {
    const result = await aws(...args);
    assert.equal(
      result.code,
      0,
      `aws ${args.join(" ")} exited ${result.code}:\n${result.stderr}\n${result.stdout}`,
    );
    return result.stdout;
  }

  /** One step of the scenario: skipped once an earlier step failed, remembered when it fails. */
  function step(name: string, body: (t: TestContext) => Promise<void>) {
    it(name, async (t) => {
      if (failedStep !== undefined) {
        t.skip(`an earlier step failed: ${failedStep}`);
        return;
      }
      try {
        await body(t);
      } catch (error) {
        failedStep = name;
        throw error;
      }
    });
  }

  async function describeStack(): Promise<Stack> {
    const described = JSON.parse(await awsOk("cloudformation", "describe-stacks", "--stack-name", STACK)) as {
      Stacks: Stack[];
    };
    assert.equal(described.Stacks.length, 1);
    const stack = described.Stacks[0];
    assert.ok(stack);
    return stack;
  }

  async function stackEvents(): Promise<StackEvent[]> {
    const described = JSON.parse(
      await awsOk("cloudformation", "describe-stack-events", "--stack-name", STACK),
    ) as { StackEvents: StackEvent[] };
    return described.StackEvents;
  }

  function outputsOf(stack: Stack): Record<string, string> {
    return Object.fromEntries((stack.Outputs ?? []).map((o) => [o.OutputKey, o.OutputValue]));
  }

  async function invokeFunction(): Promise<{ greeting: string; table: string }> {
    await awsOk(
      "lambda",
      "invoke",
      "--function-name",
      outputs.FunctionName ?? "",
      "--cli-binary-format",
      "raw-in-base64-out",
      "--payload",
      "{}",
      "out.json",
    );
    return JSON.parse(await readFile(join(dir, "out.json"), "utf8")) as { greeting: string; table: string };
  }

  // Not a step: deploy does not call ValidateTemplate, so its failure does not skip the others.
  it("validate-template answers with the template's parameters and capabilities", async () => {
    const validated = JSON.parse(
      await awsOk("cloudformation", "validate-template", "--template-body", "file://t.yaml"),
    ) as {
      Parameters: { ParameterKey: string; DefaultValue?: string; NoEcho: boolean }[];
      Description: string;
      Capabilities?: string[];
      CapabilitiesReason?: string;
    };
    assert.equal(validated.Description, "Stratus e2e - aws cloudformation deploy");
    assert.deepEqual(validated.Parameters.map((p) => p.ParameterKey).sort(), ["Greeting", "Retention"]);
    assert.equal(validated.Parameters.find((p) => p.ParameterKey === "Greeting")?.DefaultValue, "hello");
    assert.deepEqual(validated.Capabilities, ["CAPABILITY_IAM"]);
    assert.equal(
      validated.CapabilitiesReason,
      "The following resource(s) require capabilities: [AWS::IAM::Role]",
    );
  });

  step("deploy creates the stack (CREATE_COMPLETE) with its outputs", async () => {
    const deployed = await awsOk(...DEPLOY, "--parameter-overrides", "Greeting=hello", "Retention=7");
    assert.match(deployed, /Waiting for changeset to be created\.\./);
    assert.match(deployed, new RegExp(`Successfully created/updated stack - ${STACK}`));

    const stack = await describeStack();
    assert.equal(stack.StackName, STACK);
    assert.match(
      stack.StackId,
      new RegExp(`^arn:aws:cloudformation:us-east-1:000000000000:stack/${STACK}/[0-9a-f-]{36}$`),
    );
    assert.equal(stack.StackStatus, "CREATE_COMPLETE");
    assert.deepEqual(stack.Capabilities, ["CAPABILITY_IAM"]);
    assert.deepEqual(
      Object.fromEntries((stack.Parameters ?? []).map((p) => [p.ParameterKey, p.ParameterValue])),
      { Greeting: "hello", Retention: "7" },
    );
    outputs = outputsOf(stack);
    assert.deepEqual(Object.keys(outputs).sort(), [
      "FunctionName",
      "Greeting",
      "LogGroupName",
      "RoleArn",
      "TableArn",
      "TableName",
    ]);
    assert.equal(outputs.Greeting, "hello, world");
    assert.equal(
      stack.Outputs?.find((o) => o.OutputKey === "Greeting")?.Description,
      "what the function says",
    );
    // Names CloudFormation generates: {stack}-{logicalId}-{random suffix}.
    assert.match(outputs.TableName ?? "", new RegExp(`^${STACK}-Table-[A-Za-z0-9]+$`));
    assert.equal(outputs.TableArn, `arn:aws:dynamodb:us-east-1:000000000000:table/${outputs.TableName}`);
    assert.match(outputs.LogGroupName ?? "", new RegExp(`^${STACK}-Logs-[A-Za-z0-9]+$`));
    assert.match(outputs.FunctionName ?? "", new RegExp(`^${STACK}-Fn-[A-Za-z0-9]+$`));
    assert.match(
      outputs.RoleArn ?? "",
      new RegExp(`^arn:aws:iam::000000000000:role/${STACK}-Role-[A-Za-z0-9]+$`),
    );
  });

  step("list-stack-resources and describe-stack-events tell the creation in dependency order", async () => {
    const listed = JSON.parse(
      await awsOk("cloudformation", "list-stack-resources", "--stack-name", STACK),
    ) as {
      StackResourceSummaries: Resource[];
    };
    const byLogicalId = Object.fromEntries(
      listed.StackResourceSummaries.map((r) => [
        r.LogicalResourceId,
        [r.ResourceType, r.ResourceStatus, r.PhysicalResourceId],
      ]),
    );
    assert.deepEqual(byLogicalId, {
      Table: ["AWS::DynamoDB::Table", "CREATE_COMPLETE", outputs.TableName],
      Logs: ["AWS::Logs::LogGroup", "CREATE_COMPLETE", outputs.LogGroupName],
      Role: ["AWS::IAM::Role", "CREATE_COMPLETE", outputs.RoleArn?.split("/").pop()],
      Fn: ["AWS::Lambda::Function", "CREATE_COMPLETE", outputs.FunctionName],
    });

    // Newest first, as AWS lists them; read oldest first here.
    const events = (await stackEvents()).reverse();
    const stackEventsOnly = events.filter((e) => e.ResourceType === "AWS::CloudFormation::Stack");
    assert.deepEqual(
      stackEventsOnly.map((e) => [e.ResourceStatus, e.ResourceStatusReason]),
      [
        ["REVIEW_IN_PROGRESS", "User Initiated"],
        ["CREATE_IN_PROGRESS", "User Initiated"],
        ["CREATE_COMPLETE", undefined],
      ],
    );
    assert.equal(events.at(-1)?.ResourceStatus, "CREATE_COMPLETE");
    assert.equal(events.at(-1)?.LogicalResourceId, STACK);
    const position = (logicalId: string, status: string) =>
      events.findIndex((e) => e.LogicalResourceId === logicalId && e.ResourceStatus === status);
    for (const logicalId of ["Table", "Logs", "Role", "Fn"]) {
      const started = position(logicalId, "CREATE_IN_PROGRESS");
      const completed = position(logicalId, "CREATE_COMPLETE");
      assert.ok(started > 0 && completed > started, `${logicalId}: CREATE_IN_PROGRESS then CREATE_COMPLETE`);
    }
    // The function reads the role's ARN and the table's name: it starts only once both exist.
    assert.ok(position("Fn", "CREATE_IN_PROGRESS") > position("Role", "CREATE_COMPLETE"));
    assert.ok(position("Fn", "CREATE_IN_PROGRESS") > position("Table", "CREATE_COMPLETE"));
  });

  step("the stack's resources exist in their services", async () => {
    const table = JSON.parse(
      await awsOk("dynamodb", "describe-table", "--table-name", outputs.TableName ?? ""),
    ) as {
      Table: { TableStatus: string; BillingModeSummary?: { BillingMode: string }; KeySchema: unknown };
    };
    assert.equal(table.Table.TableStatus, "ACTIVE");
    assert.equal(table.Table.BillingModeSummary?.BillingMode, "PAY_PER_REQUEST");
    assert.deepEqual(table.Table.KeySchema, [{ AttributeName: "pk", KeyType: "HASH" }]);

    const groups = JSON.parse(
      await awsOk("logs", "describe-log-groups", "--log-group-name-prefix", outputs.LogGroupName ?? ""),
    ) as { logGroups: { logGroupName: string; retentionInDays?: number }[] };
    assert.deepEqual(
      groups.logGroups.map((g) => [g.logGroupName, g.retentionInDays]),
      [[outputs.LogGroupName, 7]],
    );

    const fn = JSON.parse(
      await awsOk("lambda", "get-function-configuration", "--function-name", outputs.FunctionName ?? ""),
    ) as {
      Runtime: string;
      Handler: string;
      Role: string;
      Environment?: { Variables: Record<string, string> };
    };
    assert.equal(fn.Runtime, "nodejs20.x");
    assert.equal(fn.Handler, "index.handler");
    assert.equal(fn.Role, outputs.RoleArn);
    assert.deepEqual(fn.Environment?.Variables, { GREETING: "hello", TABLE: outputs.TableName });

    assert.deepEqual(await invokeFunction(), { greeting: "hello", table: outputs.TableName });
  });

  step(
    "deploy with a changed parameter updates the stack (UPDATE_COMPLETE), keeping the others",
    async () => {
      // Retention is not given: the CLI sends UsePreviousValue for it (after GetTemplateSummary).
      const deployed = await awsOk(...DEPLOY, "--parameter-overrides", "Greeting=bye");
      assert.match(deployed, new RegExp(`Successfully created/updated stack - ${STACK}`));

      const stack = await describeStack();
      assert.equal(stack.StackStatus, "UPDATE_COMPLETE");
      assert.deepEqual(
        Object.fromEntries((stack.Parameters ?? []).map((p) => [p.ParameterKey, p.ParameterValue])),
        { Greeting: "bye", Retention: "7" },
      );
      const updated = outputsOf(stack);
      assert.equal(updated.Greeting, "bye, world");
      // An environment change updates the function in place: same names everywhere.
      assert.equal(updated.TableName, outputs.TableName);
      assert.equal(updated.FunctionName, outputs.FunctionName);
      assert.equal(updated.LogGroupName, outputs.LogGroupName);
      outputs = updated;
      assert.deepEqual(await invokeFunction(), { greeting: "bye", table: outputs.TableName });
    },
  );

  step("deploy without a change answers No changes to deploy and exits 0", async () => {
    const result = await aws(...DEPLOY, "--parameter-overrides", "Greeting=bye");
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, new RegExp(`No changes to deploy\\. Stack ${STACK} is up to date`));
    assert.equal((await describeStack()).StackStatus, "UPDATE_COMPLETE");

    const strict = await aws(...DEPLOY, "--parameter-overrides", "Greeting=bye", "--fail-on-empty-changeset");
    assert.equal(strict.code, 255, strict.stdout);
    assert.match(strict.stderr, new RegExp(`No changes to deploy\\. Stack ${STACK} is up to date`));
  });

  step("delete-stack and wait stack-delete-complete remove the stack and its resources", async () => {
    await awsOk("cloudformation", "delete-stack", "--stack-name", STACK);
    await awsOk("cloudformation", "wait", "stack-delete-complete", "--stack-name", STACK);

    const gone = await aws("cloudformation", "describe-stacks", "--stack-name", STACK);
    assert.equal(gone.code, 254);
    assert.match(
      gone.stderr,
      new RegExp(
        `An error occurred \\(ValidationError\\) when calling the DescribeStacks operation: Stack with id ${STACK} does not exist`,
      ),
    );

    const table = await aws("dynamodb", "describe-table", "--table-name", outputs.TableName ?? "");
    assert.notEqual(table.code, 0);
    assert.match(table.stderr, /ResourceNotFoundException/);
    const fn = await aws("lambda", "get-function", "--function-name", outputs.FunctionName ?? "");
    assert.notEqual(fn.code, 0);
    assert.match(fn.stderr, /ResourceNotFoundException/);
    const groups = JSON.parse(
      await awsOk("logs", "describe-log-groups", "--log-group-name-prefix", outputs.LogGroupName ?? ""),
    ) as { logGroups: unknown[] };
    assert.deepEqual(groups.logGroups, []);
  });
});
