/**
 * Function URL control plane through @aws-sdk/client-lambda: Create/Get/Update/Delete/List, the URL's
 * shape, qualifiers (aliases only), validation and not-found/conflict errors, and DeleteFunction
 * removing the URLs.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  CreateAliasCommand,
  CreateFunctionUrlConfigCommand,
  type CreateFunctionUrlConfigCommandInput,
  DeleteFunctionCommand,
  DeleteFunctionUrlConfigCommand,
  GetFunctionUrlConfigCommand,
  type InvokeMode,
  type LambdaClient,
  ListFunctionUrlConfigsCommand,
  PublishVersionCommand,
  UpdateFunctionUrlConfigCommand,
} from "@aws-sdk/client-lambda";
import { useStratus } from "../../../support/stratus.ts";
import { createTestFunction, rejects } from "../helpers.ts";

const ARN_PREFIX = "arn:aws:lambda:us-east-1:000000000000:function:";
const ISO_MICROS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

function createFunction(lambda: LambdaClient, publish = false): Promise<string> {
  return createTestFunction(lambda, { prefix: "url", Publish: publish });
}

describe("Lambda Function URL configs", () => {
  const stratus = useStratus({ inMemory: true });

  it("creates, gets, updates, lists and deletes a $LATEST URL", async () => {
    const lambda = stratus.lambda();
    const name = await createFunction(lambda);
    const created = await lambda.send(
      new CreateFunctionUrlConfigCommand({ FunctionName: name, AuthType: "NONE" }),
    );
    assert.equal(created.$metadata.httpStatusCode, 201);
    assert.match(
      created.FunctionUrl ?? "",
      new RegExp(`^http://[a-z0-9]{32}\\.lambda-url\\.us-east-1\\.localhost:${stratus.server.port}/$`),
    );
    assert.equal(created.FunctionArn, `${ARN_PREFIX}${name}`);
    assert.equal(created.AuthType, "NONE");
    assert.match(created.CreationTime ?? "", ISO_MICROS);
    // Lambda leaves InvokeMode and Cors out when the request named none.
    assert.equal(created.InvokeMode, undefined);
    assert.equal(created.Cors, undefined);

    const got = await lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: name }));
    assert.equal(got.FunctionUrl, created.FunctionUrl);
    assert.equal(got.CreationTime, created.CreationTime);
    assert.match(got.LastModifiedTime ?? "", ISO_MICROS);

    const updated = await lambda.send(
      new UpdateFunctionUrlConfigCommand({
        FunctionName: name,
        AuthType: "AWS_IAM",
        Cors: { AllowOrigins: ["https://example.com"], AllowMethods: ["GET"], MaxAge: 60 },
        InvokeMode: "RESPONSE_STREAM",
      }),
    );
    assert.equal(updated.AuthType, "AWS_IAM");
    assert.deepEqual(updated.Cors, {
      AllowOrigins: ["https://example.com"],
      AllowMethods: ["GET"],
      MaxAge: 60,
    });
    assert.equal(updated.InvokeMode, "RESPONSE_STREAM");
    assert.equal(updated.FunctionUrl, created.FunctionUrl);
    // An update without InvokeMode keeps the previous one (recorded from Lambda).
    const again = await lambda.send(new UpdateFunctionUrlConfigCommand({ FunctionName: name }));
    assert.equal(again.InvokeMode, "RESPONSE_STREAM");
    assert.equal(again.AuthType, "AWS_IAM");

    const listed = await lambda.send(new ListFunctionUrlConfigsCommand({ FunctionName: name }));
    assert.equal(listed.FunctionUrlConfigs?.length, 1);
    assert.equal(listed.FunctionUrlConfigs?.[0]?.FunctionUrl, created.FunctionUrl);

    const deleted = await lambda.send(new DeleteFunctionUrlConfigCommand({ FunctionName: name }));
    assert.equal(deleted.$metadata.httpStatusCode, 204);
    await rejects(
      lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: name })),
      "ResourceNotFoundException",
      "The resource you requested does not exist.",
      404,
    );
    const empty = await lambda.send(new ListFunctionUrlConfigsCommand({ FunctionName: name }));
    assert.deepEqual(empty.FunctionUrlConfigs, []);
  });

  it("answers ResourceConflictException for a second URL", async () => {
    const lambda = stratus.lambda();
    const name = await createFunction(lambda);
    await lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: name, AuthType: "NONE" }));
    await rejects(
      lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: name, AuthType: "NONE" })),
      "ResourceConflictException",
      `Failed to create function url config for [functionArn = ${ARN_PREFIX}${name}]. Error message:  FunctionUrlConfig exists for this Lambda function`,
      409,
    );
  });

  it("gives an alias its own URL with a qualified FunctionArn, and lists both with paging", async () => {
    const lambda = stratus.lambda();
    const name = await createFunction(lambda);
    const version = await lambda.send(new PublishVersionCommand({ FunctionName: name }));
    await lambda.send(
      new CreateAliasCommand({ FunctionName: name, Name: "live", FunctionVersion: version.Version }),
    );
    const latest = await lambda.send(
      new CreateFunctionUrlConfigCommand({ FunctionName: name, AuthType: "NONE" }),
    );
    const live = await lambda.send(
      new CreateFunctionUrlConfigCommand({
        FunctionName: name,
        Qualifier: "live",
        AuthType: "NONE",
        InvokeMode: "BUFFERED",
      }),
    );
    assert.equal(live.FunctionArn, `${ARN_PREFIX}${name}:live`);
    assert.equal(live.InvokeMode, "BUFFERED");
    assert.notEqual(live.FunctionUrl, latest.FunctionUrl);
    const byArn = await lambda.send(
      new GetFunctionUrlConfigCommand({ FunctionName: `${ARN_PREFIX}${name}:live` }),
    );
    assert.equal(byArn.FunctionUrl, live.FunctionUrl);

    const first = await lambda.send(new ListFunctionUrlConfigsCommand({ FunctionName: name, MaxItems: 1 }));
    assert.equal(first.FunctionUrlConfigs?.length, 1);
    assert.ok(first.NextMarker);
    const second = await lambda.send(
      new ListFunctionUrlConfigsCommand({ FunctionName: name, MaxItems: 1, Marker: first.NextMarker }),
    );
    assert.equal(second.FunctionUrlConfigs?.length, 1);
    assert.equal(second.NextMarker, undefined);
    const urls = [
      first.FunctionUrlConfigs?.[0]?.FunctionUrl,
      second.FunctionUrlConfigs?.[0]?.FunctionUrl,
    ].sort();
    assert.deepEqual(urls, [latest.FunctionUrl, live.FunctionUrl].sort());
  });

  it("refuses version qualifiers, unknown aliases and functions, and bad members", async () => {
    const lambda = stratus.lambda();
    const name = await createFunction(lambda, true);
    await rejects(
      lambda.send(
        new CreateFunctionUrlConfigCommand({ FunctionName: name, Qualifier: "1", AuthType: "NONE" }),
      ),
      "ValidationException",
      "1 validation error detected: Value '1' at 'qualifier' failed to satisfy constraint: Member must satisfy regular expression pattern: ((?!^\\d+$)^[0-9a-zA-Z-_]+$)",
      400,
    );
    await rejects(
      lambda.send(
        new CreateFunctionUrlConfigCommand({ FunctionName: name, Qualifier: "nope", AuthType: "NONE" }),
      ),
      "ResourceNotFoundException",
      "Function does not exist",
      404,
    );
    await rejects(
      lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: "does-not-exist", AuthType: "NONE" })),
      "ResourceNotFoundException",
      "Function does not exist",
      404,
    );
    await rejects(
      lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: "does-not-exist" })),
      "ResourceNotFoundException",
      "Function does not exist",
      404,
    );
    await rejects(
      lambda.send(new DeleteFunctionUrlConfigCommand({ FunctionName: name })),
      "ResourceNotFoundException",
      "The resource you requested does not exist.",
      404,
    );
    await rejects(
      lambda.send(
        new CreateFunctionUrlConfigCommand({
          FunctionName: name,
          AuthType: "NONE",
          // A value outside the SDK's enum type, on purpose.
          InvokeMode: "UNKNOWN" as InvokeMode,
        }),
      ),
      "ValidationException",
      "1 validation error detected: Value 'UNKNOWN' at 'invokeMode' failed to satisfy constraint: Member must satisfy enum value set: [RESPONSE_STREAM, BUFFERED]",
      400,
    );
    await rejects(
      // AuthType is required; the SDK sends the request without it.
      lambda.send(
        new CreateFunctionUrlConfigCommand({ FunctionName: name } as CreateFunctionUrlConfigCommandInput),
      ),
      "ValidationException",
      "1 validation error detected: Value null at 'authType' failed to satisfy constraint: Member must not be null",
      400,
    );
    await rejects(
      lambda.send(
        new CreateFunctionUrlConfigCommand({ FunctionName: name, AuthType: "NONE", Cors: { MaxAge: 86401 } }),
      ),
      "ValidationException",
      "1 validation error detected: Value '86401' at 'cors.maxAge' failed to satisfy constraint: Member must have value less than or equal to 86400",
      400,
    );
  });

  it("deletes a function's URLs with the function", async () => {
    const lambda = stratus.lambda();
    const name = await createFunction(lambda);
    const created = await lambda.send(
      new CreateFunctionUrlConfigCommand({ FunctionName: name, AuthType: "NONE" }),
    );
    await lambda.send(new DeleteFunctionCommand({ FunctionName: name }));
    await createFunctionNamed(lambda, name);
    await rejects(
      lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: name })),
      "ResourceNotFoundException",
      "The resource you requested does not exist.",
      404,
    );
    // The old URL id no longer reaches anything.
    const id = new URL(created.FunctionUrl ?? "").hostname.split(".")[0];
    const response = await fetch(`${stratus.url}/_aws/lambda-url/${id}/`);
    assert.equal(response.status, 403);
    assert.equal(await response.text(), '{"Message":null}');
  });
});

async function createFunctionNamed(lambda: LambdaClient, name: string): Promise<void> {
  await createTestFunction(lambda, { FunctionName: name });
}
