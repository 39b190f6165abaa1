/**
 * Log streams: CreateLogStream, DeleteLogStream, DescribeLogStreams.
 *
 * ## Gaps
 * - Ordering by LastEventTime reads every stream of the group and sorts them (AWS keeps an index).
 */
import type { RequestContext } from "../../../aws/context.ts";
import {
  logGroupNotFound,
  logStreamExists,
  logStreamNotFound,
  orderByLastEventTimeWithPrefix,
} from "../errors.ts";
import type { LogsStore, StreamRecord } from "../store.ts";
import {
  decodeToken,
  encodeToken,
  groupNameOf,
  type Json,
  sequenceToken,
  streamArn,
  validate,
} from "./common.ts";

const DESCRIBE_LIMIT_DEFAULT = 50;

export function createLogStream(store: LogsStore) {
  return async (input: Json, context: RequestContext) => {
    validate("CreateLogStream", input);
    const group = input.logGroupName as string;
    const name = input.logStreamName as string;
    const { accountId, region } = context;
    await store.storage.transaction(async (tx) => {
      if (!(await store.getGroup(tx, accountId, region, group))) throw logGroupNotFound();
      if (await store.getStream(tx, accountId, region, group, name)) throw logStreamExists();
      store.putStream(tx, accountId, region, group, {
        name,
        creationTime: store.nowMs(),
        storedBytes: 0,
        seq: 0,
      });
    });
    return {};
  };
}

export function deleteLogStream(store: LogsStore) {
  return async (input: Json, context: RequestContext) => {
    validate("DeleteLogStream", input);
    const group = input.logGroupName as string;
    const name = input.logStreamName as string;
    const { accountId, region } = context;
    await store.storage.transaction(async (tx) => {
      if (!(await store.getGroup(tx, accountId, region, group))) throw logGroupNotFound();
      if (!(await store.getStream(tx, accountId, region, group, name))) throw logStreamNotFound();
      await store.deleteStream(tx, accountId, region, group, name);
    });
    return {};
  };
}

type StreamToken = { after: string } | { offset: number };
const isStreamToken = (value: unknown): value is StreamToken =>
  typeof value === "object" &&
  value !== null &&
  (typeof (value as { after?: unknown }).after === "string" ||
    typeof (value as { offset?: unknown }).offset === "number");

export function describeLogStreams(store: LogsStore) {
  return async (input: Json, context: RequestContext) => {
    validate("DescribeLogStreams", input);
    const group = groupNameOf(input);
    const prefix = input.logStreamNamePrefix as string | undefined;
    const byTime = input.orderBy === "LastEventTime";
    if (byTime && prefix !== undefined) throw orderByLastEventTimeWithPrefix();
    const descending = input.descending === true;
    const limit = (input.limit as number | undefined) ?? DESCRIBE_LIMIT_DEFAULT;
    const token = decodeToken(input.nextToken as string | undefined, isStreamToken);
    const { accountId, region } = context;
    if (!(await store.getGroup(store.storage, accountId, region, group))) throw logGroupNotFound();

    const describe = (s: StreamRecord) => describeStream(context, group, s);
    if (byTime) {
      const all: StreamRecord[] = [];
      for await (const s of store.streams(store.storage, accountId, region, group)) all.push(s);
      // Streams without events sort as if their last event were at creation.
      const time = (s: StreamRecord) => s.lastEventTimestamp ?? s.creationTime;
      all.sort((a, b) => (descending ? time(b) - time(a) : time(a) - time(b)) || (a.name < b.name ? -1 : 1));
      const offset = token && "offset" in token ? token.offset : 0;
      const page = all.slice(offset, offset + limit);
      const more = offset + limit < all.length;
      return {
        logStreams: page.map(describe),
        ...(more ? { nextToken: encodeToken({ offset: offset + limit }) } : {}),
      };
    }

    const after = token && "after" in token ? token.after : undefined;
    const logStreams: Json[] = [];
    let nextToken: string | undefined;
    for await (const s of store.streams(store.storage, accountId, region, group, {
      after,
      reverse: descending,
    })) {
      if (prefix !== undefined && !s.name.startsWith(prefix)) continue;
      if (logStreams.length === limit) {
        nextToken = encodeToken({ after: logStreams[logStreams.length - 1]?.logStreamName });
        break;
      }
      logStreams.push(describe(s));
    }
    return nextToken ? { logStreams, nextToken } : { logStreams };
  };
}

function describeStream(context: RequestContext, group: string, s: StreamRecord): Json {
  return {
    logStreamName: s.name,
    creationTime: s.creationTime,
    ...(s.firstEventTimestamp === undefined
      ? {}
      : {
          firstEventTimestamp: s.firstEventTimestamp,
          lastEventTimestamp: s.lastEventTimestamp,
          lastIngestionTime: s.lastIngestionTime,
        }),
    uploadSequenceToken: sequenceToken(s.seq + 1),
    arn: streamArn(context, group, s.name),
    storedBytes: s.storedBytes,
  };
}
