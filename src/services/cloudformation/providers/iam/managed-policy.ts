/**
 * AWS::IAM::ManagedPolicy, stored only: Stratus has no IAM service, so the policy is a record in the
 * provider's record space, never enforced. What a template can observe is AWS's: Ref and Fn::GetAtt
 * PolicyArn are `arn:aws:iam::ACCOUNT:policy{Path}{Name}` (the name generated when
 * ManagedPolicyName is absent); PolicyId is `ANPA` and 17 upper-case characters; DefaultVersionId
 * starts at v1 and moves to the next version each time PolicyDocument changes (IAM keeps a policy's
 * versions); AttachmentCount counts the roles, users and groups it is attached to; IsAttachable is
 * true; PermissionsBoundaryUsageCount is 0 (no role records its use as a boundary); CreateDate and
 * UpdateDate are ISO 8601 times.
 *
 * ManagedPolicyName, Path and Description replace the policy (create-only in the resource's schema);
 * PolicyDocument and the attachments update it in place.
 */
import { AwsError } from "../../../../aws/errors.ts";
import { type Properties, requireProperties, sameJson, stringList, stringValue } from "../property-values.ts";
import type { ProviderContext, ProvisionedResource, ResourceProvider } from "../types.ts";
import { type ConstraintCheck, checkName, checkPath, policyDocument, throwIfInvalid } from "./documents.ts";
import { iamUniqueId } from "./ids.ts";

const POLICY_NAME_MAX = 128;

interface ManagedPolicyRecord {
  readonly arn: string;
  readonly policyName: string;
  readonly policyId: string;
  readonly version: number;
  readonly createDate: string;
  readonly updateDate: string;
  readonly properties: Properties;
}

const recordKey = (arn: string) => `managed-policy/${arn}`;

function validate(context: ProviderContext, properties: Properties, name: string, path: string): void {
  requireProperties(context, properties, ["PolicyDocument"]);
  const check: ConstraintCheck = { messages: [] };
  checkName(check, name, "policyName", POLICY_NAME_MAX);
  checkPath(check, path);
  throwIfInvalid(check);
  policyDocument(properties.PolicyDocument);
}

function attachmentCount(context: ProviderContext, properties: Properties): number {
  return ["Groups", "Roles", "Users"].reduce(
    (sum, name) => sum + (stringList(context, properties[name], name)?.length ?? 0),
    0,
  );
}

function provisioned(context: ProviderContext, record: ManagedPolicyRecord): ProvisionedResource {
  return {
    physicalId: record.arn,
    attributes: {
      PolicyArn: record.arn,
      PolicyId: record.policyId,
      DefaultVersionId: `v${record.version}`,
      AttachmentCount: attachmentCount(context, record.properties),
      IsAttachable: true,
      PermissionsBoundaryUsageCount: 0,
      CreateDate: record.createDate,
      UpdateDate: record.updateDate,
    },
  };
}

export const managedPolicyProvider: ResourceProvider = {
  replaceOn: ["ManagedPolicyName", "Path", "Description"],
  async create(context, properties) {
    const name =
      stringValue(context, properties.ManagedPolicyName, "ManagedPolicyName") ??
      context.physicalName({ maxLength: POLICY_NAME_MAX });
    const path = stringValue(context, properties.Path, "Path") ?? "/";
    validate(context, properties, name, path);
    const arn = `arn:${context.partition}:iam::${context.accountId}:policy${path}${name}`;
    if (await context.records.get<ManagedPolicyRecord>(recordKey(arn))) {
      throw new AwsError(
        "EntityAlreadyExists",
        `A policy called ${name} already exists. Duplicate names are not allowed.`,
        409,
      );
    }
    const now = context.clock.now().toISOString();
    const record: ManagedPolicyRecord = {
      arn,
      policyName: name,
      policyId: iamUniqueId("ANPA"),
      version: 1,
      createDate: now,
      updateDate: now,
      properties,
    };
    await context.records.put(recordKey(arn), record);
    return provisioned(context, record);
  },
  async update(context, current, properties) {
    const existing = await context.records.get<ManagedPolicyRecord>(recordKey(current.physicalId));
    if (!existing) {
      throw new AwsError(
        "NoSuchEntity",
        `Policy ${current.physicalId} does not exist or is not attachable.`,
        404,
      );
    }
    const path = stringValue(context, properties.Path, "Path") ?? "/";
    validate(context, properties, existing.policyName, path);
    const documentChanged = !sameJson(
      policyDocument(existing.properties.PolicyDocument),
      policyDocument(properties.PolicyDocument),
    );
    const record: ManagedPolicyRecord = {
      ...existing,
      version: documentChanged ? existing.version + 1 : existing.version,
      updateDate: documentChanged ? context.clock.now().toISOString() : existing.updateDate,
      properties,
    };
    await context.records.put(recordKey(record.arn), record);
    return provisioned(context, record);
  },
  async delete(context, current) {
    await context.records.delete(recordKey(current.physicalId));
  },
};
