/**
 * Records as the API shows them (the shapes of the CloudFormation model: Stack, StackSummary,
 * StackResource, StackResourceSummary, StackResourceDetail, StackEvent), NoEcho parameters masked.
 */
import { validationError } from "../engine/errors.ts";
import { NO_ECHO_MASK } from "../engine/no-echo.ts";
import type { EventRecord, ParameterValue, ResourceRecord, StackRecord } from "../engine/records.ts";

export function maskedParameters(parameters: readonly ParameterValue[], noEcho: readonly string[]) {
  return parameters.map((parameter) => ({
    ParameterKey: parameter.ParameterKey,
    ParameterValue: noEcho.includes(parameter.ParameterKey) ? NO_ECHO_MASK : parameter.ParameterValue,
  }));
}

export function stackView(stack: StackRecord) {
  return {
    StackId: stack.stackId,
    StackName: stack.stackName,
    ChangeSetId: stack.changeSetId,
    Description: stack.description,
    Parameters: maskedParameters(stack.parameters, stack.noEchoKeys),
    CreationTime: new Date(stack.creationTime),
    DeletionTime: stack.deletionTime === undefined ? undefined : new Date(stack.deletionTime),
    LastUpdatedTime: stack.lastUpdatedTime === undefined ? undefined : new Date(stack.lastUpdatedTime),
    RollbackConfiguration: {},
    StackStatus: stack.status,
    StackStatusReason: stack.statusReason,
    DisableRollback: stack.disableRollback,
    NotificationARNs: stack.notificationArns,
    TimeoutInMinutes: stack.timeoutInMinutes,
    Capabilities: stack.capabilities,
    Outputs: stack.outputs.map((output) => ({
      OutputKey: output.OutputKey,
      OutputValue: output.OutputValue,
      Description: output.Description,
      ExportName: output.ExportName,
    })),
    RoleARN: stack.roleArn,
    Tags: stack.tags,
    EnableTerminationProtection: stack.enableTerminationProtection,
    DriftInformation: { StackDriftStatus: "NOT_CHECKED" },
  };
}

export function stackSummary(stack: StackRecord) {
  return {
    StackId: stack.stackId,
    StackName: stack.stackName,
    TemplateDescription: stack.description,
    CreationTime: new Date(stack.creationTime),
    LastUpdatedTime: stack.lastUpdatedTime === undefined ? undefined : new Date(stack.lastUpdatedTime),
    DeletionTime: stack.deletionTime === undefined ? undefined : new Date(stack.deletionTime),
    StackStatus: stack.status,
    StackStatusReason: stack.statusReason,
    DriftInformation: { StackDriftStatus: "NOT_CHECKED" },
  };
}

export function resourceView(stack: StackRecord, resource: ResourceRecord) {
  return {
    StackName: stack.stackName,
    StackId: stack.stackId,
    LogicalResourceId: resource.logicalId,
    PhysicalResourceId: resource.physicalId,
    ResourceType: resource.type,
    Timestamp: new Date(resource.updatedAt),
    ResourceStatus: resource.status,
    ResourceStatusReason: resource.statusReason,
    Description: resource.description,
    DriftInformation: { StackResourceDriftStatus: "NOT_CHECKED" },
  };
}

export function resourceSummary(resource: ResourceRecord) {
  return {
    LogicalResourceId: resource.logicalId,
    PhysicalResourceId: resource.physicalId,
    ResourceType: resource.type,
    LastUpdatedTimestamp: new Date(resource.updatedAt),
    ResourceStatus: resource.status,
    ResourceStatusReason: resource.statusReason,
    DriftInformation: { StackResourceDriftStatus: "NOT_CHECKED" },
  };
}

export function resourceDetail(stack: StackRecord, resource: ResourceRecord) {
  return {
    StackName: stack.stackName,
    StackId: stack.stackId,
    LogicalResourceId: resource.logicalId,
    PhysicalResourceId: resource.physicalId,
    ResourceType: resource.type,
    LastUpdatedTimestamp: new Date(resource.updatedAt),
    ResourceStatus: resource.status,
    ResourceStatusReason: resource.statusReason,
    Description: resource.description,
    Metadata: resource.metadata === undefined ? undefined : JSON.stringify(resource.metadata),
    DriftInformation: { StackResourceDriftStatus: "NOT_CHECKED" },
  };
}

export function eventView(event: EventRecord) {
  return { ...event, Timestamp: new Date(event.Timestamp) };
}

/** Page tokens: the offset of the next item, opaque to callers. */
export function pageToken(offset: number): string {
  return Buffer.from(JSON.stringify({ offset })).toString("base64");
}

export function pageOffset(token: string | undefined): number {
  if (token === undefined || token === "") return 0;
  try {
    const parsed = JSON.parse(Buffer.from(token, "base64").toString("utf8")) as { offset?: unknown };
    if (typeof parsed.offset === "number" && Number.isSafeInteger(parsed.offset) && parsed.offset >= 0) {
      return parsed.offset;
    }
  } catch {
    // Fall through to the error.
  }
  throw validationError("Invalid NextToken");
}
