/**
 * The classic SAM workflow without the SAM CLI, as AWS's own SAM docs give it: `aws cloudformation
 * package` zips a function's local CodeUri folder into an S3 bucket and writes a template that points
 * at it; `aws cloudformation deploy --capabilities CAPABILITY_IAM` deploys that template, whose SAM
 * transform Stratus runs itself (a change set: CAPABILITY_AUTO_EXPAND is not needed, as on AWS). The
 * deployed HTTP API is then called, and the stack deleted.
 *
 * This one drives the AWS CLI v1 on PATH (pyenv's, ≥ 1.29): `package` uploads through an S3 client of
 * its own that ignores `--endpoint-url`, and only CLIs that read AWS_ENDPOINT_URL can point it at
 * Stratus — Debian's CLI v2 (2.9) predates that setting.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { runAwsCli } from "../support/aws-cli.ts";
import { useStratus } from "../support/stratus.ts";

/** Room for a few of the CLI's 30-second stack waiter polls. */
const COMMAND_TIMEOUT_MS = 200_000;
const STACK = `packaged-sam-${process.pid}`;
/** The CLI on PATH, if it is one that reads AWS_ENDPOINT_URL (v1 ≥ 1.29, v2 ≥ 2.13). */
const CLI = endpointAwareCli();

function endpointAwareCli(): string | undefined {
  try {
    const version = execFileSync("aws", ["--version"], { encoding: "utf8", timeout: 30_000 });
    const [major = 0, minor = 0] = (/aws-cli\/(\d+)\.(\d+)/.exec(version) ?? []).slice(1).map(Number);
    return (major === 1 && minor >= 29) || (major === 2 && minor >= 13) || major > 2 ? "aws" : undefined;
  } catch {
    return undefined;
  }
}
const BUCKET = `sam-artifacts-${process.pid}`;

const TEMPLATE = `AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  HelloFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: hello/
      Handler: app.handler
      Runtime: nodejs20.x
      Environment:
        Variables:
          GREETING: packaged
      Events:
        Hello:
          Type: HttpApi
          Properties:
            Path: /hello/{name}
            Method: GET
Outputs:
  ApiId:
    Value: !Ref ServerlessHttpApi
  FunctionName:
    Value: !Ref HelloFunction
`;

const HANDLER = `exports.handler = async (event) => ({
  greeting: process.env.GREETING,
  name: event.pathParameters.name,
  routeKey: event.routeKey,
});
`;

describe("AWS CLI v2: cloudformation package + deploy of a SAM template with local code", {
  skip: CLI ? false : "no AWS CLI on PATH that reads AWS_ENDPOINT_URL (v1 >= 1.29 or v2 >= 2.13)",
  timeout: 10 * 60_000,
}, () => {
  const stratus = useStratus({ inMemory: true });
  let dir = "";

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "stratus-cfn-package-"));
    await mkdir(join(dir, "hello"));
    await writeFile(join(dir, "hello", "app.js"), HANDLER);
    await writeFile(join(dir, "template.yaml"), TEMPLATE);
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function awsOk(...args: string[]): Promise<string> {
    // `cloudformation package` uploads with an S3 client of its own, which reads the endpoint from
    // the environment rather than from --endpoint-url.
    const env = { AWS_ENDPOINT_URL: stratus.url };
    const result = await runAwsCli(stratus.url, args, {
      cwd: dir,
      timeoutMs: COMMAND_TIMEOUT_MS,
      env,
      cli: CLI,
    });
    assert.equal(
      result.code,
      0,
      `aws ${args.join(" ")} exited ${result.code}:\n${result.stderr}\n${result.stdout}`,
    );
    return result.stdout;
  }

  it("packages the code to S3, deploys the SAM template, serves the API and deletes the stack", async () => {
    await awsOk("s3", "mb", `s3://${BUCKET}`);
    await awsOk(
      "cloudformation",
      "package",
      "--template-file",
      "template.yaml",
      "--s3-bucket",
      BUCKET,
      "--output-template-file",
      "packaged.yaml",
    );
    const packaged = await readFile(join(dir, "packaged.yaml"), "utf8");
    const codeUri = /CodeUri: (s3:\/\/\S+)/.exec(packaged)?.[1] ?? "";
    assert.match(codeUri, new RegExp(`^s3://${BUCKET}/[0-9a-f]{32}$`), packaged);
    const listing = JSON.parse(await awsOk("s3api", "list-objects-v2", "--bucket", BUCKET)) as {
      Contents: { Key: string }[];
    };
    assert.deepEqual(
      listing.Contents.map((object) => `s3://${BUCKET}/${object.Key}`),
      [codeUri],
    );

    const deployed = await awsOk(
      "cloudformation",
      "deploy",
      "--template-file",
      "packaged.yaml",
      "--stack-name",
      STACK,
      "--capabilities",
      "CAPABILITY_IAM",
    );
    assert.match(deployed, new RegExp(`Successfully created/updated stack - ${STACK}`));

    const described = JSON.parse(await awsOk("cloudformation", "describe-stacks", "--stack-name", STACK)) as {
      Stacks: { StackStatus: string; Outputs: { OutputKey: string; OutputValue: string }[] }[];
    };
    const stack = described.Stacks[0];
    assert.equal(stack?.StackStatus, "CREATE_COMPLETE");
    const outputs = Object.fromEntries((stack?.Outputs ?? []).map((o) => [o.OutputKey, o.OutputValue]));
    const response = await fetch(`${stratus.url}/_aws/execute-api/${outputs.ApiId}/hello/world`);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), {
      greeting: "packaged",
      name: "world",
      routeKey: "GET /hello/{name}",
    });

    await awsOk("cloudformation", "delete-stack", "--stack-name", STACK);
    await awsOk("cloudformation", "wait", "stack-delete-complete", "--stack-name", STACK);
    const gone = await runAwsCli(
      stratus.url,
      ["lambda", "get-function", "--function-name", outputs.FunctionName ?? ""],
      {
        cwd: dir,
        timeoutMs: COMMAND_TIMEOUT_MS,
      },
    );
    assert.notEqual(gone.code, 0);
    assert.match(gone.stderr, /ResourceNotFoundException/);
  });
});
