/**
 * The stack flows with fake providers: creation in dependency order, rollback, updates (in place,
 * replacement, added and removed resources, rollback), deletion, exports and start-up recovery.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  CloudFormationEngine,
  RESTART_REASON,
} from "../../../../src/services/cloudformation/engine/engine.ts";
import {
  createChangeSet,
  describeChangeSet,
  executeChangeSet,
} from "../../../../src/services/cloudformation/operations/change-sets.ts";
import {
  describeStackEvents,
  describeStacks,
  listImports,
  listStackResources,
} from "../../../../src/services/cloudformation/operations/reads.ts";
import {
  cancelUpdateStack,
  createStack,
  deleteStack,
  updateStack,
} from "../../../../src/services/cloudformation/operations/stacks.ts";
import { createHarness, type Harness, template } from "./harness.ts";

async function stackOf(h: Harness, name: string) {
  const { Stacks } = await describeStacks(h.engine, { StackName: name }, h.context);
  return Stacks[0]!;
}

async function eventsOf(h: Harness, name: string) {
  const { StackEvents } = await describeStackEvents(h.engine, { StackName: name }, h.context);
  return StackEvents;
}

async function create(h: Harness, name: string, body: string, extra: Record<string, unknown> = {}) {
  const result = await createStack(h.engine, { StackName: name, TemplateBody: body, ...extra }, h.context);
  await h.engine.settle();
  return result;
}

const twoThings = template(
  {
    First: { Type: "AWS::Test::Thing", Properties: { Size: 1 } },
    Second: {
      Type: "AWS::Test::Thing",
      Properties: { Size: 2, Peer: { Ref: "First" }, PeerArn: { "Fn::GetAtt": ["First", "Arn"] } },
    },
  },
  { Outputs: { SecondId: { Value: { Ref: "Second" }, Export: { Name: "second-id" } } } },
);

describe("CloudFormation engine: create", () => {
  it("creates resources in dependency order, resolving Ref and Fn::GetAtt, with outputs", async () => {
    const h = createHarness();
    const { StackId } = await create(h, "app", twoThings);
    assert.match(StackId, /^arn:aws:cloudformation:us-east-1:000000000000:stack\/app\/[0-9a-f-]{36}$/);
    const stack = await stackOf(h, "app");
    assert.equal(stack.StackStatus, "CREATE_COMPLETE");
    assert.deepEqual(h.calls, ["create First", "create Second"]);
    const second = [...h.things.values()].find((p) => p.Size === 2)!;
    assert.equal(second.Peer, "app-First-1");
    assert.equal(second.PeerArn, "arn:test:app-First-1");
    assert.deepEqual(stack.Outputs, [
      { OutputKey: "SecondId", OutputValue: "app-Second-2", Description: undefined, ExportName: "second-id" },
    ]);
    const events = await eventsOf(h, "app");
    // Newest first: the stack's own CREATE_COMPLETE, last of all; its User Initiated event first of all.
    assert.equal(events[0]!.LogicalResourceId, "app");
    assert.equal(events[0]!.ResourceStatus, "CREATE_COMPLETE");
    const first = events.at(-1)!;
    assert.equal(first.ResourceStatus, "CREATE_IN_PROGRESS");
    assert.equal(first.ResourceStatusReason, "User Initiated");
    assert.equal(first.ResourceType, "AWS::CloudFormation::Stack");
    const secondStarted = events.findLast((e) => e.LogicalResourceId === "Second");
    assert.equal(secondStarted?.ResourceStatus, "CREATE_IN_PROGRESS");
    assert.equal(secondStarted?.PhysicalResourceId, undefined);
    assert.deepEqual(JSON.parse(secondStarted?.ResourceProperties ?? "{}"), {
      Size: 2,
      Peer: "app-First-1",
      PeerArn: "arn:test:app-First-1",
    });
  });

  it("answers at once with the stack CREATE_IN_PROGRESS, and refuses a second stack of that name", async () => {
    const h = createHarness();
    await createStack(h.engine, { StackName: "busy", TemplateBody: twoThings }, h.context);
    assert.equal((await stackOf(h, "busy")).StackStatus, "CREATE_IN_PROGRESS");
    await assert.rejects(createStack(h.engine, { StackName: "busy", TemplateBody: twoThings }, h.context), {
      code: "AlreadyExistsException",
      message: "Stack [busy] already exists",
    });
    await h.engine.settle();
  });

  it("rolls back what it created when a resource fails, leaving nothing behind", async () => {
    const h = createHarness();
    await create(
      h,
      "broken",
      template({
        Good: { Type: "AWS::Test::Thing", Properties: {} },
        Bad: { Type: "AWS::Test::Thing", DependsOn: "Good", Properties: { Fail: true } },
      }),
    );
    const stack = await stackOf(h, "broken");
    assert.equal(stack.StackStatus, "ROLLBACK_COMPLETE");
    assert.equal(h.things.size, 0);
    const events = await eventsOf(h, "broken");
    const failed = events.find((e) => e.LogicalResourceId === "Bad" && e.ResourceStatus === "CREATE_FAILED");
    assert.match(
      failed?.ResourceStatusReason ?? "",
      /^Resource handler returned message: "Bad was told to fail" \(RequestToken: .+, HandlerErrorCode: InvalidRequest\)$/,
    );
    const rollback = events.find((e) => e.ResourceStatus === "ROLLBACK_IN_PROGRESS");
    assert.equal(
      rollback?.ResourceStatusReason,
      "The following resource(s) failed to create: [Bad]. Rollback requested by user.",
    );
    assert.ok(events.some((e) => e.LogicalResourceId === "Good" && e.ResourceStatus === "DELETE_COMPLETE"));
  });

  it("keeps what it created with OnFailure DO_NOTHING (CREATE_FAILED)", async () => {
    const h = createHarness();
    await create(
      h,
      "kept",
      template({
        Good: { Type: "AWS::Test::Thing" },
        Bad: { Type: "AWS::Test::Thing", DependsOn: "Good", Properties: { Fail: true } },
      }),
      { OnFailure: "DO_NOTHING" },
    );
    const stack = await stackOf(h, "kept");
    assert.equal(stack.StackStatus, "CREATE_FAILED");
    assert.equal(stack.StackStatusReason, "The following resource(s) failed to create: [Bad]. ");
    assert.equal(h.things.size, 1);
  });

  it("fails a resource of a type Stratus lacks, naming the type", async () => {
    const h = createHarness();
    await create(h, "queue", template({ Queue: { Type: "AWS::SQS::Queue" } }));
    const events = await eventsOf(h, "queue");
    const failed = events.find((e) => e.ResourceStatus === "CREATE_FAILED");
    assert.equal(failed?.ResourceStatusReason, "Stratus does not support resource type AWS::SQS::Queue yet");
    assert.equal((await stackOf(h, "queue")).StackStatus, "ROLLBACK_COMPLETE");
  });

  it("demands CAPABILITY_IAM for IAM resources and CAPABILITY_NAMED_IAM for named ones", async () => {
    const h = createHarness();
    const role = (properties: Record<string, unknown>) =>
      template({
        Role: { Type: "AWS::IAM::Role", Properties: { AssumeRolePolicyDocument: {}, ...properties } },
      });
    await assert.rejects(createStack(h.engine, { StackName: "iam", TemplateBody: role({}) }, h.context), {
      code: "InsufficientCapabilitiesException",
      message: "Requires capabilities : [CAPABILITY_IAM]",
    });
    await assert.rejects(
      createStack(
        h.engine,
        { StackName: "iam", TemplateBody: role({ RoleName: "r" }), Capabilities: ["CAPABILITY_IAM"] },
        h.context,
      ),
      {
        code: "InsufficientCapabilitiesException",
        message: "Requires capabilities : [CAPABILITY_NAMED_IAM]",
      },
    );
  });
});

describe("CloudFormation engine: update", () => {
  it("updates only the changed resource, replaces on a replaceOn property, adds and removes", async () => {
    const h = createHarness();
    await create(
      h,
      "up",
      template({
        Same: { Type: "AWS::Test::Thing", Properties: { Size: 1 } },
        Changed: { Type: "AWS::Test::Thing", Properties: { Size: 1 } },
        Renamed: { Type: "AWS::Test::Thing", Properties: { Name: "old-name" } },
        Removed: { Type: "AWS::Test::Thing", Properties: {} },
      }),
    );
    h.calls.length = 0;
    const before = (await eventsOf(h, "up")).length;
    await updateStack(
      h.engine,
      {
        StackName: "up",
        TemplateBody: template({
          Same: { Type: "AWS::Test::Thing", Properties: { Size: 1 } },
          Changed: { Type: "AWS::Test::Thing", Properties: { Size: 2 } },
          Renamed: { Type: "AWS::Test::Thing", Properties: { Name: "new-name" } },
          Added: { Type: "AWS::Test::Thing", Properties: {} },
        }),
      },
      h.context,
    );
    await h.engine.settle();
    assert.equal((await stackOf(h, "up")).StackStatus, "UPDATE_COMPLETE");
    assert.deepEqual([...h.calls].sort(), [
      "create Added",
      "create Renamed",
      "delete Removed",
      "delete Renamed",
      "update Changed",
    ]);
    assert.ok(h.things.has("new-name"));
    assert.ok(!h.things.has("old-name"));
    const events = (await eventsOf(h, "up")).slice(0, -before);
    assert.ok(!events.some((e) => e.LogicalResourceId === "Same"), "an unchanged resource has no events");
    assert.ok(
      events.some(
        (e) =>
          e.LogicalResourceId === "Renamed" &&
          e.ResourceStatusReason?.startsWith(
            "Requested update requires the creation of a new physical resource",
          ),
      ),
    );
    assert.ok(events.some((e) => e.ResourceStatus === "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS"));
    const { StackResourceSummaries } = await listStackResources(h.engine, { StackName: "up" }, h.context);
    assert.deepEqual(StackResourceSummaries.map((r) => r.LogicalResourceId).sort(), [
      "Added",
      "Changed",
      "Renamed",
      "Same",
    ]);
  });

  it("refuses to replace a resource under the same custom name", async () => {
    const h = createHarness();
    // AWS::Test::Thing's name property is ThingName; a new Name (replaceOn) with the same ThingName.
    const body = (name: string) =>
      template({ A: { Type: "AWS::Test::Thing", Properties: { Name: name, ThingName: "fixed" } } });
    await create(h, "named", body("one"));
    await updateStack(h.engine, { StackName: "named", TemplateBody: body("two") }, h.context);
    await h.engine.settle();
    assert.equal((await stackOf(h, "named")).StackStatus, "UPDATE_ROLLBACK_COMPLETE");
    const events = await eventsOf(h, "named");
    assert.equal(
      events.find((e) => e.ResourceStatus === "UPDATE_FAILED")?.ResourceStatusReason,
      "CloudFormation cannot update a stack when a custom-named resource requires replacing. Rename fixed and update the stack again.",
    );
    assert.deepEqual([...h.things.keys()], ["one"]);
  });

  it("refuses an update that changes nothing", async () => {
    const h = createHarness();
    await create(h, "same", twoThings);
    await assert.rejects(updateStack(h.engine, { StackName: "same", TemplateBody: twoThings }, h.context), {
      code: "ValidationError",
      message: "No updates are to be performed.",
    });
    await assert.rejects(updateStack(h.engine, { StackName: "same", UsePreviousTemplate: true }, h.context), {
      message: "No updates are to be performed.",
    });
  });

  it("rolls an update back to the previous resources when one fails", async () => {
    const h = createHarness();
    await create(h, "rb", template({ A: { Type: "AWS::Test::Thing", Properties: { Size: 1 } } }));
    await updateStack(
      h.engine,
      {
        StackName: "rb",
        TemplateBody: template({
          A: { Type: "AWS::Test::Thing", Properties: { Size: 2 } },
          B: { Type: "AWS::Test::Thing", DependsOn: "A", Properties: { Fail: true } },
        }),
      },
      h.context,
    );
    await h.engine.settle();
    const stack = await stackOf(h, "rb");
    assert.equal(stack.StackStatus, "UPDATE_ROLLBACK_COMPLETE");
    assert.deepEqual([...h.things.values()], [{ Size: 1 }]);
    const { StackResourceSummaries } = await listStackResources(h.engine, { StackName: "rb" }, h.context);
    assert.deepEqual(
      StackResourceSummaries.map((r) => r.LogicalResourceId),
      ["A"],
    );
    // And the stack can be updated again.
    await updateStack(
      h.engine,
      {
        StackName: "rb",
        TemplateBody: template({ A: { Type: "AWS::Test::Thing", Properties: { Size: 3 } } }),
      },
      h.context,
    );
    await h.engine.settle();
    assert.equal((await stackOf(h, "rb")).StackStatus, "UPDATE_COMPLETE");
  });

  it("leaves a failed update as it is with DisableRollback (UPDATE_FAILED), and updates it again", async () => {
    const h = createHarness();
    await create(h, "norb", template({ A: { Type: "AWS::Test::Thing", Properties: { Size: 1 } } }));
    const failing = template({
      A: { Type: "AWS::Test::Thing", Properties: { Size: 2 } },
      B: { Type: "AWS::Test::Thing", DependsOn: "A", Properties: { Fail: true } },
    });
    await updateStack(
      h.engine,
      { StackName: "norb", TemplateBody: failing, DisableRollback: true },
      h.context,
    );
    await h.engine.settle();
    const stack = await stackOf(h, "norb");
    assert.equal(stack.StackStatus, "UPDATE_FAILED");
    assert.equal(stack.StackStatusReason, "The following resource(s) failed to create: [B]. ");
    assert.deepEqual([...h.things.values()], [{ Size: 2 }]);
    await updateStack(
      h.engine,
      {
        StackName: "norb",
        TemplateBody: template({ A: { Type: "AWS::Test::Thing", Properties: { Size: 3 } } }),
      },
      h.context,
    );
    await h.engine.settle();
    assert.equal((await stackOf(h, "norb")).StackStatus, "UPDATE_COMPLETE");
    assert.deepEqual([...h.things.values()], [{ Size: 3 }]);
  });

  it("rolls back an update that CancelUpdateStack stops", async () => {
    const h = createHarness();
    await create(h, "cancelled", template({ A: { Type: "AWS::Test::Thing", Properties: { Size: 1 } } }));
    await assert.rejects(cancelUpdateStack(h.engine, { StackName: "cancelled" }, h.context), {
      message: "CancelUpdateStack cannot be called from current stack status",
    });
    await updateStack(
      h.engine,
      {
        StackName: "cancelled",
        TemplateBody: template({ A: { Type: "AWS::Test::Thing", Properties: { Size: 2 } } }),
      },
      h.context,
    );
    await cancelUpdateStack(h.engine, { StackName: "cancelled" }, h.context);
    await h.engine.settle();
    const stack = await stackOf(h, "cancelled");
    assert.equal(stack.StackStatus, "UPDATE_ROLLBACK_COMPLETE");
    assert.deepEqual([...h.things.values()], [{ Size: 1 }]);
    const events = await eventsOf(h, "cancelled");
    assert.equal(
      events.find((e) => e.ResourceStatus === "UPDATE_ROLLBACK_IN_PROGRESS")?.ResourceStatusReason,
      "Stack update cancelled",
    );
  });

  it("refuses to update a stack that is still being created", async () => {
    const h = createHarness();
    const { StackId } = await createStack(
      h.engine,
      { StackName: "early", TemplateBody: twoThings },
      h.context,
    );
    await assert.rejects(updateStack(h.engine, { StackName: "early", TemplateBody: twoThings }, h.context), {
      message: `Stack:${StackId} is in CREATE_IN_PROGRESS state and can not be updated.`,
    });
    await h.engine.settle();
  });
});

describe("CloudFormation engine: delete", () => {
  it("deletes in reverse dependency order and forgets the name, keeping the stack by id", async () => {
    const h = createHarness();
    const { StackId } = await create(h, "gone", twoThings);
    h.calls.length = 0;
    await deleteStack(h.engine, { StackName: "gone" }, h.context);
    await h.engine.settle();
    assert.deepEqual(h.calls, ["delete Second", "delete First"]);
    assert.equal(h.things.size, 0);
    await assert.rejects(stackOf(h, "gone"), {
      code: "ValidationError",
      message: "Stack with id gone does not exist",
    });
    assert.equal((await stackOf(h, StackId)).StackStatus, "DELETE_COMPLETE");
    // Deleting again succeeds quietly.
    await deleteStack(h.engine, { StackName: "gone" }, h.context);
  });

  it("stops a creation that DeleteStack interrupts and deletes what it made", async () => {
    const h = createHarness();
    const { StackId } = await createStack(
      h.engine,
      { StackName: "cancel", TemplateBody: twoThings },
      h.context,
    );
    await deleteStack(h.engine, { StackName: "cancel" }, h.context);
    await h.engine.settle();
    assert.equal((await stackOf(h, StackId)).StackStatus, "DELETE_COMPLETE");
    assert.equal(h.things.size, 0);
    await assert.rejects(stackOf(h, "cancel"), { message: "Stack with id cancel does not exist" });
  });

  it("keeps resources with DeletionPolicy Retain", async () => {
    const h = createHarness();
    await create(h, "retain", template({ Kept: { Type: "AWS::Test::Thing", DeletionPolicy: "Retain" } }));
    await deleteStack(h.engine, { StackName: "retain" }, h.context);
    await h.engine.settle();
    assert.equal(h.things.size, 1);
  });

  it("will not delete a stack whose export another stack imports", async () => {
    const h = createHarness();
    await create(h, "exporter", twoThings);
    await create(
      h,
      "importer",
      template({
        User: { Type: "AWS::Test::Thing", Properties: { Uses: { "Fn::ImportValue": "second-id" } } },
      }),
    );
    assert.equal((await stackOf(h, "importer")).StackStatus, "CREATE_COMPLETE");
    assert.deepEqual((await listImports(h.engine, { ExportName: "second-id" }, h.context)).Imports, [
      "importer",
    ]);
    await deleteStack(h.engine, { StackName: "exporter" }, h.context);
    await h.engine.settle();
    const stack = await stackOf(h, "exporter");
    assert.equal(stack.StackStatus, "CREATE_COMPLETE");
    assert.equal(stack.StackStatusReason, "Export second-id cannot be deleted as it is in use by importer");
  });
});

describe("CloudFormation engine: change sets", () => {
  it("plans Add/Modify/Remove and fails an empty change set with AWS's reason", async () => {
    const h = createHarness();
    await create(
      h,
      "cs",
      template({
        Keep: { Type: "AWS::Test::Thing", Properties: { Size: 1 } },
        Drop: { Type: "AWS::Test::Thing" },
      }),
    );
    const { Id } = await createChangeSet(
      h.engine,
      {
        StackName: "cs",
        ChangeSetName: "next",
        TemplateBody: template({
          Keep: { Type: "AWS::Test::Thing", Properties: { Size: 2, Name: "n" } },
          New: { Type: "AWS::Test::Thing" },
        }),
      },
      h.context,
    );
    const described = await describeChangeSet(h.engine, { ChangeSetName: Id }, h.context);
    assert.equal(described.Status, "CREATE_COMPLETE");
    assert.equal(described.ExecutionStatus, "AVAILABLE");
    const byId = Object.fromEntries(
      described.Changes.map((c) => [c.ResourceChange.LogicalResourceId, c.ResourceChange]),
    );
    assert.equal(byId.New?.Action, "Add");
    assert.equal(byId.Drop?.Action, "Remove");
    assert.equal(byId.Keep?.Action, "Modify");
    assert.equal(byId.Keep?.Replacement, "True");
    assert.deepEqual(
      byId.Keep?.Details.map((d) => [d.Target.Name, d.Target.RequiresRecreation]),
      [
        ["Size", "Never"],
        ["Name", "Always"],
      ],
    );

    await createChangeSet(
      h.engine,
      { StackName: "cs", ChangeSetName: "empty", UsePreviousTemplate: true },
      h.context,
    );
    const empty = await describeChangeSet(h.engine, { ChangeSetName: "empty", StackName: "cs" }, h.context);
    assert.equal(empty.Status, "FAILED");
    assert.equal(empty.ExecutionStatus, "UNAVAILABLE");
    assert.equal(
      empty.StatusReason,
      "The submitted information didn't contain changes. Submit different information to create a change set.",
    );
    await assert.rejects(executeChangeSet(h.engine, { ChangeSetName: "empty", StackName: "cs" }, h.context), {
      code: "InvalidChangeSetStatus",
    });

    await executeChangeSet(h.engine, { ChangeSetName: Id }, h.context);
    await h.engine.settle();
    assert.equal((await stackOf(h, "cs")).StackStatus, "UPDATE_COMPLETE");
    assert.ok(h.things.has("n"));
    assert.equal(
      (await describeChangeSet(h.engine, { ChangeSetName: Id }, h.context)).ExecutionStatus,
      "EXECUTE_COMPLETE",
    );
  });

  it("marks what depends on a replaced resource as a dynamic change caused by it", async () => {
    const h = createHarness();
    const body = (name: string) =>
      template({
        A: { Type: "AWS::Test::Thing", Properties: { Name: name } },
        B: { Type: "AWS::Test::Thing", Properties: { Peer: { Ref: "A" } } },
        // biome-ignore lint/suspicious/noTemplateCurlyInString: Fn::Sub's own ${} syntax
        C: { Type: "AWS::Test::Thing", Properties: { Label: { "Fn::Sub": "${A.Arn}-label" } } },
        // biome-ignore lint/suspicious/noTemplateCurlyInString: Fn::Sub's own ${} syntax
        D: { Type: "AWS::Test::Thing", Properties: { Name: { "Fn::Sub": "${A}-d" } } },
      });
    await create(h, "dyn", body("a1"));
    const { Id } = await createChangeSet(
      h.engine,
      { StackName: "dyn", ChangeSetName: "rename", TemplateBody: body("a2") },
      h.context,
    );
    const { Changes } = await describeChangeSet(h.engine, { ChangeSetName: Id }, h.context);
    const byId = Object.fromEntries(
      Changes.map((c) => [c.ResourceChange.LogicalResourceId, c.ResourceChange]),
    );
    assert.equal(byId.A?.Replacement, "True");
    assert.equal(byId.B?.Replacement, "False");
    assert.deepEqual(byId.B?.Details, [
      {
        Target: { Attribute: "Properties", Name: "Peer", RequiresRecreation: "Never" },
        Evaluation: "Dynamic",
        ChangeSource: "ResourceReference",
        CausingEntity: "A",
      },
    ]);
    assert.equal(byId.C?.Details[0]?.ChangeSource, "ResourceAttribute");
    assert.equal(byId.C?.Details[0]?.CausingEntity, "A.Arn");
    assert.equal(byId.D?.Replacement, "Conditional");
  });

  it("reports a change of the Tags property in the Tags scope", async () => {
    const h = createHarness();
    const body = (value: string) =>
      template({
        A: { Type: "AWS::Test::Thing", Properties: { Size: 1, Tags: [{ Key: "k", Value: value }] } },
      });
    await create(h, "tags", body("1"));
    const { Id } = await createChangeSet(
      h.engine,
      { StackName: "tags", ChangeSetName: "retag", TemplateBody: body("2") },
      h.context,
    );
    const change = (await describeChangeSet(h.engine, { ChangeSetName: Id }, h.context)).Changes[0]
      ?.ResourceChange;
    assert.deepEqual(change?.Scope, ["Tags"]);
    assert.deepEqual(change?.Details, [
      {
        Target: { Attribute: "Tags", RequiresRecreation: "Never" },
        Evaluation: "Static",
        ChangeSource: "DirectModification",
      },
    ]);
  });

  it("shows property values only with IncludePropertyValues", async () => {
    const h = createHarness();
    await create(h, "values", template({ A: { Type: "AWS::Test::Thing", Properties: { Size: 1 } } }));
    const { Id } = await createChangeSet(
      h.engine,
      {
        StackName: "values",
        ChangeSetName: "grow",
        TemplateBody: template({ A: { Type: "AWS::Test::Thing", Properties: { Size: 2 } } }),
      },
      h.context,
    );
    const plain = (await describeChangeSet(h.engine, { ChangeSetName: Id }, h.context)).Changes[0]!
      .ResourceChange;
    assert.equal(plain.BeforeContext, undefined);
    assert.deepEqual(plain.Details[0]?.Target, {
      Attribute: "Properties",
      Name: "Size",
      RequiresRecreation: "Never",
    });
    const detailed = (
      await describeChangeSet(h.engine, { ChangeSetName: Id, IncludePropertyValues: true }, h.context)
    ).Changes[0]!.ResourceChange;
    assert.equal(detailed.BeforeContext, '{"Properties":{"Size":1}}');
    assert.equal(detailed.AfterContext, '{"Properties":{"Size":2}}');
    assert.deepEqual(detailed.Details[0]?.Target, {
      Attribute: "Properties",
      Name: "Size",
      RequiresRecreation: "Never",
      Path: "/Properties/Size",
      BeforeValue: "1",
      AfterValue: "2",
      AttributeChangeType: "Modify",
    });
  });

  it("names the parameter a change comes from", async () => {
    const h = createHarness();
    const body = template(
      { A: { Type: "AWS::Test::Thing", Properties: { Size: { Ref: "Size" } } } },
      { Parameters: { Size: { Type: "String" } } },
    );
    await create(h, "param", body, { Parameters: [{ ParameterKey: "Size", ParameterValue: "1" }] });
    const { Id } = await createChangeSet(
      h.engine,
      {
        StackName: "param",
        ChangeSetName: "bigger",
        UsePreviousTemplate: true,
        Parameters: [{ ParameterKey: "Size", ParameterValue: "2" }],
      },
      h.context,
    );
    const { Changes } = await describeChangeSet(h.engine, { ChangeSetName: Id }, h.context);
    assert.deepEqual(Changes[0]?.ResourceChange.Details, [
      {
        Target: { Attribute: "Properties", Name: "Size", RequiresRecreation: "Never" },
        Evaluation: "Static",
        ChangeSource: "ParameterReference",
        CausingEntity: "Size",
      },
    ]);
  });

  it("creates a stack through a CREATE change set (REVIEW_IN_PROGRESS first)", async () => {
    const h = createHarness();
    await createChangeSet(
      h.engine,
      { StackName: "fresh", ChangeSetName: "first", ChangeSetType: "CREATE", TemplateBody: twoThings },
      h.context,
    );
    assert.equal((await stackOf(h, "fresh")).StackStatus, "REVIEW_IN_PROGRESS");
    await executeChangeSet(h.engine, { StackName: "fresh", ChangeSetName: "first" }, h.context);
    await h.engine.settle();
    assert.equal((await stackOf(h, "fresh")).StackStatus, "CREATE_COMPLETE");
    assert.equal(h.things.size, 2);
  });
});

describe("CloudFormation engine: start-up recovery", () => {
  it("marks a stack left in progress as failed, saying Stratus restarted", async () => {
    const h = createHarness();
    const { StackId } = await create(h, "crash", twoThings);
    // As a crash mid-update leaves it: the stack and one resource in progress.
    const store = h.engine.deps.store;
    const record = (await store.getStack(h.context, StackId))!;
    record.status = "UPDATE_IN_PROGRESS";
    record.resources.First!.status = "UPDATE_IN_PROGRESS";
    await store.putStack(record);
    const after = createHarness(h.storage);
    await after.engine.ready;
    const stack = await stackOf(after, "crash");
    assert.equal(stack.StackStatus, "UPDATE_FAILED");
    assert.equal(stack.StackStatusReason, RESTART_REASON);
    assert.ok(after.engine instanceof CloudFormationEngine);
    const { StackResourceSummaries } = await listStackResources(
      after.engine,
      { StackName: "crash" },
      after.context,
    );
    const first = StackResourceSummaries.find((r) => r.LogicalResourceId === "First");
    assert.equal(first?.ResourceStatus, "UPDATE_FAILED");
    assert.equal(first?.ResourceStatusReason, RESTART_REASON);
  });
});
