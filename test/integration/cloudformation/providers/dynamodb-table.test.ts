/**
 * AWS::DynamoDB::Table's provider against a running Stratus: create with a GSI and a stream, updates in
 * place (a GSI added, throughput, TTL, stream view type, tags, deletion protection, billing mode),
 * delete, and the errors AWS gives — checked through the DynamoDB SDK client.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  ListTagsOfResourceCommand,
  PutItemCommand,
  QueryCommand,
} from "@aws-sdk/client-dynamodb";
import { providerFor } from "../../../../src/services/cloudformation/providers/index.ts";
import type {
  CurrentResource,
  ProvisionedResource,
  ResourceProvider,
} from "../../../../src/services/cloudformation/providers/types.ts";
import { providerContextFor } from "../../../support/provider-context.ts";
import { useStratus } from "../../../support/stratus.ts";

const TYPE = "AWS::DynamoDB::Table";

function provider(): ResourceProvider {
  const found = providerFor(TYPE);
  assert.ok(found, `${TYPE} is registered`);
  return found;
}

function current(resource: ProvisionedResource, properties: Record<string, unknown>): CurrentResource {
  return { ...resource, properties };
}

const BASE = {
  KeySchema: [
    { AttributeName: "pk", KeyType: "HASH" },
    { AttributeName: "sk", KeyType: "RANGE" },
  ],
  AttributeDefinitions: [
    { AttributeName: "pk", AttributeType: "S" },
    { AttributeName: "sk", AttributeType: "S" },
    { AttributeName: "byUser", AttributeType: "S" },
  ],
  // As YAML may give them: numbers as strings.
  ProvisionedThroughput: { ReadCapacityUnits: "5", WriteCapacityUnits: 5 },
  GlobalSecondaryIndexes: [
    {
      IndexName: "ByUser",
      KeySchema: [{ AttributeName: "byUser", KeyType: "HASH" }],
      Projection: { ProjectionType: "ALL" },
      ProvisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 2 },
    },
  ],
  StreamSpecification: { StreamViewType: "NEW_AND_OLD_IMAGES" },
};

describe("AWS::DynamoDB::Table provider", () => {
  const stratus = useStratus();

  it("creates a table with a GSI and a stream, named by the template; Ref and GetAtt as AWS", async () => {
    const context = providerContextFor(stratus, TYPE, "Orders");
    const created = await provider().create(context, { ...BASE, TableName: "cfn-orders" });
    assert.equal(created.physicalId, "cfn-orders");
    const { Table } = await stratus.dynamodb().send(new DescribeTableCommand({ TableName: "cfn-orders" }));
    assert.equal(Table?.TableStatus, "ACTIVE");
    assert.equal(created.attributes.Arn, Table?.TableArn);
    assert.equal(created.attributes.StreamArn, Table?.LatestStreamArn);
    assert.match(
      String(created.attributes.StreamArn),
      /^arn:aws:dynamodb:us-east-1:000000000000:table\/cfn-orders\/stream\//,
    );
    assert.deepEqual(Table?.ProvisionedThroughput?.ReadCapacityUnits, 5);
    assert.equal(Table?.GlobalSecondaryIndexes?.[0]?.IndexName, "ByUser");
    assert.equal(Table?.GlobalSecondaryIndexes?.[0]?.IndexStatus, "ACTIVE");
    assert.deepEqual(Table?.StreamSpecification, {
      StreamEnabled: true,
      StreamViewType: "NEW_AND_OLD_IMAGES",
    });
    await provider().delete(context, current(created, { ...BASE, TableName: "cfn-orders" }));
  });

  it("generates a name from the stack and logical id, without StreamArn when no stream is on", async () => {
    const context = providerContextFor(stratus, TYPE, "Sessions", "my-stack");
    const properties = {
      KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
      AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }],
      BillingMode: "PAY_PER_REQUEST",
      TimeToLiveSpecification: { AttributeName: "expires", Enabled: "true" },
      Tags: [{ Key: "team", Value: "core" }],
    };
    const created = await provider().create(context, properties);
    assert.match(created.physicalId, /^my-stack-Sessions-[A-Z0-9]{13}$/);
    assert.equal(created.attributes.StreamArn, undefined);
    const ttl = await stratus
      .dynamodb()
      .send(new DescribeTimeToLiveCommand({ TableName: created.physicalId }));
    assert.equal(ttl.TimeToLiveDescription?.TimeToLiveStatus, "ENABLED");
    assert.equal(ttl.TimeToLiveDescription?.AttributeName, "expires");
    const tags = await stratus
      .dynamodb()
      .send(new ListTagsOfResourceCommand({ ResourceArn: String(created.attributes.Arn) }));
    assert.deepEqual(tags.Tags, [{ Key: "team", Value: "core" }]);
    await provider().delete(context, current(created, properties));
  });

  it("updates in place: adds a GSI (backfilled), changes throughput, enables TTL, changes the stream and tags", async () => {
    const context = providerContextFor(stratus, TYPE, "Updated");
    const before = { ...BASE, TableName: "cfn-updated", Tags: [{ Key: "a", Value: "1" }] };
    const created = await provider().create(context, before);
    const client = stratus.dynamodb();
    await client.send(
      new PutItemCommand({
        TableName: "cfn-updated",
        Item: { pk: { S: "p1" }, sk: { S: "s1" }, byUser: { S: "u1" }, status: { S: "open" } },
      }),
    );
    const after = {
      ...before,
      AttributeDefinitions: [...BASE.AttributeDefinitions, { AttributeName: "status", AttributeType: "S" }],
      ProvisionedThroughput: { ReadCapacityUnits: 10, WriteCapacityUnits: 7 },
      GlobalSecondaryIndexes: [
        BASE.GlobalSecondaryIndexes[0],
        {
          IndexName: "ByStatus",
          KeySchema: [{ AttributeName: "status", KeyType: "HASH" }],
          Projection: { ProjectionType: "KEYS_ONLY" },
          ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
        },
      ],
      StreamSpecification: { StreamViewType: "KEYS_ONLY" },
      TimeToLiveSpecification: { AttributeName: "ttl", Enabled: true },
      Tags: [{ Key: "b", Value: "2" }],
    };
    const updated = await provider().update!(context, current(created, before), after);
    assert.equal(updated.physicalId, "cfn-updated");
    const { Table } = await client.send(new DescribeTableCommand({ TableName: "cfn-updated" }));
    assert.equal(Table?.TableStatus, "ACTIVE");
    assert.equal(Table?.ProvisionedThroughput?.ReadCapacityUnits, 10);
    assert.equal(Table?.ProvisionedThroughput?.WriteCapacityUnits, 7);
    assert.deepEqual(
      Table?.GlobalSecondaryIndexes?.map((index) => [index.IndexName, index.IndexStatus]).sort(),
      [
        ["ByStatus", "ACTIVE"],
        ["ByUser", "ACTIVE"],
      ],
    );
    // The new index was backfilled with the existing item.
    const byStatus = await client.send(
      new QueryCommand({
        TableName: "cfn-updated",
        IndexName: "ByStatus",
        KeyConditionExpression: "#s = :s",
        ExpressionAttributeNames: { "#s": "status" },
        ExpressionAttributeValues: { ":s": { S: "open" } },
      }),
    );
    assert.equal(byStatus.Count, 1);
    // A changed view type is a new stream (off, then on).
    assert.deepEqual(Table?.StreamSpecification, { StreamEnabled: true, StreamViewType: "KEYS_ONLY" });
    assert.notEqual(updated.attributes.StreamArn, created.attributes.StreamArn);
    assert.equal(updated.attributes.StreamArn, Table?.LatestStreamArn);
    const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: "cfn-updated" }));
    assert.equal(ttl.TimeToLiveDescription?.TimeToLiveStatus, "ENABLED");
    assert.equal(ttl.TimeToLiveDescription?.AttributeName, "ttl");
    const tags = await client.send(new ListTagsOfResourceCommand({ ResourceArn: Table?.TableArn }));
    assert.deepEqual(tags.Tags, [{ Key: "b", Value: "2" }]);

    // Then remove a GSI, the stream and TTL, and switch to on-demand.
    const last = {
      ...after,
      BillingMode: "PAY_PER_REQUEST",
      ProvisionedThroughput: undefined,
      AttributeDefinitions: BASE.AttributeDefinitions,
      GlobalSecondaryIndexes: [{ ...BASE.GlobalSecondaryIndexes[0], ProvisionedThroughput: undefined }],
      StreamSpecification: undefined,
      TimeToLiveSpecification: undefined,
    };
    const final = await provider().update!(context, current(updated, after), last);
    const described = (await client.send(new DescribeTableCommand({ TableName: "cfn-updated" }))).Table;
    assert.equal(described?.BillingModeSummary?.BillingMode, "PAY_PER_REQUEST");
    assert.deepEqual(
      described?.GlobalSecondaryIndexes?.map((index) => index.IndexName),
      ["ByUser"],
    );
    assert.equal(described?.StreamSpecification, undefined);
    assert.equal(final.attributes.StreamArn, undefined);
    const ttlOff = await client.send(new DescribeTimeToLiveCommand({ TableName: "cfn-updated" }));
    assert.equal(ttlOff.TimeToLiveDescription?.TimeToLiveStatus, "DISABLED");
    await provider().delete(context, current(final, last));
  });

  it("redefines a GSI (delete, then create under its name) and switches on-demand to provisioned", async () => {
    const context = providerContextFor(stratus, TYPE, "Redefined");
    const before = {
      TableName: "cfn-redefined",
      KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
      AttributeDefinitions: [
        { AttributeName: "id", AttributeType: "S" },
        { AttributeName: "email", AttributeType: "S" },
      ],
      BillingMode: "PAY_PER_REQUEST",
      GlobalSecondaryIndexes: [
        {
          IndexName: "ByEmail",
          KeySchema: [{ AttributeName: "email", KeyType: "HASH" }],
          Projection: { ProjectionType: "ALL" },
        },
      ],
      // Accepted without effect: Stratus's DynamoDB has no backups or CloudWatch metrics.
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      ContributorInsightsSpecification: { Enabled: true },
    };
    const created = await provider().create(context, before);
    const client = stratus.dynamodb();
    const indexArn = (await client.send(new DescribeTableCommand({ TableName: "cfn-redefined" }))).Table
      ?.GlobalSecondaryIndexes?.[0]?.IndexArn;
    assert.ok(indexArn);
    const after = {
      ...before,
      BillingMode: "PROVISIONED",
      ProvisionedThroughput: { ReadCapacityUnits: 3, WriteCapacityUnits: 4 },
      GlobalSecondaryIndexes: [
        {
          IndexName: "ByEmail",
          KeySchema: [{ AttributeName: "email", KeyType: "HASH" }],
          Projection: { ProjectionType: "INCLUDE", NonKeyAttributes: ["name"] },
          ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 2 },
        },
      ],
    };
    await provider().update!(context, current(created, before), after);
    const { Table } = await client.send(new DescribeTableCommand({ TableName: "cfn-redefined" }));
    assert.equal(Table?.BillingModeSummary?.BillingMode, "PROVISIONED");
    assert.equal(Table?.ProvisionedThroughput?.WriteCapacityUnits, 4);
    const index = Table?.GlobalSecondaryIndexes?.[0];
    assert.equal(Table?.GlobalSecondaryIndexes?.length, 1);
    assert.deepEqual(index?.Projection, { ProjectionType: "INCLUDE", NonKeyAttributes: ["name"] });
    assert.equal(index?.ProvisionedThroughput?.WriteCapacityUnits, 2);
    assert.equal(index?.IndexStatus, "ACTIVE");
    await provider().delete(context, current(created, after));
  });

  it("refuses to change a key attribute's type in place", async () => {
    const context = providerContextFor(stratus, TYPE, "KeyType");
    const before = {
      TableName: "cfn-key-type",
      KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
      AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }],
      BillingMode: "PAY_PER_REQUEST",
    };
    const created = await provider().create(context, before);
    await assert.rejects(
      provider().update!(context, current(created, before), {
        ...before,
        AttributeDefinitions: [{ AttributeName: "id", AttributeType: "N" }],
      }),
      /the type of key attribute id cannot change/,
    );
    await provider().delete(context, current(created, before));
  });

  it("an update with nothing changed calls nothing that fails (no 'throughput unchanged')", async () => {
    const context = providerContextFor(stratus, TYPE, "Same");
    const properties = { ...BASE, TableName: "cfn-same" };
    const created = await provider().create(context, properties);
    const again = await provider().update!(context, current(created, properties), { ...properties });
    assert.deepEqual(again, created);
    await provider().delete(context, current(created, properties));
  });

  it("replaces on the name, key schema and LSIs only", () => {
    assert.deepEqual([...(provider().replaceOn ?? [])].sort(), [
      "ImportSourceSpecification",
      "KeySchema",
      "LocalSecondaryIndexes",
      "TableName",
    ]);
  });

  it("deletion protection: delete refused with DynamoDB's error until an update turns it off", async () => {
    const context = providerContextFor(stratus, TYPE, "Protected");
    const properties = {
      TableName: "cfn-protected",
      KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
      AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }],
      BillingMode: "PAY_PER_REQUEST",
      DeletionProtectionEnabled: "true",
    };
    const created = await provider().create(context, properties);
    await assert.rejects(provider().delete(context, current(created, properties)), {
      code: "ValidationException",
      message:
        "Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.",
    });
    const unprotected = { ...properties, DeletionProtectionEnabled: false };
    const updated = await provider().update!(context, current(created, properties), unprotected);
    await provider().delete(context, current(updated, unprotected));
    await assert.rejects(stratus.dynamodb().send(new DescribeTableCommand({ TableName: "cfn-protected" })), {
      name: "ResourceNotFoundException",
    });
    // Deleting again (a retried delete, a rollback) succeeds.
    await provider().delete(context, current(updated, unprotected));
  });

  it("passes DynamoDB's validation errors through, and refuses what Stratus cannot do", async () => {
    const context = providerContextFor(stratus, TYPE, "Bad");
    await assert.rejects(
      provider().create(context, {
        TableName: "cfn-bad",
        KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
        AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }],
      }),
      {
        code: "ValidationException",
        message:
          "One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED",
      },
    );
    await assert.rejects(
      provider().create(context, {
        KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
        AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }],
        BillingMode: "PAY_PER_REQUEST",
        KinesisStreamSpecification: { StreamArn: "arn:aws:kinesis:us-east-1:000000000000:stream/s" },
      }),
      /KinesisStreamSpecification of AWS::DynamoDB::Table is not supported by Stratus/,
    );
  });
});
