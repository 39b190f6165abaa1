/**
 * The awsQuery operation adapter: form parameters decoded by the model (structures, lists, maps,
 * scalar types), conversion and constraint errors in awsQuery's words, and results written as the
 * inside of `<{Operation}Result>`.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { systemClock } from "../../../src/aws/clock.ts";
import type { RequestContext } from "../../../src/aws/context.ts";
import { AwsError } from "../../../src/aws/errors.ts";
import { loadModel, type ServiceModel } from "../../../src/aws/models/index.ts";
import { encodeQueryFields, queryHandler } from "../../../src/aws/protocols/query-operation.ts";
import type { ServiceRequest } from "../../../src/services/service.ts";

const context: RequestContext = {
  requestId: "req-1",
  accountId: "000000000000",
  region: "us-east-1",
  accessKeyId: "AKID",
  receivedAt: new Date(0),
  clock: systemClock,
};

function formRequest(operation: string, body: string, method = "POST"): ServiceRequest {
  return {
    operation,
    context,
    method,
    path: "/",
    pathParams: {},
    query: new Map(),
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: Buffer.from(body),
  };
}

/** Runs `operation` of `model` on a form body and returns the input the operation received. */
async function decoded(
  model: ServiceModel,
  operation: string,
  body: string,
): Promise<Record<string, unknown>> {
  let seen: Record<string, unknown> | undefined;
  const handler = queryHandler(model, operation, undefined, (input: Record<string, unknown>) => {
    seen = input;
    return undefined;
  });
  await handler(formRequest(operation, body));
  assert.ok(seen, "the operation ran");
  return seen;
}

async function rejection(model: ServiceModel, operation: string, body: string): Promise<AwsError> {
  const handler = queryHandler(model, operation, undefined, () => undefined);
  try {
    await handler(formRequest(operation, body));
  } catch (error) {
    assert.ok(error instanceof AwsError, `an AwsError, got ${String(error)}`);
    return error;
  }
  assert.fail("the request was accepted");
}

/** A model with every shape type awsQuery serializes, for the rules CloudFormation's inputs lack. */
const typesModel: ServiceModel = {
  botocoreVersion: "test",
  metadata: {
    apiVersion: "2020-01-01",
    protocol: "awsQuery",
    signingName: "test",
    endpointPrefix: "test",
    targetPrefix: null,
    serviceId: "Test",
  },
  operations: {
    Everything: { method: "POST", requestUri: "/", input: "EverythingInput" },
    Bare: { method: "POST", requestUri: "/" },
  },
  shapes: {
    EverythingInput: {
      type: "structure",
      members: {
        Name: { shape: "String" },
        Count: { shape: "Integer" },
        Big: { shape: "Long" },
        Ratio: { shape: "Double" },
        Share: { shape: "Float" },
        Enabled: { shape: "Boolean" },
        At: { shape: "Timestamp" },
        Data: { shape: "Blob" },
        Labels: { shape: "Labels" },
        Nested: { shape: "Nested" },
        Tags: { shape: "TagList" },
        Grid: { shape: "Grid" },
      },
    },
    String: { type: "string" },
    Integer: { type: "integer" },
    Long: { type: "long" },
    Double: { type: "double" },
    Float: { type: "float" },
    Boolean: { type: "boolean" },
    Timestamp: { type: "timestamp" },
    Blob: { type: "blob" },
    Labels: { type: "map", key: "String", value: "String" },
    Nested: { type: "structure", members: { Inner: { shape: "Inner" }, Flag: { shape: "Boolean" } } },
    Inner: { type: "structure", members: { Depth: { shape: "Integer" } } },
    Tag: { type: "structure", members: { Key: { shape: "String" }, Value: { shape: "String" } } },
    TagList: { type: "list", member: "Tag" },
    Row: { type: "list", member: "Integer" },
    Grid: { type: "list", member: "Row" },
  },
};

const cloudformation = loadModel("cloudformation");

describe("queryHandler: decoding form parameters", () => {
  it("reads members by name and ignores Action, Version and unknown parameters", async () => {
    const input = await decoded(
      cloudformation,
      "DescribeStacks",
      "Action=DescribeStacks&Version=2010-05-15&StackName=my-stack&Bogus=1&NextToken=t%2Bk",
    );
    assert.deepEqual(input, { StackName: "my-stack", NextToken: "t+k" });
  });

  it("decodes '+' in a form body as a space and %XX escapes", async () => {
    const input = await decoded(
      cloudformation,
      "ValidateTemplate",
      "Action=ValidateTemplate&TemplateBody=a+b%0Ac%26d",
    );
    assert.deepEqual(input, { TemplateBody: "a b\nc&d" });
  });

  it("reads the query string when there is no body (GET)", async () => {
    let seen: unknown;
    const handler = queryHandler(cloudformation, "DescribeStacks", undefined, (input) => {
      seen = input;
      return undefined;
    });
    await handler({
      ...formRequest("DescribeStacks", "", "GET"),
      query: new Map([
        ["Action", ["DescribeStacks"]],
        ["StackName", ["from-query"]],
      ]),
    });
    assert.deepEqual(seen, { StackName: "from-query" });
  });

  it("reads lists of structures as X.member.N in N order, not key order", async () => {
    const input = await decoded(
      cloudformation,
      "CreateStack",
      [
        "Action=CreateStack",
        "StackName=s",
        "Parameters.member.2.ParameterKey=B",
        "Parameters.member.2.UsePreviousValue=true",
        "Parameters.member.10.ParameterKey=J",
        "Parameters.member.1.ParameterKey=A",
        "Parameters.member.1.ParameterValue=x",
        "Capabilities.member.1=CAPABILITY_IAM",
        "Capabilities.member.2=CAPABILITY_AUTO_EXPAND",
      ].join("&"),
    );
    assert.deepEqual(input, {
      StackName: "s",
      Parameters: [
        { ParameterKey: "A", ParameterValue: "x" },
        { ParameterKey: "B", UsePreviousValue: true },
        { ParameterKey: "J" },
      ],
      Capabilities: ["CAPABILITY_IAM", "CAPABILITY_AUTO_EXPAND"],
    });
  });

  it("reads `X=` with no members as an empty list, as botocore sends one", async () => {
    const input = await decoded(
      cloudformation,
      "UpdateStack",
      "Action=UpdateStack&StackName=s&NotificationARNs=",
    );
    assert.deepEqual(input, { StackName: "s", NotificationARNs: [] });
  });

  it("reads lists of lists and nested structures", async () => {
    const input = await decoded(
      typesModel,
      "Everything",
      "Grid.member.1.member.1=1&Grid.member.1.member.2=2&Grid.member.2.member.1=3&Nested.Inner.Depth=7&Nested.Flag=false",
    );
    assert.deepEqual(input, { Grid: [[1, 2], [3]], Nested: { Inner: { Depth: 7 }, Flag: false } });
  });

  it("reads maps as X.entry.N.key / X.entry.N.value, and `X=` as an empty map", async () => {
    const input = await decoded(
      typesModel,
      "Everything",
      "Labels.entry.2.key=b&Labels.entry.2.value=2&Labels.entry.1.key=a&Labels.entry.1.value=1",
    );
    assert.deepEqual(input, { Labels: { a: "1", b: "2" } });
    assert.deepEqual(Object.keys(input.Labels as object), ["a", "b"]);
    assert.deepEqual(await decoded(typesModel, "Everything", "Labels="), { Labels: {} });
  });

  it("converts scalars by the member's type", async () => {
    const input = await decoded(
      typesModel,
      "Everything",
      [
        "Name=n",
        "Count=-42",
        "Big=9007199254740991",
        "Ratio=0.25",
        "Share=1e3",
        "Enabled=TRUE",
        "At=2026-11-24T21:00:00.123Z",
        `Data=${Buffer.from("bytes!").toString("base64")}`,
      ].join("&"),
    );
    assert.equal(input.Name, "n");
    assert.equal(input.Count, -42);
    assert.equal(input.Big, 9007199254740991);
    assert.equal(input.Ratio, 0.25);
    assert.equal(input.Share, 1000);
    assert.equal(input.Enabled, true);
    assert.ok(input.At instanceof Date);
    assert.equal((input.At as Date).toISOString(), "2026-11-24T21:00:00.123Z");
    assert.ok(Buffer.isBuffer(input.Data));
    assert.equal((input.Data as Buffer).toString(), "bytes!");
  });

  it("reads timestamps with an offset and as epoch seconds", async () => {
    const offset = await decoded(typesModel, "Everything", "At=2026-11-24T22:00:00%2B01:00");
    assert.equal((offset.At as Date).toISOString(), "2026-11-24T21:00:00.000Z");
    const epoch = await decoded(typesModel, "Everything", "At=1700000000.5");
    assert.equal((epoch.At as Date).toISOString(), "2023-11-14T22:13:20.500Z");
  });

  for (const [body, key] of [
    ["Count=abc", "Count"],
    ["Count=1.5", "Count"],
    ["Count=", "Count"],
    ["Big=99999999999999999999", "Big"],
    ["Ratio=half", "Ratio"],
    ["Enabled=yes", "Enabled"],
    ["At=yesterday", "At"],
    ["At=2026-13-45T99:00:00Z", "At"],
    ["Data=abc", "Data"],
    ["Nested.Inner.Depth=x", "Nested.Inner.Depth"],
    ["Grid.member.1.member.2=x", "Grid.member.1.member.2"],
  ] as const) {
    it(`answers InvalidParameterValue naming ${key} for ${body}`, async () => {
      const error = await rejection(typesModel, "Everything", body);
      assert.equal(error.code, "InvalidParameterValue");
      assert.equal(error.status, 400);
      assert.equal(error.fault, "Sender");
      assert.match(error.message, new RegExp(`for parameter ${key.replaceAll(".", "\\.")} is invalid`));
    });
  }

  it("gives an operation without an input shape an empty input", async () => {
    assert.deepEqual(await decoded(typesModel, "Bare", "Action=Bare&Anything=1"), {});
  });
});

describe("queryHandler: validating by the model", () => {
  it("answers ValidationError for a missing required member, in CloudFormation's words", async () => {
    const error = await rejection(cloudformation, "CreateStack", "Action=CreateStack&Version=2010-05-15");
    assert.equal(error.code, "ValidationError");
    assert.equal(error.status, 400);
    assert.equal(error.fault, "Sender");
    assert.equal(
      error.message,
      "1 validation error detected: Value null at 'stackName' failed to satisfy constraint: Member must not be null",
    );
  });

  it("lists several violations, constraints and paths as coral writes them", async () => {
    const error = await rejection(
      cloudformation,
      "CreateChangeSet",
      "Action=CreateChangeSet&StackName=&ChangeSetName=1bad&Tags.member.1.Key=k",
    );
    assert.equal(error.code, "ValidationError");
    assert.equal(
      error.message,
      "4 validation errors detected: " +
        "Value '' at 'stackName' failed to satisfy constraint: Member must satisfy regular expression pattern: " +
        "([a-zA-Z][-a-zA-Z0-9]*)|(arn:\\b(aws|aws-us-gov|aws-cn)\\b:[-a-zA-Z0-9:/._+]*); " +
        "Value '' at 'stackName' failed to satisfy constraint: Member must have length greater than or equal to 1; " +
        "Value null at 'tags.1.member.value' failed to satisfy constraint: Member must not be null; " +
        "Value '1bad' at 'changeSetName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*",
    );
  });

  it("checks numeric ranges on converted values", async () => {
    const error = await rejection(
      cloudformation,
      "CreateStack",
      "Action=CreateStack&StackName=s&TimeoutInMinutes=0",
    );
    assert.equal(
      error.message,
      "1 validation error detected: Value '0' at 'timeoutInMinutes' failed to satisfy constraint: Member must have value greater than or equal to 1",
    );
  });

  it("runs the operation only when the input is valid", async () => {
    let ran = false;
    const handler = queryHandler(cloudformation, "CreateStack", undefined, () => {
      ran = true;
      return undefined;
    });
    await assert.rejects(handler(formRequest("CreateStack", "Action=CreateStack")), {
      code: "ValidationError",
    });
    assert.equal(ran, false);
  });

  it("passes the operation's own AwsError through untouched", async () => {
    const handler = queryHandler(cloudformation, "DescribeStacks", undefined, () => {
      throw new AwsError("ValidationError", "Stack with id nope does not exist", 400);
    });
    await assert.rejects(handler(formRequest("DescribeStacks", "StackName=nope")), {
      code: "ValidationError",
      message: "Stack with id nope does not exist",
    });
  });
});

describe("queryHandler: encoding results", () => {
  const NS = "http://cloudformation.amazonaws.com/doc/2010-05-15/";

  it("wraps the result in <{Op}Response xmlns><{Op}Result> with the request id", async () => {
    const handler = queryHandler(cloudformation, "CreateStack", NS, () => ({
      StackId: "arn:aws:cloudformation:x",
    }));
    const response = await handler(formRequest("CreateStack", "StackName=s"));
    assert.equal(response.status, 200);
    assert.equal((response.headers as Record<string, string>)["Content-Type"], "text/xml");
    assert.equal(
      response.body,
      '<?xml version="1.0" encoding="UTF-8"?>\n' +
        `<CreateStackResponse xmlns="${NS}"><CreateStackResult><StackId>arn:aws:cloudformation:x</StackId></CreateStackResult>` +
        "<ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></CreateStackResponse>",
    );
  });

  it("writes an empty result element for an undefined output", async () => {
    const handler = queryHandler(cloudformation, "DeleteStack", NS, () => undefined);
    const response = await handler(formRequest("DeleteStack", "StackName=s"));
    assert.match(String(response.body), /<DeleteStackResult><\/DeleteStackResult>/);
  });

  it("writes fields in object order, arrays as <member>, nested objects as elements", () => {
    const xml = encodeQueryFields({
      Stacks: [
        {
          StackName: "s",
          Outputs: [
            { OutputKey: "A", OutputValue: "1" },
            { OutputKey: "B", OutputValue: "2" },
          ],
          Capabilities: ["CAPABILITY_IAM"],
          DriftInformation: { StackDriftStatus: "NOT_CHECKED" },
        },
      ],
    });
    assert.equal(
      xml,
      "<Stacks><member><StackName>s</StackName><Outputs>" +
        "<member><OutputKey>A</OutputKey><OutputValue>1</OutputValue></member>" +
        "<member><OutputKey>B</OutputKey><OutputValue>2</OutputValue></member>" +
        "</Outputs><Capabilities><member>CAPABILITY_IAM</member></Capabilities>" +
        "<DriftInformation><StackDriftStatus>NOT_CHECKED</StackDriftStatus></DriftInformation></member></Stacks>",
    );
  });

  it("writes Dates as ISO 8601 with milliseconds, booleans, numbers, bytes as base64", () => {
    const xml = encodeQueryFields({
      CreationTime: new Date("2026-11-24T21:00:00Z"),
      DisableRollback: false,
      EnableTerminationProtection: true,
      TimeoutInMinutes: 30,
      Ratio: 0.5,
      Data: Buffer.from("hi"),
    });
    assert.equal(
      xml,
      "<CreationTime>2026-11-24T21:00:00.000Z</CreationTime><DisableRollback>false</DisableRollback>" +
        "<EnableTerminationProtection>true</EnableTerminationProtection><TimeoutInMinutes>30</TimeoutInMinutes>" +
        "<Ratio>0.5</Ratio><Data>aGk=</Data>",
    );
  });

  it("leaves out undefined and null fields and list items, keeps empty strings and empty lists", () => {
    const xml = encodeQueryFields({ A: undefined, B: null, C: "", D: [], E: [null, "x", undefined] });
    assert.equal(xml, "<C></C><D></D><E><member>x</member></E>");
  });

  it("escapes text", () => {
    assert.equal(
      encodeQueryFields({ Description: `<a & "b">` }),
      "<Description>&lt;a &amp; &quot;b&quot;&gt;</Description>",
    );
  });
});
