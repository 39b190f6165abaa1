/**
 * PublishVersion and ListVersionsByFunction through @aws-sdk/client-lambda: preconditions with
 * Lambda's texts, unchanged code answering the latest version, $LATEST first, pagination.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  GetFunctionConfigurationCommand,
  type LambdaClient,
  ListVersionsByFunctionCommand,
  PublishVersionCommand,
  UpdateFunctionCodeCommand,
} from "@aws-sdk/client-lambda";
import { useStratus } from "../../../support/stratus.ts";
import { createTestFunction, nodeZip, rejects, uniqueName } from "../helpers.ts";

const ARN_PREFIX = "arn:aws:lambda:us-east-1:000000000000:function:";

async function create(lambda: LambdaClient, name: string): Promise<void> {
  await createTestFunction(lambda, { FunctionName: name, Description: "latest description" });
}

describe("Lambda versions", () => {
  const stratus = useStratus({ inMemory: true });

  it("publishes version 1 with a qualified ARN and its own Description, 201", async () => {
    const lambda = stratus.lambda();
    const name = uniqueName("ver");
    await create(lambda, name);
    const published = await lambda.send(
      new PublishVersionCommand({ FunctionName: name, Description: "first release" }),
    );
    assert.equal(published.$metadata.httpStatusCode, 201);
    assert.equal(published.Version, "1");
    assert.equal(published.FunctionArn, `${ARN_PREFIX}${name}:1`);
    assert.equal(published.Description, "first release");
    const read = await lambda.send(
      new GetFunctionConfigurationCommand({ FunctionName: name, Qualifier: "1" }),
    );
    assert.equal(read.Version, "1");
    assert.equal(read.Description, "first release");
    assert.equal(read.State, "Active");
    assert.equal(read.CodeSha256, published.CodeSha256);
  });

  it("answers the latest version again when nothing changed, a new one after a code update", async () => {
    const lambda = stratus.lambda();
    const name = uniqueName("ver");
    await create(lambda, name);
    const first = await lambda.send(new PublishVersionCommand({ FunctionName: name }));
    const again = await lambda.send(new PublishVersionCommand({ FunctionName: name }));
    assert.equal(first.Version, "1");
    assert.equal(again.Version, "1");
    assert.equal(again.RevisionId, first.RevisionId);
    await lambda.send(
      new UpdateFunctionCodeCommand({
        FunctionName: name,
        ZipFile: nodeZip("exports.handler = async () => 2;\n"),
      }),
    );
    const second = await lambda.send(new PublishVersionCommand({ FunctionName: name }));
    assert.equal(second.Version, "2");
    assert.notEqual(second.CodeSha256, first.CodeSha256);
  });

  it("checks CodeSha256 and RevisionId against $LATEST with Lambda's texts", async () => {
    const lambda = stratus.lambda();
    const name = uniqueName("ver");
    await create(lambda, name);
    const latest = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name }));
    await rejects(
      lambda.send(new PublishVersionCommand({ FunctionName: name, CodeSha256: "abc" })),
      "InvalidParameterValueException",
      `CodeSHA256 (abc) is different from current CodeSHA256 in $LATEST (${latest.CodeSha256}). Please try again with the CodeSHA256 in $LATEST.`,
      400,
    );
    await rejects(
      lambda.send(new PublishVersionCommand({ FunctionName: name, RevisionId: "wrong" })),
      "PreconditionFailedException",
      "The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id",
      412,
    );
    const ok = await lambda.send(
      new PublishVersionCommand({
        FunctionName: name,
        CodeSha256: latest.CodeSha256,
        RevisionId: latest.RevisionId,
      }),
    );
    assert.equal(ok.Version, "1");
  });

  it("answers Function not found for an unknown function", async () => {
    const lambda = stratus.lambda();
    await rejects(
      lambda.send(new PublishVersionCommand({ FunctionName: "nope-ver" })),
      "ResourceNotFoundException",
      `Function not found: ${ARN_PREFIX}nope-ver`,
      404,
    );
    await rejects(
      lambda.send(new ListVersionsByFunctionCommand({ FunctionName: "nope-ver" })),
      "ResourceNotFoundException",
      `Function not found: ${ARN_PREFIX}nope-ver`,
      404,
    );
  });

  it("lists $LATEST first, then the versions, in pages with Marker and MaxItems", async () => {
    const lambda = stratus.lambda();
    const name = uniqueName("ver");
    await create(lambda, name);
    for (let i = 1; i <= 3; i++) {
      await lambda.send(
        new UpdateFunctionCodeCommand({
          FunctionName: name,
          ZipFile: nodeZip(`exports.handler = async () => ${i};\n`),
          Publish: true,
        }),
      );
    }
    const all = await lambda.send(new ListVersionsByFunctionCommand({ FunctionName: name }));
    assert.deepEqual(
      all.Versions?.map((v) => v.Version),
      ["$LATEST", "1", "2", "3"],
    );
    assert.equal(all.Versions?.[0]?.FunctionArn, `${ARN_PREFIX}${name}:$LATEST`);
    assert.equal(all.Versions?.[2]?.FunctionArn, `${ARN_PREFIX}${name}:2`);
    assert.equal(all.NextMarker, undefined);
    const first = await lambda.send(new ListVersionsByFunctionCommand({ FunctionName: name, MaxItems: 3 }));
    assert.deepEqual(
      first.Versions?.map((v) => v.Version),
      ["$LATEST", "1", "2"],
    );
    assert.ok(first.NextMarker);
    const rest = await lambda.send(
      new ListVersionsByFunctionCommand({ FunctionName: name, MaxItems: 3, Marker: first.NextMarker }),
    );
    assert.deepEqual(
      rest.Versions?.map((v) => v.Version),
      ["3"],
    );
    assert.equal(rest.NextMarker, undefined);
    await rejects(
      lambda.send(new ListVersionsByFunctionCommand({ FunctionName: name, MaxItems: 0 })),
      "ValidationException",
      "1 validation error detected: Value '0' at 'maxItems' failed to satisfy constraint: Member must have value greater than or equal to 1",
      400,
    );
  });
});
