/**
 * AWS::Logs::LogGroup's provider against a started Stratus: names (given and generated), the Arn
 * attribute's `:*` form, retention set, changed and removed in place, AWS's failure for a group that
 * already exists, and delete.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CreateLogGroupCommand, DescribeLogGroupsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { logsProviders } from "../../../../src/services/cloudformation/providers/logs/index.ts";
import type {
  CurrentResource,
  ProvisionedResource,
} from "../../../../src/services/cloudformation/providers/types.ts";
import { providerContextFor, TEST_ACCOUNT } from "../../../support/provider-context.ts";
import { useStratus } from "../../../support/stratus.ts";

const TYPE = "AWS::Logs::LogGroup";
const provider = logsProviders[TYPE]!;

function current(resource: ProvisionedResource, properties: Record<string, unknown>): CurrentResource {
  return { ...resource, properties };
}

describe("AWS::Logs::LogGroup provider", () => {
  const stratus = useStratus();

  async function describeGroup(name: string) {
    const answer = await stratus.logs().send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name }));
    return answer.logGroups?.find((group) => group.logGroupName === name);
  }

  it("creates a named group with retention; Ref is the name, Arn ends in :*", async () => {
    const context = providerContextFor(stratus, TYPE, "FnLogs");
    const properties = {
      LogGroupName: "/aws/lambda/cfn-fn",
      RetentionInDays: "14",
      Tags: [{ Key: "a", Value: "b" }],
    };
    const created = await provider.create(context, properties);
    assert.equal(created.physicalId, "/aws/lambda/cfn-fn");
    assert.deepEqual(created.attributes, {
      Arn: `arn:aws:logs:${stratus.region}:${TEST_ACCOUNT}:log-group:/aws/lambda/cfn-fn:*`,
    });
    assert.equal((await describeGroup("/aws/lambda/cfn-fn"))?.retentionInDays, 14);
  });

  it("generates a name when none is given", async () => {
    const context = providerContextFor(stratus, TYPE, "Generated", "logs-stack");
    const created = await provider.create(context, {});
    assert.match(created.physicalId, /^logs-stack-Generated-[A-Z0-9]{13}$/);
    assert.ok(await describeGroup(created.physicalId));
  });

  it("changes and removes retention in place; replaces on LogGroupName", async () => {
    const context = providerContextFor(stratus, TYPE, "Retained");
    const first = { LogGroupName: "cfn-retained", RetentionInDays: 7 };
    const created = await provider.create(context, first);
    const second = { LogGroupName: "cfn-retained", RetentionInDays: 30 };
    const updated = await provider.update!(context, current(created, first), second);
    assert.deepEqual(updated, created);
    assert.equal((await describeGroup("cfn-retained"))?.retentionInDays, 30);
    const third = { LogGroupName: "cfn-retained" };
    await provider.update!(context, current(updated, second), third);
    assert.equal((await describeGroup("cfn-retained"))?.retentionInDays, undefined);
    assert.deepEqual(provider.replaceOn, ["LogGroupName"]);
  });

  it("fails as AWS does when the group exists already", async () => {
    await stratus.logs().send(new CreateLogGroupCommand({ logGroupName: "/aws/lambda/already" }));
    const context = providerContextFor(stratus, TYPE, "Existing");
    await assert.rejects(provider.create(context, { LogGroupName: "/aws/lambda/already" }), {
      code: "ResourceAlreadyExistsException",
      message: "The specified log group already exists",
    });
  });

  it("fails with Logs' error for a retention Logs does not offer, leaving no group behind", async () => {
    const context = providerContextFor(stratus, TYPE, "BadRetention");
    await assert.rejects(
      provider.create(context, { LogGroupName: "cfn-bad-retention", RetentionInDays: 2 }),
      {
        code: "InvalidParameterException",
      },
    );
    assert.equal(await describeGroup("cfn-bad-retention"), undefined);
  });

  it("deletes the group, and a second delete succeeds", async () => {
    const context = providerContextFor(stratus, TYPE, "Deleted");
    const properties = { LogGroupName: "cfn-deleted" };
    const created = await provider.create(context, properties);
    await provider.delete(context, current(created, properties));
    assert.equal(await describeGroup("cfn-deleted"), undefined);
    await provider.delete(context, current(created, properties));
  });
});
