/**
 * Function URLs' control plane (restJson1 under /2021-10-31/functions/{FunctionName}/url[s]):
 * CreateFunctionUrlConfig (201), GetFunctionUrlConfig, UpdateFunctionUrlConfig,
 * DeleteFunctionUrlConfig (204), ListFunctionUrlConfigs. A URL belongs to $LATEST (no Qualifier) or to
 * an alias; the URLs themselves are served by data-plane.ts. DeleteFunction removes a function's URLs.
 *
 * Answers as recorded from Lambda (LocalStack snapshots, 2025-11-24): Create answers FunctionUrl,
 * FunctionArn (qualified for an alias), AuthType, Cors when given, CreationTime, and InvokeMode only
 * when the request named one; Get/Update/List add LastModifiedTime. An Update without InvokeMode keeps
 * the previous one.
 *
 * ## Gaps
 * - Deleting an alias leaves its URL in place (as Lambda does); the URL then answers 403.
 * - No resource-based policy is required to invoke a URL (Stratus does not enforce IAM yet), so
 *   AddPermission with lambda:InvokeFunctionUrl is optional here.
 */
import type { RequestContext } from "../../../aws/context.ts";
import { restJsonHandler } from "../../../aws/protocols/rest-json-operation.ts";
import type { KvReader } from "../../../storage/kv.ts";
import type { OperationHandler, ServiceRequest } from "../../service.ts";
import { functionNameConstraints, locateFunction } from "../control/function-name.ts";
import { decodeMarker, page } from "../control/lookup.ts";
import { urlConfigExists, urlConfigNotFound, urlFunctionNotFound, validationErrors } from "../errors.ts";
import type { LambdaParts } from "../parts.ts";
import { FORMAT_VERSION, type FunctionRecord, LATEST, type LambdaStore } from "../store.ts";
import {
  deleteUrlConfig,
  getUrlConfig,
  listUrlConfigs,
  newUrlId,
  putUrlConfig,
  type UrlConfigRecord,
  urlFor,
  urlFunctionArn,
  urlTimestamp,
} from "./url-store.ts";
import { Constraints } from "./validate.ts";

interface UrlInput {
  FunctionName: string;
  Qualifier?: string;
  AuthType?: unknown;
  Cors?: unknown;
  InvokeMode?: unknown;
}

interface ListInput {
  FunctionName: string;
  Marker?: string;
  MaxItems?: number;
}

interface UrlTarget {
  record: FunctionRecord;
  /** "$LATEST" or an alias. */
  qualifier: string;
}

export function functionUrlOperations(parts: LambdaParts): Record<string, OperationHandler> {
  const { model, store } = parts;
  parts.onFunctionDeleted(async (accountId, region, name, qualifier) => {
    // Only a whole function has URLs to lose: versions cannot have one.
    if (qualifier !== undefined) return;
    await store.storage.transaction(async (tx) => {
      for (const config of await listUrlConfigs(tx, accountId, region, name)) deleteUrlConfig(tx, config);
    });
  });
  return {
    CreateFunctionUrlConfig: restJsonHandler(model, "CreateFunctionUrlConfig", createUrl(store)),
    GetFunctionUrlConfig: restJsonHandler(model, "GetFunctionUrlConfig", getUrl(store)),
    UpdateFunctionUrlConfig: restJsonHandler(model, "UpdateFunctionUrlConfig", updateUrl(store)),
    DeleteFunctionUrlConfig: restJsonHandler(model, "DeleteFunctionUrlConfig", deleteUrl(store)),
    ListFunctionUrlConfigs: restJsonHandler(model, "ListFunctionUrlConfigs", listUrls(store)),
  };
}

function createUrl(store: LambdaStore) {
  return async (input: UrlInput, context: RequestContext, request: ServiceRequest) => {
    const checks = new Constraints();
    checkName(checks, input);
    const authType = checks.authType(input.AuthType, true);
    const cors = checks.cors(input.Cors);
    const invokeMode = checks.invokeMode(input.InvokeMode);
    checks.check();
    const name = namedUrl(context, input);
    const record = await store.storage.transaction(async (tx) => {
      const target = await locateTarget(store, tx, context, name);
      if (!target) throw urlFunctionNotFound();
      const existing = await getUrlConfig(tx, context.accountId, context.region, name.name, target.qualifier);
      if (existing) throw urlConfigExists(urlFunctionArn(existing));
      const now = urlTimestamp(store.clock.now());
      const created: UrlConfigRecord = {
        v: FORMAT_VERSION,
        urlId: newUrlId(),
        accountId: context.accountId,
        region: context.region,
        name: target.record.name,
        qualifier: target.qualifier,
        authType: authType ?? "NONE",
        ...(cors !== undefined ? { cors } : {}),
        ...(invokeMode !== undefined ? { invokeMode } : {}),
        creationTime: now,
        lastModifiedTime: now,
      };
      putUrlConfig(tx, created);
      return created;
    });
    return { status: 201, body: configAnswer(record, hostOf(request), false) };
  };
}

function getUrl(store: LambdaStore) {
  return async (input: UrlInput, context: RequestContext, request: ServiceRequest) => {
    const checks = new Constraints();
    checkName(checks, input);
    checks.check();
    const name = namedUrl(context, input);
    const record = await requireConfig(store, store.storage, context, name);
    return { body: configAnswer(record, hostOf(request), true) };
  };
}

function updateUrl(store: LambdaStore) {
  return async (input: UrlInput, context: RequestContext, request: ServiceRequest) => {
    const checks = new Constraints();
    checkName(checks, input);
    const authType = checks.authType(input.AuthType, false);
    const cors = checks.cors(input.Cors);
    const invokeMode = checks.invokeMode(input.InvokeMode);
    checks.check();
    const name = namedUrl(context, input);
    const record = await store.storage.transaction(async (tx) => {
      const current = await requireConfig(store, tx, context, name);
      const updated: UrlConfigRecord = {
        ...current,
        ...(authType !== undefined ? { authType } : {}),
        ...(cors !== undefined ? { cors } : {}),
        ...(invokeMode !== undefined ? { invokeMode } : {}),
        lastModifiedTime: urlTimestamp(store.clock.now()),
      };
      putUrlConfig(tx, updated);
      return updated;
    });
    return { body: configAnswer(record, hostOf(request), true) };
  };
}

function deleteUrl(store: LambdaStore) {
  return async (input: UrlInput, context: RequestContext) => {
    const checks = new Constraints();
    checkName(checks, input);
    checks.check();
    const name = namedUrl(context, input);
    await store.storage.transaction(async (tx) => {
      deleteUrlConfig(tx, await requireConfig(store, tx, context, name));
    });
    return { status: 204 };
  };
}

function listUrls(store: LambdaStore) {
  return async (input: ListInput, context: RequestContext, request: ServiceRequest) => {
    const checks = new Constraints();
    const messages = functionNameConstraints(input.FunctionName, true);
    const limit = checks.maxItems(input.MaxItems);
    if (messages.length + checks.messages.length > 0)
      throw validationErrors([...messages, ...checks.messages]);
    const located = locateFunction(context, input.FunctionName);
    const record =
      located.accountId === context.accountId
        ? await store.get(store.storage, context.accountId, context.region, located.name)
        : undefined;
    if (!record) throw urlFunctionNotFound();
    const configs = await listUrlConfigs(store.storage, context.accountId, context.region, record.name);
    const host = hostOf(request);
    const listed = page(configs, (c) => c.qualifier, decodeMarker(input.Marker), limit);
    return {
      body: {
        FunctionUrlConfigs: listed.items.map((c) => configAnswer(c, host, true)),
        ...(listed.nextMarker !== undefined ? { NextMarker: listed.nextMarker } : {}),
      },
    };
  };
}

interface NamedUrl {
  name: string;
  accountId: string;
  /** "$LATEST" or an alias. */
  qualifier: string;
}

/** The model's checks of FunctionName (its pattern, at most 140 characters) and Qualifier. */
function checkName(checks: Constraints, input: UrlInput): void {
  checks.messages.push(...functionNameConstraints(input.FunctionName, true));
  checks.qualifier(input.Qualifier);
}

/**
 * The function and qualifier a checked request names: the Qualifier parameter or the ARN's, which
 * must be an alias name too; none is $LATEST.
 */
function namedUrl(context: RequestContext, input: UrlInput): NamedUrl {
  const located = locateFunction(context, input.FunctionName, input.Qualifier);
  if (input.Qualifier === undefined && located.qualifier !== undefined) {
    const checks = new Constraints();
    checks.qualifier(located.qualifier);
    checks.check();
  }
  return { name: located.name, accountId: located.accountId, qualifier: located.qualifier ?? LATEST };
}

async function locateTarget(
  store: LambdaStore,
  reader: KvReader,
  context: RequestContext,
  named: NamedUrl,
): Promise<UrlTarget | undefined> {
  if (named.accountId !== context.accountId) return undefined;
  const record = await store.get(reader, context.accountId, context.region, named.name);
  if (!record) return undefined;
  if (named.qualifier !== LATEST && !(await store.getAlias(reader, record, named.qualifier)))
    return undefined;
  return { record, qualifier: named.qualifier };
}

/** The URL configuration the request names, or Lambda's not-found errors. */
async function requireConfig(
  store: LambdaStore,
  reader: KvReader,
  context: RequestContext,
  named: NamedUrl,
): Promise<UrlConfigRecord> {
  const located =
    named.accountId === context.accountId
      ? await store.get(reader, context.accountId, context.region, named.name)
      : undefined;
  if (!located) throw urlFunctionNotFound();
  const config = await getUrlConfig(reader, context.accountId, context.region, named.name, named.qualifier);
  if (!config) throw urlConfigNotFound();
  return config;
}

function hostOf(request: ServiceRequest): string | undefined {
  const host = request.headers.host;
  return typeof host === "string" ? host : undefined;
}

/** A FunctionUrlConfig as Lambda answers it; `full` adds LastModifiedTime (everything but Create). */
function configAnswer(
  record: UrlConfigRecord,
  host: string | undefined,
  full: boolean,
): Record<string, unknown> {
  return {
    FunctionUrl: urlFor(record, host),
    FunctionArn: urlFunctionArn(record),
    AuthType: record.authType,
    ...(record.cors !== undefined ? { Cors: record.cors } : {}),
    CreationTime: record.creationTime,
    ...(full ? { LastModifiedTime: record.lastModifiedTime } : {}),
    ...(record.invokeMode !== undefined ? { InvokeMode: record.invokeMode } : {}),
  };
}
