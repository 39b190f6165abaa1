/**
 * The function record an operation on the whole function names (PublishVersion, aliases, concurrency,
 * tags), or ResourceNotFoundException "Function not found: ARN" (unqualified). A qualifier in the
 * name is ignored here; callers that care check it themselves.
 */
import type { RequestContext } from "../../../aws/context.ts";
import type { KvReader } from "../../../storage/kv.ts";
import { constraintText, functionNotFound, validationErrors } from "../errors.ts";
import { type FunctionRecord, functionArn, type LambdaStore } from "../store.ts";
import { functionNameConstraints, locateFunction } from "./function-name.ts";
import { optionalInteger } from "./validate.ts";

export async function requireFunction(
  store: LambdaStore,
  context: RequestContext,
  functionName: string,
  reader: KvReader,
  forCreatePattern = true,
): Promise<FunctionRecord> {
  const messages = functionNameConstraints(functionName, forCreatePattern);
  if (messages.length > 0) throw validationErrors(messages);
  const located = locateFunction(context, functionName);
  const notFound = () => functionNotFound(functionArn(context.region, located.accountId, located.name));
  if (located.accountId !== context.accountId) throw notFound();
  const record = await store.get(reader, context.accountId, context.region, located.name);
  if (!record) throw notFound();
  return record;
}

/** List pages: MaxItems 1–10000 (model), at most `pageMax` items a page. */
export function pageSize(value: unknown, pageMax: number): number {
  const maxItems = optionalInteger(value, "MaxItems");
  if (maxItems !== undefined && (maxItems < 1 || maxItems > 10000)) {
    const bound = maxItems < 1 ? "greater than or equal to 1" : "less than or equal to 10000";
    throw validationErrors([constraintText("maxItems", String(maxItems), `Member must have value ${bound}`)]);
  }
  return Math.min(maxItems ?? pageMax, pageMax);
}

/** Markers are opaque to clients: the last key of the previous page, base64url-encoded. */
export function encodeMarker(key: string): string {
  return Buffer.from(key, "utf8").toString("base64url");
}

export function decodeMarker(marker: string | undefined): string | undefined {
  return marker === undefined || marker === ""
    ? undefined
    : Buffer.from(marker, "base64url").toString("utf8");
}

/** One page of `items` (in order) after the item whose key is `after`. */
export function page<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  after: string | undefined,
  limit: number,
): { items: T[]; nextMarker?: string } {
  const start = after === undefined ? 0 : items.findIndex((item) => keyOf(item) === after) + 1;
  const slice = items.slice(start, start + limit);
  const last = slice.at(-1);
  return start + limit < items.length && last !== undefined
    ? { items: slice, nextMarker: encodeMarker(keyOf(last)) }
    : { items: slice };
}
