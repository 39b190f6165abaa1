/**
 * Invoke through @aws-sdk/client-lambda against a real Stratus: Node (CommonJS and ESM), Python and a
 * custom `bootstrap` runtime created from zips; handler errors, init errors, timeouts, LogType Tail,
 * DryRun, Event, qualifiers, UpdateFunctionCode, and a function that calls Stratus's DynamoDB with no
 * endpoint in its code.
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { CreateTableCommand, GetItemCommand } from "@aws-sdk/client-dynamodb";
import {
  CreateFunctionCommand,
  DeleteFunctionCommand,
  InvokeCommand,
  type InvokeCommandInput,
  type InvokeCommandOutput,
  type LambdaClient,
  type Runtime,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
} from "@aws-sdk/client-lambda";
import { useStratus } from "../../../support/stratus.ts";
import { makeZip, ROLE, rejects, uniqueName } from "../helpers.ts";

const ARN_PREFIX = "arn:aws:lambda:us-east-1:000000000000:function:";

describe("Lambda Invoke", () => {
  const stratus = useStratus({ inMemory: true });
  let scratch = "";
  before(async () => {
    scratch = await mkdtemp(join(tmpdir(), "stratus-invoke-test-"));
  });
  after(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  async function create(
    lambda: LambdaClient,
    files: Parameters<typeof makeZip>[0],
    options: {
      runtime?: string;
      handler?: string;
      timeout?: number;
      publish?: boolean;
      env?: Record<string, string>;
    } = {},
  ): Promise<string> {
    const name = uniqueName("inv");
    await lambda.send(
      new CreateFunctionCommand({
        FunctionName: name,
        Runtime: (options.runtime ?? "nodejs20.x") as Runtime,
        Role: ROLE,
        Handler: options.handler ?? "index.handler",
        Code: { ZipFile: makeZip(files) },
        Timeout: options.timeout ?? 10,
        Publish: options.publish ?? false,
        ...(options.env ? { Environment: { Variables: options.env } } : {}),
      }),
    );
    return name;
  }

  async function invoke(
    lambda: LambdaClient,
    input: InvokeCommandInput,
  ): Promise<InvokeCommandOutput & { json: Record<string, unknown> | undefined }> {
    const out = await lambda.send(new InvokeCommand(input));
    const text = out.Payload ? Buffer.from(out.Payload).toString("utf8") : "";
    return { ...out, json: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
  }

  const payload = (value: unknown) => Buffer.from(JSON.stringify(value));

  it("runs a Node CommonJS function with the event, context and standard environment", async () => {
    const lambda = stratus.lambda();
    const name = await create(
      lambda,
      {
        "index.js": `exports.handler = async (event, context) => {
  console.log("hello from", context.functionName);
  return {
    event,
    requestId: context.awsRequestId,
    arn: context.invokedFunctionArn,
    client: context.clientContext,
    region: process.env.AWS_REGION,
    endpoint: process.env.AWS_ENDPOINT_URL,
    key: process.env.AWS_ACCESS_KEY_ID,
    mine: process.env.MINE,
  };
};
`,
      },
      { env: { MINE: "yes" } },
    );
    const out = await invoke(lambda, {
      FunctionName: name,
      Payload: payload({ a: 1 }),
      ClientContext: Buffer.from(JSON.stringify({ custom: { k: "v" } })).toString("base64"),
    });
    assert.equal(out.StatusCode, 200);
    assert.equal(out.ExecutedVersion, "$LATEST");
    assert.equal(out.FunctionError, undefined);
    const body = out.json ?? {};
    assert.deepEqual(body.event, { a: 1 });
    assert.equal(body.requestId, out.$metadata.requestId);
    assert.equal(body.arn, `${ARN_PREFIX}${name}`);
    assert.deepEqual((body.client as { custom?: unknown } | undefined)?.custom, { k: "v" });
    assert.equal(body.region, "us-east-1");
    assert.equal(body.endpoint, stratus.url.replace(/\/$/, ""));
    assert.equal(body.key, "test");
    assert.equal(body.mine, "yes");
  });

  it("runs a Node ESM function, a Python function and a custom bootstrap", async () => {
    const lambda = stratus.lambda();
    const esm = await create(lambda, {
      "index.mjs": "export const handler = async (e) => ({ esm: true, e });\n",
    });
    const py = await create(
      lambda,
      { "app.py": "def handler(event, context):\n    return {'py': event, 'fn': context.function_name}\n" },
      { runtime: "python3.12", handler: "app.handler" },
    );
    const custom = await create(
      lambda,
      {
        bootstrap: [
          `#!/bin/sh
set -e
while true; do
  HEADERS="$(mktemp)"
  EVENT=$(curl -sS -D "$HEADERS" "http://$AWS_LAMBDA_RUNTIME_API/2018-06-01/runtime/invocation/next")
  ID=$(grep -i Lambda-Runtime-Aws-Request-Id "$HEADERS" | tr -d '\\r' | cut -d' ' -f2)
  curl -sS -o /dev/null -X POST "http://$AWS_LAMBDA_RUNTIME_API/2018-06-01/runtime/invocation/$ID/response" -d "{\\"echo\\":$EVENT}"
done
`,
          { mode: 0o755 },
        ],
      },
      { runtime: "provided.al2023", handler: "x" },
    );
    assert.deepEqual((await invoke(lambda, { FunctionName: esm, Payload: payload({ n: 1 }) })).json, {
      esm: true,
      e: { n: 1 },
    });
    assert.deepEqual((await invoke(lambda, { FunctionName: py, Payload: payload({ n: 2 }) })).json, {
      py: { n: 2 },
      fn: py,
    });
    assert.deepEqual((await invoke(lambda, { FunctionName: custom, Payload: payload({ n: 3 }) })).json, {
      echo: { n: 3 },
    });
    // An empty payload is the event {}.
    assert.deepEqual((await invoke(lambda, { FunctionName: esm })).json, { esm: true, e: {} });
  });

  it("answers handler errors, init errors and timeouts with X-Amz-Function-Error: Unhandled", async () => {
    const lambda = stratus.lambda();
    const failing = await create(lambda, {
      "index.js": 'exports.handler = async () => { throw new TypeError("boom"); };\n',
    });
    const handled = await invoke(lambda, { FunctionName: failing, Payload: payload({}) });
    assert.equal(handled.StatusCode, 200);
    assert.equal(handled.FunctionError, "Unhandled");
    assert.equal(handled.json?.errorType, "TypeError");
    assert.equal(handled.json?.errorMessage, "boom");
    assert.ok(Array.isArray(handled.json?.trace));

    const pyInit = await create(
      lambda,
      { "app.py": "raise Exception('Runtime startup fails')\n" },
      { runtime: "python3.12", handler: "app.handler" },
    );
    const init = await invoke(lambda, { FunctionName: pyInit, Payload: payload({}) });
    assert.equal(init.FunctionError, "Unhandled");
    assert.equal(init.json?.errorMessage, "Runtime startup fails");
    assert.equal(init.json?.errorType, "Exception");

    const slow = await create(
      lambda,
      { "index.js": "exports.handler = () => new Promise((r) => setTimeout(r, 5000));\n" },
      { timeout: 1 },
    );
    const timedOut = await invoke(lambda, { FunctionName: slow, Payload: payload({}) });
    assert.equal(timedOut.FunctionError, "Unhandled");
    assert.deepEqual(timedOut.json, {
      errorType: "Sandbox.Timedout",
      errorMessage: `RequestId: ${timedOut.$metadata.requestId} Error: Task timed out after 1.00 seconds`,
    });
  });

  it("returns the log tail with START, END and REPORT lines", async () => {
    const lambda = stratus.lambda();
    const name = await create(lambda, {
      "index.js": 'exports.handler = async () => { console.log("tail me"); return 1; };\n',
    });
    const first = await invoke(lambda, { FunctionName: name, LogType: "Tail" });
    const id = first.$metadata.requestId;
    const log = Buffer.from(first.LogResult ?? "", "base64").toString("utf8");
    const lines = log.split("\n");
    assert.equal(lines[0], `START RequestId: ${id} Version: $LATEST`);
    assert.match(log, /tail me/);
    assert.ok(lines.includes(`END RequestId: ${id}`), log);
    assert.match(
      log,
      new RegExp(
        `\\nREPORT RequestId: ${id}\\tDuration: \\d+\\.\\d{2} ms\\tBilled Duration: \\d+ ms\\tMemory Size: 128 MB\\tMax Memory Used: \\d+ MB\\tInit Duration: \\d+\\.\\d{2} ms\\t\\n$`,
      ),
    );
    // Warm: no Init Duration.
    const second = await invoke(lambda, { FunctionName: name, LogType: "Tail" });
    const warm = Buffer.from(second.LogResult ?? "", "base64").toString("utf8");
    assert.doesNotMatch(warm, /Init Duration/);
    assert.match(warm, /Max Memory Used: \d+ MB\t\n$/);
    // Without LogType Tail there is no log.
    assert.equal((await invoke(lambda, { FunctionName: name })).LogResult, undefined);
  });

  it("answers DryRun with 204 and Event with 202, running the function in the background", async () => {
    const lambda = stratus.lambda();
    const name = await create(lambda, {
      "index.js": `const fs = require("node:fs");
exports.handler = async (event) => { fs.writeFileSync(event.path, JSON.stringify(event)); };
`,
    });
    const dry = await lambda.send(new InvokeCommand({ FunctionName: name, InvocationType: "DryRun" }));
    assert.equal(dry.StatusCode, 204);
    const path = join(scratch, "event.json");
    const queued = await lambda.send(
      new InvokeCommand({ FunctionName: name, InvocationType: "Event", Payload: payload({ path, n: 7 }) }),
    );
    assert.equal(queued.StatusCode, 202);
    for (let i = 0; i < 100 && !existsSync(path); i++) await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(JSON.parse(await readFile(path, "utf8")), { path, n: 7 });
  });

  it("refuses an Event payload over 1 MB and a payload that is not JSON", async () => {
    const lambda = stratus.lambda();
    const name = await create(lambda, { "index.js": "exports.handler = async () => 1;\n" });
    const big = payload({ s: "x".repeat(1_100_000) });
    await rejects(
      lambda.send(new InvokeCommand({ FunctionName: name, InvocationType: "Event", Payload: big })),
      "RequestEntityTooLargeException",
      `${big.length} byte payload is too large for the Event invocation type (limit 1048576 bytes)`,
      413,
    );
    await rejects(
      lambda.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from("STRING_VALUE") })),
      "InvalidRequestContentException",
      `Could not parse request body into json: Could not parse payload into json: Unrecognized token 'STRING_VALUE': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')\n at [Source: (byte[])"STRING_VALUE"; line: 1, column: 13]`,
      400,
    );
  });

  it("answers ResourceNotFoundException for unknown functions and versions", async () => {
    const lambda = stratus.lambda();
    await rejects(
      lambda.send(new InvokeCommand({ FunctionName: "does-not-exist" })),
      "ResourceNotFoundException",
      `Function not found: ${ARN_PREFIX}does-not-exist:$LATEST`,
      404,
    );
    const name = await create(lambda, { "index.js": "exports.handler = async () => 1;\n" });
    await rejects(
      lambda.send(new InvokeCommand({ FunctionName: name, Qualifier: "3" })),
      "ResourceNotFoundException",
      `Function not found: ${ARN_PREFIX}${name}:3`,
      404,
    );
  });

  it("runs published version 1 by Qualifier, and new code after UpdateFunctionCode/Configuration", async () => {
    const lambda = stratus.lambda();
    const name = await create(
      lambda,
      {
        "index.js":
          'exports.handler = async (e, c) => ({ code: "v1", version: c.functionVersion, arn: c.invokedFunctionArn });\n',
      },
      { publish: true },
    );
    assert.equal((await invoke(lambda, { FunctionName: name })).json?.code, "v1");
    await lambda.send(
      new UpdateFunctionCodeCommand({
        FunctionName: name,
        ZipFile: makeZip({
          "index.js":
            'exports.handler = async (e, c) => ({ code: "v2", version: c.functionVersion, env: process.env.STAGE });\n',
        }),
      }),
    );
    const latest = await invoke(lambda, { FunctionName: name });
    assert.deepEqual(latest.json, { code: "v2", version: "$LATEST" });
    const v1 = await invoke(lambda, { FunctionName: name, Qualifier: "1" });
    assert.equal(v1.ExecutedVersion, "1");
    assert.deepEqual(v1.json, { code: "v1", version: "1", arn: `${ARN_PREFIX}${name}:1` });
    await lambda.send(
      new UpdateFunctionConfigurationCommand({
        FunctionName: name,
        Environment: { Variables: { STAGE: "prod" } },
      }),
    );
    assert.deepEqual((await invoke(lambda, { FunctionName: name })).json, {
      code: "v2",
      version: "$LATEST",
      env: "prod",
    });
    await lambda.send(new DeleteFunctionCommand({ FunctionName: name }));
    await rejects(
      lambda.send(new InvokeCommand({ FunctionName: name })),
      "ResourceNotFoundException",
      `Function not found: ${ARN_PREFIX}${name}:$LATEST`,
      404,
    );
  });

  it("lets Node (AWS SDK) and Python (boto3) functions use Stratus's DynamoDB with no endpoint in its code", async () => {
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
    const lambda = stratus.lambda();
    const name = await create(lambda, {
      "index.js": `const { DynamoDBClient, PutItemCommand } = require("@aws-sdk/client-dynamodb");
const client = new DynamoDBClient({});
exports.handler = async (event) => {
  await client.send(new PutItemCommand({ TableName: event.table, Item: { pk: { S: "from-lambda" }, v: { N: "42" } } }));
  return "stored";
};
`,
    });
    const out = await invoke(lambda, { FunctionName: name, Payload: payload({ table }) });
    assert.equal(out.FunctionError, undefined, JSON.stringify(out.json));
    const item = await dynamodb.send(
      new GetItemCommand({ TableName: table, Key: { pk: { S: "from-lambda" } } }),
    );
    assert.deepEqual(item.Item?.v, { N: "42" });

    // The same from Python with boto3.
    const py = await create(
      lambda,
      {
        "app.py": `import boto3
client = boto3.client("dynamodb")
def handler(event, context):
    client.put_item(TableName=event["table"], Item={"pk": {"S": "from-python"}, "v": {"N": "7"}})
    return "stored"
`,
      },
      { runtime: "python3.12", handler: "app.handler" },
    );
    const pyOut = await invoke(lambda, { FunctionName: py, Payload: payload({ table }) });
    assert.equal(pyOut.FunctionError, undefined, JSON.stringify(pyOut.json));
    const pyItem = await dynamodb.send(
      new GetItemCommand({ TableName: table, Key: { pk: { S: "from-python" } } }),
    );
    assert.deepEqual(pyItem.Item?.v, { N: "7" });
  });
});
