/**
 * Put/Get/Update/Delete/ListFunctionEventInvokeConfig(s) through the SDK: answers and errors as
 * recorded from Lambda (LocalStack's test_lambda_api.snapshot.json, TestLambdaEventInvokeConfig).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  CreateAliasCommand,
  DeleteAliasCommand,
  DeleteFunctionCommand,
  DeleteFunctionEventInvokeConfigCommand,
  GetFunctionEventInvokeConfigCommand,
  ListFunctionEventInvokeConfigsCommand,
  PublishVersionCommand,
  PutFunctionEventInvokeConfigCommand,
  UpdateFunctionEventInvokeConfigCommand,
} from "@aws-sdk/client-lambda";
import { useStratus } from "../../../support/stratus.ts";
import { createTestFunction, rejects, uniqueName } from "../helpers.ts";

const ARN = "arn:aws:lambda:us-east-1:000000000000:function";

describe("Lambda event invoke configs", () => {
  const stratus = useStratus({ inMemory: true });

  function createFunction(name = uniqueName("eic")): Promise<string> {
    return createTestFunction(stratus.lambda(), { FunctionName: name });
  }

  it("puts, gets, updates, lists and deletes configs per qualifier", async () => {
    const lambda = stratus.lambda();
    const name = await createFunction();
    const put = await lambda.send(
      new PutFunctionEventInvokeConfigCommand({ FunctionName: name, MaximumRetryAttempts: 0 }),
    );
    assert.equal(put.FunctionArn, `${ARN}:${name}:$LATEST`);
    assert.equal(put.MaximumRetryAttempts, 0);
    assert.equal(put.MaximumEventAgeInSeconds, undefined);
    assert.deepEqual(put.DestinationConfig, { OnSuccess: {}, OnFailure: {} });
    assert.ok(put.LastModified instanceof Date);
    assert.ok(Math.abs((put.LastModified as Date).getTime() - Date.now()) < 60_000);

    // Put replaces: the retries set before are gone.
    const replaced = await lambda.send(
      new PutFunctionEventInvokeConfigCommand({ FunctionName: name, MaximumEventAgeInSeconds: 60 }),
    );
    assert.equal(replaced.MaximumRetryAttempts, undefined);
    assert.equal(replaced.MaximumEventAgeInSeconds, 60);

    // Update changes only what it names.
    const updated = await lambda.send(
      new UpdateFunctionEventInvokeConfigCommand({ FunctionName: name, MaximumRetryAttempts: 1 }),
    );
    assert.equal(updated.MaximumRetryAttempts, 1);
    assert.equal(updated.MaximumEventAgeInSeconds, 60);

    const got = await lambda.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: name }));
    const gotLatest = await lambda.send(
      new GetFunctionEventInvokeConfigCommand({ FunctionName: name, Qualifier: "$LATEST" }),
    );
    for (const answer of [got, gotLatest]) {
      assert.equal(answer.FunctionArn, `${ARN}:${name}:$LATEST`);
      assert.equal(answer.MaximumRetryAttempts, 1);
      assert.equal(answer.MaximumEventAgeInSeconds, 60);
    }

    const version = await lambda.send(new PublishVersionCommand({ FunctionName: name }));
    await rejects(
      lambda.send(
        new GetFunctionEventInvokeConfigCommand({ FunctionName: name, Qualifier: version.Version }),
      ),
      "ResourceNotFoundException",
      `The function ${ARN}:${name}:1 doesn't have an EventInvokeConfig`,
      404,
    );
    const onVersion = await lambda.send(
      new PutFunctionEventInvokeConfigCommand({
        FunctionName: name,
        Qualifier: "1",
        MaximumEventAgeInSeconds: 120,
      }),
    );
    assert.equal(onVersion.FunctionArn, `${ARN}:${name}:1`);
    await lambda.send(new CreateAliasCommand({ FunctionName: name, Name: "live", FunctionVersion: "1" }));
    // An alias named in the function name (qualified ARN or name:alias) is the qualifier.
    const onAlias = await lambda.send(
      new PutFunctionEventInvokeConfigCommand({
        FunctionName: `${ARN}:${name}:live`,
        MaximumRetryAttempts: 2,
      }),
    );
    assert.equal(onAlias.FunctionArn, `${ARN}:${name}:live`);
    const aliasShort = await lambda.send(
      new GetFunctionEventInvokeConfigCommand({ FunctionName: `${name}:live`, Qualifier: "live" }),
    );
    assert.equal(aliasShort.MaximumRetryAttempts, 2);

    const list = await lambda.send(new ListFunctionEventInvokeConfigsCommand({ FunctionName: name }));
    assert.deepEqual(
      list.FunctionEventInvokeConfigs?.map((c) => c.FunctionArn),
      [`${ARN}:${name}:$LATEST`, `${ARN}:${name}:1`, `${ARN}:${name}:live`],
    );
    assert.equal(list.NextMarker, undefined);
    const first = await lambda.send(
      new ListFunctionEventInvokeConfigsCommand({ FunctionName: name, MaxItems: 2 }),
    );
    assert.equal(first.FunctionEventInvokeConfigs?.length, 2);
    assert.ok(first.NextMarker);
    const rest = await lambda.send(
      new ListFunctionEventInvokeConfigsCommand({
        FunctionName: name,
        MaxItems: 2,
        Marker: first.NextMarker,
      }),
    );
    assert.deepEqual(
      rest.FunctionEventInvokeConfigs?.map((c) => c.FunctionArn),
      [`${ARN}:${name}:live`],
    );
    assert.equal(rest.NextMarker, undefined);

    const deleted = await lambda.send(
      new DeleteFunctionEventInvokeConfigCommand({ FunctionName: name, Qualifier: "$LATEST" }),
    );
    assert.equal(deleted.$metadata.httpStatusCode, 204);
    await rejects(
      lambda.send(new DeleteFunctionEventInvokeConfigCommand({ FunctionName: name })),
      "ResourceNotFoundException",
      `The function ${ARN}:${name}:$LATEST doesn't have an EventInvokeConfig`,
      404,
    );
    await rejects(
      lambda.send(
        new UpdateFunctionEventInvokeConfigCommand({
          FunctionName: `${ARN}:${name}`,
          MaximumRetryAttempts: 0,
        }),
      ),
      "ResourceNotFoundException",
      `The function ${ARN}:${name}:$LATEST doesn't have an EventInvokeConfig`,
      404,
    );
    const after = await lambda.send(new ListFunctionEventInvokeConfigsCommand({ FunctionName: name }));
    assert.equal(after.FunctionEventInvokeConfigs?.length, 2);
  });

  it("takes Lambda destinations and refuses what Lambda refuses", async () => {
    const lambda = stratus.lambda();
    const name = await createFunction();
    const other = await createFunction();
    const withDestination = await lambda.send(
      new PutFunctionEventInvokeConfigCommand({
        FunctionName: name,
        DestinationConfig: { OnSuccess: { Destination: `${ARN}:${other}` } },
      }),
    );
    assert.deepEqual(withDestination.DestinationConfig, {
      OnSuccess: { Destination: `${ARN}:${other}` },
      OnFailure: {},
    });
    assert.equal(withDestination.MaximumRetryAttempts, undefined);

    // An empty side is accepted and names no destination.
    const empty = await lambda.send(
      new PutFunctionEventInvokeConfigCommand({ FunctionName: name, DestinationConfig: { OnFailure: {} } }),
    );
    assert.deepEqual(empty.DestinationConfig, { OnSuccess: {}, OnFailure: {} });

    // Update replaces the side it names and keeps the other.
    await lambda.send(
      new PutFunctionEventInvokeConfigCommand({
        FunctionName: name,
        DestinationConfig: { OnSuccess: { Destination: `${ARN}:${other}` } },
      }),
    );
    const both = await lambda.send(
      new UpdateFunctionEventInvokeConfigCommand({
        FunctionName: name,
        DestinationConfig: { OnFailure: { Destination: `${ARN}:${other}:$LATEST` } },
      }),
    );
    assert.deepEqual(both.DestinationConfig, {
      OnSuccess: { Destination: `${ARN}:${other}` },
      OnFailure: { Destination: `${ARN}:${other}:$LATEST` },
    });

    await rejects(
      lambda.send(
        new PutFunctionEventInvokeConfigCommand({
          FunctionName: name,
          DestinationConfig: { OnSuccess: { Destination: `${ARN}:doesnotexist` } },
        }),
      ),
      "InvalidParameterValueException",
      `The destination ARN ${ARN}:doesnotexist is invalid.`,
      400,
    );
    await rejects(
      lambda.send(
        new PutFunctionEventInvokeConfigCommand({
          FunctionName: name,
          DestinationConfig: { OnSuccess: { Destination: `${ARN}:${name}` } },
        }),
      ),
      "InvalidParameterValueException",
      "You can't specify the function as a destination for itself.",
      400,
    );
    const iamArn = `arn:aws:iam:us-east-1:000000000000:function:${name}`;
    await rejects(
      lambda.send(
        new PutFunctionEventInvokeConfigCommand({
          FunctionName: name,
          DestinationConfig: { OnSuccess: { Destination: iamArn } },
        }),
      ),
      "InvalidParameterValueException",
      `The provided destination config DestinationConfig(onSuccess=OnSuccess(destination=${iamArn}), onFailure=null) is invalid.`,
      400,
    );
    const badPattern = `arn:aws:_-/!lambda:us-east-1:000000000000:function:${name}`;
    await rejects(
      lambda.send(
        new PutFunctionEventInvokeConfigCommand({
          FunctionName: name,
          DestinationConfig: { OnFailure: { Destination: badPattern } },
        }),
      ),
      "ValidationException",
      `1 validation error detected: Value '${badPattern}' at 'destinationConfig.onFailure.destination' failed to satisfy constraint: Member must satisfy regular expression pattern: ^$|arn:(aws[a-zA-Z0-9-]*):([a-zA-Z0-9\\-])+:([a-z]{2}((-gov)|(-iso(b?)))?-[a-z]+-\\d{1})?:(\\d{12})?:(.*)`,
      400,
    );
    const queue = "arn:aws:sqs:us-east-1:000000000000:records";
    await rejects(
      lambda.send(
        new PutFunctionEventInvokeConfigCommand({
          FunctionName: name,
          DestinationConfig: { OnFailure: { Destination: queue } },
        }),
      ),
      "InvalidParameterValueException",
      `Stratus does not run Amazon SQS yet, so the destination ${queue} cannot receive invocation records; use a Lambda function ARN (or, for OnFailure, an S3 bucket ARN).`,
      400,
    );
  });

  it("answers Lambda's errors for missing functions, configs and values", async () => {
    const lambda = stratus.lambda();
    const name = await createFunction();
    await rejects(
      lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: "doesnotexist" })),
      "InvalidParameterValueException",
      "You must specify at least one of error handling or destination setting.",
      400,
    );
    for (const functionName of ["doesnotexist", `${ARN}:doesnotexist`]) {
      await rejects(
        lambda.send(
          new PutFunctionEventInvokeConfigCommand({ FunctionName: functionName, MaximumRetryAttempts: 1 }),
        ),
        "ResourceNotFoundException",
        "The function doesn't exist.",
        404,
      );
    }
    await rejects(
      lambda.send(
        new PutFunctionEventInvokeConfigCommand({
          FunctionName: name,
          Qualifier: "nosuchalias",
          MaximumRetryAttempts: 1,
        }),
      ),
      "ResourceNotFoundException",
      "The function doesn't exist.",
      404,
    );
    await rejects(
      lambda.send(
        new UpdateFunctionEventInvokeConfigCommand({ FunctionName: "doesnotexist", MaximumRetryAttempts: 0 }),
      ),
      "ResourceNotFoundException",
      "The function doesn't exist.",
      404,
    );
    await rejects(
      lambda.send(new ListFunctionEventInvokeConfigsCommand({ FunctionName: "doesnotexist" })),
      "ResourceNotFoundException",
      "The function doesn't exist.",
      404,
    );
    await rejects(
      lambda.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: "doesnotexist" })),
      "ResourceNotFoundException",
      `The function ${ARN}:doesnotexist:$LATEST doesn't have an EventInvokeConfig`,
      404,
    );
    await rejects(
      lambda.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: name, Qualifier: "doesnotexist" })),
      "ResourceNotFoundException",
      `The function ${ARN}:${name}:doesnotexist doesn't have an EventInvokeConfig`,
      404,
    );
    await rejects(
      lambda.send(new DeleteFunctionEventInvokeConfigCommand({ FunctionName: "doesnotexist" })),
      "ResourceNotFoundException",
      `The function ${ARN}:doesnotexist:$LATEST doesn't have an EventInvokeConfig`,
      404,
    );
    await rejects(
      lambda.send(
        new PutFunctionEventInvokeConfigCommand({
          FunctionName: `${name}:1`,
          Qualifier: "$LATEST",
          MaximumRetryAttempts: 1,
        }),
      ),
      "InvalidParameterValueException",
      "The derived qualifier from the function name does not match the specified qualifier.",
      400,
    );
    await rejects(
      lambda.send(
        new PutFunctionEventInvokeConfigCommand({
          FunctionName: name,
          MaximumRetryAttempts: 3,
          MaximumEventAgeInSeconds: 59,
        }),
      ),
      "ValidationException",
      "2 validation errors detected: Value '3' at 'maximumRetryAttempts' failed to satisfy constraint: Member must have value less than or equal to 2; Value '59' at 'maximumEventAgeInSeconds' failed to satisfy constraint: Member must have value greater than or equal to 60",
      400,
    );
    await rejects(
      lambda.send(
        new PutFunctionEventInvokeConfigCommand({ FunctionName: name, MaximumEventAgeInSeconds: 21601 }),
      ),
      "ValidationException",
      "1 validation error detected: Value '21601' at 'maximumEventAgeInSeconds' failed to satisfy constraint: Member must have value less than or equal to 21600",
      400,
    );
    await rejects(
      lambda.send(new ListFunctionEventInvokeConfigsCommand({ FunctionName: name, MaxItems: 51 })),
      "ValidationException",
      "1 validation error detected: Value '51' at 'maxItems' failed to satisfy constraint: Member must have value less than or equal to 50",
      400,
    );
  });

  it("removes a function's configs with the function, and a version's with the version", async () => {
    const lambda = stratus.lambda();
    const name = await createFunction();
    await lambda.send(new PublishVersionCommand({ FunctionName: name }));
    await lambda.send(
      new PutFunctionEventInvokeConfigCommand({ FunctionName: name, MaximumRetryAttempts: 0 }),
    );
    await lambda.send(
      new PutFunctionEventInvokeConfigCommand({
        FunctionName: name,
        Qualifier: "1",
        MaximumRetryAttempts: 1,
      }),
    );
    await lambda.send(
      new CreateAliasCommand({ FunctionName: name, Name: "gone", FunctionVersion: "$LATEST" }),
    );
    await lambda.send(
      new PutFunctionEventInvokeConfigCommand({
        FunctionName: name,
        Qualifier: "gone",
        MaximumRetryAttempts: 1,
      }),
    );
    await lambda.send(new DeleteAliasCommand({ FunctionName: name, Name: "gone" }));
    await lambda.send(new DeleteFunctionCommand({ FunctionName: name, Qualifier: "1" }));
    const left = await lambda.send(new ListFunctionEventInvokeConfigsCommand({ FunctionName: name }));
    assert.deepEqual(
      left.FunctionEventInvokeConfigs?.map((c) => c.FunctionArn),
      [`${ARN}:${name}:$LATEST`],
    );
    await lambda.send(new DeleteFunctionCommand({ FunctionName: name }));
    await createFunction(name);
    const fresh = await lambda.send(new ListFunctionEventInvokeConfigsCommand({ FunctionName: name }));
    assert.deepEqual(fresh.FunctionEventInvokeConfigs, []);
  });
});
