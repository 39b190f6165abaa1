/**
 * Aliases: CreateAlias (POST …/aliases, 201), GetAlias, UpdateAlias (PUT), DeleteAlias (204),
 * ListAliases. An alias names $LATEST or a published version, and with RoutingConfig
 * AdditionalVersionWeights sends a share of the invocations to one other version (store.ts
 * `routeAlias`, applied by Invoke; X-Amz-Executed-Version says where each one ran).
 *
 * Texts from LocalStack's provider (recorded from Lambda): "Alias already exists: ARN", "Cannot find
 * alias arn: ARN" (GetAlias), the routing checks. UpdateAlias of an unknown alias answers "Alias not
 * found: ARN" and DeleteAlias of one succeeds with 204 (LocalStack's alias tests recorded against
 * Lambda, localstack/localstack#11878). DeleteAlias also deletes the alias's resource-based policy.
 * DeleteFunction refuses to delete a version an alias references (delete-function.ts).
 */
import type { RequestContext } from "../../../aws/context.ts";
import type { RestJsonResult } from "../../../aws/protocols/rest-json-operation.ts";
import type { KvReader } from "../../../storage/kv.ts";
import {
  aliasAlreadyExists,
  aliasNotFound,
  aliasNotFoundForUpdate,
  constraintText,
  functionNotFound,
  revisionMismatch,
  routingIncludesPrimary,
  routingTooManyVersions,
  routingWithLatest,
  serializationError,
  validationErrors,
} from "../errors.ts";
import { deletePolicy } from "../permissions/policy-store.ts";
import {
  type AliasRecord,
  FORMAT_VERSION,
  type FunctionRecord,
  functionArn,
  LATEST,
  type LambdaStore,
} from "../store.ts";
import { decodeMarker, page, pageSize, requireFunction } from "./lookup.ts";
import { DESCRIPTION_LENGTH_MAX, optionalString } from "./validate.ts";

export interface AliasInput {
  FunctionName: string;
  Name?: unknown;
  FunctionVersion?: unknown;
  Description?: unknown;
  RoutingConfig?: unknown;
  RevisionId?: unknown;
}

export interface ListAliasesInput {
  FunctionName: string;
  FunctionVersion?: string;
  Marker?: string;
  MaxItems?: number;
}

const ALIAS_PATTERN = "(?!^[0-9]+$)([a-zA-Z0-9-_]+)";
const ALIAS = /^(?!^[0-9]+$)([a-zA-Z0-9-_]+)$/;
const VERSION_PATTERN = "(\\$LATEST|[0-9]+)";
const VERSION = /^(\$LATEST|[0-9]+)$/;
/** ListAliases answers at most 50 aliases a page. */
export const ALIASES_PAGE_MAX = 50;

function aliasArn(record: FunctionRecord, alias: string): string {
  return functionArn(record.region, record.accountId, record.name, alias);
}

export function aliasConfiguration(record: FunctionRecord, alias: AliasRecord): Record<string, unknown> {
  const out: Record<string, unknown> = {
    AliasArn: aliasArn(record, alias.alias),
    Name: alias.alias,
    FunctionVersion: alias.functionVersion,
    Description: alias.description,
  };
  if (alias.weights !== undefined) out.RoutingConfig = { AdditionalVersionWeights: { ...alias.weights } };
  out.RevisionId = alias.revisionId;
  return out;
}

/** The model's constraints on Name, FunctionVersion and Description, as one ValidationException. */
function checkMembers(
  name: string | undefined,
  version: string | undefined,
  description: string | undefined,
) {
  const messages: string[] = [];
  if (name !== undefined) {
    if (name.length > 128)
      messages.push(constraintText("name", name, "Member must have length less than or equal to 128"));
    if (name.length < 1)
      messages.push(constraintText("name", name, "Member must have length greater than or equal to 1"));
    if (!ALIAS.test(name))
      messages.push(
        constraintText("name", name, `Member must satisfy regular expression pattern: ${ALIAS_PATTERN}`),
      );
  }
  if (version !== undefined) {
    if (version.length > 1024)
      messages.push(
        constraintText("functionVersion", version, "Member must have length less than or equal to 1024"),
      );
    if (version.length < 1)
      messages.push(
        constraintText("functionVersion", version, "Member must have length greater than or equal to 1"),
      );
    if (!VERSION.test(version))
      messages.push(
        constraintText(
          "functionVersion",
          version,
          `Member must satisfy regular expression pattern: ${VERSION_PATTERN}`,
        ),
      );
  }
  if (description !== undefined && description.length > DESCRIPTION_LENGTH_MAX) {
    messages.push(
      constraintText(
        "description",
        description,
        `Member must have length less than or equal to ${DESCRIPTION_LENGTH_MAX}`,
      ),
    );
  }
  if (messages.length > 0) throw validationErrors(messages);
}

/** RoutingConfig.AdditionalVersionWeights as given: undefined = absent, {} = no routing. */
function weightsOf(value: unknown): Record<string, number> | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "object" || Array.isArray(value)) throw serializationError("RoutingConfig");
  const weights = (value as { AdditionalVersionWeights?: unknown }).AdditionalVersionWeights;
  if (weights === undefined || weights === null) return {};
  if (typeof weights !== "object" || Array.isArray(weights))
    throw serializationError("RoutingConfig.AdditionalVersionWeights");
  const out: Record<string, number> = {};
  for (const [key, weight] of Object.entries(weights as Record<string, unknown>)) {
    if (typeof weight !== "number") throw serializationError("RoutingConfig.AdditionalVersionWeights");
    out[key] = weight;
  }
  return out;
}

/** The version exists ($LATEST always does), or "Function not found: ARN:VERSION". */
async function checkVersion(
  store: LambdaStore,
  tx: KvReader,
  record: FunctionRecord,
  version: string,
): Promise<void> {
  if (version === LATEST) return;
  const found = /^[1-9][0-9]{0,15}$/.test(version) && (await store.getVersion(tx, record, Number(version)));
  if (!found) throw functionNotFound(functionArn(record.region, record.accountId, record.name, version));
}

/** Lambda's routing checks, in its order; answers the weights to store (undefined = no routing). */
async function checkRouting(
  store: LambdaStore,
  tx: KvReader,
  record: FunctionRecord,
  primary: string,
  weights: Record<string, number>,
): Promise<Record<string, number> | undefined> {
  const entries = Object.entries(weights);
  if (entries.length === 0) return undefined;
  if (entries.length > 1) throw routingTooManyVersions();
  for (const [key, weight] of entries) {
    if (weight < 0 || weight > 1) {
      throw validationErrors([
        `Value '{${key}=${weight}}' at 'routingConfig.additionalVersionWeights' failed to satisfy constraint: Map value must satisfy constraint: [Member must have value less than or equal to 1.0, Member must have value greater than or equal to 0.0, Member must not be null]`,
      ]);
    }
    if (key === primary) throw routingIncludesPrimary(primary);
    if (primary === LATEST) throw routingWithLatest();
    if (!/^[0-9]+$/.test(key)) {
      throw validationErrors([
        `Value '{${key}=${weight}}' at 'routingConfig.additionalVersionWeights' failed to satisfy constraint: Map keys must satisfy constraint: [Member must have length less than or equal to 1024, Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: [0-9]+, Member must not be null]`,
      ]);
    }
    await checkVersion(store, tx, record, key);
  }
  return { ...weights };
}

function requireName(value: unknown): string {
  const name = optionalString(value, "Name");
  if (name === undefined) {
    throw validationErrors([constraintText("name", undefined, "Member must not be null")]);
  }
  return name;
}

export function createAlias(store: LambdaStore) {
  return async (input: AliasInput, context: RequestContext): Promise<RestJsonResult> => {
    const name = requireName(input.Name);
    const version = optionalString(input.FunctionVersion, "FunctionVersion");
    const description = optionalString(input.Description, "Description");
    checkMembers(name, version, description);
    if (version === undefined) {
      throw validationErrors([constraintText("functionVersion", undefined, "Member must not be null")]);
    }
    const weights = weightsOf(input.RoutingConfig);
    const body = await store.storage.transaction(async (tx) => {
      const record = await requireFunction(store, context, input.FunctionName, tx);
      await checkVersion(store, tx, record, version);
      if (await store.getAlias(tx, record, name)) throw aliasAlreadyExists(aliasArn(record, name));
      const routed =
        weights === undefined ? undefined : await checkRouting(store, tx, record, version, weights);
      const alias: AliasRecord = {
        v: FORMAT_VERSION,
        name: record.name,
        alias: name,
        functionVersion: version,
        description: description ?? "",
        ...(routed !== undefined ? { weights: routed } : {}),
        revisionId: store.newRevisionId(),
      };
      store.putAlias(tx, record, alias);
      return aliasConfiguration(record, alias);
    });
    return { status: 201, body };
  };
}

async function requireAlias(
  store: LambdaStore,
  tx: KvReader,
  record: FunctionRecord,
  name: string,
): Promise<AliasRecord> {
  const alias = await store.getAlias(tx, record, name);
  if (!alias) throw aliasNotFound(aliasArn(record, name));
  return alias;
}

export function getAlias(store: LambdaStore) {
  return async (input: AliasInput, context: RequestContext): Promise<RestJsonResult> => {
    const name = requireName(input.Name);
    checkMembers(name, undefined, undefined);
    const record = await requireFunction(store, context, input.FunctionName, store.storage);
    const alias = await requireAlias(store, store.storage, record, name);
    return { body: aliasConfiguration(record, alias) };
  };
}

export function updateAlias(store: LambdaStore) {
  return async (input: AliasInput, context: RequestContext): Promise<RestJsonResult> => {
    const name = requireName(input.Name);
    const version = optionalString(input.FunctionVersion, "FunctionVersion");
    const description = optionalString(input.Description, "Description");
    const revisionId = optionalString(input.RevisionId, "RevisionId");
    checkMembers(name, version, description);
    const weights = weightsOf(input.RoutingConfig);
    const body = await store.storage.transaction(async (tx) => {
      const record = await requireFunction(store, context, input.FunctionName, tx);
      const alias = await store.getAlias(tx, record, name);
      if (!alias) throw aliasNotFoundForUpdate(aliasArn(record, name));
      if (revisionId !== undefined && revisionId !== alias.revisionId) throw revisionMismatch();
      const primary = version ?? alias.functionVersion;
      if (version !== undefined) await checkVersion(store, tx, record, version);
      const nextWeights =
        weights === undefined
          ? alias.weights === undefined
            ? undefined
            : await checkRouting(store, tx, record, primary, alias.weights)
          : await checkRouting(store, tx, record, primary, weights);
      const next: AliasRecord = {
        v: FORMAT_VERSION,
        name: record.name,
        alias: name,
        functionVersion: primary,
        description: description ?? alias.description,
        ...(nextWeights !== undefined ? { weights: nextWeights } : {}),
        revisionId: store.newRevisionId(),
      };
      store.putAlias(tx, record, next);
      return aliasConfiguration(record, next);
    });
    return { body };
  };
}

export function deleteAlias(store: LambdaStore) {
  return async (input: AliasInput, context: RequestContext): Promise<RestJsonResult> => {
    const name = requireName(input.Name);
    checkMembers(name, undefined, undefined);
    await store.storage.transaction(async (tx) => {
      const record = await requireFunction(store, context, input.FunctionName, tx);
      // Lambda answers 204 for an alias that does not exist, too.
      store.deleteAlias(tx, record, name);
      deletePolicy(tx, {
        accountId: record.accountId,
        region: record.region,
        name: record.name,
        qualifier: name,
      });
    });
    return { status: 204 };
  };
}

export function listAliases(store: LambdaStore) {
  return async (input: ListAliasesInput, context: RequestContext): Promise<RestJsonResult> => {
    const limit = pageSize(input.MaxItems, ALIASES_PAGE_MAX);
    const version = optionalString(input.FunctionVersion, "FunctionVersion");
    checkMembers(undefined, version, undefined);
    const after = decodeMarker(optionalString(input.Marker, "Marker"));
    const record = await requireFunction(store, context, input.FunctionName, store.storage);
    const aliases = (await store.listAliases(store.storage, record)).filter(
      (alias) => version === undefined || alias.functionVersion === version,
    );
    const result = page(aliases, (alias) => alias.alias, after, limit);
    const body: Record<string, unknown> = {
      Aliases: result.items.map((alias) => aliasConfiguration(record, alias)),
    };
    if (result.nextMarker !== undefined) body.NextMarker = result.nextMarker;
    return { body };
  };
}
