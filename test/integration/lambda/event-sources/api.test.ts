/**
 * Create/Get/Update/Delete/ListEventSourceMappings through @aws-sdk/client-lambda: the answers' shape
 * (as recorded from Lambda), pagination, validation in Lambda's words, and not-found errors.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import {
  CreateEventSourceMappingCommand,
  type CreateEventSourceMappingCommandInput,
  DeleteEventSourceMappingCommand,
  DeleteFunctionCommand,
  GetEventSourceMappingCommand,
  ListEventSourceMappingsCommand,
  UpdateEventSourceMappingCommand,
} from "@aws-sdk/client-lambda";
import { useStratus } from "../../../support/stratus.ts";
import { rejects } from "../helpers.ts";
import { createRecorder, createStreamTable } from "./esm-helpers.ts";

const ACCOUNT = "000000000000";

describe("Lambda event source mappings: API", () => {
  const stratus = useStratus({ inMemory: true });
  let scratch = "";
  before(async () => {
    scratch = await mkdtemp(join(tmpdir(), "stratus-esm-api-"));
  });
  after(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  async function setup() {
    const { streamArn, tableName } = await createStreamTable(stratus.dynamodb());
    const fn = await createRecorder(stratus.lambda(), scratch);
    return { streamArn, tableName, fn: fn.name };
  }

  it("creates a mapping (202, Creating) that reads Enabled, with Lambda's defaults", async () => {
    const lambda = stratus.lambda();
    const { streamArn, fn } = await setup();
    const created = await lambda.send(
      new CreateEventSourceMappingCommand({
        EventSourceArn: streamArn,
        FunctionName: fn,
        StartingPosition: "LATEST",
      }),
    );
    assert.equal(created.$metadata.httpStatusCode, 202);
    const uuid = created.UUID!;
    assert.match(uuid, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const { $metadata, LastModified, ...rest } = created;
    assert.ok(LastModified instanceof Date && Math.abs(LastModified.getTime() - Date.now()) < 60_000);
    assert.deepEqual(rest, {
      BatchSize: 100,
      BisectBatchOnFunctionError: false,
      DestinationConfig: { OnFailure: {} },
      EventSourceArn: streamArn,
      EventSourceMappingArn: `arn:aws:lambda:us-east-1:${ACCOUNT}:event-source-mapping:${uuid}`,
      FunctionArn: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:${fn}`,
      FunctionResponseTypes: [],
      LastProcessingResult: "No records processed",
      MaximumBatchingWindowInSeconds: 0,
      MaximumRecordAgeInSeconds: -1,
      MaximumRetryAttempts: -1,
      ParallelizationFactor: 1,
      StartingPosition: "LATEST",
      State: "Creating",
      StateTransitionReason: "User action",
      TumblingWindowInSeconds: 0,
      UUID: uuid,
    });
    const got = await lambda.send(new GetEventSourceMappingCommand({ UUID: uuid }));
    assert.equal(got.$metadata.httpStatusCode, 200);
    assert.equal(got.State, "Enabled");
    assert.equal(got.FunctionArn, created.FunctionArn);

    await rejects(
      lambda.send(
        new CreateEventSourceMappingCommand({
          EventSourceArn: streamArn,
          FunctionName: fn,
          StartingPosition: "TRIM_HORIZON",
        }),
      ),
      "ResourceConflictException",
      `The event source arn (" ${streamArn} ") and function (" ${fn} ") provided mapping already exists. Please update or delete the existing mapping with UUID ${uuid}`,
      409,
    );
  });

  it("keeps the settings it was given, filters included", async () => {
    const lambda = stratus.lambda();
    const { streamArn, fn } = await setup();
    const pattern = JSON.stringify({ eventName: ["INSERT"] });
    const created = await lambda.send(
      new CreateEventSourceMappingCommand({
        EventSourceArn: streamArn,
        FunctionName: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:${fn}`,
        StartingPosition: "TRIM_HORIZON",
        Enabled: false,
        BatchSize: 7,
        MaximumBatchingWindowInSeconds: 2,
        MaximumRetryAttempts: 3,
        MaximumRecordAgeInSeconds: 60,
        BisectBatchOnFunctionError: true,
        ParallelizationFactor: 4,
        FunctionResponseTypes: ["ReportBatchItemFailures"],
        FilterCriteria: { Filters: [{ Pattern: pattern }] },
      }),
    );
    const got = await lambda.send(new GetEventSourceMappingCommand({ UUID: created.UUID }));
    assert.equal(got.State, "Disabled");
    assert.equal(got.BatchSize, 7);
    assert.equal(got.MaximumBatchingWindowInSeconds, 2);
    assert.equal(got.MaximumRetryAttempts, 3);
    assert.equal(got.MaximumRecordAgeInSeconds, 60);
    assert.equal(got.BisectBatchOnFunctionError, true);
    assert.equal(got.ParallelizationFactor, 4);
    assert.deepEqual(got.FunctionResponseTypes, ["ReportBatchItemFailures"]);
    assert.deepEqual(got.FilterCriteria, { Filters: [{ Pattern: pattern }] });
    assert.equal(got.StartingPosition, "TRIM_HORIZON");
  });

  it("updates (202: Updating, Disabling, Enabling) and deletes (202: Deleting), then answers not found", async () => {
    const lambda = stratus.lambda();
    const { streamArn, fn } = await setup();
    const { UUID } = await lambda.send(
      new CreateEventSourceMappingCommand({
        EventSourceArn: streamArn,
        FunctionName: fn,
        StartingPosition: "LATEST",
      }),
    );
    const updated = await lambda.send(new UpdateEventSourceMappingCommand({ UUID, BatchSize: 5 }));
    assert.equal(updated.$metadata.httpStatusCode, 202);
    assert.equal(updated.State, "Updating");
    assert.equal(updated.BatchSize, 5);
    const disabled = await lambda.send(new UpdateEventSourceMappingCommand({ UUID, Enabled: false }));
    assert.equal(disabled.State, "Disabling");
    assert.equal((await lambda.send(new GetEventSourceMappingCommand({ UUID }))).State, "Disabled");
    const enabled = await lambda.send(
      new UpdateEventSourceMappingCommand({
        UUID,
        Enabled: true,
        FilterCriteria: { Filters: [{ Pattern: '{"eventName":["REMOVE"]}' }] },
      }),
    );
    assert.equal(enabled.State, "Enabling");
    assert.deepEqual(enabled.FilterCriteria, { Filters: [{ Pattern: '{"eventName":["REMOVE"]}' }] });
    const cleared = await lambda.send(new UpdateEventSourceMappingCommand({ UUID, FilterCriteria: {} }));
    assert.equal(cleared.FilterCriteria, undefined);

    await rejects(
      lambda.send(new UpdateEventSourceMappingCommand({ UUID, FunctionName: "no-such-function" })),
      "InvalidParameterValueException",
      "Function does not exist",
      400,
    );
    const deleted = await lambda.send(new DeleteEventSourceMappingCommand({ UUID }));
    assert.equal(deleted.$metadata.httpStatusCode, 202);
    assert.equal(deleted.State, "Deleting");
    const notFound = "The resource you requested does not exist.";
    await rejects(
      lambda.send(new GetEventSourceMappingCommand({ UUID })),
      "ResourceNotFoundException",
      notFound,
      404,
    );
    await rejects(
      lambda.send(new UpdateEventSourceMappingCommand({ UUID, BatchSize: 1 })),
      "ResourceNotFoundException",
      notFound,
      404,
    );
    await rejects(
      lambda.send(new DeleteEventSourceMappingCommand({ UUID })),
      "ResourceNotFoundException",
      notFound,
      404,
    );
  });

  it("lists by stream and by function, a page at a time", async () => {
    const lambda = stratus.lambda();
    const { streamArn, fn } = await setup();
    const other = await createRecorder(lambda, scratch);
    const first = await lambda.send(
      new CreateEventSourceMappingCommand({
        EventSourceArn: streamArn,
        FunctionName: fn,
        StartingPosition: "LATEST",
      }),
    );
    const second = await lambda.send(
      new CreateEventSourceMappingCommand({
        EventSourceArn: streamArn,
        FunctionName: other.name,
        StartingPosition: "LATEST",
      }),
    );
    const byStream = await lambda.send(new ListEventSourceMappingsCommand({ EventSourceArn: streamArn }));
    assert.deepEqual(
      byStream.EventSourceMappings?.map((m) => m.UUID),
      [first.UUID, second.UUID],
    );
    assert.equal(byStream.EventSourceMappings?.[0]?.State, "Enabled");
    const byFunction = await lambda.send(new ListEventSourceMappingsCommand({ FunctionName: other.name }));
    assert.deepEqual(
      byFunction.EventSourceMappings?.map((m) => m.UUID),
      [second.UUID],
    );
    const page1 = await lambda.send(
      new ListEventSourceMappingsCommand({ EventSourceArn: streamArn, MaxItems: 1 }),
    );
    assert.equal(page1.EventSourceMappings?.length, 1);
    assert.ok(page1.NextMarker);
    const page2 = await lambda.send(
      new ListEventSourceMappingsCommand({
        EventSourceArn: streamArn,
        MaxItems: 1,
        Marker: page1.NextMarker,
      }),
    );
    assert.deepEqual(
      page2.EventSourceMappings?.map((m) => m.UUID),
      [second.UUID],
    );
    assert.equal(page2.NextMarker, undefined);
  });

  it("keeps a mapping when its function is deleted, as Lambda does", async () => {
    const lambda = stratus.lambda();
    const { streamArn, fn } = await setup();
    const { UUID } = await lambda.send(
      new CreateEventSourceMappingCommand({
        EventSourceArn: streamArn,
        FunctionName: fn,
        StartingPosition: "LATEST",
      }),
    );
    await lambda.send(new DeleteFunctionCommand({ FunctionName: fn }));
    const got = await lambda.send(new GetEventSourceMappingCommand({ UUID }));
    assert.equal(got.UUID, UUID);
    await lambda.send(new DeleteEventSourceMappingCommand({ UUID }));
  });

  it("answers Lambda's errors for bad input", async () => {
    const lambda = stratus.lambda();
    const { streamArn, tableName, fn } = await setup();
    const create = (input: Partial<CreateEventSourceMappingCommandInput>) =>
      lambda.send(
        new CreateEventSourceMappingCommand({
          EventSourceArn: streamArn,
          FunctionName: fn,
          StartingPosition: "LATEST",
          ...input,
        } as CreateEventSourceMappingCommandInput),
      );
    const ipv = "InvalidParameterValueException";
    await rejects(create({ EventSourceArn: undefined }), ipv, "Unrecognized event source.", 400);
    await rejects(
      create({ StartingPosition: undefined }),
      ipv,
      "1 validation error detected: Value null at 'startingPosition' failed to satisfy constraint: Member must not be null.",
      400,
    );
    await rejects(
      create({ StartingPosition: "NOW" as "LATEST" }),
      "ValidationException",
      "1 validation error detected: Value 'NOW' at 'startingPosition' failed to satisfy constraint: Member must satisfy enum value set: [LATEST, AT_TIMESTAMP, TRIM_HORIZON]",
      400,
    );
    await rejects(
      create({ StartingPosition: "AT_TIMESTAMP", StartingPositionTimestamp: new Date() }),
      ipv,
      `Unsupported starting position for arn type: ${streamArn}`,
      400,
    );
    await rejects(
      create({ StartingPositionTimestamp: new Date() }),
      ipv,
      "Timestamp only valid with StartingPosition AT_TIMESTAMP",
      400,
    );
    await rejects(
      create({ BatchSize: 0 }),
      "ValidationException",
      "1 validation error detected: Value '0' at 'batchSize' failed to satisfy constraint: Member must have value greater than or equal to 1",
      400,
    );
    await rejects(
      create({ BatchSize: 10001, MaximumBatchingWindowInSeconds: 301 }),
      "ValidationException",
      "2 validation errors detected: Value '10001' at 'batchSize' failed to satisfy constraint: Member must have value less than or equal to 10000; Value '301' at 'maximumBatchingWindowInSeconds' failed to satisfy constraint: Member must have value less than or equal to 300",
      400,
    );
    await rejects(
      create({ MaximumRecordAgeInSeconds: 30 }),
      ipv,
      "MaximumRecordAgeInSeconds must be either -1 (forever) or between 60 and 604800 (inclusive)",
      400,
    );
    await rejects(
      create({ FilterCriteria: { Filters: [{ Pattern: "single-string" }] } }),
      ipv,
      "Invalid filter pattern definition.",
      400,
    );
    await rejects(
      create({ FilterCriteria: { Filters: [{ Pattern: '[{"eventName": ["INSERT"=123}]' }] } }),
      ipv,
      "Invalid filter pattern definition.",
      400,
    );
    const missing = `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/${tableName}/stream/2020-01-01T00:00:00.000`;
    await rejects(create({ EventSourceArn: missing }), ipv, `Stream not found: ${missing}`, 400);
    await rejects(create({ FunctionName: "no-such-function" }), ipv, "Function does not exist", 400);
    await rejects(
      create({ EventSourceArn: `arn:aws:sqs:us-east-1:${ACCOUNT}:queue` }),
      ipv,
      "Stratus supports event source mappings for DynamoDB streams only: sqs is not available.",
      400,
    );
    await rejects(
      create({ DestinationConfig: { OnFailure: { Destination: `arn:aws:sqs:us-east-1:${ACCOUNT}:dlq` } } }),
      ipv,
      "Stratus does not run Amazon SQS or Amazon SNS yet: an event source mapping's OnFailure destination must be an Amazon S3 bucket ARN (arn:aws:s3:::bucket).",
      400,
    );
    await rejects(
      create({ TumblingWindowInSeconds: 60 }),
      ipv,
      "Stratus does not support TumblingWindowInSeconds for event source mappings yet: use 0.",
      400,
    );
    await rejects(
      create({ MaximumRetryAttempts: -2 }),
      "ValidationException",
      "1 validation error detected: Value '-2' at 'maximumRetryAttempts' failed to satisfy constraint: Member must have value greater than or equal to -1",
      400,
    );
    const six = Array.from({ length: 6 }, (_, i) => ({ Pattern: JSON.stringify({ eventName: [`E${i}`] }) }));
    await rejects(
      create({ FilterCriteria: { Filters: six } }),
      ipv,
      "A mapping can have at most 5 filters in FilterCriteria.",
      400,
    );
    // Nothing above was created.
    const listed = await lambda.send(new ListEventSourceMappingsCommand({ EventSourceArn: streamArn }));
    assert.deepEqual(listed.EventSourceMappings, []);
  });
});
