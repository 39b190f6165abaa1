/**
 * The AWS CLI v2 (Debian's awscli, /usr/bin/aws; .ci/run installs it) against DynamoDB on Stratus:
 * the commands a user types, their JSON output, and CLI-side pagination (--max-items).
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { describe, it } from "node:test";
import { promisify } from "node:util";
import { AWS_CLI, AWS_CLI_ENV } from "../support/aws-cli.ts";
import { useStratus } from "../support/stratus.ts";

const run = promisify(execFile);
const AWS = AWS_CLI;

describe("AWS CLI v2: dynamodb", {
  skip: existsSync(AWS) ? false : `${AWS} is not installed (.ci/run installs it)`,
}, () => {
  const stratus = useStratus({ inMemory: true });

  async function aws(...args: string[]): Promise<Record<string, unknown>> {
    const { stdout } = await run(
      AWS,
      ["--endpoint-url", stratus.url, "--output", "json", "dynamodb", ...args],
      {
        env: AWS_CLI_ENV,
        timeout: 60_000,
      },
    );
    return stdout.trim() === "" ? {} : (JSON.parse(stdout) as Record<string, unknown>);
  }

  it("creates, writes, reads, queries, pages, updates, transacts and deletes", async () => {
    const created = await aws(
      "create-table",
      "--table-name",
      "Music",
      "--attribute-definitions",
      "AttributeName=Artist,AttributeType=S",
      "AttributeName=Song,AttributeType=S",
      "--key-schema",
      "AttributeName=Artist,KeyType=HASH",
      "AttributeName=Song,KeyType=RANGE",
      "--billing-mode",
      "PAY_PER_REQUEST",
    );
    assert.equal((created.TableDescription as { TableName: string }).TableName, "Music");
    await aws("wait", "table-exists", "--table-name", "Music");

    for (let i = 1; i <= 7; i++) {
      await aws(
        "put-item",
        "--table-name",
        "Music",
        "--item",
        JSON.stringify({ Artist: { S: "Acme" }, Song: { S: `Song ${i}` }, Plays: { N: String(i) } }),
      );
    }
    const got = await aws(
      "get-item",
      "--table-name",
      "Music",
      "--key",
      '{"Artist":{"S":"Acme"},"Song":{"S":"Song 3"}}',
    );
    assert.deepEqual(got.Item, { Artist: { S: "Acme" }, Song: { S: "Song 3" }, Plays: { N: "3" } });

    const queried = await aws(
      "query",
      "--table-name",
      "Music",
      "--key-condition-expression",
      "Artist = :a AND begins_with(Song, :p)",
      "--expression-attribute-values",
      '{":a":{"S":"Acme"},":p":{"S":"Song"}}',
      "--no-scan-index-forward",
    );
    assert.equal(queried.Count, 7);
    assert.equal((queried.Items as { Song: { S: string } }[])[0]?.Song.S, "Song 7");

    const page = await aws("scan", "--table-name", "Music", "--max-items", "3");
    assert.equal((page.Items as unknown[]).length, 3);
    assert.ok(typeof page.NextToken === "string");
    const rest = await aws("scan", "--table-name", "Music", "--starting-token", String(page.NextToken));
    assert.equal((rest.Items as unknown[]).length, 4);

    const updated = await aws(
      "update-item",
      "--table-name",
      "Music",
      "--key",
      '{"Artist":{"S":"Acme"},"Song":{"S":"Song 1"}}',
      "--update-expression",
      "SET Plays = Plays + :one",
      "--expression-attribute-values",
      '{":one":{"N":"1"}}',
      "--return-values",
      "UPDATED_NEW",
    );
    assert.deepEqual(updated.Attributes, { Plays: { N: "2" } });

    await aws(
      "transact-write-items",
      "--transact-items",
      JSON.stringify([
        { Put: { TableName: "Music", Item: { Artist: { S: "Beta" }, Song: { S: "One" } } } },
        { Delete: { TableName: "Music", Key: { Artist: { S: "Acme" }, Song: { S: "Song 2" } } } },
      ]),
    );
    const afterTransaction = await aws("scan", "--table-name", "Music", "--select", "COUNT");
    assert.equal(afterTransaction.Count, 7);

    await aws("delete-table", "--table-name", "Music");
    const tables = await aws("list-tables");
    assert.deepEqual(tables.TableNames, []);
  });
});
