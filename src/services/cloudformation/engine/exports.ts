/**
 * Cross-stack references: the exports a stack's outputs publish (unique per account and region) and
 * the stacks that import them, which keep an export from being changed or deleted, as in AWS.
 */
import type { StackOutput } from "../template/outputs.ts";
import type { ExportRecord, StackRecord } from "./records.ts";
import type { Place, StackStore } from "./store.ts";

/** Names of the live stacks (other than `exceptStackId`) that import `exportName`. */
export async function importingStacks(
  store: StackStore,
  place: Place,
  exportName: string,
  exceptStackId?: string,
): Promise<string[]> {
  const names: string[] = [];
  for await (const stack of store.stacks(place)) {
    if (stack.stackId === exceptStackId || stack.status === "DELETE_COMPLETE") continue;
    if (stack.imports.includes(exportName)) names.push(stack.stackName);
  }
  return names;
}

export async function exportValues(store: StackStore, place: Place): Promise<Map<string, string>> {
  return new Map((await store.exports(place)).map((record) => [record.name, record.value]));
}

/**
 * Publishes `outputs`' exports for `stack`, replacing its previous ones; throws (the stack operation
 * then fails) when a name is taken by another stack, or when an export another stack imports would
 * change or disappear.
 */
export async function publishExports(store: StackStore, stack: StackRecord, outputs: readonly StackOutput[]) {
  const place = stack.caller;
  const existing = await store.exports(place);
  const wanted: ExportRecord[] = [];
  for (const output of outputs) {
    if (output.ExportName === undefined) continue;
    const taken = existing.find(
      (record) => record.name === output.ExportName && record.stackId !== stack.stackId,
    );
    if (taken) {
      const owner = await store.getStack(place, taken.stackId);
      throw new Error(
        `Export with name ${output.ExportName} is already exported by stack ${owner?.stackName ?? taken.stackId}`,
      );
    }
    wanted.push({ name: output.ExportName, value: output.OutputValue, stackId: stack.stackId });
  }
  await checkImportedExports(store, stack, wanted);
  await store.replaceExports(place, stack.stackId, wanted);
}

/** Throws when an export of `stack` that another stack imports would change or go away. */
export async function checkImportedExports(
  store: StackStore,
  stack: StackRecord,
  wanted: readonly ExportRecord[],
): Promise<void> {
  const place = stack.caller;
  for (const current of await store.exports(place)) {
    if (current.stackId !== stack.stackId) continue;
    const next = wanted.find((record) => record.name === current.name);
    if (next?.value === current.value) continue;
    const importers = await importingStacks(store, place, current.name, stack.stackId);
    if (importers.length === 0) continue;
    const verb = next === undefined ? "deleted" : "updated";
    throw new Error(`Export ${current.name} cannot be ${verb} as it is in use by ${importers.join(", ")}`);
  }
}
