/**
 * The Lambda control plane through @aws-sdk/client-lambda: create, read, list (pagination), update
 * code and configuration, delete, and the SDK waiters.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describe, it } from "node:test";
import {
  CreateFunctionCommand,
  DeleteFunctionCommand,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  ListFunctionsCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionActiveV2,
  waitUntilFunctionUpdatedV2,
} from "@aws-sdk/client-lambda";
import { useStratus } from "../../support/stratus.ts";
import { createTestFunction, makeZip, nodeZip, ROLE, rejects, uniqueName } from "./helpers.ts";

const ARN_PREFIX = "arn:aws:lambda:us-east-1:000000000000:function:";
const LAST_MODIFIED = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("Lambda functions", () => {
  const stratus = useStratus({ inMemory: true });

  it("creates a function and answers the full FunctionConfiguration, Pending", async () => {
    const lambda = stratus.lambda();
    const name = uniqueName();
    const zip = nodeZip();
    const created = await lambda.send(
      new CreateFunctionCommand({
        FunctionName: name,
        Runtime: "nodejs20.x",
        Role: ROLE,
        Handler: "index.handler",
        Code: { ZipFile: zip },
        Description: "a test function",
        Timeout: 10,
        MemorySize: 256,
        Environment: { Variables: { GREETING: "hello" } },
        Tags: { team: "core" },
      }),
    );
    assert.equal(created.$metadata.httpStatusCode, 201);
    assert.equal(created.FunctionName, name);
    assert.equal(created.FunctionArn, `${ARN_PREFIX}${name}`);
    assert.equal(created.Runtime, "nodejs20.x");
    assert.equal(created.Role, ROLE);
    assert.equal(created.Handler, "index.handler");
    assert.equal(created.CodeSize, zip.length);
    assert.equal(created.CodeSha256, createHash("sha256").update(zip).digest("base64"));
    assert.equal(created.Description, "a test function");
    assert.equal(created.Timeout, 10);
    assert.equal(created.MemorySize, 256);
    assert.match(created.LastModified ?? "", LAST_MODIFIED);
    assert.equal(created.Version, "$LATEST");
    assert.deepEqual(created.Environment, { Variables: { GREETING: "hello" } });
    assert.deepEqual(created.TracingConfig, { Mode: "PassThrough" });
    assert.match(created.RevisionId ?? "", UUID);
    assert.equal(created.State, "Pending");
    assert.equal(created.StateReason, "The function is being created.");
    assert.equal(created.StateReasonCode, "Creating");
    assert.equal(created.PackageType, "Zip");
    assert.deepEqual(created.Architectures, ["x86_64"]);
    assert.deepEqual(created.EphemeralStorage, { Size: 512 });
    assert.deepEqual(created.LoggingConfig, { LogFormat: "Text", LogGroup: `/aws/lambda/${name}` });
    assert.deepEqual(created.SnapStart, { ApplyOn: "None", OptimizationStatus: "Off" });

    await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 5, minDelay: 1 }, { FunctionName: name });
    const got = await lambda.send(new GetFunctionCommand({ FunctionName: name }));
    assert.equal(got.Configuration?.State, "Active");
    assert.equal(got.Configuration?.LastUpdateStatus, "Successful");
    assert.equal(got.Configuration?.StateReason, undefined);
    assert.equal(got.Configuration?.RevisionId, created.RevisionId);
    assert.equal(got.Code?.RepositoryType, "S3");
    assert.match(got.Code?.Location ?? "", /^http:\/\/.+\/_stratus\/lambda\/code\/[0-9a-f]{64}\.zip$/);
    assert.deepEqual(got.Tags, { team: "core" });
  });

  it("defaults Timeout 3, MemorySize 128 and leaves Environment out when none is given", async () => {
    const lambda = stratus.lambda();
    const name = uniqueName();
    await lambda.send(
      new CreateFunctionCommand({
        FunctionName: name,
        Runtime: "python3.12",
        Role: ROLE,
        Handler: "app.handler",
        Code: { ZipFile: makeZip({ "app.py": "def handler(event, context):\n    return 1\n" }) },
        Architectures: ["arm64"],
      }),
    );
    const config = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name }));
    assert.equal(config.Timeout, 3);
    assert.equal(config.MemorySize, 128);
    assert.equal(config.Description, "");
    assert.equal(config.Environment, undefined);
    assert.deepEqual(config.Architectures, ["arm64"]);
    const got = await lambda.send(new GetFunctionCommand({ FunctionName: name }));
    assert.equal(got.Tags, undefined);
  });

  it("accepts the function as name, partial ARN and full ARN, with $LATEST as qualifier", async () => {
    const lambda = stratus.lambda();
    const name = uniqueName();
    await lambda.send(
      new CreateFunctionCommand({
        FunctionName: name,
        Runtime: "nodejs22.x",
        Role: ROLE,
        Handler: "index.handler",
        Code: { ZipFile: nodeZip() },
      }),
    );
    for (const form of [
      name,
      `000000000000:function:${name}`,
      `${ARN_PREFIX}${name}`,
      `${ARN_PREFIX}${name}:$LATEST`,
    ]) {
      const config = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: form }));
      assert.equal(config.FunctionName, name, form);
    }
    const latest = await lambda.send(
      new GetFunctionConfigurationCommand({ FunctionName: name, Qualifier: "$LATEST" }),
    );
    assert.equal(latest.Version, "$LATEST");
  });

  it("lists functions in pages with MaxItems and Marker", async () => {
    const lambda = stratus.lambda({ accessKeyId: "222222222222", secretAccessKey: "test" });
    const names = ["page-a", "page-b", "page-c", "page-d", "page-e"];
    for (const name of names) {
      await createTestFunction(lambda, { FunctionName: name });
    }
    const seen: string[] = [];
    let marker: string | undefined;
    let pages = 0;
    do {
      const page = await lambda.send(new ListFunctionsCommand({ MaxItems: 2, Marker: marker }));
      pages++;
      for (const fn of page.Functions ?? []) {
        seen.push(fn.FunctionName ?? "");
        assert.equal(fn.State, undefined, "ListFunctions leaves State out");
        assert.equal(fn.Version, "$LATEST");
      }
      marker = page.NextMarker;
    } while (marker);
    assert.deepEqual(seen, names);
    assert.equal(pages, 3);
    const all = await lambda.send(new ListFunctionsCommand({}));
    assert.equal(all.Functions?.length, 5);
    assert.equal(all.NextMarker, undefined);
  });

  it("updates code: new CodeSha256, CodeSize and RevisionId; InProgress, then Successful", async () => {
    const lambda = stratus.lambda();
    const name = uniqueName();
    const created = await lambda.send(
      new CreateFunctionCommand({
        FunctionName: name,
        Runtime: "nodejs20.x",
        Role: ROLE,
        Handler: "index.handler",
        Code: { ZipFile: nodeZip() },
      }),
    );
    const zip = nodeZip("exports.handler = async () => 2;\n");
    const updated = await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: name, ZipFile: zip }));
    assert.equal(updated.CodeSha256, createHash("sha256").update(zip).digest("base64"));
    assert.equal(updated.CodeSize, zip.length);
    assert.notEqual(updated.RevisionId, created.RevisionId);
    assert.equal(updated.State, "Active");
    assert.equal(updated.LastUpdateStatus, "InProgress");
    await waitUntilFunctionUpdatedV2({ client: lambda, maxWaitTime: 5, minDelay: 1 }, { FunctionName: name });
    const config = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name }));
    assert.equal(config.LastUpdateStatus, "Successful");
    assert.equal(config.CodeSha256, updated.CodeSha256);
    assert.equal(config.RevisionId, updated.RevisionId);
  });

  it("updates configuration and keeps what the update leaves out", async () => {
    const lambda = stratus.lambda();
    const name = uniqueName();
    await lambda.send(
      new CreateFunctionCommand({
        FunctionName: name,
        Runtime: "nodejs20.x",
        Role: ROLE,
        Handler: "index.handler",
        Code: { ZipFile: nodeZip() },
        Environment: { Variables: { AA: "1" } },
        Description: "before",
      }),
    );
    const updated = await lambda.send(
      new UpdateFunctionConfigurationCommand({
        FunctionName: name,
        Environment: { Variables: { BB: "2" } },
        Timeout: 30,
        MemorySize: 1024,
        Handler: "main.run",
        Runtime: "nodejs22.x",
        Role: "arn:aws:iam::000000000000:role/other",
      }),
    );
    assert.deepEqual(updated.Environment, { Variables: { BB: "2" } });
    assert.equal(updated.Timeout, 30);
    assert.equal(updated.MemorySize, 1024);
    assert.equal(updated.Handler, "main.run");
    assert.equal(updated.Runtime, "nodejs22.x");
    assert.equal(updated.Role, "arn:aws:iam::000000000000:role/other");
    assert.equal(updated.Description, "before");
    assert.equal(updated.LastUpdateStatus, "InProgress");
    await waitUntilFunctionUpdatedV2({ client: lambda, maxWaitTime: 5, minDelay: 1 }, { FunctionName: name });
    const config = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name }));
    assert.equal(config.Timeout, 30);
    assert.equal(config.Handler, "main.run");
  });

  it("refuses an update with a stale RevisionId", async () => {
    const lambda = stratus.lambda();
    const name = uniqueName();
    const created = await lambda.send(
      new CreateFunctionCommand({
        FunctionName: name,
        Runtime: "nodejs20.x",
        Role: ROLE,
        Handler: "index.handler",
        Code: { ZipFile: nodeZip() },
      }),
    );
    await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, Timeout: 5 }));
    await rejects(
      lambda.send(
        new UpdateFunctionConfigurationCommand({
          FunctionName: name,
          Timeout: 6,
          RevisionId: created.RevisionId,
        }),
      ),
      "PreconditionFailedException",
      "The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id",
      412,
    );
  });

  it("publishes version 1 on CreateFunction with Publish and reads it by qualifier", async () => {
    const lambda = stratus.lambda();
    const name = uniqueName();
    const created = await lambda.send(
      new CreateFunctionCommand({
        FunctionName: name,
        Runtime: "nodejs20.x",
        Role: ROLE,
        Handler: "index.handler",
        Code: { ZipFile: nodeZip() },
        Publish: true,
      }),
    );
    assert.equal(created.Version, "1");
    assert.equal(created.FunctionArn, `${ARN_PREFIX}${name}:1`);
    const v1 = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name, Qualifier: "1" }));
    assert.equal(v1.Version, "1");
    await rejects(
      lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name, Qualifier: "2" })),
      "ResourceNotFoundException",
      `Function not found: ${ARN_PREFIX}${name}:2`,
      404,
    );
  });

  it("deletes a function (204), after which it is not found", async () => {
    const lambda = stratus.lambda();
    const name = uniqueName();
    await createTestFunction(lambda, { FunctionName: name });
    const deleted = await lambda.send(new DeleteFunctionCommand({ FunctionName: `${ARN_PREFIX}${name}` }));
    assert.equal(deleted.$metadata.httpStatusCode, 204);
    await rejects(
      lambda.send(new GetFunctionCommand({ FunctionName: name })),
      "ResourceNotFoundException",
      `Function not found: ${ARN_PREFIX}${name}`,
      404,
    );
    await rejects(
      lambda.send(new DeleteFunctionCommand({ FunctionName: name })),
      "ResourceNotFoundException",
      `Function not found: ${ARN_PREFIX}${name}`,
      404,
    );
  });
});
