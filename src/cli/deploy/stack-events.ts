/**
 * Following a stack operation live, as `sam deploy` does: poll DescribeStacks for the status and
 * DescribeStackEvents (newest first, paged) for events not shown yet, print each new event as a row of
 * the events table in the order they happened, and stop at a terminal status (one not ending in
 * _IN_PROGRESS). Events from before the operation are remembered first (`snapshotEvents`) and never
 * printed.
 */
import type { CloudFormationClient, StackEvent } from "@aws-sdk/client-cloudformation";
import type { DeploySdk } from "./clients.ts";
import { sleep } from "./clients.ts";
import { EVENT_COLUMNS, type TableLayout, tableLayout } from "./table.ts";

const POLL_MS = 500;

export interface EventCursor {
  /** Events already there before the operation, and those printed since. */
  readonly seen: Set<string>;
  /**
   * Timestamp (ms) of the newest event from before the operation: paging stops at older events.
   * Kept there (not moved to the newest printed) so that an event stamped a moment before one
   * already printed is still shown.
   */
  since: number;
}

export interface FollowResult {
  readonly status: string;
  /** The first *_FAILED event's reason: what went wrong, for the final error line. */
  readonly firstFailure: string | undefined;
  /** True when the deadline passed before a terminal status. */
  readonly timedOut: boolean;
}

export interface FollowOptions {
  readonly cfn: CloudFormationClient;
  readonly sdk: DeploySdk["cloudformation"];
  /** The stack's id (ARN): a deleted stack can only be described by its id. */
  readonly stackId: string;
  readonly cursor: EventCursor;
  readonly width: number;
  readonly print: (text: string) => void;
  readonly deadlineMs: number;
  readonly signal?: AbortSignal;
  /** The table's title (default `sam deploy`'s "CloudFormation events from changeset"). */
  readonly title?: string;
  /** Status to assume when the stack can no longer be described (gone after a delete). */
  readonly statusWhenGone?: string;
}

/** Remembers the events the stack has now, so that following prints only the ones after. */
export async function snapshotEvents(
  cfn: CloudFormationClient,
  sdk: DeploySdk["cloudformation"],
  stackName: string,
): Promise<EventCursor> {
  const cursor: EventCursor = { seen: new Set(), since: 0 };
  try {
    const page = await cfn.send(new sdk.DescribeStackEventsCommand({ StackName: stackName }));
    for (const event of page.StackEvents ?? []) {
      cursor.seen.add(event.EventId ?? "");
      cursor.since = Math.max(cursor.since, event.Timestamp?.getTime() ?? 0);
    }
  } catch (error) {
    if (!isStackMissing(error)) throw error;
  }
  return cursor;
}

export function isTerminalStatus(status: string): boolean {
  return !status.endsWith("_IN_PROGRESS");
}

/** Prints the events table until the stack reaches a terminal status (or the deadline passes). */
export async function followStack(options: FollowOptions): Promise<FollowResult> {
  const { cfn, sdk, stackId, cursor, print } = options;
  const layout = tableLayout(EVENT_COLUMNS, options.width);
  print(`${layout.header(options.title ?? "CloudFormation events from changeset")}\n`);
  let firstFailure: string | undefined;
  let status = "";
  try {
    for (;;) {
      status = await stackStatus(options);
      // Read after the status: every event up to that status is then in this page.
      for (const event of await newEvents(cfn, sdk, stackId, cursor)) {
        printEvent(layout, event, print);
        if (
          firstFailure === undefined &&
          event.ResourceStatus?.endsWith("_FAILED") &&
          event.ResourceStatusReason
        ) {
          firstFailure = `${event.LogicalResourceId}: ${event.ResourceStatusReason}`;
        }
      }
      if (status !== "" && isTerminalStatus(status)) return { status, firstFailure, timedOut: false };
      if (Date.now() > options.deadlineMs) return { status, firstFailure, timedOut: true };
      if (!(await sleep(POLL_MS, options.signal))) return { status, firstFailure, timedOut: true };
    }
  } finally {
    print(`${layout.rule()}\n`);
  }
}

async function stackStatus(options: FollowOptions): Promise<string> {
  try {
    const answer = await options.cfn.send(
      new options.sdk.DescribeStacksCommand({ StackName: options.stackId }),
    );
    return answer.Stacks?.[0]?.StackStatus ?? "";
  } catch (error) {
    if (options.statusWhenGone !== undefined && isStackMissing(error)) return options.statusWhenGone;
    throw error;
  }
}

/** Events not printed yet, oldest first. */
async function newEvents(
  cfn: CloudFormationClient,
  sdk: DeploySdk["cloudformation"],
  stackId: string,
  cursor: EventCursor,
): Promise<StackEvent[]> {
  const fresh: StackEvent[] = [];
  let nextToken: string | undefined;
  try {
    pages: do {
      const page = await cfn.send(
        new sdk.DescribeStackEventsCommand({ StackName: stackId, NextToken: nextToken }),
      );
      for (const event of page.StackEvents ?? []) {
        const time = event.Timestamp?.getTime() ?? 0;
        // Newest first: the first event older than the cursor ends what can be new.
        if (time < cursor.since) break pages;
        const id = event.EventId ?? "";
        if (cursor.seen.has(id)) continue;
        cursor.seen.add(id);
        fresh.push(event);
      }
      nextToken = page.NextToken;
    } while (nextToken !== undefined);
  } catch (error) {
    if (!isStackMissing(error)) throw error;
  }
  return fresh.reverse();
}

function printEvent(layout: TableLayout, event: StackEvent, print: (text: string) => void): void {
  print(
    `${layout.row([
      event.ResourceStatus ?? "-",
      event.ResourceType ?? "-",
      event.LogicalResourceId ?? "-",
      event.ResourceStatusReason ?? "-",
    ])}\n`,
  );
}

/** CloudFormation's answer for a stack that does not exist: ValidationError "Stack with id X does not exist". */
export function isStackMissing(error: unknown): boolean {
  const { name, message } = error as { name?: string; message?: string };
  return name === "ValidationError" && /does not exist/.test(message ?? "");
}
