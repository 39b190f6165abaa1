/**
 * CloudFormation stacks of real resources over the wire (AWS SDK v3 and its waiters): create, outputs
 * and exports, update (one property, added and removed resources, replacement), rollback, delete.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  CreateStackCommand,
  DeleteStackCommand,
  DescribeStackEventsCommand,
  DescribeStackResourceCommand,
  DescribeStacksCommand,
  GetTemplateCommand,
  ListExportsCommand,
  ListStackResourcesCommand,
  ListStacksCommand,
  UpdateStackCommand,
  UpdateTerminationProtectionCommand,
  waitUntilStackCreateComplete,
  waitUntilStackDeleteComplete,
  waitUntilStackUpdateComplete,
} from "@aws-sdk/client-cloudformation";
import { DescribeLogGroupsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { DescribeTableCommand, ListTablesCommand } from "@aws-sdk/client-dynamodb";
import { useStratus } from "../../support/stratus.ts";

const WAIT = { maxWaitTime: 60, minDelay: 1, maxDelay: 1 };

function tableResource(properties: Record<string, unknown> = {}) {
  return {
    Type: "AWS::DynamoDB::Table",
    Properties: {
      AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }],
      KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
      BillingMode: "PAY_PER_REQUEST",
      ...properties,
    },
  };
}

describe("CloudFormation stacks", () => {
  const stratus = useStratus();

  /** Polls until the stack's operation settles (no longer *_IN_PROGRESS); its final status. */
  async function settled(stackName: string): Promise<string | undefined> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const { Stacks = [] } = await stratus
        .cloudformation()
        .send(new DescribeStacksCommand({ StackName: stackName }));
      const status = Stacks[0]?.StackStatus;
      if (!status?.endsWith("_IN_PROGRESS") || Date.now() > deadline) return status;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async function eventsOf(stackName: string) {
    const { StackEvents = [] } = await stratus
      .cloudformation()
      .send(new DescribeStackEventsCommand({ StackName: stackName }));
    return StackEvents;
  }

  it("creates a table and a log group, with outputs and exports, and deletes them", async () => {
    const cfn = stratus.cloudformation();
    const template = {
      Resources: {
        Table: tableResource(),
        Logs: {
          Type: "AWS::Logs::LogGroup",
          Properties: { LogGroupName: "/stratus/cfn-basic", RetentionInDays: 7 },
        },
      },
      Outputs: {
        TableName: { Value: { Ref: "Table" }, Export: { Name: "basic-table" } },
        TableArn: { Value: { "Fn::GetAtt": ["Table", "Arn"] }, Description: "the table" },
      },
    };
    const { StackId } = await cfn.send(
      new CreateStackCommand({ StackName: "basic", TemplateBody: JSON.stringify(template) }),
    );
    assert.match(StackId ?? "", /^arn:aws:cloudformation:us-east-1:\d{12}:stack\/basic\//);
    await waitUntilStackCreateComplete({ client: cfn, ...WAIT }, { StackName: "basic" });

    const { Stacks = [] } = await cfn.send(new DescribeStacksCommand({ StackName: "basic" }));
    const outputs = Object.fromEntries((Stacks[0]?.Outputs ?? []).map((o) => [o.OutputKey, o]));
    const tableName = outputs.TableName?.OutputValue ?? "";
    assert.match(tableName, /^basic-Table-[A-Z0-9]{13}$/);
    assert.equal(outputs.TableName?.ExportName, "basic-table");
    assert.equal(outputs.TableArn?.Description, "the table");
    const table = await stratus.dynamodb().send(new DescribeTableCommand({ TableName: tableName }));
    assert.equal(outputs.TableArn?.OutputValue, table.Table?.TableArn);
    const groups = await stratus
      .logs()
      .send(new DescribeLogGroupsCommand({ logGroupNamePrefix: "/stratus/cfn-basic" }));
    assert.equal(groups.logGroups?.[0]?.retentionInDays, 7);

    const { Exports = [] } = await cfn.send(new ListExportsCommand({}));
    assert.deepEqual(
      Exports.filter((e) => e.Name === "basic-table").map((e) => [e.ExportingStackId, e.Value]),
      [[StackId, tableName]],
    );
    const { StackResourceDetail } = await cfn.send(
      new DescribeStackResourceCommand({ StackName: "basic", LogicalResourceId: "Logs" }),
    );
    assert.equal(StackResourceDetail?.PhysicalResourceId, "/stratus/cfn-basic");
    assert.equal(StackResourceDetail?.ResourceStatus, "CREATE_COMPLETE");
    const { TemplateBody } = await cfn.send(new GetTemplateCommand({ StackName: "basic" }));
    assert.deepEqual(JSON.parse(TemplateBody ?? ""), template);

    const events = await eventsOf("basic");
    assert.equal(events.at(-1)?.ResourceStatusReason, "User Initiated");
    assert.ok(events.some((e) => e.LogicalResourceId === "Table" && e.ResourceStatus === "CREATE_COMPLETE"));

    await cfn.send(new DeleteStackCommand({ StackName: "basic" }));
    await waitUntilStackDeleteComplete({ client: cfn, ...WAIT }, { StackName: StackId ?? "" });
    const tables = await stratus.dynamodb().send(new ListTablesCommand({}));
    assert.ok(!tables.TableNames?.includes(tableName));
    const after = await stratus
      .logs()
      .send(new DescribeLogGroupsCommand({ logGroupNamePrefix: "/stratus/cfn-basic" }));
    assert.deepEqual(after.logGroups, []);
    await assert.rejects(cfn.send(new DescribeStacksCommand({ StackName: "basic" })), {
      name: "ValidationError",
      message: "Stack with id basic does not exist",
    });
    const deleted = await cfn.send(new DescribeStacksCommand({ StackName: StackId }));
    assert.equal(deleted.Stacks?.[0]?.StackStatus, "DELETE_COMPLETE");
    const listed = await cfn.send(new ListStacksCommand({ StackStatusFilter: ["DELETE_COMPLETE"] }));
    assert.ok(listed.StackSummaries?.some((s) => s.StackId === StackId));
  });

  it("updates one property in place, adds, removes and replaces resources", async () => {
    const cfn = stratus.cloudformation();
    const first = {
      Resources: {
        Group: {
          Type: "AWS::Logs::LogGroup",
          Properties: { LogGroupName: "/stratus/cfn-up-a", RetentionInDays: 1 },
        },
        Other: { Type: "AWS::Logs::LogGroup", Properties: { LogGroupName: "/stratus/cfn-up-other" } },
        Removed: { Type: "AWS::Logs::LogGroup", Properties: { LogGroupName: "/stratus/cfn-up-removed" } },
      },
    };
    await cfn.send(new CreateStackCommand({ StackName: "updating", TemplateBody: JSON.stringify(first) }));
    await waitUntilStackCreateComplete({ client: cfn, ...WAIT }, { StackName: "updating" });
    const before = (await eventsOf("updating")).length;

    const second = {
      Resources: {
        Group: {
          Type: "AWS::Logs::LogGroup",
          Properties: { LogGroupName: "/stratus/cfn-up-a", RetentionInDays: 3 },
        },
        Other: { Type: "AWS::Logs::LogGroup", Properties: { LogGroupName: "/stratus/cfn-up-other" } },
        Added: { Type: "AWS::Logs::LogGroup", Properties: { LogGroupName: "/stratus/cfn-up-added" } },
      },
    };
    await cfn.send(new UpdateStackCommand({ StackName: "updating", TemplateBody: JSON.stringify(second) }));
    await waitUntilStackUpdateComplete({ client: cfn, ...WAIT }, { StackName: "updating" });
    const events = (await eventsOf("updating")).slice(0, -before);
    const touched = new Set(events.map((e) => e.LogicalResourceId));
    assert.deepEqual([...touched].sort(), ["Added", "Group", "Removed", "updating"]);
    const logs = stratus.logs();
    const groups = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: "/stratus/cfn-up-" }));
    assert.deepEqual(
      groups.logGroups?.map((g) => [g.logGroupName, g.retentionInDays]),
      [
        ["/stratus/cfn-up-a", 3],
        ["/stratus/cfn-up-added", undefined],
        ["/stratus/cfn-up-other", undefined],
      ],
    );

    // A new LogGroupName replaces the group: the new one made, the old one deleted in cleanup.
    const third = structuredClone(second);
    third.Resources.Group.Properties.LogGroupName = "/stratus/cfn-up-b";
    await cfn.send(new UpdateStackCommand({ StackName: "updating", TemplateBody: JSON.stringify(third) }));
    await waitUntilStackUpdateComplete({ client: cfn, ...WAIT }, { StackName: "updating" });
    const replaced = await logs.send(
      new DescribeLogGroupsCommand({ logGroupNamePrefix: "/stratus/cfn-up-" }),
    );
    assert.deepEqual(
      replaced.logGroups?.map((g) => g.logGroupName),
      ["/stratus/cfn-up-added", "/stratus/cfn-up-b", "/stratus/cfn-up-other"],
    );
    const { StackResourceSummaries = [] } = await cfn.send(
      new ListStackResourcesCommand({ StackName: "updating" }),
    );
    assert.equal(
      StackResourceSummaries.find((r) => r.LogicalResourceId === "Group")?.PhysicalResourceId,
      "/stratus/cfn-up-b",
    );

    await assert.rejects(
      cfn.send(new UpdateStackCommand({ StackName: "updating", TemplateBody: JSON.stringify(third) })),
      {
        name: "ValidationError",
        message: "No updates are to be performed.",
      },
    );
  });

  it("rolls back a failing create and leaves nothing behind", async () => {
    const cfn = stratus.cloudformation();
    const template = {
      Resources: {
        Good: { Type: "AWS::Logs::LogGroup", Properties: { LogGroupName: "/stratus/cfn-rollback" } },
        Bad: { ...tableResource({ BillingMode: "NOT_A_MODE" }), DependsOn: "Good" },
      },
    };
    await cfn.send(new CreateStackCommand({ StackName: "failing", TemplateBody: JSON.stringify(template) }));
    assert.equal(await settled("failing"), "ROLLBACK_COMPLETE");
    const events = await eventsOf("failing");
    const failed = events.find((e) => e.LogicalResourceId === "Bad" && e.ResourceStatus === "CREATE_FAILED");
    assert.match(
      failed?.ResourceStatusReason ?? "",
      /^Resource handler returned message: ".+" \(RequestToken: .+, HandlerErrorCode: \w+\)$/,
    );
    const groups = await stratus
      .logs()
      .send(new DescribeLogGroupsCommand({ logGroupNamePrefix: "/stratus/cfn-rollback" }));
    assert.deepEqual(groups.logGroups, []);
    const { Stacks = [] } = await cfn.send(new DescribeStacksCommand({ StackName: "failing" }));
    assert.equal(Stacks[0]?.StackStatus, "ROLLBACK_COMPLETE");
    await assert.rejects(
      cfn.send(new UpdateStackCommand({ StackName: "failing", UsePreviousTemplate: true })),
      {
        message: `Stack:${Stacks[0]?.StackId} is in ROLLBACK_COMPLETE state and can not be updated.`,
      },
    );
  });

  it("makes one stack of two simultaneous CreateStack calls with the same name", async () => {
    const cfn = stratus.cloudformation();
    const body = JSON.stringify({
      Resources: { G: { Type: "AWS::Logs::LogGroup", Properties: { LogGroupName: "/stratus/cfn-race" } } },
    });
    const results = await Promise.allSettled([
      cfn.send(new CreateStackCommand({ StackName: "race", TemplateBody: body })),
      cfn.send(new CreateStackCommand({ StackName: "race", TemplateBody: body })),
    ]);
    assert.deepEqual(results.map((r) => r.status).sort(), ["fulfilled", "rejected"]);
    const refused = results.find((r) => r.status === "rejected");
    assert.equal((refused as PromiseRejectedResult).reason.name, "AlreadyExistsException");
    await waitUntilStackCreateComplete({ client: cfn, ...WAIT }, { StackName: "race" });
  });

  it("refuses to delete a protected stack until its protection is lifted", async () => {
    const cfn = stratus.cloudformation();
    const body = JSON.stringify({
      Resources: {
        G: { Type: "AWS::Logs::LogGroup", Properties: { LogGroupName: "/stratus/cfn-protected" } },
      },
    });
    await cfn.send(
      new CreateStackCommand({
        StackName: "protected",
        TemplateBody: body,
        EnableTerminationProtection: true,
      }),
    );
    await waitUntilStackCreateComplete({ client: cfn, ...WAIT }, { StackName: "protected" });
    await assert.rejects(cfn.send(new DeleteStackCommand({ StackName: "protected" })), {
      name: "ValidationError",
      message: "Stack [protected] cannot be deleted while TerminationProtection is enabled",
    });
    const { StackId } = await cfn.send(
      new UpdateTerminationProtectionCommand({ StackName: "protected", EnableTerminationProtection: false }),
    );
    const { Stacks = [] } = await cfn.send(new DescribeStacksCommand({ StackName: "protected" }));
    assert.equal(Stacks[0]?.StackId, StackId);
    assert.equal(Stacks[0]?.EnableTerminationProtection, false);
    await cfn.send(new DeleteStackCommand({ StackName: "protected" }));
    await waitUntilStackDeleteComplete({ client: cfn, ...WAIT }, { StackName: StackId ?? "" });
  });

  it("fails a resource type Stratus does not support, naming it", async () => {
    const cfn = stratus.cloudformation();
    const template = { Resources: { Queue: { Type: "AWS::SQS::Queue" } } };
    await cfn.send(
      new CreateStackCommand({ StackName: "unsupported", TemplateBody: JSON.stringify(template) }),
    );
    assert.equal(await settled("unsupported"), "ROLLBACK_COMPLETE");
    const events = await eventsOf("unsupported");
    assert.equal(
      events.find((e) => e.ResourceStatus === "CREATE_FAILED")?.ResourceStatusReason,
      "Stratus does not support resource type AWS::SQS::Queue yet",
    );
  });
});
