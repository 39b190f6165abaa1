/**
 * Change sets over the wire: a CREATE change set makes a REVIEW_IN_PROGRESS stack, its execution
 * creates it; an UPDATE change set lists Add/Modify/Remove with Replacement and Details; a change set
 * that changes nothing FAILS with the exact reason `aws cloudformation deploy` looks for.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  CreateChangeSetCommand,
  DeleteChangeSetCommand,
  DescribeChangeSetCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  ListChangeSetsCommand,
  waitUntilChangeSetCreateComplete,
  waitUntilStackCreateComplete,
  waitUntilStackUpdateComplete,
} from "@aws-sdk/client-cloudformation";
import { DescribeLogGroupsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { useStratus } from "../../support/stratus.ts";

const WAIT = { maxWaitTime: 60, minDelay: 1, maxDelay: 1 };

function groups(resources: Record<string, { name: string; retention?: number }>) {
  return JSON.stringify({
    Resources: Object.fromEntries(
      Object.entries(resources).map(([id, { name, retention }]) => [
        id,
        {
          Type: "AWS::Logs::LogGroup",
          Properties: {
            LogGroupName: name,
            ...(retention === undefined ? {} : { RetentionInDays: retention }),
          },
        },
      ]),
    ),
  });
}

describe("CloudFormation change sets", () => {
  const stratus = useStratus();

  it("creates a stack through a CREATE change set, then plans and runs an update", async () => {
    const cfn = stratus.cloudformation();
    const created = await cfn.send(
      new CreateChangeSetCommand({
        StackName: "planned",
        ChangeSetName: "create-it",
        ChangeSetType: "CREATE",
        TemplateBody: groups({ Kept: { name: "/cs/kept", retention: 1 }, Dropped: { name: "/cs/dropped" } }),
      }),
    );
    assert.match(created.Id ?? "", /^arn:aws:cloudformation:us-east-1:\d{12}:changeSet\/create-it\//);
    await waitUntilChangeSetCreateComplete({ client: cfn, ...WAIT }, { ChangeSetName: created.Id });
    const review = await cfn.send(new DescribeStacksCommand({ StackName: "planned" }));
    assert.equal(review.Stacks?.[0]?.StackStatus, "REVIEW_IN_PROGRESS");
    const plan = await cfn.send(
      new DescribeChangeSetCommand({ ChangeSetName: "create-it", StackName: "planned" }),
    );
    assert.equal(plan.ExecutionStatus, "AVAILABLE");
    assert.deepEqual(
      plan.Changes?.map((c) => [c.ResourceChange?.LogicalResourceId, c.ResourceChange?.Action]).sort(),
      [
        ["Dropped", "Add"],
        ["Kept", "Add"],
      ],
    );
    await cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: created.Id }));
    await waitUntilStackCreateComplete({ client: cfn, ...WAIT }, { StackName: "planned" });
    const executed = await cfn.send(new DescribeChangeSetCommand({ ChangeSetName: created.Id }));
    assert.equal(executed.ExecutionStatus, "EXECUTE_COMPLETE");

    const update = await cfn.send(
      new CreateChangeSetCommand({
        StackName: "planned",
        ChangeSetName: "update-it",
        TemplateBody: groups({ Kept: { name: "/cs/kept", retention: 5 }, Added: { name: "/cs/added" } }),
      }),
    );
    await waitUntilChangeSetCreateComplete({ client: cfn, ...WAIT }, { ChangeSetName: update.Id });
    const changes =
      (await cfn.send(new DescribeChangeSetCommand({ ChangeSetName: update.Id }))).Changes ?? [];
    const byId = Object.fromEntries(
      changes.map((c) => [c.ResourceChange?.LogicalResourceId, c.ResourceChange]),
    );
    assert.equal(byId.Added?.Action, "Add");
    assert.equal(byId.Dropped?.Action, "Remove");
    assert.equal(byId.Dropped?.PhysicalResourceId, "/cs/dropped");
    assert.equal(byId.Kept?.Action, "Modify");
    assert.equal(byId.Kept?.Replacement, "False");
    assert.deepEqual(byId.Kept?.Scope, ["Properties"]);
    assert.deepEqual(byId.Kept?.Details, [
      {
        Target: { Attribute: "Properties", Name: "RetentionInDays", RequiresRecreation: "Never" },
        Evaluation: "Static",
        ChangeSource: "DirectModification",
      },
    ]);
    const listed = await cfn.send(new ListChangeSetsCommand({ StackName: "planned" }));
    assert.deepEqual(listed.Summaries?.map((s) => s.ChangeSetName).sort(), ["create-it", "update-it"]);

    await cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: "update-it", StackName: "planned" }));
    await waitUntilStackUpdateComplete({ client: cfn, ...WAIT }, { StackName: "planned" });
    const after = await stratus.logs().send(new DescribeLogGroupsCommand({ logGroupNamePrefix: "/cs/" }));
    assert.deepEqual(
      after.logGroups?.map((g) => [g.logGroupName, g.retentionInDays]),
      [
        ["/cs/added", undefined],
        ["/cs/kept", 5],
      ],
    );
  });

  it("fails a change set that changes nothing with AWS's reason, and can delete it", async () => {
    const cfn = stratus.cloudformation();
    const body = groups({ Only: { name: "/cs/same" } });
    const first = await cfn.send(
      new CreateChangeSetCommand({
        StackName: "same",
        ChangeSetName: "one",
        ChangeSetType: "CREATE",
        TemplateBody: body,
      }),
    );
    await cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: first.Id }));
    await waitUntilStackCreateComplete({ client: cfn, ...WAIT }, { StackName: "same" });

    const empty = await cfn.send(
      new CreateChangeSetCommand({ StackName: "same", ChangeSetName: "nothing", TemplateBody: body }),
    );
    await assert.rejects(
      waitUntilChangeSetCreateComplete({ client: cfn, ...WAIT }, { ChangeSetName: empty.Id }),
    );
    const described = await cfn.send(new DescribeChangeSetCommand({ ChangeSetName: empty.Id }));
    assert.equal(described.Status, "FAILED");
    assert.equal(described.ExecutionStatus, "UNAVAILABLE");
    assert.equal(
      described.StatusReason,
      "The submitted information didn't contain changes. Submit different information to create a change set.",
    );
    await assert.rejects(cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: empty.Id })), {
      name: "InvalidChangeSetStatusException",
      message: `ChangeSet [${empty.Id}] cannot be executed in its current status of [FAILED]`,
    });
    await assert.rejects(
      cfn.send(
        new CreateChangeSetCommand({ StackName: "same", ChangeSetName: "nothing", TemplateBody: body }),
      ),
      { name: "AlreadyExistsException", message: "ChangeSet [nothing] already exists" },
    );
    await cfn.send(new DeleteChangeSetCommand({ ChangeSetName: "nothing", StackName: "same" }));
    await assert.rejects(cfn.send(new DescribeChangeSetCommand({ ChangeSetName: empty.Id })), {
      name: "ChangeSetNotFoundException",
      message: `ChangeSet [${empty.Id}] does not exist`,
    });
  });

  it("refuses a CREATE change set for a stack that exists and an UPDATE one for a stack that does not", async () => {
    const cfn = stratus.cloudformation();
    const body = groups({ G: { name: "/cs/refused" } });
    await assert.rejects(
      cfn.send(new CreateChangeSetCommand({ StackName: "nowhere", ChangeSetName: "u", TemplateBody: body })),
      {
        name: "ValidationError",
        message: "Stack [nowhere] does not exist",
      },
    );
    await assert.rejects(
      cfn.send(
        new CreateChangeSetCommand({
          StackName: "same",
          ChangeSetName: "again",
          ChangeSetType: "CREATE",
          TemplateBody: body,
        }),
      ),
      {
        name: "ValidationError",
        message: "Stack [same] already exists and cannot be created again with the changeSet [again].",
      },
    );
    await assert.rejects(cfn.send(new DescribeChangeSetCommand({ ChangeSetName: "whatever" })), {
      name: "ValidationError",
      message: "StackName must be specified if ChangeSetName is not specified as an ARN.",
    });
  });
});
