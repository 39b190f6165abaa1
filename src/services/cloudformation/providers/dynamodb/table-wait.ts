/**
 * Waiting as CloudFormation waits for a table: a create or update is complete only when the table and
 * every one of its global secondary indexes are ACTIVE (a new GSI stays CREATING while it backfills),
 * and a delete only when DescribeTable no longer finds the table. Bounded: a table that never settles
 * fails the resource instead of hanging the stack.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { isAwsError } from "../../../../aws/errors.ts";
import { type Props, record, records } from "../property-values.ts";
import type { ProviderContext } from "../types.ts";

/** How long a table may take to settle; CloudFormation itself waits hours, a local table seconds. */
export const TABLE_WAIT_MS = 5 * 60_000;
const FIRST_POLL_MS = 20;
const POLL_MAX_MS = 500;

export function isNotFound(error: unknown): boolean {
  return isAwsError(error) && error.code === "ResourceNotFoundException";
}

export async function describeTable(context: ProviderContext, tableName: string): Promise<Props> {
  const answer = await context.call.call("dynamodb", "DescribeTable", { TableName: tableName });
  return record(answer.Table) ?? {};
}

function settled(table: Props): boolean {
  return (
    table.TableStatus === "ACTIVE" &&
    records(table.GlobalSecondaryIndexes).every((index) => index.IndexStatus === "ACTIVE")
  );
}

/** The table's description once it and its indexes are ACTIVE. */
export async function waitForActive(
  context: ProviderContext,
  tableName: string,
  timeoutMs = TABLE_WAIT_MS,
): Promise<Props> {
  const deadline = Date.now() + timeoutMs;
  let pause = FIRST_POLL_MS;
  for (;;) {
    const table = await describeTable(context, tableName);
    if (settled(table)) return table;
    if (Date.now() >= deadline) {
      throw new Error(
        `Table ${tableName} did not become ACTIVE within ${timeoutMs / 1000} seconds (status ${String(table.TableStatus)}).`,
      );
    }
    await sleep(pause);
    pause = Math.min(pause * 2, POLL_MAX_MS);
  }
}

/** Resolves once DescribeTable answers ResourceNotFoundException. */
export async function waitForGone(
  context: ProviderContext,
  tableName: string,
  timeoutMs = TABLE_WAIT_MS,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let pause = FIRST_POLL_MS;
  for (;;) {
    try {
      await describeTable(context, tableName);
    } catch (error) {
      if (isNotFound(error)) return;
      throw error;
    }
    if (Date.now() >= deadline) {
      throw new Error(`Table ${tableName} was not deleted within ${timeoutMs / 1000} seconds.`);
    }
    await sleep(pause);
    pause = Math.min(pause * 2, POLL_MAX_MS);
  }
}
