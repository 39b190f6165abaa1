/**
 * Functions for the async-invocation tests: each appends one JSON line per invocation to the file its
 * OUT environment variable names, so a test reads what ran, with which request id and when.
 */
import { existsSync, readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { CreateFunctionCommand, type LambdaClient } from "@aws-sdk/client-lambda";
import { nodeZip, ROLE } from "../helpers.ts";

/** Logs the attempt, then throws. */
export const FAILING_JS = `const fs = require("fs");
exports.handler = async (event, context) => {
  fs.appendFileSync(process.env.OUT, JSON.stringify({ requestId: context.awsRequestId, at: Date.now(), event }) + "\\n");
  throw new Error("boom");
};
`;

/** Logs the invocation (a destination records what it was sent), then answers. */
export const RECORDING_JS = `const fs = require("fs");
exports.handler = async (event, context) => {
  fs.appendFileSync(process.env.OUT, JSON.stringify({ requestId: context.awsRequestId, at: Date.now(), event }) + "\\n");
  return { answered: event };
};
`;

/** Waits `SLEEP_MS`, then logs the invocation. */
export const SLOW_JS = `const fs = require("fs");
exports.handler = async (event, context) => {
  await new Promise((resolve) => setTimeout(resolve, Number(process.env.SLEEP_MS)));
  fs.appendFileSync(process.env.OUT, JSON.stringify({ requestId: context.awsRequestId, at: Date.now(), event }) + "\\n");
  return "done";
};
`;

/** Logs the invocation when it starts, then waits `event.sleepMs` (if any) and answers. */
export const SLEEPY_JS = `const fs = require("fs");
exports.handler = async (event, context) => {
  fs.appendFileSync(process.env.OUT, JSON.stringify({ requestId: context.awsRequestId, at: Date.now(), event }) + "\\n");
  await new Promise((resolve) => setTimeout(resolve, event.sleepMs || 0));
  return { slept: event.sleepMs || 0 };
};
`;

/** Fails while the file MARKER does not exist (creating it), succeeds afterwards. */
export const FAILS_ONCE_JS = `const fs = require("fs");
exports.handler = async (event, context) => {
  fs.appendFileSync(process.env.OUT, JSON.stringify({ requestId: context.awsRequestId, at: Date.now(), event }) + "\\n");
  if (!fs.existsSync(process.env.MARKER)) {
    fs.writeFileSync(process.env.MARKER, "x");
    throw new Error("first attempt fails");
  }
  return { recovered: true };
};
`;

export interface Line {
  requestId: string;
  at: number;
  event: Record<string, unknown>;
}

export async function createNodeFunction(
  lambda: LambdaClient,
  name: string,
  code: string,
  variables: Record<string, string>,
): Promise<void> {
  await lambda.send(
    new CreateFunctionCommand({
      FunctionName: name,
      Runtime: "nodejs20.x",
      Role: ROLE,
      Handler: "index.handler",
      Code: { ZipFile: nodeZip(code) },
      Environment: { Variables: variables },
      Timeout: 30,
    }),
  );
}

export function readLines(path: string): Line[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as Line);
}

/** Polls the file until it has `count` lines; fails after `timeoutMs`. */
export async function waitForLines(path: string, count: number, timeoutMs = 60_000): Promise<Line[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const lines = readLines(path);
    if (lines.length >= count) return lines;
    if (Date.now() > deadline) {
      throw new Error(`expected ${count} line(s) in ${path} within ${timeoutMs} ms, got ${lines.length}`);
    }
    await sleep(100);
  }
}
