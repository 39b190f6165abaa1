/**
 * AWS::IAM::Role, stored only: Stratus has no IAM service yet, so a role is a record in the provider's
 * record space (context.records), never consulted when a function runs (Lambda checks a role ARN's
 * form only). What a template can observe is AWS's: Ref is the role name (generated, at most 64
 * characters, when RoleName is absent); Fn::GetAtt Arn is `arn:aws:iam::ACCOUNT:role{Path}{Name}`
 * and RoleId is `AROA` and 17 upper-case characters, made once and kept for the role's life.
 *
 * IAM's cheap checks are made with IAM's words (documents.ts): AssumeRolePolicyDocument required and
 * JSON, each inline policy with its PolicyName and a JSON PolicyDocument, RoleName and Path patterns
 * and lengths, MaxSessionDuration 3600..43200, a name already taken
 * ("Role with name X already exists."). RoleName and Path replace the role; every other property
 * (policies, managed policy ARNs, description, boundary, tags) updates the record in place.
 */
import { AwsError } from "../../../../aws/errors.ts";
import {
  arrayValue,
  integerValue,
  objectValue,
  type Properties,
  requireProperties,
  stringValue,
  validationFailure,
} from "../property-values.ts";
import type { ProviderContext, ProvisionedResource, ResourceProvider } from "../types.ts";
import {
  type ConstraintCheck,
  checkName,
  checkPath,
  checkRange,
  policyDocument,
  throwIfInvalid,
} from "./documents.ts";
import { iamUniqueId } from "./ids.ts";

const ROLE_NAME_MAX = 64;

export interface RoleRecord {
  readonly roleName: string;
  readonly roleId: string;
  readonly arn: string;
  readonly path: string;
  readonly createDate: string;
  readonly properties: Properties;
}

const recordKey = (name: string) => `role/${name}`;

function validate(context: ProviderContext, properties: Properties, name: string, path: string): void {
  requireProperties(context, properties, ["AssumeRolePolicyDocument"]);
  const check: ConstraintCheck = { messages: [] };
  checkName(check, name, "roleName", ROLE_NAME_MAX);
  checkPath(check, path);
  const duration = integerValue(context, properties.MaxSessionDuration, "MaxSessionDuration");
  if (duration !== undefined) checkRange(check, duration, "maxSessionDuration", 3600, 43200);
  throwIfInvalid(check);
  policyDocument(properties.AssumeRolePolicyDocument);
  for (const [index, item] of (arrayValue(context, properties.Policies, "Policies") ?? []).entries()) {
    const policy = objectValue(context, item, `Policies/${index}`) ?? {};
    for (const key of ["PolicyDocument", "PolicyName"]) {
      if (policy[key] === undefined) {
        throw validationFailure(context, `#/Policies/${index}: required key [${key}] not found`);
      }
    }
    policyDocument(policy.PolicyDocument);
  }
}

function provisioned(record: RoleRecord): ProvisionedResource {
  return { physicalId: record.roleName, attributes: { Arn: record.arn, RoleId: record.roleId } };
}

export const roleProvider: ResourceProvider = {
  replaceOn: ["RoleName", "Path"],
  async create(context, properties) {
    const name =
      stringValue(context, properties.RoleName, "RoleName") ??
      context.physicalName({ maxLength: ROLE_NAME_MAX });
    const path = stringValue(context, properties.Path, "Path") ?? "/";
    validate(context, properties, name, path);
    if (await context.records.get<RoleRecord>(recordKey(name))) {
      throw new AwsError("EntityAlreadyExists", `Role with name ${name} already exists.`, 409);
    }
    const record: RoleRecord = {
      roleName: name,
      roleId: iamUniqueId("AROA"),
      arn: `arn:${context.partition}:iam::${context.accountId}:role${path}${name}`,
      path,
      createDate: context.clock.now().toISOString(),
      properties,
    };
    await context.records.put(recordKey(name), record);
    return provisioned(record);
  },
  async update(context, current, properties) {
    const existing = await context.records.get<RoleRecord>(recordKey(current.physicalId));
    if (!existing) {
      throw new AwsError("NoSuchEntity", `The role with name ${current.physicalId} cannot be found.`, 404);
    }
    validate(context, properties, existing.roleName, existing.path);
    const record: RoleRecord = { ...existing, properties };
    await context.records.put(recordKey(existing.roleName), record);
    return provisioned(record);
  },
  async delete(context, current) {
    await context.records.delete(recordKey(current.physicalId));
  },
};
