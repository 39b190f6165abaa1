/**
 * AWS::Logs::LogGroup: CreateLogGroup under LogGroupName (generated when the template gives none),
 * then PutRetentionPolicy when RetentionInDays is set. Ref is the group's name; Fn::GetAtt Arn is the
 * `arn:aws:logs:REGION:ACCOUNT:log-group:NAME:*` form AWS documents for this attribute.
 *
 * A group that already exists fails the resource with Logs' ResourceAlreadyExistsException, as on
 * AWS: a template that declares `/aws/lambda/<fn>` must create it before the function writes to it
 * (DependsOn, or the function's LoggingConfig naming the group).
 *
 * RetentionInDays changes in place (PutRetentionPolicy, or DeleteRetentionPolicy when removed);
 * LogGroupName replaces the group. Delete deletes the group; one already gone is success.
 *
 * Tags, KmsKeyId, DataProtectionPolicy, LogGroupClass and the other properties are accepted and
 * ignored: Stratus's Logs has no tags, KMS, data protection or log classes.
 */

import { ignoringNotFound } from "../lambda/service-errors.ts";
import { integerValue, type Properties, stringValue } from "../property-values.ts";
import type { ProviderContext, ProvisionedResource, ResourceProvider } from "../types.ts";

/** CloudWatch Logs' limit on log group names. */
const LOG_GROUP_NAME_MAX = 512;

function provisioned(context: ProviderContext, name: string): ProvisionedResource {
  return {
    physicalId: name,
    attributes: {
      Arn: `arn:${context.partition}:logs:${context.region}:${context.accountId}:log-group:${name}:*`,
    },
  };
}

async function applyRetention(context: ProviderContext, name: string, properties: Properties): Promise<void> {
  const days = integerValue(context, properties.RetentionInDays, "RetentionInDays");
  if (days === undefined) {
    await context.call.call("logs", "DeleteRetentionPolicy", { logGroupName: name });
  } else {
    await context.call.call("logs", "PutRetentionPolicy", { logGroupName: name, retentionInDays: days });
  }
}

export const logGroupProvider: ResourceProvider = {
  replaceOn: ["LogGroupName"],
  async create(context, properties) {
    const name =
      stringValue(context, properties.LogGroupName, "LogGroupName") ??
      context.physicalName({ maxLength: LOG_GROUP_NAME_MAX });
    await context.call.call("logs", "CreateLogGroup", { logGroupName: name });
    if (properties.RetentionInDays !== undefined) {
      try {
        await applyRetention(context, name, properties);
      } catch (error) {
        // The group would be left behind: the engine learns no physical id for a failed create.
        await ignoringNotFound(() => context.call.call("logs", "DeleteLogGroup", { logGroupName: name }));
        throw error;
      }
    }
    return provisioned(context, name);
  },
  async update(context, current, properties) {
    const name = current.physicalId;
    const before = integerValue(context, current.properties.RetentionInDays, "RetentionInDays");
    const after = integerValue(context, properties.RetentionInDays, "RetentionInDays");
    if (before !== after) await applyRetention(context, name, properties);
    return provisioned(context, name);
  },
  async delete(context, current) {
    await ignoringNotFound(() =>
      context.call.call("logs", "DeleteLogGroup", { logGroupName: current.physicalId }),
    );
  },
};
