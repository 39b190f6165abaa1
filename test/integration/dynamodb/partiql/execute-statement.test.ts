/**
 * ExecuteStatement through the real SDK: each statement kind, parameters and literals, Query or Scan,
 * paging with NextToken, ORDER BY, index reads, RETURNING, capacity, and lib-dynamodb's document
 * client with plain JavaScript parameters. Expectations follow DynamoDB's answers as captured by
 * nubo-db/dynamodb-conformance and floci (eu-west-2, 2026); see src/.../partiql/texts.ts.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  type AttributeValue,
  CreateTableCommand,
  type DynamoDBClient,
  ExecuteStatementCommand,
} from "@aws-sdk/client-dynamodb";
import {
  ExecuteStatementCommand as DocExecuteStatementCommand,
  DynamoDBDocumentClient,
} from "@aws-sdk/lib-dynamodb";
import { useStratus } from "../../../support/stratus.ts";
import { rejects, sdkError, simpleTable, uniqueName } from "../helpers.ts";

type Item = Record<string, AttributeValue>;

async function run(client: DynamoDBClient, Statement: string, extra: Record<string, unknown> = {}) {
  return client.send(new ExecuteStatementCommand({ Statement, ...extra }));
}

/** A table keyed by pk (S) and sk (S). */
async function compositeTable(client: DynamoDBClient, extra: Record<string, unknown> = {}): Promise<string> {
  const name = uniqueName("partiql");
  await client.send(
    new CreateTableCommand({
      TableName: name,
      BillingMode: "PAY_PER_REQUEST",
      AttributeDefinitions: [
        { AttributeName: "pk", AttributeType: "S" },
        { AttributeName: "sk", AttributeType: "S" },
      ],
      KeySchema: [
        { AttributeName: "pk", KeyType: "HASH" },
        { AttributeName: "sk", KeyType: "RANGE" },
      ],
      ...extra,
    }),
  );
  return name;
}

describe("DynamoDB PartiQL ExecuteStatement", () => {
  const stratus = useStratus({ inMemory: true });

  it("inserts, selects, updates and deletes an item", async () => {
    const client = stratus.dynamodb();
    const name = uniqueName("partiql");
    await client.send(new CreateTableCommand(simpleTable(name)));
    const inserted = await run(client, `INSERT INTO "${name}" VALUE {'pk': 'a', 'data': 'inserted', 'n': 1}`);
    assert.deepEqual(inserted.Items, []);

    let got = await run(client, `SELECT * FROM "${name}" WHERE pk = 'a'`);
    assert.deepEqual(got.Items, [{ pk: { S: "a" }, data: { S: "inserted" }, n: { N: "1" } }]);

    await run(client, `UPDATE "${name}" SET data = 'after' SET n = n + 41 REMOVE gone WHERE pk = 'a'`);
    got = await run(client, `SELECT data, n FROM "${name}" WHERE pk = 'a'`);
    assert.deepEqual(got.Items, [{ data: { S: "after" }, n: { N: "42" } }]);

    const deleted = await run(client, `DELETE FROM "${name}" WHERE pk = 'a'`);
    assert.deepEqual(deleted.Items, []);
    got = await run(client, `SELECT * FROM "${name}" WHERE pk = 'a'`);
    assert.deepEqual(got.Items, []);
  });

  it("binds ? parameters in order and takes every PartiQL literal", async () => {
    const client = stratus.dynamodb();
    const name = uniqueName("partiql");
    await client.send(new CreateTableCommand(simpleTable(name)));
    await run(
      client,
      `INSERT INTO "${name}" VALUE {'pk': ?, 's': 'it''s', 'n': 1E3, 'neg': -1.50, 't': TRUE, 'f': false,
        'nul': NULL, 'ss': <<'x', 'y'>>, 'ns': <<1, 2.5>>, 'l': [1, 'two', [3]], 'm': {'k': {'deep': 'v'}}, 'p': ?}`,
      { Parameters: [{ S: "lit" }, { BS: [Uint8Array.of(1, 2)] }] },
    );
    const { Items } = await run(client, `SELECT * FROM "${name}" WHERE pk = ?`, {
      Parameters: [{ S: "lit" }],
    });
    assert.deepEqual(Items, [
      {
        pk: { S: "lit" },
        s: { S: "it's" },
        n: { N: "1000" },
        neg: { N: "-1.5" },
        t: { BOOL: true },
        f: { BOOL: false },
        nul: { NULL: true },
        ss: { SS: ["x", "y"] },
        ns: { NS: ["1", "2.5"] },
        l: { L: [{ N: "1" }, { S: "two" }, { L: [{ N: "3" }] }] },
        m: { M: { k: { M: { deep: { S: "v" } } } } },
        p: { BS: [Uint8Array.of(1, 2)] },
      },
    ]);
  });

  it("refuses an INSERT of an existing key with DuplicateItemException", async () => {
    const client = stratus.dynamodb();
    const name = uniqueName("partiql");
    await client.send(new CreateTableCommand(simpleTable(name)));
    await run(client, `INSERT INTO "${name}" VALUE {'pk': 'dup', 'v': 1}`);
    await rejects(
      run(client, `INSERT INTO "${name}" VALUE {'pk': 'dup', 'v': 2}`),
      "DuplicateItemException",
      "Duplicate primary key exists in table",
    );
    const { Items } = await run(client, `SELECT v FROM "${name}" WHERE pk = 'dup'`);
    assert.deepEqual(Items, [{ v: { N: "1" } }]);
  });

  it("filters with the WHERE operators and functions", async () => {
    const client = stratus.dynamodb();
    const name = await compositeTable(client);
    const rows: [string, string][] = [
      ["1", "{'n': 1, 'tags': <<'a', 'b'>>, 'title': 'alpha', 'nul': NULL}"],
      ["2", "{'n': 2, 'tags': <<'b'>>, 'title': 'beta'}"],
      ["3", "{'n': 3, 'title': 'alphabet', 'l': [1, 2, 3]}"],
    ];
    for (const [sk, rest] of rows) {
      await run(client, `INSERT INTO "${name}" VALUE {'pk': 'f', 'sk': '${sk}', ${rest.slice(1)}`);
    }
    const keys = async (where: string) =>
      ((await run(client, `SELECT sk FROM "${name}" WHERE pk = 'f' AND ${where}`)).Items ?? []).map(
        (item) => item.sk?.S,
      );
    assert.deepEqual(await keys("n > 1"), ["2", "3"]);
    assert.deepEqual(await keys("n <> 2"), ["1", "3"]);
    assert.deepEqual(await keys("n != 2"), ["1", "3"]);
    assert.deepEqual(await keys("n <= 2"), ["1", "2"]);
    assert.deepEqual(await keys("n BETWEEN 2 AND 3"), ["2", "3"]);
    assert.deepEqual(await keys("n IN [1, 3]"), ["1", "3"]);
    assert.deepEqual(await keys("NOT n = 1 AND (title = 'beta' OR n >= 3)"), ["2", "3"]);
    assert.deepEqual(await keys("begins_with(title, 'alpha')"), ["1", "3"]);
    assert.deepEqual(await keys("contains(tags, 'a')"), ["1"]);
    assert.deepEqual(await keys("contains(title, 'ph')"), ["1", "3"]);
    assert.deepEqual(await keys("attribute_exists(tags)"), ["1", "2"]);
    assert.deepEqual(await keys("attribute_not_exists(tags)"), ["3"]);
    assert.deepEqual(await keys("tags IS MISSING"), ["3"]);
    assert.deepEqual(await keys("tags IS NOT MISSING"), ["1", "2"]);
    assert.deepEqual(await keys("nul IS NULL"), ["1"]);
    assert.deepEqual(await keys("size(l) = 3"), ["3"]);
    assert.deepEqual(await keys("size(tags) > 1"), ["1"]);
    assert.deepEqual(await keys("attribute_type(n, 'N') AND l[2] = 3"), ["3"]);
    assert.deepEqual(await keys("begins_with(sk, '2')"), ["2"]);
    assert.deepEqual(await keys("sk > '1'"), ["2", "3"]);
    assert.deepEqual(await keys("attribute_exists(tags) = false"), ["3"]);
  });

  it("reads a partition by Query and the table by Scan, IN and OR across partitions", async () => {
    const client = stratus.dynamodb();
    const name = await compositeTable(client);
    for (const pk of ["a", "b", "c"])
      for (const sk of ["1", "2"])
        await run(client, `INSERT INTO "${name}" VALUE {'pk': '${pk}', 'sk': '${sk}'}`);
    const pairs = (items: Item[] | undefined) => (items ?? []).map((item) => `${item.pk?.S}/${item.sk?.S}`);
    const scan = await run(client, `SELECT * FROM "${name}"`);
    assert.equal(scan.Items?.length, 6);
    const byKey = await run(client, `SELECT * FROM "${name}" WHERE pk = 'b' AND sk >= '2'`);
    assert.deepEqual(pairs(byKey.Items), ["b/2"]);
    const inList = await run(client, `SELECT * FROM "${name}" WHERE pk IN ['c', 'a'] ORDER BY pk`);
    assert.deepEqual(pairs(inList.Items), ["a/1", "a/2", "c/1", "c/2"]);
    const or = await run(
      client,
      `SELECT * FROM "${name}" WHERE pk = 'a' OR pk = 'b' ORDER BY pk DESC, sk DESC`,
    );
    assert.deepEqual(pairs(or.Items), ["b/2", "b/1", "a/2", "a/1"]);
    const scanFilter = await run(client, `SELECT * FROM "${name}" WHERE sk = '2'`);
    assert.deepEqual(pairs(scanFilter.Items).sort(), ["a/2", "b/2", "c/2"]);
  });

  it("orders by the sort key and refuses an ORDER BY it cannot serve", async () => {
    const client = stratus.dynamodb();
    const name = await compositeTable(client);
    for (const sk of ["1", "2", "3"])
      await run(client, `INSERT INTO "${name}" VALUE {'pk': 'o', 'sk': '${sk}'}`);
    const desc = await run(client, `SELECT sk FROM "${name}" WHERE pk = 'o' ORDER BY sk DESC`);
    assert.deepEqual(
      desc.Items?.map((item) => item.sk?.S),
      ["3", "2", "1"],
    );
    const select = `SELECT sk FROM "${name}" `;
    await rejects(
      run(client, `${select}ORDER BY sk`),
      "ValidationException",
      "Must have WHERE clause in the statement when using ORDER BY clause.",
    );
    await rejects(
      run(client, `${select}WHERE pk = 'o' ORDER BY Total DESC`),
      "ValidationException",
      "Attribute Total in ORDER BY clause must be part of the primary key",
    );
    await rejects(
      run(client, `${select}WHERE pk > 'a' ORDER BY sk`),
      "ValidationException",
      "Must have at least one non-optional hash key condition in WHERE clause when using ORDER BY clause.",
    );
    await rejects(
      run(client, `${select}WHERE pk IN ['o', 'p'] ORDER BY sk DESC`),
      "ValidationException",
      "Must have hash key in ORDER BY clause when more than one hash key condition specified in WHERE clause.",
    );
  });

  it("pages with Limit and NextToken, Limit counting items read", async () => {
    const client = stratus.dynamodb();
    const name = await compositeTable(client);
    for (let i = 0; i < 5; i++)
      await run(client, `INSERT INTO "${name}" VALUE {'pk': 'p', 'sk': '${i}', 'odd': ${i % 2}}`);
    const seen: string[] = [];
    let NextToken: string | undefined;
    let pages = 0;
    do {
      const page = await run(client, `SELECT sk FROM "${name}" WHERE pk = 'p'`, {
        Limit: 2,
        ...(NextToken ? { NextToken } : {}),
      });
      seen.push(...(page.Items ?? []).map((item) => item.sk?.S as string));
      NextToken = page.NextToken;
      pages++;
    } while (NextToken);
    assert.deepEqual(seen, ["0", "1", "2", "3", "4"]);
    assert.equal(pages, 3);

    // Limit counts the items read, before the filter.
    const filtered = await run(client, `SELECT sk FROM "${name}" WHERE pk = 'p' AND odd = 7`, { Limit: 3 });
    assert.deepEqual(filtered.Items, []);
    assert.ok(filtered.NextToken);
    assert.deepEqual(filtered.LastEvaluatedKey, { pk: { S: "p" }, sk: { S: "2" } });

    // Scans page too.
    const first = await run(client, `SELECT * FROM "${name}"`, { Limit: 4 });
    assert.equal(first.Items?.length, 4);
    const rest = await run(client, `SELECT * FROM "${name}"`, { Limit: 4, NextToken: first.NextToken });
    assert.equal(rest.Items?.length, 1);
    assert.equal(rest.NextToken, undefined);

    await rejects(
      run(client, `SELECT * FROM "${name}" WHERE pk = 'other'`, { NextToken: first.NextToken }),
      "ValidationException",
      "NextToken does not match request",
    );
    await rejects(
      run(client, `SELECT * FROM "${name}"`, { NextToken: "bm90IGEgdG9rZW4" }),
      "ValidationException",
      "Invalid NextToken",
    );
  });

  it("updates with conditions on other attributes: ConditionalCheckFailedException", async () => {
    const client = stratus.dynamodb();
    const name = uniqueName("partiql");
    await client.send(new CreateTableCommand(simpleTable(name)));
    await run(client, `INSERT INTO "${name}" VALUE {'pk': 'c', 'status': 'open', 'n': 1}`);
    await run(client, `UPDATE "${name}" SET n = n + 1 WHERE pk = 'c' AND status = 'open'`);
    await rejects(
      run(client, `UPDATE "${name}" SET n = n + 1 WHERE pk = 'c' AND status = 'closed'`),
      "ConditionalCheckFailedException",
      "The conditional request failed",
    );
    const failure = (await sdkError(
      run(client, `DELETE FROM "${name}" WHERE pk = 'c' AND n > 5`, {
        ReturnValuesOnConditionCheckFailure: "ALL_OLD",
      }),
    )) as unknown as { name: string; Item?: Item };
    assert.equal(failure.name, "ConditionalCheckFailedException");
    assert.deepEqual(failure.Item, { pk: { S: "c" }, status: { S: "open" }, n: { N: "2" } });
    // UPDATE of a missing item fails; DELETE of one succeeds ([local] recorded).
    await rejects(
      run(client, `UPDATE "${name}" SET n = 1 WHERE pk = 'nothing'`),
      "ConditionalCheckFailedException",
      "The conditional request failed",
    );
    assert.deepEqual((await run(client, `DELETE FROM "${name}" WHERE pk = 'nothing'`)).Items, []);
  });

  it("applies list_append, set_add, set_delete and nested paths", async () => {
    const client = stratus.dynamodb();
    const name = uniqueName("partiql");
    await client.send(new CreateTableCommand(simpleTable(name)));
    await run(client, `INSERT INTO "${name}" VALUE {'pk': 'u', 'l': [1], 'ss': <<'a', 'b'>>, 'm': {'x': 1}}`);
    await run(
      client,
      `UPDATE "${name}" SET l = list_append(l, [2, 3]) SET ss = set_add(ss, <<'c'>>) SET m.y = 'new'
        SET fresh = set_add(fresh, <<5>>) WHERE pk = 'u'`,
    );
    await run(client, `UPDATE "${name}" SET ss = set_delete(ss, <<'a'>>) REMOVE l[0], m.x WHERE pk = 'u'`);
    const { Items } = await run(client, `SELECT l, ss, m, fresh FROM "${name}" WHERE pk = 'u'`);
    assert.deepEqual(Items, [
      {
        l: { L: [{ N: "2" }, { N: "3" }] },
        ss: { SS: ["b", "c"] },
        m: { M: { y: { S: "new" } } },
        fresh: { NS: ["5"] },
      },
    ]);
  });

  it("answers RETURNING rows", async () => {
    const client = stratus.dynamodb();
    const name = uniqueName("partiql");
    await client.send(new CreateTableCommand(simpleTable(name)));
    await run(client, `INSERT INTO "${name}" VALUE {'pk': 'r', 'a': 1, 'b': 'keep'}`);
    const oldAll = await run(client, `UPDATE "${name}" SET a = 2 WHERE pk = 'r' RETURNING ALL OLD *`);
    assert.deepEqual(oldAll.Items, [{ pk: { S: "r" }, a: { N: "1" }, b: { S: "keep" } }]);
    const newModified = await run(
      client,
      `UPDATE "${name}" SET a = 3 WHERE pk = 'r' RETURNING MODIFIED NEW *`,
    );
    assert.deepEqual(newModified.Items, [{ a: { N: "3" } }]);
    const removed = await run(client, `UPDATE "${name}" REMOVE a WHERE pk = 'r' RETURNING MODIFIED NEW *`);
    assert.deepEqual(removed.Items, []);
    const deleted = await run(client, `DELETE FROM "${name}" WHERE pk = 'r' RETURNING ALL OLD *`);
    assert.deepEqual(deleted.Items, [{ pk: { S: "r" }, b: { S: "keep" } }]);
    await rejects(
      run(client, `DELETE FROM "${name}" WHERE pk = 'r' RETURNING ALL NEW *`),
      "ValidationException",
      "Invalid returning clause: RETURNING ALL NEW *. Only RETURNING ALL OLD * is allowed in DELETE statements.",
    );
  });

  it("reads an index and keeps to its projection", async () => {
    const client = stratus.dynamodb();
    const name = await compositeTable(client, {
      AttributeDefinitions: [
        { AttributeName: "pk", AttributeType: "S" },
        { AttributeName: "sk", AttributeType: "S" },
        { AttributeName: "g", AttributeType: "S" },
        { AttributeName: "lsk", AttributeType: "S" },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: "by-g",
          KeySchema: [{ AttributeName: "g", KeyType: "HASH" }],
          Projection: { ProjectionType: "INCLUDE", NonKeyAttributes: ["inc"] },
        },
      ],
      LocalSecondaryIndexes: [
        {
          IndexName: "by-lsk",
          KeySchema: [
            { AttributeName: "pk", KeyType: "HASH" },
            { AttributeName: "lsk", KeyType: "RANGE" },
          ],
          Projection: { ProjectionType: "KEYS_ONLY" },
        },
      ],
    });
    await run(
      client,
      `INSERT INTO "${name}" VALUE {'pk': 'p', 'sk': '1', 'g': 'x', 'lsk': 'b', 'inc': 1, 'other': 1}`,
    );
    await run(
      client,
      `INSERT INTO "${name}" VALUE {'pk': 'p', 'sk': '2', 'g': 'x', 'lsk': 'a', 'inc': 2, 'other': 2}`,
    );
    await run(client, `INSERT INTO "${name}" VALUE {'pk': 'p', 'sk': '3'}`);

    const viaGsi = await run(client, `SELECT * FROM "${name}"."by-g" WHERE g = 'x'`);
    assert.equal(viaGsi.Items?.length, 2);
    for (const item of viaGsi.Items ?? [])
      assert.deepEqual(Object.keys(item).sort(), ["g", "inc", "pk", "sk"]);

    const viaLsi = await run(client, `SELECT sk, other FROM "${name}"."by-lsk" WHERE pk = 'p'`);
    assert.deepEqual(viaLsi.Items, [
      { sk: { S: "2" }, other: { N: "2" } },
      { sk: { S: "1" }, other: { N: "1" } },
    ]);

    await rejects(
      run(client, `SELECT other FROM "${name}"."by-g" WHERE g = 'x'`),
      "ValidationException",
      "One or more parameter values were invalid: Global secondary index by-g does not project [other]",
    );
    await rejects(
      run(client, `SELECT pk FROM "${name}"."by-g" WHERE g = 'x' AND other = 1`),
      "ValidationException",
      "One or more parameter values were invalid: Secondary index by-g does not project one or more filter attributes: [other]",
    );
    await rejects(
      run(client, `SELECT * FROM "${name}"."by-g" WHERE g = 'x'`, { ConsistentRead: true }),
      "ValidationException",
      "Strongly consistent read is not supported on Global Secondary Indexes",
    );
    await rejects(
      run(client, `SELECT * FROM "${name}"."nope" WHERE pk = 'p'`),
      "ValidationException",
      "The table does not have the specified index",
    );
  });

  it("reports consumed capacity", async () => {
    const client = stratus.dynamodb();
    const name = uniqueName("partiql");
    await client.send(new CreateTableCommand(simpleTable(name)));
    const write = await run(client, `INSERT INTO "${name}" VALUE {'pk': 'cc'}`, {
      ReturnConsumedCapacity: "TOTAL",
    });
    assert.deepEqual(write.ConsumedCapacity, { TableName: name, CapacityUnits: 1, WriteCapacityUnits: 1 });
    const read = await run(client, `SELECT * FROM "${name}" WHERE pk = 'cc'`, {
      ReturnConsumedCapacity: "TOTAL",
      ConsistentRead: true,
    });
    assert.deepEqual(read.ConsumedCapacity, { TableName: name, CapacityUnits: 1, ReadCapacityUnits: 1 });
  });

  it("takes plain JavaScript parameters through lib-dynamodb's document client", async () => {
    const client = stratus.dynamodb();
    const documents = DynamoDBDocumentClient.from(client);
    const name = uniqueName("partiql");
    await client.send(new CreateTableCommand(simpleTable(name)));
    await documents.send(
      new DocExecuteStatementCommand({
        Statement: `INSERT INTO "${name}" VALUE {'pk': ?, 'count': ?, 'tags': ?, 'meta': ?}`,
        Parameters: ["doc", 7, new Set(["a", "b"]), { nested: [1, "x"], flag: true }],
      }),
    );
    await documents.send(
      new DocExecuteStatementCommand({
        Statement: `UPDATE "${name}" SET "count" = "count" + ? WHERE pk = ?`,
        Parameters: [3, "doc"],
      }),
    );
    const { Items } = await documents.send(
      new DocExecuteStatementCommand({
        Statement: `SELECT * FROM "${name}" WHERE pk = ?`,
        Parameters: ["doc"],
      }),
    );
    assert.deepEqual(Items, [
      { pk: "doc", count: 10, tags: new Set(["a", "b"]), meta: { nested: [1, "x"], flag: true } },
    ]);
  });
});
