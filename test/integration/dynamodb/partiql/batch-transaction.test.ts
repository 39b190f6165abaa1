/**
 * BatchExecuteStatement and ExecuteTransaction through the real SDK: per-member results and errors of
 * a batch, all-or-nothing transactions with CancellationReasons, reads in transactions, EXISTS
 * condition checks, ClientRequestToken, and the texts DynamoDB answers ([conformance], [floci]).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  BatchExecuteStatementCommand,
  CreateTableCommand,
  type DynamoDBClient,
  ExecuteStatementCommand,
  ExecuteTransactionCommand,
} from "@aws-sdk/client-dynamodb";
import { useStratus } from "../../../support/stratus.ts";
import { rejects, sdkError, simpleTable, uniqueName } from "../helpers.ts";

async function run(client: DynamoDBClient, Statement: string) {
  return client.send(new ExecuteStatementCommand({ Statement }));
}

async function table(client: DynamoDBClient): Promise<string> {
  const name = uniqueName("partiql");
  await client.send(new CreateTableCommand(simpleTable(name)));
  return name;
}

interface Canceled {
  name: string;
  message: string;
  CancellationReasons?: { Code?: string; Message?: string; Item?: unknown }[];
}

describe("DynamoDB PartiQL batches and transactions", () => {
  const stratus = useStratus({ inMemory: true });

  it("runs a batch of reads, one result per statement in order", async () => {
    const client = stratus.dynamodb();
    const name = await table(client);
    await run(client, `INSERT INTO "${name}" VALUE {'pk': 'one', 'v': 1}`);
    await run(client, `INSERT INTO "${name}" VALUE {'pk': 'two', 'v': 2}`);
    const { Responses, ConsumedCapacity } = await client.send(
      new BatchExecuteStatementCommand({
        Statements: [
          { Statement: `SELECT * FROM "${name}" WHERE pk = 'one'` },
          {
            Statement: `SELECT v FROM "${name}" WHERE pk = ?`,
            Parameters: [{ S: "two" }],
            ConsistentRead: true,
          },
          { Statement: `SELECT * FROM "${name}" WHERE pk = 'none'` },
          { Statement: `SELECT * FROM "${name}" WHERE v = 1` },
          { Statement: `SELECT * FROM "no-such-table-${name}" WHERE pk = 'x'` },
          { Statement: `SLECT * FROM "${name}"` },
        ],
        ReturnConsumedCapacity: "TOTAL",
      }),
    );
    assert.deepEqual(Responses, [
      { TableName: name, Item: { pk: { S: "one" }, v: { N: "1" } } },
      { TableName: name, Item: { v: { N: "2" } } },
      { TableName: name },
      {
        Error: {
          Code: "ValidationError",
          Message:
            "Select statements within BatchExecuteStatement must specify the primary key in the where clause.",
        },
      },
      { Error: { Code: "ResourceNotFound", Message: "Requested resource not found" } },
      {
        Error: {
          Code: "ValidationError",
          Message: "Statement wasn't well formed, can't be processed: Expected data manipulation",
        },
      },
    ]);
    // 0.5 + 1 (consistent) + 0.5 for the eventually consistent miss.
    assert.deepEqual(ConsumedCapacity, [{ TableName: name, CapacityUnits: 2, ReadCapacityUnits: 2 }]);
  });

  it("runs a batch of writes, each on its own", async () => {
    const client = stratus.dynamodb();
    const name = await table(client);
    await run(client, `INSERT INTO "${name}" VALUE {'pk': 'exists', 'v': 1}`);
    const { Responses } = await client.send(
      new BatchExecuteStatementCommand({
        Statements: [
          { Statement: `INSERT INTO "${name}" VALUE {'pk': 'new', 'v': 1}` },
          { Statement: `INSERT INTO "${name}" VALUE {'pk': 'exists', 'v': 2}` },
          {
            Statement: `UPDATE "${name}" SET v = 5 WHERE pk = 'exists' AND v = 9`,
            ReturnValuesOnConditionCheckFailure: "ALL_OLD",
          },
          { Statement: `UPDATE "${name}" SET v = 6 WHERE pk = 'exists' RETURNING ALL NEW *` },
          { Statement: `DELETE FROM "${name}" WHERE pk = 'new' RETURNING MODIFIED OLD *` },
        ],
      }),
    );
    assert.deepEqual(Responses, [
      { TableName: name },
      { TableName: name, Error: { Code: "DuplicateItem", Message: "Duplicate primary key exists in table" } },
      {
        TableName: name,
        Error: { Code: "ConditionalCheckFailed", Message: "The conditional request failed" },
      },
      { TableName: name, Item: { pk: { S: "exists" }, v: { N: "6" } } },
      {
        Error: {
          Code: "ValidationError",
          Message:
            "Invalid returning clause: RETURNING MODIFIED OLD *. Only RETURNING ALL OLD * is allowed in DELETE statements.",
        },
      },
    ]);
    const { Items } = await run(client, `SELECT * FROM "${name}" WHERE pk = 'new'`);
    assert.deepEqual(Items, [{ pk: { S: "new" }, v: { N: "1" } }]);
  });

  it("refuses a batch that mixes reads and writes", async () => {
    const client = stratus.dynamodb();
    const name = await table(client);
    await rejects(
      client.send(
        new BatchExecuteStatementCommand({
          Statements: [
            { Statement: `SLECT nothing` },
            { Statement: `SELECT * FROM "${name}" WHERE pk = 'a'` },
            { Statement: `INSERT INTO "${name}" VALUE {'pk': 'a'}` },
          ],
        }),
      ),
      "ValidationException",
      "Read and write requests together in the same batch is not supported.",
    );
    const { Items } = await run(client, `SELECT * FROM "${name}"`);
    assert.deepEqual(Items, []);
  });

  it("commits every write of a transaction together", async () => {
    const client = stratus.dynamodb();
    const name = await table(client);
    await run(client, `INSERT INTO "${name}" VALUE {'pk': 'upd', 'n': 1}`);
    await run(client, `INSERT INTO "${name}" VALUE {'pk': 'del'}`);
    const result = await client.send(
      new ExecuteTransactionCommand({
        TransactStatements: [
          { Statement: `INSERT INTO "${name}" VALUE {'pk': ?, 'n': 0}`, Parameters: [{ S: "ins" }] },
          { Statement: `UPDATE "${name}" SET n = n + 1 WHERE pk = 'upd'` },
          { Statement: `DELETE FROM "${name}" WHERE pk = 'del'` },
        ],
        ReturnConsumedCapacity: "TOTAL",
      }),
    );
    assert.deepEqual(result.ConsumedCapacity, [{ TableName: name, CapacityUnits: 6, WriteCapacityUnits: 6 }]);
    const { Items } = await run(client, `SELECT * FROM "${name}"`);
    assert.deepEqual((Items ?? []).map((item) => `${item.pk?.S}:${item.n?.N ?? "-"}`).sort(), [
      "ins:0",
      "upd:2",
    ]);
  });

  it("cancels the whole transaction with a reason per statement", async () => {
    const client = stratus.dynamodb();
    const name = await table(client);
    await run(client, `INSERT INTO "${name}" VALUE {'pk': 'dup', 'v': 'existing'}`);
    await run(client, `INSERT INTO "${name}" VALUE {'pk': 'cond', 'v': 1}`);
    const error = (await sdkError(
      client.send(
        new ExecuteTransactionCommand({
          TransactStatements: [
            { Statement: `INSERT INTO "${name}" VALUE {'pk': 'fresh'}` },
            { Statement: `INSERT INTO "${name}" VALUE {'pk': 'dup', 'v': 'second'}` },
            {
              Statement: `UPDATE "${name}" SET v = 2 WHERE pk = 'cond' AND v = 5`,
              ReturnValuesOnConditionCheckFailure: "ALL_OLD",
            },
            { Statement: `UPDATE "missing-${name}" SET v = 1 WHERE pk = 'x'` },
          ],
        }),
      ),
    )) as unknown as Canceled;
    assert.equal(error.name, "TransactionCanceledException");
    assert.equal(
      error.message,
      "Transaction cancelled, please refer cancellation reasons for specific reasons [None, DuplicateItem, ConditionalCheckFailed, ResourceNotFound]",
    );
    assert.deepEqual(error.CancellationReasons, [
      { Code: "None" },
      { Code: "DuplicateItem", Message: "Duplicate primary key exists in table" },
      {
        Code: "ConditionalCheckFailed",
        Message: "The conditional request failed",
        Item: { pk: { S: "cond" }, v: { N: "1" } },
      },
      { Code: "ResourceNotFound", Message: "Requested resource not found" },
    ]);
    const { Items } = await run(client, `SELECT * FROM "${name}" WHERE pk = 'fresh'`);
    assert.deepEqual(Items, []);
  });

  it("checks conditions with EXISTS and reads items in read transactions", async () => {
    const client = stratus.dynamodb();
    const name = await table(client);
    await run(client, `INSERT INTO "${name}" VALUE {'pk': 'guard', 'open': TRUE}`);
    await run(client, `INSERT INTO "${name}" VALUE {'pk': 'target'}`);
    await client.send(
      new ExecuteTransactionCommand({
        TransactStatements: [
          { Statement: `EXISTS(SELECT * FROM "${name}" WHERE pk = 'guard' AND "open" = TRUE)` },
          { Statement: `UPDATE "${name}" SET touched = 1 WHERE pk = 'target'` },
        ],
      }),
    );
    const failed = (await sdkError(
      client.send(
        new ExecuteTransactionCommand({
          TransactStatements: [
            { Statement: `EXISTS(SELECT * FROM "${name}" WHERE pk = 'guard' AND "open" IS MISSING)` },
            { Statement: `UPDATE "${name}" SET touched = 2 WHERE pk = 'target'` },
          ],
        }),
      ),
    )) as unknown as Canceled;
    assert.deepEqual(
      failed.CancellationReasons?.map((reason) => reason.Code),
      ["ConditionalCheckFailed", "None"],
    );
    const read = await client.send(
      new ExecuteTransactionCommand({
        TransactStatements: [
          { Statement: `SELECT * FROM "${name}" WHERE pk = 'target'` },
          { Statement: `SELECT * FROM "${name}" WHERE pk = 'absent'` },
        ],
        ReturnConsumedCapacity: "TOTAL",
      }),
    );
    assert.deepEqual(read.Responses, [{ Item: { pk: { S: "target" }, touched: { N: "1" } } }, {}]);
    assert.deepEqual(read.ConsumedCapacity, [{ TableName: name, CapacityUnits: 4, ReadCapacityUnits: 4 }]);
  });

  it("refuses what a transaction cannot hold, in DynamoDB's words", async () => {
    const client = stratus.dynamodb();
    const name = await table(client);
    const send = (...statements: string[]) =>
      client.send(
        new ExecuteTransactionCommand({ TransactStatements: statements.map((Statement) => ({ Statement })) }),
      );
    await rejects(
      send(`SELECT * FROM "${name}" WHERE pk = 'a'`, `UPDATE "${name}" SET v = 1 WHERE pk = 'a'`),
      "ValidationException",
      "ExecuteTransaction API does not support both read and write operations in the same request.",
    );
    await rejects(
      send(`UPDATE "${name}" SET v = 1 WHERE pk = 'a' RETURNING ALL NEW *`),
      "ValidationException",
      "Validation failed in TransactStatements[0]: RETURNING clause is not supported in ExecuteTransaction.",
    );
    await rejects(
      send(`SELECT * FROM "${name}" WHERE pk = 'a' AND v = 1`),
      "ValidationException",
      "Validation failed in TransactStatements[0]: Select statements within ExecuteTransaction must specify the primary key in the where clause.",
    );
    await rejects(
      send(`SELECT * FROM "${name}"."idx" WHERE pk = 'a'`),
      "ValidationException",
      "Validation failed in TransactStatements[0]: Reads on indices are not supported within transactions.",
    );
    await rejects(
      send(`EXISTS(SELECT * FROM "${name}" WHERE pk = 'a')`, `UPDATE "${name}" SET v = 1 WHERE pk = 'b'`),
      "ValidationException",
      "Validation failed in TransactStatements[0]: EXISTS() must contain a single item read with additional condition",
    );
    await rejects(
      send(`UPDATE "${name}" SET v = 1 WHERE pk = 'a'`, `DELETE FROM "${name}" WHERE pk = 'a'`),
      "ValidationException",
      "Transaction request cannot include multiple operations on one item",
    );
    await rejects(
      run(client, `EXISTS(SELECT * FROM "${name}" WHERE pk = 'a' AND v = 1)`),
      "ValidationException",
      "EXISTS can only be used in ExecuteTransaction write requests.",
    );
  });

  it("replays a transaction with the same ClientRequestToken instead of running it again", async () => {
    const client = stratus.dynamodb();
    const name = await table(client);
    await run(client, `INSERT INTO "${name}" VALUE {'pk': 'counter', 'n': 0}`);
    const token = `token-${name}`;
    const request = {
      ClientRequestToken: token,
      ReturnConsumedCapacity: "TOTAL" as const,
      TransactStatements: [{ Statement: `UPDATE "${name}" SET n = n + 1 WHERE pk = 'counter'` }],
    };
    const first = await client.send(new ExecuteTransactionCommand(request));
    const replay = await client.send(new ExecuteTransactionCommand(request));
    assert.deepEqual(first.ConsumedCapacity, [{ TableName: name, CapacityUnits: 2, WriteCapacityUnits: 2 }]);
    assert.deepEqual(replay.ConsumedCapacity, [{ TableName: name, CapacityUnits: 2, ReadCapacityUnits: 2 }]);
    const { Items } = await run(client, `SELECT n FROM "${name}" WHERE pk = 'counter'`);
    assert.deepEqual(Items, [{ n: { N: "1" } }]);
    const mismatch = await sdkError(
      client.send(
        new ExecuteTransactionCommand({
          ...request,
          TransactStatements: [{ Statement: `UPDATE "${name}" SET n = n + 2 WHERE pk = 'counter'` }],
        }),
      ),
    );
    assert.equal(mismatch.name, "IdempotentParameterMismatchException");
  });
});
