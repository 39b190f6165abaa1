// SerializationException for JSON values of the wrong type, DynamoDB's texts as recorded by dynalite
// (architect/dynalite test/helpers.js `assertType`, and the `serializations` block of each
// test/<operation>.js naming which member has which type).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadModel } from "../../../src/aws/models/index.ts";
import { encodeJsonError } from "../../../src/aws/protocols/aws-json.ts";
import { validateInput } from "../../../src/aws/validation/index.ts";
import { assertSerialization, assertValid, assertViolations, atPath, v } from "./helpers.ts";

const PACKAGE = "com.amazonaws.dynamodb.v20120810";
const START_OF_STRUCTURE = "Start of structure or map found where not expected";
const CAST =
  "class sun.reflect.generics.reflectiveObjects.ParameterizedTypeImpl cannot be cast to class java.lang.Class " +
  "(sun.reflect.generics.reflectiveObjects.ParameterizedTypeImpl and java.lang.Class are in module java.base " +
  "of loader 'bootstrap')";
const SCALARS: unknown[] = ["23", true, 23, -2147483648, 2147483648, 34.56];

/** dynalite's table: for a member of this type, each JSON value and the text DynamoDB answers. */
function expectations(type: string): [unknown, string][] {
  const generic = /^(\w+)<(.+)>$/.exec(type);
  const base = generic?.[1] ?? type;
  const sub = generic?.[2] ?? "";
  const scalarsSay = (text: string): [unknown, string][] => SCALARS.map((value) => [value, text]);
  switch (base) {
    case "String":
      return [
        [true, "TRUE_VALUE cannot be converted to String"],
        [false, "FALSE_VALUE cannot be converted to String"],
        [23, "NUMBER_VALUE cannot be converted to String"],
        [-2147483648, "NUMBER_VALUE cannot be converted to String"],
        [2147483648, "NUMBER_VALUE cannot be converted to String"],
        [34.56, "DECIMAL_VALUE cannot be converted to String"],
        [[], "Unrecognized collection type class java.lang.String"],
        [{}, START_OF_STRUCTURE],
      ];
    case "Boolean":
      return [
        ["23", "Unexpected token received from parser"],
        [23, "NUMBER_VALUE cannot be converted to Boolean"],
        [-2147483648, "NUMBER_VALUE cannot be converted to Boolean"],
        [2147483648, "NUMBER_VALUE cannot be converted to Boolean"],
        [34.56, "DECIMAL_VALUE cannot be converted to Boolean"],
        [[], "Unrecognized collection type class java.lang.Boolean"],
        [{}, START_OF_STRUCTURE],
      ];
    case "Integer":
    case "Long":
      return [
        ["23", `STRING_VALUE cannot be converted to ${base}`],
        [true, `TRUE_VALUE cannot be converted to ${base}`],
        [false, `FALSE_VALUE cannot be converted to ${base}`],
        [[], `Unrecognized collection type class java.lang.${base}`],
        [{}, START_OF_STRUCTURE],
      ];
    case "Blob":
      return [
        [true, "only base-64-encoded strings are convertible to bytes"],
        [23, "only base-64-encoded strings are convertible to bytes"],
        [-2147483648, "only base-64-encoded strings are convertible to bytes"],
        [2147483648, "only base-64-encoded strings are convertible to bytes"],
        [34.56, "only base-64-encoded strings are convertible to bytes"],
        [[], "Unrecognized collection type class java.nio.ByteBuffer"],
        [{}, START_OF_STRUCTURE],
        ["23456", "Base64 encoded length is expected a multiple of 4 bytes but found: 5"],
        ["=+/=", "Invalid last non-pad Base64 character dectected"],
        ["+/+=", "Invalid last non-pad Base64 character dectected"],
      ];
    case "List":
      return [...scalarsSay("Unexpected field type"), [{}, START_OF_STRUCTURE]];
    case "ParameterizedList":
      return [...scalarsSay(CAST), [{}, START_OF_STRUCTURE]];
    case "Map":
      return [
        ...scalarsSay("Unexpected field type"),
        [
          [],
          `Unrecognized collection type java.util.Map<java.lang.String, ${sub.includes(".") ? sub : `${PACKAGE}.${sub}`}>`,
        ],
      ];
    case "ParameterizedMap":
      return [
        ...scalarsSay(CAST),
        [[], `Unrecognized collection type java.util.Map<java.lang.String, ${PACKAGE}.AttributeValue>`],
      ];
    case "ValueStruct":
      return [
        ...scalarsSay("Unexpected value type in payload"),
        [[], `Unrecognized collection type class ${PACKAGE}.${sub}`],
      ];
    case "FieldStruct":
      return [
        ...scalarsSay("Unexpected field type"),
        [[], `Unrecognized collection type class ${PACKAGE}.${sub}`],
      ];
    default:
      throw new Error(`unknown type ${type}`);
  }
}

/** dynalite's AttrStruct<X>: an AttributeValue at `path` and the members inside it. */
function attributeValueCases(path: string, position: string): [string, string][] {
  return [
    [path, `${position}<AttributeValue>`],
    [`${path}.S`, "String"],
    [`${path}.N`, "String"],
    [`${path}.B`, "Blob"],
    [`${path}.BOOL`, "Boolean"],
    [`${path}.NULL`, "Boolean"],
    [`${path}.SS`, "List"],
    [`${path}.SS.0`, "String"],
    [`${path}.NS`, "List"],
    [`${path}.NS.0`, "String"],
    [`${path}.BS`, "List"],
    [`${path}.BS.0`, "Blob"],
    [`${path}.L`, "List"],
    [`${path}.L.0`, "ValueStruct<AttributeValue>"],
    [`${path}.L.0.BS`, "List"],
    [`${path}.L.0.BS.0`, "Blob"],
    [`${path}.M`, "Map<AttributeValue>"],
    [`${path}.M.a`, "ValueStruct<AttributeValue>"],
    [`${path}.M.a.BS`, "List"],
    [`${path}.M.a.BS.0`, "Blob"],
  ];
}

/** The members each dynalite test/<operation>.js checks, with the type it gives them. */
const MEMBERS: Record<string, [string, string][]> = {
  CreateTable: [
    ["TableName", "String"],
    ["AttributeDefinitions", "List"],
    ["KeySchema", "List"],
    ["LocalSecondaryIndexes", "List"],
    ["GlobalSecondaryIndexes", "List"],
    ["ProvisionedThroughput", "FieldStruct<ProvisionedThroughput>"],
    ["ProvisionedThroughput.WriteCapacityUnits", "Long"],
    ["ProvisionedThroughput.ReadCapacityUnits", "Long"],
    ["KeySchema.0", "ValueStruct<KeySchemaElement>"],
    ["KeySchema.0.KeyType", "String"],
    ["KeySchema.0.AttributeName", "String"],
    ["AttributeDefinitions.0", "ValueStruct<AttributeDefinition>"],
    ["AttributeDefinitions.0.AttributeName", "String"],
    ["AttributeDefinitions.0.AttributeType", "String"],
    ["LocalSecondaryIndexes.0", "ValueStruct<LocalSecondaryIndex>"],
    ["LocalSecondaryIndexes.0.IndexName", "String"],
    ["LocalSecondaryIndexes.0.KeySchema", "List"],
    ["LocalSecondaryIndexes.0.Projection", "FieldStruct<Projection>"],
    ["LocalSecondaryIndexes.0.KeySchema.0", "ValueStruct<KeySchemaElement>"],
    ["LocalSecondaryIndexes.0.KeySchema.0.AttributeName", "String"],
    ["LocalSecondaryIndexes.0.KeySchema.0.KeyType", "String"],
    ["LocalSecondaryIndexes.0.Projection.NonKeyAttributes", "List"],
    ["LocalSecondaryIndexes.0.Projection.ProjectionType", "String"],
    ["LocalSecondaryIndexes.0.Projection.NonKeyAttributes.0", "String"],
    ["GlobalSecondaryIndexes.0", "ValueStruct<GlobalSecondaryIndex>"],
    ["GlobalSecondaryIndexes.0.IndexName", "String"],
    ["GlobalSecondaryIndexes.0.KeySchema", "List"],
    ["GlobalSecondaryIndexes.0.Projection", "FieldStruct<Projection>"],
    ["GlobalSecondaryIndexes.0.KeySchema.0", "ValueStruct<KeySchemaElement>"],
    ["GlobalSecondaryIndexes.0.ProvisionedThroughput", "FieldStruct<ProvisionedThroughput>"],
    ["GlobalSecondaryIndexes.0.ProvisionedThroughput.WriteCapacityUnits", "Long"],
    ["GlobalSecondaryIndexes.0.ProvisionedThroughput.ReadCapacityUnits", "Long"],
    ["BillingMode", "String"],
  ],
  PutItem: [
    ["TableName", "String"],
    ["Item", "Map<AttributeValue>"],
    ...attributeValueCases("Item.Attr", "ValueStruct"),
    ["Expected", "Map<ExpectedAttributeValue>"],
    ["Expected.Attr", "ValueStruct<ExpectedAttributeValue>"],
    ["Expected.Attr.Exists", "Boolean"],
    ...attributeValueCases("Expected.Attr.Value", "FieldStruct"),
    ["ReturnConsumedCapacity", "String"],
    ["ReturnItemCollectionMetrics", "String"],
    ["ReturnValues", "String"],
    ["ConditionExpression", "String"],
    ["ExpressionAttributeValues", "Map<AttributeValue>"],
    ...attributeValueCases("ExpressionAttributeValues.Attr", "ValueStruct"),
    ["ExpressionAttributeNames", "Map<java.lang.String>"],
    ["ExpressionAttributeNames.Attr", "String"],
  ],
  Query: [
    ["ExclusiveStartKey", "Map<AttributeValue>"],
    ...attributeValueCases("ExclusiveStartKey.Attr", "ValueStruct"),
    ["AttributesToGet", "List"],
    ["ConsistentRead", "Boolean"],
    ["QueryFilter", "Map<Condition>"],
    ["QueryFilter.Attr", "ValueStruct<Condition>"],
    ["QueryFilter.Attr.ComparisonOperator", "String"],
    ["QueryFilter.Attr.AttributeValueList", "List"],
    ...attributeValueCases("QueryFilter.Attr.AttributeValueList.0", "ValueStruct"),
    ["IndexName", "String"],
    ["ScanIndexForward", "Boolean"],
    ["Select", "String"],
    ["Limit", "Integer"],
    ["ConditionalOperator", "String"],
    ["KeyConditions", "Map<Condition>"],
    ["KeyConditions.Attr", "ValueStruct<Condition>"],
    ["KeyConditionExpression", "String"],
    ["FilterExpression", "String"],
    ["ProjectionExpression", "String"],
  ],
  Scan: [
    ["Segment", "Integer"],
    ["TotalSegments", "Integer"],
    ["Limit", "Integer"],
    ["ScanFilter", "Map<Condition>"],
    ["ScanFilter.Attr", "ValueStruct<Condition>"],
    ["ScanFilter.Attr.AttributeValueList", "List"],
    ["ConsistentRead", "Boolean"],
  ],
  UpdateItem: [
    ["Key", "Map<AttributeValue>"],
    ...attributeValueCases("Key.Attr", "ValueStruct"),
    ["AttributeUpdates", "Map<AttributeValueUpdate>"],
    ["AttributeUpdates.Attr", "ValueStruct<AttributeValueUpdate>"],
    ["AttributeUpdates.Attr.Action", "String"],
    ...attributeValueCases("AttributeUpdates.Attr.Value", "FieldStruct"),
    ["UpdateExpression", "String"],
  ],
  BatchWriteItem: [
    ["RequestItems", "Map<java.util.List<com.amazonaws.dynamodb.v20120810.WriteRequest>>"],
    ["RequestItems.Attr", "ParameterizedList"],
    ["RequestItems.Attr.0", "ValueStruct<WriteRequest>"],
    ["RequestItems.Attr.0.DeleteRequest", "FieldStruct<DeleteRequest>"],
    ["RequestItems.Attr.0.DeleteRequest.Key", "Map<AttributeValue>"],
    ...attributeValueCases("RequestItems.Attr.0.DeleteRequest.Key.Attr", "ValueStruct"),
    ["RequestItems.Attr.0.PutRequest", "FieldStruct<PutRequest>"],
    ["RequestItems.Attr.0.PutRequest.Item", "Map<AttributeValue>"],
    ["ReturnConsumedCapacity", "String"],
    ["ReturnItemCollectionMetrics", "String"],
  ],
  BatchGetItem: [
    ["RequestItems", "Map<KeysAndAttributes>"],
    ["RequestItems.Attr", "ValueStruct<KeysAndAttributes>"],
    ["RequestItems.Attr.Keys", "List"],
    ["RequestItems.Attr.Keys.0", "ParameterizedMap"],
    ...attributeValueCases("RequestItems.Attr.Keys.0.Attr", "ValueStruct"),
    ["RequestItems.Attr.AttributesToGet", "List"],
    ["RequestItems.Attr.AttributesToGet.0", "String"],
    ["RequestItems.Attr.ConsistentRead", "Boolean"],
    ["RequestItems.Attr.ExpressionAttributeNames", "Map<java.lang.String>"],
  ],
  ListTables: [
    ["ExclusiveStartTableName", "String"],
    ["Limit", "Integer"],
  ],
  DescribeTable: [["TableName", "String"]],
};

describe("SerializationException texts (dynalite's recorded matrix)", () => {
  for (const [operation, members] of Object.entries(MEMBERS)) {
    it(`${operation}: every member, every wrong JSON type`, () => {
      for (const [path, type] of members) {
        for (const [value, text] of expectations(type)) {
          assertSerialization(operation, atPath(path, value), text);
        }
      }
    });
  }
});

describe("type check order and coercion", () => {
  it("answers the first mismatch in document order, before any constraint", () => {
    assertSerialization(
      "PutItem",
      { ReturnValues: 5, TableName: true },
      "NUMBER_VALUE cannot be converted to String",
    );
    assertSerialization(
      "PutItem",
      { TableName: true, ReturnValues: 5 },
      "TRUE_VALUE cannot be converted to String",
    );
    // A missing required member and a bad enum are not reported while a type is wrong.
    assertSerialization("CreateTable", { BillingMode: "x", KeySchema: {} }, START_OF_STRUCTURE);
  });

  it("drops unknown members and null members, as coral ignores them (dynalite listTables)", () => {
    const input: Record<string, unknown> = {
      hi: "yo",
      stuff: "things",
      ExclusiveStartTableName: null,
      Limit: null,
    };
    assertValid("ListTables", input);
    assert.deepEqual(input, {});
    const item: Record<string, unknown> = {
      TableName: "abc",
      Item: { a: { S: "x", Z: 1, N: null } },
      tableName: 5,
    };
    assertValid("PutItem", item);
    assert.deepEqual(item, { TableName: "abc", Item: { a: { S: "x" } } });
  });

  it("truncates fractions in integral members and reads boolean strings as coral does", () => {
    const input: Record<string, unknown> = { TableName: "abc", Limit: 5.7, ConsistentRead: "yes" };
    assertValid("Scan", input);
    assert.deepEqual(input, { TableName: "abc", Limit: 5, ConsistentRead: true });
    for (const [text, value] of [
      ["TRUE", true],
      ["true", true],
      ["1", true],
      ["No", false],
      ["0", false],
      ["false", false],
    ] as const) {
      const query: Record<string, unknown> = { TableName: "abc", ScanIndexForward: text };
      assertValid("Query", query);
      assert.equal(query.ScanIndexForward, value);
    }
    const table: Record<string, unknown> = {
      TableName: "abc",
      ProvisionedThroughput: { ReadCapacityUnits: 1.9, WriteCapacityUnits: -1.5 },
    };
    assertViolations("CreateTable", table, [
      v(
        "-1",
        "provisionedThroughput.writeCapacityUnits",
        "Member must have value greater than or equal to 1",
      ),
    ]);
    assert.deepEqual(table.ProvisionedThroughput, { ReadCapacityUnits: 1, WriteCapacityUnits: -1 });
  });

  it("leaves null list elements and map values alone", () => {
    const input: Record<string, unknown> = { TableName: "abc", Item: { a: null }, Expected: { b: null } };
    assertValid("PutItem", input);
    assert.deepEqual(input.Item, { a: null });
  });

  it("accepts well-formed base64 in blobs", () => {
    assertValid("PutItem", { TableName: "abc", Item: { a: { B: "YWJj" }, b: { BS: ["", "Yg=="] } } });
  });

  it("is written on the wire with a capital-M Message and no message", () => {
    let error: unknown;
    try {
      validateInput("dynamodb", "ListTables", { Limit: "5" });
    } catch (caught) {
      error = caught;
    }
    assert.ok(error && typeof error === "object" && "code" in error);
    const encoded = encodeJsonError(
      error as Parameters<typeof encodeJsonError>[0],
      {},
      loadModel("dynamodb"),
      "r1",
    );
    assert.equal(encoded.status, 400);
    assert.equal(
      encoded.body,
      '{"__type":"com.amazon.coral.service#SerializationException","Message":"STRING_VALUE cannot be converted to Integer"}',
    );
  });
});
