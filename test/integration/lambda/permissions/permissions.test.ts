/**
 * AddPermission, RemovePermission and GetPolicy through @aws-sdk/client-lambda: the statement and
 * policy documents exactly as Lambda writes them, per function, version and alias, RevisionIds, and
 * Lambda's errors.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  AddPermissionCommand,
  CreateAliasCommand,
  DeleteAliasCommand,
  DeleteFunctionCommand,
  GetAliasCommand,
  GetFunctionConfigurationCommand,
  GetPolicyCommand,
  type LambdaClient,
  PublishVersionCommand,
  RemovePermissionCommand,
} from "@aws-sdk/client-lambda";
import { useStratus } from "../../../support/stratus.ts";
import { createTestFunction, rejects } from "../helpers.ts";

const ACCOUNT = "000000000000";
const ARN_PREFIX = `arn:aws:lambda:us-east-1:${ACCOUNT}:function:`;
const NOT_EXIST = "The resource you requested does not exist.";

function createFunction(lambda: LambdaClient, publish = false): Promise<string> {
  return createTestFunction(lambda, { prefix: "perm", Publish: publish });
}

async function policyOf(lambda: LambdaClient, name: string, qualifier?: string) {
  const answer = await lambda.send(new GetPolicyCommand({ FunctionName: name, Qualifier: qualifier }));
  return { text: answer.Policy ?? "", revisionId: answer.RevisionId };
}

describe("Lambda resource-based policies", () => {
  const stratus = useStratus({ inMemory: true });

  it("adds a service statement with conditions and answers it as Lambda writes it", async () => {
    const lambda = stratus.lambda();
    const name = await createFunction(lambda);
    const added = await lambda.send(
      new AddPermissionCommand({
        FunctionName: name,
        StatementId: "s3",
        Action: "lambda:InvokeFunction",
        Principal: "s3.amazonaws.com",
        SourceArn: "arn:aws:s3:::my-bucket",
        SourceAccount: "123456789012",
      }),
    );
    assert.equal(added.$metadata.httpStatusCode, 201);
    const statement = `{"Sid":"s3","Effect":"Allow","Principal":{"Service":"s3.amazonaws.com"},"Action":"lambda:InvokeFunction","Resource":"${ARN_PREFIX}${name}","Condition":{"StringEquals":{"AWS:SourceAccount":"123456789012"},"ArnLike":{"AWS:SourceArn":"arn:aws:s3:::my-bucket"}}}`;
    assert.equal(added.Statement, statement);
    const policy = await policyOf(lambda, name);
    assert.equal(policy.text, `{"Version":"2012-10-17","Id":"default","Statement":[${statement}]}`);
    // The policy's RevisionId is the function's, which the statement changed.
    const config = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name }));
    assert.equal(policy.revisionId, config.RevisionId);
  });

  it("renders account, IAM, wildcard principals and every condition member", async () => {
    const lambda = stratus.lambda();
    const name = await createFunction(lambda);
    const add = async (input: Omit<ConstructorParameters<typeof AddPermissionCommand>[0], "FunctionName">) =>
      (await lambda.send(new AddPermissionCommand({ FunctionName: name, ...input }))).Statement;
    const resource = `${ARN_PREFIX}${name}`;
    assert.equal(
      await add({ StatementId: "xaccount", Action: "lambda:InvokeFunction", Principal: "223456789012" }),
      `{"Sid":"xaccount","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::223456789012:root"},"Action":"lambda:InvokeFunction","Resource":"${resource}"}`,
    );
    assert.equal(
      await add({
        StatementId: "role",
        Action: "lambda:GetFunction",
        Principal: "arn:aws:iam::223456789012:role/reader",
      }),
      `{"Sid":"role","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::223456789012:role/reader"},"Action":"lambda:GetFunction","Resource":"${resource}"}`,
    );
    assert.equal(
      await add({
        StatementId: "url",
        Action: "lambda:InvokeFunctionUrl",
        Principal: "*",
        FunctionUrlAuthType: "NONE",
      }),
      `{"Sid":"url","Effect":"Allow","Principal":"*","Action":"lambda:InvokeFunctionUrl","Resource":"${resource}","Condition":{"StringEquals":{"lambda:FunctionUrlAuthType":"NONE"}}}`,
    );
    assert.equal(
      await add({
        StatementId: "via-url",
        Action: "lambda:InvokeFunction",
        Principal: "*",
        InvokedViaFunctionUrl: true,
      }),
      `{"Sid":"via-url","Effect":"Allow","Principal":"*","Action":"lambda:InvokeFunction","Resource":"${resource}","Condition":{"Bool":{"lambda:InvokedViaFunctionUrl":"true"}}}`,
    );
    assert.equal(
      await add({
        StatementId: "org",
        Action: "lambda:*",
        Principal: "*",
        PrincipalOrgID: "o-a1b2c3d4e5",
      }),
      `{"Sid":"org","Effect":"Allow","Principal":"*","Action":"lambda:*","Resource":"${resource}","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-a1b2c3d4e5"}}}`,
    );
    assert.equal(
      await add({
        StatementId: "alexa",
        Action: "lambda:InvokeFunction",
        Principal: "alexa-appkit.amazon.com",
        EventSourceToken: "amzn1.ask.skill.123",
      }),
      `{"Sid":"alexa","Effect":"Allow","Principal":{"Service":"alexa-appkit.amazon.com"},"Action":"lambda:InvokeFunction","Resource":"${resource}","Condition":{"StringEquals":{"lambda:EventSourceToken":"amzn1.ask.skill.123"}}}`,
    );
    const policy = JSON.parse((await policyOf(lambda, name)).text) as { Statement: { Sid: string }[] };
    assert.deepEqual(
      policy.Statement.map((s) => s.Sid),
      ["xaccount", "role", "url", "via-url", "org", "alexa"],
    );
  });

  it("removes statements one by one, then the policy is gone", async () => {
    const lambda = stratus.lambda();
    const name = await createFunction(lambda);
    for (const [sid, principal] of [
      ["s3", "s3.amazonaws.com"],
      ["sqs", "sqs.amazonaws.com"],
    ]) {
      await lambda.send(
        new AddPermissionCommand({
          FunctionName: name,
          StatementId: sid,
          Action: "lambda:InvokeFunction",
          Principal: principal,
        }),
      );
    }
    const before = await policyOf(lambda, name);
    const removed = await lambda.send(new RemovePermissionCommand({ FunctionName: name, StatementId: "s3" }));
    assert.equal(removed.$metadata.httpStatusCode, 204);
    const after = await policyOf(lambda, name);
    assert.equal(
      after.text,
      `{"Version":"2012-10-17","Id":"default","Statement":[{"Sid":"sqs","Effect":"Allow","Principal":{"Service":"sqs.amazonaws.com"},"Action":"lambda:InvokeFunction","Resource":"${ARN_PREFIX}${name}"}]}`,
    );
    assert.notEqual(after.revisionId, before.revisionId);
    await lambda.send(new RemovePermissionCommand({ FunctionName: name, StatementId: "sqs" }));
    await rejects(
      lambda.send(new GetPolicyCommand({ FunctionName: name })),
      "ResourceNotFoundException",
      NOT_EXIST,
      404,
    );
    await rejects(
      lambda.send(new RemovePermissionCommand({ FunctionName: name, StatementId: "sqs" })),
      "ResourceNotFoundException",
      "No policy is associated with the given resource.",
      404,
    );
  });

  it("answers Lambda's errors", async () => {
    const lambda = stratus.lambda();
    const name = await createFunction(lambda);
    const base = { FunctionName: name, Action: "lambda:InvokeFunction", Principal: "sns.amazonaws.com" };
    await lambda.send(new AddPermissionCommand({ ...base, StatementId: "sns" }));
    await rejects(
      lambda.send(new AddPermissionCommand({ ...base, StatementId: "sns" })),
      "ResourceConflictException",
      "The statement id (sns) provided already exists. Please provide a new statement id, or remove the existing statement.",
      409,
    );
    await rejects(
      lambda.send(new RemovePermissionCommand({ FunctionName: name, StatementId: "other" })),
      "ResourceNotFoundException",
      "Statement other is not found in resource policy.",
      404,
    );
    await rejects(
      lambda.send(new AddPermissionCommand({ ...base, StatementId: "latest", Qualifier: "$LATEST" })),
      "InvalidParameterValueException",
      "We currently do not support adding policies for $LATEST.",
      400,
    );
    await rejects(
      lambda.send(new AddPermissionCommand({ ...base, StatementId: "bad", Principal: "somebody" })),
      "InvalidParameterValueException",
      "The provided principal was invalid. Please check the principal and try again.",
      400,
    );
    await rejects(
      lambda.send(new AddPermissionCommand({ ...base, StatementId: "a b", Action: "invoke" })),
      "ValidationException",
      "2 validation errors detected: Value 'a b' at 'statementId' failed to satisfy constraint: Member must satisfy regular expression pattern: ([a-zA-Z0-9-_]+); Value 'invoke' at 'action' failed to satisfy constraint: Member must satisfy regular expression pattern: (lambda:[*]|lambda:[a-zA-Z]+|[*])",
      400,
    );
    await rejects(
      lambda.send(
        new AddPermissionCommand({
          ...base,
          StatementId: "acct",
          SourceAccount: "12345",
          FunctionUrlAuthType: "X" as "NONE",
        }),
      ),
      "ValidationException",
      "2 validation errors detected: Value '12345' at 'sourceAccount' failed to satisfy constraint: Member must satisfy regular expression pattern: \\d{12}; Value 'X' at 'functionUrlAuthType' failed to satisfy constraint: Member must satisfy enum value set: [NONE, AWS_IAM]",
      400,
    );
    await rejects(
      lambda.send(new AddPermissionCommand({ ...base, StatementId: "rev", RevisionId: "stale" })),
      "PreconditionFailedException",
      "The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id",
      412,
    );
    await rejects(
      lambda.send(
        new RemovePermissionCommand({ FunctionName: name, StatementId: "sns", RevisionId: "stale" }),
      ),
      "PreconditionFailedException",
      "The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id",
      412,
    );
    await rejects(
      lambda.send(new AddPermissionCommand({ ...base, StatementId: "alias", Qualifier: "nope" })),
      "ResourceNotFoundException",
      `Cannot find alias arn: ${ARN_PREFIX}${name}:nope`,
      404,
    );
    await rejects(
      lambda.send(new AddPermissionCommand({ ...base, StatementId: "version", Qualifier: "7" })),
      "ResourceNotFoundException",
      `Function not found: ${ARN_PREFIX}${name}:7`,
      404,
    );
    await rejects(
      lambda.send(new AddPermissionCommand({ ...base, FunctionName: "perm-missing", StatementId: "x" })),
      "ResourceNotFoundException",
      `Function not found: ${ARN_PREFIX}perm-missing`,
      404,
    );
    await rejects(
      lambda.send(new GetPolicyCommand({ FunctionName: "perm-missing" })),
      "ResourceNotFoundException",
      `Function not found: ${ARN_PREFIX}perm-missing`,
      404,
    );
    await rejects(
      lambda.send(new RemovePermissionCommand({ FunctionName: "perm-missing", StatementId: "x" })),
      "ResourceNotFoundException",
      `No policy found for: ${ARN_PREFIX}perm-missing`,
      404,
    );
    // A RevisionId that matches is accepted.
    const current = await policyOf(lambda, name);
    await lambda.send(
      new RemovePermissionCommand({ FunctionName: name, StatementId: "sns", RevisionId: current.revisionId }),
    );
  });

  it("keeps one policy per version and alias, with the qualified ARN as Resource", async () => {
    const lambda = stratus.lambda();
    const name = await createFunction(lambda, true);
    await lambda.send(new CreateAliasCommand({ FunctionName: name, Name: "live", FunctionVersion: "1" }));
    const aliasBefore = await lambda.send(new GetAliasCommand({ FunctionName: name, Name: "live" }));
    const base = {
      Action: "lambda:InvokeFunction",
      Principal: "apigateway.amazonaws.com",
      StatementId: "api",
    };
    // The same statement id in $LATEST's, version 1's and the alias's policies.
    await lambda.send(new AddPermissionCommand({ ...base, FunctionName: name }));
    await lambda.send(new AddPermissionCommand({ ...base, FunctionName: name, Qualifier: "1" }));
    const viaArn = await lambda.send(new AddPermissionCommand({ ...base, FunctionName: `${name}:live` }));
    assert.equal(
      viaArn.Statement,
      `{"Sid":"api","Effect":"Allow","Principal":{"Service":"apigateway.amazonaws.com"},"Action":"lambda:InvokeFunction","Resource":"${ARN_PREFIX}${name}:live"}`,
    );
    const version = await policyOf(lambda, name, "1");
    assert.equal(JSON.parse(version.text).Statement[0].Resource, `${ARN_PREFIX}${name}:1`);
    const versionConfig = await lambda.send(
      new GetFunctionConfigurationCommand({ FunctionName: name, Qualifier: "1" }),
    );
    assert.equal(version.revisionId, versionConfig.RevisionId);
    const alias = await policyOf(lambda, name, "live");
    const aliasAfter = await lambda.send(new GetAliasCommand({ FunctionName: name, Name: "live" }));
    assert.equal(alias.revisionId, aliasAfter.RevisionId);
    assert.notEqual(aliasAfter.RevisionId, aliasBefore.RevisionId);
    // Qualifier $LATEST reads the unqualified function's policy.
    assert.equal((await policyOf(lambda, name, "$LATEST")).text, (await policyOf(lambda, name)).text);
    await rejects(
      lambda.send(new GetPolicyCommand({ FunctionName: name, Qualifier: "other" })),
      "ResourceNotFoundException",
      NOT_EXIST,
      404,
    );
    // A statement on $LATEST is not a change PublishVersion publishes.
    const published = await lambda.send(new PublishVersionCommand({ FunctionName: name }));
    assert.equal(published.Version, "1");
  });

  it("deletes policies with their alias, version and function", async () => {
    const lambda = stratus.lambda();
    const name = await createFunction(lambda, true);
    await lambda.send(
      new CreateAliasCommand({ FunctionName: name, Name: "live", FunctionVersion: "$LATEST" }),
    );
    const base = { Action: "lambda:InvokeFunction", Principal: "events.amazonaws.com", StatementId: "ev" };
    await lambda.send(new AddPermissionCommand({ ...base, FunctionName: name, Qualifier: "live" }));
    await lambda.send(new AddPermissionCommand({ ...base, FunctionName: name, Qualifier: "1" }));
    await lambda.send(new AddPermissionCommand({ ...base, FunctionName: name }));

    await lambda.send(new DeleteAliasCommand({ FunctionName: name, Name: "live" }));
    await lambda.send(new CreateAliasCommand({ FunctionName: name, Name: "live", FunctionVersion: "1" }));
    await rejects(
      lambda.send(new GetPolicyCommand({ FunctionName: name, Qualifier: "live" })),
      "ResourceNotFoundException",
      NOT_EXIST,
      404,
    );
    await lambda.send(new DeleteAliasCommand({ FunctionName: name, Name: "live" }));
    await lambda.send(new DeleteFunctionCommand({ FunctionName: name, Qualifier: "1" }));
    await rejects(
      lambda.send(new GetPolicyCommand({ FunctionName: name, Qualifier: "1" })),
      "ResourceNotFoundException",
      NOT_EXIST,
      404,
    );
    assert.ok((await policyOf(lambda, name)).text.includes('"Sid":"ev"'));

    await lambda.send(new DeleteFunctionCommand({ FunctionName: name }));
    await createTestFunction(lambda, { FunctionName: name });
    await rejects(
      lambda.send(new GetPolicyCommand({ FunctionName: name })),
      "ResourceNotFoundException",
      NOT_EXIST,
      404,
    );
  });
});
