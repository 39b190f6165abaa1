/** TagResource, UntagResource, ListTagsOfResource, UpdateTimeToLive, DescribeTimeToLive. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  CreateTableCommand,
  DescribeTimeToLiveCommand,
  ListTagsOfResourceCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateTimeToLiveCommand,
} from "@aws-sdk/client-dynamodb";
import { useStratus } from "../../support/stratus.ts";
import {
  describe as describeTable,
  rejects,
  seedItems,
  simpleTable,
  uniqueName,
  waitFor,
} from "./helpers.ts";

const arnOf = (name: string) => `arn:aws:dynamodb:us-east-1:000000000000:table/${name}`;

describe("DynamoDB tags and time to live", () => {
  const stratus = useStratus({ inMemory: true });

  it("tags, retags and untags a table", async () => {
    const client = stratus.dynamodb();
    const name = uniqueName();
    await client.send(new CreateTableCommand(simpleTable(name, { Tags: [{ Key: "a", Value: "1" }] })));
    await client.send(
      new TagResourceCommand({
        ResourceArn: arnOf(name),
        Tags: [
          { Key: "b", Value: "2" },
          { Key: "a", Value: "one" },
        ],
      }),
    );
    let tags = (await client.send(new ListTagsOfResourceCommand({ ResourceArn: arnOf(name) }))).Tags;
    assert.deepEqual(tags, [
      { Key: "a", Value: "one" },
      { Key: "b", Value: "2" },
    ]);
    await client.send(new UntagResourceCommand({ ResourceArn: arnOf(name), TagKeys: ["a", "missing"] }));
    tags = (await client.send(new ListTagsOfResourceCommand({ ResourceArn: arnOf(name) }))).Tags;
    assert.deepEqual(tags, [{ Key: "b", Value: "2" }]);
  });

  it("answers DynamoDB's tag errors", async () => {
    const client = stratus.dynamodb();
    const name = uniqueName();
    await client.send(new CreateTableCommand(simpleTable(name)));
    const missing = arnOf("no-such-table");
    await rejects(
      client.send(new ListTagsOfResourceCommand({ ResourceArn: missing })),
      "ResourceNotFoundException",
      `Requested resource not found: ResourcArn: ${missing} not found`,
    );
    await rejects(
      client.send(new TagResourceCommand({ ResourceArn: missing, Tags: [{ Key: "a", Value: "1" }] })),
      "ResourceNotFoundException",
      `Requested resource not found: ResourcArn: ${missing} not found`,
    );
    await rejects(
      client.send(new UntagResourceCommand({ ResourceArn: missing, TagKeys: ["a"] })),
      "ResourceNotFoundException",
      "Requested resource not found",
    );
    await rejects(
      client.send(new TagResourceCommand({ ResourceArn: arnOf(name), Tags: [] })),
      "ValidationException",
      "Atleast one Tag needs to be provided as Input.",
    );
    await rejects(
      client.send(new UntagResourceCommand({ ResourceArn: arnOf(name), TagKeys: [] })),
      "ValidationException",
      "Atleast one Tag Key needs to be provided as Input.",
    );
    await rejects(
      client.send(new TagResourceCommand({ ResourceArn: name, Tags: [{ Key: "a", Value: "1" }] })),
      "ValidationException",
      `One or more parameter values were invalid: ARNs must start with 'arn:': ${name}`,
    );
    await rejects(
      client.send(new ListTagsOfResourceCommand({ ResourceArn: `${arnOf(name)}/index/some-index` })),
      "ValidationException",
      `One or more parameter values were invalid: Invalid resource arn provided, only table or stream is accepted. Provided resource arn: ${arnOf(name)}/index/some-index`,
    );
    const otherRegion = `arn:aws:dynamodb:eu-west-1:000000000000:table/${name}`;
    await rejects(
      client.send(new ListTagsOfResourceCommand({ ResourceArn: otherRegion })),
      "ValidationException",
      `Invalid TableArn: Invalid ResourceArn provided as input ${otherRegion}`,
    );
    await rejects(
      client.send(new TagResourceCommand({ ResourceArn: arnOf(name), Tags: [{ Key: "aws:x", Value: "1" }] })),
      "ValidationException",
      "Tag Key cannot be prefixed with aws:, Key: aws:x",
    );
    const many = Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: "v" }));
    await rejects(
      client.send(new TagResourceCommand({ ResourceArn: arnOf(name), Tags: many })),
      "ValidationException",
      "Number of Tags exceed the current limit for the provided ResourceArn",
    );
  });

  it("enables and disables TTL with DynamoDB's refusals in between", async () => {
    const client = stratus.dynamodb();
    const name = uniqueName();
    await client.send(new CreateTableCommand(simpleTable(name)));
    const describeTtl = async () =>
      (await client.send(new DescribeTimeToLiveCommand({ TableName: name }))).TimeToLiveDescription;
    assert.deepEqual(await describeTtl(), { TimeToLiveStatus: "DISABLED" });
    await rejects(
      client.send(
        new UpdateTimeToLiveCommand({
          TableName: name,
          TimeToLiveSpecification: { Enabled: false, AttributeName: "expires" },
        }),
      ),
      "ValidationException",
      "TimeToLive is already disabled",
    );
    const { TimeToLiveSpecification } = await client.send(
      new UpdateTimeToLiveCommand({
        TableName: name,
        TimeToLiveSpecification: { Enabled: true, AttributeName: "expires" },
      }),
    );
    assert.deepEqual(TimeToLiveSpecification, { Enabled: true, AttributeName: "expires" });
    assert.deepEqual(await describeTtl(), { TimeToLiveStatus: "ENABLED", AttributeName: "expires" });
    await rejects(
      client.send(
        new UpdateTimeToLiveCommand({
          TableName: name,
          TimeToLiveSpecification: { Enabled: true, AttributeName: "expires" },
        }),
      ),
      "ValidationException",
      "TimeToLive is already enabled",
    );
    await rejects(
      client.send(
        new UpdateTimeToLiveCommand({
          TableName: name,
          TimeToLiveSpecification: { Enabled: true, AttributeName: "other" },
        }),
      ),
      "ValidationException",
      "TimeToLive is active on a different AttributeName: current AttributeName is expires",
    );
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: name,
        TimeToLiveSpecification: { Enabled: false, AttributeName: "expires" },
      }),
    );
    assert.deepEqual(await describeTtl(), { TimeToLiveStatus: "DISABLED" });
    await rejects(
      client.send(new DescribeTimeToLiveCommand({ TableName: "no-such-table" })),
      "ResourceNotFoundException",
      "Requested resource not found: Table: no-such-table not found",
    );
    await rejects(
      client.send(
        new UpdateTimeToLiveCommand({
          TableName: "no-such-table",
          TimeToLiveSpecification: { Enabled: true, AttributeName: "x" },
        }),
      ),
      "ResourceNotFoundException",
      "Requested resource not found: Table: no-such-table not found",
    );
  });

  it("deletes expired items in the background", async () => {
    const client = stratus.dynamodb();
    const name = uniqueName();
    await client.send(new CreateTableCommand(simpleTable(name)));
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: name,
        TimeToLiveSpecification: { Enabled: true, AttributeName: "expires" },
      }),
    );
    const now = Math.floor(Date.now() / 1000);
    await seedItems(stratus.server.storage, name, [
      { pk: { S: "gone" }, expires: { N: String(now - 10) } },
      { pk: { S: "kept" }, expires: { N: String(now + 3600) } },
    ]);
    assert.equal((await describeTable(client, name)).ItemCount, 2);
    const table = await waitFor(client, name, (t) => t.ItemCount === 1, 500);
    assert.equal(table.ItemCount, 1);
  });
});
