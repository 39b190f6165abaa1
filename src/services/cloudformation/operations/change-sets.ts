/**
 * Change sets: CreateChangeSet works the plan out at once (the change set is CREATE_COMPLETE, or
 * FAILED with AWS's reason when it would change nothing — `aws cloudformation deploy` and `sam deploy`
 * match that text), DescribeChangeSet/ListChangeSets show it, ExecuteChangeSet runs it as CreateStack
 * or UpdateStack would (and drops the stack's other change sets), DeleteChangeSet removes it.
 * A CREATE change set makes its stack at once, in REVIEW_IN_PROGRESS, as AWS does.
 */
import { randomUUID } from "node:crypto";
import type { RequestContext } from "../../../aws/context.ts";
import { planChanges, visibleChanges } from "../engine/diff.ts";
import type { CloudFormationEngine } from "../engine/engine.ts";
import { UPDATABLE } from "../engine/engine.ts";
import {
  cannotBeUpdated,
  changeSetAlreadyExists,
  changeSetNotFound,
  invalidChangeSetStatus,
  NO_CHANGES_REASON,
  stackMissing,
  validationError,
} from "../engine/errors.ts";
import { exportValues } from "../engine/exports.ts";
import type { OnFailure } from "../engine/flows.ts";
import { maskNoEcho } from "../engine/no-echo.ts";
import type { ChangeSetRecord, PlannedChange, StackRecord } from "../engine/records.ts";
import { templateText } from "../engine/template-source.ts";
import {
  checkCapabilities,
  checkStackName,
  newStackId,
  type StackRequest,
  sameSettings,
  settingsFrom,
  settingsOf,
} from "./request-settings.ts";
import { imports, prepare, rememberToken, startCreate, startUpdate } from "./stacks.ts";
import { maskedParameters, pageOffset, pageToken } from "./views.ts";

export interface CreateChangeSetRequest extends StackRequest {
  readonly ChangeSetName?: string;
  readonly ChangeSetType?: string;
  readonly ClientToken?: string;
  readonly Description?: string;
  readonly OnStackFailure?: OnFailure;
}

const CHANGE_SET_NAME = /^[a-zA-Z][-a-zA-Z0-9]*$/;

export async function createChangeSet(
  engine: CloudFormationEngine,
  input: CreateChangeSetRequest,
  context: RequestContext,
) {
  const place = engine.place(context);
  const changeSetName = input.ChangeSetName ?? "";
  if (changeSetName.length > 128 || !CHANGE_SET_NAME.test(changeSetName)) {
    throw validationError(
      `1 validation error detected: Value '${changeSetName}' at 'changeSetName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*`,
    );
  }
  const type = input.ChangeSetType ?? "UPDATE";
  if (type !== "CREATE" && type !== "UPDATE") {
    throw validationError(`ChangeSetType ${type} is not supported by Stratus.`);
  }
  if (input.OnStackFailure !== undefined && input.DisableRollback !== undefined) {
    throw validationError("You cannot specify both OnStackFailure and DisableRollback.");
  }
  const nameOrId = input.StackName ?? "";
  let stack = await engine.deps.store.findStack(place, nameOrId);
  if (stack?.status === "DELETE_COMPLETE") stack = undefined;
  if (type === "CREATE") {
    if (stack && stack.status !== "REVIEW_IN_PROGRESS") {
      throw validationError(
        `Stack [${stack.stackName}] already exists and cannot be created again with the changeSet [${changeSetName}].`,
      );
    }
    if (!stack && nameOrId.startsWith("arn:")) throw stackMissing(nameOrId);
    if (!stack) checkStackName(nameOrId);
  } else {
    if (!stack || stack.status === "REVIEW_IN_PROGRESS") throw stackMissing(nameOrId);
    if (!UPDATABLE.has(stack.status)) throw cannotBeUpdated(stack.stackId, stack.status);
  }
  if (stack) {
    const same = await engine.deps.store.getChangeSet(place, stack.stackId, changeSetName);
    if (same) {
      if (input.ClientToken !== undefined && same.clientToken === input.ClientToken) {
        return { Id: same.changeSetId, StackId: same.stackId };
      }
      throw changeSetAlreadyExists(changeSetName);
    }
  }

  const caller = stack?.caller ?? {
    accountId: context.accountId,
    region: context.region,
    accessKeyId: context.accessKeyId,
  };
  const stackName = stack?.stackName ?? nameOrId;
  const stackId = stack?.stackId ?? newStackId(context.region, context.accountId, stackName);
  const body =
    input.UsePreviousTemplate === true && stack
      ? stack.templateBody
      : await templateText(input, engine.deps.callerFor(caller));
  const current = type === "UPDATE" ? stack : undefined;
  const prepared = prepare(input, body, stackName, stackId, context, current);
  checkCapabilities(prepared, input.Capabilities ?? [], true);
  await imports(engine, prepared, place);
  const settings = settingsOf(input, prepared, current);
  const exports = await exportValues(engine.deps.store, place);
  const changes: PlannedChange[] = planChanges(
    current?.resources ?? {},
    prepared,
    exports,
    (type) => engine.providerFor(type),
    current?.parameters,
  );
  const unchanged =
    current !== undefined && changes.length === 0 && sameSettings(settingsFrom(current), settings);

  if (!stack) {
    stack = {
      ...settings,
      stackId,
      stackName,
      status: "REVIEW_IN_PROGRESS",
      creationTime: context.clock.now().toISOString(),
      caller,
      enableTerminationProtection: false,
      resources: {},
      outputs: [],
      imports: [],
    };
    await engine.run(stack).setStatus("REVIEW_IN_PROGRESS", "User Initiated");
  }
  const changeSet: ChangeSetRecord = {
    changeSetId: `arn:aws:cloudformation:${context.region}:${context.accountId}:changeSet/${changeSetName}/${randomUUID()}`,
    changeSetName,
    stackId,
    stackName,
    changeSetType: type,
    ...(input.Description === undefined ? {} : { description: input.Description }),
    status: unchanged ? "FAILED" : "CREATE_COMPLETE",
    ...(unchanged ? { statusReason: NO_CHANGES_REASON } : {}),
    executionStatus: unchanged ? "UNAVAILABLE" : "AVAILABLE",
    creationTime: context.clock.now().toISOString(),
    settings,
    changes,
    ...(input.ClientToken === undefined ? {} : { clientToken: input.ClientToken }),
    ...(input.OnStackFailure === undefined
      ? input.DisableRollback === true
        ? { onStackFailure: "DO_NOTHING" }
        : {}
      : { onStackFailure: input.OnStackFailure }),
  };
  await engine.deps.store.putChangeSet(place, changeSet);
  return { Id: changeSet.changeSetId, StackId: stackId };
}

/** A change set by ARN, or by name within `stackName`; ChangeSetNotFound otherwise. */
export async function findChangeSet(
  engine: CloudFormationEngine,
  context: RequestContext,
  nameOrId: string | undefined,
  stackName: string | undefined,
): Promise<{ stack: StackRecord; changeSet: ChangeSetRecord }> {
  const place = engine.place(context);
  const name = nameOrId ?? "";
  let changeSet: ChangeSetRecord | undefined;
  if (name.startsWith("arn:")) {
    changeSet = await engine.deps.store.getChangeSetById(place, name);
  } else {
    if (!stackName) {
      throw validationError("StackName must be specified if ChangeSetName is not specified as an ARN.");
    }
    const stack = await engine.deps.store.findStack(place, stackName);
    if (stack) changeSet = await engine.deps.store.getChangeSet(place, stack.stackId, name);
  }
  const stack = changeSet && (await engine.deps.store.getStack(place, changeSet.stackId));
  if (!changeSet || !stack) throw changeSetNotFound(name);
  return { stack, changeSet };
}

export async function describeChangeSet(
  engine: CloudFormationEngine,
  input: { ChangeSetName?: string; StackName?: string; NextToken?: string; IncludePropertyValues?: boolean },
  context: RequestContext,
) {
  const { stack, changeSet } = await findChangeSet(engine, context, input.ChangeSetName, input.StackName);
  const offset = pageOffset(input.NextToken);
  const PAGE = 100;
  const settings = changeSet.settings;
  return {
    ChangeSetName: changeSet.changeSetName,
    ChangeSetId: changeSet.changeSetId,
    StackId: changeSet.stackId,
    StackName: changeSet.stackName,
    Description: changeSet.description,
    Parameters: maskedParameters(settings.parameters, settings.noEchoKeys),
    CreationTime: new Date(changeSet.creationTime),
    ExecutionStatus: changeSet.executionStatus,
    Status: changeSet.status,
    StatusReason: changeSet.statusReason,
    NotificationARNs: settings.notificationArns,
    RollbackConfiguration: {},
    Capabilities: settings.capabilities,
    Tags: settings.tags,
    // NoEcho values masked in the property values, as everywhere the stack is described.
    Changes: JSON.parse(
      maskNoEcho(
        maskNoEcho(
          JSON.stringify(
            visibleChanges(
              changeSet.changes.slice(offset, offset + PAGE),
              input.IncludePropertyValues === true,
            ),
          ),
          settings.parameters,
          settings.noEchoKeys,
        ),
        // The values before the change are the stack's current ones.
        stack.parameters,
        stack.noEchoKeys,
      ),
    ) as PlannedChange[],
    NextToken: offset + PAGE < changeSet.changes.length ? pageToken(offset + PAGE) : undefined,
    IncludeNestedStacks: false,
    OnStackFailure: changeSet.onStackFailure,
  };
}

export async function listChangeSets(
  engine: CloudFormationEngine,
  input: { StackName?: string; NextToken?: string },
  context: RequestContext,
) {
  const place = engine.place(context);
  const stack = await engine.deps.store.findStack(place, input.StackName ?? "");
  if (!stack) throw stackMissing(input.StackName ?? "");
  const all = await engine.deps.store.changeSets(place, stack.stackId);
  all.sort((a, b) => a.creationTime.localeCompare(b.creationTime));
  const offset = pageOffset(input.NextToken);
  return {
    Summaries: all.slice(offset, offset + 100).map((changeSet) => ({
      StackId: changeSet.stackId,
      StackName: changeSet.stackName,
      ChangeSetId: changeSet.changeSetId,
      ChangeSetName: changeSet.changeSetName,
      ExecutionStatus: changeSet.executionStatus,
      Status: changeSet.status,
      StatusReason: changeSet.statusReason,
      CreationTime: new Date(changeSet.creationTime),
      Description: changeSet.description,
      IncludeNestedStacks: false,
    })),
    NextToken: offset + 100 < all.length ? pageToken(offset + 100) : undefined,
  };
}

export async function deleteChangeSet(
  engine: CloudFormationEngine,
  input: { ChangeSetName?: string; StackName?: string },
  context: RequestContext,
) {
  const { changeSet } = await findChangeSet(engine, context, input.ChangeSetName, input.StackName);
  if (changeSet.executionStatus === "EXECUTE_IN_PROGRESS") {
    throw invalidChangeSetStatus(
      `ChangeSet [${changeSet.changeSetId}] cannot be deleted in its current execution status of [${changeSet.executionStatus}]`,
    );
  }
  await engine.deps.store.deleteChangeSet(engine.place(context), changeSet);
  return undefined;
}

export async function executeChangeSet(
  engine: CloudFormationEngine,
  input: {
    ChangeSetName?: string;
    StackName?: string;
    ClientRequestToken?: string;
    DisableRollback?: boolean;
  },
  context: RequestContext,
) {
  const place = engine.place(context);
  const { stack, changeSet } = await findChangeSet(engine, context, input.ChangeSetName, input.StackName);
  if (changeSet.status !== "CREATE_COMPLETE") {
    throw invalidChangeSetStatus(
      `ChangeSet [${changeSet.changeSetId}] cannot be executed in its current status of [${changeSet.status}]`,
    );
  }
  if (changeSet.executionStatus !== "AVAILABLE") {
    throw invalidChangeSetStatus(
      `ChangeSet [${changeSet.changeSetId}] cannot be executed in its current execution status of [${changeSet.executionStatus}]`,
    );
  }
  const creating = changeSet.changeSetType === "CREATE";
  if (creating ? stack.status !== "REVIEW_IN_PROGRESS" : !UPDATABLE.has(stack.status)) {
    throw cannotBeUpdated(stack.stackId, stack.status);
  }
  const settings = changeSet.settings;
  const given = new Map(settings.parameters.map((p) => [p.ParameterKey, p.ParameterValue]));
  const prepared = prepare(
    { Parameters: [...given].map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue })) },
    settings.templateBody,
    stack.stackName,
    stack.stackId,
    context,
  );
  const importNames = await imports(engine, prepared, place);
  // The stack's other change sets are obsolete once one runs.
  for (const other of await engine.deps.store.changeSets(place, stack.stackId)) {
    if (other.changeSetId !== changeSet.changeSetId) await engine.deps.store.deleteChangeSet(place, other);
  }
  changeSet.executionStatus = "EXECUTE_IN_PROGRESS";
  await engine.deps.store.putChangeSet(place, changeSet);
  const finished = async (succeeded: boolean) => {
    changeSet.executionStatus = succeeded ? "EXECUTE_COMPLETE" : "EXECUTE_FAILED";
    await engine.deps.store.putChangeSet(place, changeSet);
  };
  stack.changeSetId = changeSet.changeSetId;
  rememberToken(stack, input.ClientRequestToken, "ExecuteChangeSet");
  if (creating) {
    Object.assign(stack, settings, { imports: importNames });
    const onFailure: OnFailure =
      input.DisableRollback === true
        ? "DO_NOTHING"
        : ((changeSet.onStackFailure as OnFailure | undefined) ?? "ROLLBACK");
    stack.disableRollback = onFailure === "DO_NOTHING";
    await startCreate(engine, stack, prepared, onFailure, finished);
  } else {
    const disableRollback = input.DisableRollback ?? changeSet.onStackFailure === "DO_NOTHING";
    await startUpdate(engine, stack, prepared, { ...settings, disableRollback }, importNames, finished);
  }
  return undefined;
}
