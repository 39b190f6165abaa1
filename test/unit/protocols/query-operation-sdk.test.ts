/**
 * The awsQuery adapter against the real `@aws-sdk/client-cloudformation`: the SDK's own serializer
 * writes the form body, the adapter decodes it, and the SDK's own parser reads the adapter's XML. A
 * request handler in place of HTTP hands the SDK's request straight to the adapter, so this checks
 * the wire shapes both ways without a server.
 */
import assert from "node:assert/strict";
import { Readable } from "node:stream";
import { describe, it } from "node:test";
import {
  CloudFormationClient,
  CloudFormationServiceException,
  CreateStackCommand,
  DescribeStacksCommand,
  type DescribeStacksOutput,
  ValidateTemplateCommand,
} from "@aws-sdk/client-cloudformation";
import { type HttpRequest, HttpResponse } from "@smithy/protocol-http";
import { systemClock } from "../../../src/aws/clock.ts";
import { isAwsError } from "../../../src/aws/errors.ts";
import { loadModel } from "../../../src/aws/models/index.ts";
import { encodeQueryError } from "../../../src/aws/protocols/aws-query.ts";
import { type QueryOperation, queryHandler } from "../../../src/aws/protocols/query-operation.ts";
import { parseQuery } from "../../../src/aws/protocols/query-string.ts";

const NS = "http://cloudformation.amazonaws.com/doc/2010-05-15/";
const model = loadModel("cloudformation");

/** A CloudFormation client whose requests go to `run` through the adapter, errors through the encoder. */
function clientFor<Input, Output extends object | undefined>(
  operation: string,
  run: QueryOperation<Input, Output>,
): CloudFormationClient {
  const handler = queryHandler(model, operation, NS, run);
  return new CloudFormationClient({
    region: "us-east-1",
    endpoint: "http://localhost:1",
    credentials: { accessKeyId: "AKID", secretAccessKey: "secret" },
    maxAttempts: 1,
    requestHandler: {
      async handle(request: HttpRequest) {
        const body = Buffer.from(typeof request.body === "string" ? request.body : "");
        let status: number;
        let xml: string;
        try {
          const response = await handler({
            operation,
            context: {
              requestId: "req-sdk",
              accountId: "000000000000",
              region: "us-east-1",
              accessKeyId: "AKID",
              receivedAt: new Date(),
              clock: systemClock,
            },
            method: request.method,
            path: request.path,
            pathParams: {},
            query: parseQuery(""),
            headers: {},
            body,
          });
          status = response.status ?? 200;
          xml = String(response.body);
        } catch (error) {
          if (!isAwsError(error)) throw error;
          const encoded = encodeQueryError(error, { xmlNamespace: NS }, "req-sdk");
          status = encoded.status;
          xml = String(encoded.body);
        }
        return {
          response: new HttpResponse({
            statusCode: status,
            headers: { "content-type": "text/xml" },
            body: Readable.from([Buffer.from(xml)]),
          }),
        };
      },
    },
  });
}

describe("queryHandler with the AWS SDK's CloudFormation client", () => {
  it("decodes what the SDK serializes for CreateStack", async () => {
    let seen: Record<string, unknown> | undefined;
    const client = clientFor("CreateStack", (input: Record<string, unknown>) => {
      seen = input;
      return { StackId: "arn:aws:cloudformation:us-east-1:000000000000:stack/s/1" };
    });
    const out = await client.send(
      new CreateStackCommand({
        StackName: "s",
        TemplateBody: "Resources: {}\n# a & b = c+d",
        Parameters: [
          { ParameterKey: "Env", ParameterValue: "dev" },
          { ParameterKey: "Size", UsePreviousValue: true },
        ],
        Capabilities: ["CAPABILITY_IAM", "CAPABILITY_AUTO_EXPAND"],
        Tags: [{ Key: "team", Value: "x y" }],
        TimeoutInMinutes: 15,
        DisableRollback: false,
        NotificationARNs: [],
      }),
    );
    assert.equal(out.StackId, "arn:aws:cloudformation:us-east-1:000000000000:stack/s/1");
    assert.deepEqual(seen, {
      StackName: "s",
      TemplateBody: "Resources: {}\n# a & b = c+d",
      Parameters: [
        { ParameterKey: "Env", ParameterValue: "dev" },
        { ParameterKey: "Size", UsePreviousValue: true },
      ],
      DisableRollback: false,
      TimeoutInMinutes: 15,
      NotificationARNs: [],
      Capabilities: ["CAPABILITY_IAM", "CAPABILITY_AUTO_EXPAND"],
      Tags: [{ Key: "team", Value: "x y" }],
    });
  });

  it("writes a DescribeStacks result the SDK parses back: lists, nested structures, dates, booleans", async () => {
    const created = new Date("2026-11-24T21:00:00.123Z");
    const client = clientFor("DescribeStacks", () => ({
      Stacks: [
        {
          StackId: "arn:aws:cloudformation:us-east-1:000000000000:stack/s/1",
          StackName: "s",
          Description: '<one> & "two"',
          Parameters: [{ ParameterKey: "Env", ParameterValue: "dev" }],
          CreationTime: created,
          StackStatus: "CREATE_COMPLETE",
          DisableRollback: false,
          Capabilities: ["CAPABILITY_IAM"],
          Outputs: [
            { OutputKey: "TableName", OutputValue: "t", Description: "the table" },
            { OutputKey: "Url", OutputValue: "http://x?a=1&b=2", ExportName: "u" },
          ],
          Tags: [],
          EnableTerminationProtection: true,
          DriftInformation: { StackDriftStatus: "NOT_CHECKED" },
        },
      ],
    }));
    const out: DescribeStacksOutput = await client.send(new DescribeStacksCommand({ StackName: "s" }));
    const stack = out.Stacks?.[0];
    assert.ok(stack);
    assert.equal(out.Stacks?.length, 1);
    assert.equal(stack.StackName, "s");
    assert.equal(stack.Description, '<one> & "two"');
    assert.deepEqual(stack.Parameters, [{ ParameterKey: "Env", ParameterValue: "dev" }]);
    assert.ok(stack.CreationTime instanceof Date);
    assert.equal(stack.CreationTime.toISOString(), "2026-11-24T21:00:00.123Z");
    assert.equal(stack.StackStatus, "CREATE_COMPLETE");
    assert.equal(stack.DisableRollback, false);
    assert.equal(stack.EnableTerminationProtection, true);
    assert.deepEqual(stack.Capabilities, ["CAPABILITY_IAM"]);
    assert.deepEqual(stack.Outputs, [
      { OutputKey: "TableName", OutputValue: "t", Description: "the table" },
      { OutputKey: "Url", OutputValue: "http://x?a=1&b=2", ExportName: "u" },
    ]);
    assert.deepEqual(stack.Tags, []);
    assert.deepEqual(stack.DriftInformation, { StackDriftStatus: "NOT_CHECKED" });
  });

  it("gives the SDK a ValidationError it surfaces with code and message", async () => {
    const client = clientFor("ValidateTemplate", () => ({}));
    const rejected = client.send(new ValidateTemplateCommand({ TemplateBody: "" }));
    await assert.rejects(rejected, (error: unknown) => {
      assert.ok(error instanceof CloudFormationServiceException);
      assert.equal(error.name, "ValidationError");
      assert.equal(
        error.message,
        "1 validation error detected: Value '' at 'templateBody' failed to satisfy constraint: Member must have length greater than or equal to 1",
      );
      assert.equal(error.$metadata.httpStatusCode, 400);
      return true;
    });
  });
});
