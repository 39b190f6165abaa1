/**
 * Functions and their code survive a restart on the same data dir; each account sees only its own.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import {
  CreateFunctionCommand,
  GetFunctionCommand,
  LambdaClient,
  ListFunctionsCommand,
  UpdateFunctionConfigurationCommand,
} from "@aws-sdk/client-lambda";
import { startStratus } from "../../../src/server.ts";
import { clientConfigFor, useStratus } from "../../support/stratus.ts";
import { nodeZip, ROLE, rejects } from "./helpers.ts";

describe("Lambda functions across restarts and accounts", () => {
  const stratus = useStratus({ inMemory: true });

  it("keeps functions, their configuration and their code across a restart", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "stratus-lambda-restart-"));
    const client = (url: string) => new LambdaClient(clientConfigFor(url));
    try {
      const first = await startStratus({ port: 0, dataDir, logLevel: "silent" });
      const before = client(first.url);
      let revisionId: string | undefined;
      try {
        await before.send(
          new CreateFunctionCommand({
            FunctionName: "durable",
            Runtime: "nodejs20.x",
            Role: ROLE,
            Handler: "index.handler",
            Code: { ZipFile: nodeZip() },
            Tags: { k: "v" },
          }),
        );
        const updated = await before.send(
          new UpdateFunctionConfigurationCommand({ FunctionName: "durable", Timeout: 42 }),
        );
        revisionId = updated.RevisionId;
      } finally {
        before.destroy();
        await first.close();
      }
      const second = await startStratus({ port: 0, dataDir, logLevel: "silent" });
      const after = client(second.url);
      try {
        const got = await after.send(new GetFunctionCommand({ FunctionName: "durable" }));
        assert.equal(got.Configuration?.Timeout, 42);
        assert.equal(got.Configuration?.State, "Active");
        assert.equal(got.Configuration?.RevisionId, revisionId);
        assert.deepEqual(got.Tags, { k: "v" });
        const list = await after.send(new ListFunctionsCommand({}));
        assert.deepEqual(
          list.Functions?.map((f) => f.FunctionName),
          ["durable"],
        );
      } finally {
        after.destroy();
        await second.close();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it("separates accounts: another account sees none of the default account's functions", async () => {
    const main = stratus.lambda();
    const other = stratus.lambda({ accessKeyId: "111111111111", secretAccessKey: "test" });
    const create = {
      FunctionName: "shared-name",
      Runtime: "nodejs20.x" as const,
      Role: ROLE,
      Handler: "index.handler",
      Code: { ZipFile: nodeZip() },
    };
    await main.send(new CreateFunctionCommand(create));
    assert.deepEqual((await other.send(new ListFunctionsCommand({}))).Functions, []);
    await rejects(
      other.send(new GetFunctionCommand({ FunctionName: "shared-name" })),
      "ResourceNotFoundException",
      "Function not found: arn:aws:lambda:us-east-1:111111111111:function:shared-name",
      404,
    );
    // An ARN of another account names no function of this caller.
    await rejects(
      other.send(
        new GetFunctionCommand({
          FunctionName: "arn:aws:lambda:us-east-1:000000000000:function:shared-name",
        }),
      ),
      "ResourceNotFoundException",
      "Function not found: arn:aws:lambda:us-east-1:000000000000:function:shared-name",
      404,
    );
    const mine = await other.send(new CreateFunctionCommand(create));
    assert.equal(mine.FunctionArn, "arn:aws:lambda:us-east-1:111111111111:function:shared-name");
  });
});
