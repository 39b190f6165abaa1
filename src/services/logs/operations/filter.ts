/**
 * FilterLogEvents: the events of a group's streams (all, named, or by name prefix) in a time window
 * that match a filter pattern (filter-pattern.ts), interleaved in (timestamp, stream, seq) order. This
 * is what `aws logs tail` and `aws logs filter-log-events` read.
 *
 * Paging: nextToken is the position of the last event returned; each stream is then read from just
 * after it, so a page costs at most `limit` matching events per stream.
 *
 * ## Gaps
 * - searchedLogStreams is returned empty (AWS deprecated it); `unmask` is ignored.
 * - A page always has events when any match remain (AWS may answer empty pages with a nextToken).
 */
import type { RequestContext } from "../../../aws/context.ts";
import { logGroupNotFound, streamNamesAndPrefix } from "../errors.ts";
import { compileFilterPattern } from "../filter-pattern.ts";
import { type EventPosition, type LogsStore, type StoredEvent, TIMESTAMP_MAX, utf8Bytes } from "../store.ts";
import { decodeToken, encodeToken, groupNameOf, type Json, validate } from "./common.ts";
import { EVENT_OVERHEAD_BYTES, RESPONSE_BYTES_MAX } from "./events.ts";

const EVENTS_LIMIT_DEFAULT = 10_000;

interface FilterToken {
  t: number;
  s: string;
  q: number;
}
const isFilterToken = (v: unknown): v is FilterToken =>
  typeof v === "object" &&
  v !== null &&
  Number.isSafeInteger((v as FilterToken).t) &&
  typeof (v as FilterToken).s === "string" &&
  Number.isSafeInteger((v as FilterToken).q);

/** (timestamp, stream, seq) order, streams compared as AWS lists them (by name). */
function compare(a: StoredEvent, b: StoredEvent): number {
  return (
    a.timestamp - b.timestamp || (a.stream < b.stream ? -1 : a.stream > b.stream ? 1 : 0) || a.seq - b.seq
  );
}

/** A 56-digit event id, unique within the group. */
function eventId(event: StoredEvent): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < event.stream.length; i++)
    hash = Math.imul(hash ^ event.stream.charCodeAt(i), 0x01000193) >>> 0;
  return `${String(event.timestamp).padStart(20, "0")}${String(hash).padStart(10, "0")}${String(event.seq).padStart(26, "0")}`;
}

export function filterLogEvents(store: LogsStore) {
  return async (input: Json, context: RequestContext) => {
    validate("FilterLogEvents", input);
    const group = groupNameOf(input);
    const names = input.logStreamNames as string[] | undefined;
    const prefix = input.logStreamNamePrefix as string | undefined;
    if (names !== undefined && prefix !== undefined) throw streamNamesAndPrefix();
    const matches = compileFilterPattern(input.filterPattern as string | undefined);
    const limit = (input.limit as number | undefined) ?? EVENTS_LIMIT_DEFAULT;
    const token = decodeToken(input.nextToken as string | undefined, isFilterToken);
    const { accountId, region } = context;
    const groupRecord = await store.getGroup(store.storage, accountId, region, group);
    if (!groupRecord) throw logGroupNotFound();

    const lowest = Math.max(
      (input.startTime as number | undefined) ?? 0,
      store.retentionCutoff(groupRecord),
      0,
    );
    const endTime = input.endTime as number | undefined;
    // endTime is inclusive here ("events with a timestamp later than this time are not returned").
    const to: EventPosition | undefined =
      endTime === undefined
        ? undefined
        : { timestamp: Math.min(TIMESTAMP_MAX, Math.max(0, endTime + 1)), seq: 0 };

    const wanted = names ? new Set(names) : undefined;
    const candidates: StoredEvent[] = [];
    let streamCut = false;
    for await (const stream of store.streams(store.storage, accountId, region, group)) {
      if (wanted && !wanted.has(stream.name)) continue;
      if (prefix !== undefined && !stream.name.startsWith(prefix)) continue;
      let from: EventPosition = { timestamp: lowest, seq: -1 };
      if (token) {
        const resume: EventPosition =
          stream.name < token.s
            ? { timestamp: token.t + 1, seq: -1 }
            : stream.name === token.s
              ? { timestamp: token.t, seq: token.q }
              : { timestamp: token.t, seq: -1 };
        if (
          resume.timestamp > from.timestamp ||
          (resume.timestamp === from.timestamp && resume.seq > from.seq)
        ) {
          from = resume;
        }
      }
      if (to && from.timestamp >= to.timestamp) continue;
      let taken = 0;
      for await (const event of store.events(store.storage, accountId, region, group, stream.name, {
        from,
        to,
      })) {
        if (!matches(event.message)) continue;
        candidates.push(event);
        if (++taken === limit) {
          streamCut = true;
          break;
        }
      }
    }
    candidates.sort(compare);

    const events: Json[] = [];
    let bytes = 0;
    let last: StoredEvent | undefined;
    for (const event of candidates) {
      if (events.length === limit) break;
      bytes += utf8Bytes(event.message) + EVENT_OVERHEAD_BYTES;
      if (bytes > RESPONSE_BYTES_MAX && events.length > 0) break;
      events.push({
        logStreamName: event.stream,
        timestamp: event.timestamp,
        message: event.message,
        ingestionTime: event.ingestionTime,
        eventId: eventId(event),
      });
      last = event;
    }
    const more = last !== undefined && (events.length < candidates.length || streamCut);
    return {
      events,
      searchedLogStreams: [],
      ...(more && last ? { nextToken: encodeToken({ t: last.timestamp, s: last.stream, q: last.seq }) } : {}),
    };
  };
}
