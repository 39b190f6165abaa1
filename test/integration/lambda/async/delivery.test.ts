/**
 * InvocationType Event end to end: retries after function errors (same request id each time),
 * MaximumRetryAttempts, OnSuccess/OnFailure destinations receiving Lambda's invocation record, and
 * reserved concurrency 0. Retries wait STRATUS_LAMBDA_ASYNC_RETRY_BASE_MS (200 ms here) instead of AWS's
 * minute.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import {
  CreateAliasCommand,
  InvokeCommand,
  PublishVersionCommand,
  PutFunctionConcurrencyCommand,
  PutFunctionEventInvokeConfigCommand,
} from "@aws-sdk/client-lambda";
import { useStratus } from "../../../support/stratus.ts";
import { uniqueName } from "../helpers.ts";
import {
  createNodeFunction,
  FAILING_JS,
  RECORDING_JS,
  readLines,
  SLEEPY_JS,
  waitForLines,
} from "./support.ts";

const RETRY_BASE_MS = 200;
process.env.STRATUS_LAMBDA_ASYNC_RETRY_BASE_MS = String(RETRY_BASE_MS);

const ARN = "arn:aws:lambda:us-east-1:000000000000:function";

describe("Lambda asynchronous invocation", () => {
  const stratus = useStratus({ inMemory: true });
  let dir = "";
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "stratus-async-"));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** A destination function that records each record it receives in its own file. */
  async function destination(): Promise<{ name: string; out: string }> {
    const name = uniqueName("dest");
    const out = join(dir, `${name}.jsonl`);
    await createNodeFunction(stratus.lambda(), name, RECORDING_JS, { OUT: out });
    return { name, out };
  }

  it("retries a failing function twice with the same request id, then sends the record to OnFailure", async () => {
    const lambda = stratus.lambda();
    const name = uniqueName("fails");
    const attempts = join(dir, `${name}.jsonl`);
    await createNodeFunction(lambda, name, FAILING_JS, { OUT: attempts });
    const dest = await destination();
    await lambda.send(
      new PutFunctionEventInvokeConfigCommand({
        FunctionName: name,
        DestinationConfig: { OnFailure: { Destination: `${ARN}:${dest.name}` } },
      }),
    );
    const payload = { order: 42, items: ["a", "b"] };
    const accepted = await lambda.send(
      new InvokeCommand({
        FunctionName: name,
        InvocationType: "Event",
        Payload: Buffer.from(JSON.stringify(payload)),
      }),
    );
    assert.equal(accepted.StatusCode, 202);

    const [delivered] = await waitForLines(dest.out, 1);
    const tries = readLines(attempts);
    assert.equal(tries.length, 3);
    const requestId = tries[0]?.requestId;
    assert.ok(requestId);
    assert.equal(accepted.$metadata.requestId, requestId);
    assert.deepEqual(
      tries.map((t) => t.requestId),
      [requestId, requestId, requestId],
    );
    assert.deepEqual(tries[0]?.event, payload);
    // One base wait before the first retry, two before the second (lower bounds only).
    const [t0, t1, t2] = tries.map((t) => t.at) as [number, number, number];
    assert.ok(t1 - t0 >= RETRY_BASE_MS - 20, `first retry after ${t1 - t0} ms`);
    assert.ok(t2 - t1 >= 2 * RETRY_BASE_MS - 20, `second retry after ${t2 - t1} ms`);

    const record = delivered?.event as Record<string, unknown>;
    assert.deepEqual(Object.keys(record), [
      "version",
      "timestamp",
      "requestContext",
      "requestPayload",
      "responseContext",
      "responsePayload",
    ]);
    assert.equal(record.version, "1.0");
    assert.match(String(record.timestamp), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.deepEqual(record.requestContext, {
      requestId,
      functionArn: `${ARN}:${name}:$LATEST`,
      condition: "RetriesExhausted",
      approximateInvokeCount: 3,
    });
    assert.deepEqual(record.requestPayload, payload);
    assert.deepEqual(record.responseContext, {
      statusCode: 200,
      executedVersion: "$LATEST",
      functionError: "Unhandled",
    });
    const response = record.responsePayload as Record<string, unknown>;
    assert.equal(response.errorType, "Error");
    assert.equal(response.errorMessage, "boom");
    // The destination ran as an invocation of its own.
    assert.notEqual(delivered?.requestId, requestId);
  });

  it("sends a success record to OnSuccess, with the alias invoked and the version that ran", async () => {
    const lambda = stratus.lambda();
    const name = uniqueName("works");
    const runs = join(dir, `${name}.jsonl`);
    await createNodeFunction(lambda, name, RECORDING_JS, { OUT: runs });
    await lambda.send(new PublishVersionCommand({ FunctionName: name }));
    await lambda.send(new CreateAliasCommand({ FunctionName: name, Name: "live", FunctionVersion: "1" }));
    const dest = await destination();
    await lambda.send(
      new PutFunctionEventInvokeConfigCommand({
        FunctionName: name,
        Qualifier: "live",
        DestinationConfig: { OnSuccess: { Destination: `${ARN}:${dest.name}` } },
      }),
    );
    const accepted = await lambda.send(
      new InvokeCommand({
        FunctionName: name,
        Qualifier: "live",
        InvocationType: "Event",
        Payload: Buffer.from('{"hello":"world"}'),
      }),
    );
    assert.equal(accepted.StatusCode, 202);
    const [delivered] = await waitForLines(dest.out, 1);
    assert.equal(readLines(runs).length, 1);
    const record = delivered?.event as Record<string, unknown>;
    assert.deepEqual(record.requestContext, {
      requestId: accepted.$metadata.requestId,
      functionArn: `${ARN}:${name}:live`,
      condition: "Success",
      approximateInvokeCount: 1,
    });
    assert.deepEqual(record.requestPayload, { hello: "world" });
    assert.deepEqual(record.responseContext, { statusCode: 200, executedVersion: "1" });
    assert.deepEqual(record.responsePayload, { answered: { hello: "world" } });
  });

  it("makes one attempt with MaximumRetryAttempts 0", async () => {
    const lambda = stratus.lambda();
    const name = uniqueName("once");
    const attempts = join(dir, `${name}.jsonl`);
    await createNodeFunction(lambda, name, FAILING_JS, { OUT: attempts });
    const dest = await destination();
    await lambda.send(
      new PutFunctionEventInvokeConfigCommand({
        FunctionName: name,
        MaximumRetryAttempts: 0,
        DestinationConfig: { OnFailure: { Destination: `${ARN}:${dest.name}` } },
      }),
    );
    await lambda.send(
      new InvokeCommand({ FunctionName: name, InvocationType: "Event", Payload: Buffer.from("{}") }),
    );
    const [delivered] = await waitForLines(dest.out, 1);
    const record = delivered?.event as { requestContext: Record<string, unknown> };
    assert.equal(record.requestContext.condition, "RetriesExhausted");
    assert.equal(record.requestContext.approximateInvokeCount, 1);
    // Well past when a retry would have run: still one attempt.
    await new Promise((resolve) => setTimeout(resolve, 4 * RETRY_BASE_MS));
    assert.equal(readLines(attempts).length, 1);
  });

  it("sends events of a function with reserved concurrency 0 to OnFailure without running it", async () => {
    const lambda = stratus.lambda();
    const name = uniqueName("off");
    const attempts = join(dir, `${name}.jsonl`);
    await createNodeFunction(lambda, name, RECORDING_JS, { OUT: attempts });
    await lambda.send(
      new PutFunctionConcurrencyCommand({ FunctionName: name, ReservedConcurrentExecutions: 0 }),
    );
    const dest = await destination();
    await lambda.send(
      new PutFunctionEventInvokeConfigCommand({
        FunctionName: name,
        DestinationConfig: { OnFailure: { Destination: `${ARN}:${dest.name}` } },
      }),
    );
    const accepted = await lambda.send(
      new InvokeCommand({ FunctionName: name, InvocationType: "Event", Payload: Buffer.from('{"n":1}') }),
    );
    const [delivered] = await waitForLines(dest.out, 1);
    const record = delivered?.event as Record<string, unknown>;
    assert.deepEqual(record.requestContext, {
      requestId: accepted.$metadata.requestId,
      functionArn: `${ARN}:${name}:$LATEST`,
      condition: "RetriesExhausted",
      approximateInvokeCount: 0,
    });
    assert.equal(record.responseContext, undefined);
    assert.deepEqual(readLines(attempts), []);
  });

  it("tries a throttled event again until the function has concurrency, without counting the throttles", async () => {
    const lambda = stratus.lambda();
    const name = uniqueName("busy");
    const runs = join(dir, `${name}.jsonl`);
    await createNodeFunction(lambda, name, SLEEPY_JS, { OUT: runs });
    await lambda.send(
      new PutFunctionConcurrencyCommand({ FunctionName: name, ReservedConcurrentExecutions: 1 }),
    );
    const dest = await destination();
    await lambda.send(
      new PutFunctionEventInvokeConfigCommand({
        FunctionName: name,
        DestinationConfig: { OnSuccess: { Destination: `${ARN}:${dest.name}` } },
      }),
    );
    // A synchronous invoke holds the function's only execution for 2 s.
    const busy = lambda.send(
      new InvokeCommand({ FunctionName: name, Payload: Buffer.from('{"sleepMs":2000,"tag":"sync"}') }),
    );
    const [syncStart] = await waitForLines(runs, 1);
    await lambda.send(
      new InvokeCommand({
        FunctionName: name,
        InvocationType: "Event",
        Payload: Buffer.from('{"tag":"async"}'),
      }),
    );
    assert.equal((await busy).StatusCode, 200);
    const [delivered] = await waitForLines(dest.out, 1);
    const [, asyncStart] = readLines(runs);
    assert.deepEqual(asyncStart?.event, { tag: "async" });
    // It could only run once the synchronous invoke had let go of the execution.
    assert.ok((asyncStart?.at ?? 0) >= (syncStart?.at ?? 0) + 2000 - 20);
    const record = delivered?.event as { requestContext: Record<string, unknown> };
    assert.equal(record.requestContext.condition, "Success");
    assert.equal(record.requestContext.approximateInvokeCount, 1);
  });
});
