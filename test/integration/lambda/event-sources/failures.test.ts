/**
 * What a mapping does when its function fails: retries of the same batch up to MaximumRetryAttempts,
 * BisectBatchOnFunctionError's halving, ReportBatchItemFailures' partial batch responses, and
 * LastProcessingResult. The recorder function (esm-helpers.ts) throws for records whose new image has
 * `fail: true` and reports the ones with `report: true`.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { PutItemCommand } from "@aws-sdk/client-dynamodb";
import {
  CreateEventSourceMappingCommand,
  type CreateEventSourceMappingCommandInput,
  GetEventSourceMappingCommand,
} from "@aws-sdk/client-lambda";
import { useStratus } from "../../../support/stratus.ts";
import { createRecorder, createStreamTable, idsPerInvoke, waitFor } from "./esm-helpers.ts";

describe("Lambda event source mappings: function errors", () => {
  const stratus = useStratus({ inMemory: true });
  let scratch = "";
  before(async () => {
    scratch = await mkdtemp(join(tmpdir(), "stratus-esm-failures-"));
  });
  after(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  /**
   * Writes the items first, then maps the stream from TRIM_HORIZON, so that the first batch holds all
   * of them; answers the recorder's file and the mapping's UUID.
   */
  async function mapAfterWriting(
    items: Record<string, unknown>[],
    settings: Partial<CreateEventSourceMappingCommandInput>,
  ) {
    const lambda = stratus.lambda();
    const dynamodb = stratus.dynamodb();
    const { tableName, streamArn } = await createStreamTable(dynamodb);
    const fn = await createRecorder(lambda, scratch);
    for (const item of items)
      await dynamodb.send(new PutItemCommand({ TableName: tableName, Item: item as never }));
    const { UUID } = await lambda.send(
      new CreateEventSourceMappingCommand({
        EventSourceArn: streamArn,
        FunctionName: fn.name,
        StartingPosition: "TRIM_HORIZON",
        BatchSize: 10,
        ...settings,
      }),
    );
    const putLater = (id: string) =>
      dynamodb.send(new PutItemCommand({ TableName: tableName, Item: { id: { S: id } } }));
    return { file: fn.file, uuid: UUID!, putLater };
  }

  /** Waits until the recorder has seen a record with this id; answers the ids per invoke. */
  const waitForId = (file: string, id: string) =>
    waitFor(`record ${id}`, async () => {
      const ids = await idsPerInvoke(file);
      return ids.flat().includes(id) ? ids : undefined;
    });

  const ok = (id: string) => ({ id: { S: id } });
  const failing = (id: string) => ({ id: { S: id }, fail: { BOOL: true } });
  const reported = (id: string) => ({ id: { S: id }, report: { BOOL: true } });

  it("retries a failing batch MaximumRetryAttempts times, then discards it and moves on", async () => {
    const { file, uuid, putLater } = await mapAfterWriting([ok("a"), failing("b")], {
      MaximumRetryAttempts: 2,
    });
    await waitFor("three attempts", async () => ((await idsPerInvoke(file)).length >= 3 ? true : undefined));
    const lambda = stratus.lambda();
    const failed = await lambda.send(new GetEventSourceMappingCommand({ UUID: uuid }));
    assert.equal(failed.LastProcessingResult, "PROBLEM: Function call failed");
    await putLater("c");
    const ids = await waitForId(file, "c");
    // One attempt and two retries of [a, b], then b's batch is discarded and c comes next.
    assert.deepEqual(ids, [["a", "b"], ["a", "b"], ["a", "b"], ["c"]]);
    const recovered = await waitFor("LastProcessingResult OK", async () => {
      const got = await lambda.send(new GetEventSourceMappingCommand({ UUID: uuid }));
      return got.LastProcessingResult === "OK" ? got : undefined;
    });
    assert.equal(recovered.State, "Enabled");
  });

  it("bisects a failing batch until the failing record is alone (splitting uses no retry)", async () => {
    const { file, putLater } = await mapAfterWriting([ok("a"), ok("b"), failing("c"), ok("d")], {
      MaximumRetryAttempts: 0,
      BisectBatchOnFunctionError: true,
    });
    await waitFor("five attempts", async () => ((await idsPerInvoke(file)).length >= 5 ? true : undefined));
    await putLater("e");
    const ids = await waitForId(file, "e");
    assert.deepEqual(ids, [["a", "b", "c", "d"], ["a", "b"], ["c", "d"], ["c"], ["d"], ["e"]]);
  });

  it("retries from the lowest reported item with ReportBatchItemFailures", async () => {
    const { file, putLater } = await mapAfterWriting([ok("a"), reported("b"), ok("c")], {
      MaximumRetryAttempts: 1,
      FunctionResponseTypes: ["ReportBatchItemFailures"],
    });
    await waitFor("two attempts", async () => ((await idsPerInvoke(file)).length >= 2 ? true : undefined));
    await putLater("d");
    const ids = await waitForId(file, "d");
    // a is done after the first answer; [b, c] is retried once, then discarded.
    assert.deepEqual(ids, [["a", "b", "c"], ["b", "c"], ["d"]]);
  });

  it("ignores batchItemFailures without ReportBatchItemFailures", async () => {
    const { file, putLater } = await mapAfterWriting([ok("a"), reported("b")], { MaximumRetryAttempts: 1 });
    await waitFor("the first attempt", async () =>
      (await idsPerInvoke(file)).length >= 1 ? true : undefined,
    );
    await putLater("c");
    assert.deepEqual(await waitForId(file, "c"), [["a", "b"], ["c"]]);
  });
});
