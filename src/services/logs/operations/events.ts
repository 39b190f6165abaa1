/**
 * One stream's events: PutLogEvents and GetLogEvents.
 *
 * PutLogEvents follows the rules of the API reference: at most 10,000 events (model) and 1,048,576
 * bytes counted as the UTF-8 messages plus 26 bytes per event; timestamps in chronological order and
 * spanning at most 24 hours; events more than 2 hours in the future, more than 14 days in the past or
 * older than the group's retention are skipped and reported in rejectedLogEventsInfo. The sequence
 * token is ignored (as AWS does since January 2023) but nextSequenceToken is still returned.
 *
 * GetLogEvents pages with tokens in AWS's form, `f/<56 digits>/s` and `b/<56 digits>/s`: the digits
 * are the position (timestamp, seq) of the event the page ended at. Asking with the last
 * nextForwardToken when nothing new arrived returns no events and the same token, which is how
 * clients know they reached the end.
 *
 * ## Gaps
 * - `unmask`, `entity` and data protection are ignored.
 */
import type { RequestContext } from "../../../aws/context.ts";
import {
  batchSpansTooLong,
  eventsOutOfOrder,
  invalidNextToken,
  logGroupNotFound,
  logStreamNotFound,
  uploadTooLarge,
} from "../errors.ts";
import { type EventPosition, type LogsStore, TIMESTAMP_MAX, utf8Bytes } from "../store.ts";
import { groupNameOf, type Json, sequenceToken, validate } from "./common.ts";

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;
export const BATCH_BYTES_MAX = 1_048_576;
/** Bytes counted for each event on top of its message (PutLogEvents, API reference). */
export const EVENT_OVERHEAD_BYTES = 26;
const BATCH_SPAN_MS_MAX = DAY_MS;
const FUTURE_MS_MAX = 2 * HOUR_MS;
const PAST_MS_MAX = 14 * DAY_MS;
/** GetLogEvents and FilterLogEvents answer at most 1 MB of events. */
export const RESPONSE_BYTES_MAX = 1_048_576;
const EVENTS_LIMIT_DEFAULT = 10_000;

interface InputEvent {
  timestamp: number;
  message: string;
}

export function putLogEvents(store: LogsStore) {
  return async (input: Json, context: RequestContext) => {
    validate("PutLogEvents", input);
    const group = input.logGroupName as string;
    const streamName = input.logStreamName as string;
    const events = input.logEvents as InputEvent[];
    let bytes = 0;
    for (const event of events) bytes += utf8Bytes(event.message) + EVENT_OVERHEAD_BYTES;
    if (bytes > BATCH_BYTES_MAX) throw uploadTooLarge(bytes, BATCH_BYTES_MAX);
    for (let i = 1; i < events.length; i++) {
      if ((events[i] as InputEvent).timestamp < (events[i - 1] as InputEvent).timestamp)
        throw eventsOutOfOrder();
    }
    const first = (events[0] as InputEvent).timestamp;
    const last = (events[events.length - 1] as InputEvent).timestamp;
    if (last - first > BATCH_SPAN_MS_MAX) throw batchSpansTooLong();

    const { accountId, region } = context;
    return store.storage.transaction(async (tx) => {
      const groupRecord = await store.getGroup(tx, accountId, region, group);
      if (!groupRecord) throw logGroupNotFound();
      const stream = await store.getStream(tx, accountId, region, group, streamName);
      if (!stream) throw logStreamNotFound();
      const now = store.nowMs();
      const retentionCutoff = store.retentionCutoff(groupRecord);
      const rejected: Record<string, number> = {};
      const accepted: InputEvent[] = [];
      events.forEach((event, index) => {
        if (event.timestamp > now + FUTURE_MS_MAX) {
          rejected.tooNewLogEventStartIndex ??= index;
          return;
        }
        let skip = false;
        if (event.timestamp < now - PAST_MS_MAX) {
          rejected.tooOldLogEventEndIndex = index;
          skip = true;
        }
        if (event.timestamp < retentionCutoff || event.timestamp < 0) {
          rejected.expiredLogEventEndIndex = index;
          skip = true;
        }
        if (!skip) accepted.push(event);
      });
      store.putEvents(tx, accountId, region, group, stream, accepted);
      return {
        nextSequenceToken: sequenceToken(stream.seq + 1),
        ...(Object.keys(rejected).length > 0 ? { rejectedLogEventsInfo: rejected } : {}),
      };
    });
  };
}

const POSITION_DIGITS = { timestamp: 20, seq: 36 };
const BEFORE_ALL: EventPosition = { timestamp: 0, seq: -1 };
const AFTER_ALL: EventPosition = { timestamp: TIMESTAMP_MAX, seq: Number.MAX_SAFE_INTEGER };

export function positionToken(direction: "f" | "b", p: EventPosition): string {
  const ts = String(p.timestamp).padStart(POSITION_DIGITS.timestamp, "0");
  const seq = String(Math.max(0, p.seq)).padStart(POSITION_DIGITS.seq, "0");
  return `${direction}/${ts}${seq}/s`;
}

function parsePositionToken(token: string): { direction: "f" | "b"; position: EventPosition } {
  const m = /^([fb])\/(\d{20})(\d{36})\/s$/.exec(token);
  const timestamp = Number(m?.[2]);
  const seq = Number(m?.[3]);
  if (!m || !Number.isSafeInteger(timestamp) || !Number.isSafeInteger(seq)) throw invalidNextToken();
  return { direction: m[1] as "f" | "b", position: { timestamp, seq } };
}

/** The position a forward read must start from to include the event at `p` (all events, for AFTER_ALL). */
const justBefore = (p: EventPosition): EventPosition =>
  p === AFTER_ALL ? BEFORE_ALL : { timestamp: p.timestamp, seq: p.seq - 1 };

const before = (a: EventPosition, b: EventPosition) =>
  a.timestamp < b.timestamp || (a.timestamp === b.timestamp && a.seq < b.seq);

export function getLogEvents(store: LogsStore) {
  return async (input: Json, context: RequestContext) => {
    validate("GetLogEvents", input);
    const group = groupNameOf(input);
    const streamName = input.logStreamName as string;
    const limit = (input.limit as number | undefined) ?? EVENTS_LIMIT_DEFAULT;
    const token = input.nextToken === undefined ? undefined : parsePositionToken(input.nextToken as string);
    const { accountId, region } = context;
    const groupRecord = await store.getGroup(store.storage, accountId, region, group);
    if (!groupRecord) throw logGroupNotFound();
    if (!(await store.getStream(store.storage, accountId, region, group, streamName)))
      throw logStreamNotFound();

    const lowest = Math.max(
      (input.startTime as number | undefined) ?? 0,
      store.retentionCutoff(groupRecord),
      0,
    );
    const lower: EventPosition = { timestamp: lowest, seq: -1 };
    const endTime = input.endTime as number | undefined;
    const upper: EventPosition =
      endTime === undefined
        ? AFTER_ALL
        : { timestamp: Math.max(0, Math.min(endTime, TIMESTAMP_MAX)), seq: 0 };
    const forward = token ? token.direction === "f" : input.startFromHead === true;
    const origin = token?.position ?? (forward ? BEFORE_ALL : AFTER_ALL);

    const found: { timestamp: number; seq: number; message: string; ingestionTime: number }[] = [];
    let bytes = 0;
    const from = forward && before(lower, origin) ? origin : lower;
    const to = !forward && before(origin, upper) ? origin : upper;
    if (before(from, to)) {
      for await (const event of store.events(store.storage, accountId, region, group, streamName, {
        from,
        to,
        reverse: !forward,
        limit,
      })) {
        bytes += utf8Bytes(event.message) + EVENT_OVERHEAD_BYTES;
        if (bytes > RESPONSE_BYTES_MAX && found.length > 0) break;
        found.push(event);
      }
    }
    if (!forward) found.reverse();
    const firstEvent = found[0];
    const lastEvent = found[found.length - 1];
    return {
      events: found.map((e) => ({
        timestamp: e.timestamp,
        message: e.message,
        ingestionTime: e.ingestionTime,
      })),
      nextForwardToken: positionToken("f", lastEvent ?? (forward ? origin : justBefore(origin))),
      nextBackwardToken: positionToken("b", firstEvent ?? origin),
    };
  };
}
