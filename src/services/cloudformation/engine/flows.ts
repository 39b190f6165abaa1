/**
 * The three stack operations as they run after the API call returned: create (and its rollback),
 * update (cleanup, or rollback to the previous template and resources), delete. Each moves the stack
 * through CloudFormation's statuses with the same events and status reasons.
 */
import { resolveOutputs } from "../template/outputs.ts";
import { isLive } from "./diff.ts";
import { checkImportedExports, exportValues, publishExports } from "./exports.ts";
import { failureReason } from "./failure-reason.ts";
import { reversed, runGraph } from "./graph-runner.ts";
import type { PreparedTemplate } from "./prepare.ts";
import type { ResourceRecord, StackRecord, StackSettings } from "./records.ts";
import { resolveScope } from "./scope.ts";
import type { Applied, StackRun } from "./stack-run.ts";

export type OnFailure = "ROLLBACK" | "DO_NOTHING" | "DELETE";

/** What an update rolls back to. */
export interface PreviousState {
  readonly settings: StackSettings;
  readonly resources: Record<string, ResourceRecord>;
  readonly outputs: StackRecord["outputs"];
  readonly imports: string[];
}

/** `reason` followed by a sentence (CloudFormation's "… Rollback requested by user."). */
function followedBy(reason: string, sentence: string): string {
  const trimmed = reason.trimEnd();
  return `${trimmed.endsWith(".") ? trimmed : `${trimmed}.`} ${sentence}`;
}

function failedList(ids: readonly string[], verb: string): string {
  return `The following resource(s) failed to ${verb}: [${[...ids].sort().join(", ")}]. `;
}

async function scopeFor(run: StackRun, prepared: PreparedTemplate) {
  const exports = await exportValues(run.deps.store, run.stack.caller);
  return resolveScope(prepared, { resource: (id) => run.stack.resources[id], exports });
}

/** Outputs resolved and exports published; the error message when that fails. */
async function finishOutputs(run: StackRun, prepared: PreparedTemplate): Promise<string | undefined> {
  try {
    const outputs = resolveOutputs(prepared.template, await scopeFor(run, prepared));
    await publishExports(run.deps.store, run.stack, outputs);
    run.stack.outputs = outputs;
    await run.save();
    return undefined;
  } catch (error) {
    return failureReason(error);
  }
}

export async function runCreate(
  run: StackRun,
  prepared: PreparedTemplate,
  onFailure: OnFailure,
): Promise<boolean> {
  const scope = await scopeFor(run, prepared);
  const result = await runGraph(
    prepared.order,
    (id) => prepared.dependencies.get(id) ?? [],
    (id) => run.createResource(prepared, id, scope),
    run.deps.concurrency,
    () => run.deleteRequested,
  );
  if (run.deleteRequested) {
    await run.setStatus("DELETE_IN_PROGRESS", "User Initiated");
    const failed = await deleteAll(run, new Set(), true);
    if (failed.length > 0) await run.setStatus("DELETE_FAILED", failedList(failed, "delete"));
    else await finishDelete(run);
    return false;
  }
  let reason =
    result.failed.length > 0 ? failedList(result.failed, "create") : await finishOutputs(run, prepared);
  if (reason === undefined) {
    await run.setStatus("CREATE_COMPLETE");
    return true;
  }
  if (onFailure === "DO_NOTHING") {
    await run.setStatus("CREATE_FAILED", reason);
    return false;
  }
  if (onFailure === "DELETE") {
    await run.setStatus("DELETE_IN_PROGRESS", followedBy(reason, "Delete requested by user."));
    const failed = await deleteAll(run, new Set(), true);
    if (failed.length > 0) await run.setStatus("DELETE_FAILED", failedList(failed, "delete"));
    else await finishDelete(run);
    return false;
  }
  reason = followedBy(reason, "Rollback requested by user.");
  await run.setStatus("ROLLBACK_IN_PROGRESS", reason);
  const failed = await deleteAll(run, new Set(), true);
  run.stack.outputs = [];
  await run.deps.store.replaceExports(run.stack.caller, run.stack.stackId, []);
  if (failed.length > 0) await run.setStatus("ROLLBACK_FAILED", failedList(failed, "delete"));
  else await run.setStatus("ROLLBACK_COMPLETE", reason);
  return false;
}

/** Deletes every resource of the stack in reverse dependency order; the logical ids that failed. */
async function deleteAll(
  run: StackRun,
  retain: ReadonlySet<string>,
  undoingCreate = false,
): Promise<string[]> {
  return deleteResources(run, Object.keys(run.stack.resources), retain, undoingCreate);
}

/**
 * Deletes `ids` in reverse dependency order, keeping those in `retain` and those whose DeletionPolicy
 * keeps them: Retain always, RetainExceptOnCreate unless the operation being undone created them.
 */
async function deleteResources(
  run: StackRun,
  ids: readonly string[],
  retain: ReadonlySet<string>,
  undoingCreate = false,
) {
  const resources = run.stack.resources;
  const dependsOn = (id: string) => resources[id]?.dependsOn ?? [];
  const result = await runGraph(
    ids,
    reversed(ids, dependsOn),
    (id) => {
      const record = resources[id]!;
      const policy = record.deletionPolicy;
      const kept = policy === "Retain" || (policy === "RetainExceptOnCreate" && !undoingCreate);
      return run.deleteResource(record, retain.has(id) || kept);
    },
    run.deps.concurrency,
  );
  return result.failed;
}

async function finishDelete(run: StackRun): Promise<void> {
  await run.deps.store.replaceExports(run.stack.caller, run.stack.stackId, []);
  run.stack.imports = [];
  await run.setStatus("DELETE_COMPLETE");
}

export async function runDelete(
  run: StackRun,
  retain: ReadonlySet<string>,
  previousStatus: StackRecord["status"],
) {
  // An export another stack imports keeps the whole stack: back to where it was, with the reason.
  try {
    await checkImportedExports(run.deps.store, run.stack, []);
  } catch (error) {
    await run.setStatus(previousStatus, failureReason(error));
    return;
  }
  const failed = await deleteAll(run, retain);
  if (failed.length > 0) {
    await run.setStatus("DELETE_FAILED", failedList(failed, "delete"));
    return;
  }
  await finishDelete(run);
}

export async function runUpdate(
  run: StackRun,
  prepared: PreparedTemplate,
  previous: PreviousState,
): Promise<boolean> {
  const applied: Applied[] = [];
  const scope = await scopeFor(run, prepared);
  const result = await runGraph(
    prepared.order,
    (id) => prepared.dependencies.get(id) ?? [],
    (id) => run.updateResource(prepared, id, scope, applied),
    run.deps.concurrency,
    () => run.cancelRequested,
  );
  let reason: string | undefined;
  if (run.cancelRequested) {
    reason = "Stack update cancelled";
  } else if (result.failed.length > 0) {
    const created = new Set(applied.filter((step) => step.kind === "created").map((step) => step.logicalId));
    const failedCreates = result.failed.filter((id) => created.has(id));
    const failedUpdates = result.failed.filter((id) => !created.has(id));
    reason =
      (failedCreates.length > 0 ? failedList(failedCreates, "create") : "") +
      (failedUpdates.length > 0 ? failedList(failedUpdates, "update") : "");
  } else {
    reason = await finishOutputs(run, prepared);
  }
  if (reason !== undefined) {
    // DisableRollback: the stack stays as the update left it, UPDATE_FAILED (which can be updated again).
    if (run.stack.disableRollback && !run.cancelRequested) await run.setStatus("UPDATE_FAILED", reason);
    else await rollbackUpdate(run, previous, applied, reason);
    return false;
  }
  await run.setStatus("UPDATE_COMPLETE_CLEANUP_IN_PROGRESS");
  // Old halves of replacements, then resources the new template no longer has.
  for (const step of applied.reverse()) {
    if (step.kind !== "replaced") continue;
    await run.deleteResource(step.before, step.before.updateReplacePolicy === "Retain");
  }
  const removed = Object.keys(run.stack.resources).filter(
    (id) => !prepared.dependencies.has(id) && isLive(run.stack.resources[id]),
  );
  await deleteResources(run, removed, new Set());
  for (const id of Object.keys(run.stack.resources)) {
    if (!prepared.dependencies.has(id)) delete run.stack.resources[id];
  }
  await run.setStatus("UPDATE_COMPLETE");
  return true;
}

async function rollbackUpdate(run: StackRun, previous: PreviousState, applied: Applied[], reason: string) {
  await run.setStatus("UPDATE_ROLLBACK_IN_PROGRESS", reason);
  let rollbackFailed = false;
  const discard: ResourceRecord[] = [];
  const restored = structuredClone(previous.resources);
  for (const step of [...applied].reverse()) {
    const current = run.stack.resources[step.logicalId];
    if (step.kind === "created") {
      if (current) discard.push(current);
    } else if (step.kind === "replaced") {
      discard.push(step.after);
      run.stack.resources[step.logicalId] = restored[step.logicalId]!;
    } else if (current) {
      if (!(await run.revertUpdate(current, step.before))) rollbackFailed = true;
      restored[step.logicalId] = current;
    }
  }
  await run.setStatus("UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS");
  for (const record of discard.reverse()) {
    if (!(await run.deleteResource(record, false))) rollbackFailed = true;
  }
  Object.assign(run.stack, previous.settings, { outputs: previous.outputs, imports: previous.imports });
  run.stack.resources = restored;
  await run.deps.store.replaceExports(
    run.stack.caller,
    run.stack.stackId,
    previous.outputs
      .filter((output) => output.ExportName !== undefined)
      .map((output) => ({ name: output.ExportName!, value: output.OutputValue, stackId: run.stack.stackId })),
  );
  if (rollbackFailed) await run.setStatus("UPDATE_ROLLBACK_FAILED", reason);
  else await run.setStatus("UPDATE_ROLLBACK_COMPLETE");
}
