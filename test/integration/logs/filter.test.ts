/** FilterLogEvents: streams, windows, filter patterns (terms, phrases, ?terms, JSON), interleaving and paging. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  FilterLogEventsCommand,
  type FilterLogEventsCommandInput,
  PutLogEventsCommand,
} from "@aws-sdk/client-cloudwatch-logs";
import { useStratus } from "../../support/stratus.ts";
import { rejects, uniqueName } from "./helpers.ts";

describe("CloudWatch Logs FilterLogEvents", () => {
  const stratus = useStratus({ inMemory: true });
  const t = Date.now() - 60_000;
  let logGroupName = "";

  async function seed(): Promise<void> {
    if (logGroupName) return;
    const client = stratus.logs();
    logGroupName = uniqueName();
    await client.send(new CreateLogGroupCommand({ logGroupName }));
    const streams: Record<string, [number, string][]> = {
      "app/a": [
        [0, "INFO started"],
        [2, '{"level":"ERROR","code":500,"msg":"boom"}'],
        [4, "WARN disk almost full"],
      ],
      "app/b": [
        [1, "ERROR Exiting now"],
        [2, '{"level":"INFO","code":200,"msg":"ok"}'],
        [5, "INFO request done"],
      ],
      other: [[3, "ERROR other stream"]],
    };
    for (const [logStreamName, events] of Object.entries(streams)) {
      await client.send(new CreateLogStreamCommand({ logGroupName, logStreamName }));
      await client.send(
        new PutLogEventsCommand({
          logGroupName,
          logStreamName,
          logEvents: events.map(([dt, message]) => ({ timestamp: t + dt, message })),
        }),
      );
    }
  }

  async function messages(input: Omit<FilterLogEventsCommandInput, "logGroupName"> = {}): Promise<string[]> {
    await seed();
    const result = await stratus.logs().send(new FilterLogEventsCommand({ logGroupName, ...input }));
    return (result.events ?? []).map((e) => e.message ?? "");
  }

  it("interleaves every stream's events by time", async () => {
    await seed();
    const result = await stratus.logs().send(new FilterLogEventsCommand({ logGroupName }));
    assert.deepEqual(
      result.events?.map((e) => [e.logStreamName, e.timestamp ? e.timestamp - t : -1]),
      [
        ["app/a", 0],
        ["app/b", 1],
        ["app/a", 2],
        ["app/b", 2],
        ["other", 3],
        ["app/a", 4],
        ["app/b", 5],
      ],
    );
    const ids = new Set(result.events?.map((e) => e.eventId));
    assert.equal(ids.size, 7);
    assert.ok(result.events?.every((e) => /^\d{56}$/.test(e.eventId ?? "")));
    assert.equal(result.nextToken, undefined);
  });

  it("selects streams by name or prefix and events by time (endTime inclusive)", async () => {
    assert.deepEqual(await messages({ logStreamNames: ["other"] }), ["ERROR other stream"]);
    assert.equal((await messages({ logStreamNamePrefix: "app/" })).length, 6);
    assert.deepEqual(await messages({ startTime: t + 3, endTime: t + 4 }), [
      "ERROR other stream",
      "WARN disk almost full",
    ]);
    await rejects(
      stratus
        .logs()
        .send(new FilterLogEventsCommand({ logGroupName, logStreamNames: ["a"], logStreamNamePrefix: "a" })),
      "InvalidParameterException",
      "logStreamNames and logStreamNamePrefix are mutually exclusive",
    );
    await rejects(
      stratus.logs().send(new FilterLogEventsCommand({ logGroupName: `${logGroupName}-none` })),
      "ResourceNotFoundException",
      "The specified log group does not exist.",
    );
  });

  it("matches terms, phrases, optional and excluded terms", async () => {
    const json500 = '{"level":"ERROR","code":500,"msg":"boom"}';
    assert.deepEqual(await messages({ filterPattern: "ERROR" }), [
      "ERROR Exiting now",
      json500,
      "ERROR other stream",
    ]);
    assert.deepEqual(await messages({ filterPattern: "ERROR stream" }), ["ERROR other stream"]);
    assert.deepEqual(await messages({ filterPattern: '"almost full"' }), ["WARN disk almost full"]);
    assert.deepEqual(await messages({ filterPattern: "?WARN ?Exiting" }), [
      "ERROR Exiting now",
      "WARN disk almost full",
    ]);
    assert.deepEqual(await messages({ filterPattern: "ERROR -Exiting" }), [json500, "ERROR other stream"]);
  });

  it("matches JSON patterns", async () => {
    assert.deepEqual(await messages({ filterPattern: '{ $.level = "ERROR" }' }), [
      '{"level":"ERROR","code":500,"msg":"boom"}',
    ]);
    assert.deepEqual(await messages({ filterPattern: '{ $.level != "ERROR" }' }), [
      '{"level":"INFO","code":200,"msg":"ok"}',
    ]);
    assert.deepEqual(await messages({ filterPattern: "{ $.code = 200 }" }), [
      '{"level":"INFO","code":200,"msg":"ok"}',
    ]);
    assert.deepEqual(await messages({ filterPattern: "{ $.code >= 500 }" }), [
      '{"level":"ERROR","code":500,"msg":"boom"}',
    ]);
    assert.equal((await messages({ filterPattern: '{ $.code = 200 || $.msg = "bo*" }' })).length, 2);
    assert.equal((await messages({ filterPattern: '{ ($.code = 200) && $.level = "ERROR" }' })).length, 0);
    await rejects(
      stratus.logs().send(new FilterLogEventsCommand({ logGroupName, filterPattern: "{ $.level = " })),
      "InvalidParameterException",
      "Invalid filter pattern: { $.level = ",
    );
  });

  it("pages with nextToken without losing or repeating events", async () => {
    await seed();
    const seen: string[] = [];
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const page = await stratus
        .logs()
        .send(new FilterLogEventsCommand({ logGroupName, limit: 2, nextToken }));
      assert.ok((page.events?.length ?? 0) <= 2);
      seen.push(...(page.events ?? []).map((e) => `${e.logStreamName}:${e.message}`));
      nextToken = page.nextToken;
      pages++;
    } while (nextToken && pages < 10);
    assert.equal(seen.length, 7);
    assert.equal(new Set(seen).size, 7);
  });
});
