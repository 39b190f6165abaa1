/**
 * Shared bits of the event source mapping tests: a table with a stream, a Node function that appends
 * every event it gets to a file (one JSON line per invoke) and fails or reports item failures when a
 * record's new image asks it to, and a bounded wait.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { CreateTableCommand, type DynamoDBClient, type StreamViewType } from "@aws-sdk/client-dynamodb";
import { CreateFunctionCommand, type LambdaClient } from "@aws-sdk/client-lambda";
import { makeZip, ROLE, uniqueName } from "../helpers.ts";

/**
 * Records each event, then: throws when a record's NewImage has `fail: true`, and reports the records
 * whose NewImage has `report: true` as batch item failures.
 */
export const RECORDER_JS = `
const fs = require("node:fs");
exports.handler = async (event) => {
  fs.appendFileSync(process.env.OUT_FILE, JSON.stringify(event) + "\\n");
  const batchItemFailures = [];
  for (const record of event.Records) {
    const image = record.dynamodb.NewImage || {};
    if (image.fail && image.fail.BOOL) throw new Error("record " + record.dynamodb.Keys.id.S + " fails");
    if (image.report && image.report.BOOL) batchItemFailures.push({ itemIdentifier: record.dynamodb.SequenceNumber });
  }
  return { batchItemFailures };
};
`;

export interface StreamRecordEvent {
  eventID: string;
  eventName: string;
  eventVersion: string;
  eventSource: string;
  awsRegion: string;
  dynamodb: {
    ApproximateCreationDateTime: number;
    Keys: Record<string, Record<string, unknown>>;
    NewImage?: Record<string, Record<string, unknown>>;
    OldImage?: Record<string, Record<string, unknown>>;
    SequenceNumber: string;
    SizeBytes: number;
    StreamViewType: string;
  };
  eventSourceARN: string;
}

export interface RecordedInvoke {
  Records: StreamRecordEvent[];
}

/** A table keyed by `id` (S) with a stream; answers the stream's ARN. */
export async function createStreamTable(
  dynamodb: DynamoDBClient,
  viewType: StreamViewType = "NEW_AND_OLD_IMAGES",
): Promise<{ tableName: string; streamArn: string }> {
  const tableName = uniqueName("esm-table");
  const out = await dynamodb.send(
    new CreateTableCommand({
      TableName: tableName,
      AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }],
      KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
      BillingMode: "PAY_PER_REQUEST",
      StreamSpecification: { StreamEnabled: true, StreamViewType: viewType },
    }),
  );
  const streamArn = out.TableDescription?.LatestStreamArn;
  if (!streamArn) throw new Error("CreateTable answered no LatestStreamArn");
  return { tableName, streamArn };
}

/** The recorder function, writing to `<dir>/<name>.jsonl`; answers its name and that file. */
export async function createRecorder(
  lambda: LambdaClient,
  dir: string,
): Promise<{ name: string; file: string }> {
  const name = uniqueName("esm-fn");
  const file = join(dir, `${name}.jsonl`);
  await lambda.send(
    new CreateFunctionCommand({
      FunctionName: name,
      Runtime: "nodejs20.x",
      Role: ROLE,
      Handler: "index.handler",
      Code: { ZipFile: makeZip({ "index.js": RECORDER_JS }) },
      Timeout: 10,
      Environment: { Variables: { OUT_FILE: file } },
    }),
  );
  return { name, file };
}

/** The invokes a recorder has seen so far, in order. */
export async function invokesOf(file: string): Promise<RecordedInvoke[]> {
  let text = "";
  try {
    text = await readFile(file, "utf8");
  } catch {
    return [];
  }
  return text
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as RecordedInvoke);
}

/** The ids (Keys.id.S) of each invoke's records. */
export async function idsPerInvoke(file: string): Promise<string[][]> {
  return (await invokesOf(file)).map((invoke) => invoke.Records.map((r) => String(r.dynamodb.Keys.id?.S)));
}

/** Polls `check` until it answers a value (not undefined), or fails after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ""}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Waits until the recorder has seen at least `count` records in all; answers the ids per invoke. */
export async function waitForRecords(file: string, count: number): Promise<string[][]> {
  return waitFor(`${count} records in ${file}`, async () => {
    const ids = await idsPerInvoke(file);
    return ids.flat().length >= count ? ids : undefined;
  });
}
