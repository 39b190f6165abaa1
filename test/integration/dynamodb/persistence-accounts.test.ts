/**
 * Tables survive a restart on the same data dir, and each account (a 12-digit access key id with the
 * secret `test`) sees only its own tables.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import {
  CreateTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  UpdateTableCommand,
} from "@aws-sdk/client-dynamodb";
import { startStratus } from "../../../src/server.ts";
import { clientConfigFor, useStratus } from "../../support/stratus.ts";
import { describe as describeTable, rejects, seedItems, simpleTable } from "./helpers.ts";

describe("DynamoDB tables across restarts and accounts", () => {
  const stratus = useStratus({ inMemory: true });

  it("keeps tables, their settings and their items across a restart on the same data dir", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "stratus-dynamodb-restart-"));
    const client = (url: string) => new DynamoDBClient(clientConfigFor(url));
    try {
      const first = await startStratus({ port: 0, dataDir, logLevel: "silent" });
      const before = client(first.url);
      try {
        await before.send(
          new CreateTableCommand(simpleTable("durable", { Tags: [{ Key: "k", Value: "v" }] })),
        );
        await before.send(new UpdateTableCommand({ TableName: "durable", DeletionProtectionEnabled: true }));
        await seedItems(first.storage, "durable", [{ pk: { S: "kept" } }]);
      } finally {
        before.destroy();
        await first.close();
      }
      const second = await startStratus({ port: 0, dataDir, logLevel: "silent" });
      const after = client(second.url);
      try {
        const table = await describeTable(after, "durable");
        assert.equal(table.TableStatus, "ACTIVE");
        assert.equal(table.DeletionProtectionEnabled, true);
        assert.equal(table.ItemCount, 1);
        assert.deepEqual((await after.send(new ListTablesCommand({}))).TableNames, ["durable"]);
      } finally {
        after.destroy();
        await second.close();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it("separates accounts: another account sees none of the default account's tables", async () => {
    const main = stratus.dynamodb();
    const other = stratus.dynamodb({ accessKeyId: "111111111111", secretAccessKey: "test" });
    await main.send(new CreateTableCommand(simpleTable("shared-name")));
    assert.deepEqual((await other.send(new ListTablesCommand({}))).TableNames, []);
    await rejects(
      describeTable(other, "shared-name"),
      "ResourceNotFoundException",
      "Requested resource not found: Table: shared-name not found",
    );
    const { TableDescription } = await other.send(new CreateTableCommand(simpleTable("shared-name")));
    assert.equal(TableDescription?.TableArn, "arn:aws:dynamodb:us-east-1:111111111111:table/shared-name");
    const mine = await describeTable(main, "shared-name");
    assert.notEqual(mine.TableId, TableDescription?.TableId);
    // An ARN of another account names no table of this caller.
    await rejects(
      describeTable(other, "arn:aws:dynamodb:us-east-1:000000000000:table/shared-name"),
      "ResourceNotFoundException",
      "Requested resource not found: Table: shared-name not found",
    );
  });
});
