/**
 * CreateStack, UpdateStack and DeleteStack: each checks the request and the stack's state at once
 * (errors are the API call's), saves the stack *_IN_PROGRESS with its "User Initiated" event, and
 * leaves the work to the background (engine/flows.ts). Change set execution starts the same work.
 */
import type { RequestContext } from "../../../aws/context.ts";
import type { CloudFormationEngine } from "../engine/engine.ts";
import { UPDATABLE } from "../engine/engine.ts";
import {
  cannotBeUpdated,
  noUpdates,
  stackAlreadyExists,
  stackDoesNotExist,
  stackMissing,
  tokenAlreadyExists,
  validationError,
} from "../engine/errors.ts";
import { exportValues } from "../engine/exports.ts";
import { type OnFailure, type PreviousState, runCreate, runDelete, runUpdate } from "../engine/flows.ts";
import { importedNames, type PreparedTemplate, prepareTemplate } from "../engine/prepare.ts";
import type { StackRecord, StackSettings } from "../engine/records.ts";
import { resolveScope } from "../engine/scope.ts";
import { templateText } from "../engine/template-source.ts";
import { resolveValue } from "../template/resolve.ts";
import {
  checkCapabilities,
  checkStackName,
  newStackId,
  requestParameters,
  type StackRequest,
  sameSettings,
  settingsFrom,
  settingsOf,
} from "./request-settings.ts";

export interface CreateStackRequest extends StackRequest {
  readonly OnFailure?: OnFailure;
  readonly ClientRequestToken?: string;
  readonly EnableTerminationProtection?: boolean;
}

export interface UpdateStackRequest extends StackRequest {
  readonly ClientRequestToken?: string;
}

export interface DeleteStackRequest {
  readonly StackName?: string;
  readonly RetainResources?: readonly string[];
  readonly ClientRequestToken?: string;
}

export async function createStack(
  engine: CloudFormationEngine,
  input: CreateStackRequest,
  context: RequestContext,
) {
  const name = checkStackName(input.StackName);
  const place = engine.place(context);
  const existing = await engine.deps.store.findStack(place, name);
  if (existing && existing.status !== "DELETE_COMPLETE") {
    // A retried request (same token) gets the stack it made.
    if (sameToken(existing, input.ClientRequestToken, "CreateStack")) return { StackId: existing.stackId };
    throw stackAlreadyExists(name);
  }
  if (input.OnFailure !== undefined && input.DisableRollback !== undefined) {
    throw validationError("You cannot specify both OnFailure and DisableRollback.");
  }
  const caller = { accountId: context.accountId, region: context.region, accessKeyId: context.accessKeyId };
  const body = await templateText(input, engine.deps.callerFor(caller));
  const stackId = newStackId(context.region, context.accountId, name);
  const prepared = prepare(input, body, name, stackId, context);
  checkCapabilities(prepared, input.Capabilities ?? [], false);
  const settings = settingsOf(input, prepared);
  const onFailure: OnFailure = input.OnFailure ?? (input.DisableRollback ? "DO_NOTHING" : "ROLLBACK");
  settings.disableRollback = onFailure === "DO_NOTHING";
  const now = context.clock.now().toISOString();
  const stack: StackRecord = {
    ...settings,
    stackId,
    stackName: name,
    status: "CREATE_IN_PROGRESS",
    creationTime: now,
    caller,
    enableTerminationProtection: input.EnableTerminationProtection ?? false,
    resources: {},
    outputs: [],
    imports: await imports(engine, prepared, place),
    ...(input.ClientRequestToken === undefined
      ? {}
      : { clientRequestToken: input.ClientRequestToken, tokenOperation: "CreateStack" }),
  };
  await startCreate(engine, stack, prepared, onFailure);
  return { StackId: stackId };
}

/** Saves a new (or REVIEW_IN_PROGRESS) stack as CREATE_IN_PROGRESS and creates it in the background. */
export async function startCreate(
  engine: CloudFormationEngine,
  stack: StackRecord,
  prepared: PreparedTemplate,
  onFailure: OnFailure,
  afterwards?: (succeeded: boolean) => Promise<void>,
): Promise<void> {
  const run = engine.run(stack);
  await run.setStatus("CREATE_IN_PROGRESS", "User Initiated");
  engine.background(run, async () => {
    const succeeded = await runCreate(run, prepared, onFailure);
    await afterwards?.(succeeded);
    // DeleteStack came as the creation was finishing: delete now.
    if (run.deleteRequested && !run.stack.status.startsWith("DELETE_")) {
      const finished = run.stack.status;
      await run.setStatus("DELETE_IN_PROGRESS", "User Initiated");
      await runDelete(run, new Set(), finished);
    }
  });
}

export async function updateStack(
  engine: CloudFormationEngine,
  input: UpdateStackRequest,
  context: RequestContext,
) {
  const place = engine.place(context);
  const nameOrId = input.StackName ?? "";
  const stack = await engine.deps.store.findStack(place, nameOrId);
  if (!stack || stack.status === "DELETE_COMPLETE" || stack.status === "REVIEW_IN_PROGRESS") {
    throw stackMissing(nameOrId);
  }
  if (sameToken(stack, input.ClientRequestToken, "UpdateStack")) return { StackId: stack.stackId };
  if (!UPDATABLE.has(stack.status)) throw cannotBeUpdated(stack.stackId, stack.status);
  if (
    input.UsePreviousTemplate === true &&
    (input.TemplateBody !== undefined || input.TemplateURL !== undefined)
  ) {
    throw validationError("You cannot specify both usePreviousTemplate and Template Body/Template Url");
  }
  const body =
    input.UsePreviousTemplate === true
      ? stack.templateBody
      : await templateText(input, engine.deps.callerFor(stack.caller));
  const prepared = prepare(input, body, stack.stackName, stack.stackId, context, stack);
  checkCapabilities(prepared, input.Capabilities ?? [], false);
  const settings = settingsOf(input, prepared, stack);
  if (sameSettings(settingsFrom(stack), settings)) throw noUpdates();
  rememberToken(stack, input.ClientRequestToken, "UpdateStack");
  await startUpdate(engine, stack, prepared, settings, await imports(engine, prepared, place));
  return { StackId: stack.stackId };
}

/** Saves the stack as UPDATE_IN_PROGRESS with its new settings and updates it in the background. */
export async function startUpdate(
  engine: CloudFormationEngine,
  stack: StackRecord,
  prepared: PreparedTemplate,
  settings: StackSettings,
  importNames: string[],
  afterwards?: (succeeded: boolean) => Promise<void>,
): Promise<void> {
  const previous: PreviousState = {
    settings: settingsFrom(stack),
    resources: structuredClone(stack.resources),
    outputs: stack.outputs,
    imports: stack.imports,
  };
  Object.assign(stack, settings, {
    imports: importNames,
    lastUpdatedTime: engine.deps.clock.now().toISOString(),
  });
  const run = engine.run(stack);
  await run.setStatus("UPDATE_IN_PROGRESS", "User Initiated");
  engine.background(run, async () => {
    const succeeded = await runUpdate(run, prepared, previous);
    await afterwards?.(succeeded);
  });
}

export async function deleteStack(
  engine: CloudFormationEngine,
  input: DeleteStackRequest,
  context: RequestContext,
) {
  const place = engine.place(context);
  const nameOrId = input.StackName ?? "";
  let stack = await engine.deps.store.findStack(place, nameOrId);
  // An operation that ended since the read above: read the stack as it ended.
  if (stack?.status.endsWith("_IN_PROGRESS") && !engine.activeRun(stack.stackId)) {
    stack = await engine.deps.store.getStack(place, stack.stackId);
  }
  // Deleting a stack that does not exist (or no longer does) succeeds, as in AWS.
  if (!stack || stack.status === "DELETE_COMPLETE") return undefined;
  if (sameToken(stack, input.ClientRequestToken, "DeleteStack") || stack.status === "DELETE_IN_PROGRESS") {
    return undefined;
  }
  const retain = new Set(input.RetainResources ?? []);
  if (retain.size > 0 && stack.status !== "DELETE_FAILED") {
    throw validationError(
      `Invalid operation on stack [${stack.stackId}]. RetainResources can only be specified when the stack is in the DELETE_FAILED state`,
    );
  }
  if (stack.enableTerminationProtection) {
    throw validationError(
      `Stack [${stack.stackName}] cannot be deleted while TerminationProtection is enabled`,
    );
  }
  // A stack still being created: its creation stops (nothing new starts) and it is deleted, as in AWS.
  const creating = stack.status === "CREATE_IN_PROGRESS" ? engine.activeRun(stack.stackId) : undefined;
  if (creating) {
    creating.deleteRequested = true;
    return undefined;
  }
  if (stack.status.endsWith("_IN_PROGRESS") && stack.status !== "REVIEW_IN_PROGRESS") {
    throw validationError(`Stack [${stack.stackName}] cannot be deleted while in status ${stack.status}`);
  }
  const previousStatus = stack.status;
  rememberToken(stack, input.ClientRequestToken, "DeleteStack");
  const run = engine.run(stack);
  await run.setStatus("DELETE_IN_PROGRESS", "User Initiated");
  engine.background(run, async () => {
    for (const changeSet of await engine.deps.store.changeSets(place, stack.stackId)) {
      await engine.deps.store.deleteChangeSet(place, changeSet);
    }
    await runDelete(run, retain, previousStatus);
  });
  return undefined;
}

/** CancelUpdateStack: the running update starts nothing new and rolls back. */
export async function cancelUpdateStack(
  engine: CloudFormationEngine,
  input: { StackName?: string; ClientRequestToken?: string },
  context: RequestContext,
) {
  const nameOrId = input.StackName ?? "";
  const stack = await engine.deps.store.findStack(engine.place(context), nameOrId);
  if (!stack || stack.status === "DELETE_COMPLETE") throw stackDoesNotExist(nameOrId);
  const running = engine.activeRun(stack.stackId);
  if (stack.status !== "UPDATE_IN_PROGRESS" || !running || running.stack.status !== "UPDATE_IN_PROGRESS") {
    throw validationError("CancelUpdateStack cannot be called from current stack status");
  }
  running.cancelRequested = true;
  return undefined;
}

/** UpdateTerminationProtection: turns DeleteStack's refusal on or off (no stack operation, no event). */
export async function updateTerminationProtection(
  engine: CloudFormationEngine,
  input: { StackName?: string; EnableTerminationProtection?: boolean },
  context: RequestContext,
) {
  const nameOrId = input.StackName ?? "";
  const stack = await engine.deps.store.findStack(engine.place(context), nameOrId);
  if (!stack || stack.status === "DELETE_COMPLETE") throw stackMissing(nameOrId);
  const running = engine.activeRun(stack.stackId);
  // A running operation holds (and saves) its own copy of the record: change both.
  for (const record of running ? [stack, running.stack] : [stack]) {
    record.enableTerminationProtection = input.EnableTerminationProtection === true;
  }
  await (running ? running.save() : engine.deps.store.putStack(stack));
  return { StackId: stack.stackId };
}

/**
 * Whether `token` is the one of the stack's latest operation, which was `operation` (a retried request:
 * answered as the first was). The same token for another operation is TokenAlreadyExistsException.
 */
export function sameToken(stack: StackRecord, token: string | undefined, operation: string): boolean {
  if (token === undefined || token !== stack.clientRequestToken) return false;
  if (stack.tokenOperation === operation) return true;
  throw tokenAlreadyExists(
    `ClientRequestToken ${token} was already used for a ${stack.tokenOperation ?? "different"} request on stack ${stack.stackName}`,
  );
}

/** Keeps the request's token (repeated on the operation's events) and the operation it started. */
export function rememberToken(stack: StackRecord, token: string | undefined, operation: string): void {
  if (token === undefined) {
    delete stack.clientRequestToken;
    delete stack.tokenOperation;
  } else {
    stack.clientRequestToken = token;
    stack.tokenOperation = operation;
  }
}

export function prepare(
  input: StackRequest,
  body: string,
  stackName: string,
  stackId: string,
  context: RequestContext,
  current?: StackRecord,
): PreparedTemplate {
  const { given, previous } = requestParameters(input.Parameters, current?.parameters);
  return prepareTemplate({
    body,
    given,
    previous,
    accountId: context.accountId,
    region: context.region,
    stackName,
    stackId,
    notificationArns: input.NotificationARNs,
  });
}

/**
 * Export names the template imports, for ListImports and the export-in-use checks; a name no stack
 * exports is refused up front, as CloudFormation does.
 */
export async function imports(
  engine: CloudFormationEngine,
  prepared: PreparedTemplate,
  place: { accountId: string; region: string },
): Promise<string[]> {
  const exports = await exportValues(engine.deps.store, place);
  const scope = resolveScope(prepared, {
    resource: () => undefined,
    exports,
    unknown: () => {
      throw new Error("depends on a resource");
    },
  });
  const template = prepared.template;
  const names = importedNames({ Resources: template.Resources, Outputs: template.Outputs }, (value) =>
    resolveValue(value, scope),
  );
  const missing = names.find((name) => !exports.has(name));
  if (missing !== undefined) throw validationError(`No export named ${missing} found.`);
  return names;
}
