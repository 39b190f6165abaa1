/**
 * The order of CloudFormation calls `stratus deploy` and `stratus destroy`'s building blocks make, on
 * a scripted CloudFormation (no server): CREATE vs UPDATE change sets and what they carry, an empty
 * change set is "No changes", events are printed once each in the order they happened, and a
 * rolled-back stack is a failure naming the first failed resource.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as cloudformation from "@aws-sdk/client-cloudformation";
import * as lambda from "@aws-sdk/client-lambda";
import * as s3 from "@aws-sdk/client-s3";
import * as sts from "@aws-sdk/client-sts";
import type { DeployClients } from "../../../src/cli/deploy/clients.ts";
import { CAPABILITIES, changeSetType, deployStack } from "../../../src/cli/deploy/deploy-stack.ts";
import { followStack, snapshotEvents } from "../../../src/cli/deploy/stack-events.ts";

interface ScriptedEvent {
  status: string;
  type: string;
  logicalId: string;
  reason?: string;
}

const STACK_ID = "arn:aws:cloudformation:us-east-1:000000000000:stack/hello/1111";

/**
 * A CloudFormation that answers from a script: `existing` is the stack's status before (undefined: no
 * stack), `changeSet` the change set's fate, `run` the statuses and events the execution goes through,
 * one step per DescribeStacks.
 */
function scriptedCloudFormation(script: {
  existing?: string;
  changeSet: { status: "CREATE_COMPLETE" | "FAILED"; reason?: string };
  run: { status: string; events: ScriptedEvent[] }[];
  outputs?: cloudformation.Output[];
}) {
  const calls: { name: string; input: Record<string, unknown> }[] = [];
  let status = script.existing;
  let step = -1;
  let executed = false;
  let clock = Date.parse("2026-11-24T12:00:00Z");
  const events: cloudformation.StackEvent[] = [];
  const addEvent = (event: ScriptedEvent) => {
    clock += 10;
    events.unshift({
      StackId: STACK_ID,
      StackName: "hello",
      EventId: `e${events.length}`,
      ResourceStatus: event.status as cloudformation.ResourceStatus,
      ResourceType: event.type,
      LogicalResourceId: event.logicalId,
      ResourceStatusReason: event.reason,
      Timestamp: new Date(clock),
    });
  };
  if (status !== undefined) addEvent({ status, type: "AWS::CloudFormation::Stack", logicalId: "hello" });
  const client = {
    async send(command: { constructor: { name: string }; input: Record<string, unknown> }) {
      const name = command.constructor.name.replace(/Command$/, "");
      calls.push({ name, input: command.input });
      switch (name) {
        case "DescribeStacks": {
          if (status === undefined) {
            throw Object.assign(new Error(`Stack with id ${command.input.StackName} does not exist`), {
              name: "ValidationError",
            });
          }
          if (executed && step < script.run.length - 1) {
            step += 1;
            const next = script.run[step] as { status: string; events: ScriptedEvent[] };
            status = next.status;
            for (const event of next.events) addEvent(event);
          }
          return {
            Stacks: [{ StackId: STACK_ID, StackName: "hello", StackStatus: status, Outputs: script.outputs }],
          };
        }
        case "CreateChangeSet":
          if (status === undefined) status = "REVIEW_IN_PROGRESS";
          return { Id: "arn:aws:cloudformation:us-east-1:000000000000:changeSet/cs/2222", StackId: STACK_ID };
        case "DescribeChangeSet":
          return {
            Status: script.changeSet.status,
            StatusReason: script.changeSet.reason,
            Changes:
              script.changeSet.status === "FAILED"
                ? []
                : [
                    {
                      Type: "Resource",
                      ResourceChange: {
                        Action: "Add",
                        LogicalResourceId: "Table",
                        ResourceType: "AWS::DynamoDB::Table",
                      },
                    },
                  ],
          };
        case "ExecuteChangeSet":
          executed = true;
          return {};
        case "DeleteStack":
          executed = true;
          return {};
        case "DescribeStackEvents":
          return { StackEvents: [...events] };
        case "DescribeStackResources":
          return { StackResources: [] };
        default:
          throw new Error(`unexpected ${name}`);
      }
    },
  };
  const clients = {
    sdk: { cloudformation, lambda, s3, sts },
    cloudformation: client,
    lambda: client,
    s3: client,
    sts: client,
    destroy() {},
  } as unknown as DeployClients;
  return { clients, calls };
}

function request(print: (text: string) => void) {
  return {
    stackName: "hello",
    template: { Resources: { Table: { Type: "AWS::DynamoDB::Table" } } },
    parameters: [{ ParameterKey: "Stage", ParameterValue: "dev" }],
    endpoint: "http://127.0.0.1:4566",
    region: "us-east-1",
    width: 100,
    print,
  };
}

describe("stratus deploy: the CloudFormation calls", () => {
  it("creates a CREATE change set for a new stack, executes it and prints each event once, in order", async () => {
    const { clients, calls } = scriptedCloudFormation({
      changeSet: { status: "CREATE_COMPLETE" },
      run: [
        {
          status: "CREATE_IN_PROGRESS",
          events: [
            {
              status: "CREATE_IN_PROGRESS",
              type: "AWS::CloudFormation::Stack",
              logicalId: "hello",
              reason: "User Initiated",
            },
          ],
        },
        {
          status: "CREATE_IN_PROGRESS",
          events: [{ status: "CREATE_IN_PROGRESS", type: "AWS::DynamoDB::Table", logicalId: "Table" }],
        },
        {
          status: "CREATE_COMPLETE",
          events: [
            { status: "CREATE_COMPLETE", type: "AWS::DynamoDB::Table", logicalId: "Table" },
            { status: "CREATE_COMPLETE", type: "AWS::CloudFormation::Stack", logicalId: "hello" },
          ],
        },
      ],
      outputs: [{ OutputKey: "TableName", OutputValue: "hello-Table-X" }],
    });
    let out = "";
    const outcome = await deployStack(
      clients,
      request((text) => (out += text)),
    );
    assert.deepEqual(outcome, { kind: "deployed", stackId: STACK_ID });
    const create = calls.find((c) => c.name === "CreateChangeSet")?.input ?? {};
    assert.equal(create.ChangeSetType, "CREATE");
    assert.equal(create.StackName, "hello");
    assert.deepEqual(create.Capabilities, [...CAPABILITIES]);
    assert.deepEqual(create.Parameters, [{ ParameterKey: "Stage", ParameterValue: "dev" }]);
    assert.deepEqual(JSON.parse(String(create.TemplateBody)), {
      Resources: { Table: { Type: "AWS::DynamoDB::Table" } },
    });
    assert.match(String(create.ChangeSetName), /^stratus-deploy\d+$/);
    assert.ok(
      calls.findIndex((c) => c.name === "ExecuteChangeSet") >
        calls.findIndex((c) => c.name === "DescribeChangeSet"),
    );

    const rows = out.split("\n").filter((line) => /^(CREATE|UPDATE|DELETE|ROLLBACK)_/.test(line));
    assert.deepEqual(
      rows.map((row) => row.split(/ +/).slice(0, 3).join(" ")),
      [
        "CREATE_IN_PROGRESS AWS::CloudFormation::Stack hello",
        "CREATE_IN_PROGRESS AWS::DynamoDB::Table Table",
        "CREATE_COMPLETE AWS::DynamoDB::Table Table",
        "CREATE_COMPLETE AWS::CloudFormation::Stack hello",
      ],
    );
    assert.match(out, /^\+ Add +Table +AWS::DynamoDB::Table$/m);
    assert.match(out, /^Value {15}hello-Table-X$/m);
    assert.match(out, /Successfully created\/updated stack - hello in us-east-1/);
  });

  it("sends a template larger than TemplateBody allows through S3, as TemplateURL", async () => {
    const { clients, calls } = scriptedCloudFormation({
      existing: "UPDATE_COMPLETE",
      changeSet: { status: "FAILED", reason: "No updates are to be performed." },
      run: [],
    });
    const stored: string[] = [];
    const big = { ...request(() => {}), template: { Description: "x".repeat(60_000), Resources: {} } };
    const small = { ...request(() => {}) };
    const templateUrlFor = async (body: string) => {
      stored.push(body);
      return "http://127.0.0.1:4566/stratus-deploy-000000000000-us-east-1/abc.template";
    };
    await deployStack(clients, { ...big, templateUrlFor });
    await deployStack(clients, { ...small, templateUrlFor });
    const [first, second] = calls.filter((c) => c.name === "CreateChangeSet").map((c) => c.input);
    assert.equal(
      first?.TemplateURL,
      "http://127.0.0.1:4566/stratus-deploy-000000000000-us-east-1/abc.template",
    );
    assert.equal(first?.TemplateBody, undefined);
    assert.deepEqual(JSON.parse(stored[0] ?? ""), big.template);
    assert.equal(stored.length, 1);
    assert.equal(second?.TemplateURL, undefined);
    assert.equal(typeof second?.TemplateBody, "string");
  });

  it("uses UPDATE for an existing stack, CREATE for one only in REVIEW_IN_PROGRESS", async () => {
    assert.equal(
      await changeSetType(
        scriptedCloudFormation({ existing: "CREATE_COMPLETE", changeSet: { status: "FAILED" }, run: [] })
          .clients,
        "hello",
      ),
      "UPDATE",
    );
    assert.equal(
      await changeSetType(
        scriptedCloudFormation({ existing: "REVIEW_IN_PROGRESS", changeSet: { status: "FAILED" }, run: [] })
          .clients,
        "hello",
      ),
      "CREATE",
    );
    assert.equal(
      await changeSetType(
        scriptedCloudFormation({ changeSet: { status: "FAILED" }, run: [] }).clients,
        "hello",
      ),
      "CREATE",
    );
  });

  it("reports an empty change set as 'No changes to deploy' and does not execute it", async () => {
    const { clients, calls } = scriptedCloudFormation({
      existing: "UPDATE_COMPLETE",
      changeSet: {
        status: "FAILED",
        reason:
          "The submitted information didn't contain changes. Submit different information to create a change set.",
      },
      run: [],
    });
    let out = "";
    const outcome = await deployStack(
      clients,
      request((text) => (out += text)),
    );
    assert.equal(outcome.kind, "no-changes");
    assert.match(out, /No changes to deploy\. Stack hello is up to date/);
    assert.equal(
      calls.some((c) => c.name === "ExecuteChangeSet"),
      false,
    );
  });

  it("fails on a change set CloudFormation refused, with its reason", async () => {
    const { clients } = scriptedCloudFormation({
      changeSet: {
        status: "FAILED",
        reason: "Template format error: Unrecognized resource types: [AWS::Nope]",
      },
      run: [],
    });
    const outcome = await deployStack(
      clients,
      request(() => {}),
    );
    assert.deepEqual(outcome, {
      kind: "failed",
      message:
        "Failed to create changeset for the stack: hello, Status: FAILED. Reason: Template format error: Unrecognized resource types: [AWS::Nope]",
    });
  });

  it("fails on a rollback, naming the first resource that failed", async () => {
    const { clients } = scriptedCloudFormation({
      changeSet: { status: "CREATE_COMPLETE" },
      run: [
        {
          status: "CREATE_IN_PROGRESS",
          events: [
            {
              status: "CREATE_FAILED",
              type: "AWS::DynamoDB::Table",
              logicalId: "Table",
              reason: "Bad key schema",
            },
          ],
        },
        {
          status: "ROLLBACK_IN_PROGRESS",
          events: [{ status: "DELETE_COMPLETE", type: "AWS::DynamoDB::Table", logicalId: "Table" }],
        },
        {
          status: "ROLLBACK_COMPLETE",
          events: [{ status: "ROLLBACK_COMPLETE", type: "AWS::CloudFormation::Stack", logicalId: "hello" }],
        },
      ],
    });
    let out = "";
    const outcome = await deployStack(
      clients,
      request((text) => (out += text)),
    );
    assert.deepEqual(outcome, {
      kind: "failed",
      message:
        "Failed to create/update the stack: hello, stack status ROLLBACK_COMPLETE (Table: Bad key schema)",
    });
    assert.match(out, /^CREATE_FAILED +AWS::DynamoDB::Table +Table +Bad key schema$/m);
    assert.doesNotMatch(out, /Successfully/);
  });

  it("follows a deleted stack by its id, taking 'does not exist' as DELETE_COMPLETE, without old events", async () => {
    const { clients, calls } = scriptedCloudFormation({
      existing: "CREATE_COMPLETE",
      changeSet: { status: "FAILED" },
      run: [
        {
          status: "DELETE_IN_PROGRESS",
          events: [{ status: "DELETE_IN_PROGRESS", type: "AWS::CloudFormation::Stack", logicalId: "hello" }],
        },
      ],
    });
    const cf = clients.sdk.cloudformation;
    const cursor = await snapshotEvents(clients.cloudformation, cf, STACK_ID);
    assert.equal(cursor.seen.size, 1);
    await clients.cloudformation.send(new cf.DeleteStackCommand({ StackName: STACK_ID }));
    let out = "";
    let polls = 0;
    const original = clients.cloudformation.send.bind(clients.cloudformation);
    // After two polls the stack is gone: DescribeStacks answers "does not exist".
    (clients.cloudformation as unknown as { send: typeof original }).send = (async (
      command: cloudformation.DescribeStacksCommand,
    ) => {
      if (command.constructor.name === "DescribeStacksCommand" && ++polls > 2) {
        throw Object.assign(new Error(`Stack with id ${STACK_ID} does not exist`), {
          name: "ValidationError",
        });
      }
      return original(command as never);
    }) as typeof original;
    const result = await followStack({
      cfn: clients.cloudformation,
      sdk: cf,
      stackId: STACK_ID,
      cursor,
      width: 100,
      print: (text) => (out += text),
      deadlineMs: Date.now() + 10_000,
      statusWhenGone: "DELETE_COMPLETE",
    });
    assert.equal(result.status, "DELETE_COMPLETE");
    assert.equal(result.timedOut, false);
    const rows = out.split("\n").filter((line) => /^[A-Z_]+ +AWS::/.test(line));
    assert.deepEqual(
      rows.map((row) => row.split(/ +/)[0]),
      ["DELETE_IN_PROGRESS"],
    );
    assert.ok(calls.filter((c) => c.name === "DescribeStacks").every((c) => c.input.StackName === STACK_ID));
  });
});
