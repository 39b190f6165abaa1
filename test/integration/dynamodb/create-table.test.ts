/**
 * CreateTable through the real SDK: the TableDescription DynamoDB answers, every option stored and
 * reported, and DynamoDB's validation texts word for word (dynalite's recorded texts and the
 * ack-api-quirks catalogue).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  CreateTableCommand,
  type CreateTableCommandInput,
  ListTagsOfResourceCommand,
  waitUntilTableExists,
} from "@aws-sdk/client-dynamodb";
import { useStratus } from "../../support/stratus.ts";
import { describe as describeTable, rejects, simpleTable, uniqueName } from "./helpers.ts";

const AB = [
  { AttributeName: "a", AttributeType: "S" as const },
  { AttributeName: "b", AttributeType: "S" as const },
];
const HASH_A = { AttributeName: "a", KeyType: "HASH" as const };
const RANGE_B = { AttributeName: "b", KeyType: "RANGE" as const };
const PT = { ReadCapacityUnits: 1, WriteCapacityUnits: 1 };
const INVALID = "One or more parameter values were invalid: ";

describe("DynamoDB CreateTable", () => {
  const stratus = useStratus({ inMemory: true });

  it("answers a PROVISIONED table's description with CREATING, then DescribeTable says ACTIVE", async () => {
    const client = stratus.dynamodb();
    const name = uniqueName();
    const before = Date.now() / 1000;
    const { TableDescription: created } = await client.send(
      new CreateTableCommand({
        TableName: name,
        AttributeDefinitions: [AB[0]!],
        KeySchema: [HASH_A],
        ProvisionedThroughput: PT,
      }),
    );
    assert.ok(created);
    assert.match(
      created.TableId ?? "",
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    assert.ok((created.CreationDateTime?.getTime() ?? 0) / 1000 >= before - 5);
    const { TableId, CreationDateTime, $metadata, ...rest } = created as typeof created & {
      $metadata?: unknown;
    };
    void TableId;
    void CreationDateTime;
    void $metadata;
    assert.deepEqual(rest, {
      AttributeDefinitions: [{ AttributeName: "a", AttributeType: "S" }],
      TableName: name,
      KeySchema: [HASH_A],
      TableStatus: "CREATING",
      ProvisionedThroughput: { NumberOfDecreasesToday: 0, ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
      TableSizeBytes: 0,
      ItemCount: 0,
      TableArn: `arn:aws:dynamodb:us-east-1:000000000000:table/${name}`,
      DeletionProtectionEnabled: false,
    });
    const started = Date.now();
    await waitUntilTableExists({ client, maxWaitTime: 30 }, { TableName: name });
    assert.ok(Date.now() - started < 2000, "the waiter returns at its first poll");
    const table = await describeTable(client, name);
    assert.equal(table.TableStatus, "ACTIVE");
    assert.equal(table.TableId, created.TableId);
  });

  it("stores and reports indexes, stream, SSE, table class, deletion protection and tags", async () => {
    const client = stratus.dynamodb();
    const name = uniqueName();
    const { TableDescription: created } = await client.send(
      new CreateTableCommand({
        TableName: name,
        BillingMode: "PAY_PER_REQUEST",
        AttributeDefinitions: [...AB, { AttributeName: "c", AttributeType: "N" }],
        KeySchema: [HASH_A, RANGE_B],
        LocalSecondaryIndexes: [
          {
            IndexName: "lsi",
            KeySchema: [HASH_A, { AttributeName: "c", KeyType: "RANGE" }],
            Projection: { ProjectionType: "KEYS_ONLY" },
          },
        ],
        GlobalSecondaryIndexes: [
          {
            IndexName: "gsi",
            KeySchema: [{ AttributeName: "c", KeyType: "HASH" }],
            Projection: { ProjectionType: "INCLUDE", NonKeyAttributes: ["x", "y"] },
          },
        ],
        StreamSpecification: { StreamEnabled: true, StreamViewType: "NEW_AND_OLD_IMAGES" },
        SSESpecification: { Enabled: true },
        TableClass: "STANDARD_INFREQUENT_ACCESS",
        DeletionProtectionEnabled: true,
        Tags: [
          { Key: "team", Value: "core" },
          { Key: "env", Value: "test" },
        ],
      }),
    );
    assert.equal(created?.GlobalSecondaryIndexes?.[0]?.IndexStatus, "CREATING");
    const table = await describeTable(client, name);
    const arn = `arn:aws:dynamodb:us-east-1:000000000000:table/${name}`;
    assert.equal(table.BillingModeSummary?.BillingMode, "PAY_PER_REQUEST");
    assert.ok(table.BillingModeSummary?.LastUpdateToPayPerRequestDateTime instanceof Date);
    assert.deepEqual(table.ProvisionedThroughput, {
      NumberOfDecreasesToday: 0,
      ReadCapacityUnits: 0,
      WriteCapacityUnits: 0,
    });
    assert.deepEqual(table.LocalSecondaryIndexes, [
      {
        IndexName: "lsi",
        KeySchema: [HASH_A, { AttributeName: "c", KeyType: "RANGE" }],
        Projection: { ProjectionType: "KEYS_ONLY" },
        IndexSizeBytes: 0,
        ItemCount: 0,
        IndexArn: `${arn}/index/lsi`,
      },
    ]);
    assert.deepEqual(table.GlobalSecondaryIndexes, [
      {
        IndexName: "gsi",
        KeySchema: [{ AttributeName: "c", KeyType: "HASH" }],
        Projection: { ProjectionType: "INCLUDE", NonKeyAttributes: ["x", "y"] },
        IndexStatus: "ACTIVE",
        ProvisionedThroughput: { NumberOfDecreasesToday: 0, ReadCapacityUnits: 0, WriteCapacityUnits: 0 },
        IndexSizeBytes: 0,
        ItemCount: 0,
        IndexArn: `${arn}/index/gsi`,
      },
    ]);
    assert.deepEqual(table.StreamSpecification, {
      StreamEnabled: true,
      StreamViewType: "NEW_AND_OLD_IMAGES",
    });
    assert.match(table.LatestStreamLabel ?? "", /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}$/);
    assert.equal(table.LatestStreamArn, `${arn}/stream/${table.LatestStreamLabel}`);
    assert.equal(table.SSEDescription?.Status, "ENABLED");
    assert.equal(table.SSEDescription?.SSEType, "KMS");
    assert.match(
      table.SSEDescription?.KMSMasterKeyArn ?? "",
      /^arn:aws:kms:us-east-1:000000000000:key\/[0-9a-f-]{36}$/,
    );
    assert.deepEqual(table.TableClassSummary, { TableClass: "STANDARD_INFREQUENT_ACCESS" });
    assert.equal(table.DeletionProtectionEnabled, true);
    const { Tags } = await client.send(new ListTagsOfResourceCommand({ ResourceArn: arn }));
    assert.deepEqual(Tags, [
      { Key: "team", Value: "core" },
      { Key: "env", Value: "test" },
    ]);
  });

  it("refuses a second table of the same name: ResourceInUseException", async () => {
    const client = stratus.dynamodb();
    const name = uniqueName();
    await client.send(new CreateTableCommand(simpleTable(name)));
    await rejects(
      client.send(new CreateTableCommand(simpleTable(name))),
      "ResourceInUseException",
      `Table already exists: ${name}`,
    );
  });

  const cases: [string, Partial<CreateTableCommandInput>, string][] = [
    [
      "PAY_PER_REQUEST with throughput",
      { BillingMode: "PAY_PER_REQUEST", ProvisionedThroughput: PT },
      `${INVALID}Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST`,
    ],
    [
      "PROVISIONED without throughput",
      { BillingMode: undefined },
      `${INVALID}ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED`,
    ],
    [
      "throughput out of bounds",
      {
        BillingMode: undefined,
        ProvisionedThroughput: { ReadCapacityUnits: 1000000000001, WriteCapacityUnits: 1 },
      },
      "Given value 1000000000001 for ReadCapacityUnits is out of bounds",
    ],
    [
      "more keys than definitions",
      { AttributeDefinitions: [AB[0]!], KeySchema: [HASH_A, RANGE_B] },
      "Invalid KeySchema: Some index key attribute have no definition",
    ],
    [
      "a key without definition",
      { AttributeDefinitions: [AB[1]!], KeySchema: [HASH_A] },
      `${INVALID}Some index key attributes are not defined in AttributeDefinitions. Keys: [a], AttributeDefinitions: [b]`,
    ],
    [
      "hash and range of one name",
      { AttributeDefinitions: AB, KeySchema: [HASH_A, { AttributeName: "a", KeyType: "RANGE" }] },
      "Both the Hash Key and the Range Key element in the KeySchema have the same name",
    ],
    [
      "RANGE first",
      {
        AttributeDefinitions: AB,
        KeySchema: [
          { AttributeName: "a", KeyType: "RANGE" },
          { AttributeName: "b", KeyType: "HASH" },
        ],
      },
      "Invalid KeySchema: The first KeySchemaElement is not a HASH key type",
    ],
    [
      "HASH second",
      { AttributeDefinitions: AB, KeySchema: [HASH_A, { AttributeName: "b", KeyType: "HASH" }] },
      "Invalid KeySchema: The second KeySchemaElement is not a RANGE key type",
    ],
    [
      "an extra definition",
      { AttributeDefinitions: AB, KeySchema: [HASH_A] },
      `${INVALID}Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions`,
    ],
    [
      "a duplicated definition",
      { AttributeDefinitions: [AB[0]!, { AttributeName: "a", AttributeType: "N" }], KeySchema: [HASH_A] },
      "Attribute Name is duplicated: a",
    ],
    [
      "an LSI on a hash-only table",
      {
        AttributeDefinitions: AB,
        KeySchema: [HASH_A],
        LocalSecondaryIndexes: [
          { IndexName: "abc", KeySchema: [HASH_A, RANGE_B], Projection: { ProjectionType: "ALL" } },
        ],
      },
      `${INVALID}Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex`,
    ],
    [
      "an LSI with another hash key",
      {
        AttributeDefinitions: AB,
        KeySchema: [HASH_A, RANGE_B],
        LocalSecondaryIndexes: [
          {
            IndexName: "abc",
            KeySchema: [
              { AttributeName: "b", KeyType: "HASH" },
              { AttributeName: "a", KeyType: "RANGE" },
            ],
            Projection: { ProjectionType: "ALL" },
          },
        ],
      },
      `${INVALID}Index KeySchema does not have the same leading hash key as table KeySchema for index: abc. index hash key: b, table hash key: a`,
    ],
    [
      "an LSI without range key",
      {
        AttributeDefinitions: AB,
        KeySchema: [HASH_A, RANGE_B],
        LocalSecondaryIndexes: [
          { IndexName: "abc", KeySchema: [HASH_A], Projection: { ProjectionType: "ALL" } },
        ],
      },
      `${INVALID}Index KeySchema does not have a range key for index: abc`,
    ],
    [
      "a projection without type",
      {
        AttributeDefinitions: AB,
        KeySchema: [HASH_A, RANGE_B],
        GlobalSecondaryIndexes: [
          { IndexName: "abc", KeySchema: [{ AttributeName: "b", KeyType: "HASH" }], Projection: {} },
        ],
      },
      `${INVALID}Unknown ProjectionType: null`,
    ],
    [
      "NonKeyAttributes with ALL",
      {
        AttributeDefinitions: AB,
        KeySchema: [HASH_A, RANGE_B],
        GlobalSecondaryIndexes: [
          {
            IndexName: "abc",
            KeySchema: [{ AttributeName: "b", KeyType: "HASH" }],
            Projection: { ProjectionType: "ALL", NonKeyAttributes: ["x"] },
          },
        ],
      },
      `${INVALID}ProjectionType is ALL, but NonKeyAttributes is specified`,
    ],
    [
      "a duplicate index name",
      {
        AttributeDefinitions: AB,
        KeySchema: [HASH_A, RANGE_B],
        LocalSecondaryIndexes: [
          { IndexName: "abc", KeySchema: [HASH_A, RANGE_B], Projection: { ProjectionType: "ALL" } },
        ],
        GlobalSecondaryIndexes: [
          { IndexName: "abc", KeySchema: [HASH_A, RANGE_B], Projection: { ProjectionType: "ALL" } },
        ],
      },
      `${INVALID}Duplicate index name: abc`,
    ],
    [
      "GSI throughput on PAY_PER_REQUEST",
      {
        AttributeDefinitions: AB,
        KeySchema: [HASH_A, RANGE_B],
        GlobalSecondaryIndexes: [
          {
            IndexName: "abc",
            KeySchema: [{ AttributeName: "b", KeyType: "HASH" }],
            Projection: { ProjectionType: "ALL" },
            ProvisionedThroughput: PT,
          },
        ],
      },
      `${INVALID}ProvisionedThroughput should not be specified for index: abc when BillingMode is PAY_PER_REQUEST`,
    ],
    [
      "a PROVISIONED GSI without throughput",
      {
        BillingMode: undefined,
        ProvisionedThroughput: PT,
        AttributeDefinitions: AB,
        KeySchema: [HASH_A, RANGE_B],
        GlobalSecondaryIndexes: [
          {
            IndexName: "abc",
            KeySchema: [{ AttributeName: "b", KeyType: "HASH" }],
            Projection: { ProjectionType: "ALL" },
          },
        ],
      },
      `${INVALID}ProvisionedThroughput is not specified for index: abc`,
    ],
    [
      "six LSIs",
      {
        AttributeDefinitions: AB,
        KeySchema: [HASH_A, RANGE_B],
        LocalSecondaryIndexes: ["ix1", "ix2", "ix3", "ix4", "ix5", "ix6"].map((IndexName) => ({
          IndexName,
          KeySchema: [HASH_A, RANGE_B],
          Projection: { ProjectionType: "ALL" as const },
        })),
      },
      `${INVALID}Number of LocalSecondaryIndexes exceeds per-table limit of 5`,
    ],
    [
      "an unused definition next to an index",
      {
        AttributeDefinitions: [...AB, { AttributeName: "z", AttributeType: "S" }],
        KeySchema: [HASH_A],
        GlobalSecondaryIndexes: [
          {
            IndexName: "abc",
            KeySchema: [{ AttributeName: "b", KeyType: "HASH" }],
            Projection: { ProjectionType: "ALL" },
          },
        ],
      },
      `${INVALID}Some AttributeDefinitions are not used. AttributeDefinitions: [a, b, z], keys used: [a, b]`,
    ],
    [
      "a stream without view type",
      { StreamSpecification: { StreamEnabled: true } },
      `${INVALID}Table is being created with a stream enabled, UpdateViewType is required`,
    ],
    [
      "no key schema",
      { KeySchema: undefined },
      "1 validation error detected: Value null at 'keySchema' failed to satisfy constraint: Member must not be null",
    ],
  ];
  for (const [what, change, message] of cases) {
    it(`rejects ${what}`, async () => {
      const input = {
        ...simpleTable(uniqueName()),
        AttributeDefinitions: [AB[0]!],
        KeySchema: [HASH_A],
        ...change,
      };
      await rejects(stratus.dynamodb().send(new CreateTableCommand(input)), "ValidationException", message);
    });
  }

  it("checks the table name before anything else", async () => {
    await rejects(
      stratus.dynamodb().send(new CreateTableCommand({ TableName: "ab", KeySchema: [] })),
      "ValidationException",
      "1 validation error detected: Value 'ab' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3",
    );
  });
});
