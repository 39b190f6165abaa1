/**
 * Put/Get/Update/Delete/ListFunctionEventInvokeConfig(s) (`/2019-09-25/functions/{FunctionName}/
 * event-invoke-config`): retries, event age and destinations of asynchronous invocations, per function
 * and qualifier ($LATEST when none is given, a published version or an alias; in the name, as
 * `name:qualifier` or a qualified ARN, or as Qualifier).
 *
 * Answers are FunctionEventInvokeConfig: LastModified (epoch seconds), FunctionArn (always qualified),
 * MaximumRetryAttempts and MaximumEventAgeInSeconds only when set, DestinationConfig {OnSuccess: {},
 * OnFailure: {}} with `Destination` where one is set. Put replaces the whole config (unset values are
 * removed); Update changes the values it names; DestinationConfig's OnSuccess/OnFailure each replace
 * their side when named (unconfirmed: AWS may replace the whole DestinationConfig).
 *
 * Texts and order of checks from LocalStack's snapshots recorded against Lambda: ValidationException for
 * the model's constraints; "You must specify at least one of error handling or destination setting."
 * before the function is looked up; "The function doesn't exist." (Put/Update/List);
 * "The function ARN:QUALIFIER doesn't have an EventInvokeConfig" (Get/Delete for a missing function or
 * config, Update for a missing config). Destinations: destinations.ts.
 *
 * DeleteFunction removes the function's configs; deleting a version removes that version's.
 *
 * ## Gaps
 * - DeleteAlias does not remove the alias's config (no hook for aliases yet): List leaves it out, but a
 *   new alias of the same name finds it.
 */
import type { RequestContext } from "../../../aws/context.ts";
import { type RestJsonResult, restJsonHandler } from "../../../aws/protocols/rest-json-operation.ts";
import type { KvReader } from "../../../storage/kv.ts";
import type { OperationHandler } from "../../service.ts";
import { functionNameConstraints, locateFunction } from "../control/function-name.ts";
import { decodeMarker, page } from "../control/lookup.ts";
import {
  constraintText,
  eventInvokeConfigEmpty,
  eventInvokeConfigNotFound,
  eventInvokeFunctionMissing,
  qualifierMismatch,
  serializationError,
  validationErrors,
} from "../errors.ts";
import type { LambdaParts } from "../parts.ts";
import { type FunctionRecord, functionArn, LATEST, type LambdaStore } from "../store.ts";
import {
  deleteAllEventInvokeConfigs,
  deleteEventInvokeConfig,
  type EventInvokeConfigRecord,
  getEventInvokeConfig,
  listEventInvokeConfigs,
  putEventInvokeConfig,
} from "./config-store.ts";
import { checkDestinations, type DestinationsInput, readDestinations } from "./destinations.ts";

export interface EventInvokeConfigInput {
  FunctionName: string;
  Qualifier?: string;
  MaximumRetryAttempts?: unknown;
  MaximumEventAgeInSeconds?: unknown;
  DestinationConfig?: unknown;
}

export interface ListEventInvokeConfigsInput {
  FunctionName: string;
  Marker?: string;
  MaxItems?: number;
}

/** The model's NumericLatestPublishedOrAliasQualifier. */
const QUALIFIER_PATTERN = "\\$(LATEST(\\.PUBLISHED)?)|[a-zA-Z0-9-_$]+";
const QUALIFIER = /^(?:\$(LATEST(\.PUBLISHED)?)|[a-zA-Z0-9_$-]+)$/;
const RETRIES = { member: "maximumRetryAttempts", min: 0, max: 2 };
const EVENT_AGE = { member: "maximumEventAgeInSeconds", min: 60, max: 21_600 };
/** ListFunctionEventInvokeConfigs: MaxItems 1–50 (model), pages of at most 50. */
export const EVENT_INVOKE_CONFIGS_PAGE_MAX = 50;

/** The values a Put or Update request names, checked against the model. */
interface ConfigChanges {
  retries?: number;
  eventAge?: number;
  destinations?: DestinationsInput;
}

/** Where a request points: the function's name and the qualifier ($LATEST when none). */
interface ConfigTarget {
  name: string;
  accountId: string;
  qualifier: string;
}

function optionalInteger(value: unknown, member: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value)) throw serializationError(member);
  return value;
}

function rangeText(bound: { member: string; min: number; max: number }, value: number): string | undefined {
  if (value < bound.min) {
    return constraintText(
      bound.member,
      String(value),
      `Member must have value greater than or equal to ${bound.min}`,
    );
  }
  if (value > bound.max) {
    return constraintText(
      bound.member,
      String(value),
      `Member must have value less than or equal to ${bound.max}`,
    );
  }
  return undefined;
}

function qualifierTexts(qualifier: string | undefined): string[] {
  if (qualifier === undefined) return [];
  const messages: string[] = [];
  if (qualifier.length > 128) {
    messages.push(
      constraintText("qualifier", qualifier, "Member must have length less than or equal to 128"),
    );
  }
  if (qualifier.length < 1) {
    messages.push(
      constraintText("qualifier", qualifier, "Member must have length greater than or equal to 1"),
    );
  }
  if (!QUALIFIER.test(qualifier)) {
    messages.push(
      constraintText(
        "qualifier",
        qualifier,
        `Member must satisfy regular expression pattern: ${QUALIFIER_PATTERN}`,
      ),
    );
  }
  return messages;
}

/** Model checks of the name, qualifier and values, as one ValidationException; then the target. */
function readRequest(
  context: RequestContext,
  input: EventInvokeConfigInput,
  withValues: boolean,
): { target: ConfigTarget; changes: ConfigChanges } {
  const retries = withValues
    ? optionalInteger(input.MaximumRetryAttempts, "MaximumRetryAttempts")
    : undefined;
  const eventAge = withValues
    ? optionalInteger(input.MaximumEventAgeInSeconds, "MaximumEventAgeInSeconds")
    : undefined;
  const messages = [
    ...functionNameConstraints(input.FunctionName, false),
    ...qualifierTexts(input.Qualifier),
  ];
  const retriesText = retries === undefined ? undefined : rangeText(RETRIES, retries);
  if (retriesText !== undefined) messages.push(retriesText);
  const ageText = eventAge === undefined ? undefined : rangeText(EVENT_AGE, eventAge);
  if (ageText !== undefined) messages.push(ageText);
  if (messages.length > 0) throw validationErrors(messages);
  const destinations = withValues ? readDestinations(input.DestinationConfig) : undefined;

  const located = locateFunction(context, input.FunctionName);
  if (
    located.qualifier !== undefined &&
    input.Qualifier !== undefined &&
    located.qualifier !== input.Qualifier
  ) {
    throw qualifierMismatch();
  }
  const target = {
    name: located.name,
    accountId: located.accountId,
    qualifier: located.qualifier ?? input.Qualifier ?? LATEST,
  };
  const changes: ConfigChanges = {
    ...(retries !== undefined ? { retries } : {}),
    ...(eventAge !== undefined ? { eventAge } : {}),
    ...(destinations !== undefined ? { destinations } : {}),
  };
  return { target, changes };
}

function qualifiedArn(context: RequestContext, target: ConfigTarget): string {
  return functionArn(context.region, target.accountId, target.name, target.qualifier);
}

/** The function, when it exists with the target's qualifier (version or alias). */
async function findTarget(
  store: LambdaStore,
  reader: KvReader,
  context: RequestContext,
  target: ConfigTarget,
): Promise<FunctionRecord | undefined> {
  if (target.accountId !== context.accountId) return undefined;
  const record = await store.get(reader, context.accountId, context.region, target.name);
  if (!record) return undefined;
  const qualifier = target.qualifier;
  if (qualifier === LATEST) return record;
  if (/^[0-9]+$/.test(qualifier)) {
    const found =
      /^[1-9][0-9]{0,15}$/.test(qualifier) && (await store.getVersion(reader, record, Number(qualifier)));
    return found ? record : undefined;
  }
  return (await store.getAlias(reader, record, qualifier)) ? record : undefined;
}

export function eventInvokeConfigOutput(
  context: RequestContext,
  record: EventInvokeConfigRecord,
): Record<string, unknown> {
  const out: Record<string, unknown> = {
    LastModified: record.lastModifiedMs / 1000,
    FunctionArn: functionArn(context.region, context.accountId, record.name, record.qualifier),
  };
  if (record.maximumRetryAttempts !== undefined) out.MaximumRetryAttempts = record.maximumRetryAttempts;
  if (record.maximumEventAgeInSeconds !== undefined) {
    out.MaximumEventAgeInSeconds = record.maximumEventAgeInSeconds;
  }
  out.DestinationConfig = {
    OnSuccess: record.onSuccess === undefined ? {} : { Destination: record.onSuccess },
    OnFailure: record.onFailure === undefined ? {} : { Destination: record.onFailure },
  };
  return out;
}

function hasChanges(changes: ConfigChanges): boolean {
  return (
    changes.retries !== undefined || changes.eventAge !== undefined || changes.destinations !== undefined
  );
}

/** Put (replace = true) and Update (replace = false). */
function writeConfig(store: LambdaStore, replace: boolean) {
  return async (input: EventInvokeConfigInput, context: RequestContext): Promise<RestJsonResult> => {
    const { target, changes } = readRequest(context, input, true);
    if (!hasChanges(changes)) throw eventInvokeConfigEmpty();
    const body = await store.storage.transaction(async (tx) => {
      if (!(await findTarget(store, tx, context, target))) throw eventInvokeFunctionMissing();
      const existing = await getEventInvokeConfig(
        tx,
        context.accountId,
        context.region,
        target.name,
        target.qualifier,
      );
      if (!replace && !existing) throw eventInvokeConfigNotFound(qualifiedArn(context, target));
      const given = changes.destinations;
      if (given !== undefined) await checkDestinations(store, tx, context, target.name, given);
      const base = replace ? undefined : existing;
      const onSuccess = given?.hasOnSuccess ? given.onSuccess : base?.onSuccess;
      const onFailure = given?.hasOnFailure ? given.onFailure : base?.onFailure;
      const retries = changes.retries ?? base?.maximumRetryAttempts;
      const eventAge = changes.eventAge ?? base?.maximumEventAgeInSeconds;
      const record: EventInvokeConfigRecord = {
        v: 1,
        name: target.name,
        qualifier: target.qualifier,
        ...(retries !== undefined ? { maximumRetryAttempts: retries } : {}),
        ...(eventAge !== undefined ? { maximumEventAgeInSeconds: eventAge } : {}),
        ...(onSuccess !== undefined ? { onSuccess } : {}),
        ...(onFailure !== undefined ? { onFailure } : {}),
        lastModifiedMs: store.nowMs(),
      };
      putEventInvokeConfig(tx, context.accountId, context.region, record);
      return eventInvokeConfigOutput(context, record);
    });
    return { body };
  };
}

function getConfig(store: LambdaStore) {
  return async (input: EventInvokeConfigInput, context: RequestContext): Promise<RestJsonResult> => {
    const { target } = readRequest(context, input, false);
    const missing = () => eventInvokeConfigNotFound(qualifiedArn(context, target));
    if (!(await findTarget(store, store.storage, context, target))) throw missing();
    const record = await getEventInvokeConfig(
      store.storage,
      context.accountId,
      context.region,
      target.name,
      target.qualifier,
    );
    if (!record) throw missing();
    return { body: eventInvokeConfigOutput(context, record) };
  };
}

function deleteConfig(store: LambdaStore) {
  return async (input: EventInvokeConfigInput, context: RequestContext): Promise<RestJsonResult> => {
    const { target } = readRequest(context, input, false);
    const missing = () => eventInvokeConfigNotFound(qualifiedArn(context, target));
    await store.storage.transaction(async (tx) => {
      if (!(await findTarget(store, tx, context, target))) throw missing();
      const record = await getEventInvokeConfig(
        tx,
        context.accountId,
        context.region,
        target.name,
        target.qualifier,
      );
      if (!record) throw missing();
      deleteEventInvokeConfig(tx, context.accountId, context.region, target.name, target.qualifier);
    });
    return { status: 204 };
  };
}

function listConfigs(store: LambdaStore) {
  return async (input: ListEventInvokeConfigsInput, context: RequestContext): Promise<RestJsonResult> => {
    const messages = functionNameConstraints(input.FunctionName, false);
    const maxItems = optionalInteger(input.MaxItems, "MaxItems");
    if (maxItems !== undefined) {
      const text = rangeText({ member: "maxItems", min: 1, max: EVENT_INVOKE_CONFIGS_PAGE_MAX }, maxItems);
      if (text !== undefined) messages.push(text);
    }
    if (messages.length > 0) throw validationErrors(messages);
    const located = locateFunction(context, input.FunctionName);
    const target = { name: located.name, accountId: located.accountId, qualifier: LATEST };
    if (!(await findTarget(store, store.storage, context, target))) throw eventInvokeFunctionMissing();
    const stored = await listEventInvokeConfigs(
      store.storage,
      context.accountId,
      context.region,
      target.name,
    );
    // A deleted alias leaves its config behind (no alias hook yet): list only qualifiers that exist.
    const configs: EventInvokeConfigRecord[] = [];
    for (const config of stored) {
      if (await findTarget(store, store.storage, context, { ...target, qualifier: config.qualifier })) {
        configs.push(config);
      }
    }
    const result = page(
      configs,
      (config) => config.qualifier,
      decodeMarker(input.Marker),
      maxItems ?? EVENT_INVOKE_CONFIGS_PAGE_MAX,
    );
    const body: Record<string, unknown> = {
      FunctionEventInvokeConfigs: result.items.map((config) => eventInvokeConfigOutput(context, config)),
    };
    if (result.nextMarker !== undefined) body.NextMarker = result.nextMarker;
    return { body };
  };
}

export function asyncInvokeConfigOperations(parts: LambdaParts): Record<string, OperationHandler> {
  const { model, store } = parts;
  // A function's configs go with it; a deleted version takes its own.
  parts.onFunctionDeleted(async (accountId, region, name, qualifier) => {
    await store.storage.transaction(async (tx) => {
      if (qualifier === undefined) await deleteAllEventInvokeConfigs(tx, accountId, region, name);
      else deleteEventInvokeConfig(tx, accountId, region, name, qualifier);
    });
  });
  return {
    PutFunctionEventInvokeConfig: restJsonHandler(
      model,
      "PutFunctionEventInvokeConfig",
      writeConfig(store, true),
    ),
    UpdateFunctionEventInvokeConfig: restJsonHandler(
      model,
      "UpdateFunctionEventInvokeConfig",
      writeConfig(store, false),
    ),
    GetFunctionEventInvokeConfig: restJsonHandler(model, "GetFunctionEventInvokeConfig", getConfig(store)),
    DeleteFunctionEventInvokeConfig: restJsonHandler(
      model,
      "DeleteFunctionEventInvokeConfig",
      deleteConfig(store),
    ),
    ListFunctionEventInvokeConfigs: restJsonHandler(
      model,
      "ListFunctionEventInvokeConfigs",
      listConfigs(store),
    ),
  };
}
