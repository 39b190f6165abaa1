/**
 * Query through the real SDK: sort orders of N, S and B sort keys, every sort-key condition, both
 * directions, Limit and ExclusiveStartKey paging (by hand and with paginateQuery), the 1 MB page, filters,
 * projections, Select COUNT, the legacy parameters, and consumed capacity.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { paginateQuery, QueryCommand, type QueryCommandInput } from "@aws-sdk/client-dynamodb";
import { useStratus } from "../../../support/stratus.ts";
import { uniqueName } from "../helpers.ts";
import {
  bytes,
  compositeTable,
  createTable,
  numbers,
  putItems,
  type SdkItem,
  strings,
  utf8Order,
} from "./helpers.ts";

describe("DynamoDB Query", () => {
  const stratus = useStratus({ inMemory: true });

  async function queryItems(input: Omit<QueryCommandInput, "TableName">, table: string) {
    return stratus.dynamodb().send(new QueryCommand({ TableName: table, ...input }));
  }

  describe("sort orders", () => {
    it("orders N sort keys by value: negatives, decimals, exponents, 38 digits", async () => {
      const table = await createTable(stratus.dynamodb(), (name) => compositeTable(name, "N"));
      const values = [
        "1e10",
        "-1E+10",
        "-100",
        "-5.5",
        "-5.25",
        "-0.001",
        "0",
        "0.001",
        "1",
        "1.5",
        "10",
        "100",
        "12345678901234567890123456789012345678",
        "-9.9999999999999999999999999999999999999E+125",
        "1E-130",
      ];
      await putItems(
        stratus,
        table,
        values.map((n) => ({ pk: { S: "p" }, sk: { N: n } })),
      );
      // Another partition must never show up.
      await putItems(stratus, table, [{ pk: { S: "other" }, sk: { N: "2" } }]);
      const expected = [
        "-9.9999999999999999999999999999999999999E+125",
        "-10000000000",
        "-100",
        "-5.5",
        "-5.25",
        "-0.001",
        "0",
        "1E-130",
        "0.001",
        "1",
        "1.5",
        "10",
        "100",
        "10000000000",
        "12345678901234567890123456789012345678",
      ];
      const forward = await queryItems(
        { KeyConditionExpression: "pk = :p", ExpressionAttributeValues: { ":p": { S: "p" } } },
        table,
      );
      assert.equal(forward.Count, values.length);
      assert.equal(forward.ScannedCount, values.length);
      assert.equal(forward.LastEvaluatedKey, undefined);
      const asNumbers = (list: (string | undefined)[]) => list.map((n) => Number(n));
      assert.deepEqual(asNumbers(numbers(forward.Items, "sk")), asNumbers(expected));
      const backward = await queryItems(
        {
          KeyConditionExpression: "pk = :p",
          ExpressionAttributeValues: { ":p": { S: "p" } },
          ScanIndexForward: false,
        },
        table,
      );
      assert.deepEqual(asNumbers(numbers(backward.Items, "sk")), asNumbers([...expected].reverse()));
    });

    it("orders S sort keys by UTF-8 bytes (unicode, case, prefixes)", async () => {
      const table = await createTable(stratus.dynamodb(), (name) => compositeTable(name, "S"));
      const values = [
        "a",
        "B",
        "b",
        "aa",
        "é",
        "𝄞",
        "ÿ",
        "z",
        "ß",
        "ａ",
        "Z",
        "a b",
        "a\u0000",
        "\uffff",
        "0",
        "~",
      ];
      await putItems(
        stratus,
        table,
        values.map((s) => ({ pk: { S: "p" }, sk: { S: s } })),
      );
      const result = await queryItems(
        { KeyConditionExpression: "pk = :p", ExpressionAttributeValues: { ":p": { S: "p" } } },
        table,
      );
      assert.deepEqual(strings(result.Items, "sk"), [...values].sort(utf8Order));
      const reversed = await queryItems(
        {
          KeyConditionExpression: "pk = :p",
          ExpressionAttributeValues: { ":p": { S: "p" } },
          ScanIndexForward: false,
        },
        table,
      );
      assert.deepEqual(strings(reversed.Items, "sk"), [...values].sort(utf8Order).reverse());
    });

    it("orders B sort keys by unsigned bytes", async () => {
      const table = await createTable(stratus.dynamodb(), (name) => compositeTable(name, "B"));
      const values = [
        [0x00],
        [0x00, 0x00],
        [0x01],
        [0xff],
        [0x7f, 0x80],
        [0x80],
        [0x00, 0xff],
        [0xff, 0x00],
        [0x41],
      ];
      await putItems(
        stratus,
        table,
        values.map((b) => ({ pk: { S: "p" }, sk: { B: Uint8Array.from(b) } })),
      );
      const result = await queryItems(
        { KeyConditionExpression: "pk = :p", ExpressionAttributeValues: { ":p": { S: "p" } } },
        table,
      );
      const expected = [...values].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
      assert.deepEqual(
        (result.Items ?? []).map((item) => bytes(item.sk)),
        expected,
      );
      const between = await queryItems(
        {
          KeyConditionExpression: "pk = :p AND sk BETWEEN :lo AND :hi",
          ExpressionAttributeValues: {
            ":p": { S: "p" },
            ":lo": { B: Uint8Array.of(0x00, 0x00) },
            ":hi": { B: Uint8Array.of(0x7f, 0x80) },
          },
        },
        table,
      );
      assert.deepEqual(
        (between.Items ?? []).map((item) => bytes(item.sk)),
        [[0x00, 0x00], [0x00, 0xff], [0x01], [0x41], [0x7f, 0x80]],
      );
      const prefixed = await queryItems(
        {
          KeyConditionExpression: "pk = :p AND begins_with(sk, :b)",
          ExpressionAttributeValues: { ":p": { S: "p" }, ":b": { B: Uint8Array.of(0x00) } },
        },
        table,
      );
      assert.deepEqual(
        (prefixed.Items ?? []).map((item) => bytes(item.sk)),
        [[0x00], [0x00, 0x00], [0x00, 0xff]],
      );
    });
  });

  describe("sort-key conditions", () => {
    let table: string;
    const sks = ["a", "ab", "abc", "b", "ba", "c", "d"];
    before(async () => {
      table = await createTable(stratus.dynamodb(), (name) => compositeTable(name, "S"));
      await putItems(
        stratus,
        table,
        sks.map((sk) => ({ pk: { S: "k" }, sk: { S: sk } })),
      );
    });

    const cases: [string, Record<string, string>, string[]][] = [
      ["sk = :a", { ":a": "ab" }, ["ab"]],
      ["sk < :a", { ":a": "b" }, ["a", "ab", "abc"]],
      ["sk <= :a", { ":a": "b" }, ["a", "ab", "abc", "b"]],
      ["sk > :a", { ":a": "b" }, ["ba", "c", "d"]],
      ["sk >= :a", { ":a": "b" }, ["b", "ba", "c", "d"]],
      [":a > sk", { ":a": "b" }, ["a", "ab", "abc"]],
      [":a <= sk", { ":a": "c" }, ["c", "d"]],
      ["sk BETWEEN :a AND :b", { ":a": "ab", ":b": "ba" }, ["ab", "abc", "b", "ba"]],
      ["begins_with(sk, :a)", { ":a": "ab" }, ["ab", "abc"]],
      ["begins_with(sk, :a)", { ":a": "x" }, []],
      ["sk = :a", { ":a": "zz" }, []],
    ];
    for (const [condition, values, expected] of cases) {
      it(`${condition} ${JSON.stringify(values)}`, async () => {
        const result = await queryItems(
          {
            KeyConditionExpression: `#p = :p AND ${condition}`,
            ExpressionAttributeNames: { "#p": "pk" },
            ExpressionAttributeValues: {
              ":p": { S: "k" },
              ...Object.fromEntries(Object.entries(values).map(([k, v]) => [k, { S: v }])),
            },
          },
          table,
        );
        assert.deepEqual(strings(result.Items, "sk"), expected);
        assert.equal(result.Count, expected.length);
      });
    }

    it("legacy KeyConditions (EQ, BEGINS_WITH) with QueryFilter, ConditionalOperator and AttributesToGet", async () => {
      await putItems(stratus, table, [
        { pk: { S: "legacy" }, sk: { S: "x1" }, color: { S: "red" }, qty: { N: "1" } },
        { pk: { S: "legacy" }, sk: { S: "x2" }, color: { S: "blue" }, qty: { N: "5" } },
        { pk: { S: "legacy" }, sk: { S: "x3" }, color: { S: "green" }, qty: { N: "9" } },
        { pk: { S: "legacy" }, sk: { S: "y1" }, color: { S: "red" }, qty: { N: "9" } },
      ]);
      const result = await queryItems(
        {
          KeyConditions: {
            pk: { ComparisonOperator: "EQ", AttributeValueList: [{ S: "legacy" }] },
            sk: { ComparisonOperator: "BEGINS_WITH", AttributeValueList: [{ S: "x" }] },
          },
          QueryFilter: {
            color: { ComparisonOperator: "EQ", AttributeValueList: [{ S: "red" }] },
            qty: { ComparisonOperator: "GT", AttributeValueList: [{ N: "8" }] },
          },
          ConditionalOperator: "OR",
          AttributesToGet: ["sk", "color"],
        },
        table,
      );
      assert.deepEqual(result.Items, [
        { sk: { S: "x1" }, color: { S: "red" } },
        { sk: { S: "x3" }, color: { S: "green" } },
      ]);
      assert.equal(result.Count, 2);
      assert.equal(result.ScannedCount, 3);
    });

    it("legacy KeyConditions may come with a FilterExpression", async () => {
      const result = await queryItems(
        {
          KeyConditions: { pk: { ComparisonOperator: "EQ", AttributeValueList: [{ S: "legacy" }] } },
          FilterExpression: "qty > :s",
          ExpressionAttributeValues: { ":s": { N: "4" } },
        },
        table,
      );
      assert.deepEqual(strings(result.Items, "sk"), ["x2", "x3", "y1"]);
    });
  });

  describe("paging", () => {
    let table: string;
    const count = 23;
    before(async () => {
      table = await createTable(stratus.dynamodb(), (name) => compositeTable(name, "N"));
      const items: SdkItem[] = [];
      for (let i = 0; i < count; i++)
        items.push({ pk: { S: "pages" }, sk: { N: String(i) }, even: { BOOL: i % 2 === 0 } });
      await putItems(stratus, table, items);
    });

    it("Limit stops after that many items and answers LastEvaluatedKey, forward and backward", async () => {
      const seen: string[] = [];
      let start: SdkItem | undefined;
      let pages = 0;
      do {
        const page = await queryItems(
          {
            KeyConditionExpression: "pk = :p",
            ExpressionAttributeValues: { ":p": { S: "pages" } },
            Limit: 5,
            ...(start && { ExclusiveStartKey: start }),
          },
          table,
        );
        pages++;
        seen.push(...(numbers(page.Items, "sk") as string[]));
        start = page.LastEvaluatedKey;
        if (start) assert.deepEqual(Object.keys(start).sort(), ["pk", "sk"]);
      } while (start);
      assert.equal(pages, 5);
      assert.deepEqual(
        seen,
        Array.from({ length: count }, (_, i) => String(i)),
      );

      const first = await queryItems(
        {
          KeyConditionExpression: "pk = :p",
          ExpressionAttributeValues: { ":p": { S: "pages" } },
          Limit: 3,
          ScanIndexForward: false,
        },
        table,
      );
      assert.deepEqual(numbers(first.Items, "sk"), ["22", "21", "20"]);
      assert.deepEqual(first.LastEvaluatedKey, { pk: { S: "pages" }, sk: { N: "20" } });
      const second = await queryItems(
        {
          KeyConditionExpression: "pk = :p",
          ExpressionAttributeValues: { ":p": { S: "pages" } },
          Limit: 3,
          ScanIndexForward: false,
          ExclusiveStartKey: first.LastEvaluatedKey,
        },
        table,
      );
      assert.deepEqual(numbers(second.Items, "sk"), ["19", "18", "17"]);
    });

    it("answers LastEvaluatedKey when Limit is reached exactly at the last item, then an empty page", async () => {
      const page = await queryItems(
        {
          KeyConditionExpression: "pk = :p AND sk >= :s",
          ExpressionAttributeValues: { ":p": { S: "pages" }, ":s": { N: "20" } },
          Limit: 3,
        },
        table,
      );
      assert.equal(page.Count, 3);
      assert.deepEqual(page.LastEvaluatedKey, { pk: { S: "pages" }, sk: { N: "22" } });
      const after = await queryItems(
        {
          KeyConditionExpression: "pk = :p AND sk >= :s",
          ExpressionAttributeValues: { ":p": { S: "pages" }, ":s": { N: "20" } },
          Limit: 3,
          ExclusiveStartKey: page.LastEvaluatedKey,
        },
        table,
      );
      assert.deepEqual(after.Items, []);
      assert.equal(after.Count, 0);
      assert.equal(after.LastEvaluatedKey, undefined);
    });

    it("Limit counts items evaluated before the filter", async () => {
      const page = await queryItems(
        {
          KeyConditionExpression: "pk = :p",
          FilterExpression: "even = :t",
          ExpressionAttributeValues: { ":p": { S: "pages" }, ":t": { BOOL: true } },
          Limit: 5,
        },
        table,
      );
      assert.deepEqual(numbers(page.Items, "sk"), ["0", "2", "4"]);
      assert.equal(page.Count, 3);
      assert.equal(page.ScannedCount, 5);
      assert.deepEqual(page.LastEvaluatedKey, { pk: { S: "pages" }, sk: { N: "4" } });
    });

    it("paginateQuery walks every page", async () => {
      const seen: string[] = [];
      let pages = 0;
      for await (const page of paginateQuery(
        { client: stratus.dynamodb(), pageSize: 4 },
        {
          TableName: table,
          KeyConditionExpression: "pk = :p",
          FilterExpression: "even = :t",
          ExpressionAttributeValues: { ":p": { S: "pages" }, ":t": { BOOL: true } },
          ScanIndexForward: false,
        },
      )) {
        pages++;
        seen.push(...(numbers(page.Items, "sk") as string[]));
      }
      assert.equal(pages, 6);
      assert.deepEqual(seen, ["22", "20", "18", "16", "14", "12", "10", "8", "6", "4", "2", "0"]);
    });

    it("Select COUNT answers Count and ScannedCount without Items", async () => {
      const result = await queryItems(
        {
          KeyConditionExpression: "pk = :p",
          FilterExpression: "even = :t",
          ExpressionAttributeValues: { ":p": { S: "pages" }, ":t": { BOOL: true } },
          Select: "COUNT",
        },
        table,
      );
      assert.equal(result.Items, undefined);
      assert.equal(result.Count, 12);
      assert.equal(result.ScannedCount, count);
      const limited = await queryItems(
        {
          KeyConditionExpression: "pk = :p",
          ExpressionAttributeValues: { ":p": { S: "pages" } },
          Select: "COUNT",
          Limit: 10,
        },
        table,
      );
      assert.equal(limited.Count, 10);
      assert.deepEqual(limited.LastEvaluatedKey, { pk: { S: "pages" }, sk: { N: "9" } });
    });
  });

  describe("the 1 MB page", () => {
    let table: string;
    const count = 30;
    // Each item: "pk" + "big", "sk" + a number, "payload" + 100,000 bytes: about 100,015 bytes.
    const filler = "x".repeat(100_000);
    before(async () => {
      table = await createTable(stratus.dynamodb(), (name) => compositeTable(name, "N"));
      const items: SdkItem[] = [];
      for (let i = 0; i < count; i++)
        items.push({ pk: { S: "big" }, sk: { N: String(i) }, payload: { S: filler } });
      await putItems(stratus, table, items);
    });

    it("stops once 1 MB was read, before the filter, and pages on", async () => {
      const first = await queryItems(
        {
          KeyConditionExpression: "pk = :p",
          ExpressionAttributeValues: { ":p": { S: "big" } },
          ProjectionExpression: "sk",
        },
        table,
      );
      // 10 items are under 1,048,576 bytes, the 11th crosses it and is the last one read.
      assert.equal(first.ScannedCount, 11);
      assert.equal(first.Count, 11);
      assert.deepEqual(first.LastEvaluatedKey, { pk: { S: "big" }, sk: { N: "10" } });
      const filtered = await queryItems(
        {
          KeyConditionExpression: "pk = :p",
          FilterExpression: "attribute_not_exists(payload)",
          ExpressionAttributeValues: { ":p": { S: "big" } },
        },
        table,
      );
      assert.equal(filtered.Count, 0);
      assert.equal(filtered.ScannedCount, 11);
      assert.ok(filtered.LastEvaluatedKey);
      let total = 0;
      let pages = 0;
      for await (const page of paginateQuery(
        { client: stratus.dynamodb() },
        {
          TableName: table,
          KeyConditionExpression: "pk = :p",
          ExpressionAttributeValues: { ":p": { S: "big" } },
          Select: "COUNT",
        },
      )) {
        pages++;
        total += page.Count ?? 0;
      }
      assert.equal(total, count);
      assert.equal(pages, 3);
    });
  });

  describe("projections and capacity", () => {
    let table: string;
    before(async () => {
      table = await createTable(stratus.dynamodb(), (name) => compositeTable(name, "S"));
      await putItems(stratus, table, [
        {
          pk: { S: "doc" },
          sk: { S: "1" },
          info: { M: { name: { S: "one" }, tags: { L: [{ S: "a" }, { S: "b" }, { S: "c" }] } } },
          misc: { N: "1" },
        },
        { pk: { S: "doc" }, sk: { S: "2" }, info: { M: { name: { S: "two" } } } },
      ]);
    });

    it("ProjectionExpression keeps nested paths; missing ones are left out", async () => {
      const result = await queryItems(
        {
          KeyConditionExpression: "pk = :p",
          ExpressionAttributeValues: { ":p": { S: "doc" } },
          ProjectionExpression: "#i.#n, info.tags[2], sk",
          ExpressionAttributeNames: { "#i": "info", "#n": "name" },
        },
        table,
      );
      assert.deepEqual(result.Items, [
        { sk: { S: "1" }, info: { M: { name: { S: "one" }, tags: { L: [{ S: "c" }] } } } },
        { sk: { S: "2" }, info: { M: { name: { S: "two" } } } },
      ]);
    });

    it("ReturnConsumedCapacity TOTAL and INDEXES round the bytes read once, halved unless consistent", async () => {
      const big = "y".repeat(5000);
      await putItems(stratus, table, [
        { pk: { S: "cap" }, sk: { S: "1" }, payload: { S: big } },
        { pk: { S: "cap" }, sk: { S: "2" }, payload: { S: big } },
      ]);
      // Two items of (2+3) + (2+1) + (7+5000) = 5015 bytes: 10,030 bytes, 3 units of 4 KB.
      const total = await queryItems(
        {
          KeyConditionExpression: "pk = :p",
          ExpressionAttributeValues: { ":p": { S: "cap" } },
          ReturnConsumedCapacity: "TOTAL",
          FilterExpression: "attribute_not_exists(payload)",
        },
        table,
      );
      assert.deepEqual(total.ConsumedCapacity, {
        TableName: table,
        CapacityUnits: 1.5,
      });
      const indexes = await queryItems(
        {
          KeyConditionExpression: "pk = :p",
          ExpressionAttributeValues: { ":p": { S: "cap" } },
          ReturnConsumedCapacity: "INDEXES",
          ConsistentRead: true,
        },
        table,
      );
      assert.deepEqual(indexes.ConsumedCapacity, {
        TableName: table,
        CapacityUnits: 3,
        Table: { CapacityUnits: 3 },
      });
      const empty = await queryItems(
        {
          KeyConditionExpression: "pk = :p",
          ExpressionAttributeValues: { ":p": { S: "nothing" } },
          ReturnConsumedCapacity: "TOTAL",
        },
        table,
      );
      assert.deepEqual(empty.Items, []);
      assert.deepEqual(empty.ConsumedCapacity, {
        TableName: table,
        CapacityUnits: 0.5,
      });
      const none = await queryItems(
        {
          KeyConditionExpression: "pk = :p",
          ExpressionAttributeValues: { ":p": { S: "cap" } },
          ReturnConsumedCapacity: "NONE",
        },
        table,
      );
      assert.equal(none.ConsumedCapacity, undefined);
    });

    it("takes the table's ARN as TableName", async () => {
      const result = await queryItems(
        {
          KeyConditionExpression: "pk = :p",
          ExpressionAttributeValues: { ":p": { S: "doc" } },
          Select: "COUNT",
        },
        `arn:aws:dynamodb:us-east-1:000000000000:table/${table}`,
      );
      assert.equal(result.Count, 2);
    });

    it("a hash-only table answers its one item per partition", async () => {
      const name = uniqueName("reads");
      await createTable(stratus.dynamodb(), compositeTable(name, undefined));
      await putItems(stratus, name, [
        { pk: { S: "one" }, v: { N: "1" } },
        { pk: { S: "two" }, v: { N: "2" } },
      ]);
      const result = await queryItems(
        { KeyConditionExpression: "pk = :p", ExpressionAttributeValues: { ":p": { S: "two" } } },
        name,
      );
      assert.deepEqual(result.Items, [{ pk: { S: "two" }, v: { N: "2" } }]);
    });
  });
});
