/**
 * How AWS::Lambda::Function's provider waits, on a scripted Lambda (a fake ProviderContext whose
 * GetFunction answers Pending / InProgress a few times): create completes only once the function is
 * Active, each update call waits for LastUpdateStatus Successful before the next, only the calls for
 * what changed are made, and a function that never settles fails the resource within the bound.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { functionProvider } from "../../../../src/services/cloudformation/providers/lambda/function.ts";
import { waitForFunctionReady } from "../../../../src/services/cloudformation/providers/lambda/function-ready.ts";
import type { ProviderContext } from "../../../../src/services/cloudformation/providers/types.ts";
import type { ServiceCaller } from "../../../../src/services/in-process-caller.ts";

const ARN = "arn:aws:lambda:us-east-1:000000000000:function:scripted";

/** A Lambda that is busy for `busyReads` GetFunction calls after each create or update. */
function scriptedContext(busyReads: number, log: string[]): ProviderContext {
  let busy = 0;
  let creating = false;
  const call: ServiceCaller = {
    async call(_service, operation, input = {}) {
      if (operation === "GetFunction") {
        const pending = busy > 0;
        if (pending) busy--;
        log.push(pending ? "GetFunction:busy" : "GetFunction:ready");
        return {
          Configuration: {
            FunctionArn: ARN,
            State: pending && creating ? "Pending" : "Active",
            LastUpdateStatus: pending && !creating ? "InProgress" : "Successful",
          },
        };
      }
      log.push(operation + (input.FunctionName === undefined ? "" : `(${String(input.FunctionName)})`));
      if (operation === "CreateFunction") creating = true;
      if (operation.startsWith("Update")) creating = false;
      busy = busyReads;
      return {};
    },
    callRaw() {
      throw new Error("not used");
    },
  };
  return {
    call,
    accountId: "000000000000",
    region: "us-east-1",
    partition: "aws",
    stackName: "s",
    stackId: "arn:aws:cloudformation:us-east-1:000000000000:stack/s/1",
    logicalId: "Fn",
    resourceType: "AWS::Lambda::Function",
    endpointUrl: () => undefined,
    clock: { now: () => new Date() },
    physicalName: () => "generated",
    records: {
      get: async () => undefined,
      put: async () => {},
      delete: async () => {},
    },
  };
}

const BASE = {
  FunctionName: "scripted",
  Runtime: "nodejs20.x",
  Handler: "index.handler",
  Role: "arn:aws:iam::000000000000:role/r",
  Code: { ZipFile: "exports.handler = async () => 1;" },
};

describe("AWS::Lambda::Function provider: waiting where CloudFormation waits", () => {
  it("completes a create only once the function is Active", async () => {
    const log: string[] = [];
    const created = await functionProvider.create(scriptedContext(2, log), BASE);
    assert.equal(created.attributes.Arn, ARN);
    assert.deepEqual(log.slice(0, 4), [
      "CreateFunction(scripted)",
      "GetFunction:busy",
      "GetFunction:busy",
      "GetFunction:ready",
    ]);
  });

  it("waits for each update to finish before the next call, and calls only what changed", async () => {
    const log: string[] = [];
    const context = scriptedContext(1, log);
    const before = { ...BASE, Timeout: 3 };
    const after = { ...BASE, Timeout: 9, Code: { ZipFile: "exports.handler = async () => 2;" } };
    await functionProvider.update!(
      context,
      { physicalId: "scripted", attributes: { Arn: ARN }, properties: before },
      after,
    );
    const calls = log.filter((entry) => entry !== "GetFunction:ready");
    assert.deepEqual(calls, [
      "UpdateFunctionConfiguration(scripted)",
      "GetFunction:busy",
      "UpdateFunctionCode(scripted)",
      "GetFunction:busy",
    ]);
    // Each Update* is followed by a read that saw it finished before anything else happened.
    const configIndex = log.indexOf("UpdateFunctionConfiguration(scripted)");
    const codeIndex = log.indexOf("UpdateFunctionCode(scripted)");
    assert.ok(log.slice(configIndex, codeIndex).includes("GetFunction:ready"));

    const tagsOnly: string[] = [];
    const tagsContext = scriptedContext(0, tagsOnly);
    await functionProvider.update!(
      tagsContext,
      { physicalId: "scripted", attributes: { Arn: ARN }, properties: BASE },
      { ...BASE, Tags: [{ Key: "k", Value: "v" }] },
    );
    assert.deepEqual(
      tagsOnly.filter((entry) => !entry.startsWith("GetFunction")),
      ["TagResource"],
    );
  });

  it("rebuilds unchanged inline code when the runtime moves between Node.js and Python", async () => {
    const log: string[] = [];
    await functionProvider.update!(
      scriptedContext(0, log),
      { physicalId: "scripted", attributes: { Arn: ARN }, properties: BASE },
      { ...BASE, Runtime: "python3.12" },
    );
    assert.deepEqual(
      log.filter((entry) => !entry.startsWith("GetFunction")),
      ["UpdateFunctionConfiguration(scripted)", "UpdateFunctionCode(scripted)"],
    );
    const sameFamily: string[] = [];
    await functionProvider.update!(
      scriptedContext(0, sameFamily),
      { physicalId: "scripted", attributes: { Arn: ARN }, properties: BASE },
      { ...BASE, Runtime: "nodejs22.x" },
    );
    assert.deepEqual(
      sameFamily.filter((entry) => !entry.startsWith("GetFunction")),
      ["UpdateFunctionConfiguration(scripted)"],
    );
  });

  it("fails the resource when the function never settles", async () => {
    const log: string[] = [];
    // Ready at the first read: even a zero bound is enough.
    const ready = await waitForFunctionReady(scriptedContext(0, log), "scripted", 0);
    assert.equal(ready.State, "Active");
    const stuck = scriptedContext(Number.MAX_SAFE_INTEGER, log);
    await stuck.call.call("lambda", "UpdateFunctionConfiguration", { FunctionName: "scripted" });
    await assert.rejects(waitForFunctionReady(stuck, "scripted", 200), {
      message: "Function scripted did not become active and ready within 0.2 seconds",
    });
  });
});
