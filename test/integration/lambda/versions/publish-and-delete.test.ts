/**
 * When Lambda publishes a version (Publish on UpdateFunctionCode always, PublishVersion after any
 * update), what publishing does to $LATEST's RevisionId, deleting versions that aliases reference,
 * and the alias edge cases (UpdateAlias/DeleteAlias of an alias that does not exist).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  CreateAliasCommand,
  DeleteAliasCommand,
  DeleteFunctionCommand,
  GetFunctionConfigurationCommand,
  type LambdaClient,
  ListVersionsByFunctionCommand,
  PublishVersionCommand,
  UpdateAliasCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
} from "@aws-sdk/client-lambda";
import { useStratus } from "../../../support/stratus.ts";
import { createTestFunction, nodeZip, rejects } from "../helpers.ts";

const ARN_PREFIX = "arn:aws:lambda:us-east-1:000000000000:function:";

function create(lambda: LambdaClient, publish = false): Promise<string> {
  return createTestFunction(lambda, { prefix: "pub", Publish: publish });
}

async function versions(lambda: LambdaClient, name: string): Promise<string[]> {
  const listed = await lambda.send(new ListVersionsByFunctionCommand({ FunctionName: name }));
  return (listed.Versions ?? []).map((v) => v.Version ?? "");
}

describe("Lambda publishing and version deletion", () => {
  const stratus = useStratus({ inMemory: true });

  it("publishes a new version on every UpdateFunctionCode with Publish, even with the same code", async () => {
    const lambda = stratus.lambda();
    const name = await create(lambda, true);
    const zip = nodeZip();
    const second = await lambda.send(
      new UpdateFunctionCodeCommand({ FunctionName: name, ZipFile: zip, Publish: true }),
    );
    const third = await lambda.send(
      new UpdateFunctionCodeCommand({ FunctionName: name, ZipFile: zip, Publish: true }),
    );
    assert.equal(second.Version, "2");
    assert.equal(third.Version, "3");
    assert.equal(third.CodeSha256, second.CodeSha256);
    assert.deepEqual(await versions(lambda, name), ["$LATEST", "1", "2", "3"]);
    // Nothing happened to $LATEST since version 3: PublishVersion answers it.
    const again = await lambda.send(new PublishVersionCommand({ FunctionName: name }));
    assert.equal(again.Version, "3");
  });

  it("PublishVersion publishes after any update, and publishing moves $LATEST's RevisionId", async () => {
    const lambda = stratus.lambda();
    const name = await create(lambda);
    const before = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name }));
    const first = await lambda.send(new PublishVersionCommand({ FunctionName: name }));
    assert.equal(first.Version, "1");
    const after = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name }));
    assert.notEqual(after.RevisionId, before.RevisionId);
    // The RevisionId read after publishing is the one a precondition must name.
    await rejects(
      lambda.send(new PublishVersionCommand({ FunctionName: name, RevisionId: before.RevisionId })),
      "PreconditionFailedException",
      "The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id",
      412,
    );
    const same = await lambda.send(
      new PublishVersionCommand({ FunctionName: name, RevisionId: after.RevisionId }),
    );
    assert.equal(same.Version, "1");

    // An update that changes nothing still counts as a change.
    await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: name, ZipFile: nodeZip() }));
    const second = await lambda.send(new PublishVersionCommand({ FunctionName: name }));
    assert.equal(second.Version, "2");
    assert.equal(second.CodeSha256, first.CodeSha256);
    await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, Timeout: 3 }));
    const third = await lambda.send(new PublishVersionCommand({ FunctionName: name }));
    assert.equal(third.Version, "3");
    assert.equal((await lambda.send(new PublishVersionCommand({ FunctionName: name }))).Version, "3");
  });

  it("refuses to delete a version an alias references, then deletes it once the alias is gone", async () => {
    const lambda = stratus.lambda();
    const name = await create(lambda, true);
    await lambda.send(
      new UpdateFunctionCodeCommand({ FunctionName: name, ZipFile: nodeZip(), Publish: true }),
    );
    await lambda.send(new CreateAliasCommand({ FunctionName: name, Name: "live", FunctionVersion: "1" }));
    await lambda.send(new CreateAliasCommand({ FunctionName: name, Name: "beta", FunctionVersion: "1" }));
    await rejects(
      lambda.send(new DeleteFunctionCommand({ FunctionName: name, Qualifier: "1" })),
      "ResourceConflictException",
      "Unable to delete version because the following aliases reference it: [beta, live]",
      409,
    );
    // Through an alias's routing too.
    await lambda.send(new DeleteAliasCommand({ FunctionName: name, Name: "beta" }));
    await lambda.send(
      new UpdateAliasCommand({
        FunctionName: name,
        Name: "live",
        FunctionVersion: "2",
        RoutingConfig: { AdditionalVersionWeights: { "1": 0.5 } },
      }),
    );
    await rejects(
      lambda.send(new DeleteFunctionCommand({ FunctionName: `${name}:1` })),
      "ResourceConflictException",
      "Unable to delete version because the following aliases reference it: [live]",
      409,
    );
    await lambda.send(new UpdateAliasCommand({ FunctionName: name, Name: "live", RoutingConfig: {} }));
    const deleted = await lambda.send(new DeleteFunctionCommand({ FunctionName: name, Qualifier: "1" }));
    assert.equal(deleted.$metadata.httpStatusCode, 204);
    assert.deepEqual(await versions(lambda, name), ["$LATEST", "2"]);
  });

  it("answers DeleteFunction with an alias as Qualifier and the alias edge cases as Lambda does", async () => {
    const lambda = stratus.lambda();
    const name = await create(lambda, true);
    await lambda.send(new CreateAliasCommand({ FunctionName: name, Name: "live", FunctionVersion: "1" }));
    await rejects(
      lambda.send(new DeleteFunctionCommand({ FunctionName: name, Qualifier: "live" })),
      "InvalidParameterValueException",
      "Deletion of aliases is not currently supported.",
      400,
    );
    await rejects(
      lambda.send(new UpdateAliasCommand({ FunctionName: name, Name: "missing", Description: "x" })),
      "ResourceNotFoundException",
      `Alias not found: ${ARN_PREFIX}${name}:missing`,
      404,
    );
    const deleted = await lambda.send(new DeleteAliasCommand({ FunctionName: name, Name: "missing" }));
    assert.equal(deleted.$metadata.httpStatusCode, 204);
    await rejects(
      lambda.send(new DeleteAliasCommand({ FunctionName: "pub-missing-fn", Name: "live" })),
      "ResourceNotFoundException",
      `Function not found: ${ARN_PREFIX}pub-missing-fn`,
      404,
    );
  });
});
