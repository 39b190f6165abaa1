/**
 * Shared bits of the DynamoDB integration tests: catching SDK errors, common table definitions, and a
 * side door to put items straight into a running Stratus's store (the item operations are not built
 * yet; the store is the same one they will use).
 */
import assert from "node:assert/strict";
import {
  type AttributeValue,
  type CreateTableCommandInput,
  DescribeTableCommand,
  type DynamoDBClient,
  type TableDescription,
} from "@aws-sdk/client-dynamodb";
import { systemClock } from "../../../src/aws/clock.ts";
import { createLogger } from "../../../src/log.ts";
import type { Item as StoredItem } from "../../../src/services/dynamodb/attribute-value.ts";
import { DynamoDbStore } from "../../../src/services/dynamodb/store.ts";
import type { KvStore } from "../../../src/storage/kv.ts";

export interface SdkError {
  name: string;
  message: string;
  $metadata: { httpStatusCode?: number };
}

export async function sdkError(promise: Promise<unknown>): Promise<SdkError> {
  try {
    await promise;
  } catch (error) {
    return error as SdkError;
  }
  assert.fail("expected the call to fail");
}

/** Asserts the call fails with this error code and exactly this message (and HTTP 400). */
export async function rejects(promise: Promise<unknown>, name: string, message: string): Promise<void> {
  const error = await sdkError(promise);
  assert.equal(error.name, name, `${error.name}: ${error.message}`);
  assert.equal(error.message, message);
  assert.equal(error.$metadata.httpStatusCode, 400);
}

let counter = 0;
export function uniqueName(prefix = "table"): string {
  counter++;
  return `${prefix}-${process.pid}-${counter}`;
}

/** A hash-only PAY_PER_REQUEST table keyed by `pk` (S). */
export function simpleTable(
  name: string,
  extra: Partial<CreateTableCommandInput> = {},
): CreateTableCommandInput {
  return {
    TableName: name,
    BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
    KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
    ...extra,
  };
}

export async function describe(client: DynamoDBClient, name: string): Promise<TableDescription> {
  const { Table } = await client.send(new DescribeTableCommand({ TableName: name }));
  assert.ok(Table);
  return Table;
}

/** Writes items into a running Stratus's DynamoDB store, as the item operations will. */
export async function seedItems(
  storage: KvStore,
  tableName: string,
  items: StoredItem[],
  account = "000000000000",
  region = "us-east-1",
): Promise<void> {
  const store = new DynamoDbStore({ storage, clock: systemClock, logger: createLogger("silent") });
  await storage.transaction(async (tx) => {
    const table = await store.tables.get(tx, account, region, tableName);
    assert.ok(table, `table ${tableName}`);
    for (const item of items) await store.items.put(tx, table, item);
  });
}

/** Polls DescribeTable until `done` holds (GSI backfills run in the background). */
export async function waitFor(
  client: DynamoDBClient,
  name: string,
  done: (table: TableDescription) => boolean,
  attempts = 200,
): Promise<TableDescription> {
  for (let attempt = 0; attempt < attempts; attempt++) {
    const table = await describe(client, name);
    if (done(table)) return table;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  assert.fail(`table ${name} never reached the expected state`);
}

export type Item = Record<string, AttributeValue>;

export const S = (value: string): AttributeValue => ({ S: value });
export const N = (value: number | string): AttributeValue => ({ N: String(value) });

/** A hash-only table keyed by `pk` (S). */
export function hashTable(name: string): CreateTableCommandInput {
  return {
    TableName: name,
    BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
    KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
  };
}
