/**
 * Reserved concurrency (Put/Get/DeleteFunctionConcurrency) enforced at Invoke, GetAccountSettings,
 * and the tag operations, through @aws-sdk/client-lambda.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  DeleteFunctionConcurrencyCommand,
  GetAccountSettingsCommand,
  GetFunctionCommand,
  GetFunctionConcurrencyCommand,
  InvokeCommand,
  type LambdaClient,
  ListTagsCommand,
  PutFunctionConcurrencyCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from "@aws-sdk/client-lambda";
import { useStratus } from "../../../support/stratus.ts";
import { createTestFunction, makeZip, nodeZip, rejects, sdkError } from "../helpers.ts";

const ARN_PREFIX = "arn:aws:lambda:us-east-1:000000000000:function:";

function create(lambda: LambdaClient, zip = nodeZip(), tags?: Record<string, string>): Promise<string> {
  return createTestFunction(lambda, {
    prefix: "conc",
    Code: { ZipFile: zip },
    ...(tags ? { Tags: tags } : {}),
  });
}

async function throttleReason(promise: Promise<unknown>): Promise<string | undefined> {
  const error = (await sdkError(promise)) as Awaited<ReturnType<typeof sdkError>> & { Reason?: string };
  assert.equal(error.name, "TooManyRequestsException");
  assert.equal(error.message, "Rate Exceeded.");
  assert.equal(error.$metadata.httpStatusCode, 429);
  return error.Reason;
}

describe("Lambda reserved concurrency", () => {
  const stratus = useStratus({ inMemory: true });

  it("puts, reads and deletes a reservation; GetFunction shows it", async () => {
    const lambda = stratus.lambda();
    const name = await create(lambda);
    const empty = await lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: name }));
    assert.equal(empty.ReservedConcurrentExecutions, undefined);
    const put = await lambda.send(
      new PutFunctionConcurrencyCommand({ FunctionName: name, ReservedConcurrentExecutions: 5 }),
    );
    assert.equal(put.ReservedConcurrentExecutions, 5);
    const got = await lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: name }));
    assert.equal(got.ReservedConcurrentExecutions, 5);
    const fn = await lambda.send(new GetFunctionCommand({ FunctionName: name }));
    assert.deepEqual(fn.Concurrency, { ReservedConcurrentExecutions: 5 });
    const settings = await lambda.send(new GetAccountSettingsCommand({}));
    assert.equal(settings.AccountLimit?.UnreservedConcurrentExecutions, 995);
    const deleted = await lambda.send(new DeleteFunctionConcurrencyCommand({ FunctionName: name }));
    assert.equal(deleted.$metadata.httpStatusCode, 204);
    const after = await lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: name }));
    assert.equal(after.ReservedConcurrentExecutions, undefined);
    await rejects(
      lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: "nope-conc" })),
      "ResourceNotFoundException",
      `Function not found: ${ARN_PREFIX}nope-conc`,
      404,
    );
  });

  it("keeps 100 unreserved executions with Lambda's text", async () => {
    const lambda = stratus.lambda();
    const name = await create(lambda);
    await rejects(
      lambda.send(
        new PutFunctionConcurrencyCommand({ FunctionName: name, ReservedConcurrentExecutions: 901 }),
      ),
      "InvalidParameterValueException",
      "Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [100].",
      400,
    );
    await lambda.send(
      new PutFunctionConcurrencyCommand({ FunctionName: name, ReservedConcurrentExecutions: 900 }),
    );
    const other = await create(lambda);
    await rejects(
      lambda.send(
        new PutFunctionConcurrencyCommand({ FunctionName: other, ReservedConcurrentExecutions: 1 }),
      ),
      "InvalidParameterValueException",
      "Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [100].",
      400,
    );
    await lambda.send(new DeleteFunctionConcurrencyCommand({ FunctionName: name }));
    await rejects(
      lambda.send(
        new PutFunctionConcurrencyCommand({ FunctionName: name, ReservedConcurrentExecutions: -1 }),
      ),
      "ValidationException",
      "1 validation error detected: Value '-1' at 'reservedConcurrentExecutions' failed to satisfy constraint: Member must have value greater than or equal to 0",
      400,
    );
  });

  it("throttles every invoke at 0 and the second concurrent invoke at 1", async () => {
    const lambda = stratus.lambda();
    const name = await create(
      lambda,
      makeZip({ "index.js": "exports.handler = () => new Promise((r) => setTimeout(() => r(1), 1000));\n" }),
    );
    await lambda.send(
      new PutFunctionConcurrencyCommand({ FunctionName: name, ReservedConcurrentExecutions: 0 }),
    );
    assert.equal(
      await throttleReason(lambda.send(new InvokeCommand({ FunctionName: name }))),
      "ReservedFunctionConcurrentInvocationLimitExceeded",
    );
    await lambda.send(
      new PutFunctionConcurrencyCommand({ FunctionName: name, ReservedConcurrentExecutions: 1 }),
    );
    const first = lambda.send(new InvokeCommand({ FunctionName: name }));
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(
      await throttleReason(lambda.send(new InvokeCommand({ FunctionName: name }))),
      "ReservedFunctionConcurrentInvocationLimitExceeded",
    );
    assert.equal((await first).StatusCode, 200);
    assert.equal((await lambda.send(new InvokeCommand({ FunctionName: name }))).StatusCode, 200);
    await lambda.send(new DeleteFunctionConcurrencyCommand({ FunctionName: name }));
  });

  it("answers GetAccountSettings with AWS's default limits and the account's usage", async () => {
    const lambda = stratus.lambda();
    const zip = nodeZip();
    const before = await lambda.send(new GetAccountSettingsCommand({}));
    await create(lambda, zip);
    const settings = await lambda.send(new GetAccountSettingsCommand({}));
    assert.deepEqual(settings.AccountLimit, {
      TotalCodeSize: 80530636800,
      CodeSizeUnzipped: 262144000,
      CodeSizeZipped: 52428800,
      ConcurrentExecutions: 1000,
      UnreservedConcurrentExecutions: 1000,
    });
    assert.equal(settings.AccountUsage?.FunctionCount, (before.AccountUsage?.FunctionCount ?? 0) + 1);
    assert.equal(
      settings.AccountUsage?.TotalCodeSize,
      (before.AccountUsage?.TotalCodeSize ?? 0) + zip.length,
    );
  });
});

describe("Lambda tags", () => {
  const stratus = useStratus({ inMemory: true });

  it("tags, lists and untags a function by its ARN", async () => {
    const lambda = stratus.lambda();
    const name = await create(lambda, nodeZip(), { team: "core" });
    const arn = `${ARN_PREFIX}${name}`;
    assert.deepEqual((await lambda.send(new ListTagsCommand({ Resource: arn }))).Tags, { team: "core" });
    const tagged = await lambda.send(
      new TagResourceCommand({ Resource: arn, Tags: { env: "dev", team: "edge" } }),
    );
    assert.equal(tagged.$metadata.httpStatusCode, 204);
    assert.deepEqual((await lambda.send(new ListTagsCommand({ Resource: arn }))).Tags, {
      team: "edge",
      env: "dev",
    });
    await lambda.send(new UntagResourceCommand({ Resource: arn, TagKeys: ["team", "absent"] }));
    assert.deepEqual((await lambda.send(new ListTagsCommand({ Resource: arn }))).Tags, { env: "dev" });
    assert.deepEqual((await lambda.send(new GetFunctionCommand({ FunctionName: name }))).Tags, {
      env: "dev",
    });
  });

  it("refuses versions, aliases and unknown functions with Lambda's texts", async () => {
    const lambda = stratus.lambda();
    const name = await create(lambda);
    await rejects(
      lambda.send(new ListTagsCommand({ Resource: `${ARN_PREFIX}${name}:1` })),
      "InvalidParameterValueException",
      "Tags on function aliases and versions are not supported. Please specify a function ARN.",
      400,
    );
    await rejects(
      lambda.send(new TagResourceCommand({ Resource: `${ARN_PREFIX}${name}:live`, Tags: { a: "b" } })),
      "InvalidParameterValueException",
      "Tags on function aliases and versions are not supported. Please specify a function ARN.",
      400,
    );
    await rejects(
      lambda.send(new ListTagsCommand({ Resource: `${ARN_PREFIX}nope-tags` })),
      "ResourceNotFoundException",
      `Function not found: ${ARN_PREFIX}nope-tags`,
      404,
    );
  });
});
