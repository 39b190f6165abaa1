/**
 * The IAM providers (AWS::IAM::Role, Policy, ManagedPolicy), which only record resources since
 * Stratus has no IAM service: Ref and Fn::GetAtt values in AWS's forms, ids stable across updates,
 * IAM's and CloudFormation's validation words, replacement rules, deletes that tolerate repetition.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { iamProviders } from "../../../../src/services/cloudformation/providers/iam/index.ts";
import type {
  CurrentResource,
  ProvisionedResource,
  ResourceProvider,
} from "../../../../src/services/cloudformation/providers/types.ts";
import { providerContextFor, TEST_ACCOUNT } from "../../../support/provider-context.ts";
import { useStratus } from "../../../support/stratus.ts";

function providerOf(type: string): ResourceProvider {
  const provider = iamProviders[type];
  assert.ok(provider, `${type} is registered`);
  return provider;
}

function current(resource: ProvisionedResource, properties: Record<string, unknown>): CurrentResource {
  return { ...resource, properties };
}

const ASSUME_LAMBDA = {
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
};

describe("IAM resource providers (recorded, not enforced)", () => {
  const stratus = useStratus();

  it("Role: generated name within 64 characters, ARN with its path, an AROA RoleId that survives updates", async () => {
    const provider = providerOf("AWS::IAM::Role");
    const stack = "a-rather-long-stack-name-for-testing-truncation";
    const context = providerContextFor(
      stratus,
      "AWS::IAM::Role",
      "FunctionExecutionRoleWithALongLogicalId",
      stack,
    );
    const first = { AssumeRolePolicyDocument: ASSUME_LAMBDA, Path: "/service/" };
    const created = await provider.create(context, first);
    assert.ok(created.physicalId.length <= 64, created.physicalId);
    assert.match(created.physicalId, /^a-rather-.*-[A-Z0-9]{13}$/);
    assert.equal(created.attributes.Arn, `arn:aws:iam::${TEST_ACCOUNT}:role/service/${created.physicalId}`);
    assert.match(String(created.attributes.RoleId), /^AROA[A-Z0-9]{17}$/);

    const second = { ...first, Description: "now described", MaxSessionDuration: "7200" };
    const updated = await provider.update!(context, current(created, first), second);
    assert.deepEqual(updated, created);
    assert.deepEqual([...(provider.replaceOn ?? [])].sort(), ["Path", "RoleName"]);

    await provider.delete(context, current(updated, second));
    await provider.delete(context, current(updated, second));
    // Deleted: the name is free again.
    const again = await provider.create(context, { ...first, RoleName: created.physicalId });
    assert.equal(again.physicalId, created.physicalId);
    assert.notEqual(again.attributes.RoleId, created.attributes.RoleId);
  });

  it("Role: AWS's checks and words", async () => {
    const provider = providerOf("AWS::IAM::Role");
    const context = providerContextFor(stratus, "AWS::IAM::Role", "BadRole");
    await assert.rejects(provider.create(context, { RoleName: "r1" }), {
      message:
        "Properties validation failed for resource BadRole with message: #: required key [AssumeRolePolicyDocument] not found",
    });
    await assert.rejects(
      provider.create(context, {
        RoleName: "r2",
        AssumeRolePolicyDocument: ASSUME_LAMBDA,
        MaxSessionDuration: 100,
      }),
      {
        code: "ValidationError",
        message:
          "1 validation error detected: Value '100' at 'maxSessionDuration' failed to satisfy constraint: Member must have value greater than or equal to 3600",
      },
    );
    await assert.rejects(
      provider.create(context, { RoleName: "r3", AssumeRolePolicyDocument: "{not json" }),
      {
        code: "MalformedPolicyDocument",
        message: "This policy contains invalid Json",
      },
    );
    await provider.create(context, {
      RoleName: "taken",
      AssumeRolePolicyDocument: JSON.stringify(ASSUME_LAMBDA),
    });
    await assert.rejects(
      provider.create(context, { RoleName: "taken", AssumeRolePolicyDocument: ASSUME_LAMBDA }),
      {
        code: "EntityAlreadyExists",
        message: "Role with name taken already exists.",
      },
    );
  });

  it("Policy: a generated Id, updated in place; needs a role, user or group", async () => {
    const provider = providerOf("AWS::IAM::Policy");
    const context = providerContextFor(stratus, "AWS::IAM::Policy", "InlinePolicy", "pol-stack");
    const document = {
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Action: "s3:*", Resource: "*" }],
    };
    const first = { PolicyName: "s3-access", PolicyDocument: document, Roles: ["some-role"] };
    const created = await provider.create(context, first);
    assert.match(created.physicalId, /^pol-stack-InlinePolicy-[A-Z0-9]{13}$/);
    assert.deepEqual(created.attributes, { Id: created.physicalId });
    const second = { ...first, PolicyName: "renamed", Users: ["bob"] };
    assert.deepEqual(await provider.update!(context, current(created, first), second), created);
    await assert.rejects(provider.create(context, { PolicyName: "p", PolicyDocument: document }), {
      message:
        "Properties validation failed for resource InlinePolicy with message: At least one of [Groups,Roles,Users] must be non-empty.",
    });
    await provider.delete(context, current(created, second));
  });

  it("ManagedPolicy: Ref is the ARN; DefaultVersionId moves on a document change; attributes as AWS has them", async () => {
    const provider = providerOf("AWS::IAM::ManagedPolicy");
    const context = providerContextFor(stratus, "AWS::IAM::ManagedPolicy", "Managed");
    const first = {
      ManagedPolicyName: "cfn-managed",
      Path: "/team/",
      PolicyDocument: {
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Action: "logs:*", Resource: "*" }],
      },
      Roles: ["a", "b"],
    };
    const created = await provider.create(context, first);
    const arn = `arn:aws:iam::${TEST_ACCOUNT}:policy/team/cfn-managed`;
    assert.equal(created.physicalId, arn);
    assert.equal(created.attributes.PolicyArn, arn);
    assert.match(String(created.attributes.PolicyId), /^ANPA[A-Z0-9]{17}$/);
    assert.equal(created.attributes.DefaultVersionId, "v1");
    assert.equal(created.attributes.AttachmentCount, 2);
    assert.equal(created.attributes.IsAttachable, true);
    assert.equal(created.attributes.PermissionsBoundaryUsageCount, 0);
    assert.ok(!Number.isNaN(Date.parse(String(created.attributes.CreateDate))));

    const sameDocument = { ...first, Roles: ["a"] };
    const attachedOnce = await provider.update!(context, current(created, first), sameDocument);
    assert.equal(attachedOnce.attributes.DefaultVersionId, "v1");
    assert.equal(attachedOnce.attributes.AttachmentCount, 1);
    assert.equal(attachedOnce.attributes.PolicyId, created.attributes.PolicyId);

    const newDocument = { ...sameDocument, PolicyDocument: { Version: "2012-10-17", Statement: [] } };
    const revised = await provider.update!(context, current(attachedOnce, sameDocument), newDocument);
    assert.equal(revised.attributes.DefaultVersionId, "v2");
    assert.deepEqual([...(provider.replaceOn ?? [])].sort(), ["Description", "ManagedPolicyName", "Path"]);

    await assert.rejects(provider.create(context, first), { code: "EntityAlreadyExists" });
    await provider.delete(context, current(revised, newDocument));
    await provider.delete(context, current(revised, newDocument));
  });
});
