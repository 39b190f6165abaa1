/**
 * AWS::CDK::Metadata, the resource every CDK-synthesized stack holds: the provider alone (a UUID
 * physical id, no attributes, an in-place update that keeps the id, a delete that always succeeds)
 * and in stacks over the wire, as the CDK writes it: with the `CDKMetadataAvailable` region condition
 * true (the resource is created) and false (it is skipped), next to a real resource.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  CreateStackCommand,
  DeleteStackCommand,
  DescribeStackResourcesCommand,
  UpdateStackCommand,
  waitUntilStackCreateComplete,
  waitUntilStackDeleteComplete,
  waitUntilStackUpdateComplete,
} from "@aws-sdk/client-cloudformation";
import { cdkProviders } from "../../../../src/services/cloudformation/providers/cdk/index.ts";
import { providerFor } from "../../../../src/services/cloudformation/providers/index.ts";
import { providerContextFor } from "../../../support/provider-context.ts";
import { useStratus } from "../../../support/stratus.ts";

const TYPE = "AWS::CDK::Metadata";
const provider = cdkProviders[TYPE]!;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const WAIT = { maxWaitTime: 60, minDelay: 1, maxDelay: 1 };
/** What CDK 2.x writes: a gzip of the construct list, base64 (shortened here). */
const ANALYTICS =
  "v2:deflate64:H4sIAAAAAAAA/zPSszDRM1BMLC/WTU7J1M3JTNKrDi5JTM7WcU7OzyvJzMkvyswuSgUArU6KiyYAAAA=";

/**
 * The condition the CDK adds when the stack's region is unknown at synthesis (shortened list): a
 * Fn::Or of Fn::Or groups, as Fn::Or takes 2 to 10 conditions.
 */
function metadataCondition(region: string) {
  const equals = (name: string) => ({ "Fn::Equals": [{ Ref: "AWS::Region" }, name] });
  return {
    "Fn::Or": [{ "Fn::Or": [equals("af-south-1"), equals(region)] }, equals("ap-east-1")],
  };
}

function cdkTemplate(region: string, analytics = ANALYTICS) {
  return JSON.stringify({
    Resources: {
      Logs: { Type: "AWS::Logs::LogGroup", Metadata: { "aws:cdk:path": "S/Logs/Resource" } },
      CDKMetadata: {
        Type: TYPE,
        Properties: { Analytics: analytics },
        Metadata: { "aws:cdk:path": "S/CDKMetadata/Default" },
        Condition: "CDKMetadataAvailable",
      },
    },
    Conditions: { CDKMetadataAvailable: metadataCondition(region) },
  });
}

describe("AWS::CDK::Metadata provider", () => {
  const stratus = useStratus();

  it("is registered in the provider table", () => {
    assert.equal(providerFor(TYPE), provider);
  });

  it("creates a resource with a UUID physical id and no attributes, for any properties", async () => {
    const context = providerContextFor(stratus, TYPE, "CDKMetadata");
    const first = await provider.create(context, { Analytics: ANALYTICS });
    const second = await provider.create(context, { Modules: "aws-cdk=1.204.0,@aws-cdk/core=1.204.0" });
    assert.match(first.physicalId, UUID);
    assert.match(second.physicalId, UUID);
    assert.notEqual(first.physicalId, second.physicalId);
    assert.deepEqual(first.attributes, {});
  });

  it("updates in place, keeping its id, and deletes (also when already gone)", async () => {
    const context = providerContextFor(stratus, TYPE, "CDKMetadata");
    const created = await provider.create(context, { Analytics: ANALYTICS });
    assert.equal(provider.replaceOn, undefined);
    const current = { ...created, properties: { Analytics: ANALYTICS } };
    const updated = await provider.update!(context, current, { Analytics: "v2:deflate64:other" });
    assert.deepEqual(updated, { physicalId: created.physicalId, attributes: {} });
    await provider.delete(context, current);
    await provider.delete(context, current);
  });

  it("deploys in a stack when its region condition holds, and updates and deletes with it", async () => {
    const cfn = stratus.cloudformation();
    const StackName = "cdk-metadata-available";
    await cfn.send(new CreateStackCommand({ StackName, TemplateBody: cdkTemplate(stratus.region) }));
    await waitUntilStackCreateComplete({ client: cfn, ...WAIT }, { StackName });
    const resources = async () =>
      (await cfn.send(new DescribeStackResourcesCommand({ StackName }))).StackResources ?? [];
    const metadata = (await resources()).find((resource) => resource.LogicalResourceId === "CDKMetadata");
    assert.equal(metadata?.ResourceType, TYPE);
    assert.equal(metadata?.ResourceStatus, "CREATE_COMPLETE");
    assert.match(metadata?.PhysicalResourceId ?? "", UUID);

    // A CDK upgrade changes Analytics: an update in place.
    await cfn.send(
      new UpdateStackCommand({ StackName, TemplateBody: cdkTemplate(stratus.region, `${ANALYTICS}x`) }),
    );
    await waitUntilStackUpdateComplete({ client: cfn, ...WAIT }, { StackName });
    const after = (await resources()).find((resource) => resource.LogicalResourceId === "CDKMetadata");
    assert.equal(after?.PhysicalResourceId, metadata?.PhysicalResourceId);
    assert.equal(after?.ResourceStatus, "UPDATE_COMPLETE");

    await cfn.send(new DeleteStackCommand({ StackName }));
    await waitUntilStackDeleteComplete({ client: cfn, ...WAIT }, { StackName });
  });

  it("is skipped in a stack whose region the condition does not list", async () => {
    const cfn = stratus.cloudformation();
    const StackName = "cdk-metadata-unavailable";
    await cfn.send(new CreateStackCommand({ StackName, TemplateBody: cdkTemplate("xx-nowhere-1") }));
    await waitUntilStackCreateComplete({ client: cfn, ...WAIT }, { StackName });
    const { StackResources = [] } = await cfn.send(new DescribeStackResourcesCommand({ StackName }));
    assert.deepEqual(
      StackResources.map((resource) => resource.LogicalResourceId),
      ["Logs"],
    );
    await cfn.send(new DeleteStackCommand({ StackName }));
    await waitUntilStackDeleteComplete({ client: cfn, ...WAIT }, { StackName });
  });
});
