/**
 * GetFunction (configuration, code location, tags), GetFunctionConfiguration and ListFunctions.
 *
 * ## Gaps
 * - GetFunction's Code.Location is a Stratus URL naming the stored zip; Stratus does not serve it yet.
 * - ListFunctions ignores FunctionVersion=ALL and MasterRegion (lists $LATEST of each function).
 */
import type { RequestContext } from "../../../aws/context.ts";
import type { RestJsonResult } from "../../../aws/protocols/rest-json-operation.ts";
import type { ServiceRequest } from "../../service.ts";
import type { StoredCode } from "../code/code-store.ts";
import { constraintText, validationErrors } from "../errors.ts";
import type { LambdaStore } from "../store.ts";
import { currentConfiguration, latestView } from "./configuration.ts";
import { optionalInteger, optionalString } from "./validate.ts";

export interface GetFunctionInput {
  FunctionName: string;
  Qualifier?: string;
}

export interface ListFunctionsInput {
  Marker?: string;
  MaxItems?: number;
  FunctionVersion?: string;
  MasterRegion?: string;
}

/** ListFunctions answers at most 50 functions a page (Lambda API reference). */
export const LIST_PAGE_MAX = 50;

/** Where this Stratus was reached, for URLs in answers (the Host header the client sent). */
function baseUrl(request: ServiceRequest): string {
  const host = request.headers.host ?? "localhost";
  return `http://${host}`;
}

/** Where the package can be fetched; for hot reload, LocalStack's "Code location: DIR". */
function codeLocation(code: StoredCode, request: ServiceRequest): string {
  if (code.hotReloadDir !== undefined) return `Code location: ${code.hotReloadDir}`;
  return `${baseUrl(request)}/_stratus/lambda/code/${code.sha256Hex}.zip`;
}

export function getFunction(store: LambdaStore) {
  return async (
    input: GetFunctionInput,
    context: RequestContext,
    request: ServiceRequest,
  ): Promise<RestJsonResult> => {
    const resolved = await store.resolve(context, input.FunctionName, input.Qualifier);
    const body: Record<string, unknown> = {
      Configuration: currentConfiguration(resolved, store.nowMs()),
      Code: {
        RepositoryType: "S3",
        Location: codeLocation(resolved.settings.code, request),
      },
    };
    if (Object.keys(resolved.record.tags).length > 0) body.Tags = { ...resolved.record.tags };
    if (resolved.record.reservedConcurrency !== undefined) {
      body.Concurrency = { ReservedConcurrentExecutions: resolved.record.reservedConcurrency };
    }
    return { body };
  };
}

export function getFunctionConfiguration(store: LambdaStore) {
  return async (input: GetFunctionInput, context: RequestContext): Promise<RestJsonResult> => {
    const resolved = await store.resolve(context, input.FunctionName, input.Qualifier);
    return { body: currentConfiguration(resolved, store.nowMs()) };
  };
}

/** The Marker is opaque to clients: the last name of the previous page, base64url-encoded. */
function encodeMarker(name: string): string {
  return Buffer.from(name, "utf8").toString("base64url");
}

function decodeMarker(marker: string): string {
  return Buffer.from(marker, "base64url").toString("utf8");
}

export function listFunctions(store: LambdaStore) {
  return async (input: ListFunctionsInput, context: RequestContext): Promise<RestJsonResult> => {
    const maxItems = optionalInteger(input.MaxItems, "MaxItems");
    if (maxItems !== undefined && (maxItems < 1 || maxItems > 10000)) {
      const bound = maxItems < 1 ? "greater than or equal to 1" : "less than or equal to 10000";
      throw validationErrors([
        constraintText("maxItems", String(maxItems), `Member must have value ${bound}`),
      ]);
    }
    const limit = Math.min(maxItems ?? LIST_PAGE_MAX, LIST_PAGE_MAX);
    const marker = optionalString(input.Marker, "Marker");
    const after = marker === undefined || marker === "" ? undefined : decodeMarker(marker);
    const records = await store.list(store.storage, context.accountId, context.region, after, limit + 1);
    const page = records.slice(0, limit);
    const now = store.nowMs();
    const body: Record<string, unknown> = {
      Functions: page.map((record) => currentConfiguration(latestView(record), now, true)),
    };
    const last = page.at(-1);
    if (records.length > limit && last) body.NextMarker = encodeMarker(last.name);
    return { body };
  };
}
