/**
 * Query and Scan refusals through the real SDK, each with DynamoDB's exact text (sources in
 * src/services/dynamodb/errors.ts: dynalite's recorded tests, moto's AWS-verified Select tests,
 * nubo-db/dynamodb-conformance captures).
 */
import { before, describe, it } from "node:test";
import {
  QueryCommand,
  type QueryCommandInput,
  ScanCommand,
  type ScanCommandInput,
} from "@aws-sdk/client-dynamodb";
import { useStratus } from "../../../support/stratus.ts";
import { rejects } from "../helpers.ts";
import { compositeTable, createTable, INVALID, indexedTable, putItems } from "./helpers.ts";

const VALIDATION = "ValidationException";

describe("DynamoDB Query and Scan errors", () => {
  const stratus = useStratus({ inMemory: true });
  let table: string; // pk S, sk S, with LSIs and GSIs (helpers.indexedTable)
  let hashTable: string; // pk S only
  let numbered: string; // pk S, sk N

  before(async () => {
    const client = stratus.dynamodb();
    table = await createTable(client, indexedTable);
    hashTable = await createTable(client, (name) => compositeTable(name, undefined));
    numbered = await createTable(client, (name) => compositeTable(name, "N"));
    await putItems(stratus, hashTable, [{ pk: { S: "a" } }, { pk: { S: "b" } }, { pk: { S: "c" } }]);
  });

  const query = (input: Partial<QueryCommandInput>, on = () => table) =>
    stratus.dynamodb().send(new QueryCommand({ TableName: on(), ...input }));
  const scan = (input: Partial<ScanCommandInput>, on = () => table) =>
    stratus.dynamodb().send(new ScanCommand({ TableName: on(), ...input }));
  const byPk = { KeyConditionExpression: "pk = :p", ExpressionAttributeValues: { ":p": { S: "x" } } };

  describe("tables and indexes", () => {
    it("a missing table: ResourceNotFoundException", async () => {
      await rejects(
        query(byPk, () => "no-such-table"),
        "ResourceNotFoundException",
        "Requested resource not found",
      );
      await rejects(
        scan({}, () => "no-such-table"),
        "ResourceNotFoundException",
        "Requested resource not found",
      );
      await rejects(
        scan({}, () => `arn:aws:dynamodb:us-east-1:111111111111:table/${table}`),
        "ResourceNotFoundException",
        "Requested resource not found",
      );
    });

    it("an unknown index", async () => {
      await rejects(
        query({ ...byPk, IndexName: "nope" }),
        VALIDATION,
        "The table does not have the specified index: nope",
      );
      await rejects(
        scan({ IndexName: "nope" }),
        VALIDATION,
        "The table does not have the specified index: nope",
      );
    });

    it("ConsistentRead on a GSI (an LSI is fine)", async () => {
      const text = "Consistent reads are not supported on global secondary indexes";
      await rejects(
        query({
          IndexName: "gsi_all",
          ConsistentRead: true,
          KeyConditionExpression: "g = :g",
          ExpressionAttributeValues: { ":g": { S: "x" } },
        }),
        VALIDATION,
        text,
      );
      await rejects(scan({ IndexName: "gsi_keys", ConsistentRead: true }), VALIDATION, text);
      await query({ ...byPk, IndexName: "lsi_all", ConsistentRead: true });
    });
  });

  describe("Select", () => {
    const envelope = "1 validation error detected: ";
    it("a projection with another Select (Query in coral's envelope, Scan bare)", async () => {
      for (const [select, what] of [
        ["ALL_ATTRIBUTES", "ALL_ATTRIBUTES"],
        ["ALL_PROJECTED_ATTRIBUTES", "ALL_PROJECTED_ATTRIBUTES"],
        ["COUNT", "only the Count"],
      ] as const) {
        const text = `Cannot specify the ProjectionExpression when choosing to get ${what}`;
        await rejects(
          query({ ...byPk, IndexName: "gsi_all", Select: select, ProjectionExpression: "pk" }),
          VALIDATION,
          envelope + text,
        );
        await rejects(
          scan({ IndexName: "gsi_all", Select: select, ProjectionExpression: "pk" }),
          VALIDATION,
          text,
        );
        const legacy = `Cannot specify the AttributesToGet when choosing to get ${what}`;
        await rejects(
          query({
            IndexName: "gsi_all",
            Select: select,
            AttributesToGet: ["pk"],
            KeyConditions: { g: { ComparisonOperator: "EQ", AttributeValueList: [{ S: "x" }] } },
          }),
          VALIDATION,
          envelope + legacy,
        );
        await rejects(
          scan({ IndexName: "gsi_all", Select: select, AttributesToGet: ["pk"] }),
          VALIDATION,
          legacy,
        );
      }
    });

    it("SPECIFIC_ATTRIBUTES without a projection", async () => {
      const text =
        "Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES";
      await rejects(query({ ...byPk, Select: "SPECIFIC_ATTRIBUTES" }), VALIDATION, envelope + text);
      await rejects(scan({ Select: "SPECIFIC_ATTRIBUTES" }), VALIDATION, text);
    });

    it("ALL_PROJECTED_ATTRIBUTES without an index", async () => {
      const text = "ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName";
      await rejects(query({ ...byPk, Select: "ALL_PROJECTED_ATTRIBUTES" }), VALIDATION, envelope + text);
      await rejects(scan({ Select: "ALL_PROJECTED_ATTRIBUTES" }), VALIDATION, text);
    });

    it("ALL_ATTRIBUTES on a GSI that does not project everything", async () => {
      for (const index of ["gsi_keys", "gsi_inc"]) {
        const text = `${INVALID}Select type ALL_ATTRIBUTES is not supported for global secondary index ${index} because its projection type is not ALL`;
        await rejects(
          query({
            IndexName: index,
            Select: "ALL_ATTRIBUTES",
            KeyConditionExpression: "g = :g",
            ExpressionAttributeValues: { ":g": { S: "x" } },
          }),
          VALIDATION,
          text,
        );
        await rejects(scan({ IndexName: index, Select: "ALL_ATTRIBUTES" }), VALIDATION, text);
      }
    });

    it("an unknown Select value: the model's enum", async () => {
      await rejects(
        scan({ Select: "count" as never }),
        VALIDATION,
        "1 validation error detected: Value 'count' at 'select' failed to satisfy constraint: Member must satisfy enum value set: [SPECIFIC_ATTRIBUTES, COUNT, ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES]",
      );
    });
  });

  describe("key conditions", () => {
    it("neither KeyConditions nor KeyConditionExpression", async () => {
      await rejects(
        query({}),
        VALIDATION,
        "Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.",
      );
    });

    it("conditions that miss or misuse the key schema", async () => {
      const cases: [Partial<QueryCommandInput>, string][] = [
        [
          { KeyConditionExpression: "sk = :v", ExpressionAttributeValues: { ":v": { S: "x" } } },
          "Query condition missed key schema element: pk",
        ],
        [
          { KeyConditionExpression: "other1 = :v", ExpressionAttributeValues: { ":v": { S: "x" } } },
          "Query condition missed key schema element: pk",
        ],
        [
          { KeyConditionExpression: "pk = :v AND s2 = :v", ExpressionAttributeValues: { ":v": { S: "x" } } },
          "Query condition missed key schema element: sk",
        ],
        [
          { KeyConditionExpression: "pk > :v", ExpressionAttributeValues: { ":v": { S: "x" } } },
          "Query key condition not supported",
        ],
        [
          { KeyConditionExpression: "begins_with(pk, :v)", ExpressionAttributeValues: { ":v": { S: "x" } } },
          "Query key condition not supported",
        ],
        [
          { KeyConditionExpression: "pk = :v", ExpressionAttributeValues: { ":v": { N: "1" } } },
          `${INVALID}Condition parameter type does not match schema type`,
        ],
        [
          {
            KeyConditions: {
              pk: { ComparisonOperator: "EQ", AttributeValueList: [{ S: "x" }] },
              sk: { ComparisonOperator: "NE", AttributeValueList: [{ S: "x" }] },
            },
          },
          "Attempted conditional constraint is not an indexable operation",
        ],
        [
          { KeyConditionExpression: "pk = :v OR sk = :v", ExpressionAttributeValues: { ":v": { S: "x" } } },
          "Invalid operator used in KeyConditionExpression: OR",
        ],
        [
          { KeyConditionExpression: "", ExpressionAttributeValues: { ":v": { S: "x" } } },
          "Invalid KeyConditionExpression: The expression can not be empty;",
        ],
        [
          {
            KeyConditionExpression: "pk = :v",
            ExpressionAttributeValues: { ":v": { S: "x" } },
            ExpressionAttributeNames: { "#unused": "a" },
          },
          "Value provided in ExpressionAttributeNames unused in expressions: keys: {#unused}",
        ],
        [
          {
            KeyConditionExpression: "pk = :v",
            ExpressionAttributeValues: { ":v": { S: "x" } },
            KeyConditions: { pk: { ComparisonOperator: "EQ", AttributeValueList: [{ S: "x" }] } },
          },
          "Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {KeyConditions} Expression parameters: {KeyConditionExpression}",
        ],
      ];
      for (const [input, text] of cases) await rejects(query(input), VALIDATION, text);
      await rejects(
        query(
          { KeyConditionExpression: "pk = :v AND sk = :v", ExpressionAttributeValues: { ":v": { S: "x" } } },
          () => hashTable,
        ),
        VALIDATION,
        "Query key condition not supported",
      );
    });

    it("an index's key schema: the GSI's hash key, the LSI's sort key", async () => {
      await rejects(
        query({ ...byPk, IndexName: "gsi_all" }),
        VALIDATION,
        "Query condition missed key schema element: g",
      );
      await rejects(
        query({
          IndexName: "lsi_all",
          KeyConditionExpression: "pk = :p AND sk = :p",
          ExpressionAttributeValues: { ":p": { S: "x" } },
        }),
        VALIDATION,
        "Query condition missed key schema element: n",
      );
    });

    it("Limit below 1 (Query's own text; Scan's is coral's)", async () => {
      await rejects(
        query({ ...byPk, Limit: 0 }),
        VALIDATION,
        "1 validation error detected: Value at 'Limit' failed to satisfy constraint: Member must have value greater than or equal to 1",
      );
      await rejects(
        scan({ Limit: 0 }),
        VALIDATION,
        "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1",
      );
    });
  });

  describe("filters and projections on key attributes", () => {
    it("a Query filter may not name the queried key", async () => {
      await rejects(
        query({
          KeyConditionExpression: "pk = :p",
          FilterExpression: "sk = :p",
          ExpressionAttributeValues: { ":p": { S: "x" } },
        }),
        VALIDATION,
        "Filter Expression can only contain non-primary key attributes: Primary key attribute: sk",
      );
      await rejects(
        query({
          KeyConditions: { pk: { ComparisonOperator: "EQ", AttributeValueList: [{ S: "x" }] } },
          QueryFilter: { pk: { ComparisonOperator: "EQ", AttributeValueList: [{ S: "x" }] } },
        }),
        VALIDATION,
        "QueryFilter can only contain non-primary key attributes: Primary key attribute: pk",
      );
      // On a GSI the table's sort key is an ordinary attribute; the index's is not.
      await query({
        IndexName: "gsi_all",
        KeyConditionExpression: "g = :p",
        FilterExpression: "sk = :p",
        ExpressionAttributeValues: { ":p": { S: "x" } },
      });
      await rejects(
        query({
          IndexName: "gsi_all",
          KeyConditionExpression: "g = :p",
          FilterExpression: "n > :n",
          ExpressionAttributeValues: { ":p": { S: "x" }, ":n": { N: "1" } },
        }),
        VALIDATION,
        "Filter Expression can only contain non-primary key attributes: Primary key attribute: n",
      );
    });

    it("paths into key attributes", async () => {
      await rejects(
        scan({ ProjectionExpression: "pk.a" }),
        VALIDATION,
        "Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: Key: pk",
      );
      await rejects(
        scan({ FilterExpression: "attribute_exists(#g[0])", ExpressionAttributeNames: { "#g": "g" } }),
        VALIDATION,
        "Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: IndexKey: g",
      );
      await rejects(
        query({ ...byPk, FilterExpression: "s3.x = :p" }),
        VALIDATION,
        "Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: IndexKey: s3",
      );
    });
  });

  describe("ExclusiveStartKey", () => {
    const start = (key: Record<string, unknown>) => ({ ExclusiveStartKey: key as never });

    it("bad values, with or without DynamoDB's prefix", async () => {
      await rejects(
        query({ ...byPk, ...start({ pk: { NULL: false } }) }),
        VALIDATION,
        `The provided starting key is invalid: ${INVALID}Null attribute value types must have the value of true`,
      );
      await rejects(
        scan(start({ pk: { N: "abc" } })),
        VALIDATION,
        "The parameter cannot be converted to a numeric value: abc",
      );
      await rejects(
        scan(start({ pk: { SS: ["a", "a"] } })),
        VALIDATION,
        `${INVALID}Input collection [a, a] contains duplicates.`,
      );
    });

    it("Query: attributes that do not make the key", async () => {
      await rejects(
        query({ ...byPk, ...start({ pk: { S: "x" } }) }),
        VALIDATION,
        "The provided starting key is invalid",
      );
      await rejects(
        query({ ...byPk, ...start({ pk: { S: "x" }, other1: { S: "x" } }) }),
        VALIDATION,
        "The provided starting key is invalid",
      );
      await rejects(
        query({ ...byPk, ...start({ pk: { N: "1" }, sk: { S: "x" } }) }),
        VALIDATION,
        "The provided key element does not match the schema",
      );
      // The hash condition is judged before the range attribute of the start key.
      await rejects(
        query({
          KeyConditionExpression: "sk = :p",
          ExpressionAttributeValues: { ":p": { S: "x" } },
          ...start({ pk: { S: "x" }, sk: { N: "1" } }),
        }),
        VALIDATION,
        "Query condition missed key schema element: pk",
      );
      await rejects(
        query({ ...byPk, ...start({ pk: { S: "x" }, sk: { N: "1" } }) }),
        VALIDATION,
        "The provided key element does not match the schema",
      );
      // An index read needs the table's key too.
      await rejects(
        query({
          IndexName: "lsi_all",
          ...byPk,
          ...start({ pk: { S: "x" }, n: { N: "1" } }),
        }),
        VALIDATION,
        "The provided starting key is invalid",
      );
      await rejects(
        query({
          IndexName: "lsi_all",
          ...byPk,
          ...start({ pk: { S: "x" }, n: { N: "1" }, s2: { S: "x" } }),
        }),
        VALIDATION,
        "The provided starting key is invalid: The provided key element does not match the schema",
      );
      await rejects(
        query({ IndexName: "lsi_all", ...byPk, ...start({ pk: { S: "x" }, sk: { N: "1" }, n: { N: "1" } }) }),
        VALIDATION,
        "The provided starting key is invalid: The provided key element does not match the schema",
      );
      await rejects(
        query({ ...byPk, ...start({ pk: { S: "x" }, sk: { S: "" } }) }),
        VALIDATION,
        "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: sk",
      );
    });

    it("Query: a start key outside the query", async () => {
      await rejects(
        query({ ...byPk, ...start({ pk: { S: "y" }, sk: { S: "x" } }) }),
        VALIDATION,
        "The provided starting key is outside query boundaries based on provided conditions",
      );
      await rejects(
        query({
          KeyConditionExpression: "pk = :p AND sk > :s",
          ExpressionAttributeValues: { ":p": { S: "x" }, ":s": { S: "m" } },
          ...start({ pk: { S: "x" }, sk: { S: "a" } }),
        }),
        VALIDATION,
        "The provided starting key does not match the range key predicate",
      );
      await rejects(
        query({
          KeyConditionExpression: "pk = :p AND sk > :s",
          ExpressionAttributeValues: { ":p": { S: "x" }, ":s": { S: "m" } },
          ...start({ pk: { S: "y" }, sk: { S: "z" } }),
        }),
        VALIDATION,
        "The query can return at most one row and cannot be restarted",
      );
    });

    it("Scan: the table's key, an index's key, the segment", async () => {
      const schema =
        "The provided starting key is invalid: The provided key element does not match the schema";
      await rejects(scan(start({ pk: { S: "x" } })), VALIDATION, schema);
      await rejects(scan(start({ pk: { N: "1" }, sk: { S: "x" } })), VALIDATION, schema);
      await rejects(scan(start({ pk: { S: "x" }, other1: { S: "x" } })), VALIDATION, schema);
      await rejects(
        scan(start({ pk: { S: "" } }), () => hashTable),
        VALIDATION,
        "The provided starting key is invalid: One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk",
      );
      await rejects(
        scan({ IndexName: "gsi_all", ...start({ pk: { S: "x" }, sk: { S: "x" }, g: { S: "x" } }) }),
        VALIDATION,
        "The provided starting key is invalid",
      );
      await rejects(
        scan({
          IndexName: "gsi_all",
          ...start({ pk: { S: "x" }, sk: { S: "x" }, g: { S: "x" }, n: { S: "1" } }),
        }),
        VALIDATION,
        "The provided key element does not match the schema",
      );
      await rejects(
        scan({
          IndexName: "gsi_all",
          ...start({ pk: { N: "1" }, sk: { S: "x" }, g: { S: "x" }, n: { N: "1" } }),
        }),
        VALIDATION,
        schema,
      );
    });

    it("Scan: a start key from another segment", async () => {
      // With two segments, one of a, b, c lies in the other segment than the others... find a pair.
      const segments = await Promise.all(
        [0, 1].map((segment) => scan({ Segment: segment, TotalSegments: 2 }, () => hashTable)),
      );
      const from = segments.findIndex((page) => (page.Items?.length ?? 0) > 0);
      const item = segments[from]?.Items?.[0];
      const other = 1 - from;
      await rejects(
        scan({ Segment: other, TotalSegments: 2, ...start({ pk: item?.pk }) }, () => hashTable),
        VALIDATION,
        `The provided starting key is invalid: Invalid ExclusiveStartKey. Please use ExclusiveStartKey with correct Segment. TotalSegments: 2 Segment: ${other}`,
      );
    });
  });

  describe("Scan segments", () => {
    it("Segment and TotalSegments go together, Segment below TotalSegments", async () => {
      await rejects(
        scan({ Segment: 0 }),
        VALIDATION,
        "The TotalSegments parameter is required but was not present in the request when Segment parameter is present",
      );
      await rejects(
        scan({ TotalSegments: 4 }),
        VALIDATION,
        "The Segment parameter is required but was not present in the request when parameter TotalSegments is present",
      );
      await rejects(
        scan({ Segment: 5, TotalSegments: 5 }),
        VALIDATION,
        "The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: 5 is not less than TotalSegments: 5",
      );
      await rejects(
        scan({ Segment: -1, TotalSegments: 4 }),
        VALIDATION,
        "1 validation error detected: Value '-1' at 'segment' failed to satisfy constraint: Member must have value greater than or equal to 0",
      );
    });

    it("numbers sorted as numbers are checked against the schema", async () => {
      await rejects(
        query(
          {
            KeyConditionExpression: "pk = :p AND sk > :s",
            ExpressionAttributeValues: { ":p": { S: "x" }, ":s": { S: "1" } },
          },
          () => numbered,
        ),
        VALIDATION,
        `${INVALID}Condition parameter type does not match schema type`,
      );
    });
  });
});
