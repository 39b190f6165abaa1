/**
 * The errors of ExecuteStatement, word for word: syntax, unsupported constructs, missing tables and
 * indexes, parameters, literals, keys and operand types. Each text is DynamoDB's as captured by
 * nubo-db/dynamodb-conformance, floci (eu-west-2, 2026) or recorded on DynamoDB Local (texts.ts names
 * the source of each).
 */
import { describe, it } from "node:test";
import { CreateTableCommand, type DynamoDBClient, ExecuteStatementCommand } from "@aws-sdk/client-dynamodb";
import { useStratus } from "../../../support/stratus.ts";
import { rejects, simpleTable, uniqueName } from "../helpers.ts";

const NOT_WELL_FORMED = "Statement wasn't well formed, can't be processed: ";

describe("DynamoDB PartiQL errors", () => {
  const stratus = useStratus({ inMemory: true });
  let name = "";
  let composite = "";

  async function client(): Promise<DynamoDBClient> {
    const dynamodb = stratus.dynamodb();
    if (name === "") {
      name = uniqueName("partiql");
      await dynamodb.send(new CreateTableCommand(simpleTable(name)));
      composite = uniqueName("partiql");
      await dynamodb.send(
        new CreateTableCommand({
          TableName: composite,
          BillingMode: "PAY_PER_REQUEST",
          AttributeDefinitions: [
            { AttributeName: "pk", AttributeType: "S" },
            { AttributeName: "sk", AttributeType: "S" },
          ],
          KeySchema: [
            { AttributeName: "pk", KeyType: "HASH" },
            { AttributeName: "sk", KeyType: "RANGE" },
          ],
        }),
      );
    }
    return dynamodb;
  }

  const statement = async (Statement: string, extra: Record<string, unknown> = {}) =>
    (await client()).send(new ExecuteStatementCommand({ Statement, ...extra }));

  it("answers syntax errors with the not-well-formed envelope", async () => {
    await client();
    await rejects(
      statement(`SLECT * FROM "${name}"`),
      "ValidationException",
      `${NOT_WELL_FORMED}Expected data manipulation`,
    );
    await rejects(
      statement(`UPDATE "${name}" SET t=1 WHERE pk='a' garbage`),
      "ValidationException",
      `${NOT_WELL_FORMED}Unexpected token after expression`,
    );
    await rejects(statement(`SELECT * FROM "${name}`), "ValidationException", NOT_WELL_FORMED);
    await rejects(
      statement(`SELECT * FROM "${name}" WHERE pk = 'a' LIMIT 1`),
      "ValidationException",
      "Unsupported clause: LIMIT",
    );
    await rejects(
      statement(`SELECT *, pk FROM "${name}"`),
      "ValidationException",
      "Other attributes should not be present in the projection when '*' is used.",
    );
    await rejects(
      statement(`SELECT m.z, z FROM "${name}"`),
      "ValidationException",
      "Duplicate identifiers in select clause: z",
    );
  });

  it("names missing tables, bad FROM paths and unknown indexes", async () => {
    await client();
    await rejects(
      statement(`SELECT * FROM "no-such-table-${name}" WHERE pk = 'a'`),
      "ResourceNotFoundException",
      "Requested resource not found",
    );
    await rejects(
      statement(`INSERT INTO "no-such-table-${name}" VALUE {'pk': 'a'}`),
      "ResourceNotFoundException",
      "Requested resource not found",
    );
    await rejects(
      statement(`SELECT * FROM "${name}"."a"."b" WHERE pk = 'p'`),
      "ValidationException",
      "A path may contain at most 2 components in the FROM clause",
    );
    await rejects(
      statement(`SELECT * FROM "" WHERE pk = 'p'`),
      "ValidationException",
      "Path component cannot be an empty string",
    );
    await rejects(
      statement(`SELECT * FROM "${name}"."${name}" WHERE pk = 'p'`),
      "ValidationException",
      "The table does not have the specified index",
    );
  });

  it("checks parameters before the statement, then their count", async () => {
    await client();
    await rejects(
      statement(`SELECT * FROM "${name}" WHERE pk = ? AND v = ?`, { Parameters: [{ S: "a" }] }),
      "ValidationException",
      "Number of parameters in request and statement don't match.",
    );
    await rejects(
      statement(`UPDATE "${name}" SET WHERE`, { Parameters: [{ SS: ["a", "a"] }] }),
      "ValidationException",
      "One or more parameter values were invalid: Input collection [a, a] contains duplicates.",
    );
    await rejects(
      statement(`INSERT INTO "${name}" VALUE {'pk': 'p', 'x': ?}`, { Parameters: [{ NULL: false }] }),
      "ValidationException",
      "One or more parameter values were invalid: Null attribute value types must have the value of true",
    );
    const prefix = `UPDATE "${name}" SET x = `;
    await rejects(
      statement(`${prefix}[?] WHERE pk = 'p'`, { Parameters: [{ S: "v" }] }),
      "ValidationException",
      `Unsupported data type: Parameter under key root[0] at 1:${prefix.length + 2}:1`,
    );
  });

  it("refuses literals DynamoDB cannot store", async () => {
    await client();
    const insert = (value: string) => statement(`INSERT INTO "${name}" VALUE {'pk': 'bag', 's': ${value}}`);
    await rejects(insert("<<>>"), "ValidationException", "Empty bags are not supported");
    await rejects(
      insert("<<1, 'a'>>"),
      "ValidationException",
      "Unsupported data type in Bag. DynamoDB only supports either numbers or strings in bags",
    );
    await rejects(
      insert("<<'a', 'a'>>"),
      "ValidationException",
      "One or more parameter values were invalid: Input collection [a, a] contains duplicates.",
    );
    await rejects(
      statement(`UPDATE "${name}" SET d = ${"{'a':".repeat(32)}1${"}".repeat(32)} WHERE pk = 'p'`),
      "ValidationException",
      `Nesting Levels have exceeded supported limits under root${".a".repeat(32)}`,
    );
    await rejects(
      statement(`INSERT INTO "${name}" VALUE ['pk', 'p']`),
      "ValidationException",
      "Unsupported format in item expression. Please use struct format {...} to express item values for insert statement.",
    );
    await rejects(
      statement(`SELECT l[-1] FROM "${name}" WHERE pk = 'p'`),
      "ValidationException",
      "List index is not within the allowable range; index: [-1] at 1:11:1",
    );
  });

  it("checks operand types and function arguments", async () => {
    await client();
    await rejects(
      statement(`SELECT pk FROM "${name}" WHERE pk = 'x' AND val < ?`, { Parameters: [{ BOOL: true }] }),
      "ValidationException",
      "Incorrect operand type for operator or function; operator or function: <, operand type: BOOL",
    );
    await rejects(
      statement(`SELECT pk FROM "${name}" WHERE pk = 'x' AND val BETWEEN [1] AND [2]`),
      "ValidationException",
      "Incorrect operand type for operator or function; operator or function: BETWEEN, operand type: L",
    );
    await rejects(
      statement(`SELECT pk FROM "${name}" WHERE pk = 'x' AND attribute_type(val, 'X')`),
      "ValidationException",
      "Invalid attribute type name found; type: X, valid types: {N,BS,L,B,NULL,M,S,SS,NS,BOOL}",
    );
    await rejects(
      statement(
        `SELECT pk FROM "${name}" WHERE pk = 'x' AND val IN [${Array.from({ length: 101 }, (_, i) => i).join(", ")}]`,
      ),
      "ValidationException",
      "The IN operator is provided with too many operands; number of operands: 101",
    );
    await rejects(
      statement(`UPDATE "${name}" SET n = 'a' + 1 WHERE pk = 'x'`),
      "ValidationException",
      "Incorrect operand type for operator or function; operator or function: +, operand type: S",
    );
    const prefix = `UPDATE "${name}" SET other = `;
    await rejects(
      statement(`${prefix}set_add(members, <<'x'>>) WHERE pk = 'x'`),
      "ValidationException",
      `The first argument to SET_ADD must equal the assignment value at 1:${prefix.length + 1}:7`,
    );
    await rejects(
      statement(`UPDATE "${name}"\nSET members = set_add(members, 'x')\nWHERE pk = 'x'`),
      "ValidationException",
      "The second argument to SET_ADD must be a value with type SET at 2:23:7",
    );
  });

  it("needs the whole key for writes and key types that match the schema", async () => {
    await client();
    await rejects(
      statement(`UPDATE "${composite}" SET a = 1 WHERE pk = 'k'`),
      "ValidationException",
      "Where clause does not contain a mandatory equality on all key attributes",
    );
    await rejects(
      statement(`DELETE FROM "${composite}" WHERE pk = 'k' AND sk = '1' AND pk = 'other'`),
      "ValidationException",
      "Multiple conditions on same key pk. Only single item Update/Insert/Delete are supported",
    );
    await rejects(
      statement(`SELECT * FROM "${composite}" WHERE pk = 1 OR pk = 'k'`),
      "ValidationException",
      "Key attribute's data type should match its data type in table's schema: Key pk",
    );
    await rejects(
      statement(`SELECT * FROM "${composite}" WHERE pk IN ['k', 'k']`),
      "ValidationException",
      "Overlapping conditions with range keys are not supported in where clause",
    );
    await rejects(
      statement(
        `SELECT * FROM "${composite}" WHERE pk IN [${Array.from({ length: 51 }, (_, i) => `'v${i}'`).join(",")}]`,
      ),
      "ValidationException",
      "Too many decomposed read operations for a given query.",
    );
    await rejects(
      statement(`INSERT INTO "${composite}" VALUE {'pk': 'k'}`),
      "ValidationException",
      "One or more parameter values were invalid: Missing the key sk in the item",
    );
    await rejects(
      statement(`INSERT INTO "${composite}" VALUE {'pk': 'k', 'sk': 1}`),
      "ValidationException",
      "One or more parameter values were invalid: Type mismatch for key sk expected: S actual: N",
    );
    await rejects(
      statement(`UPDATE "${composite}" SET sk = 'x' WHERE pk = 'k' AND sk = '1'`),
      "ValidationException",
      "One or more parameter values were invalid: Cannot update attribute sk. This attribute is part of the key",
    );
    await rejects(
      statement(`INSERT INTO "${composite}" VALUE {'pk': 'k', 'sk': '1'} RETURNING ALL OLD *`),
      "ValidationException",
      "RETURNING is not supported in INSERT",
    );
  });
});
