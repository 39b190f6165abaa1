import { describe, it } from "node:test";
import type { ExpressionParameters } from "../../../../src/services/dynamodb/expressions/index.ts";
import {
  checkExpressionParameters,
  parseExpressions,
} from "../../../../src/services/dynamodb/expressions/index.ts";
import { assertValidation } from "./helpers.ts";

const run = (parameters: ExpressionParameters) => () => parseExpressions(parameters);

/** [expression, message after "Invalid FilterExpression: ", values, names] — dynalite test/scan.js. */
type FilterCase = [string, string, Record<string, unknown>?, Record<string, string>?];

const filterCases: FilterCase[] = [
  ["a=a and a > ((views))", "The expression has redundant parentheses;"],
  ["(a)between(((b.c)).d)and(c)", "The expression has redundant parentheses;"],
  ["a > whatever((:things), ((a)))", "The expression has redundant parentheses;"],
  ["a=a AND ((a=a AND a=a)) AND a=a", "The expression has redundant parentheses;"],
  ["a=a OR ((a=a OR (a=a OR a=a)))", "The expression has redundant parentheses;"],
  ["((attribute_not_exists(pk)))", "The expression has redundant parentheses;"],
  ["a=a and whatever((:things)) > a", "Invalid function name; function: whatever"],
  ["attRIbute_exIsts((views), #a)", "Invalid function name; function: attRIbute_exIsts"],
  [
    "a=a and attribute_exists((views), (#a)) > b",
    "The function is not allowed to be used this way in an expression; function: attribute_exists",
  ],
  [
    "attribute_not_exists(things) > b",
    "The function is not allowed to be used this way in an expression; function: attribute_not_exists",
  ],
  [
    "contains(:things, c) > b",
    "The function is not allowed to be used this way in an expression; function: contains",
  ],
  [
    "size(contains(a, b)) > a",
    "The function is not allowed to be used this way in an expression; function: contains",
  ],
  ["size(things)", "The function is not allowed to be used this way in an expression; function: size"],
  [
    "a between b and attribute_exists(things)",
    "The function is not allowed to be used this way in an expression; function: attribute_exists",
  ],
  [
    "a in (b, attribute_exists(things))",
    "The function is not allowed to be used this way in an expression; function: attribute_exists",
  ],
  ["attribute_exists(views, #a)", "Attribute name is a reserved keyword; reserved keyword: views"],
  [":a < abOrT", "Attribute name is a reserved keyword; reserved keyword: abOrT"],
  [
    "attribute_exists(#Pictures.RearView, :a) and a=a",
    "An expression attribute name used in the document path is not defined; attribute name: #Pictures",
  ],
  [
    "(#P between :lo and :hi) and (#PC in (:cat1, :cat2))",
    "An expression attribute name used in the document path is not defined; attribute name: #P",
  ],
  ["#_ > a", "An expression attribute name used in the document path is not defined; attribute name: #_"],
  [
    "begins_with(:hello, #a, #b)",
    "An expression attribute value used in expression is not defined; attribute value: :hello",
  ],
  [":a < :b", "An expression attribute value used in expression is not defined; attribute value: :a"],
  [
    "attribute_exists(things, a) and a=a",
    "Incorrect number of operands for operator or function; operator or function: attribute_exists, number of operands: 2",
  ],
  [
    "attribute_type(things)",
    "Incorrect number of operands for operator or function; operator or function: attribute_type, number of operands: 1",
  ],
  [
    "begins_with(things, size(a), b)",
    "Incorrect number of operands for operator or function; operator or function: begins_with, number of operands: 3",
  ],
  [
    "size(things, a) > b",
    "Incorrect number of operands for operator or function; operator or function: size, number of operands: 2",
  ],
  [
    "attribute_type(a, :a)",
    "Incorrect operand type for operator or function; operator or function: attribute_type, operand type: N",
    { ":a": { N: "1" } },
  ],
  [
    "attribute_type(a, size(a)) and a=a and a=:a",
    "Incorrect operand type for operator or function; operator or function: attribute_type, operand type: N",
    { ":a": { N: "1" } },
  ],
  [
    "attribute_type(a, b)",
    "Incorrect operand type for operator or function; operator or function: attribute_type, operand type: {NS,SS,L,BS,N,M,B,BOOL,NULL,S}",
  ],
  [
    "begins_with(a, :a)",
    "Incorrect operand type for operator or function; operator or function: begins_with, operand type: BOOL",
    { ":a": { BOOL: true } },
  ],
  [
    "begins_with(:a, a)",
    "Incorrect operand type for operator or function; operator or function: begins_with, operand type: SS",
    { ":a": { SS: ["1"] } },
  ],
  [
    "begins_with(a, size(a)) and a=:a",
    "Incorrect operand type for operator or function; operator or function: begins_with, operand type: N",
    { ":a": { N: "1" } },
  ],
  [
    "size(size(a)) > :a",
    "Incorrect operand type for operator or function; operator or function: size, operand type: N",
    { ":a": { N: "1" } },
  ],
  [
    "attribute_not_exists(size(:a))",
    "Incorrect operand type for operator or function; operator or function: size, operand type: N",
    { ":a": { N: "1" } },
  ],
  [
    "size(:a) > a",
    "Incorrect operand type for operator or function; operator or function: size, operand type: NULL",
    { ":a": { NULL: true } },
  ],
  [
    "attribute_type(a, :a)",
    "Invalid attribute type name found; type: 1, valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}",
    { ":a": { S: "1" } },
  ],
  [
    "attribute_exists(:a) and a=a",
    "Operator or function requires a document path; operator or function: attribute_exists",
    { ":a": { S: "1" } },
  ],
  [
    "attribute_not_exists(size(:a))",
    "Operator or function requires a document path; operator or function: attribute_not_exists",
    { ":a": { S: "1" } },
  ],
  [
    "a = a AND #a = b AND :views > a",
    "The first operand must be distinct from the remaining operands for this operator or function; operator: =, first operand: [a]",
    {},
    { "#a": "a" },
  ],
  [
    "#a <> a",
    "The first operand must be distinct from the remaining operands for this operator or function; operator: <>, first operand: [a]",
    {},
    { "#a": "a" },
  ],
  [
    "((a=a) OR (a=a))",
    "The first operand must be distinct from the remaining operands for this operator or function; operator: =, first operand: [a]",
  ],
  [
    "contains(ab.bc[1].a, ab.bc[1].#a)",
    "The first operand must be distinct from the remaining operands for this operator or function; operator: contains, first operand: [ab, bc, [1], a]",
    {},
    { "#a": "a" },
  ],
  [
    "a between :b and :a",
    "The BETWEEN operator requires same data type for lower and upper bounds; lower bound operand: AttributeValue: {N:1}, upper bound operand: AttributeValue: {S:a}",
    { ":a": { S: "a" }, ":b": { N: "1" } },
  ],
  [
    "a between :b and :a",
    "The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {S:b}, upper bound operand: AttributeValue: {S:a}",
    { ":a": { S: "a" }, ":b": { S: "b" } },
  ],
];

describe("condition checks", () => {
  for (const [expression, message, values, names] of filterCases) {
    it(`${expression} -> ${message.slice(0, 60)}`, () => {
      assertValidation(
        run({
          FilterExpression: expression,
          ...(values && Object.keys(values).length > 0 ? { ExpressionAttributeValues: values } : {}),
          ...(names ? { ExpressionAttributeNames: names } : {}),
        }),
        `Invalid FilterExpression: ${message}`,
      );
    });
  }
});

/** [expression, message after "Invalid UpdateExpression: "] — dynalite test/updateItem.js. */
const OVERLAP_NAMES = { "#c": "c", "#d": "[3]" };
const updateCases: [string, string, Record<string, unknown>?, Record<string, string>?][] = [
  [" set #c = :c set abOrt = true ", "Attribute name is a reserved keyword; reserved keyword: abOrt"],
  [" remove Absolute ", "Attribute name is a reserved keyword; reserved keyword: Absolute"],
  ["set #c = if_not_exist(:c) set c = d", "Invalid function name; function: if_not_exist"],
  ["set a = size(b)", "Invalid function name; function: size"],
  ["set a = #c set c = :d", 'The "SET" section can only be used once in an update expression;'],
  ["remove #d set a = b remove e", 'The "REMOVE" section can only be used once in an update expression;'],
  ["add #d :e set a = b add e :f", 'The "ADD" section can only be used once in an update expression;'],
  [
    "delete #d :e set a = b delete #e :f",
    'The "DELETE" section can only be used once in an update expression;',
  ],
  [
    "SET #c = if_not_exists(:c)",
    "An expression attribute name used in the document path is not defined; attribute name: #c",
  ],
  [
    "SET #a = if_not_exists(:c)",
    "An expression attribute value used in expression is not defined; attribute value: :c",
  ],
  [
    "set c.b.#c = a, c = a, #d = a",
    "Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [c, b, c], path two: [c]",
    undefined,
    OVERLAP_NAMES,
  ],
  [
    "set a = b remove a, #c, #d",
    "Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a]",
    undefined,
    OVERLAP_NAMES,
  ],
  [
    "set #c[3].#d = a, #c[3] = a",
    "Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [c, [3], [3]], path two: [c, [3]]",
    undefined,
    OVERLAP_NAMES,
  ],
  [
    "remove c, #c.a, #d",
    "Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [c], path two: [c, a]",
    undefined,
    OVERLAP_NAMES,
  ],
  [
    "set #c[3].#d = a, #c.#d[3] = if_not_exists(a)",
    "Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [c, [3], [3]], path two: [c, [3], [3]]",
    undefined,
    OVERLAP_NAMES,
  ],
  [
    "set b = list_append(:a, a), c = if_not_exists(a) add a.b :a",
    "Incorrect operand type for operator or function; operator: ADD, operand type: STRING",
    { ":a": { S: "a" } },
  ],
  [
    "delete a.b :a",
    "Incorrect operand type for operator or function; operator: DELETE, operand type: NUMBER",
    { ":a": { N: "1" } },
  ],
  [
    "add a.b :a",
    "Incorrect operand type for operator or function; operator: ADD, operand type: BOOLEAN",
    { ":a": { BOOL: false } },
  ],
  [
    "add a.b :a",
    "Incorrect operand type for operator or function; operator: ADD, operand type: MAP",
    { ":a": { M: {} } },
  ],
  [
    "add a.b :a",
    "Incorrect operand type for operator or function; operator: ADD, operand type: LIST",
    { ":a": { L: [] } },
  ],
  [
    "delete a.b :a",
    "Incorrect operand type for operator or function; operator: DELETE, operand type: BINARY",
    { ":a": { B: "YQ==" } },
  ],
  [
    "set a = if_not_exists(c)",
    "Incorrect number of operands for operator or function; operator or function: if_not_exists, number of operands: 1",
  ],
  [
    "set a = list_append(c)",
    "Incorrect number of operands for operator or function; operator or function: list_append, number of operands: 1",
  ],
  [
    "set a = if_not_exists(:a, c)",
    "Operator or function requires a document path; operator or function: if_not_exists",
    { ":a": { S: "a" } },
  ],
  [
    "set a = if_not_exists(if_not_exists(a, b), c)",
    "Operator or function requires a document path; operator or function: if_not_exists",
  ],
  [
    "set a = list_append(:a, a)",
    "Incorrect operand type for operator or function; operator or function: list_append, operand type: S",
    { ":a": { S: "a" } },
  ],
  [
    "set a = list_append(a, :b)",
    "Incorrect operand type for operator or function; operator or function: list_append, operand type: N",
    { ":b": { N: "1" } },
  ],
  [
    "set a = a + :a",
    "Incorrect operand type for operator or function; operator or function: +, operand type: S",
    { ":a": { S: "a" } },
  ],
  [
    "set a = :c + a",
    "Incorrect operand type for operator or function; operator or function: +, operand type: B",
    { ":c": { B: "YQ==" } },
  ],
  [
    "set a = a - :j",
    "Incorrect operand type for operator or function; operator or function: -, operand type: L",
    { ":j": { L: [] } },
  ],
  ["set a = ((b + c))", "The expression has redundant parentheses;"],
];

describe("update checks", () => {
  for (const [expression, message, values, names] of updateCases) {
    it(`${expression.trim()} -> ${message.slice(0, 60)}`, () => {
      assertValidation(
        run({
          UpdateExpression: expression,
          ExpressionAttributeNames: names ?? { "#a": "a", "#b": "b" },
          ...(values ? { ExpressionAttributeValues: values } : {}),
        }),
        `Invalid UpdateExpression: ${message}`,
      );
    });
  }
});

describe("projection checks", () => {
  const cases: [string, string, Record<string, string>?][] = [
    [
      "a, a",
      "Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a]",
    ],
    [
      "#a, #b",
      "Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a]",
      { "#a": "a", "#b": "a" },
    ],
    [
      "a, a.b",
      "Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a, b]",
    ],
    [
      "a[0], a.b",
      "Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [a, [0]], path two: [a, b]",
    ],
    ["a, name", "Attribute name is a reserved keyword; reserved keyword: name"],
    ["a, #n", "An expression attribute name used in the document path is not defined; attribute name: #n"],
  ];
  for (const [expression, message, names] of cases) {
    it(expression, () =>
      assertValidation(
        run({ ProjectionExpression: expression, ...(names ? { ExpressionAttributeNames: names } : {}) }),
        `Invalid ProjectionExpression: ${message}`,
      ),
    );
  }
});

describe("request-level checks", () => {
  const cases: [ExpressionParameters, string][] = [
    [
      { ConditionExpression: "a = :a", ExpressionAttributeNames: {} },
      "ExpressionAttributeNames must not be empty",
    ],
    [
      { ConditionExpression: "a = :a", ExpressionAttributeNames: { a: "a" } },
      'ExpressionAttributeNames contains invalid key: Syntax error; key: "a"',
    ],
    [
      { ConditionExpression: "a = :a", ExpressionAttributeValues: {} },
      "ExpressionAttributeValues must not be empty",
    ],
    [
      { ConditionExpression: "a = :a", ExpressionAttributeValues: { ":a": { S: "a" }, b: { S: "a" } } },
      'ExpressionAttributeValues contains invalid key: Syntax error; key: "b"',
    ],
    [
      { ConditionExpression: "a = :b", ExpressionAttributeValues: { ":b": { SS: [] } } },
      "ExpressionAttributeValues contains invalid value: One or more parameter values were invalid: An string set  may not be empty for key :b",
    ],
    [
      {
        UpdateExpression: "remove a set b = list_append(b, if_not_exists(a, :a))",
        ConditionExpression: "a = :b",
        ExpressionAttributeValues: { ":a": { S: "a" }, ":b": { S: "a" } },
        ExpressionAttributeNames: { "#a": "a", "#b": "b" },
      },
      "Value provided in ExpressionAttributeNames unused in expressions: keys: {#a, #b}",
    ],
    [
      {
        UpdateExpression: "remove a",
        ConditionExpression: "a = :b",
        ExpressionAttributeValues: { ":a": { S: "a" }, ":b": { S: "a" }, ":c": { S: "a" } },
      },
      "Value provided in ExpressionAttributeValues unused in expressions: keys: {:a, :c}",
    ],
    [
      { UpdateExpression: "SET attr1 = :v" },
      "Invalid UpdateExpression: An expression attribute value used in expression is not defined; attribute value: :v",
    ],
    [
      { KeyConditionExpression: "", FilterExpression: "", ProjectionExpression: "" },
      "Invalid KeyConditionExpression: The expression can not be empty;",
    ],
  ];
  for (const [parameters, message] of cases)
    it(message.slice(0, 80), () => assertValidation(run(parameters), message));

  it("refuses mixing expression and legacy parameters, and names or values without expressions", () => {
    const put = (request: Record<string, unknown>) => () =>
      checkExpressionParameters(request, ["ConditionExpression"], ["Expected"]);
    assertValidation(
      put({ Expected: {}, ConditionExpression: "attribute_not_exists(pk)" }),
      "Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {Expected} Expression parameters: {ConditionExpression}",
    );
    assertValidation(
      put({ ExpressionAttributeNames: { "#a": "a" } }),
      "ExpressionAttributeNames can only be specified when using expressions",
    );
    assertValidation(
      put({ ExpressionAttributeValues: { ":v": { S: "x" } } }),
      "ExpressionAttributeValues can only be specified when using expressions: ConditionExpression is null",
    );
    const update = (request: Record<string, unknown>) => () =>
      checkExpressionParameters(
        request,
        ["UpdateExpression", "ConditionExpression"],
        ["AttributeUpdates", "Expected"],
      );
    assertValidation(
      update({ ExpressionAttributeValues: { ":v": { S: "x" } } }),
      "ExpressionAttributeValues can only be specified when using expressions: UpdateExpression and ConditionExpression are null",
    );
    const query = (request: Record<string, unknown>) => () =>
      checkExpressionParameters(
        request,
        ["ProjectionExpression", "FilterExpression", "KeyConditionExpression"],
        ["AttributesToGet", "QueryFilter", "ConditionalOperator", "KeyConditions"],
      );
    // KeyConditions may go with expressions as long as KeyConditionExpression is absent.
    query({ KeyConditions: {}, FilterExpression: "a = :a" })();
    assertValidation(
      query({ KeyConditions: {}, KeyConditionExpression: "a = :a", QueryFilter: {} }),
      "Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {QueryFilter, KeyConditions} Expression parameters: {KeyConditionExpression}",
    );
  });
});
