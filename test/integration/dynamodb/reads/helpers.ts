/**
 * Shared bits of the Query and Scan tests: table definitions, seeding, and small readers of results.
 *
 * Seeding goes through PutItem, a few requests at a time.
 */
import type {
  AttributeDefinition,
  AttributeValue,
  CreateTableCommandInput,
  GlobalSecondaryIndex,
  LocalSecondaryIndex,
} from "@aws-sdk/client-dynamodb";
import { CreateTableCommand, type DynamoDBClient, PutItemCommand } from "@aws-sdk/client-dynamodb";
import type { TestStratus } from "../../../support/stratus.ts";
import { uniqueName } from "../helpers.ts";

export type SdkItem = Record<string, AttributeValue>;

export const INVALID = "One or more parameter values were invalid: ";

/** A PAY_PER_REQUEST table keyed by pk (S) and, optionally, sk of the given type. */
export function compositeTable(
  name: string,
  sortType: "S" | "N" | "B" | undefined,
  extra: Partial<CreateTableCommandInput> = {},
): CreateTableCommandInput {
  const definitions: AttributeDefinition[] = [{ AttributeName: "pk", AttributeType: "S" }];
  if (sortType) definitions.push({ AttributeName: "sk", AttributeType: sortType });
  return {
    TableName: name,
    BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: [...definitions, ...(extra.AttributeDefinitions ?? [])],
    KeySchema: [
      { AttributeName: "pk", KeyType: "HASH" },
      ...(sortType ? [{ AttributeName: "sk", KeyType: "RANGE" as const }] : []),
    ],
    ...(extra.LocalSecondaryIndexes && { LocalSecondaryIndexes: extra.LocalSecondaryIndexes }),
    ...(extra.GlobalSecondaryIndexes && { GlobalSecondaryIndexes: extra.GlobalSecondaryIndexes }),
  };
}

/**
 * pk (S) + sk (S), with an LSI and a GSI of each projection type:
 *  - lsi_all (n N, ALL), lsi_keys (s2 S, KEYS_ONLY), lsi_inc (s3 S, INCLUDE inc);
 *  - gsi_all (g S, n N, ALL), gsi_keys (g S, KEYS_ONLY), gsi_inc (g S, s3 S, INCLUDE inc).
 */
export function indexedTable(name: string): CreateTableCommandInput {
  const lsi = (indexName: string, sort: string, projection: LocalSecondaryIndex["Projection"]) => ({
    IndexName: indexName,
    KeySchema: [
      { AttributeName: "pk", KeyType: "HASH" as const },
      { AttributeName: sort, KeyType: "RANGE" as const },
    ],
    Projection: projection,
  });
  const gsi = (
    indexName: string,
    sort: string | undefined,
    projection: GlobalSecondaryIndex["Projection"],
  ): GlobalSecondaryIndex => ({
    IndexName: indexName,
    KeySchema: [
      { AttributeName: "g", KeyType: "HASH" },
      ...(sort ? [{ AttributeName: sort, KeyType: "RANGE" as const }] : []),
    ],
    Projection: projection,
  });
  return compositeTable(name, "S", {
    AttributeDefinitions: [
      { AttributeName: "n", AttributeType: "N" },
      { AttributeName: "s2", AttributeType: "S" },
      { AttributeName: "s3", AttributeType: "S" },
      { AttributeName: "g", AttributeType: "S" },
    ],
    LocalSecondaryIndexes: [
      lsi("lsi_all", "n", { ProjectionType: "ALL" }),
      lsi("lsi_keys", "s2", { ProjectionType: "KEYS_ONLY" }),
      lsi("lsi_inc", "s3", { ProjectionType: "INCLUDE", NonKeyAttributes: ["inc"] }),
    ],
    GlobalSecondaryIndexes: [
      gsi("gsi_all", "n", { ProjectionType: "ALL" }),
      gsi("gsi_keys", undefined, { ProjectionType: "KEYS_ONLY" }),
      gsi("gsi_inc", "s3", { ProjectionType: "INCLUDE", NonKeyAttributes: ["inc"] }),
    ],
  });
}

export async function createTable(
  client: DynamoDBClient,
  input: CreateTableCommandInput | ((name: string) => CreateTableCommandInput),
): Promise<string> {
  const definition = typeof input === "function" ? input(uniqueName("reads")) : input;
  await client.send(new CreateTableCommand(definition));
  return definition.TableName as string;
}

/** Requests in flight at once while seeding. */
const SEED_CONCURRENCY = 16;

/** Writes items into the table with PutItem. */
export async function putItems(stratus: TestStratus, tableName: string, items: SdkItem[]): Promise<void> {
  const client = stratus.dynamodb();
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as SdkItem;
      await client.send(new PutItemCommand({ TableName: tableName, Item: item }));
    }
  };
  await Promise.all(Array.from({ length: Math.min(SEED_CONCURRENCY, items.length) }, worker));
}

/** Binary values as the SDK returns them, for comparisons. */
export function bytes(value: AttributeValue | undefined): number[] {
  return value?.B ? [...value.B] : [];
}

/** The value of a string attribute of each item. */
export function strings(items: SdkItem[] | undefined, name: string): (string | undefined)[] {
  return (items ?? []).map((item) => item[name]?.S);
}

export function numbers(items: SdkItem[] | undefined, name: string): (string | undefined)[] {
  return (items ?? []).map((item) => item[name]?.N);
}

/** UTF-8 byte order, DynamoDB's order of strings. */
export function utf8Order(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}
