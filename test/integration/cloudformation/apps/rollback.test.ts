/**
 * Proof 6: failures roll back cleanly. A create whose resource the service refuses midway (a function
 * whose Role is not an ARN; a table whose KeySchema names an undefined attribute), after other
 * resources were made, ends ROLLBACK_COMPLETE with the reason in its events and the earlier resources
 * deleted; a ROLLBACK_COMPLETE stack can only be deleted. An update that fails after changing a
 * function ends UPDATE_ROLLBACK_COMPLETE with the previous code and parameters back in place.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  CreateStackCommand,
  DeleteStackCommand,
  DescribeStacksCommand,
  UpdateStackCommand,
  waitUntilStackDeleteComplete,
} from "@aws-sdk/client-cloudformation";
import { DescribeLogGroupsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { DescribeTableCommand, ListTablesCommand } from "@aws-sdk/client-dynamodb";
import { InvokeCommand } from "@aws-sdk/client-lambda";
import { useStratus } from "../../../support/stratus.ts";
import {
  CAPABILITIES,
  createStack,
  fixture,
  latestOperationEvents,
  parametersOf,
  settledStatus,
  stackResources,
  WAIT,
} from "./app-helpers.ts";

describe("CloudFormation apps: failures roll back", () => {
  const stratus = useStratus({ inMemory: true });

  /** Creates rollback-create.yaml with the given failure; the events of that create, oldest first. */
  async function failCreate(stackName: string, failure: "FunctionRole" | "TableKeySchema") {
    const cfn = stratus.cloudformation();
    await cfn.send(
      new CreateStackCommand({
        StackName: stackName,
        TemplateBody: await fixture("rollback-create.yaml"),
        Parameters: parametersOf({ Failure: failure }),
        Capabilities: [...CAPABILITIES],
      }),
    );
    assert.equal(await settledStatus(cfn, stackName), "ROLLBACK_COMPLETE");
    return latestOperationEvents(cfn, stackName);
  }

  /** The resources made before the failure were made, then deleted by the rollback, and are gone. */
  async function assertEarlierResourcesRolledBack(
    stackName: string,
    events: Awaited<ReturnType<typeof failCreate>>,
  ) {
    const statusesOf = (id: string) =>
      events.filter((e) => e.LogicalResourceId === id).map((e) => e.ResourceStatus);
    for (const id of ["Ledger", "AppLogs"]) {
      const statuses = statusesOf(id);
      assert.ok(statuses.includes("CREATE_COMPLETE"), `${id} was created: ${statuses.join(", ")}`);
      assert.equal(statuses.at(-1), "DELETE_COMPLETE", `${id} was deleted by the rollback`);
    }
    const ledger = events.find(
      (e) => e.LogicalResourceId === "Ledger" && e.ResourceStatus === "CREATE_COMPLETE",
    );
    await assert.rejects(
      stratus.dynamodb().send(new DescribeTableCommand({ TableName: ledger?.PhysicalResourceId })),
      { name: "ResourceNotFoundException" },
    );
    const { logGroups = [] } = await stratus
      .logs()
      .send(new DescribeLogGroupsCommand({ logGroupNamePrefix: `/stratus-tests/${stackName}` }));
    assert.deepEqual(logGroups, []);

    const stackEvents = events.filter((e) => e.ResourceType === "AWS::CloudFormation::Stack");
    assert.deepEqual(
      stackEvents.map((e) => e.ResourceStatus),
      ["CREATE_IN_PROGRESS", "ROLLBACK_IN_PROGRESS", "ROLLBACK_COMPLETE"],
    );
    return stackEvents[1]?.ResourceStatusReason;
  }

  it("rolls back a create whose function has a Role that is not an ARN", async () => {
    const events = await failCreate("bad-role-app", "FunctionRole");
    const failed = events.find((e) => e.ResourceStatus === "CREATE_FAILED");
    assert.equal(failed?.LogicalResourceId, "BrokenFunction");
    const rollbackReason = await assertEarlierResourcesRolledBack("bad-role-app", events);
    assert.equal(
      rollbackReason,
      "The following resource(s) failed to create: [BrokenFunction]. Rollback requested by user.",
    );
    // CloudFormation checks the properties against the type's schema (Role's ARN pattern) before
    // the handler calls Lambda, and says so in its own words.
    assert.match(
      failed?.ResourceStatusReason ?? "",
      /^Properties validation failed for resource BrokenFunction with message: \[?#\/Role: failed validation constraint for keyword \[pattern\]\]?$/,
    );
  });

  it("rolls back a create whose table's KeySchema names an undefined attribute", async () => {
    const events = await failCreate("bad-table-app", "TableKeySchema");
    const failed = events.find((e) => e.ResourceStatus === "CREATE_FAILED");
    assert.equal(failed?.LogicalResourceId, "BrokenTable");
    // DynamoDB's own refusal, in CloudFormation's resource-handler wording.
    assert.match(
      failed?.ResourceStatusReason ?? "",
      /^Resource handler returned message: "Invalid KeySchema: Some index key attribute have no definition( \(Service: DynamoDb, Status Code: 400, Request ID: [^)]*\))?" \(RequestToken: [-0-9a-f]+, HandlerErrorCode: InvalidRequest\)$/,
    );
    const rollbackReason = await assertEarlierResourcesRolledBack("bad-table-app", events);
    assert.equal(
      rollbackReason,
      "The following resource(s) failed to create: [BrokenTable]. Rollback requested by user.",
    );
    const { TableNames = [] } = await stratus.dynamodb().send(new ListTablesCommand({}));
    assert.deepEqual(
      TableNames.filter((name) => name.startsWith("bad-table-app-")),
      [],
    );
  });

  it("refuses to update a ROLLBACK_COMPLETE stack, and deletes it", async () => {
    const cfn = stratus.cloudformation();
    await assert.rejects(
      cfn.send(
        new UpdateStackCommand({
          StackName: "bad-role-app",
          UsePreviousTemplate: true,
          Parameters: [{ ParameterKey: "Failure", UsePreviousValue: true }],
        }),
      ),
      {
        name: "ValidationError",
        message:
          /^Stack:arn:aws:cloudformation:us-east-1:\d{12}:stack\/bad-role-app\/[-0-9a-f]+ is in ROLLBACK_COMPLETE state and can not be updated\.$/,
      },
    );
    for (const stackName of ["bad-role-app", "bad-table-app"]) {
      await cfn.send(new DeleteStackCommand({ StackName: stackName }));
      await waitUntilStackDeleteComplete({ client: cfn, ...WAIT }, { StackName: stackName });
    }
  });

  it("rolls back an update that fails after changing a function: the old code still answers", async () => {
    const cfn = stratus.cloudformation();
    const template = await fixture("rollback-update.yaml");
    const outputs = await createStack(cfn, "greeter-app", template, { Greeting: "hello v1" });
    const invoke = async () => {
      const { Payload, FunctionError } = await stratus
        .lambda()
        .send(new InvokeCommand({ FunctionName: outputs.FunctionName }));
      assert.equal(FunctionError, undefined);
      return JSON.parse(new TextDecoder().decode(Payload)) as unknown;
    };
    assert.deepEqual(await invoke(), { greeting: "hello v1" });
    const physicalBefore = await stackResources(cfn, "greeter-app");

    await cfn.send(
      new UpdateStackCommand({
        StackName: "greeter-app",
        TemplateBody: template,
        Parameters: parametersOf({ Greeting: "hello v2", WithBrokenTable: "true" }),
        Capabilities: [...CAPABILITIES],
      }),
    );
    assert.equal(await settledStatus(cfn, "greeter-app"), "UPDATE_ROLLBACK_COMPLETE");

    const events = await latestOperationEvents(cfn, "greeter-app");
    const stackStatuses = events
      .filter((e) => e.ResourceType === "AWS::CloudFormation::Stack")
      .map((e) => e.ResourceStatus);
    assert.deepEqual(stackStatuses, [
      "UPDATE_IN_PROGRESS",
      "UPDATE_ROLLBACK_IN_PROGRESS",
      "UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS",
      "UPDATE_ROLLBACK_COMPLETE",
    ]);
    const rollingBack = events.find((e) => e.ResourceStatus === "UPDATE_ROLLBACK_IN_PROGRESS");
    assert.equal(
      rollingBack?.ResourceStatusReason,
      "The following resource(s) failed to create: [BrokenTable]. ",
    );
    const greeter = events.filter((e) => e.LogicalResourceId === "Greeter").map((e) => e.ResourceStatus);
    // Updated to v2, then back to v1 by the rollback.
    assert.deepEqual(greeter, [
      "UPDATE_IN_PROGRESS",
      "UPDATE_COMPLETE",
      "UPDATE_IN_PROGRESS",
      "UPDATE_COMPLETE",
    ]);
    const broken = events.filter((e) => e.LogicalResourceId === "BrokenTable").map((e) => e.ResourceStatus);
    assert.equal(broken[0], "CREATE_IN_PROGRESS");
    assert.ok(broken.includes("CREATE_FAILED"), broken.join(", "));
    assert.equal(
      events.some((e) => e.LogicalResourceId === "Visits" || e.LogicalResourceId === "GreeterRole"),
      false,
      "untouched resources have no events",
    );

    assert.deepEqual(await invoke(), { greeting: "hello v1" });
    const { Stacks = [] } = await cfn.send(new DescribeStacksCommand({ StackName: "greeter-app" }));
    const parameters = Object.fromEntries(
      (Stacks[0]?.Parameters ?? []).map((p) => [p.ParameterKey, p.ParameterValue]),
    );
    assert.deepEqual(parameters, { Greeting: "hello v1", WithBrokenTable: "false" });
    const resources = await stackResources(cfn, "greeter-app");
    assert.deepEqual(Object.keys(resources).sort(), ["Greeter", "GreeterRole", "Visits"]);
    for (const id of Object.keys(resources)) {
      assert.equal(resources[id]?.PhysicalResourceId, physicalBefore[id]?.PhysicalResourceId, id);
      assert.match(String(resources[id]?.ResourceStatus), /^(CREATE|UPDATE)_COMPLETE$/, id);
    }

    await cfn.send(new DeleteStackCommand({ StackName: "greeter-app" }));
    await waitUntilStackDeleteComplete({ client: cfn, ...WAIT }, { StackName: "greeter-app" });
  });
});
