/**
 * The providers of what hangs off a Lambda function — AWS::Lambda::Version, Alias, Permission,
 * EventSourceMapping, Url — and of layers (LayerVersion, LayerVersionPermission), driven directly
 * against a started Stratus and checked through the AWS SDK: Ref/GetAtt values, in-place updates,
 * deletes that tolerate a resource already gone.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { CreateTableCommand } from "@aws-sdk/client-dynamodb";
import {
  CreateFunctionCommand,
  GetAliasCommand,
  GetEventSourceMappingCommand,
  GetFunctionCommand,
  GetFunctionUrlConfigCommand,
  GetLayerVersionCommand,
  GetLayerVersionPolicyCommand,
  GetPolicyCommand,
  UpdateFunctionCodeCommand,
} from "@aws-sdk/client-lambda";
import { CreateBucketCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { lambdaProviders } from "../../../../src/services/cloudformation/providers/lambda/index.ts";
import type {
  CurrentResource,
  ProvisionedResource,
  ResourceProvider,
} from "../../../../src/services/cloudformation/providers/types.ts";
import { providerContextFor, TEST_ACCOUNT } from "../../../support/provider-context.ts";
import { useStratus } from "../../../support/stratus.ts";
import { makeZip, nodeZip, ROLE, sdkError } from "../../lambda/helpers.ts";

function providerOf(type: string): ResourceProvider {
  const provider = lambdaProviders[type];
  assert.ok(provider, `${type} is registered`);
  return provider;
}

function current(resource: ProvisionedResource, properties: Record<string, unknown>): CurrentResource {
  return { ...resource, properties };
}

describe("Lambda resource providers (versions, aliases, permissions, mappings, URLs, layers)", () => {
  const stratus = useStratus();
  const FN = "cfn-target";
  let fnArn = "";

  before(async () => {
    const answer = await stratus.lambda().send(
      new CreateFunctionCommand({
        FunctionName: FN,
        Runtime: "nodejs20.x",
        Role: ROLE,
        Handler: "index.handler",
        Code: { ZipFile: nodeZip() },
      }),
    );
    fnArn = String(answer.FunctionArn);
  });

  it("Version: Ref and FunctionArn are the version ARN, Version its number; delete removes only it", async () => {
    const provider = providerOf("AWS::Lambda::Version");
    const context = providerContextFor(stratus, "AWS::Lambda::Version", "V1");
    const properties = { FunctionName: FN, Description: "first release" };
    const created = await provider.create(context, properties);
    assert.equal(created.physicalId, `${fnArn}:1`);
    assert.deepEqual(created.attributes, { FunctionArn: `${fnArn}:1`, Version: "1" });
    const version = await stratus.lambda().send(new GetFunctionCommand({ FunctionName: FN, Qualifier: "1" }));
    assert.equal(version.Configuration?.Description, "first release");
    assert.equal(provider.update, undefined, "every change replaces a version");
    assert.ok(provider.replaceOn?.includes("CodeSha256"));

    await provider.delete(context, current(created, properties));
    const gone = await sdkError(
      stratus.lambda().send(new GetFunctionCommand({ FunctionName: FN, Qualifier: "1" })),
    );
    assert.equal(gone.name, "ResourceNotFoundException");
    await stratus.lambda().send(new GetFunctionCommand({ FunctionName: FN }));
    await provider.delete(context, current(created, properties));
  });

  it("Version: a CodeSha256 that does not match fails with Lambda's error", async () => {
    const provider = providerOf("AWS::Lambda::Version");
    const context = providerContextFor(stratus, "AWS::Lambda::Version", "BadSha");
    await assert.rejects(
      provider.create(context, { FunctionName: FN, CodeSha256: "not-the-sha" }),
      (error: Error & { code?: string }) => {
        assert.equal(error.code, "InvalidParameterValueException");
        return true;
      },
    );
  });

  it("Alias: Ref is the alias ARN; FunctionVersion, Description and RoutingConfig update in place", async () => {
    const lambda = stratus.lambda();
    const versions = providerOf("AWS::Lambda::Version");
    const vContext = providerContextFor(stratus, "AWS::Lambda::Version", "AliasV");
    const v1 = await versions.create(vContext, { FunctionName: FN });
    await lambda.send(
      new UpdateFunctionCodeCommand({
        FunctionName: FN,
        ZipFile: nodeZip("exports.handler = async () => 2;"),
      }),
    );
    const v2 = await versions.create(vContext, { FunctionName: FN });
    assert.notEqual(v1.attributes.Version, v2.attributes.Version);

    const provider = providerOf("AWS::Lambda::Alias");
    const context = providerContextFor(stratus, "AWS::Lambda::Alias", "Live");
    const first = {
      FunctionName: FN,
      Name: "live",
      FunctionVersion: v1.attributes.Version,
      Description: "d",
    };
    const created = await provider.create(context, first);
    assert.equal(created.physicalId, `${fnArn}:live`);
    assert.deepEqual(created.attributes, { AliasArn: `${fnArn}:live` });

    const second = {
      FunctionName: FN,
      Name: "live",
      FunctionVersion: v2.attributes.Version,
      RoutingConfig: {
        AdditionalVersionWeights: [{ FunctionVersion: v1.attributes.Version, FunctionWeight: "0.25" }],
      },
    };
    const updated = await provider.update!(context, current(created, first), second);
    assert.equal(updated.physicalId, created.physicalId);
    const alias = await lambda.send(new GetAliasCommand({ FunctionName: FN, Name: "live" }));
    assert.equal(alias.FunctionVersion, v2.attributes.Version);
    assert.equal(alias.Description, "");
    assert.deepEqual(alias.RoutingConfig?.AdditionalVersionWeights, {
      [String(v1.attributes.Version)]: 0.25,
    });
    assert.deepEqual([...(provider.replaceOn ?? [])].sort(), ["FunctionName", "Name"]);

    await provider.delete(context, current(updated, second));
    const gone = await sdkError(lambda.send(new GetAliasCommand({ FunctionName: FN, Name: "live" })));
    assert.equal(gone.name, "ResourceNotFoundException");
    await provider.delete(context, current(updated, second));
  });

  it("Permission: Ref is the generated statement id, on the function's policy; delete removes it", async () => {
    const provider = providerOf("AWS::Lambda::Permission");
    const context = providerContextFor(stratus, "AWS::Lambda::Permission", "InvokePerm", "perm-stack");
    const properties = {
      FunctionName: fnArn,
      Action: "lambda:InvokeFunction",
      Principal: "apigateway.amazonaws.com",
      SourceArn: `arn:aws:execute-api:${stratus.region}:${TEST_ACCOUNT}:abc123/*`,
    };
    const created = await provider.create(context, properties);
    assert.match(created.physicalId, /^perm-stack-InvokePerm-[A-Z0-9]{13}$/);
    assert.deepEqual(created.attributes, { Id: created.physicalId });
    const policy = await stratus.lambda().send(new GetPolicyCommand({ FunctionName: FN }));
    const statements = JSON.parse(policy.Policy ?? "{}").Statement as { Sid: string; Principal: unknown }[];
    const statement = statements.find((s) => s.Sid === created.physicalId);
    assert.deepEqual(statement?.Principal, { Service: "apigateway.amazonaws.com" });
    assert.equal(provider.update, undefined, "every change replaces a permission");

    await provider.delete(context, current(created, properties));
    const after = await sdkError(stratus.lambda().send(new GetPolicyCommand({ FunctionName: FN })));
    assert.equal(after.name, "ResourceNotFoundException");
    await provider.delete(context, current(created, properties));
  });

  it("Permission: a qualified FunctionName puts the statement on that alias's policy", async () => {
    const lambda = stratus.lambda();
    const versions = providerOf("AWS::Lambda::Version");
    const version = await versions.create(providerContextFor(stratus, "AWS::Lambda::Version", "PermV"), {
      FunctionName: FN,
    });
    const aliases = providerOf("AWS::Lambda::Alias");
    const aliasContext = providerContextFor(stratus, "AWS::Lambda::Alias", "PermAlias");
    const aliasProperties = { FunctionName: FN, Name: "prod", FunctionVersion: version.attributes.Version };
    const alias = await aliases.create(aliasContext, aliasProperties);

    const provider = providerOf("AWS::Lambda::Permission");
    const context = providerContextFor(stratus, "AWS::Lambda::Permission", "AliasPerm");
    const properties = {
      FunctionName: alias.physicalId,
      Action: "lambda:InvokeFunction",
      Principal: TEST_ACCOUNT,
    };
    const created = await provider.create(context, properties);
    const policy = await lambda.send(new GetPolicyCommand({ FunctionName: FN, Qualifier: "prod" }));
    const statement = JSON.parse(policy.Policy ?? "{}").Statement[0];
    assert.equal(statement.Sid, created.physicalId);
    assert.equal(statement.Resource, alias.physicalId);
    await provider.delete(context, current(created, properties));
    const gone = await sdkError(lambda.send(new GetPolicyCommand({ FunctionName: FN, Qualifier: "prod" })));
    assert.equal(gone.name, "ResourceNotFoundException");

    // The alias still points at the version: deleting the version fails with Lambda's conflict.
    await assert.rejects(
      versions.delete(
        providerContextFor(stratus, "AWS::Lambda::Version", "PermV"),
        current(version, { FunctionName: FN }),
      ),
      {
        code: "ResourceConflictException",
      },
    );
    await aliases.delete(aliasContext, current(alias, aliasProperties));
    await versions.delete(
      providerContextFor(stratus, "AWS::Lambda::Version", "PermV"),
      current(version, { FunctionName: FN }),
    );
  });

  it("Url: Ref and FunctionArn name the function, FunctionUrl the URL; AuthType and Cors update in place", async () => {
    const provider = providerOf("AWS::Lambda::Url");
    const context = providerContextFor(stratus, "AWS::Lambda::Url", "FnUrl");
    const first = { TargetFunctionArn: FN, AuthType: "NONE", Cors: { AllowOrigins: ["*"], MaxAge: 60 } };
    const created = await provider.create(context, first);
    assert.equal(created.physicalId, fnArn);
    assert.equal(created.attributes.FunctionArn, fnArn);
    assert.match(
      String(created.attributes.FunctionUrl),
      /^http:\/\/[a-z0-9]+\.lambda-url\.us-east-1\.localhost/,
    );

    const second = { TargetFunctionArn: FN, AuthType: "AWS_IAM" };
    const updated = await provider.update!(context, current(created, first), second);
    assert.equal(updated.attributes.FunctionUrl, created.attributes.FunctionUrl);
    const config = await stratus.lambda().send(new GetFunctionUrlConfigCommand({ FunctionName: FN }));
    assert.equal(config.AuthType, "AWS_IAM");
    assert.equal(config.Cors?.AllowOrigins, undefined);

    await provider.delete(context, current(updated, second));
    const gone = await sdkError(stratus.lambda().send(new GetFunctionUrlConfigCommand({ FunctionName: FN })));
    assert.equal(gone.name, "ResourceNotFoundException");
    await provider.delete(context, current(updated, second));
  });

  it("EventSourceMapping: Ref is the UUID; updates in place with removed settings reset; delete removes it", async () => {
    const table = await stratus.dynamodb().send(
      new CreateTableCommand({
        TableName: "cfn-esm-table",
        AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }],
        KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
        BillingMode: "PAY_PER_REQUEST",
        StreamSpecification: { StreamEnabled: true, StreamViewType: "NEW_IMAGE" },
      }),
    );
    const streamArn = String(table.TableDescription?.LatestStreamArn);
    const provider = providerOf("AWS::Lambda::EventSourceMapping");
    const context = providerContextFor(stratus, "AWS::Lambda::EventSourceMapping", "Mapping");
    const first = {
      FunctionName: FN,
      EventSourceArn: streamArn,
      StartingPosition: "LATEST",
      BatchSize: "10",
      Enabled: "false",
      MaximumRetryAttempts: 2,
      FilterCriteria: { Filters: [{ Pattern: JSON.stringify({ eventName: ["INSERT"] }) }] },
    };
    const created = await provider.create(context, first);
    assert.match(created.physicalId, /^[0-9a-f-]{36}$/);
    assert.deepEqual(created.attributes, {
      Id: created.physicalId,
      EventSourceMappingArn: `arn:aws:lambda:${stratus.region}:${TEST_ACCOUNT}:event-source-mapping:${created.physicalId}`,
    });
    const lambda = stratus.lambda();
    const mapping = await lambda.send(new GetEventSourceMappingCommand({ UUID: created.physicalId }));
    assert.equal(mapping.BatchSize, 10);
    assert.equal(mapping.State, "Disabled");
    assert.equal(mapping.MaximumRetryAttempts, 2);
    assert.equal(mapping.FilterCriteria?.Filters?.length, 1);

    const second = { FunctionName: FN, EventSourceArn: streamArn, StartingPosition: "LATEST", BatchSize: 50 };
    const updated = await provider.update!(context, current(created, first), second);
    assert.equal(updated.physicalId, created.physicalId);
    const changed = await lambda.send(new GetEventSourceMappingCommand({ UUID: created.physicalId }));
    assert.equal(changed.BatchSize, 50);
    assert.equal(changed.State, "Enabled");
    assert.equal(changed.MaximumRetryAttempts, -1);
    assert.equal(changed.FilterCriteria, undefined);
    assert.ok(provider.replaceOn?.includes("EventSourceArn"));

    await provider.delete(context, current(updated, second));
    const gone = await sdkError(lambda.send(new GetEventSourceMappingCommand({ UUID: created.physicalId })));
    assert.equal(gone.name, "ResourceNotFoundException");
    await provider.delete(context, current(updated, second));
  });

  it("LayerVersion and LayerVersionPermission: Refs are the version ARN and ARN#statement; deletes remove them", async () => {
    const s3 = stratus.s3();
    await s3.send(new CreateBucketCommand({ Bucket: "cfn-layers" }));
    await s3.send(
      new PutObjectCommand({
        Bucket: "cfn-layers",
        Key: "layer.zip",
        Body: makeZip({ "nodejs/node_modules/x/index.js": "module.exports = 1;" }),
      }),
    );
    const provider = providerOf("AWS::Lambda::LayerVersion");
    const context = providerContextFor(stratus, "AWS::Lambda::LayerVersion", "Shared", "layer-stack");
    const properties = {
      Content: { S3Bucket: "cfn-layers", S3Key: "layer.zip" },
      CompatibleRuntimes: ["nodejs20.x"],
      Description: "shared code",
    };
    const created = await provider.create(context, properties);
    assert.match(
      created.physicalId,
      new RegExp(
        `^arn:aws:lambda:${stratus.region}:${TEST_ACCOUNT}:layer:layer-stack-Shared-[A-Z0-9]{13}:1$`,
      ),
    );
    assert.deepEqual(created.attributes, { LayerVersionArn: created.physicalId });
    const layerName = created.physicalId.split(":")[6];
    const lambda = stratus.lambda();
    const layer = await lambda.send(new GetLayerVersionCommand({ LayerName: layerName, VersionNumber: 1 }));
    assert.equal(layer.Description, "shared code");
    assert.equal(provider.update, undefined);

    const permissions = providerOf("AWS::Lambda::LayerVersionPermission");
    const pContext = providerContextFor(stratus, "AWS::Lambda::LayerVersionPermission", "Share");
    const pProperties = {
      LayerVersionArn: created.physicalId,
      Action: "lambda:GetLayerVersion",
      Principal: "*",
    };
    const permission = await permissions.create(pContext, pProperties);
    assert.match(permission.physicalId, new RegExp(`^${created.physicalId}#[0-9a-f-]{36}$`));
    const policy = await lambda.send(
      new GetLayerVersionPolicyCommand({ LayerName: layerName, VersionNumber: 1 }),
    );
    const statement = JSON.parse(policy.Policy ?? "{}").Statement[0];
    assert.equal(statement.Sid, permission.physicalId.split("#")[1]);
    await permissions.delete(pContext, current(permission, pProperties));
    const noPolicy = await sdkError(
      lambda.send(new GetLayerVersionPolicyCommand({ LayerName: layerName, VersionNumber: 1 })),
    );
    assert.equal(noPolicy.name, "ResourceNotFoundException");
    await permissions.delete(pContext, current(permission, pProperties));

    await provider.delete(context, current(created, properties));
    const gone = await sdkError(
      lambda.send(new GetLayerVersionCommand({ LayerName: layerName, VersionNumber: 1 })),
    );
    assert.equal(gone.name, "ResourceNotFoundException");
    await provider.delete(context, current(created, properties));
  });
});
