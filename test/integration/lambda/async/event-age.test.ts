/**
 * MaximumEventAgeInSeconds: with retries a minute apart (AWS's wait, kept here), an event whose next
 * retry would come after its maximum age is discarded with condition EventAgeExceeded, carrying the
 * answer of the attempt that failed (as in LocalStack's recording of Lambda's test_maxeventage).
 */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { InvokeCommand, PutFunctionEventInvokeConfigCommand } from "@aws-sdk/client-lambda";
import { useStratus } from "../../../support/stratus.ts";
import { uniqueName } from "../helpers.ts";
import { createNodeFunction, FAILING_JS, RECORDING_JS, readLines, waitForLines } from "./support.ts";

// Just over the minimum event age, so that the first retry is already too late.
process.env.STRATUS_LAMBDA_ASYNC_RETRY_BASE_MS = "61000";

const ARN = "arn:aws:lambda:us-east-1:000000000000:function";

describe("Lambda asynchronous invocation: maximum event age", () => {
  const stratus = useStratus({ inMemory: true });
  let dir = "";
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "stratus-async-age-"));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("discards an event that would be retried after MaximumEventAgeInSeconds, to OnFailure", async () => {
    const lambda = stratus.lambda();
    const name = uniqueName("aging");
    const attempts = join(dir, `${name}.jsonl`);
    await createNodeFunction(lambda, name, FAILING_JS, { OUT: attempts });
    const dest = uniqueName("dest");
    const out = join(dir, `${dest}.jsonl`);
    await createNodeFunction(lambda, dest, RECORDING_JS, { OUT: out });
    await lambda.send(
      new PutFunctionEventInvokeConfigCommand({
        FunctionName: name,
        MaximumEventAgeInSeconds: 60,
        DestinationConfig: { OnFailure: { Destination: `${ARN}:${dest}` } },
      }),
    );
    const accepted = await lambda.send(
      new InvokeCommand({ FunctionName: name, InvocationType: "Event", Payload: Buffer.from('{"age":1}') }),
    );
    const [delivered] = await waitForLines(out, 1);
    assert.equal(readLines(attempts).length, 1);
    const record = delivered?.event as Record<string, unknown>;
    assert.deepEqual(record.requestContext, {
      requestId: accepted.$metadata.requestId,
      functionArn: `${ARN}:${name}:$LATEST`,
      condition: "EventAgeExceeded",
      approximateInvokeCount: 1,
    });
    assert.deepEqual(record.responseContext, {
      statusCode: 200,
      executedVersion: "$LATEST",
      functionError: "Unhandled",
    });
    assert.equal((record.responsePayload as { errorMessage?: string }).errorMessage, "boom");
  });

  it("keeps retrying within the default six hours: no record while the retry is pending", async () => {
    const lambda = stratus.lambda();
    const name = uniqueName("patient");
    const attempts = join(dir, `${name}.jsonl`);
    await createNodeFunction(lambda, name, FAILING_JS, { OUT: attempts });
    const dest = uniqueName("dest");
    const out = join(dir, `${dest}.jsonl`);
    await createNodeFunction(lambda, dest, RECORDING_JS, { OUT: out });
    await lambda.send(
      new PutFunctionEventInvokeConfigCommand({
        FunctionName: name,
        DestinationConfig: { OnFailure: { Destination: `${ARN}:${dest}` } },
      }),
    );
    await lambda.send(
      new InvokeCommand({ FunctionName: name, InvocationType: "Event", Payload: Buffer.from("{}") }),
    );
    await waitForLines(attempts, 1);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    assert.equal(readLines(attempts).length, 1);
    assert.deepEqual(readLines(out), []);
  });
});
