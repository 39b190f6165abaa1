/**
 * Log groups: CreateLogGroup, DeleteLogGroup, DescribeLogGroups, PutRetentionPolicy,
 * DeleteRetentionPolicy.
 *
 * ## Gaps
 * - kmsKeyId, tags, logGroupClass and deletion protection are accepted and ignored (the class is
 *   always STANDARD); DescribeLogGroups ignores accountIdentifiers, logGroupNamePattern,
 *   logGroupIdentifiers and linked accounts.
 * - metricFilterCount is always 0 (no metric filters).
 */
import type { RequestContext } from "../../../aws/context.ts";
import { invalidRetention, logGroupExists, logGroupNotFound } from "../errors.ts";
import type { GroupRecord, LogsStore } from "../store.ts";
import { decodeToken, encodeToken, groupArn, type Json, validate } from "./common.ts";

/** The retentionInDays values CloudWatch Logs accepts (PutRetentionPolicy, API reference). */
export const RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

const DESCRIBE_LIMIT_DEFAULT = 50;

export function createLogGroup(store: LogsStore) {
  return async (input: Json, context: RequestContext) => {
    validate("CreateLogGroup", input);
    const name = input.logGroupName as string;
    const { accountId, region } = context;
    await store.storage.transaction(async (tx) => {
      if (await store.getGroup(tx, accountId, region, name)) throw logGroupExists();
      store.putGroup(tx, accountId, region, { name, creationTime: store.nowMs() });
    });
    return {};
  };
}

export function deleteLogGroup(store: LogsStore) {
  return async (input: Json, context: RequestContext) => {
    validate("DeleteLogGroup", input);
    const name = input.logGroupName as string;
    const { accountId, region } = context;
    await store.storage.transaction(async (tx) => {
      if (!(await store.getGroup(tx, accountId, region, name))) throw logGroupNotFound();
      await store.deleteGroup(tx, accountId, region, name);
    });
    return {};
  };
}

const isName = (value: unknown): value is string => typeof value === "string";

export function describeLogGroups(store: LogsStore) {
  return async (input: Json, context: RequestContext) => {
    validate("DescribeLogGroups", input);
    const prefix = (input.logGroupNamePrefix as string | undefined) ?? "";
    const limit = (input.limit as number | undefined) ?? DESCRIBE_LIMIT_DEFAULT;
    const after = decodeToken(input.nextToken as string | undefined, isName);
    const { accountId, region } = context;
    const logGroups: Json[] = [];
    let nextToken: string | undefined;
    for await (const group of store.groups(store.storage, accountId, region, after)) {
      if (!group.name.startsWith(prefix)) {
        if (group.name > prefix) break;
        continue;
      }
      if (logGroups.length === limit) {
        nextToken = encodeToken(logGroups[logGroups.length - 1]?.logGroupName);
        break;
      }
      logGroups.push(await describeGroup(store, context, group));
    }
    return nextToken ? { logGroups, nextToken } : { logGroups };
  };
}

async function describeGroup(store: LogsStore, context: RequestContext, group: GroupRecord) {
  let storedBytes = 0;
  for await (const stream of store.streams(store.storage, context.accountId, context.region, group.name)) {
    storedBytes += stream.storedBytes;
  }
  const arn = groupArn(context, group.name);
  return {
    logGroupName: group.name,
    creationTime: group.creationTime,
    ...(group.retentionInDays === undefined ? {} : { retentionInDays: group.retentionInDays }),
    metricFilterCount: 0,
    arn: `${arn}:*`,
    storedBytes,
    logGroupClass: "STANDARD",
    logGroupArn: arn,
  };
}

export function putRetentionPolicy(store: LogsStore) {
  return async (input: Json, context: RequestContext) => {
    validate("PutRetentionPolicy", input);
    const days = input.retentionInDays as number;
    if (!(RETENTION_DAYS as readonly number[]).includes(days)) throw invalidRetention(days, RETENTION_DAYS);
    await setRetention(store, context, input.logGroupName as string, days);
    return {};
  };
}

export function deleteRetentionPolicy(store: LogsStore) {
  return async (input: Json, context: RequestContext) => {
    validate("DeleteRetentionPolicy", input);
    await setRetention(store, context, input.logGroupName as string, undefined);
    return {};
  };
}

async function setRetention(
  store: LogsStore,
  context: RequestContext,
  name: string,
  days: number | undefined,
) {
  const { accountId, region } = context;
  await store.storage.transaction(async (tx) => {
    const group = await store.getGroup(tx, accountId, region, name);
    if (!group) throw logGroupNotFound();
    if (days === undefined) delete group.retentionInDays;
    else group.retentionInDays = days;
    store.putGroup(tx, accountId, region, group);
  });
}
