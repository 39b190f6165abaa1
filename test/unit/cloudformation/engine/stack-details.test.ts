/**
 * Engine details: event pages, RetainResources after a failed delete, exports another stack imports,
 * client request tokens, bounded parallel creation, template URLs.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { runGraph } from "../../../../src/services/cloudformation/engine/graph-runner.ts";
import { s3Location } from "../../../../src/services/cloudformation/engine/template-source.ts";
import {
  createChangeSet,
  describeChangeSet,
} from "../../../../src/services/cloudformation/operations/change-sets.ts";
import {
  describeStackEvents,
  describeStackResource,
  describeStackResources,
  describeStacks,
  getTemplate,
} from "../../../../src/services/cloudformation/operations/reads.ts";
import {
  createStack,
  deleteStack,
  updateStack,
} from "../../../../src/services/cloudformation/operations/stacks.ts";
import { createHarness, type Harness, template } from "./harness.ts";

async function statusOf(h: Harness, name: string) {
  return (await describeStacks(h.engine, { StackName: name }, h.context)).Stacks[0]!;
}

describe("CloudFormation engine details", () => {
  it("pages stack events newest first with NextToken", async () => {
    const h = createHarness();
    const resources = Object.fromEntries(
      Array.from({ length: 40 }, (_, i) => [`R${i}`, { Type: "AWS::Test::Thing" }]),
    );
    await createStack(h.engine, { StackName: "many", TemplateBody: template(resources) }, h.context);
    await h.engine.settle();
    const first = await describeStackEvents(h.engine, { StackName: "many" }, h.context);
    assert.equal(first.StackEvents.length, 100);
    assert.ok(first.NextToken);
    const second = await describeStackEvents(
      h.engine,
      { StackName: "many", NextToken: first.NextToken },
      h.context,
    );
    // 40 resources × 3 events, and the stack's two.
    assert.equal(first.StackEvents.length + second.StackEvents.length, 122);
    assert.equal(second.NextToken, undefined);
    const all = [...first.StackEvents, ...second.StackEvents];
    const times = all.map((e) => e.Timestamp.getTime());
    assert.deepEqual(
      times,
      [...times].sort((a, b) => b - a),
    );
    await assert.rejects(
      describeStackEvents(h.engine, { StackName: "many", NextToken: "garbage" }, h.context),
      {
        message: "Invalid NextToken",
      },
    );
  });

  it("ends in DELETE_FAILED when a resource will not go, and deletes with RetainResources", async () => {
    const h = createHarness();
    await createStack(
      h.engine,
      {
        StackName: "sticky",
        TemplateBody: template({
          Stuck: { Type: "AWS::Test::Thing", Properties: { FailDelete: true } },
          Free: { Type: "AWS::Test::Thing" },
        }),
      },
      h.context,
    );
    await h.engine.settle();
    await assert.rejects(
      deleteStack(h.engine, { StackName: "sticky", RetainResources: ["Stuck"] }, h.context),
      {
        code: "ValidationError",
      },
    );
    await deleteStack(h.engine, { StackName: "sticky" }, h.context);
    await h.engine.settle();
    const failed = await statusOf(h, "sticky");
    assert.equal(failed.StackStatus, "DELETE_FAILED");
    assert.equal(failed.StackStatusReason, "The following resource(s) failed to delete: [Stuck]. ");
    await deleteStack(h.engine, { StackName: "sticky", RetainResources: ["Stuck"] }, h.context);
    await h.engine.settle();
    assert.equal((await statusOf(h, failed.StackId)).StackStatus, "DELETE_COMPLETE");
    assert.equal(h.things.size, 1);
    const events = (await describeStackEvents(h.engine, { StackName: failed.StackId }, h.context))
      .StackEvents;
    assert.equal(events.find((e) => e.LogicalResourceId === "Stuck")?.ResourceStatus, "DELETE_SKIPPED");
  });

  it("rolls back an update that would remove an export another stack imports", async () => {
    const h = createHarness();
    const exporting = template(
      { A: { Type: "AWS::Test::Thing" } },
      { Outputs: { Out: { Value: { Ref: "A" }, Export: { Name: "shared" } } } },
    );
    await createStack(h.engine, { StackName: "producer", TemplateBody: exporting }, h.context);
    await h.engine.settle();
    await createStack(
      h.engine,
      {
        StackName: "consumer",
        TemplateBody: template({
          B: { Type: "AWS::Test::Thing", Properties: { In: { "Fn::ImportValue": "shared" } } },
        }),
      },
      h.context,
    );
    await h.engine.settle();
    assert.equal([...h.things.values()].find((p) => p.In !== undefined)?.In, "producer-A-1");
    await updateStack(
      h.engine,
      { StackName: "producer", TemplateBody: template({ A: { Type: "AWS::Test::Thing" } }) },
      h.context,
    );
    await h.engine.settle();
    const stack = await statusOf(h, "producer");
    assert.equal(stack.StackStatus, "UPDATE_ROLLBACK_COMPLETE");
    assert.equal(stack.Outputs[0]?.ExportName, "shared");
    const events = (await describeStackEvents(h.engine, { StackName: "producer" }, h.context)).StackEvents;
    assert.equal(
      events.find((e) => e.ResourceStatus === "UPDATE_ROLLBACK_IN_PROGRESS")?.ResourceStatusReason,
      "Export shared cannot be deleted as it is in use by consumer",
    );
    await assert.rejects(
      createStack(
        h.engine,
        {
          StackName: "orphan",
          TemplateBody: template({
            C: { Type: "AWS::Test::Thing", Properties: { In: { "Fn::ImportValue": "nobody" } } },
          }),
        },
        h.context,
      ),
      { code: "ValidationError", message: "No export named nobody found." },
    );
    // A second stack may not take the same export name.
    await createStack(h.engine, { StackName: "copycat", TemplateBody: exporting }, h.context);
    await h.engine.settle();
    const copycat = await statusOf(h, "copycat");
    assert.equal(copycat.StackStatus, "ROLLBACK_COMPLETE");
    assert.equal(
      copycat.StackStatusReason,
      "Export with name shared is already exported by stack producer. Rollback requested by user.",
    );
  });

  it("answers a retried request with the same token as the first, and refuses the token for another operation", async () => {
    const h = createHarness();
    const body = template({ A: { Type: "AWS::Test::Thing" } });
    const first = await createStack(
      h.engine,
      { StackName: "tok", TemplateBody: body, ClientRequestToken: "t-1" },
      h.context,
    );
    const retried = await createStack(
      h.engine,
      { StackName: "tok", TemplateBody: body, ClientRequestToken: "t-1" },
      h.context,
    );
    assert.equal(retried.StackId, first.StackId);
    await h.engine.settle();
    await assert.rejects(
      updateStack(h.engine, { StackName: "tok", TemplateBody: body, ClientRequestToken: "t-1" }, h.context),
      {
        code: "TokenAlreadyExistsException",
      },
    );
    const events = (await describeStackEvents(h.engine, { StackName: "tok" }, h.context)).StackEvents;
    assert.ok(events.every((e) => e.ClientRequestToken === "t-1"));
  });

  it("deletes everything with OnFailure DELETE, honouring deletion policies", async () => {
    const h = createHarness();
    const { StackId } = await createStack(
      h.engine,
      {
        StackName: "ondelete",
        OnFailure: "DELETE",
        TemplateBody: template({
          Kept: { Type: "AWS::Test::Thing", DeletionPolicy: "Retain", Properties: { Name: "kept" } },
          Undone: {
            Type: "AWS::Test::Thing",
            DeletionPolicy: "RetainExceptOnCreate",
            Properties: { Name: "undone" },
          },
          Bad: { Type: "AWS::Test::Thing", DependsOn: ["Kept", "Undone"], Properties: { Fail: true } },
        }),
      },
      h.context,
    );
    await h.engine.settle();
    const stack = await statusOf(h, StackId);
    assert.equal(stack.StackStatus, "DELETE_COMPLETE");
    assert.deepEqual([...h.things.keys()], ["kept"]);
    await assert.rejects(statusOf(h, "ondelete"), { message: "Stack with id ondelete does not exist" });
  });

  it("keeps the old resource of a replacement with UpdateReplacePolicy Retain, and shows the stack's tags", async () => {
    const h = createHarness();
    const named = (name: string) =>
      template({
        R: { Type: "AWS::Test::Thing", UpdateReplacePolicy: "Retain", Properties: { Name: name } },
      });
    const tags = [{ Key: "team", Value: "core" }];
    await createStack(h.engine, { StackName: "urp", TemplateBody: named("first"), Tags: tags }, h.context);
    await h.engine.settle();
    await updateStack(h.engine, { StackName: "urp", TemplateBody: named("second") }, h.context);
    await h.engine.settle();
    const stack = await statusOf(h, "urp");
    assert.equal(stack.StackStatus, "UPDATE_COMPLETE");
    assert.deepEqual(stack.Tags, tags);
    assert.deepEqual([...h.things.keys()].sort(), ["first", "second"]);
    const events = (await describeStackEvents(h.engine, { StackName: "urp" }, h.context)).StackEvents;
    assert.ok(events.some((e) => e.PhysicalResourceId === "first" && e.ResourceStatus === "DELETE_SKIPPED"));
  });

  it("finds resources by physical id and templates by change set", async () => {
    const h = createHarness();
    const body = template({ A: { Type: "AWS::Test::Thing", Properties: { Name: "phys-a" } } });
    await createStack(h.engine, { StackName: "reads", TemplateBody: body }, h.context);
    await h.engine.settle();
    const { StackResources } = await describeStackResources(
      h.engine,
      { PhysicalResourceId: "phys-a" },
      h.context,
    );
    assert.deepEqual(
      StackResources.map((r) => [r.StackName, r.LogicalResourceId, r.ResourceStatus]),
      [["reads", "A", "CREATE_COMPLETE"]],
    );
    await assert.rejects(
      describeStackResource(h.engine, { StackName: "reads", LogicalResourceId: "B" }, h.context),
      {
        message: "Resource B does not exist for stack reads",
      },
    );
    const next = template({ A: { Type: "AWS::Test::Thing", Properties: { Name: "phys-b" } } });
    await createChangeSet(
      h.engine,
      { StackName: "reads", ChangeSetName: "next", TemplateBody: next },
      h.context,
    );
    const planned = await getTemplate(h.engine, { StackName: "reads", ChangeSetName: "next" }, h.context);
    assert.equal(planned.TemplateBody, next);
    const current = await getTemplate(
      h.engine,
      { StackName: "reads", TemplateStage: "Processed" },
      h.context,
    );
    assert.equal(current.TemplateBody, body);
  });

  it("masks NoEcho parameter values in the properties events show", async () => {
    const h = createHarness();
    const body = template(
      {
        A: {
          Type: "AWS::Test::Thing",
          // biome-ignore lint/suspicious/noTemplateCurlyInString: Fn::Sub's own ${} syntax
          Properties: { Password: { Ref: "Secret" }, Url: { "Fn::Sub": "db://u:${Secret}@host" } },
        },
      },
      { Parameters: { Secret: { Type: "String", NoEcho: true } } },
    );
    await createStack(
      h.engine,
      {
        StackName: "secret",
        TemplateBody: body,
        Parameters: [{ ParameterKey: "Secret", ParameterValue: "s3cr3t" }],
      },
      h.context,
    );
    await h.engine.settle();
    const events = (await describeStackEvents(h.engine, { StackName: "secret" }, h.context)).StackEvents;
    const shown = events.find((e) => e.LogicalResourceId === "A" && e.ResourceProperties !== undefined);
    assert.deepEqual(JSON.parse(shown?.ResourceProperties ?? "{}"), {
      Password: "****",
      Url: "db://u:****@host",
    });
    assert.deepEqual([...h.things.values()], [{ Password: "s3cr3t", Url: "db://u:s3cr3t@host" }]);
    const stack = (await describeStacks(h.engine, { StackName: "secret" }, h.context)).Stacks[0];
    assert.deepEqual(stack?.Parameters, [{ ParameterKey: "Secret", ParameterValue: "****" }]);
    const { Id } = await createChangeSet(
      h.engine,
      {
        StackName: "secret",
        ChangeSetName: "rotate",
        UsePreviousTemplate: true,
        Parameters: [{ ParameterKey: "Secret", ParameterValue: "n3w-s3cr3t" }],
      },
      h.context,
    );
    const plan = await describeChangeSet(
      h.engine,
      { ChangeSetName: Id, IncludePropertyValues: true },
      h.context,
    );
    const text = JSON.stringify(plan.Changes);
    assert.ok(!text.includes("s3cr3t"), text);
    assert.equal(plan.Changes[0]?.ResourceChange.Details[0]?.Target.AfterValue, "****");
  });

  it("runs independent tasks side by side, never more than the bound, dependents after", async () => {
    let running = 0;
    let most = 0;
    const order: string[] = [];
    const nodes = ["a", "b", "c", "d", "e", "last"];
    const result = await runGraph(
      nodes,
      (node) => (node === "last" ? ["a", "b", "c", "d", "e"] : []),
      async (node) => {
        running++;
        most = Math.max(most, running);
        await new Promise((resolve) => setTimeout(resolve, 5));
        running--;
        order.push(node);
        return true;
      },
      2,
    );
    assert.equal(most, 2);
    assert.equal(order.at(-1), "last");
    assert.deepEqual(result.failed, []);
  });

  it("reads the bucket and key of every S3 URL form", () => {
    assert.deepEqual(s3Location("http://127.0.0.1:4566/bucket/dir/t.yaml"), {
      bucket: "bucket",
      key: "dir/t.yaml",
    });
    assert.deepEqual(s3Location("https://bucket.s3.amazonaws.com/t.json"), {
      bucket: "bucket",
      key: "t.json",
    });
    assert.deepEqual(s3Location("https://my.bucket.s3.eu-west-1.amazonaws.com/a/b"), {
      bucket: "my.bucket",
      key: "a/b",
    });
    assert.deepEqual(s3Location("https://s3.amazonaws.com/bucket/t.json"), {
      bucket: "bucket",
      key: "t.json",
    });
    assert.deepEqual(s3Location("https://s3.us-west-2.amazonaws.com/bucket/t.json"), {
      bucket: "bucket",
      key: "t.json",
    });
    assert.equal(s3Location("https://s3.amazonaws.com/bucket-only"), undefined);
    assert.equal(s3Location("ftp://host/bucket/key"), undefined);
    assert.equal(s3Location("not a url"), undefined);
  });
});
