/** Shared bits of the batch and transaction tests: tables, values, reads and error capture. */
import assert from "node:assert/strict";
import {
  CreateTableCommand,
  type CreateTableCommandInput,
  type DynamoDBClient,
  GetItemCommand,
  TransactionCanceledException,
} from "@aws-sdk/client-dynamodb";
import { sdkError, uniqueName } from "../helpers.ts";

export { hashTable, type Item, N, S } from "../helpers.ts";

import type { Item } from "../helpers.ts";

/**
 * A `pk` (S) + `sk` (N) table with an LSI and a GSI both keyed on `idx` (S): the shape of conformance's
 * compositeTableDef, whose index-key errors name the GSI first.
 */
export function indexedTable(name: string): CreateTableCommandInput {
  return {
    TableName: name,
    BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: [
      { AttributeName: "pk", AttributeType: "S" },
      { AttributeName: "sk", AttributeType: "N" },
      { AttributeName: "idx", AttributeType: "S" },
    ],
    KeySchema: [
      { AttributeName: "pk", KeyType: "HASH" },
      { AttributeName: "sk", KeyType: "RANGE" },
    ],
    LocalSecondaryIndexes: [
      {
        IndexName: "lsi1",
        KeySchema: [
          { AttributeName: "pk", KeyType: "HASH" },
          { AttributeName: "idx", KeyType: "RANGE" },
        ],
        Projection: { ProjectionType: "ALL" },
      },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: "gsi1",
        KeySchema: [{ AttributeName: "idx", KeyType: "HASH" }],
        Projection: { ProjectionType: "KEYS_ONLY" },
      },
    ],
  };
}

export async function createTable(
  client: DynamoDBClient,
  definition: (name: string) => CreateTableCommandInput,
  prefix = "batch",
): Promise<string> {
  const name = uniqueName(prefix);
  await client.send(new CreateTableCommand(definition(name)));
  return name;
}

/** A strongly consistent GetItem. */
export async function read(client: DynamoDBClient, table: string, key: Item): Promise<Item | undefined> {
  const { Item } = await client.send(
    new GetItemCommand({ TableName: table, Key: key, ConsistentRead: true }),
  );
  return Item;
}

/** Asserts a TransactionCanceledException with these reasons (codes and messages) and DynamoDB's message. */
export async function cancelled(
  promise: Promise<unknown>,
  reasons: { Code: string; Message?: string; Item?: Item }[],
): Promise<void> {
  const error = await sdkError(promise);
  assert.ok(error instanceof TransactionCanceledException, `${error.name}: ${error.message}`);
  assert.equal(
    error.message,
    `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => r.Code).join(", ")}]`,
  );
  assert.equal(error.$metadata.httpStatusCode, 400);
  assert.deepEqual(error.CancellationReasons, reasons);
}

/** A string of this many bytes (ASCII). */
export const padding = (bytes: number) => "x".repeat(bytes);
