/**
 * TooManyRequestsException when the account's concurrency is used up: this file's Stratus runs with
 * STRATUS_LAMBDA_ACCOUNT_CONCURRENCY=1 (its own process under the test runner).
 */
process.env.STRATUS_LAMBDA_ACCOUNT_CONCURRENCY = "1";

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CreateFunctionCommand, InvokeCommand } from "@aws-sdk/client-lambda";
import { useStratus } from "../../../support/stratus.ts";
import { makeZip, ROLE, sdkError, uniqueName } from "../helpers.ts";

describe("Lambda Invoke throttling", () => {
  const stratus = useStratus({ inMemory: true });

  it("answers 429 ConcurrentInvocationLimitExceeded while the account's only execution is busy", async () => {
    const lambda = stratus.lambda();
    const name = uniqueName("busy");
    await lambda.send(
      new CreateFunctionCommand({
        FunctionName: name,
        Runtime: "nodejs20.x",
        Role: ROLE,
        Handler: "index.handler",
        Code: {
          ZipFile: makeZip({
            "index.js": "exports.handler = () => new Promise((r) => setTimeout(() => r(1), 1500));\n",
          }),
        },
      }),
    );
    const first = lambda.send(new InvokeCommand({ FunctionName: name }));
    await new Promise((r) => setTimeout(r, 200));
    const error = (await sdkError(lambda.send(new InvokeCommand({ FunctionName: name })))) as Awaited<
      ReturnType<typeof sdkError>
    > & { Reason?: string };
    assert.equal(error.name, "TooManyRequestsException");
    assert.equal(error.message, "Rate Exceeded.");
    assert.equal(error.Reason, "ConcurrentInvocationLimitExceeded");
    assert.equal(error.$metadata.httpStatusCode, 429);
    assert.equal((await first).StatusCode, 200);
    // Free again once the first invoke is over.
    assert.equal((await lambda.send(new InvokeCommand({ FunctionName: name }))).StatusCode, 200);
  });
});
