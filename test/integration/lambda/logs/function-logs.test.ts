/**
 * Function logs in CloudWatch Logs, read back through @aws-sdk/client-cloudwatch-logs: group
 * /aws/lambda/NAME (or LoggingConfig.LogGroup), one stream per execution environment named
 * YYYY/MM/DD/[VERSION]<32 hex> (= AWS_LAMBDA_LOG_STREAM_NAME), INIT_START / START / output / END /
 * REPORT events each ending in a newline, as AWS stores them.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DescribeLogGroupsCommand, DescribeLogStreamsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { PublishVersionCommand } from "@aws-sdk/client-lambda";
import { useStratus } from "../../../support/stratus.ts";
import {
  createFunction,
  invokeJson,
  NODE_LINE,
  STREAM_NAME,
  streamEvents,
  waitForEvents,
  waitForReports,
} from "./support.ts";

const INIT_START =
  /^INIT_START Runtime Version: nodejs:20\.v\d+\tRuntime Version ARN: arn:aws:lambda:us-east-1::runtime:[0-9a-f]{64}\n$/;
const REPORT_WARM =
  /^REPORT RequestId: [0-9a-f-]{36}\tDuration: \d+\.\d{2} ms\tBilled Duration: \d+ ms\tMemory Size: 128 MB\tMax Memory Used: \d+ MB\t\n$/;
const REPORT_COLD =
  /^REPORT RequestId: [0-9a-f-]{36}\tDuration: \d+\.\d{2} ms\tBilled Duration: \d+ ms\tMemory Size: 128 MB\tMax Memory Used: \d+ MB\tInit Duration: \d+\.\d{2} ms\t\n$/;

describe("Lambda function logs in CloudWatch Logs", () => {
  const stratus = useStratus({ inMemory: true });

  it("writes a Node function's cold and warm invokes to one stream named as AWS names it", async () => {
    const lambda = stratus.lambda();
    const logs = stratus.logs();
    const name = await createFunction(lambda, {
      "index.js": `console.log("init of", process.env.AWS_LAMBDA_FUNCTION_NAME);
exports.handler = async (event, context) => {
  console.log("hello", event.n);
  console.warn("two\\nlines");
  return {
    requestId: context.awsRequestId,
    stream: context.logStreamName,
    envStream: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
    envGroup: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
  };
};
`,
    });
    const group = `/aws/lambda/${name}`;
    const first = await invokeJson(lambda, { FunctionName: name, Payload: Buffer.from('{"n":1}') });
    const second = await invokeJson(lambda, { FunctionName: name, Payload: Buffer.from('{"n":2}') });
    assert.equal(first.json.requestId, first.requestId);
    await waitForReports(logs, group, [first.requestId, second.requestId]);

    const groups = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: group }));
    assert.deepEqual(
      groups.logGroups?.map((g) => g.logGroupName),
      [group],
    );
    const streams =
      (await logs.send(new DescribeLogStreamsCommand({ logGroupName: group }))).logStreams ?? [];
    assert.equal(streams.length, 1, "one warm environment, one stream");
    const streamName = streams[0]?.logStreamName ?? "";
    const match = STREAM_NAME.exec(streamName);
    assert.ok(match, `stream name ${streamName}`);
    const today = new Date();
    assert.equal(Number(match[1]), today.getUTCFullYear());
    assert.equal(Number(match[2]), today.getUTCMonth() + 1);
    assert.equal(match[4], "$LATEST");
    assert.equal(first.json.stream, streamName);
    assert.equal(first.json.envStream, streamName);
    assert.equal(first.json.envGroup, group);

    const events = await streamEvents(logs, group, streamName);
    const messages = events.map((e) => e.message ?? "");
    assert.match(messages[0] ?? "", INIT_START);
    // Output of the init phase is between INIT_START and START (or just after START: the pipe and
    // the Runtime API race), then the invoke's own lines.
    const initLine = messages.findIndex((m) => m.includes("\tINFO\tinit of "));
    assert.ok(initLine === 1 || initLine === 2, `init output at ${initLine}: ${messages.join("")}`);
    const withoutInit = messages.filter((_, i) => i !== 0 && i !== initLine);
    assert.equal(withoutInit.length, 10, withoutInit.join(""));
    assert.equal(withoutInit[0], `START RequestId: ${first.requestId} Version: $LATEST\n`);
    assert.match(withoutInit[1] ?? "", NODE_LINE);
    assert.ok(withoutInit[1]?.endsWith(`\t${first.requestId}\tINFO\thello 1\n`), withoutInit[1]);
    // One console.warn of two lines is one event (the runtime writes its inner newline as \r).
    assert.ok(withoutInit[2]?.endsWith(`\t${first.requestId}\tWARN\ttwo\rlines\n`), withoutInit[2]);
    assert.equal(withoutInit[3], `END RequestId: ${first.requestId}\n`);
    assert.match(withoutInit[4] ?? "", REPORT_COLD);
    assert.ok(withoutInit[4]?.startsWith(`REPORT RequestId: ${first.requestId}\t`));
    // Duration is the invoke alone; Billed Duration adds Init Duration (AWS bills init since 2025).
    const [, duration, billed, init] =
      /Duration: ([\d.]+) ms\tBilled Duration: (\d+) ms\t.*Init Duration: ([\d.]+) ms/.exec(
        withoutInit[4] ?? "",
      ) ?? [];
    assert.equal(Number(billed), Math.ceil(Number(duration) + Number(init)));
    assert.equal(withoutInit[5], `START RequestId: ${second.requestId} Version: $LATEST\n`);
    assert.ok(withoutInit[6]?.endsWith(`\t${second.requestId}\tINFO\thello 2\n`), withoutInit[6]);
    assert.equal(withoutInit[8], `END RequestId: ${second.requestId}\n`);
    assert.match(withoutInit[9] ?? "", REPORT_WARM, "no Init Duration on a warm invoke");

    // Timestamps are in order and the stream's record matches its events.
    const times = events.map((e) => e.timestamp ?? 0);
    assert.deepEqual(
      times,
      [...times].sort((a, b) => a - b),
    );
    const stream = streams[0];
    assert.ok(stream?.firstEventTimestamp !== undefined && stream.firstEventTimestamp <= (times[0] ?? 0));
  });

  it("writes a Python function's print lines one event per line, in a published version's stream", async () => {
    const lambda = stratus.lambda();
    const logs = stratus.logs();
    const name = await createFunction(
      lambda,
      {
        "app.py": `import os
def handler(event, context):
    print("first\\nsecond")
    print("third")
    return {"stream": context.log_stream_name, "env": os.environ["AWS_LAMBDA_LOG_STREAM_NAME"]}
`,
      },
      { runtime: "python3.12", Handler: "app.handler" },
    );
    const published = await lambda.send(new PublishVersionCommand({ FunctionName: name }));
    assert.equal(published.Version, "1");
    const out = await invokeJson(lambda, { FunctionName: name, Qualifier: "1" });
    const group = `/aws/lambda/${name}`;
    const events = await waitForReports(logs, group, [out.requestId]);
    const streamName = String(out.json.stream);
    assert.equal(STREAM_NAME.exec(streamName)?.[4], "1");
    assert.equal(out.json.env, streamName);
    assert.ok(events.every((e) => e.logStreamName === streamName));
    const messages = events.map((e) => e.message);
    assert.match(
      messages[0] ?? "",
      /^INIT_START Runtime Version: python:3\.12\.v\d+\tRuntime Version ARN: arn:aws:lambda:us-east-1::runtime:[0-9a-f]{64}\n$/,
    );
    assert.deepEqual(messages.slice(1, 6), [
      `START RequestId: ${out.requestId} Version: 1\n`,
      "first\n",
      "second\n",
      "third\n",
      `END RequestId: ${out.requestId}\n`,
    ]);
    assert.ok(messages[6]?.startsWith(`REPORT RequestId: ${out.requestId}\tDuration: `));
  });

  it("writes a timeout's lines and Status: timeout", async () => {
    const lambda = stratus.lambda();
    const logs = stratus.logs();
    const name = await createFunction(
      lambda,
      {
        "index.js": `exports.handler = async () => {
  console.log("going to sleep");
  await new Promise((resolve) => setTimeout(resolve, 5000));
};
`,
      },
      { Timeout: 1 },
    );
    const out = await invokeJson(lambda, { FunctionName: name });
    assert.equal(out.functionError, "Unhandled");
    assert.equal(out.json.errorType, "Sandbox.Timedout");
    const group = `/aws/lambda/${name}`;
    const events = await waitForReports(logs, group, [out.requestId]);
    const messages = events.map((e) => e.message ?? "");
    const start = messages.indexOf(`START RequestId: ${out.requestId} Version: $LATEST\n`);
    assert.ok(start > 0, messages.join(""));
    assert.ok(messages[start + 1]?.endsWith("\tINFO\tgoing to sleep\n"));
    assert.match(
      messages[start + 2] ?? "",
      new RegExp(`^\\d{4}-\\d{2}-\\d{2}T[\\d:.]+Z ${out.requestId} Task timed out after 1\\.00 seconds\\n$`),
    );
    assert.equal(messages[start + 3], `END RequestId: ${out.requestId}\n`);
    assert.match(messages[start + 4] ?? "", /\tStatus: timeout\t\n$/);
  });

  it("writes a crash's lines and Status: error with Runtime.ExitError", async () => {
    const lambda = stratus.lambda();
    const logs = stratus.logs();
    const name = await createFunction(lambda, {
      "index.js": "exports.handler = async () => { process.exit(3); };\n",
    });
    const out = await invokeJson(lambda, { FunctionName: name });
    assert.equal(out.json.errorType, "Runtime.ExitError");
    const events = await waitForReports(logs, `/aws/lambda/${name}`, [out.requestId]);
    const messages = events.map((e) => e.message ?? "");
    const end = messages.indexOf(`END RequestId: ${out.requestId}\n`);
    assert.deepEqual(messages.slice(end - 2, end), [
      `RequestId: ${out.requestId} Error: Runtime exited with error: exit status 3\n`,
      "Runtime.ExitError\n",
    ]);
    assert.match(messages[end + 1] ?? "", /\tStatus: error\tError Type: Runtime\.ExitError\t\n$/);
  });

  it("writes an init error's output, then START, END and REPORT", async () => {
    const lambda = stratus.lambda();
    const logs = stratus.logs();
    const name = await createFunction(lambda, { "index.js": "exports.other = async () => 1;\n" });
    const out = await invokeJson(lambda, { FunctionName: name });
    assert.equal(out.json.errorType, "Runtime.HandlerNotFound");
    const events = await waitForReports(logs, `/aws/lambda/${name}`, [out.requestId]);
    const messages = events.map((e) => e.message ?? "");
    assert.match(messages[0] ?? "", /^INIT_START /);
    const start = messages.indexOf(`START RequestId: ${out.requestId} Version: $LATEST\n`);
    assert.ok(
      messages
        .slice(1, start)
        .some((m) => m.includes("\tERROR\tUncaught Exception \t") && m.includes("Runtime.HandlerNotFound")),
      messages.join(""),
    );
    assert.equal(messages[start + 1], `END RequestId: ${out.requestId}\n`);
    assert.match(messages[start + 2] ?? "", /^REPORT RequestId: .*\tInit Duration: [\d.]+ ms\t\n$/);
  });

  it("gives two concurrent environments two streams, each with its INIT_START", async () => {
    const lambda = stratus.lambda();
    const logs = stratus.logs();
    const name = await createFunction(lambda, {
      "index.js": `exports.handler = async (event, context) => {
  // Long enough that the second invoke finds the first environment busy.
  await new Promise((resolve) => setTimeout(resolve, 1500));
  console.log("done", event.n);
  return { stream: context.logStreamName };
};
`,
    });
    const [a, b] = await Promise.all([
      invokeJson(lambda, { FunctionName: name, Payload: Buffer.from('{"n":1}') }),
      invokeJson(lambda, { FunctionName: name, Payload: Buffer.from('{"n":2}') }),
    ]);
    assert.notEqual(a.json.stream, b.json.stream);
    const group = `/aws/lambda/${name}`;
    const events = await waitForReports(logs, group, [a.requestId, b.requestId]);
    const streams =
      (await logs.send(new DescribeLogStreamsCommand({ logGroupName: group }))).logStreams ?? [];
    assert.deepEqual(
      streams.map((s) => s.logStreamName).sort(),
      [String(a.json.stream), String(b.json.stream)].sort(),
    );
    for (const [out, n] of [
      [a, 1],
      [b, 2],
    ] as const) {
      const own = events.filter((e) => e.logStreamName === out.json.stream).map((e) => e.message ?? "");
      assert.match(own[0] ?? "", /^INIT_START /);
      assert.ok(own.includes(`START RequestId: ${out.requestId} Version: $LATEST\n`));
      assert.ok(own.some((m) => m.endsWith(`\t${out.requestId}\tINFO\tdone ${n}\n`)));
    }
  });

  it("writes to LoggingConfig.LogGroup, also for Event invokes", async () => {
    const lambda = stratus.lambda();
    const logs = stratus.logs();
    const group = `/custom/${process.pid}/group`;
    const name = await createFunction(
      lambda,
      {
        "index.js": `exports.handler = async (event) => {
  console.log("event", JSON.stringify(event), process.env.AWS_LAMBDA_LOG_GROUP_NAME);
};
`,
      },
      { LoggingConfig: { LogGroup: group } },
    );
    const out = await invokeJson(lambda, {
      FunctionName: name,
      InvocationType: "Event",
      Payload: Buffer.from('{"async":true}'),
    });
    assert.deepEqual(out.json, {});
    const events = await waitForEvents(logs, group, (all) =>
      all.some((e) => e.message?.startsWith("REPORT RequestId: ")),
    );
    assert.ok(
      events.some((e) => e.message?.endsWith(`\tINFO\tevent {"async":true} ${group}\n`)),
      events.map((e) => e.message).join(""),
    );
    const defaultGroup = await logs.send(
      new DescribeLogGroupsCommand({ logGroupNamePrefix: `/aws/lambda/${name}` }),
    );
    assert.deepEqual(defaultGroup.logGroups, []);
  });
});
