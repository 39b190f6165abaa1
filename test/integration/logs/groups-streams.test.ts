/** CreateLogGroup, DeleteLogGroup, DescribeLogGroups, retention, CreateLogStream, DeleteLogStream, DescribeLogStreams. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DeleteLogGroupCommand,
  DeleteLogStreamCommand,
  DeleteRetentionPolicyCommand,
  DescribeLogGroupsCommand,
  DescribeLogStreamsCommand,
  PutLogEventsCommand,
  PutRetentionPolicyCommand,
} from "@aws-sdk/client-cloudwatch-logs";
import { useStratus } from "../../support/stratus.ts";
import { rejects, uniqueName } from "./helpers.ts";

const NO_GROUP = "The specified log group does not exist.";
const NO_STREAM = "The specified log stream does not exist.";

describe("CloudWatch Logs groups and streams", () => {
  const stratus = useStratus({ inMemory: true });

  it("creates, describes and deletes log groups", async () => {
    const client = stratus.logs();
    const name = uniqueName("/aws/lambda/fn");
    await client.send(new CreateLogGroupCommand({ logGroupName: name }));
    await rejects(
      client.send(new CreateLogGroupCommand({ logGroupName: name })),
      "ResourceAlreadyExistsException",
      "The specified log group already exists",
    );
    const { logGroups } = await client.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name }));
    assert.equal(logGroups?.length, 1);
    const group = logGroups?.[0];
    assert.equal(group?.logGroupName, name);
    assert.equal(group?.arn, `arn:aws:logs:${stratus.region}:000000000000:log-group:${name}:*`);
    assert.equal(group?.logGroupArn, `arn:aws:logs:${stratus.region}:000000000000:log-group:${name}`);
    assert.equal(group?.storedBytes, 0);
    assert.equal(group?.metricFilterCount, 0);
    assert.equal(group?.retentionInDays, undefined);
    assert.ok(Math.abs((group?.creationTime ?? 0) - Date.now()) < 60_000);

    await client.send(new DeleteLogGroupCommand({ logGroupName: name }));
    await rejects(
      client.send(new DeleteLogGroupCommand({ logGroupName: name })),
      "ResourceNotFoundException",
      NO_GROUP,
    );
    const after = await client.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name }));
    assert.deepEqual(after.logGroups, []);
  });

  it("pages DescribeLogGroups by prefix", async () => {
    const client = stratus.logs();
    const prefix = uniqueName("/paged");
    const names = ["a", "b", "c", "d", "e"].map((s) => `${prefix}/${s}`);
    for (const logGroupName of names) await client.send(new CreateLogGroupCommand({ logGroupName }));
    const seen: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await client.send(
        new DescribeLogGroupsCommand({ logGroupNamePrefix: prefix, limit: 2, nextToken }),
      );
      assert.ok((page.logGroups?.length ?? 0) <= 2);
      seen.push(...(page.logGroups ?? []).map((g) => g.logGroupName ?? ""));
      nextToken = page.nextToken;
    } while (nextToken);
    assert.deepEqual(seen, names);
    await rejects(
      client.send(new DescribeLogGroupsCommand({ limit: 51 })),
      "InvalidParameterException",
      "1 validation error detected: Value '51' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 50",
    );
  });

  it("rejects bad group names in coral's words", async () => {
    await rejects(
      stratus.logs().send(new CreateLogGroupCommand({ logGroupName: "bad name!" })),
      "InvalidParameterException",
      "1 validation error detected: Value 'bad name!' at 'logGroupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+",
    );
  });

  it("sets and removes retention, allowed values only", async () => {
    const client = stratus.logs();
    const name = uniqueName();
    await rejects(
      client.send(new PutRetentionPolicyCommand({ logGroupName: name, retentionInDays: 7 })),
      "ResourceNotFoundException",
      NO_GROUP,
    );
    await client.send(new CreateLogGroupCommand({ logGroupName: name }));
    await client.send(new PutRetentionPolicyCommand({ logGroupName: name, retentionInDays: 7 }));
    let group = (await client.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name })))
      .logGroups?.[0];
    assert.equal(group?.retentionInDays, 7);
    await rejects(
      client.send(new PutRetentionPolicyCommand({ logGroupName: name, retentionInDays: 2 })),
      "InvalidParameterException",
      "1 validation error detected: Value '2' at 'retentionInDays' failed to satisfy constraint: Member must satisfy enum value set: [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653]",
    );
    await client.send(new DeleteRetentionPolicyCommand({ logGroupName: name }));
    group = (await client.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name }))).logGroups?.[0];
    assert.equal(group?.retentionInDays, undefined);
  });

  it("creates, describes, orders, pages and deletes log streams", async () => {
    const client = stratus.logs();
    const logGroupName = uniqueName();
    await rejects(
      client.send(new CreateLogStreamCommand({ logGroupName, logStreamName: "s" })),
      "ResourceNotFoundException",
      NO_GROUP,
    );
    await client.send(new CreateLogGroupCommand({ logGroupName }));
    for (const logStreamName of ["2024/01/01/[$LATEST]b", "2024/01/01/[$LATEST]a", "other"]) {
      await client.send(new CreateLogStreamCommand({ logGroupName, logStreamName }));
    }
    await rejects(
      client.send(new CreateLogStreamCommand({ logGroupName, logStreamName: "other" })),
      "ResourceAlreadyExistsException",
      "The specified log stream already exists",
    );
    const now = Date.now();
    await client.send(
      new PutLogEventsCommand({
        logGroupName,
        logStreamName: "2024/01/01/[$LATEST]a",
        logEvents: [
          { timestamp: now - 1000, message: "hello" },
          { timestamp: now, message: "world!" },
        ],
      }),
    );
    await client.send(
      new PutLogEventsCommand({
        logGroupName,
        logStreamName: "other",
        logEvents: [{ timestamp: now - 5000, message: "x" }],
      }),
    );

    const byName = await client.send(new DescribeLogStreamsCommand({ logGroupName }));
    assert.deepEqual(
      byName.logStreams?.map((s) => s.logStreamName),
      ["2024/01/01/[$LATEST]a", "2024/01/01/[$LATEST]b", "other"],
    );
    const a = byName.logStreams?.[0];
    assert.equal(a?.firstEventTimestamp, now - 1000);
    assert.equal(a?.lastEventTimestamp, now);
    assert.equal(a?.storedBytes, 11);
    assert.ok(a?.lastIngestionTime);
    assert.match(a?.uploadSequenceToken ?? "", /^\d{56}$/);
    assert.equal(
      a?.arn,
      `arn:aws:logs:${stratus.region}:000000000000:log-group:${logGroupName}:log-stream:2024/01/01/[$LATEST]a`,
    );
    assert.equal(byName.logStreams?.[1]?.firstEventTimestamp, undefined);

    const prefixed = await client.send(
      new DescribeLogStreamsCommand({ logGroupName, logStreamNamePrefix: "2024/", descending: true }),
    );
    assert.deepEqual(
      prefixed.logStreams?.map((s) => s.logStreamName),
      ["2024/01/01/[$LATEST]b", "2024/01/01/[$LATEST]a"],
    );

    const byTime = await client.send(
      new DescribeLogStreamsCommand({ logGroupName, orderBy: "LastEventTime", descending: true, limit: 2 }),
    );
    assert.equal(byTime.logStreams?.[0]?.logStreamName, "2024/01/01/[$LATEST]a");
    assert.ok(byTime.nextToken);
    const rest = await client.send(
      new DescribeLogStreamsCommand({
        logGroupName,
        orderBy: "LastEventTime",
        descending: true,
        nextToken: byTime.nextToken,
      }),
    );
    assert.equal(rest.logStreams?.length, 1);
    await rejects(
      client.send(
        new DescribeLogStreamsCommand({ logGroupName, orderBy: "LastEventTime", logStreamNamePrefix: "x" }),
      ),
      "InvalidParameterException",
      "Cannot order by LastEventTime with a logStreamNamePrefix.",
    );

    let paged: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await client.send(new DescribeLogStreamsCommand({ logGroupName, limit: 1, nextToken }));
      paged = [...paged, ...(page.logStreams ?? []).map((s) => s.logStreamName ?? "")];
      nextToken = page.nextToken;
    } while (nextToken);
    assert.equal(paged.length, 3);

    const group = (await client.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: logGroupName })))
      .logGroups?.[0];
    assert.equal(group?.storedBytes, 12);

    await client.send(new DeleteLogStreamCommand({ logGroupName, logStreamName: "other" }));
    await rejects(
      client.send(new DeleteLogStreamCommand({ logGroupName, logStreamName: "other" })),
      "ResourceNotFoundException",
      NO_STREAM,
    );
    await rejects(
      client.send(new DescribeLogStreamsCommand({ logGroupName: `${logGroupName}-missing` })),
      "ResourceNotFoundException",
      NO_GROUP,
    );
    // Deleting the group drops its streams and events: a new group of that name starts empty.
    await client.send(new DeleteLogGroupCommand({ logGroupName }));
    await client.send(new CreateLogGroupCommand({ logGroupName }));
    assert.deepEqual((await client.send(new DescribeLogStreamsCommand({ logGroupName }))).logStreams, []);
  });
});
