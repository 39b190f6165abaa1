import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ExpressionParameters } from "../../../../src/services/dynamodb/expressions/index.ts";
import { parseExpressions } from "../../../../src/services/dynamodb/expressions/index.ts";
import { tokenize } from "../../../../src/services/dynamodb/expressions/tokenizer.ts";
import { assertValidation } from "./helpers.ts";

describe("tokenize", () => {
  it("follows AWS's lexer: keywords in any case, substitutions, indexes, unknown characters", () => {
    const kinds = (source: string) => tokenize(source).map((t) => `${t.kind}:${t.text}`);
    assert.deepEqual(kinds("a.b[10] <> :v_1 AND #n"), [
      "id:a",
      "punct:.",
      "id:b",
      "punct:[",
      "index:10",
      "punct:]",
      "op:<>",
      "value::v_1",
      "keyword:AND",
      "name:#n",
      "eof:<EOF>",
    ]);
    assert.deepEqual(kinds("between settings Set"), [
      "keyword:between",
      "id:settings",
      "keyword:Set",
      "eof:<EOF>",
    ]);
    assert.deepEqual(kinds("01 _a ü 'x y'"), [
      "index:0",
      "index:1",
      "unknown:_",
      "id:a",
      "unknown:ü",
      "string:'x y'",
      "eof:<EOF>",
    ]);
    assert.deepEqual(kinds(": #"), ["unknown::", "unknown:#", "eof:<EOF>"]);
  });
});

type Case = [kind: keyof ExpressionParameters, expression: string, message: string];

describe("syntax errors", () => {
  // token/near as DynamoDB quotes them (aws-cdk#7591, dazn-lambda-powertools#242, conformance).
  const cases: Case[] = [
    ["UpdateExpression", "INVALID SYNTAX HERE", 'Syntax error; token: "INVALID", near: "INVALID SYNTAX"'],
    ["UpdateExpression", "ADD hits : incr", 'Syntax error; token: ":", near: "hits : incr"'],
    ["UpdateExpression", "SET a = b, #,", 'Syntax error; token: "#", near: ", #,"'],
    ["ProjectionExpression", "a,", 'Syntax error; token: "<EOF>", near: ","'],
    ["ProjectionExpression", "a b", 'Syntax error; token: "b", near: "a b"'],
    ["UpdateExpression", "ADD numx", 'Syntax error; token: "<EOF>", near: "numx"'],
    ["UpdateExpression", "SET a = b +", 'Syntax error; token: "<EOF>", near: "+"'],
    ["UpdateExpression", "SET a = ", 'Syntax error; token: "<EOF>", near: "= "'],
    [
      "ConditionExpression",
      "things are not gonna be ok",
      'Syntax error; token: "are", near: "things are not"',
    ],
    ["ConditionExpression", "a > 4", 'Syntax error; token: "4", near: "> 4"'],
    ["ConditionExpression", "set = b", 'Syntax error; token: "set", near: "set ="'],
    ["ConditionExpression", "a = 'x'", "Syntax error; token: \"'x'\", near: \"= 'x'\""],
  ];
  for (const [kind, expression, message] of cases) {
    it(`${kind}: ${expression}`, () => {
      assertValidation(() => parseExpressions({ [kind]: expression }), `Invalid ${kind}: ${message}`);
    });
  }

  // Expressions DynamoDB refuses as syntax errors (dynalite test/scan.js, test/updateItem.js).
  const refused: [keyof ExpressionParameters, string][] = [
    ["FilterExpression", "attribute_exists(Pictures-RearView)"],
    ["FilterExpression", 'attribute_exists("Pictures.RearView")'],
    ["FilterExpression", "attribute_exists(Pictures..RearView)"],
    ["FilterExpression", "attribute_exists(Pi#ctures.RearView)"],
    ["FilterExpression", "attribute_exists(asdf[a])"],
    ["FilterExpression", "a in b, c"],
    ["FilterExpression", "a > between"],
    ["FilterExpression", "a in b"],
    ["FilterExpression", "a in (b,c,)"],
    ["FilterExpression", "(a)between(b.(c.d))and(c)"],
    ["FilterExpression", "(a)between(b.c.d)and((c)"],
    ["FilterExpression", "#$.b > a"],
    ["FilterExpression", "a > :things.stuff"],
    ["FilterExpression", "b[:a] > a"],
    ["FilterExpression", "b[#_] > a"],
    ["FilterExpression", "ü > a"],
    ["FilterExpression", "(a)between(b.c[4.5].#d)and(:a)"],
    ["FilterExpression", "size(a).b > a"],
    ["FilterExpression", "(size(a)).b > a"],
    ["FilterExpression", "size(a)[0] > a"],
    ["KeyConditionExpression", "(size(a))[0] > a"],
    ["UpdateExpression", "whatever"],
    ["UpdateExpression", "set a"],
    ["UpdateExpression", "add a"],
    ["UpdateExpression", "delete a"],
    ["UpdateExpression", "set a=set"],
    ["UpdateExpression", "remove a = b"],
    ["UpdateExpression", "add a = b"],
    ["UpdateExpression", "delete a b"],
    ["UpdateExpression", "add abort b"],
    ["UpdateExpression", "remove a b"],
    ["UpdateExpression", "set :a = b"],
    ["UpdateExpression", "remove :a"],
    ["UpdateExpression", "set a = b / c"],
    ["UpdateExpression", 'set a[1] = "eight"'],
    ["UpdateExpression", "set a[1] = 1"],
    ["UpdateExpression", "SET if_not_exist(a, b) = a"],
    ["UpdateExpression", "set (a = (b + c))"],
    ["UpdateExpression", "set a = (b.c).d + e"],
    ["UpdateExpression", "set a = b + c + d"],
    ["UpdateExpression", "set a = (b + c) + d"],
    ["UpdateExpression", "set a = if_not_exists(a, b + c)"],
  ];
  for (const [kind, expression] of refused) {
    it(`refuses ${kind}: ${expression}`, () => {
      assert.throws(
        () => parseExpressions({ [kind]: expression }),
        (error: Error) => error.message.startsWith(`Invalid ${kind}: Syntax error; token: `),
      );
    });
  }

  it("accepts the parenthesised forms DynamoDB accepts", () => {
    const all: Record<string, unknown> = { ":v": { S: "x" }, ":w": { N: "1" }, ":l": { L: [] } };
    const used = (expression: string) =>
      Object.fromEntries(Object.entries(all).filter(([key]) => new RegExp(`${key}\\b`).test(expression)));
    for (const expression of [
      "(a = :v)",
      "(a = :v) AND (b = :v)",
      "(a = :v AND (b = :v))",
      "(a)between(:w)and(:w)",
      "(size(a)) > :w",
      "NOT (a = :v) OR b IN (:v, (:w))",
      "((a = :v) OR (b = :v))",
    ]) {
      assert.ok(
        parseExpressions({ ConditionExpression: expression, ExpressionAttributeValues: used(expression) })
          .condition,
      );
    }
    for (const expression of [
      "SET a = (b + :w)",
      "SET a = ((b)+(:w))",
      "SET a = (b) - :w",
      "SET a = list_append((b), :l)",
    ]) {
      assert.ok(
        parseExpressions({ UpdateExpression: expression, ExpressionAttributeValues: used(expression) })
          .update,
      );
    }
  });

  it("refuses empty and oversized expressions", () => {
    assertValidation(
      () => parseExpressions({ UpdateExpression: "" }),
      "Invalid UpdateExpression: The expression can not be empty;",
    );
    const long = `a${"z".repeat(4096)}`;
    assertValidation(
      () => parseExpressions({ ProjectionExpression: long }),
      "Invalid ProjectionExpression: Expression size has exceeded the maximum allowed size;",
    );
    assertValidation(
      () =>
        parseExpressions({
          FilterExpression: `${long} = :v`,
          ExpressionAttributeValues: { ":v": { S: "x" } },
        }),
      `Invalid FilterExpression: Expression size has exceeded the maximum allowed size; expression size: ${long.length + 5}`,
    );
    assert.ok(parseExpressions({ ProjectionExpression: `a${"z".repeat(4095)}` }).projection);
  });
});
