/**
 * AWS::IAM::Policy (an inline policy put on roles, users and groups), stored only: Stratus has no IAM
 * service, so the policy is a record in the provider's record space, never enforced. Ref and
 * Fn::GetAtt Id are an id CloudFormation generates for the resource (`{stack}-{logicalId}-{SUFFIX}`
 * here; AWS's exact form is not confirmed by a recording).
 *
 * Checks, with IAM's and CloudFormation's words: PolicyName and PolicyDocument required, the name's
 * pattern and 128-character limit, the document JSON, and at least one of Roles, Users or Groups
 * ("At least one of [Groups,Roles,Users] must be non-empty."). Every property updates in place (none
 * is create-only in the resource's schema). Whether the named roles, users and groups exist is not
 * checked: those created outside the stack do not exist anywhere in Stratus.
 */

import type { Properties } from "../property-values.ts";
import { requireProperties, stringList, stringValue, validationFailure } from "../property-values.ts";
import type { ProviderContext, ResourceProvider } from "../types.ts";
import { type ConstraintCheck, checkName, policyDocument, throwIfInvalid } from "./documents.ts";

const POLICY_NAME_MAX = 128;

const recordKey = (id: string) => `policy/${id}`;

function validate(context: ProviderContext, properties: Properties): void {
  requireProperties(context, properties, ["PolicyDocument", "PolicyName"]);
  const check: ConstraintCheck = { messages: [] };
  checkName(
    check,
    stringValue(context, properties.PolicyName, "PolicyName") ?? "",
    "policyName",
    POLICY_NAME_MAX,
  );
  throwIfInvalid(check);
  policyDocument(properties.PolicyDocument);
  const targets = ["Groups", "Roles", "Users"].flatMap(
    (name) => stringList(context, properties[name], name) ?? [],
  );
  if (targets.length === 0) {
    throw validationFailure(context, "At least one of [Groups,Roles,Users] must be non-empty.");
  }
}

export const policyProvider: ResourceProvider = {
  async create(context, properties) {
    validate(context, properties);
    const id = context.physicalName({ maxLength: POLICY_NAME_MAX });
    await context.records.put(recordKey(id), { id, properties });
    return { physicalId: id, attributes: { Id: id } };
  },
  async update(context, current, properties) {
    validate(context, properties);
    await context.records.put(recordKey(current.physicalId), { id: current.physicalId, properties });
    return { physicalId: current.physicalId, attributes: { Id: current.physicalId } };
  },
  async delete(context, current) {
    await context.records.delete(recordKey(current.physicalId));
  },
};
