/**
 * What every API Gateway provider does around its service calls: a delete that succeeds when the
 * resource is already gone (NotFoundException, as a retried delete or a rollback finds it), and the
 * REST API's patch operations ({op, path, value}: UpdateRestApi, UpdateStage, UpdateMethod...), whose
 * values are always strings and whose path segments are JSON-pointer escaped.
 */
import { isAwsError } from "../../../../aws/errors.ts";

export async function ignoringNotFound(run: () => Promise<unknown>): Promise<void> {
  try {
    await run();
  } catch (error) {
    if (isAwsError(error) && error.code === "NotFoundException") return;
    throw error;
  }
}

export interface PatchOperation {
  op: "add" | "remove" | "replace";
  path: string;
  value?: string;
}

/** One JSON-pointer token: "/" is "~1", "~" is "~0". */
export function pointerToken(key: string): string {
  return key.replace(/~/g, "~0").replace(/\//g, "~1");
}

/** `replace` of a scalar member, or nothing when it did not change. */
export function replaceIfChanged(path: string, before: unknown, after: unknown): PatchOperation[] {
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  return [{ op: "replace", path, value: after === undefined || after === null ? "" : String(after) }];
}

/**
 * add/replace/remove operations turning one string map into another under `prefix`
 * ("/variables", "/requestParameters"); `removeOp` is "remove" or, for maps API Gateway only lets
 * callers replace, a replace with an empty value.
 */
export function mapPatch(
  prefix: string,
  before: Readonly<Record<string, unknown>> | undefined,
  after: Readonly<Record<string, unknown>> | undefined,
  addOp: "add" | "replace" = "add",
): PatchOperation[] {
  const ops: PatchOperation[] = [];
  const old = before ?? {};
  const next = after ?? {};
  for (const key of Object.keys(old)) {
    if (!(key in next)) ops.push({ op: "remove", path: `${prefix}/${pointerToken(key)}` });
  }
  for (const [key, value] of Object.entries(next)) {
    if (!(key in old)) ops.push({ op: addOp, path: `${prefix}/${pointerToken(key)}`, value: String(value) });
    else if (JSON.stringify(old[key]) !== JSON.stringify(value)) {
      ops.push({ op: "replace", path: `${prefix}/${pointerToken(key)}`, value: String(value) });
    }
  }
  return ops;
}

/** add/remove operations turning one list of strings into another (`/binaryMediaTypes/{type}`). */
export function listPatch(
  prefix: string,
  before: readonly string[] | undefined,
  after: readonly string[] | undefined,
): PatchOperation[] {
  const old = new Set(before ?? []);
  const next = new Set(after ?? []);
  const ops: PatchOperation[] = [];
  for (const item of old)
    if (!next.has(item)) ops.push({ op: "remove", path: `${prefix}/${pointerToken(item)}` });
  for (const item of next)
    if (!old.has(item)) ops.push({ op: "add", path: `${prefix}/${pointerToken(item)}` });
  return ops;
}

/**
 * Runs the steps that follow a resource's creation; when one fails, the half-made resource is removed
 * before the error goes on (the engine records no physical id for a failed create, so nothing else
 * would ever delete it).
 */
export async function completeOrUndo<T>(steps: () => Promise<T>, undo: () => Promise<unknown>): Promise<T> {
  try {
    return await steps();
  } catch (error) {
    await undo().catch(() => {});
    throw error;
  }
}
