/**
 * The function, version or alias a permission operation names, and its RevisionId: a policy's
 * RevisionId is that of the resource it belongs to ($LATEST's, the version's or the alias's), and
 * adding or removing a statement gives the resource a new one (LocalStack's revision tests, recorded
 * against Lambda: localstack/localstack#7336, #7482).
 */
import type { RequestContext } from "../../../aws/context.ts";
import type { KvReader, KvTransaction } from "../../../storage/kv.ts";
import { reviseLatest } from "../control/versions.ts";
import { aliasNotFound, functionNotFound } from "../errors.ts";
import {
  type AliasRecord,
  type FunctionRecord,
  functionArn,
  LATEST,
  type LambdaStore,
  type VersionRecord,
} from "../store.ts";
import type { PolicyTarget } from "./policy-store.ts";

export interface PermissionTarget {
  record: FunctionRecord;
  /** Where the policy is kept ("$LATEST", a version number or an alias name). */
  policy: PolicyTarget;
  /** The ARN statements name as Resource: unqualified for $LATEST, qualified otherwise. */
  resourceArn: string;
  revisionId: string;
  version?: VersionRecord;
  alias?: AliasRecord;
}

const VERSION = /^[0-9]+$/;
const ALIAS = /^(?![0-9]+$)[a-zA-Z0-9-_]+$/;

/** The function's record, or undefined (the caller picks the not-found text). */
export async function findFunction(
  store: LambdaStore,
  context: RequestContext,
  reader: KvReader,
  accountId: string,
  name: string,
): Promise<FunctionRecord | undefined> {
  // Another account's function is not reachable with this caller's credentials.
  if (accountId !== context.accountId) return undefined;
  return store.get(reader, context.accountId, context.region, name);
}

export function unqualifiedArn(context: RequestContext, accountId: string, name: string): string {
  return functionArn(context.region, accountId, name);
}

/**
 * The version or alias `qualifier` names ($LATEST when undefined): "Cannot find alias arn: ARN" for an
 * alias that does not exist, "Function not found: ARN" for a version (or anything else) that does not.
 */
export async function resolveTarget(
  store: LambdaStore,
  reader: KvReader,
  record: FunctionRecord,
  qualifier: string | undefined,
): Promise<PermissionTarget> {
  const base = { accountId: record.accountId, region: record.region, name: record.name };
  const arn = functionArn(record.region, record.accountId, record.name);
  if (qualifier === undefined || qualifier === LATEST) {
    return {
      record,
      policy: { ...base, qualifier: LATEST },
      resourceArn: qualifier === undefined ? arn : `${arn}:${LATEST}`,
      revisionId: record.revisionId,
    };
  }
  const qualifiedArn = `${arn}:${qualifier}`;
  if (ALIAS.test(qualifier)) {
    const alias = await store.getAlias(reader, record, qualifier);
    if (!alias) throw aliasNotFound(qualifiedArn);
    return {
      record,
      policy: { ...base, qualifier },
      resourceArn: qualifiedArn,
      revisionId: alias.revisionId,
      alias,
    };
  }
  const version =
    VERSION.test(qualifier) && /^[1-9][0-9]{0,15}$/.test(qualifier)
      ? await store.getVersion(reader, record, Number(qualifier))
      : undefined;
  if (!version) throw functionNotFound(qualifiedArn);
  return {
    record,
    policy: { ...base, qualifier: String(version.version) },
    resourceArn: qualifiedArn,
    revisionId: version.revisionId,
    version,
  };
}

/** Gives the target a new RevisionId (a statement was added or removed); returns it. */
export async function reviseTarget(
  store: LambdaStore,
  tx: KvTransaction,
  target: PermissionTarget,
): Promise<string> {
  if (target.alias) {
    const alias: AliasRecord = { ...target.alias, revisionId: store.newRevisionId() };
    store.putAlias(tx, target.record, alias);
    return alias.revisionId;
  }
  if (target.version) {
    const version: VersionRecord = { ...target.version, revisionId: store.newRevisionId() };
    store.putVersion(tx, target.record, version);
    return version.revisionId;
  }
  return (await reviseLatest(store, tx, target.record)).revisionId;
}
