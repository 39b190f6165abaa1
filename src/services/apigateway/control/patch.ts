/**
 * API Gateway's patch operations (UpdateRestApi, UpdateResource, UpdateMethod, UpdateStage...):
 * JSON-Patch-like `{op, path, value}` items where `path` is a JSON pointer into the resource
 * (`/binaryMediaTypes/image~1png`, `/requestParameters/method.request.header.x`,
 * `/~1pets/GET/throttling/rateLimit`) and every value is a string.
 *
 * Each resource decides which paths and ops it supports; this file holds what they share: reading the
 * list (coral checks every `op` against the enum first and reports all bad ones together), JSON
 * pointer unescaping, and API Gateway's two families of rejection texts (recorded against AWS in
 * LocalStack's test_apigateway_api snapshots):
 *   older resources  "Invalid patch path /x"  and  "Invalid patch operation specified. Must be one of: [replace]"
 *   newer resources  "Invalid patch path  '/x' specified for op 'replace'. Must be one of: [/a, /b]"
 *                    "Invalid patch path  '/x' specified for op 'add'. Please choose supported operations"
 */

import { badRequest, enumViolation, serializationError, validationErrors } from "./errors.ts";
import type { Json } from "./http.ts";

export interface PatchOperation {
  op: string;
  /** Absent paths are reported as "null", as API Gateway (a Java service) prints them. */
  path: string | undefined;
  value: string | undefined;
  from: string | undefined;
}

const OPS = ["add", "remove", "move", "test", "replace", "copy"];

/** The request's patchOperations; `inputName` is coral's name for the input ("updateRestApiInput"). */
export function patchOperations(body: Json, inputName: string, extra: string[] = []): PatchOperation[] {
  const raw = body.patchOperations;
  if (raw !== undefined && raw !== null && !Array.isArray(raw)) throw serializationError(raw);
  const list = (raw ?? []) as unknown[];
  const messages: string[] = [];
  const ops = list.map((item, index) => {
    if (item !== null && (typeof item !== "object" || Array.isArray(item))) throw serializationError(item);
    const entry = (item ?? {}) as Json;
    const op = typeof entry.op === "string" ? entry.op : "";
    if (!OPS.includes(op)) {
      messages.push(enumViolation(op, `${inputName}.patchOperations.${index + 1}.member.op`, OPS));
    }
    return {
      op,
      path: typeof entry.path === "string" ? entry.path : undefined,
      value: typeof entry.value === "string" ? entry.value : undefined,
      from: typeof entry.from === "string" ? entry.from : undefined,
    };
  });
  messages.push(...extra);
  if (messages.length > 0) throw validationErrors(messages);
  return ops;
}

/** One JSON-pointer token: "~1" is "/", "~0" is "~". */
export function unescapeToken(token: string): string {
  return token.replace(/~1/g, "/").replace(/~0/g, "~");
}

/** The rest of `path` after `prefix` ("/requestParameters/"), unescaped; undefined if not under it. */
export function keyUnder(path: string | undefined, prefix: string): string | undefined {
  if (path === undefined || !path.startsWith(prefix) || path.length === prefix.length) return undefined;
  return unescapeToken(path.slice(prefix.length));
}

export const invalidPatchPath = (path: string | undefined) =>
  badRequest(`Invalid patch path ${path ?? "null"}`);

export const invalidPatchOperation = (allowed: string) =>
  badRequest(`Invalid patch operation specified. Must be one of: [${allowed}]`);

/** The newer resources' texts (Resource, Model, RequestValidator, DocumentationPart). */
export function unsupportedPatch(op: PatchOperation, replaceablePaths: readonly string[]) {
  const path = op.path ?? "null";
  if (op.op === "replace") {
    return badRequest(
      `Invalid patch path  '${path}' specified for op 'replace'. Must be one of: [${replaceablePaths.join(", ")}]`,
    );
  }
  return badRequest(
    `Invalid patch path  '${path}' specified for op '${op.op}'. Please choose supported operations`,
  );
}

/** A patch value read as a boolean the way API Gateway does: only "true" is true. */
export function patchBool(op: PatchOperation): boolean {
  return op.value === "true";
}

/** add/replace put `value` under the key, remove deletes it; the map disappears when empty. */
export function patchStringMap(
  target: Json,
  member: string,
  key: string,
  op: PatchOperation,
  value: string | boolean | undefined = op.value,
): void {
  const map = { ...((target[member] as Json | undefined) ?? {}) };
  if (op.op === "remove") delete map[key];
  else map[key] = value;
  if (Object.keys(map).length === 0) delete target[member];
  else target[member] = map;
}
