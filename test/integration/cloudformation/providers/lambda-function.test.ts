/**
 * AWS::Lambda::Function's provider driven directly against a started Stratus: create (inline code
 * zipped as index.js / index.py, code from S3, generated names, YAML-typed values, CloudFormation's
 * tags, reserved concurrency), in-place updates (configuration, code only when Code changed, tags,
 * concurrency), honest errors (container images, inline code for other runtimes, missing Role) and
 * delete, each checked through the AWS SDK.
 */
import assert from "node:assert/strict";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, it } from "node:test";
import {
  GetFunctionCommand,
  GetFunctionConcurrencyCommand,
  InvokeCommand,
  ListTagsCommand,
} from "@aws-sdk/client-lambda";
import { CreateBucketCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { lambdaProviders } from "../../../../src/services/cloudformation/providers/lambda/index.ts";
import type {
  CurrentResource,
  ProvisionedResource,
} from "../../../../src/services/cloudformation/providers/types.ts";
import { providerContextFor, TEST_ACCOUNT } from "../../../support/provider-context.ts";
import { useStratus } from "../../../support/stratus.ts";
import { makeZip, ROLE, sdkError } from "../../lambda/helpers.ts";

const TYPE = "AWS::Lambda::Function";
const provider = lambdaProviders[TYPE]!;

function current(resource: ProvisionedResource, properties: Record<string, unknown>): CurrentResource {
  return { ...resource, properties };
}

function decode(payload: Uint8Array | undefined): unknown {
  return JSON.parse(Buffer.from(payload ?? []).toString());
}

describe("AWS::Lambda::Function provider", () => {
  const stratus = useStratus();

  it("creates a Node.js function from inline code as index.js, named as CloudFormation names it", async () => {
    const context = providerContextFor(stratus, TYPE, "InlineNode", "fn-stack");
    const properties = {
      Runtime: "nodejs20.x",
      Handler: "index.handler",
      Role: ROLE,
      MemorySize: "256",
      Timeout: "10",
      Environment: { Variables: { PORT: 8080, MODE: "test" } },
      Code: { ZipFile: "exports.handler = async (e) => ({ got: e.n * 2, port: process.env.PORT });" },
    };
    const created = await provider.create(context, properties);
    assert.match(created.physicalId, /^fn-stack-InlineNode-[A-Z0-9]{13}$/);
    assert.equal(
      created.attributes.Arn,
      `arn:aws:lambda:${stratus.region}:${TEST_ACCOUNT}:function:${created.physicalId}`,
    );
    const fn = await stratus.lambda().send(new GetFunctionCommand({ FunctionName: created.physicalId }));
    assert.equal(fn.Configuration?.MemorySize, 256);
    assert.equal(fn.Configuration?.Timeout, 10);
    assert.deepEqual(fn.Configuration?.Environment?.Variables, { PORT: "8080", MODE: "test" });
    assert.equal(fn.Configuration?.State, "Active");
    const invoked = await stratus
      .lambda()
      .send(new InvokeCommand({ FunctionName: created.physicalId, Payload: JSON.stringify({ n: 21 }) }));
    assert.equal(invoked.FunctionError, undefined);
    assert.deepEqual(decode(invoked.Payload), { got: 42, port: "8080" });
  });

  it("zips inline Python code as index.py", async () => {
    const context = providerContextFor(stratus, TYPE, "InlinePython");
    const created = await provider.create(context, {
      Runtime: "python3.12",
      Handler: "index.handler",
      Role: ROLE,
      Code: { ZipFile: "def handler(event, context):\n    return {'py': event['n'] + 1}\n" },
    });
    const invoked = await stratus
      .lambda()
      .send(new InvokeCommand({ FunctionName: created.physicalId, Payload: JSON.stringify({ n: 1 }) }));
    assert.equal(invoked.FunctionError, undefined);
    assert.deepEqual(decode(invoked.Payload), { py: 2 });
  });

  it("adds cfn-response when inline Node.js code requires it, and it PUTs the response to ResponseURL", async () => {
    const received: { method?: string; contentType?: string; body: string }[] = [];
    const server = createServer((request: IncomingMessage, response) => {
      let body = "";
      request.on("data", (chunk) => {
        body += chunk;
      });
      request.on("end", () => {
        received.push({ method: request.method, contentType: request.headers["content-type"], body });
        response.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const port = (server.address() as AddressInfo).port;
      const context = providerContextFor(stratus, TYPE, "CustomResourceFn");
      const created = await provider.create(context, {
        FunctionName: "cfn-response-user",
        Runtime: "nodejs20.x",
        Handler: "index.handler",
        Role: ROLE,
        Code: {
          ZipFile: [
            "var response = require('cfn-response');",
            "exports.handler = function (event, context) {",
            "  response.send(event, context, response.SUCCESS, { Answer: 42 }, 'my-physical-id');",
            "};",
          ].join("\n"),
        },
      });
      const event = {
        RequestType: "Create",
        ResponseURL: `http://127.0.0.1:${port}/response?signed=1`,
        StackId: "arn:aws:cloudformation:us-east-1:000000000000:stack/s/1",
        RequestId: "req-1",
        LogicalResourceId: "Custom",
        ResourceType: "Custom::Thing",
      };
      const invoked = await stratus
        .lambda()
        .send(new InvokeCommand({ FunctionName: created.physicalId, Payload: JSON.stringify(event) }));
      assert.equal(invoked.FunctionError, undefined, Buffer.from(invoked.Payload ?? []).toString());
      assert.equal(received.length, 1);
      assert.equal(received[0]?.method, "PUT");
      assert.equal(received[0]?.contentType, "");
      const body = JSON.parse(received[0]?.body ?? "{}");
      assert.equal(body.Status, "SUCCESS");
      assert.equal(body.PhysicalResourceId, "my-physical-id");
      assert.equal(body.StackId, event.StackId);
      assert.equal(body.RequestId, "req-1");
      assert.equal(body.LogicalResourceId, "Custom");
      assert.deepEqual(body.Data, { Answer: 42 });
    } finally {
      server.close();
    }
  });

  it("adds cfnresponse when inline Python code imports it", async () => {
    const received: string[] = [];
    const server = createServer((request: IncomingMessage, response) => {
      let body = "";
      request.on("data", (chunk) => {
        body += chunk;
      });
      request.on("end", () => {
        received.push(`${request.method} ${body}`);
        response.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const port = (server.address() as AddressInfo).port;
      const context = providerContextFor(stratus, TYPE, "PyCustom");
      const created = await provider.create(context, {
        Runtime: "python3.12",
        Handler: "index.handler",
        Role: ROLE,
        Code: {
          ZipFile: [
            "import cfnresponse",
            "def handler(event, context):",
            "    cfnresponse.send(event, context, cfnresponse.FAILED, {'Why': 'test'}, 'py-id')",
          ].join("\n"),
        },
      });
      const event = {
        ResponseURL: `http://127.0.0.1:${port}/py`,
        StackId: "stack-id",
        RequestId: "req-py",
        LogicalResourceId: "PyResource",
      };
      const invoked = await stratus
        .lambda()
        .send(new InvokeCommand({ FunctionName: created.physicalId, Payload: JSON.stringify(event) }));
      assert.equal(invoked.FunctionError, undefined, Buffer.from(invoked.Payload ?? []).toString());
      assert.equal(received.length, 1);
      const [method, ...rest] = (received[0] ?? "").split(" ");
      assert.equal(method, "PUT");
      const body = JSON.parse(rest.join(" "));
      assert.equal(body.Status, "FAILED");
      assert.equal(body.PhysicalResourceId, "py-id");
      assert.equal(body.RequestId, "req-py");
      assert.deepEqual(body.Data, { Why: "test" });
    } finally {
      server.close();
    }
  });

  it("includes cfn-response only for the exact require, as AWS does", async () => {
    const context = providerContextFor(stratus, TYPE, "NoModule");
    const created = await provider.create(context, {
      Runtime: "nodejs20.x",
      Handler: "index.handler",
      Role: ROLE,
      Code: {
        ZipFile:
          "exports.handler = async () => { try { require('cfn-response'); return 'found'; } catch { return 'missing'; } };",
      },
    });
    const invoked = await stratus.lambda().send(new InvokeCommand({ FunctionName: created.physicalId }));
    // The source does contain the exact require, so the module is there; a variant would not get it.
    assert.equal(decode(invoked.Payload), "found");
    const other = await provider.create(providerContextFor(stratus, TYPE, "Variant"), {
      Runtime: "nodejs20.x",
      Handler: "index.handler",
      Role: ROLE,
      Code: {
        ZipFile:
          "const name = 'cfn-' + 'response'; exports.handler = async () => { try { require(name); return 'found'; } catch { return 'missing'; } };",
      },
    });
    const variant = await stratus.lambda().send(new InvokeCommand({ FunctionName: other.physicalId }));
    assert.equal(decode(variant.Payload), "missing");
  });

  it("moves the function to a new architecture with UpdateFunctionCode", async () => {
    const context = providerContextFor(stratus, TYPE, "Arch");
    const first = {
      FunctionName: "cfn-arch",
      Runtime: "nodejs20.x",
      Handler: "index.handler",
      Role: ROLE,
      Code: { ZipFile: "exports.handler = async () => 1;" },
    };
    const created = await provider.create(context, first);
    const second = { ...first, Architectures: ["arm64"] };
    await provider.update!(context, current(created, first), second);
    const fn = await stratus.lambda().send(new GetFunctionCommand({ FunctionName: "cfn-arch" }));
    assert.deepEqual(fn.Configuration?.Architectures, ["arm64"]);
  });

  it("takes code from S3, tags the function with the template's and the stack's tags, reserves concurrency", async () => {
    const s3 = stratus.s3();
    await s3.send(new CreateBucketCommand({ Bucket: "cfn-code" }));
    await s3.send(
      new PutObjectCommand({
        Bucket: "cfn-code",
        Key: "fn.zip",
        Body: makeZip({ "app.js": "exports.go = async () => 'from s3';" }),
      }),
    );
    const context = providerContextFor(stratus, TYPE, "FromS3", "tag-stack");
    const created = await provider.create(context, {
      FunctionName: "cfn-from-s3",
      Runtime: "nodejs20.x",
      Handler: "app.go",
      Role: ROLE,
      Code: { S3Bucket: "cfn-code", S3Key: "fn.zip" },
      Tags: [{ Key: "team", Value: "core" }],
      ReservedConcurrentExecutions: "3",
    });
    assert.equal(created.physicalId, "cfn-from-s3");
    const lambda = stratus.lambda();
    const invoked = await lambda.send(new InvokeCommand({ FunctionName: "cfn-from-s3" }));
    assert.equal(decode(invoked.Payload), "from s3");
    const tags = await lambda.send(new ListTagsCommand({ Resource: String(created.attributes.Arn) }));
    assert.deepEqual(tags.Tags, {
      team: "core",
      "aws:cloudformation:stack-name": "tag-stack",
      "aws:cloudformation:logical-id": "FromS3",
      "aws:cloudformation:stack-id": context.stackId,
    });
    const concurrency = await lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: "cfn-from-s3" }));
    assert.equal(concurrency.ReservedConcurrentExecutions, 3);
  });

  it("updates configuration in place, leaves the code alone when Code is unchanged, resets removed settings", async () => {
    const context = providerContextFor(stratus, TYPE, "Updated");
    const code = { ZipFile: "exports.handler = async () => 'v1';" };
    const first = {
      FunctionName: "cfn-updated",
      Runtime: "nodejs20.x",
      Handler: "index.handler",
      Role: ROLE,
      Description: "first",
      Timeout: 30,
      Code: code,
      Tags: [
        { Key: "keep", Value: "1" },
        { Key: "drop", Value: "1" },
      ],
      ReservedConcurrentExecutions: 2,
    };
    const created = await provider.create(context, first);
    const lambda = stratus.lambda();
    const before = await lambda.send(new GetFunctionCommand({ FunctionName: "cfn-updated" }));

    const second = {
      ...first,
      Description: undefined,
      Timeout: undefined,
      MemorySize: 512,
      Tags: [
        { Key: "keep", Value: "2" },
        { Key: "new", Value: "x" },
      ],
      ReservedConcurrentExecutions: undefined,
    };
    const updated = await provider.update!(context, current(created, first), second);
    assert.equal(updated.physicalId, "cfn-updated");
    assert.equal(updated.attributes.Arn, created.attributes.Arn);
    const after = await lambda.send(new GetFunctionCommand({ FunctionName: "cfn-updated" }));
    assert.equal(after.Configuration?.MemorySize, 512);
    assert.equal(after.Configuration?.Timeout, 3, "a removed Timeout returns to Lambda's default");
    assert.equal(after.Configuration?.Description, "");
    assert.equal(after.Configuration?.CodeSha256, before.Configuration?.CodeSha256);
    const tags = await lambda.send(new ListTagsCommand({ Resource: String(created.attributes.Arn) }));
    assert.equal(tags.Tags?.keep, "2");
    assert.equal(tags.Tags?.new, "x");
    assert.equal(tags.Tags?.drop, undefined);
    assert.equal(tags.Tags?.["aws:cloudformation:logical-id"], "Updated");
    const concurrency = await lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: "cfn-updated" }));
    assert.equal(concurrency.ReservedConcurrentExecutions, undefined);

    const third = { ...second, Code: { ZipFile: "exports.handler = async () => 'v2';" } };
    await provider.update!(context, current(updated, second), third);
    const recoded = await lambda.send(new GetFunctionCommand({ FunctionName: "cfn-updated" }));
    assert.notEqual(recoded.Configuration?.CodeSha256, before.Configuration?.CodeSha256);
    const invoked = await lambda.send(new InvokeCommand({ FunctionName: "cfn-updated" }));
    assert.equal(decode(invoked.Payload), "v2");
  });

  it("rebuilds inline code as index.py when the runtime moves from Node.js to Python", async () => {
    const context = providerContextFor(stratus, TYPE, "Polyglot");
    const first = {
      FunctionName: "cfn-polyglot",
      Runtime: "nodejs20.x",
      Handler: "index.handler",
      Role: ROLE,
      Code: { ZipFile: "exports.handler = async () => 'js';" },
    };
    const created = await provider.create(context, first);
    const second = {
      ...first,
      Runtime: "python3.12",
      Code: { ZipFile: "def handler(event, context):\n    return 'py'\n" },
    };
    await provider.update!(context, current(created, first), second);
    const invoked = await stratus.lambda().send(new InvokeCommand({ FunctionName: "cfn-polyglot" }));
    assert.equal(decode(invoked.Payload), "py");
  });

  it("replaces on FunctionName and PackageType", () => {
    assert.deepEqual([...(provider.replaceOn ?? [])].sort(), ["FunctionName", "PackageType"]);
  });

  it("deletes the function, and a second delete succeeds", async () => {
    const context = providerContextFor(stratus, TYPE, "Deleted");
    const properties = {
      FunctionName: "cfn-deleted",
      Runtime: "python3.12",
      Handler: "index.handler",
      Role: ROLE,
      Code: { ZipFile: "def handler(e, c):\n    return 1\n" },
    };
    const created = await provider.create(context, properties);
    await provider.delete(context, current(created, properties));
    const error = await sdkError(
      stratus.lambda().send(new GetFunctionCommand({ FunctionName: "cfn-deleted" })),
    );
    assert.equal(error.name, "ResourceNotFoundException");
    await provider.delete(context, current(created, properties));
  });

  it("fails honestly for container images, inline code of other runtimes, and a missing Role", async () => {
    const context = providerContextFor(stratus, TYPE, "Bad");
    await assert.rejects(
      provider.create(context, { Role: ROLE, PackageType: "Image", Code: { ImageUri: "x.dkr.ecr/img:1" } }),
      /Stratus does not support container image functions/,
    );
    await assert.rejects(
      provider.create(context, {
        Role: ROLE,
        Runtime: "java21",
        Handler: "a.B::h",
        Code: { ZipFile: "class B {}" },
      }),
      /Properties validation failed for resource Bad with message: #\/Code\/ZipFile: inline code is supported only for Node.js and Python runtimes/,
    );
    await assert.rejects(
      provider.create(context, { Runtime: "nodejs20.x", Handler: "index.h", Code: { ZipFile: "x" } }),
      {
        message:
          "Properties validation failed for resource Bad with message: #: required key [Role] not found",
      },
    );
    await assert.rejects(
      provider.create(context, {
        Role: ROLE,
        Runtime: "nodejs20.x",
        Handler: "index.h",
        Timeout: "ten",
        Code: { ZipFile: "x" },
      }),
      {
        message:
          "Properties validation failed for resource Bad with message: #/Timeout: expected type: Integer, found: String",
      },
    );
  });

  it("deletes the function again when a step after CreateFunction fails", async () => {
    const context = providerContextFor(stratus, TYPE, "TooMuchConcurrency");
    await assert.rejects(
      provider.create(context, {
        FunctionName: "cfn-too-much",
        Runtime: "nodejs20.x",
        Handler: "index.handler",
        Role: ROLE,
        ReservedConcurrentExecutions: 100000,
        Code: { ZipFile: "exports.handler = async () => 1;" },
      }),
      (error: Error & { code?: string }) => {
        assert.equal(error.code, "InvalidParameterValueException");
        return true;
      },
    );
    const error = await sdkError(
      stratus.lambda().send(new GetFunctionCommand({ FunctionName: "cfn-too-much" })),
    );
    assert.equal(error.name, "ResourceNotFoundException");
  });

  it("lets Lambda's own validation errors through", async () => {
    const context = providerContextFor(stratus, TYPE, "Invalid");
    await assert.rejects(
      provider.create(context, {
        FunctionName: "cfn-invalid",
        Role: ROLE,
        Runtime: "nodejs20.x",
        Handler: "index.handler",
        Timeout: 901,
        Code: { ZipFile: "exports.handler = async () => 1;" },
      }),
      (error: Error & { code?: string }) => {
        assert.equal(error.code, "ValidationException");
        assert.match(error.message, /Member must have value less than or equal to 900/);
        return true;
      },
    );
  });
});
