/**
 * Tables and shortcuts for the item-operation tests: a hash table keyed by `pk` (S), a composite table
 * (`pk` S, `sk` S) with a GSI and an LSI, and typed senders for the four operations.
 */
import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DeleteItemCommand,
  type DeleteItemCommandInput,
  type DynamoDBClient,
  GetItemCommand,
  type GetItemCommandInput,
  PutItemCommand,
  type PutItemCommandInput,
  UpdateItemCommand,
  type UpdateItemCommandInput,
} from "@aws-sdk/client-dynamodb";
import { uniqueName } from "../helpers.ts";

export { hashTable, type Item, N, S } from "../helpers.ts";

/** pk/sk (S), GSI `gsi1` on gsiPk (S) + gsiSk (N) projecting INCLUDE [proj], LSI `lsi1` on lsiSk (S), ALL. */
export function indexedTable(name: string): CreateTableCommandInput {
  return {
    TableName: name,
    BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: [
      { AttributeName: "pk", AttributeType: "S" },
      { AttributeName: "sk", AttributeType: "S" },
      { AttributeName: "gsiPk", AttributeType: "S" },
      { AttributeName: "gsiSk", AttributeType: "N" },
      { AttributeName: "lsiSk", AttributeType: "S" },
    ],
    KeySchema: [
      { AttributeName: "pk", KeyType: "HASH" },
      { AttributeName: "sk", KeyType: "RANGE" },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: "gsi1",
        KeySchema: [
          { AttributeName: "gsiPk", KeyType: "HASH" },
          { AttributeName: "gsiSk", KeyType: "RANGE" },
        ],
        Projection: { ProjectionType: "INCLUDE", NonKeyAttributes: ["proj"] },
      },
    ],
    LocalSecondaryIndexes: [
      {
        IndexName: "lsi1",
        KeySchema: [
          { AttributeName: "pk", KeyType: "HASH" },
          { AttributeName: "lsiSk", KeyType: "RANGE" },
        ],
        Projection: { ProjectionType: "ALL" },
      },
    ],
  };
}

export async function createTable(
  client: DynamoDBClient,
  definition: (name: string) => CreateTableCommandInput,
  prefix = "items",
): Promise<string> {
  const name = uniqueName(prefix);
  await client.send(new CreateTableCommand(definition(name)));
  return name;
}

export function itemOps(client: () => DynamoDBClient, table: () => string) {
  return {
    put: (input: Partial<PutItemCommandInput>) =>
      client().send(new PutItemCommand({ TableName: table(), Item: {}, ...input } as PutItemCommandInput)),
    get: (input: Partial<GetItemCommandInput>) =>
      client().send(new GetItemCommand({ TableName: table(), Key: {}, ...input } as GetItemCommandInput)),
    update: (input: Partial<UpdateItemCommandInput>) =>
      client().send(
        new UpdateItemCommand({ TableName: table(), Key: {}, ...input } as UpdateItemCommandInput),
      ),
    remove: (input: Partial<DeleteItemCommandInput>) =>
      client().send(
        new DeleteItemCommand({ TableName: table(), Key: {}, ...input } as DeleteItemCommandInput),
      ),
  };
}
