// ValidationException for the model's constraints, DynamoDB's words as recorded. Sources:
// - dynalite: architect/dynalite test/<operation>.js `validations` blocks (recorded on DynamoDB
//   2013–2023; it compares multi-violation messages as sets, so the order here is ours, the texts AWS's);
// - conformance: nubo-db/dynamodb-conformance tests/tier3 (captured on DynamoDB in 2026; exact strings).
// Where the two disagree the 2026 capture wins (table names, Query Limit, empty RequestItems).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { validateInput } from "../../../src/aws/validation/index.ts";
import {
  assertValid,
  assertValidation,
  assertViolations,
  lengthAtLeast,
  lengthAtMost,
  NOT_NULL,
  oneOf,
  TABLE_PATTERN,
  v,
  valueAtLeast,
  valueAtMost,
} from "./helpers.ts";

const LONG_NAME = "a".repeat(256);
const RETURN_VALUES = "ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW";
const COMPARISON = "IN, NULL, BETWEEN, LT, NOT_CONTAINS, EQ, GT, NOT_NULL, NE, LE, BEGINS_WITH, GE, CONTAINS";
const SELECT = "SPECIFIC_ATTRIBUTES, COUNT, ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES";
const TABLE_ARN = "arn:aws:dynamodb:us-east-1:123456789012:table/Music";
const HASH_KEY = [{ AttributeName: "a", KeyType: "HASH" }];

describe("ListTables (dynalite test/listTables.js)", () => {
  it("empty ExclusiveStartTableName", () => {
    assertViolations("ListTables", { ExclusiveStartTableName: "" }, [
      v("", "exclusiveStartTableName", TABLE_PATTERN),
      v("", "exclusiveStartTableName", lengthAtLeast(3)),
    ]);
  });

  it("short ExclusiveStartTableName and high Limit", () => {
    assertViolations("ListTables", { ExclusiveStartTableName: "a;", Limit: 500 }, [
      v("a;", "exclusiveStartTableName", TABLE_PATTERN),
      v("a;", "exclusiveStartTableName", lengthAtLeast(3)),
      v("500", "limit", valueAtMost(100)),
    ]);
  });

  it("long ExclusiveStartTableName", () => {
    assertValidation(
      "ListTables",
      { ExclusiveStartTableName: LONG_NAME },
      `1 validation error detected: Value '${LONG_NAME}' at 'exclusiveStartTableName' failed to satisfy constraint: Member must have length less than or equal to 255`,
    );
  });

  it("low and high Limit", () => {
    assertValidation(
      "ListTables",
      { Limit: 0 },
      "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1",
    );
    assertValidation(
      "ListTables",
      { Limit: 101 },
      "1 validation error detected: Value '101' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 100",
    );
  });

  it("accepts no params, correct types, nulls and random attributes", () => {
    assertValid("ListTables", {});
    assertValid("ListTables", { ExclusiveStartTableName: "aaa", Limit: 100 });
    assertValid("ListTables", { ExclusiveStartTableName: null, Limit: null });
    assertValid("ListTables", { hi: "yo", stuff: "things" });
  });
});

describe("CreateTable", () => {
  it("no TableName (dynalite; conformance 2026)", () => {
    assertValidation(
      "CreateTable",
      {},
      "The parameter 'TableName' is required but was not present in the request",
    );
    assertValidation(
      "CreateTable",
      { KeySchema: [], BillingMode: "x" },
      "The parameter 'TableName' is required but was not present in the request",
    );
  });

  it("short TableName: only the table name is reported (conformance 2026)", () => {
    assertValidation(
      "CreateTable",
      {
        TableName: "ab",
        AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
        KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
        ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
      },
      "1 validation error detected: Value 'ab' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3",
    );
    assertViolations("CreateTable", { TableName: "", KeySchema: [], AttributeDefinitions: [] }, [
      v("", "tableName", TABLE_PATTERN),
      v("", "tableName", lengthAtLeast(3)),
    ]);
    assertViolations("CreateTable", { TableName: "x!", KeySchema: [], BillingMode: "x" }, [
      v("x!", "tableName", TABLE_PATTERN),
      v("x!", "tableName", lengthAtLeast(3)),
    ]);
    assertViolations("CreateTable", { TableName: LONG_NAME, KeySchema: [] }, [
      v(LONG_NAME, "tableName", lengthAtMost(255)),
    ]);
  });

  it("a table ARN is not held to the name pattern", () => {
    assertValid("CreateTable", { TableName: TABLE_ARN, KeySchema: HASH_KEY });
  });

  it("empty ProvisionedThroughput (dynalite)", () => {
    assertViolations(
      "CreateTable",
      { TableName: "abc", AttributeDefinitions: [], ProvisionedThroughput: {} },
      [
        v(null, "provisionedThroughput.readCapacityUnits", NOT_NULL),
        v(null, "provisionedThroughput.writeCapacityUnits", NOT_NULL),
      ],
    );
  });

  it("low ProvisionedThroughput and empty KeySchema (dynalite)", () => {
    assertViolations(
      "CreateTable",
      {
        TableName: "abc",
        AttributeDefinitions: [],
        KeySchema: [],
        ProvisionedThroughput: { ReadCapacityUnits: -1, WriteCapacityUnits: -1 },
      },
      [
        v("[]", "keySchema", lengthAtLeast(1)),
        v("-1", "provisionedThroughput.readCapacityUnits", valueAtLeast(1)),
        v("-1", "provisionedThroughput.writeCapacityUnits", valueAtLeast(1)),
      ],
    );
  });

  it("key element names; out-of-bounds capacity is left to the operation (dynalite)", () => {
    assertViolations(
      "CreateTable",
      {
        TableName: "abc",
        AttributeDefinitions: [],
        KeySchema: [{ KeyType: "HASH" }, { AttributeName: "a" }, { KeyType: "Woop", AttributeName: "a" }],
        ProvisionedThroughput: { ReadCapacityUnits: 1000000000001, WriteCapacityUnits: 1000000000001 },
      },
      [
        v(
          "[KeySchemaElement(attributeName=null, keyType=HASH), KeySchemaElement(attributeName=a, keyType=null), KeySchemaElement(attributeName=a, keyType=Woop)]",
          "keySchema",
          lengthAtMost(2),
        ),
        v(null, "keySchema.1.member.attributeName", NOT_NULL),
        v(null, "keySchema.2.member.keyType", NOT_NULL),
        v("Woop", "keySchema.3.member.keyType", oneOf("HASH, RANGE")),
      ],
    );
  });

  it("more than 2 KeySchema elements (conformance 2026, exact)", () => {
    assertValidation(
      "CreateTable",
      {
        TableName: "ct_3keys",
        AttributeDefinitions: [
          { AttributeName: "pk", AttributeType: "S" },
          { AttributeName: "sk", AttributeType: "S" },
          { AttributeName: "extra", AttributeType: "S" },
        ],
        KeySchema: [
          { AttributeName: "pk", KeyType: "HASH" },
          { AttributeName: "sk", KeyType: "RANGE" },
          { AttributeName: "extra", KeyType: "RANGE" },
        ],
        ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
      },
      "1 validation error detected: Value '[KeySchemaElement(attributeName=pk, keyType=HASH), KeySchemaElement(attributeName=sk, keyType=RANGE), KeySchemaElement(attributeName=extra, keyType=RANGE)]' at 'keySchema' failed to satisfy constraint: Member must have length less than or equal to 2",
    );
  });

  it("invalid KeyType and AttributeType (conformance 2026, exact)", () => {
    assertValidation(
      "CreateTable",
      {
        TableName: "ct_bad_keytype",
        AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
        KeySchema: [{ AttributeName: "pk", KeyType: "INVALID" }],
        ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
      },
      "1 validation error detected: Value 'INVALID' at 'keySchema.1.member.keyType' failed to satisfy constraint: Member must satisfy enum value set: [HASH, RANGE]",
    );
    assertValidation(
      "CreateTable",
      {
        TableName: "ct_bad_attrtype",
        AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "INVALID" }],
        KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
        ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
      },
      "1 validation error detected: Value 'INVALID' at 'attributeDefinitions.1.member.attributeType' failed to satisfy constraint: Member must satisfy enum value set: [B, N, S]",
    );
  });

  it("attribute definitions: member nulls, SS, random type (dynalite)", () => {
    const rest = {
      TableName: "abc",
      KeySchema: [
        { KeyType: "HASH", AttributeName: "a" },
        { KeyType: "HASH", AttributeName: "a" },
      ],
      ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
    };
    assertViolations("CreateTable", { ...rest, AttributeDefinitions: [{}] }, [
      v(null, "attributeDefinitions.1.member.attributeName", NOT_NULL),
      v(null, "attributeDefinitions.1.member.attributeType", NOT_NULL),
    ]);
    assertValidation(
      "CreateTable",
      { ...rest, AttributeDefinitions: [{ AttributeName: "b", AttributeType: "SS" }] },
      "1 validation error detected: Value 'SS' at 'attributeDefinitions.1.member.attributeType' failed to satisfy constraint: Member must satisfy enum value set: [B, N, S]",
    );
    assertValidation(
      "CreateTable",
      { ...rest, AttributeDefinitions: [{ AttributeName: "b", AttributeType: "a" }] },
      "1 validation error detected: Value 'a' at 'attributeDefinitions.1.member.attributeType' failed to satisfy constraint: Member must satisfy enum value set: [B, N, S]",
    );
    // Structurally valid: the operation's own checks ("Invalid KeySchema: ...") come later.
    assertValid("CreateTable", { ...rest, AttributeDefinitions: [] });
  });

  it("nine empty LocalSecondaryIndexes: ten violations listed (dynalite)", () => {
    const lsi = (n: number) => [
      v(null, `localSecondaryIndexes.${n}.member.indexName`, NOT_NULL),
      v(null, `localSecondaryIndexes.${n}.member.keySchema`, NOT_NULL),
      v(null, `localSecondaryIndexes.${n}.member.projection`, NOT_NULL),
    ];
    assertViolations(
      "CreateTable",
      {
        TableName: "abc",
        AttributeDefinitions: [],
        KeySchema: HASH_KEY,
        LocalSecondaryIndexes: [{}, {}, {}, {}, {}, {}, {}, {}, {}],
        ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
      },
      [...lsi(1), ...lsi(2), ...lsi(3), v(null, "localSecondaryIndexes.4.member.indexName", NOT_NULL)],
    );
  });

  it("bad LocalSecondaryIndex names and projection (dynalite)", () => {
    const base = { TableName: "abc", AttributeDefinitions: [], KeySchema: HASH_KEY };
    assertViolations(
      "CreateTable",
      {
        ...base,
        LocalSecondaryIndexes: [
          { IndexName: "h;", KeySchema: [], Projection: {} },
          { IndexName: LONG_NAME, KeySchema: HASH_KEY, Projection: {} },
        ],
      },
      [
        v("h;", "localSecondaryIndexes.1.member.indexName", TABLE_PATTERN),
        v("h;", "localSecondaryIndexes.1.member.indexName", lengthAtLeast(3)),
        v("[]", "localSecondaryIndexes.1.member.keySchema", lengthAtLeast(1)),
        v(LONG_NAME, "localSecondaryIndexes.2.member.indexName", lengthAtMost(255)),
      ],
    );
    assertViolations(
      "CreateTable",
      {
        ...base,
        LocalSecondaryIndexes: [
          {
            IndexName: "abc",
            KeySchema: HASH_KEY,
            Projection: { NonKeyAttributes: [], ProjectionType: "abc" },
          },
        ],
      },
      [
        v(
          "abc",
          "localSecondaryIndexes.1.member.projection.projectionType",
          oneOf("ALL, INCLUDE, KEYS_ONLY"),
        ),
        v("[]", "localSecondaryIndexes.1.member.projection.nonKeyAttributes", lengthAtLeast(1)),
      ],
    );
  });

  it("bad GlobalSecondaryIndex names and throughput (dynalite)", () => {
    assertViolations(
      "CreateTable",
      {
        TableName: "abc",
        KeySchema: HASH_KEY,
        GlobalSecondaryIndexes: [
          {
            IndexName: "h;",
            KeySchema: [],
            Projection: {},
            ProvisionedThroughput: { ReadCapacityUnits: 0, WriteCapacityUnits: 0 },
          },
          { IndexName: LONG_NAME, KeySchema: HASH_KEY, Projection: {}, ProvisionedThroughput: {} },
        ],
        ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
      },
      [
        v("h;", "globalSecondaryIndexes.1.member.indexName", TABLE_PATTERN),
        v("h;", "globalSecondaryIndexes.1.member.indexName", lengthAtLeast(3)),
        v("[]", "globalSecondaryIndexes.1.member.keySchema", lengthAtLeast(1)),
        v("0", "globalSecondaryIndexes.1.member.provisionedThroughput.readCapacityUnits", valueAtLeast(1)),
        v("0", "globalSecondaryIndexes.1.member.provisionedThroughput.writeCapacityUnits", valueAtLeast(1)),
        v(LONG_NAME, "globalSecondaryIndexes.2.member.indexName", lengthAtMost(255)),
        v(null, "globalSecondaryIndexes.2.member.provisionedThroughput.readCapacityUnits", NOT_NULL),
        v(null, "globalSecondaryIndexes.2.member.provisionedThroughput.writeCapacityUnits", NOT_NULL),
      ],
    );
  });

  it("nine empty GlobalSecondaryIndexes: ten violations listed (dynalite)", () => {
    const gsi = (n: number) => [
      v(null, `globalSecondaryIndexes.${n}.member.indexName`, NOT_NULL),
      v(null, `globalSecondaryIndexes.${n}.member.keySchema`, NOT_NULL),
      v(null, `globalSecondaryIndexes.${n}.member.projection`, NOT_NULL),
    ];
    assertViolations(
      "CreateTable",
      { TableName: "abc", KeySchema: HASH_KEY, GlobalSecondaryIndexes: [{}, {}, {}, {}, {}, {}, {}, {}, {}] },
      [...gsi(1), ...gsi(2), ...gsi(3), v(null, "globalSecondaryIndexes.4.member.indexName", NOT_NULL)],
    );
  });

  it("invalid BillingMode on its own (conformance 2026)", () => {
    assertValidation(
      "CreateTable",
      {
        TableName: "_conformance_badbilling",
        AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
        KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
        BillingMode: "INVALID_MODE",
      },
      "1 validation error detected: Value 'INVALID_MODE' at 'billingMode' failed to satisfy constraint: Member must satisfy enum value set: [PROVISIONED, PAY_PER_REQUEST]",
    );
  });
});

describe("DescribeTable, DeleteTable", () => {
  it("no TableName (dynalite)", () => {
    for (const operation of ["DescribeTable", "DeleteTable", "UpdateTable", "DescribeTimeToLive"]) {
      assertValidation(
        operation,
        {},
        "The parameter 'TableName' is required but was not present in the request",
      );
    }
  });

  it("bad names are judged alone", () => {
    assertViolations("DeleteTable", { TableName: "a;" }, [
      v("a;", "tableName", TABLE_PATTERN),
      v("a;", "tableName", lengthAtLeast(3)),
    ]);
    assertValid("DescribeTable", { TableName: TABLE_ARN });
  });
});

describe("PutItem", () => {
  it("no TableName and no Item (dynalite)", () => {
    assertViolations("PutItem", {}, [v(null, "tableName", NOT_NULL), v(null, "item", NOT_NULL)]);
  });

  it("missing table name, full string (conformance 2026)", () => {
    assertValidation(
      "PutItem",
      { Item: { pk: { S: "test" } } },
      "1 validation error detected: Value null at 'tableName' failed to satisfy constraint: Member must not be null",
    );
  });

  it("empty table name: the ARN-or-name member's minimum length 1 (conformance 2026)", () => {
    assertValidation(
      "PutItem",
      { TableName: "", Item: { pk: { S: "test" } } },
      "1 validation error detected: Value '' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
  });

  it("a table name too long, or with invalid characters (conformance 2026)", () => {
    assertValidation(
      "PutItem",
      { TableName: LONG_NAME, Item: { pk: { S: "test" } } },
      `1 validation error detected: Value '${LONG_NAME}' at 'tableName' failed to satisfy constraint: Member must have length less than or equal to 255`,
    );
    assertValidation(
      "PutItem",
      { TableName: "bad table!@#", Item: { pk: { S: "test" } } },
      "1 validation error detected: Value 'bad table!@#' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+",
    );
    assertValid("PutItem", { TableName: TABLE_ARN, Item: { pk: { S: "test" } } });
  });

  it("short TableName and no Item (dynalite)", () => {
    assertViolations("PutItem", { TableName: "a;" }, [
      v("a;", "tableName", TABLE_PATTERN),
      v("a;", "tableName", lengthAtLeast(3)),
      v(null, "item", NOT_NULL),
    ]);
  });

  it("incorrect attributes: enums in AWS's order (dynalite)", () => {
    assertViolations(
      "PutItem",
      {
        TableName: "abc;",
        ReturnConsumedCapacity: "hi",
        ReturnItemCollectionMetrics: "hi",
        ReturnValues: "hi",
      },
      [
        v("abc;", "tableName", TABLE_PATTERN),
        v(null, "item", NOT_NULL),
        v("hi", "returnValues", oneOf(RETURN_VALUES)),
        v("hi", "returnConsumedCapacity", oneOf("INDEXES, TOTAL, NONE")),
        v("hi", "returnItemCollectionMetrics", oneOf("SIZE, NONE")),
      ],
    );
  });

  it("Expected conditions and ConditionalOperator (dynalite enum sets)", () => {
    assertViolations(
      "PutItem",
      {
        TableName: "abc",
        Item: {},
        Expected: { a: { ComparisonOperator: "XX" } },
        ConditionalOperator: "AN",
      },
      [
        v("XX", "expected.a.member.comparisonOperator", oneOf(COMPARISON)),
        v("AN", "conditionalOperator", oneOf("OR, AND")),
      ],
    );
  });

  it("leaves AttributeValue contents to the operation", () => {
    // "Supplied AttributeValue is empty ..." and friends are DynamoDB's own checks, made later.
    assertValid("PutItem", { TableName: "abc", Item: { a: {}, b: { S: "a", N: "1" }, c: { NULL: false } } });
  });
});

describe("BatchWriteItem", () => {
  const ENUMS = [
    v("hi", "returnConsumedCapacity", oneOf("INDEXES, TOTAL, NONE")),
    v("hi", "returnItemCollectionMetrics", oneOf("SIZE, NONE")),
  ];
  const KEYS =
    "Map keys must satisfy constraint: [Member must have length less than or equal to 255, Member must have length greater than or equal to 3, Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+]";
  const VALUES =
    "Map value must satisfy constraint: [Member must have length less than or equal to 25, Member must have length greater than or equal to 1]";

  it("empty body (dynalite)", () => {
    assertValidation(
      "BatchWriteItem",
      {},
      "1 validation error detected: Value null at 'requestItems' failed to satisfy constraint: Member must not be null",
    );
  });

  it("missing RequestItems with bad enums (dynalite)", () => {
    assertViolations("BatchWriteItem", { ReturnConsumedCapacity: "hi", ReturnItemCollectionMetrics: "hi" }, [
      v(null, "requestItems", NOT_NULL),
      ...ENUMS,
    ]);
  });

  it("empty RequestItems (conformance 2026)", () => {
    assertValidation(
      "BatchWriteItem",
      { RequestItems: {} },
      "The requestItems parameter is required for BatchWriteItem",
    );
  });

  it("short table name and an empty list: judged at the map (dynalite)", () => {
    assertViolations("BatchWriteItem", { RequestItems: { a: [] } }, [
      v("{a=[]}", "requestItems", KEYS),
      v("{a=[]}", "requestItems", VALUES),
    ]);
    assertViolations(
      "BatchWriteItem",
      { RequestItems: { a: [] }, ReturnConsumedCapacity: "hi", ReturnItemCollectionMetrics: "hi" },
      [v("{a=[]}", "requestItems", KEYS), v("{a=[]}", "requestItems", VALUES), ...ENUMS],
    );
  });

  it("incorrect attributes inside the requests (dynalite)", () => {
    assertViolations(
      "BatchWriteItem",
      {
        RequestItems: { "aa;": [{ PutRequest: {}, DeleteRequest: {} }] },
        ReturnConsumedCapacity: "hi",
        ReturnItemCollectionMetrics: "hi",
      },
      [
        v(
          "{aa;=[WriteRequest(putRequest=PutRequest(item=null, workloadProfileName=null), deleteRequest=DeleteRequest(key=null))]}",
          "requestItems",
          KEYS,
        ),
        v(null, "requestItems.aa;.member.1.member.putRequest.item", NOT_NULL),
        v(null, "requestItems.aa;.member.1.member.deleteRequest.key", NOT_NULL),
        ...ENUMS,
      ],
    );
  });

  it("more than 25 requests for a table (dynalite; conformance 2026 pattern)", () => {
    const requests = Array.from({ length: 26 }, (_, i) =>
      i % 2
        ? { DeleteRequest: { Key: { a: { S: String(i) } } } }
        : { PutRequest: { Item: { a: { S: String(i) } } } },
    );
    const message = messageOf("BatchWriteItem", { RequestItems: { abc: requests } });
    assert.match(
      message,
      /^1 validation error detected: Value '\{abc=\[.+\]\}' at 'requestItems' failed to satisfy constraint: Map value must satisfy constraint: \[Member must have length less than or equal to 25, Member must have length greater than or equal to 1\]$/s,
    );
    assert.match(
      message,
      /\{abc=\[WriteRequest\(putRequest=PutRequest\(item=\{a=com\.amazonaws\.dynamodb\.v20120810\.AttributeValue@[0-9a-f]+\}, workloadProfileName=null\), deleteRequest=null\), WriteRequest\(putRequest=null, deleteRequest=DeleteRequest\(key=\{a=com\.amazonaws\.dynamodb\.v20120810\.AttributeValue@[0-9a-f]+\}\)\), /,
    );
  });

  it("short table name with a valid request (dynalite)", () => {
    const message = messageOf("BatchWriteItem", {
      RequestItems: { a: [{ PutRequest: { Item: { a: { S: "a" } } } }] },
    });
    assert.ok(message.startsWith("1 validation error detected: Value '{a=[WriteRequest("), message);
    assert.ok(message.endsWith(`' at 'requestItems' failed to satisfy constraint: ${KEYS}`), message);
  });

  it("a table ARN as the key", () => {
    assertValid("BatchWriteItem", {
      RequestItems: { [TABLE_ARN]: [{ PutRequest: { Item: { a: { S: "a" } } } }] },
    });
  });
});

describe("BatchGetItem (conformance 2026)", () => {
  it("empty RequestItems", () => {
    assertValidation(
      "BatchGetItem",
      { RequestItems: {} },
      "The requestItems parameter is required for BatchGetItem",
    );
  });

  it("more than 100 keys for a table", () => {
    const keys = Array.from({ length: 101 }, (_, i) => ({ pk: { S: `bg-${i}` } }));
    assertValidation(
      "BatchGetItem",
      { RequestItems: { Music: { Keys: keys } } },
      "1 validation error detected: Value at 'RequestItems.Music.member.Keys' failed to satisfy constraint: Member must have length less than or equal to 100",
    );
    assertValid("BatchGetItem", { RequestItems: { Music: { Keys: keys.slice(0, 100) } } });
  });

  it("no RequestItems (dynalite)", () => {
    assertValidation(
      "BatchGetItem",
      {},
      "1 validation error detected: Value null at 'requestItems' failed to satisfy constraint: Member must not be null",
    );
  });
});

describe("Query", () => {
  it("no TableName (dynalite)", () => {
    assertValidation(
      "Query",
      {},
      "1 validation error detected: Value null at 'tableName' failed to satisfy constraint: Member must not be null",
    );
  });

  it("Limit of 0: DynamoDB's own wording, no value, capital L (conformance 2026)", () => {
    assertValidation(
      "Query",
      {
        TableName: "abc",
        KeyConditionExpression: "pk = :v",
        ExpressionAttributeValues: { ":v": { S: "val" } },
        Limit: 0,
      },
      "1 validation error detected: Value at 'Limit' failed to satisfy constraint: Member must have value greater than or equal to 1",
    );
  });

  it("invalid Select (conformance 2026)", () => {
    assertValidation(
      "Query",
      { TableName: "abc", KeyConditionExpression: "pk = :v", Select: "INVALID_VALUE" },
      `1 validation error detected: Value 'INVALID_VALUE' at 'select' failed to satisfy constraint: Member must satisfy enum value set: [${SELECT}]`,
    );
  });

  it("IndexName constraints (dynalite)", () => {
    assertViolations("Query", { TableName: "abc", IndexName: "" }, [
      v("", "indexName", TABLE_PATTERN),
      v("", "indexName", lengthAtLeast(3)),
    ]);
    assertValidation(
      "Query",
      { TableName: "abc", IndexName: LONG_NAME },
      `1 validation error detected: Value '${LONG_NAME}' at 'indexName' failed to satisfy constraint: Member must have length less than or equal to 255`,
    );
  });

  it("incorrect attributes: ten listed, Limit left to DynamoDB (dynalite texts)", () => {
    assertViolations(
      "Query",
      {
        TableName: "abc;",
        ReturnConsumedCapacity: "hi",
        AttributesToGet: [],
        IndexName: "abc;",
        Select: "hi",
        Limit: -1,
        KeyConditions: { a: {}, b: { ComparisonOperator: "" } },
        ConditionalOperator: "AN",
        QueryFilter: { a: {}, b: { ComparisonOperator: "" } },
      },
      [
        v("abc;", "tableName", TABLE_PATTERN),
        v("abc;", "indexName", TABLE_PATTERN),
        v("hi", "select", oneOf(SELECT)),
        v("[]", "attributesToGet", lengthAtLeast(1)),
        v(null, "keyConditions.a.member.comparisonOperator", NOT_NULL),
        v("", "keyConditions.b.member.comparisonOperator", oneOf(COMPARISON)),
        v(null, "queryFilter.a.member.comparisonOperator", NOT_NULL),
        v("", "queryFilter.b.member.comparisonOperator", oneOf(COMPARISON)),
        v("AN", "conditionalOperator", oneOf("OR, AND")),
        v("hi", "returnConsumedCapacity", oneOf("INDEXES, TOTAL, NONE")),
      ],
    );
  });

  it("more than 255 AttributesToGet (dynalite's bound, absent from the model)", () => {
    const names = Array.from({ length: 256 }, (_, i) => `a${i}`);
    const message = messageOf("Query", { TableName: "abc", AttributesToGet: names });
    assert.equal(
      message,
      `1 validation error detected: Value '[${names.join(", ")}]' at 'attributesToGet' failed to satisfy constraint: Member must have length less than or equal to 255`,
    );
  });
});

describe("Scan", () => {
  it("Limit of 0 (conformance 2026, exact)", () => {
    assertValidation(
      "Scan",
      { TableName: "abc", Limit: 0 },
      "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1",
    );
  });

  it("incorrect attributes (dynalite texts)", () => {
    assertViolations(
      "Scan",
      {
        TableName: "abc;",
        ReturnConsumedCapacity: "hi",
        AttributesToGet: [],
        IndexName: "abc;",
        Segment: -1,
        TotalSegments: -1,
        Select: "hi",
        Limit: -1,
        ScanFilter: { a: {}, b: { ComparisonOperator: "" } },
        ConditionalOperator: "AN",
      },
      [
        v("abc;", "tableName", TABLE_PATTERN),
        v("abc;", "indexName", TABLE_PATTERN),
        v("[]", "attributesToGet", lengthAtLeast(1)),
        v("-1", "limit", valueAtLeast(1)),
        v("hi", "select", oneOf(SELECT)),
        v(null, "scanFilter.a.member.comparisonOperator", NOT_NULL),
        v("", "scanFilter.b.member.comparisonOperator", oneOf(COMPARISON)),
        v("AN", "conditionalOperator", oneOf("OR, AND")),
        v("hi", "returnConsumedCapacity", oneOf("INDEXES, TOTAL, NONE")),
        v("-1", "totalSegments", valueAtLeast(1)),
      ],
    );
  });

  it("segments beyond the model's bounds", () => {
    assertViolations("Scan", { TableName: "abc", Segment: 1000000, TotalSegments: 1000001 }, [
      v("1000001", "totalSegments", valueAtMost(1000000)),
      v("1000000", "segment", valueAtMost(999999)),
    ]);
    assertValid("Scan", { TableName: "abc", Segment: 0, TotalSegments: 1 });
  });
});

describe("UpdateItem, DeleteItem, GetItem", () => {
  it("no TableName and no Key", () => {
    for (const operation of ["UpdateItem", "DeleteItem", "GetItem"]) {
      assertViolations(operation, {}, [v(null, "tableName", NOT_NULL), v(null, "key", NOT_NULL)]);
    }
  });

  it("incorrect attributes (dynalite texts)", () => {
    assertViolations(
      "UpdateItem",
      {
        TableName: "abc;",
        ReturnConsumedCapacity: "hi",
        ReturnItemCollectionMetrics: "hi",
        ReturnValues: "hi",
        Expected: { a: { ComparisonOperator: "" } },
      },
      [
        v("abc;", "tableName", TABLE_PATTERN),
        v(null, "key", NOT_NULL),
        v("", "expected.a.member.comparisonOperator", oneOf(COMPARISON)),
        v("hi", "returnValues", oneOf(RETURN_VALUES)),
        v("hi", "returnConsumedCapacity", oneOf("INDEXES, TOTAL, NONE")),
        v("hi", "returnItemCollectionMetrics", oneOf("SIZE, NONE")),
      ],
    );
  });

  it("accepts a well-formed update", () => {
    assertValid("UpdateItem", {
      TableName: "abc",
      Key: { a: { S: "x" } },
      UpdateExpression: "SET b = :b",
      ExpressionAttributeValues: { ":b": { N: "1" } },
      ReturnValues: "ALL_NEW",
    });
  });
});

describe("scope", () => {
  it("does nothing for operations without input and for other protocols", () => {
    validateInput("dynamodb", "NoSuchOperation", { Limit: "x" });
    validateInput("lambda", "ListFunctions", { MaxItems: "x" });
    validateInput("dynamodb", "DescribeLimits", {});
  });

  it("checks another awsJson service from its model alone", () => {
    assert.throws(
      () => validateInput("logs", "CreateLogGroup", { logGroupName: "a/b!" }),
      (error: Error & { code?: string }) =>
        error.code === "ValidationException" &&
        error.message ===
          "1 validation error detected: Value 'a/b!' at 'logGroupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+",
    );
    validateInput("logs", "CreateLogGroup", { logGroupName: "/aws/lambda/fn" });
  });
});

function messageOf(operation: string, input: Record<string, unknown>): string {
  try {
    validateInput("dynamodb", operation, input);
  } catch (error) {
    return (error as Error).message;
  }
  assert.fail("passed validation");
}
