/**
 * ListStreams: the streams of the caller's account and region (of one table when TableName is given),
 * enabled ones and those disabled less than 24 hours ago, by table name then label. Limit defaults to
 * and tops out at 100 (API reference); LastEvaluatedStreamArn appears only when more streams follow.
 * A TableName with no streams (or no table) lists nothing.
 */
import type { RequestContext } from "../../../aws/context.ts";
import { validateInput } from "../../../aws/validation/index.ts";
import type { DynamoDbStore } from "../../dynamodb/store.ts";
import { type Json, num, str } from "../../dynamodb/tables/input.ts";
import { listStreamMeta, type StreamMeta } from "../../dynamodb/tables/stream-meta.ts";
import { invalidStreamArn, limitTooHigh } from "../errors.ts";
import { isVisible, parseStreamArn, streamArnOf } from "../streams.ts";

export const LIST_STREAMS_LIMIT_MAX = 100;

/** Byte order of UTF-8, the order of the metadata keys. */
function compareText(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

function isAfter(meta: StreamMeta, tableName: string, label: string): boolean {
  const byTable = compareText(meta.tableName, tableName);
  return byTable > 0 || (byTable === 0 && compareText(meta.label, label) > 0);
}

export function listStreams(store: DynamoDbStore) {
  return async (input: Json, context: RequestContext) => {
    validateInput("dynamodbstreams", "ListStreams", input);
    const limit = num(input.Limit) ?? LIST_STREAMS_LIMIT_MAX;
    if (limit > LIST_STREAMS_LIMIT_MAX) throw limitTooHigh(limit, LIST_STREAMS_LIMIT_MAX);
    const exclusiveStartArn = str(input.ExclusiveStartStreamArn);
    const exclusiveStart = exclusiveStartArn === undefined ? undefined : parseStreamArn(exclusiveStartArn);
    if (exclusiveStartArn !== undefined && !exclusiveStart) throw invalidStreamArn();

    const now = store.nowMs();
    const streams = (
      await listStreamMeta(store.storage, context.accountId, context.region, str(input.TableName))
    ).filter(
      (meta) =>
        isVisible(meta, now) &&
        (exclusiveStart === undefined || isAfter(meta, exclusiveStart.tableName, exclusiveStart.label)),
    );
    const page = streams.slice(0, limit);
    return {
      Streams: page.map((meta) => ({
        StreamArn: streamArnOf(meta),
        TableName: meta.tableName,
        StreamLabel: meta.label,
      })),
      ...(streams.length > limit && { LastEvaluatedStreamArn: streamArnOf(page[page.length - 1]!) }),
    };
  };
}
