/**
 * Functions with layers, through @aws-sdk/client-lambda against a real Stratus: Node (CommonJS require
 * and ESM import) and Python find modules in their layers as under /opt on AWS; a later layer's files
 * replace an earlier one's; an ESM handler imports @aws-sdk/client-dynamodb (Stratus's own copy) and
 * reaches Stratus's DynamoDB with no endpoint in its code; Layers in the configuration, versions
 * snapshotting them, and the errors of CreateFunction/UpdateFunctionConfiguration.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CreateTableCommand, GetItemCommand } from "@aws-sdk/client-dynamodb";
import {
  AddLayerVersionPermissionCommand,
  CreateFunctionCommand,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  GetLayerVersionByArnCommand,
  InvokeCommand,
  type LambdaClient,
  PublishLayerVersionCommand,
  PublishVersionCommand,
  type Runtime,
  UpdateFunctionConfigurationCommand,
} from "@aws-sdk/client-lambda";
import { useStratus } from "../../../support/stratus.ts";
import { makeZip, ROLE, rejects, uniqueName } from "../helpers.ts";

const LAYER_PREFIX = "arn:aws:lambda:us-east-1:000000000000:layer:";

describe("Lambda layers: functions", () => {
  const stratus = useStratus({ inMemory: true });

  async function layer(
    lambda: LambdaClient,
    files: Record<string, string>,
  ): Promise<{ arn: string; size: number }> {
    const out = await lambda.send(
      new PublishLayerVersionCommand({ LayerName: uniqueName("lyr"), Content: { ZipFile: makeZip(files) } }),
    );
    return { arn: out.LayerVersionArn ?? "", size: out.Content?.CodeSize ?? 0 };
  }

  async function create(
    lambda: LambdaClient,
    files: Record<string, string>,
    layers: string[],
    options: { runtime?: string; handler?: string; publish?: boolean } = {},
  ): Promise<string> {
    const name = uniqueName("lfn");
    await lambda.send(
      new CreateFunctionCommand({
        FunctionName: name,
        Runtime: (options.runtime ?? "nodejs20.x") as Runtime,
        Role: ROLE,
        Handler: options.handler ?? "index.handler",
        Code: { ZipFile: makeZip(files) },
        Timeout: 30,
        Layers: layers,
        Publish: options.publish ?? false,
      }),
    );
    return name;
  }

  async function invoke(lambda: LambdaClient, name: string, qualifier?: string): Promise<unknown> {
    const out = await lambda.send(
      new InvokeCommand({ FunctionName: name, Qualifier: qualifier, Payload: "{}" }),
    );
    const text = Buffer.from(out.Payload ?? new Uint8Array()).toString("utf8");
    assert.equal(out.FunctionError, undefined, text);
    return JSON.parse(text);
  }

  it("lets CommonJS require and ESM import packages from a layer", async () => {
    const lambda = stratus.lambda();
    const greet = await layer(lambda, {
      "nodejs/node_modules/greet/package.json": '{"name":"greet","main":"index.js"}',
      "nodejs/node_modules/greet/index.js": 'module.exports = (who) => "hello " + who;\n',
      "nodejs/node_modules/esm-only/package.json":
        '{"name":"esm-only","type":"module","exports":"./index.js"}',
      "nodejs/node_modules/esm-only/index.js": "export const shout = (s) => s.toUpperCase();\n",
    });
    const cjs = await create(
      lambda,
      { "index.js": 'const greet = require("greet");\nexports.handler = async () => greet("cjs");\n' },
      [greet.arn],
    );
    assert.equal(await invoke(lambda, cjs), "hello cjs");
    const esm = await create(
      lambda,
      {
        "index.mjs":
          'import greet from "greet";\nimport { shout } from "./lib/util.mjs";\nexport const handler = async () => shout(greet("esm"));\n',
        "lib/util.mjs": 'export { shout } from "esm-only";\n',
      },
      [greet.arn],
    );
    assert.equal(await invoke(lambda, esm), "HELLO ESM");
  });

  it("lets Python import modules from a layer's python and site-packages directories", async () => {
    const lambda = stratus.lambda();
    const lib = await layer(lambda, {
      "python/helper.py": "def answer():\n    return 42\n",
      "python/lib/python3.11/site-packages/sitemod.py": "NAME = 'site-packages'\n",
    });
    const name = await create(
      lambda,
      {
        "app.py":
          "import helper\nimport sitemod\n\ndef handler(event, context):\n    return {'answer': helper.answer(), 'from': sitemod.NAME}\n",
      },
      [lib.arn],
      { runtime: "python3.11", handler: "app.handler" },
    );
    assert.deepEqual(await invoke(lambda, name), { answer: 42, from: "site-packages" });
  });

  it("merges layers in order: a later layer's file replaces an earlier one's", async () => {
    const lambda = stratus.lambda();
    const first = await layer(lambda, {
      "nodejs/node_modules/which/index.js": 'module.exports = "first";\n',
      "nodejs/node_modules/only-first/index.js": 'module.exports = "kept";\n',
      "data/note.txt": "from first",
    });
    const second = await layer(lambda, {
      "nodejs/node_modules/which/index.js": 'module.exports = "second";\n',
    });
    const code = {
      "index.js": [
        'const fs = require("node:fs");',
        "exports.handler = async () => ({",
        '  which: require("which"),',
        '  onlyFirst: require("only-first"),',
        '  note: fs.readFileSync(process.env.STRATUS_LAMBDA_OPT_DIR + "/data/note.txt", "utf8"),',
        "});",
      ].join("\n"),
    };
    const forward = await create(lambda, code, [first.arn, second.arn]);
    assert.deepEqual(await invoke(lambda, forward), {
      which: "second",
      onlyFirst: "kept",
      note: "from first",
    });
    const backward = await create(lambda, code, [second.arn, first.arn]);
    assert.deepEqual(await invoke(lambda, backward), {
      which: "first",
      onlyFirst: "kept",
      note: "from first",
    });
  });

  it("lets an ESM handler import @aws-sdk/client-dynamodb and reach Stratus's DynamoDB", async () => {
    const lambda = stratus.lambda();
    const dynamodb = stratus.dynamodb();
    const table = uniqueName("tbl");
    await dynamodb.send(
      new CreateTableCommand({
        TableName: table,
        AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
        KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
        BillingMode: "PAY_PER_REQUEST",
      }),
    );
    const name = await create(
      lambda,
      {
        "index.mjs": [
          'import { DynamoDBClient, PutItemCommand } from "@aws-sdk/client-dynamodb";',
          "const client = new DynamoDBClient({});",
          "export const handler = async () => {",
          `  await client.send(new PutItemCommand({ TableName: "${table}", Item: { pk: { S: "from-esm" } } }));`,
          "  return { stored: true };",
          "};",
        ].join("\n"),
      },
      [],
    );
    assert.deepEqual(await invoke(lambda, name), { stored: true });
    const item = await dynamodb.send(
      new GetItemCommand({ TableName: table, Key: { pk: { S: "from-esm" } } }),
    );
    assert.deepEqual(item.Item, { pk: { S: "from-esm" } });
  });

  it("shows Layers in the configuration, replaces them on update and snapshots them in versions", async () => {
    const lambda = stratus.lambda();
    const one = await layer(lambda, { "nodejs/node_modules/v/index.js": 'module.exports = "one";\n' });
    const two = await layer(lambda, { "nodejs/node_modules/v/index.js": 'module.exports = "two";\n' });
    const name = await create(
      lambda,
      {
        "index.js":
          'exports.handler = async () => { try { return require("v"); } catch { return "none"; } };\n',
      },
      [one.arn],
      { publish: true },
    );
    const got = await lambda.send(new GetFunctionCommand({ FunctionName: name }));
    assert.deepEqual(got.Configuration?.Layers, [{ Arn: one.arn, CodeSize: one.size }]);
    const updated = await lambda.send(
      new UpdateFunctionConfigurationCommand({ FunctionName: name, Layers: [two.arn] }),
    );
    assert.deepEqual(updated.Layers, [{ Arn: two.arn, CodeSize: two.size }]);
    assert.equal(await invoke(lambda, name), "two");
    assert.equal(await invoke(lambda, name, "1"), "one");
    const version1 = await lambda.send(
      new GetFunctionConfigurationCommand({ FunctionName: name, Qualifier: "1" }),
    );
    assert.deepEqual(version1.Layers, [{ Arn: one.arn, CodeSize: one.size }]);
    const published = await lambda.send(new PublishVersionCommand({ FunctionName: name }));
    assert.deepEqual(published.Layers, [{ Arn: two.arn, CodeSize: two.size }]);
    const cleared = await lambda.send(
      new UpdateFunctionConfigurationCommand({ FunctionName: name, Layers: [] }),
    );
    assert.equal(cleared.Layers, undefined);
    assert.equal(await invoke(lambda, name), "none");
    // Unrelated updates keep the layers of the version they change.
    await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, Layers: [one.arn] }));
    const described = await lambda.send(
      new UpdateFunctionConfigurationCommand({ FunctionName: name, Description: "d" }),
    );
    assert.deepEqual(described.Layers, [{ Arn: one.arn, CodeSize: one.size }]);
  });

  it("lets another account use a layer version only once its policy grants that account", async () => {
    const owner = stratus.lambda();
    const other = stratus.lambda({ accessKeyId: "111122223333", secretAccessKey: "test" });
    const shared = await layer(owner, {
      "nodejs/node_modules/shared/index.js": 'module.exports = "shared";\n',
    });
    const code = { "index.js": 'exports.handler = async () => require("shared");\n' };
    await rejects(
      create(other, code, [shared.arn]),
      "AccessDeniedException",
      `User: arn:aws:iam::111122223333:root is not authorized to perform: lambda:GetLayerVersion on resource: ${shared.arn} because no resource-based policy allows the lambda:GetLayerVersion action`,
      403,
    );
    const layerName = shared.arn.slice(LAYER_PREFIX.length, shared.arn.lastIndexOf(":"));
    await owner.send(
      new AddLayerVersionPermissionCommand({
        LayerName: layerName,
        VersionNumber: 1,
        StatementId: "other",
        Action: "lambda:GetLayerVersion",
        Principal: "111122223333",
      }),
    );
    const got = await other.send(new GetLayerVersionByArnCommand({ Arn: shared.arn }));
    assert.equal(got.LayerVersionArn, shared.arn);
    const name = await create(other, code, [shared.arn]);
    assert.equal(await invoke(other, name), "shared");
  });

  it("answers Lambda's errors for Layers", async () => {
    const lambda = stratus.lambda();
    const a = await layer(lambda, { "x.txt": "a" });
    const code = { "index.js": "exports.handler = async () => 1;\n" };
    const layerName = a.arn.slice(LAYER_PREFIX.length, a.arn.lastIndexOf(":"));
    await rejects(
      create(lambda, code, [a.arn, a.arn, a.arn, a.arn, a.arn, a.arn]),
      "InvalidParameterValueException",
      "Cannot reference more than 5 layers.",
      400,
    );
    await rejects(
      create(lambda, code, [`${LAYER_PREFIX}${layerName}`]),
      "ValidationException",
      `1 validation error detected: Value '[${LAYER_PREFIX}${layerName}]' at 'layers' failed to satisfy constraint: Member must satisfy constraint: [Member must have length less than or equal to 2048, Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:(eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:\\d{12}:layer:[a-zA-Z0-9-_]+:[0-9]+)|(arn:[a-zA-Z0-9-]+:lambda:::awslayer:[a-zA-Z0-9-_]+), Member must not be null]`,
      400,
    );
    await rejects(
      create(lambda, code, [`${LAYER_PREFIX}${layerName}:7`]),
      "InvalidParameterValueException",
      `Layer version ${LAYER_PREFIX}${layerName}:7 does not exist.`,
      400,
    );
    await rejects(
      create(lambda, code, [`arn:aws:lambda:eu-west-1:000000000000:layer:${layerName}:1`]),
      "InvalidParameterValueException",
      "Layers are not in the same region as the function. Layers are expected to be in region us-east-1.",
      400,
    );
    const second = await lambda.send(
      new PublishLayerVersionCommand({
        LayerName: layerName,
        Content: { ZipFile: makeZip({ "y.txt": "b" }) },
      }),
    );
    await rejects(
      create(lambda, code, [a.arn, second.LayerVersionArn ?? ""]),
      "InvalidParameterValueException",
      `Two different versions of the same layer are not allowed to be referenced in the same function. ${a.arn} and ${second.LayerVersionArn} are versions of the same layer.`,
      400,
    );
    const name = await create(lambda, code, []);
    await rejects(
      lambda.send(
        new UpdateFunctionConfigurationCommand({
          FunctionName: name,
          Layers: [`${LAYER_PREFIX}${layerName}:9`],
        }),
      ),
      "InvalidParameterValueException",
      `Layer version ${LAYER_PREFIX}${layerName}:9 does not exist.`,
      400,
    );
  });
});
