/**
 * The pieces of a delivery that need no server: Lambda's filter patterns applied to DynamoDB stream
 * records (cases recorded from Lambda in LocalStack's test_dynamodb_event_filter), the event payload's
 * ApproximateCreationDateTime in Java's double notation, and the reading of partial batch responses.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  compilePattern,
  passesFilters,
} from "../../../../src/services/lambda/event-sources/filter-pattern.ts";
import { batchItemFailures } from "../../../../src/services/lambda/event-sources/poller.ts";
import {
  javaDoubleText,
  type LambdaStreamRecord,
  lambdaRecordOf,
  streamEventPayload,
} from "../../../../src/services/lambda/event-sources/stream-event.ts";

function record(eventName: string, newImage: Record<string, unknown>, sequence = "100000000000000000001") {
  return {
    eventID: "0123456789abcdef0123456789abcdef",
    eventName,
    eventVersion: "1.1",
    eventSource: "aws:dynamodb",
    awsRegion: "us-east-1",
    dynamodb: {
      ApproximateCreationDateTime: 1684934517,
      Keys: { id: newImage.id },
      NewImage: newImage,
      SequenceNumber: sequence,
      SizeBytes: 10,
      StreamViewType: "NEW_AND_OLD_IMAGES",
    },
    eventSourceARN: "arn:aws:dynamodb:us-east-1:000000000000:table/t/stream/2024-01-01T00:00:00.000",
  } as unknown as LambdaStreamRecord;
}

const passes = (patterns: unknown[], event: unknown) =>
  passesFilters(
    patterns.map((p) => compilePattern(JSON.stringify(p))),
    event,
  );

describe("Lambda event filtering on DynamoDB records", () => {
  const insert = record("INSERT", {
    id: { S: "id_value_1" },
    presentKey: { S: "presentValue" },
    n: { N: "42" },
  });
  const bare = record("INSERT", { id: { S: "id_value_2" } });

  it("matches exact values, OR within a list and AND across keys", () => {
    assert.equal(passes([{ eventName: ["INSERT", "MODIFY"] }], insert), true);
    assert.equal(passes([{ eventName: ["REMOVE"] }], insert), false);
    assert.equal(passes([{ eventName: ["INSERT"], eventSource: ["aws:dynamodb"] }], insert), true);
    assert.equal(passes([{ eventName: ["INSERT"], eventSource: ["aws:kinesis"] }], insert), false);
    assert.equal(passes([{ eventName: ["REMOVE"] }, { eventName: ["INSERT"] }], insert), true);
    assert.equal(passes([], insert), true);
  });

  it("matches images in DynamoDB JSON only (leaving out the type matches nothing)", () => {
    assert.equal(passes([{ dynamodb: { NewImage: { presentKey: { S: ["presentValue"] } } } }], insert), true);
    assert.equal(passes([{ dynamodb: { NewImage: { presentKey: ["presentValue"] } } }], insert), false);
    assert.equal(
      passes([{ dynamodb: { NewImage: { presentKey: { S: [{ prefix: "present" }] } } } }], insert),
      true,
    );
    assert.equal(
      passes([{ dynamodb: { NewImage: { presentKey: { S: [{ suffix: "Value" }] } } } }], insert),
      true,
    );
    assert.equal(
      passes(
        [{ dynamodb: { NewImage: { presentKey: { S: [{ "equals-ignore-case": "PRESENTVALUE" }] } } } }],
        insert,
      ),
      true,
    );
  });

  it("applies exists to leaves only, as Lambda does", () => {
    const existsTrue = [{ dynamodb: { NewImage: { presentKey: { S: [{ exists: true }] } } } }];
    assert.equal(passes(existsTrue, insert), true);
    assert.equal(passes(existsTrue, bare), false);
    // A map is not a leaf: exists false matches with and without the attribute (recorded).
    const existsFalse = [{ dynamodb: { NewImage: { presentKey: [{ exists: false }] } } }];
    assert.equal(passes(existsFalse, insert), true);
    assert.equal(passes(existsFalse, bare), true);
  });

  it("never matches N values numerically (they are strings), but does ApproximateCreationDateTime", () => {
    const numeric = [{ dynamodb: { NewImage: { n: { N: [{ numeric: [">", 10] }] } } } }];
    assert.equal(passes(numeric, insert), false);
    const recorded = [
      { dynamodb: { NewImage: { n: { N: [{ numeric: [">", 100] }, { "anything-but": "101" }] } } } },
    ];
    assert.equal(passes(recorded, insert), true);
    assert.equal(passes(recorded, record("INSERT", { id: { S: "x" }, n: { N: "101" } })), false);
    assert.equal(
      passes([{ dynamodb: { ApproximateCreationDateTime: [{ numeric: [">", 0] }] } }], insert),
      true,
    );
    assert.equal(
      passes([{ dynamodb: { ApproximateCreationDateTime: [{ numeric: [">=", 0, "<", 1000] }] } }], insert),
      false,
    );
  });

  it("anything-but never matches a missing field", () => {
    assert.equal(
      passes([{ dynamodb: { NewImage: { other: { S: [{ "anything-but": "x" }] } } } }], insert),
      false,
    );
    assert.equal(passes([{ eventName: [{ "anything-but": ["REMOVE", "MODIFY"] }] }], insert), true);
    assert.equal(passes([{ eventName: [{ "anything-but": { prefix: "INS" } }] }], insert), false);
  });

  it("refuses patterns that are not pattern objects", () => {
    for (const text of [
      "single-string",
      '[{"eventName": ["INSERT"=123}]',
      "[]",
      '{"eventName": "INSERT"}',
      '{"eventName": []}',
      '{"eventName": [{"numeric": [">"]}]}',
      '{"eventName": [{"wildcard": "*"}]}',
      "{}",
    ]) {
      assert.throws(
        () => compilePattern(text),
        (error: Error & { code?: string }) =>
          error.code === "InvalidParameterValueException" &&
          error.message === "Invalid filter pattern definition.",
        text,
      );
    }
  });
});

describe("the stream event payload", () => {
  it("writes ApproximateCreationDateTime as Java writes a double", () => {
    assert.equal(javaDoubleText(1684934517), "1.684934517E9");
    assert.equal(javaDoubleText(1500000000), "1.5E9");
    assert.equal(javaDoubleText(1000000000), "1.0E9");
    const text = streamEventPayload([
      record("INSERT", { id: { S: "ApproximateCreationDateTime" } }),
    ]).toString();
    assert.match(text, /"ApproximateCreationDateTime":1\.684934517E9,/);
    const parsed = JSON.parse(text) as { Records: LambdaStreamRecord[] };
    assert.equal(parsed.Records[0]!.dynamodb.ApproximateCreationDateTime, 1684934517);
    assert.deepEqual(parsed.Records[0]!.dynamodb.NewImage, { id: { S: "ApproximateCreationDateTime" } });
  });
});

describe("a TTL deletion's record", () => {
  it("carries userIdentity with Lambda's lower-case members", () => {
    const arn = "arn:aws:dynamodb:us-east-1:000000000000:table/t/stream/2024-01-01T00:00:00.000";
    const out = lambdaRecordOf(
      {
        eventID: "e",
        eventName: "REMOVE",
        eventVersion: "1.1",
        eventSource: "aws:dynamodb",
        awsRegion: "us-east-1",
        dynamodb: {
          ApproximateCreationDateTime: 1,
          Keys: { id: { S: "x" } },
          SequenceNumber: "100000000000000000001",
          SizeBytes: 3,
          StreamViewType: "KEYS_ONLY",
        },
        userIdentity: { PrincipalId: "dynamodb.amazonaws.com", Type: "Service" },
      },
      arn,
    );
    assert.deepEqual(out.userIdentity, { type: "Service", principalId: "dynamodb.amazonaws.com" });
    assert.equal(out.eventSourceARN, arn);
  });
});

describe("partial batch responses (ReportBatchItemFailures)", () => {
  const items = ["100000000000000000001", "100000000000000000002", "100000000000000000003"].map(
    (sequence) => ({
      sequence: Number(sequence.slice(-1)),
      event: record("INSERT", { id: { S: sequence } }, sequence),
    }),
  );
  const answer = (value: unknown) => batchItemFailures(Buffer.from(JSON.stringify(value)), items);

  it("treats empty and missing lists as success", () => {
    for (const value of [{}, null, { batchItemFailures: [] }, { batchItemFailures: null }, "done"]) {
      assert.deepEqual(answer(value), { kind: "ok" }, JSON.stringify(value));
    }
    assert.deepEqual(batchItemFailures(Buffer.from(""), items), { kind: "ok" });
  });

  it("retries from the lowest reported sequence number", () => {
    assert.deepEqual(
      answer({
        batchItemFailures: [
          { itemIdentifier: "100000000000000000003" },
          { itemIdentifier: "100000000000000000002" },
        ],
      }),
      { kind: "partial", index: 1 },
    );
  });

  it("fails the whole batch for an empty, null, unknown or misnamed identifier", () => {
    for (const failure of [
      { itemIdentifier: "" },
      { itemIdentifier: null },
      { itemIdentifier: "100000000000000000009" },
      { foo: "100000000000000000002" },
    ]) {
      assert.deepEqual(answer({ batchItemFailures: [failure] }), { kind: "error" }, JSON.stringify(failure));
    }
  });
});
