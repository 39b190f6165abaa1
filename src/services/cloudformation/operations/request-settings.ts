/**
 * The parts of CreateStack, UpdateStack and CreateChangeSet requests they share: stack names, the
 * Parameters list (with UsePreviousValue), and the settings a stack keeps from its latest operation.
 */
import { randomUUID } from "node:crypto";
import { checkIamCapability, checkTransformCapability } from "../engine/capabilities.ts";
import { validationError } from "../engine/errors.ts";
import { noEchoKeys, type PreparedTemplate, parameterValues } from "../engine/prepare.ts";
import type { ParameterValue, StackRecord, StackSettings, Tag } from "../engine/records.ts";

export interface ParameterInput {
  readonly ParameterKey?: string;
  readonly ParameterValue?: string;
  readonly UsePreviousValue?: boolean;
}

export interface StackRequest {
  readonly StackName?: string;
  readonly TemplateBody?: string;
  readonly TemplateURL?: string;
  readonly UsePreviousTemplate?: boolean;
  readonly Parameters?: readonly ParameterInput[];
  readonly Capabilities?: readonly string[];
  readonly Tags?: readonly Tag[];
  readonly NotificationARNs?: readonly string[];
  readonly RoleARN?: string;
  readonly DisableRollback?: boolean;
  readonly TimeoutInMinutes?: number;
}

const NAME_PATTERN = /^[a-zA-Z][-a-zA-Z0-9]*$/;

export function checkStackName(name: string | undefined, member = "stackName"): string {
  if (name === undefined || name === "") {
    throw validationError(
      `1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`,
    );
  }
  if (name.length > 128 || !NAME_PATTERN.test(name)) {
    throw validationError(
      `1 validation error detected: Value '${name}' at '${member}' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*`,
    );
  }
  return name;
}

export function newStackId(region: string, accountId: string, name: string): string {
  return `arn:aws:cloudformation:${region}:${accountId}:stack/${name}/${randomUUID()}`;
}

/** The request's parameter values, and the ones it keeps from `current` (UsePreviousValue). */
export function requestParameters(
  parameters: readonly ParameterInput[] | undefined,
  current: readonly ParameterValue[] = [],
): { given: Map<string, string>; previous: Map<string, string> } {
  const given = new Map<string, string>();
  const previous = new Map<string, string>();
  for (const parameter of parameters ?? []) {
    const key = parameter.ParameterKey;
    if (key === undefined) continue;
    if (parameter.UsePreviousValue === true) {
      if (parameter.ParameterValue !== undefined) {
        throw validationError(
          `Invalid input for parameter key ${key}. Cannot specify usePreviousValue as true and non empty value for a parameter`,
        );
      }
      const old = current.find((value) => value.ParameterKey === key);
      if (old) previous.set(key, old.ParameterValue);
      continue;
    }
    given.set(key, parameter.ParameterValue ?? "");
  }
  return { given, previous };
}

/** Checks the capabilities the request acknowledges; `viaChangeSet` waives the transform's. */
export function checkCapabilities(
  prepared: PreparedTemplate,
  capabilities: readonly string[],
  viaChangeSet: boolean,
) {
  if (!viaChangeSet) checkTransformCapability(prepared.usesSam, capabilities);
  checkIamCapability(prepared.template, capabilities);
}

export function settingsOf(
  request: StackRequest,
  prepared: PreparedTemplate,
  current?: StackRecord,
): StackSettings {
  return {
    templateBody: prepared.body,
    processedTemplate: prepared.usesSam ? JSON.stringify(prepared.template, null, 2) : prepared.body,
    parameters: parameterValues(prepared),
    noEchoKeys: noEchoKeys(prepared.template),
    capabilities: [...(request.Capabilities ?? [])],
    tags:
      request.Tags === undefined
        ? [...(current?.tags ?? [])]
        : request.Tags.map((tag) => ({ Key: tag.Key, Value: tag.Value })),
    notificationArns: [...(request.NotificationARNs ?? current?.notificationArns ?? [])],
    ...(typeof prepared.template.Description === "string"
      ? { description: prepared.template.Description }
      : {}),
    disableRollback: request.DisableRollback ?? false,
    ...(request.TimeoutInMinutes === undefined ? {} : { timeoutInMinutes: request.TimeoutInMinutes }),
    ...((request.RoleARN ?? current?.roleArn) === undefined
      ? {}
      : { roleArn: request.RoleARN ?? current?.roleArn }),
  };
}

/** Whether updating from `current` to `next` changes nothing at all (AWS: "No updates are to be performed."). */
export function sameSettings(current: StackSettings, next: StackSettings): boolean {
  return (
    current.processedTemplate === next.processedTemplate &&
    JSON.stringify(current.parameters) === JSON.stringify(next.parameters) &&
    JSON.stringify(current.tags) === JSON.stringify(next.tags) &&
    JSON.stringify(current.notificationArns) === JSON.stringify(next.notificationArns)
  );
}

export function settingsFrom(stack: StackRecord): StackSettings {
  return {
    templateBody: stack.templateBody,
    processedTemplate: stack.processedTemplate,
    parameters: stack.parameters,
    noEchoKeys: stack.noEchoKeys,
    capabilities: stack.capabilities,
    tags: stack.tags,
    notificationArns: stack.notificationArns,
    ...(stack.description === undefined ? {} : { description: stack.description }),
    disableRollback: stack.disableRollback,
    ...(stack.timeoutInMinutes === undefined ? {} : { timeoutInMinutes: stack.timeoutInMinutes }),
    ...(stack.roleArn === undefined ? {} : { roleArn: stack.roleArn }),
  };
}
