/**
 * Stacks are durable: after a restart on the same data directory they are still described, and a
 * stack an interrupted operation left in progress is marked failed with the restart as its reason.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import {
  CreateStackCommand,
  DescribeStacksCommand,
  waitUntilStackCreateComplete,
} from "@aws-sdk/client-cloudformation";
import { RESTART_REASON } from "../../../src/services/cloudformation/engine/engine.ts";
import { StackStore } from "../../../src/services/cloudformation/engine/store.ts";
import { startTestStratus } from "../../support/stratus.ts";

describe("CloudFormation across a restart", () => {
  let dataDir = "";
  after(async () => {
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it("keeps stacks, and fails the ones a restart interrupted", async () => {
    dataDir = await mkdtemp(join(tmpdir(), "stratus-cfn-restart-"));
    const template = JSON.stringify({
      Resources: { G: { Type: "AWS::Logs::LogGroup", Properties: { LogGroupName: "/restart/kept" } } },
    });
    const first = await startTestStratus({ dataDir });
    let stackId = "";
    try {
      const cfn = first.cloudformation();
      stackId =
        (await cfn.send(new CreateStackCommand({ StackName: "durable", TemplateBody: template }))).StackId ??
        "";
      await waitUntilStackCreateComplete(
        { client: cfn, maxWaitTime: 60, minDelay: 1, maxDelay: 1 },
        { StackName: "durable" },
      );
      // As a crash mid-update would leave it (a clean shutdown waits for running operations).
      const store = new StackStore(first.server.storage);
      const stack = (await store.getStack(
        { accountId: stackId.split(":")[4]!, region: first.region },
        stackId,
      ))!;
      await store.putStack({ ...stack, status: "UPDATE_IN_PROGRESS" });
    } finally {
      await first.close();
    }
    const second = await startTestStratus({ dataDir });
    try {
      const cfn = second.cloudformation();
      const deadline = Date.now() + 10_000;
      let stack = (await cfn.send(new DescribeStacksCommand({ StackName: "durable" }))).Stacks?.[0];
      while (stack?.StackStatus === "UPDATE_IN_PROGRESS" && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        stack = (await cfn.send(new DescribeStacksCommand({ StackName: "durable" }))).Stacks?.[0];
      }
      assert.equal(stack?.StackId, stackId);
      assert.equal(stack?.StackStatus, "UPDATE_FAILED");
      assert.equal(stack?.StackStatusReason, RESTART_REASON);
    } finally {
      await second.close();
    }
  });
});
