/**
 * The layer control plane through @aws-sdk/client-lambda: PublishLayerVersion, GetLayerVersion(ByArn),
 * ListLayers (filters, pages), ListLayerVersions, DeleteLayerVersion, the layer policy operations, and
 * their errors with Lambda's texts.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describe, it } from "node:test";
import {
  AddLayerVersionPermissionCommand,
  type Architecture,
  DeleteLayerVersionCommand,
  GetLayerVersionByArnCommand,
  GetLayerVersionCommand,
  GetLayerVersionPolicyCommand,
  type LambdaClient,
  ListLayersCommand,
  ListLayerVersionsCommand,
  PublishLayerVersionCommand,
  type PublishLayerVersionCommandInput,
  RemoveLayerVersionPermissionCommand,
  type Runtime,
} from "@aws-sdk/client-lambda";
import { useStratus } from "../../../support/stratus.ts";
import { makeZip, rejects, uniqueName } from "../helpers.ts";

const PREFIX = "arn:aws:lambda:us-east-1:000000000000:layer:";
const CREATED_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/;

describe("Lambda layers: control plane", () => {
  const stratus = useStratus({ inMemory: true });

  function publish(
    lambda: LambdaClient,
    input: Partial<PublishLayerVersionCommandInput> & { LayerName: string },
  ) {
    return lambda.send(
      new PublishLayerVersionCommand({
        Content: { ZipFile: makeZip({ "nodejs/node_modules/greet/index.js": "module.exports = 1;\n" }) },
        ...input,
      }),
    );
  }

  it("publishes numbered versions and answers Lambda's shape", async () => {
    const lambda = stratus.lambda();
    const name = uniqueName("layer");
    const zip = makeZip({ "python/helper.py": "X = 1\n" });
    const first = await lambda.send(
      new PublishLayerVersionCommand({
        LayerName: name,
        Description: "first",
        LicenseInfo: "MIT",
        CompatibleRuntimes: ["python3.12", "nodejs20.x"],
        CompatibleArchitectures: ["arm64", "x86_64"],
        Content: { ZipFile: zip },
      }),
    );
    assert.equal(first.$metadata.httpStatusCode, 201);
    assert.equal(first.LayerArn, `${PREFIX}${name}`);
    assert.equal(first.LayerVersionArn, `${PREFIX}${name}:1`);
    assert.equal(first.Version, 1);
    assert.equal(first.Description, "first");
    assert.equal(first.LicenseInfo, "MIT");
    assert.deepEqual(first.CompatibleRuntimes, ["python3.12", "nodejs20.x"]);
    assert.deepEqual(first.CompatibleArchitectures, ["arm64", "x86_64"]);
    assert.match(first.CreatedDate ?? "", CREATED_DATE);
    assert.equal(first.Content?.CodeSha256, createHash("sha256").update(zip).digest("base64"));
    assert.equal(first.Content?.CodeSize, zip.length);
    assert.ok(first.Content?.Location);

    const second = await publish(lambda, { LayerName: name });
    assert.equal(second.Version, 2);
    assert.equal(second.Description, "");
    assert.equal(second.LicenseInfo, undefined);
    assert.equal(second.CompatibleRuntimes, undefined);

    const got = await lambda.send(new GetLayerVersionCommand({ LayerName: name, VersionNumber: 1 }));
    assert.equal(got.LayerVersionArn, first.LayerVersionArn);
    assert.equal(got.Content?.CodeSha256, first.Content?.CodeSha256);
    const byLayerArn = await lambda.send(
      new GetLayerVersionCommand({ LayerName: `${PREFIX}${name}`, VersionNumber: 2 }),
    );
    assert.equal(byLayerArn.Version, 2);
    const byArn = await lambda.send(new GetLayerVersionByArnCommand({ Arn: `${PREFIX}${name}:1` }));
    assert.equal(byArn.Description, "first");
  });

  it("lists layer versions newest first, filtered, and deletes without reusing numbers", async () => {
    const lambda = stratus.lambda();
    const name = uniqueName("layer");
    await publish(lambda, { LayerName: name, CompatibleRuntimes: ["python3.12"] });
    await publish(lambda, {
      LayerName: name,
      CompatibleRuntimes: ["nodejs20.x"],
      CompatibleArchitectures: ["arm64"],
    });
    await publish(lambda, { LayerName: name, CompatibleRuntimes: ["python3.12"] });
    const all = await lambda.send(new ListLayerVersionsCommand({ LayerName: name }));
    assert.deepEqual(
      all.LayerVersions?.map((v) => v.Version),
      [3, 2, 1],
    );
    assert.equal(all.LayerVersions?.[0]?.LayerVersionArn, `${PREFIX}${name}:3`);
    assert.equal((all.LayerVersions?.[0] as Record<string, unknown> | undefined)?.Content, undefined);
    const python = await lambda.send(
      new ListLayerVersionsCommand({ LayerName: name, CompatibleRuntime: "python3.12" }),
    );
    assert.deepEqual(
      python.LayerVersions?.map((v) => v.Version),
      [3, 1],
    );
    const arm = await lambda.send(
      new ListLayerVersionsCommand({ LayerName: name, CompatibleArchitecture: "arm64" }),
    );
    assert.deepEqual(
      arm.LayerVersions?.map((v) => v.Version),
      [2],
    );
    const page = await lambda.send(new ListLayerVersionsCommand({ LayerName: name, MaxItems: 2 }));
    assert.equal(page.LayerVersions?.length, 2);
    assert.ok(page.NextMarker);
    const rest = await lambda.send(
      new ListLayerVersionsCommand({ LayerName: name, Marker: page.NextMarker }),
    );
    assert.deepEqual(
      rest.LayerVersions?.map((v) => v.Version),
      [1],
    );
    assert.equal(rest.NextMarker, undefined);

    const deleted = await lambda.send(new DeleteLayerVersionCommand({ LayerName: name, VersionNumber: 3 }));
    assert.equal(deleted.$metadata.httpStatusCode, 204);
    // Deleting again (or what never existed) succeeds.
    await lambda.send(new DeleteLayerVersionCommand({ LayerName: name, VersionNumber: 3 }));
    await rejects(
      lambda.send(new GetLayerVersionCommand({ LayerName: name, VersionNumber: 3 })),
      "ResourceNotFoundException",
      "The resource you requested does not exist.",
      404,
    );
    const next = await publish(lambda, { LayerName: name });
    assert.equal(next.Version, 4);
    const unknown = await lambda.send(new ListLayerVersionsCommand({ LayerName: uniqueName("nolayer") }));
    assert.deepEqual(unknown.LayerVersions, []);
  });

  it("lists layers with their newest matching version, in pages", async () => {
    const lambda = stratus.lambda();
    const runtime = "python3.13";
    const names = [uniqueName("lsa"), uniqueName("lsb"), uniqueName("lsc")];
    for (const name of names) {
      await publish(lambda, { LayerName: name, CompatibleRuntimes: [runtime] });
      await publish(lambda, { LayerName: name, CompatibleRuntimes: ["java21"] });
    }
    const collected: { name?: string; version?: number }[] = [];
    let marker: string | undefined;
    for (let i = 0; i < 10; i++) {
      const out = await lambda.send(
        new ListLayersCommand({ CompatibleRuntime: runtime, MaxItems: 2, Marker: marker }),
      );
      for (const layer of out.Layers ?? []) {
        collected.push({ name: layer.LayerName, version: layer.LatestMatchingVersion?.Version });
        assert.equal(layer.LayerArn, `${PREFIX}${layer.LayerName}`);
      }
      marker = out.NextMarker;
      if (!marker) break;
    }
    for (const name of names)
      assert.deepEqual(
        collected.find((c) => c.name === name),
        { name, version: 1 },
      );
    const newest = await lambda.send(new ListLayersCommand({}));
    const mine = newest.Layers?.find((l) => l.LayerName === names[0]);
    assert.equal(mine?.LatestMatchingVersion?.Version, 2);
    assert.deepEqual(mine?.LatestMatchingVersion?.CompatibleRuntimes, ["java21"]);
  });

  it("answers Lambda's errors", async () => {
    const lambda = stratus.lambda();
    const name = uniqueName("layer");
    await rejects(
      lambda.send(new GetLayerVersionCommand({ LayerName: name, VersionNumber: 1 })),
      "ResourceNotFoundException",
      "The resource you requested does not exist.",
      404,
    );
    await rejects(
      lambda.send(new GetLayerVersionCommand({ LayerName: name, VersionNumber: 0 })),
      "InvalidParameterValueException",
      "Layer Version Cannot be less than 1",
      400,
    );
    await rejects(
      lambda.send(new GetLayerVersionByArnCommand({ Arn: `${PREFIX}${name}` })),
      "ValidationException",
      `1 validation error detected: Value '${PREFIX}${name}' at 'arn' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:(aws[a-zA-Z-]*)?:lambda:[a-z]{2}((-gov)|(-iso(b?)))?-[a-z]+-\\d{1}:\\d{12}:layer:[a-zA-Z0-9-_]+:[0-9]+`,
      400,
    );
    await rejects(
      lambda.send(new PublishLayerVersionCommand({ LayerName: name, Content: {} })),
      "InvalidParameterValueException",
      "Missing Content",
      400,
    );
    await rejects(
      lambda.send(
        new PublishLayerVersionCommand({ LayerName: name, Content: { S3Bucket: "b", S3Key: "k.zip" } }),
      ),
      "InvalidParameterValueException",
      // Read through Stratus's S3 (test/integration/lambda/s3-code.test.ts covers the rest).
      "Error occurred while GetObject. S3 Error Code: NoSuchBucket. S3 Error Message: The specified bucket does not exist",
      400,
    );
    await rejects(
      publish(lambda, { LayerName: name, CompatibleArchitectures: ["sparc" as Architecture] }),
      "ValidationException",
      "1 validation error detected: Value '[sparc]' at 'compatibleArchitectures' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [x86_64, arm64]]",
      400,
    );
    const runtimeError = await publish(lambda, {
      LayerName: name,
      CompatibleRuntimes: ["cobol" as Runtime],
    }).catch((e) => e);
    assert.equal(runtimeError.name, "ValidationException");
    assert.match(
      runtimeError.message,
      /^1 validation error detected: Value '\[cobol\]' at 'compatibleRuntimes' failed to satisfy constraint: Member must satisfy enum value set: \[.*nodejs20\.x.*\]$/,
    );
    await rejects(
      publish(lambda, { LayerName: "bad name!" }),
      "ValidationException",
      "1 validation error detected: Value 'bad name!' at 'layerName' failed to satisfy constraint: Member must satisfy regular expression pattern: (arn:[a-zA-Z0-9-]+:lambda:[a-zA-Z0-9-]+:\\d{12}:layer:[a-zA-Z0-9-_]+)|[a-zA-Z0-9-_]+",
      400,
    );
    await rejects(
      lambda.send(new ListLayersCommand({ CompatibleArchitecture: "sparc" as never })),
      "ValidationException",
      "1 validation error detected: Value 'sparc' at 'compatibleArchitecture' failed to satisfy constraint: Member must satisfy enum value set: [x86_64, arm64]",
      400,
    );
    await rejects(
      lambda.send(new ListLayersCommand({ MaxItems: 51 })),
      "ValidationException",
      "1 validation error detected: Value '51' at 'maxItems' failed to satisfy constraint: Member must have value less than or equal to 50",
      400,
    );
    await rejects(
      lambda.send(new DeleteLayerVersionCommand({ LayerName: name, VersionNumber: 0 })),
      "InvalidParameterValueException",
      "Layer Version Cannot be less than 1",
      400,
    );
  });

  it("keeps a policy per layer version", async () => {
    const lambda = stratus.lambda();
    const name = uniqueName("layer");
    await publish(lambda, { LayerName: name });
    const arn = `${PREFIX}${name}:1`;
    await rejects(
      lambda.send(new GetLayerVersionPolicyCommand({ LayerName: name, VersionNumber: 1 })),
      "ResourceNotFoundException",
      "No policy is associated with the given resource.",
      404,
    );
    const added = await lambda.send(
      new AddLayerVersionPermissionCommand({
        LayerName: name,
        VersionNumber: 1,
        StatementId: "xaccount",
        Action: "lambda:GetLayerVersion",
        Principal: "111122223333",
      }),
    );
    assert.equal(added.$metadata.httpStatusCode, 201);
    assert.deepEqual(JSON.parse(added.Statement ?? ""), {
      Sid: "xaccount",
      Effect: "Allow",
      Principal: { AWS: "arn:aws:iam::111122223333:root" },
      Action: "lambda:GetLayerVersion",
      Resource: arn,
    });
    await lambda.send(
      new AddLayerVersionPermissionCommand({
        LayerName: name,
        VersionNumber: 1,
        StatementId: "everyone",
        Action: "lambda:GetLayerVersion",
        Principal: "*",
        OrganizationId: "o-abcdefghij",
        RevisionId: added.RevisionId,
      }),
    );
    const policy = await lambda.send(new GetLayerVersionPolicyCommand({ LayerName: name, VersionNumber: 1 }));
    const document = JSON.parse(policy.Policy ?? "");
    assert.equal(document.Version, "2012-10-17");
    assert.equal(document.Id, "default");
    assert.deepEqual(
      document.Statement.map((s: { Sid: string }) => s.Sid),
      ["xaccount", "everyone"],
    );
    assert.deepEqual(document.Statement[1].Condition, {
      StringEquals: { "aws:PrincipalOrgID": "o-abcdefghij" },
    });
    assert.equal(document.Statement[1].Principal, "*");
    await rejects(
      lambda.send(
        new AddLayerVersionPermissionCommand({
          LayerName: name,
          VersionNumber: 1,
          StatementId: "xaccount",
          Action: "lambda:GetLayerVersion",
          Principal: "*",
        }),
      ),
      "ResourceConflictException",
      "The statement id (xaccount) provided already exists. Please provide a new statement id, or remove the existing statement.",
      409,
    );
    await rejects(
      lambda.send(
        new RemoveLayerVersionPermissionCommand({
          LayerName: name,
          VersionNumber: 1,
          StatementId: "xaccount",
          RevisionId: "stale",
        }),
      ),
      "PreconditionFailedException",
      "The Revision Id provided does not match the latest Revision Id. Call the GetLayerPolicy API to retrieve the latest Revision Id",
      412,
    );
    const removed = await lambda.send(
      new RemoveLayerVersionPermissionCommand({ LayerName: name, VersionNumber: 1, StatementId: "xaccount" }),
    );
    assert.equal(removed.$metadata.httpStatusCode, 204);
    await rejects(
      lambda.send(
        new RemoveLayerVersionPermissionCommand({
          LayerName: name,
          VersionNumber: 1,
          StatementId: "xaccount",
        }),
      ),
      "ResourceNotFoundException",
      "Statement xaccount is not found in resource policy.",
      404,
    );
    await rejects(
      lambda.send(
        new AddLayerVersionPermissionCommand({
          LayerName: name,
          VersionNumber: 9,
          StatementId: "s",
          Action: "lambda:GetLayerVersion",
          Principal: "*",
        }),
      ),
      "ResourceNotFoundException",
      `Layer version ${PREFIX}${name}:9 does not exist.`,
      404,
    );
    await rejects(
      lambda.send(
        new AddLayerVersionPermissionCommand({
          LayerName: name,
          VersionNumber: 1,
          StatementId: "s",
          Action: "lambda:InvokeFunction",
          Principal: "*",
        }),
      ),
      "ValidationException",
      "1 validation error detected: Value 'lambda:InvokeFunction' at 'action' failed to satisfy constraint: Member must satisfy regular expression pattern: lambda:GetLayerVersion",
      400,
    );
  });
});
