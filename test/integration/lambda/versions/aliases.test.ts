/**
 * Aliases through @aws-sdk/client-lambda: Create/Get/Update/Delete/List, RevisionId, Lambda's texts,
 * and Invoke/GetFunction through an alias (weighted routing between two versions).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  CreateAliasCommand,
  CreateFunctionCommand,
  DeleteAliasCommand,
  DeleteFunctionCommand,
  GetAliasCommand,
  GetFunctionCommand,
  InvokeCommand,
  type LambdaClient,
  ListAliasesCommand,
  UpdateAliasCommand,
  UpdateFunctionCodeCommand,
} from "@aws-sdk/client-lambda";
import { useStratus } from "../../../support/stratus.ts";
import { nodeZip, ROLE, rejects, uniqueName } from "../helpers.ts";

const ARN_PREFIX = "arn:aws:lambda:us-east-1:000000000000:function:";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function versionZip(n: number): Uint8Array {
  return nodeZip(
    `exports.handler = async (event, context) => ({ code: ${n}, version: context.functionVersion, arn: context.invokedFunctionArn });\n`,
  );
}

/** A function with versions 1 and 2 (different code). */
async function twoVersions(lambda: LambdaClient): Promise<string> {
  const name = uniqueName("alias");
  await lambda.send(
    new CreateFunctionCommand({
      FunctionName: name,
      Runtime: "nodejs20.x",
      Role: ROLE,
      Handler: "index.handler",
      Code: { ZipFile: versionZip(1) },
      Publish: true,
    }),
  );
  await lambda.send(
    new UpdateFunctionCodeCommand({ FunctionName: name, ZipFile: versionZip(2), Publish: true }),
  );
  return name;
}

describe("Lambda aliases", () => {
  const stratus = useStratus({ inMemory: true });

  it("creates, reads, updates, lists and deletes an alias", async () => {
    const lambda = stratus.lambda();
    const name = await twoVersions(lambda);
    const created = await lambda.send(
      new CreateAliasCommand({ FunctionName: name, Name: "live", FunctionVersion: "1", Description: "prod" }),
    );
    assert.equal(created.$metadata.httpStatusCode, 201);
    assert.equal(created.AliasArn, `${ARN_PREFIX}${name}:live`);
    assert.equal(created.Name, "live");
    assert.equal(created.FunctionVersion, "1");
    assert.equal(created.Description, "prod");
    assert.equal(created.RoutingConfig, undefined);
    assert.match(created.RevisionId ?? "", UUID);

    const read = await lambda.send(new GetAliasCommand({ FunctionName: name, Name: "live" }));
    assert.deepEqual({ ...read, $metadata: undefined }, { ...created, $metadata: undefined });

    await rejects(
      lambda.send(
        new UpdateAliasCommand({ FunctionName: name, Name: "live", FunctionVersion: "2", RevisionId: "x" }),
      ),
      "PreconditionFailedException",
      "The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id",
      412,
    );
    const updated = await lambda.send(
      new UpdateAliasCommand({
        FunctionName: name,
        Name: "live",
        FunctionVersion: "2",
        RevisionId: created.RevisionId,
      }),
    );
    assert.equal(updated.FunctionVersion, "2");
    assert.equal(updated.Description, "prod");
    assert.notEqual(updated.RevisionId, created.RevisionId);

    await lambda.send(
      new CreateAliasCommand({ FunctionName: name, Name: "beta", FunctionVersion: "$LATEST" }),
    );
    const listed = await lambda.send(new ListAliasesCommand({ FunctionName: name }));
    assert.deepEqual(
      listed.Aliases?.map((a) => [a.Name, a.FunctionVersion]),
      [
        ["beta", "$LATEST"],
        ["live", "2"],
      ],
    );
    const filtered = await lambda.send(new ListAliasesCommand({ FunctionName: name, FunctionVersion: "2" }));
    assert.deepEqual(
      filtered.Aliases?.map((a) => a.Name),
      ["live"],
    );
    const paged = await lambda.send(new ListAliasesCommand({ FunctionName: name, MaxItems: 1 }));
    assert.deepEqual(
      paged.Aliases?.map((a) => a.Name),
      ["beta"],
    );
    const next = await lambda.send(
      new ListAliasesCommand({ FunctionName: name, MaxItems: 1, Marker: paged.NextMarker }),
    );
    assert.deepEqual(
      next.Aliases?.map((a) => a.Name),
      ["live"],
    );
    assert.equal(next.NextMarker, undefined);

    const deleted = await lambda.send(new DeleteAliasCommand({ FunctionName: name, Name: "beta" }));
    assert.equal(deleted.$metadata.httpStatusCode, 204);
    await rejects(
      lambda.send(new GetAliasCommand({ FunctionName: name, Name: "beta" })),
      "ResourceNotFoundException",
      `Cannot find alias arn: ${ARN_PREFIX}${name}:beta`,
      404,
    );
  });

  it("answers Lambda's texts for conflicts, unknown versions and routing mistakes", async () => {
    const lambda = stratus.lambda();
    const name = await twoVersions(lambda);
    await lambda.send(new CreateAliasCommand({ FunctionName: name, Name: "live", FunctionVersion: "1" }));
    await rejects(
      lambda.send(new CreateAliasCommand({ FunctionName: name, Name: "live", FunctionVersion: "2" })),
      "ResourceConflictException",
      `Alias already exists: ${ARN_PREFIX}${name}:live`,
      409,
    );
    await rejects(
      lambda.send(new CreateAliasCommand({ FunctionName: name, Name: "other", FunctionVersion: "7" })),
      "ResourceNotFoundException",
      `Function not found: ${ARN_PREFIX}${name}:7`,
      404,
    );
    await rejects(
      lambda.send(new CreateAliasCommand({ FunctionName: "nope-alias", Name: "live", FunctionVersion: "1" })),
      "ResourceNotFoundException",
      `Function not found: ${ARN_PREFIX}nope-alias`,
      404,
    );
    await rejects(
      lambda.send(new CreateAliasCommand({ FunctionName: name, Name: "123", FunctionVersion: "1" })),
      "ValidationException",
      "1 validation error detected: Value '123' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: (?!^[0-9]+$)([a-zA-Z0-9-_]+)",
      400,
    );
    await rejects(
      lambda.send(
        new CreateAliasCommand({
          FunctionName: name,
          Name: "w1",
          FunctionVersion: "1",
          RoutingConfig: { AdditionalVersionWeights: { "1": 0.5 } },
        }),
      ),
      "InvalidParameterValueException",
      "Invalid function version 1. Function version 1 is already included in routing configuration.",
      400,
    );
    await rejects(
      lambda.send(
        new CreateAliasCommand({
          FunctionName: name,
          Name: "w2",
          FunctionVersion: "$LATEST",
          RoutingConfig: { AdditionalVersionWeights: { "1": 0.5 } },
        }),
      ),
      "InvalidParameterValueException",
      "$LATEST is not supported for an alias pointing to more than 1 version",
      400,
    );
    await rejects(
      lambda.send(
        new CreateAliasCommand({
          FunctionName: name,
          Name: "w3",
          FunctionVersion: "1",
          RoutingConfig: { AdditionalVersionWeights: { "2": 0.5, "3": 0.1 } },
        }),
      ),
      "InvalidParameterValueException",
      "Number of items in AdditionalVersionWeights cannot be greater than 1",
      400,
    );
    await rejects(
      lambda.send(
        new CreateAliasCommand({
          FunctionName: name,
          Name: "w4",
          FunctionVersion: "1",
          RoutingConfig: { AdditionalVersionWeights: { "9": 0.5 } },
        }),
      ),
      "ResourceNotFoundException",
      `Function not found: ${ARN_PREFIX}${name}:9`,
      404,
    );
  });

  it("invokes through an alias, with X-Amz-Executed-Version and weighted routing", async () => {
    const lambda = stratus.lambda();
    const name = await twoVersions(lambda);
    await lambda.send(new CreateAliasCommand({ FunctionName: name, Name: "live", FunctionVersion: "1" }));
    const viaQualifier = await lambda.send(new InvokeCommand({ FunctionName: name, Qualifier: "live" }));
    assert.equal(viaQualifier.ExecutedVersion, "1");
    const payload = JSON.parse(Buffer.from(viaQualifier.Payload ?? new Uint8Array()).toString("utf8"));
    assert.deepEqual(payload, { code: 1, version: "1", arn: `${ARN_PREFIX}${name}:live` });
    const viaArn = await lambda.send(new InvokeCommand({ FunctionName: `${ARN_PREFIX}${name}:live` }));
    assert.equal(viaArn.ExecutedVersion, "1");

    const config = await lambda.send(new GetFunctionCommand({ FunctionName: name, Qualifier: "live" }));
    assert.equal(config.Configuration?.Version, "1");
    assert.equal(config.Configuration?.FunctionArn, `${ARN_PREFIX}${name}:live`);

    const live = await lambda.send(new GetAliasCommand({ FunctionName: name, Name: "live" }));
    const weighted = await lambda.send(
      new UpdateAliasCommand({
        FunctionName: name,
        Name: "live",
        RoutingConfig: { AdditionalVersionWeights: { "2": 0.5 } },
        RevisionId: live.RevisionId,
      }),
    );
    assert.deepEqual(weighted.RoutingConfig, { AdditionalVersionWeights: { "2": 0.5 } });
    const seen = new Map<string, number>();
    for (let i = 0; i < 40; i++) {
      const result = await lambda.send(new InvokeCommand({ FunctionName: name, Qualifier: "live" }));
      const code = JSON.parse(Buffer.from(result.Payload ?? new Uint8Array()).toString("utf8")).code;
      assert.equal(String(code), result.ExecutedVersion);
      seen.set(result.ExecutedVersion ?? "", (seen.get(result.ExecutedVersion ?? "") ?? 0) + 1);
    }
    assert.deepEqual([...seen.keys()].sort(), ["1", "2"]);

    // Routing removed: everything goes to the alias's version again.
    const cleared = await lambda.send(
      new UpdateAliasCommand({
        FunctionName: name,
        Name: "live",
        RoutingConfig: { AdditionalVersionWeights: {} },
      }),
    );
    assert.equal(cleared.RoutingConfig, undefined);
    for (let i = 0; i < 5; i++) {
      const result = await lambda.send(new InvokeCommand({ FunctionName: name, Qualifier: "live" }));
      assert.equal(result.ExecutedVersion, "1");
    }

    await rejects(
      lambda.send(new InvokeCommand({ FunctionName: name, Qualifier: "missing" })),
      "ResourceNotFoundException",
      `Function not found: ${ARN_PREFIX}${name}:missing`,
      404,
    );
  });

  it("deletes the aliases with their function", async () => {
    const lambda = stratus.lambda();
    const name = await twoVersions(lambda);
    await lambda.send(new CreateAliasCommand({ FunctionName: name, Name: "live", FunctionVersion: "1" }));
    await lambda.send(new DeleteFunctionCommand({ FunctionName: name }));
    await twoVersionsNamed(lambda, name);
    const listed = await lambda.send(new ListAliasesCommand({ FunctionName: name }));
    assert.deepEqual(listed.Aliases, []);
  });
});

async function twoVersionsNamed(lambda: LambdaClient, name: string): Promise<void> {
  await lambda.send(
    new CreateFunctionCommand({
      FunctionName: name,
      Runtime: "nodejs20.x",
      Role: ROLE,
      Handler: "index.handler",
      Code: { ZipFile: versionZip(1) },
    }),
  );
}
