/**
 * API Gateway as a user drives it from a shell with the AWS CLI v2 (/usr/bin/aws; .ci/run installs
 * it): a function from a zip file, an HTTP API quick-created with `--target` whose printed
 * ApiEndpoint answers with the function's reply, and a REST API imported from an OpenAPI file
 * (`import-rest-api --body fileb://`), listed by get-rest-apis, deployed and called.
 *
 * The printed endpoint is `http://{apiId}.execute-api.localhost:{port}`, which Node cannot resolve
 * here: requests go to 127.0.0.1 with that endpoint's Host header.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { makeZip, ROLE, uniqueName } from "../integration/lambda/helpers.ts";
import { callUrl } from "../integration/lambda/urls/http.ts";
import { AWS_CLI, AWS_CLI_ENV } from "../support/aws-cli.ts";
import { useStratus } from "../support/stratus.ts";

const run = promisify(execFile);
const AWS = AWS_CLI;
const CLI_ENV = AWS_CLI_ENV;

const HANDLER = `exports.handler = async (event) => ({
  statusCode: 200,
  headers: { "content-type": "application/json" },
  body: JSON.stringify({ hello: "from lambda", path: event.rawPath || event.path, method: (event.requestContext.http || {}).method || event.httpMethod }),
});
`;

describe("AWS CLI v2: apigatewayv2 and apigateway", {
  skip: existsSync(AWS) ? false : `${AWS} is not installed (.ci/run installs it)`,
}, () => {
  const stratus = useStratus({ inMemory: true });
  let dir = "";
  let functionArn = "";

  async function aws(...args: string[]): Promise<Record<string, unknown>> {
    const { stdout } = await run(AWS, ["--endpoint-url", stratus.url, "--output", "json", ...args], {
      env: CLI_ENV,
      cwd: dir,
      timeout: 60_000,
    });
    return JSON.parse(stdout) as Record<string, unknown>;
  }

  /** GET on an endpoint the CLI printed: to 127.0.0.1 with the endpoint's host. */
  function call(endpoint: string, path: string) {
    const url = new URL(endpoint);
    return callUrl(stratus.server.port, { host: url.host, path });
  }

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "stratus-apigw-cli-"));
    await writeFile(join(dir, "function.zip"), makeZip({ "index.js": HANDLER }));
    const created = await aws(
      "lambda",
      "create-function",
      "--function-name",
      uniqueName("cli-api"),
      "--runtime",
      "nodejs20.x",
      "--handler",
      "index.handler",
      "--role",
      ROLE,
      "--zip-file",
      "fileb://function.zip",
    );
    functionArn = String(created.FunctionArn);
    assert.match(functionArn, /^arn:aws:lambda:us-east-1:\d{12}:function:cli-api-/);
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("create-api --target: the printed ApiEndpoint answers with the function's reply", async () => {
    const api = await aws(
      "apigatewayv2",
      "create-api",
      "--name",
      "demo",
      "--protocol-type",
      "HTTP",
      "--target",
      functionArn,
    );
    assert.equal(api.Name, "demo");
    assert.equal(api.ProtocolType, "HTTP");
    const endpoint = String(api.ApiEndpoint);
    assert.equal(endpoint, `http://${api.ApiId}.execute-api.localhost:${stratus.server.port}`);
    const response = await call(endpoint, "/any/path");
    assert.equal(response.status, 200, response.text);
    assert.deepEqual(JSON.parse(response.text), { hello: "from lambda", path: "/any/path", method: "GET" });
    assert.match(String(response.headers["apigw-requestid"]), /^[A-Za-z0-9]{15}=$/);
  });

  it("import-rest-api --body fileb://openapi.json, get-rest-apis, create-deployment, then a call", async () => {
    const document = {
      openapi: "3.0.1",
      info: { title: "cli-imported", version: "1" },
      paths: {
        "/greet": {
          get: {
            responses: { "200": { description: "ok" } },
            "x-amazon-apigateway-integration": {
              type: "aws_proxy",
              httpMethod: "POST",
              uri: `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${functionArn}/invocations`,
            },
          },
        },
      },
    };
    await writeFile(join(dir, "openapi.json"), JSON.stringify(document));
    const imported = await aws("apigateway", "import-rest-api", "--body", "fileb://openapi.json");
    assert.equal(imported.name, "cli-imported");
    const restApiId = String(imported.id);

    const listed = await aws("apigateway", "get-rest-apis");
    const items = listed.items as { id: string; name: string }[];
    assert.deepEqual(
      items.filter((item) => item.id === restApiId).map((item) => item.name),
      ["cli-imported"],
    );

    await aws("apigateway", "create-deployment", "--rest-api-id", restApiId, "--stage-name", "prod");
    const response = await call(
      `http://${restApiId}.execute-api.localhost:${stratus.server.port}`,
      "/prod/greet",
    );
    assert.equal(response.status, 200, response.text);
    assert.deepEqual(JSON.parse(response.text), { hello: "from lambda", path: "/greet", method: "GET" });
    assert.ok(response.headers["x-amzn-requestid"]);
  });
});
