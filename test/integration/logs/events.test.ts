/** PutLogEvents (batch rules, rejected events), GetLogEvents (windows, directions, tokens), appendEvents, retention. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DescribeLogStreamsCommand,
  GetLogEventsCommand,
  PutLogEventsCommand,
  PutRetentionPolicyCommand,
} from "@aws-sdk/client-cloudwatch-logs";
import { systemClock } from "../../../src/aws/clock.ts";
import { createLogger } from "../../../src/log.ts";
import { LogsStore } from "../../../src/services/logs/index.ts";
import { useStratus } from "../../support/stratus.ts";
import { rejects, uniqueName } from "./helpers.ts";

const ACCOUNT = "000000000000";
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe("CloudWatch Logs events", () => {
  const stratus = useStratus({ inMemory: true });
  const store = () =>
    new LogsStore({ storage: stratus.server.storage, clock: systemClock, logger: createLogger("silent") });

  async function stream(): Promise<{ logGroupName: string; logStreamName: string }> {
    const logGroupName = uniqueName();
    const logStreamName = "s1";
    await stratus.logs().send(new CreateLogGroupCommand({ logGroupName }));
    await stratus.logs().send(new CreateLogStreamCommand({ logGroupName, logStreamName }));
    return { logGroupName, logStreamName };
  }

  it("puts events and reads them back in order, with tokens in AWS's form", async () => {
    const client = stratus.logs();
    const target = await stream();
    const t = Date.now() - 10_000;
    const put = await client.send(
      new PutLogEventsCommand({
        ...target,
        logEvents: [
          { timestamp: t, message: "one" },
          { timestamp: t, message: "two" },
          { timestamp: t + 5, message: "three" },
          { timestamp: t + 9, message: "four" },
        ],
      }),
    );
    assert.match(put.nextSequenceToken ?? "", /^\d{56}$/);
    assert.equal(put.rejectedLogEventsInfo, undefined);

    const tail = await client.send(new GetLogEventsCommand({ ...target, limit: 2 }));
    assert.deepEqual(
      tail.events?.map((e) => e.message),
      ["three", "four"],
    );
    assert.match(tail.nextForwardToken ?? "", /^f\/\d{56}\/s$/);
    assert.match(tail.nextBackwardToken ?? "", /^b\/\d{56}\/s$/);
    const earlier = await client.send(
      new GetLogEventsCommand({ ...target, nextToken: tail.nextBackwardToken }),
    );
    assert.deepEqual(
      earlier.events?.map((e) => e.message),
      ["one", "two"],
    );

    const head = await client.send(new GetLogEventsCommand({ ...target, startFromHead: true, limit: 3 }));
    assert.deepEqual(
      head.events?.map((e) => e.message),
      ["one", "two", "three"],
    );
    assert.ok(head.events?.every((e) => typeof e.ingestionTime === "number"));
    const next = await client.send(new GetLogEventsCommand({ ...target, nextToken: head.nextForwardToken }));
    assert.deepEqual(
      next.events?.map((e) => e.message),
      ["four"],
    );
    // At the end: no events and the same forward token, which is how clients stop.
    const end = await client.send(new GetLogEventsCommand({ ...target, nextToken: next.nextForwardToken }));
    assert.deepEqual(end.events, []);
    assert.equal(end.nextForwardToken, next.nextForwardToken);
    // New events show up behind that token.
    await client.send(
      new PutLogEventsCommand({ ...target, logEvents: [{ timestamp: t + 20, message: "five" }] }),
    );
    const more = await client.send(new GetLogEventsCommand({ ...target, nextToken: end.nextForwardToken }));
    assert.deepEqual(
      more.events?.map((e) => e.message),
      ["five"],
    );

    const window = await client.send(
      new GetLogEventsCommand({ ...target, startTime: t + 1, endTime: t + 9, startFromHead: true }),
    );
    assert.deepEqual(
      window.events?.map((e) => e.message),
      ["three"],
    );

    await rejects(
      client.send(new GetLogEventsCommand({ ...target, nextToken: "garbage" })),
      "InvalidParameterException",
      "The specified nextToken is invalid.",
    );
    await rejects(
      client.send(new GetLogEventsCommand({ logGroupName: target.logGroupName, logStreamName: "nope" })),
      "ResourceNotFoundException",
      "The specified log stream does not exist.",
    );
    // logGroupIdentifier may be the group's ARN.
    const byArn = await client.send(
      new GetLogEventsCommand({
        logGroupIdentifier: `arn:aws:logs:${stratus.region}:${ACCOUNT}:log-group:${target.logGroupName}`,
        logStreamName: target.logStreamName,
        startFromHead: true,
      }),
    );
    assert.equal(byArn.events?.length, 5);
  });

  it("enforces PutLogEvents' batch rules", async () => {
    const client = stratus.logs();
    const target = await stream();
    const now = Date.now();
    await rejects(
      client.send(
        new PutLogEventsCommand({
          ...target,
          logEvents: [
            { timestamp: now, message: "b" },
            { timestamp: now - 1, message: "a" },
          ],
        }),
      ),
      "InvalidParameterException",
      "Log events in a single PutLogEvents request must be in chronological order.",
    );
    await rejects(
      client.send(
        new PutLogEventsCommand({
          ...target,
          logEvents: [
            { timestamp: now - 25 * HOUR, message: "a" },
            { timestamp: now, message: "b" },
          ],
        }),
      ),
      "InvalidParameterException",
      "The batch of log events in a single PutLogEvents request cannot span more than 24 hours.",
    );
    const big = "x".repeat(1_048_576 - 26);
    await client.send(new PutLogEventsCommand({ ...target, logEvents: [{ timestamp: now, message: big }] }));
    await rejects(
      client.send(
        new PutLogEventsCommand({ ...target, logEvents: [{ timestamp: now, message: `${big}y` }] }),
      ),
      "InvalidParameterException",
      "Upload too large: 1048577 bytes exceeds limit of 1048576",
    );
    await rejects(
      client.send(new PutLogEventsCommand({ ...target, logEvents: [] })),
      "InvalidParameterException",
      "1 validation error detected: Value '[]' at 'logEvents' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
    await rejects(
      client.send(
        new PutLogEventsCommand({
          logGroupName: `${target.logGroupName}-x`,
          logStreamName: "s1",
          logEvents: [{ timestamp: now, message: "m" }],
        }),
      ),
      "ResourceNotFoundException",
      "The specified log group does not exist.",
    );
    await rejects(
      client.send(
        new PutLogEventsCommand({
          ...target,
          logStreamName: "s2",
          logEvents: [{ timestamp: now, message: "m" }],
        }),
      ),
      "ResourceNotFoundException",
      "The specified log stream does not exist.",
    );
  });

  it("skips events too old, expired or too new and says which", async () => {
    const client = stratus.logs();
    const target = await stream();
    const now = Date.now();
    await client.send(
      new PutRetentionPolicyCommand({ logGroupName: target.logGroupName, retentionInDays: 1 }),
    );
    const result = await client.send(
      new PutLogEventsCommand({
        ...target,
        logEvents: [
          { timestamp: now - 20 * HOUR, message: "kept-old" },
          { timestamp: now, message: "kept-now" },
          { timestamp: now + 3 * HOUR, message: "too-new" },
        ],
      }),
    );
    assert.deepEqual(result.rejectedLogEventsInfo, { tooNewLogEventStartIndex: 2 });
    const expired = await client.send(
      new PutLogEventsCommand({
        ...target,
        logEvents: [
          { timestamp: now - 46 * HOUR, message: "expired" },
          { timestamp: now - 45 * HOUR, message: "expired-too" },
          { timestamp: now - 23 * HOUR, message: "kept" },
        ],
      }),
    );
    assert.deepEqual(expired.rejectedLogEventsInfo, { expiredLogEventEndIndex: 1 });
    const old = await client.send(
      new PutLogEventsCommand({
        ...target,
        logEvents: [
          { timestamp: now - 15 * DAY, message: "too-old" },
          { timestamp: now - 15 * DAY + HOUR, message: "too-old-2" },
        ],
      }),
    );
    assert.deepEqual(old.rejectedLogEventsInfo, { tooOldLogEventEndIndex: 1, expiredLogEventEndIndex: 1 });
    const all = await client.send(new GetLogEventsCommand({ ...target, startFromHead: true }));
    assert.deepEqual(
      all.events?.map((e) => e.message),
      ["kept", "kept-old", "kept-now"],
    );
  });

  it("appends in-process, creating the group and stream, and applies retention on read and by sweep", async () => {
    const logGroupName = uniqueName("/aws/lambda/appended");
    const logStreamName = "2026/11/24/[$LATEST]abc";
    const now = Date.now();
    const logs = store();
    await logs.appendEvents(ACCOUNT, stratus.region, logGroupName, logStreamName, [
      { timestamp: now - 3 * DAY, message: "ancient" },
      { timestamp: now, message: "START RequestId: 1 Version: $LATEST" },
      { timestamp: now + 1, message: "END RequestId: 1" },
    ]);
    const client = stratus.logs();
    let events = (
      await client.send(new GetLogEventsCommand({ logGroupName, logStreamName, startFromHead: true }))
    ).events;
    assert.deepEqual(
      events?.map((e) => e.message),
      ["ancient", "START RequestId: 1 Version: $LATEST", "END RequestId: 1"],
    );

    await client.send(new PutRetentionPolicyCommand({ logGroupName, retentionInDays: 1 }));
    events = (
      await client.send(new GetLogEventsCommand({ logGroupName, logStreamName, startFromHead: true }))
    ).events;
    assert.deepEqual(
      events?.map((e) => e.message),
      ["START RequestId: 1 Version: $LATEST", "END RequestId: 1"],
    );

    const before = (await client.send(new DescribeLogStreamsCommand({ logGroupName }))).logStreams?.[0]
      ?.storedBytes;
    await logs.sweep();
    const after = (await client.send(new DescribeLogStreamsCommand({ logGroupName }))).logStreams?.[0]
      ?.storedBytes;
    assert.equal((before ?? 0) - (after ?? 0), "ancient".length);
  });
});
