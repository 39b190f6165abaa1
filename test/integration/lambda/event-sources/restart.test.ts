/**
 * Mappings and their checkpoints survive a restart: the poller resumes after the last finished batch,
 * so nothing is delivered twice and nothing written while Stratus was down is skipped.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { DynamoDBClient, PutItemCommand } from "@aws-sdk/client-dynamodb";
import {
  CreateEventSourceMappingCommand,
  GetEventSourceMappingCommand,
  LambdaClient,
} from "@aws-sdk/client-lambda";
import { type RunningStratus, startStratus } from "../../../../src/server.ts";
import { clientConfigFor } from "../../../support/stratus.ts";
import { createRecorder, createStreamTable, idsPerInvoke, waitFor, waitForRecords } from "./esm-helpers.ts";

describe("Lambda event source mappings: restart", () => {
  let dataDir = "";
  let scratch = "";
  let running: RunningStratus | undefined;
  const clients: { destroy(): void }[] = [];

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "stratus-esm-restart-data-"));
    scratch = await mkdtemp(join(tmpdir(), "stratus-esm-restart-"));
  });
  after(async () => {
    for (const client of clients) client.destroy();
    await running?.close();
    await rm(dataDir, { recursive: true, force: true });
    await rm(scratch, { recursive: true, force: true });
  });

  async function start() {
    running = await startStratus({ port: 0, dataDir, logLevel: "silent" });
    const config = clientConfigFor(running.url);
    const lambda = new LambdaClient(config);
    const dynamodb = new DynamoDBClient(config);
    clients.push(lambda, dynamodb);
    return { lambda, dynamodb };
  }

  it("resumes from its checkpoint without redelivering or skipping", async () => {
    const first = await start();
    const { tableName, streamArn } = await createStreamTable(first.dynamodb);
    const fn = await createRecorder(first.lambda, scratch);
    const { UUID } = await first.lambda.send(
      new CreateEventSourceMappingCommand({
        EventSourceArn: streamArn,
        FunctionName: fn.name,
        StartingPosition: "LATEST",
      }),
    );
    const put = (client: DynamoDBClient, id: string) =>
      client.send(new PutItemCommand({ TableName: tableName, Item: { id: { S: id } } }));
    await put(first.dynamodb, "a");
    await put(first.dynamodb, "b");
    await waitForRecords(fn.file, 2);
    // The checkpoint is written right after the invoke: wait until the mapping says the batch is done.
    await waitFor("LastProcessingResult OK", async () => {
      const got = await first.lambda.send(new GetEventSourceMappingCommand({ UUID }));
      return got.LastProcessingResult === "OK" ? true : undefined;
    });
    await running!.close();
    running = undefined;

    const second = await start();
    await put(second.dynamodb, "c");
    const ids = await waitFor("record c", async () => {
      const seen = await idsPerInvoke(fn.file);
      return seen.flat().includes("c") ? seen : undefined;
    });
    assert.deepEqual(ids.flat(), ["a", "b", "c"]);
    const got = await second.lambda.send(new GetEventSourceMappingCommand({ UUID }));
    assert.equal(got.State, "Enabled");
    assert.equal(got.EventSourceArn, streamArn);
  });
});
