/**
 * Shared bits of the function-log tests: create a function from files, invoke it, and wait (bounded)
 * until its log group holds what a test expects. Function logs reach CloudWatch Logs shortly after
 * an invoke ends, never before Invoke answers, so every read polls.
 */
import assert from "node:assert/strict";
import {
  type CloudWatchLogsClient,
  type FilteredLogEvent,
  FilterLogEventsCommand,
  GetLogEventsCommand,
  type OutputLogEvent,
} from "@aws-sdk/client-cloudwatch-logs";
import {
  CreateFunctionCommand,
  type CreateFunctionCommandInput,
  InvokeCommand,
  type InvokeCommandInput,
  type LambdaClient,
  type Runtime,
} from "@aws-sdk/client-lambda";
import { makeZip, ROLE, uniqueName } from "../helpers.ts";

export const STREAM_NAME = /^(\d{4})\/(\d{2})\/(\d{2})\/\[(\$LATEST|\d+)\]([0-9a-f]{32})$/;
/** A Node.js runtime console line: ISO time, request id, level, message. */
export const NODE_LINE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z\t([0-9a-f-]{36})\t(INFO|WARN|ERROR)\t/;

export async function createFunction(
  lambda: LambdaClient,
  files: Parameters<typeof makeZip>[0],
  options: Partial<CreateFunctionCommandInput> & { runtime?: string } = {},
): Promise<string> {
  const name = uniqueName("logs");
  const { runtime, ...rest } = options;
  await lambda.send(
    new CreateFunctionCommand({
      FunctionName: name,
      Runtime: (runtime ?? "nodejs20.x") as Runtime,
      Role: ROLE,
      Handler: "index.handler",
      Code: { ZipFile: makeZip(files) },
      Timeout: 10,
      ...rest,
    }),
  );
  return name;
}

export async function invokeJson(
  lambda: LambdaClient,
  input: InvokeCommandInput,
): Promise<{ json: Record<string, unknown>; requestId: string; functionError: string | undefined }> {
  const out = await lambda.send(new InvokeCommand(input));
  const text = out.Payload ? Buffer.from(out.Payload).toString("utf8") : "";
  return {
    json: text ? (JSON.parse(text) as Record<string, unknown>) : {},
    requestId: out.$metadata.requestId ?? "",
    functionError: out.FunctionError,
  };
}

/** Polls FilterLogEvents over the whole group until `done` holds; fails after `waitMs`. */
export async function waitForEvents(
  logs: CloudWatchLogsClient,
  logGroupName: string,
  done: (events: FilteredLogEvent[]) => boolean,
  waitMs = 15_000,
): Promise<FilteredLogEvent[]> {
  const deadline = Date.now() + waitMs;
  let events: FilteredLogEvent[] = [];
  for (;;) {
    events = await allEvents(logs, logGroupName).catch((error: { name?: string }) => {
      // The group appears with the first flush.
      if (error.name === "ResourceNotFoundException") return [];
      throw error;
    });
    if (done(events)) return events;
    if (Date.now() > deadline) {
      assert.fail(
        `log group ${logGroupName} did not get the expected events in ${waitMs} ms; it has:\n${events.map((e) => `${e.logStreamName} ${JSON.stringify(e.message)}`).join("\n")}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function allEvents(logs: CloudWatchLogsClient, logGroupName: string): Promise<FilteredLogEvent[]> {
  const events: FilteredLogEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await logs.send(new FilterLogEventsCommand({ logGroupName, nextToken }));
    events.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken !== undefined);
  return events;
}

/** Waits until a REPORT line of every request id is in the group. */
export function waitForReports(
  logs: CloudWatchLogsClient,
  logGroupName: string,
  requestIds: string[],
): Promise<FilteredLogEvent[]> {
  return waitForEvents(logs, logGroupName, (events) =>
    requestIds.every((id) => events.some((e) => e.message?.startsWith(`REPORT RequestId: ${id}\t`))),
  );
}

/** One stream's events from its head, in order. */
export async function streamEvents(
  logs: CloudWatchLogsClient,
  logGroupName: string,
  logStreamName: string,
): Promise<OutputLogEvent[]> {
  const page = await logs.send(new GetLogEventsCommand({ logGroupName, logStreamName, startFromHead: true }));
  return page.events ?? [];
}
