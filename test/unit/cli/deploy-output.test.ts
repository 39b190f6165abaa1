/**
 * What `stratus deploy` prints: the events and change set tables (fixed columns, long cells wrapped),
 * the outputs block, the local URLs of APIs and function URLs, and when a change set counts as empty.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isEmptyChangeSetReason, renderChangeSet } from "../../../src/cli/deploy/deploy-stack.ts";
import {
  executeApiUrls,
  findLocalEndpoints,
  functionUrlPathForm,
  renderEndpoints,
} from "../../../src/cli/deploy/endpoints.ts";
import { isTerminalStatus } from "../../../src/cli/deploy/stack-events.ts";
import {
  EVENT_COLUMNS,
  renderOutputs,
  tableLayout,
  terminalWidth,
  wrapText,
} from "../../../src/cli/deploy/table.ts";

describe("stratus deploy output", () => {
  it("lays the events table out like sam deploy's, in the terminal's width", () => {
    const layout = tableLayout(EVENT_COLUMNS, 100);
    const header = layout.header("CloudFormation events from changeset").split("\n");
    assert.equal(header[0], "CloudFormation events from changeset");
    assert.equal(header[1], "-".repeat(100));
    assert.match(header[2] ?? "", /^ResourceStatus +ResourceType +LogicalResourceId +ResourceStatusReason$/);
    assert.equal(header[3], "-".repeat(100));
    const row = layout.row(["CREATE_COMPLETE", "AWS::DynamoDB::Table", "ItemsTable", "-"]);
    assert.equal(row.split("\n").length, 1);
    const [status, type, logicalId] = layout.widths;
    assert.equal(row.indexOf("AWS::DynamoDB::Table"), (status ?? 0) + 1);
    assert.equal(row.indexOf("ItemsTable"), (status ?? 0) + (type ?? 0) + 2);
    assert.equal(row.indexOf(" -"), (status ?? 0) + (type ?? 0) + (logicalId ?? 0) + 2);
    assert.ok(row.length <= 100);
  });

  it("wraps a long reason within its column, continuing on the next lines", () => {
    const layout = tableLayout(EVENT_COLUMNS, 80);
    const reason =
      "Resource handler returned message: The table name is too long for this account: ItemsTable";
    const lines = layout.row(["CREATE_FAILED", "AWS::DynamoDB::Table", "ItemsTable", reason]).split("\n");
    assert.ok(lines.length > 1);
    const reasonStart = (layout.widths[0] ?? 0) + (layout.widths[1] ?? 0) + (layout.widths[2] ?? 0) + 3;
    const rebuilt = lines.map((line) => line.slice(reasonStart).trim()).join(" ");
    assert.equal(rebuilt, reason);
    for (const line of lines) assert.ok(line.length <= 80, line);
    assert.deepEqual(wrapText("abcdefghij", 4), ["abcd", "efgh", "ij"]);
    assert.deepEqual(wrapText("", 4), [""]);
  });

  it("uses 120 columns off a terminal, and keeps a terminal's width within 80..160", () => {
    assert.equal(terminalWidth(undefined), 120);
    assert.equal(terminalWidth(40), 80);
    assert.equal(terminalWidth(300), 160);
    assert.equal(terminalWidth(132), 132);
  });

  it("prints outputs as sam deploy does: Key, Description, Value", () => {
    const text = renderOutputs(
      [
        {
          OutputKey: "ApiUrl",
          OutputValue: "https://abc.execute-api.us-east-1.amazonaws.com/",
          Description: "The API",
        },
        { OutputKey: "TableName", OutputValue: "hello-ItemsTable-X" },
      ],
      100,
    );
    const lines = text.split("\n");
    assert.equal(lines[0], "CloudFormation outputs from deployed stack");
    assert.equal(lines[2], "Outputs");
    assert.match(text, /^Key {17}ApiUrl$/m);
    assert.match(text, /^Description {9}The API$/m);
    assert.match(text, /^Value {15}https:\/\/abc\.execute-api\.us-east-1\.amazonaws\.com\/$/m);
    assert.match(text, /^Description {9}-$/m);
  });

  it("prints the change set's Add/Modify/Delete rows, and a '-' row when it holds none", () => {
    const text = renderChangeSet(
      [
        {
          Type: "Resource",
          ResourceChange: { Action: "Remove", LogicalResourceId: "Old", ResourceType: "AWS::S3::Bucket" },
        },
        {
          Type: "Resource",
          ResourceChange: { Action: "Add", LogicalResourceId: "New", ResourceType: "AWS::SQS::Queue" },
        },
      ],
      100,
    );
    const rows = text.split("\n").slice(4, -1);
    assert.match(rows[0] ?? "", /^\+ Add +New +AWS::SQS::Queue$/);
    assert.match(rows[1] ?? "", /^- Delete +Old +AWS::S3::Bucket$/);
    assert.match(renderChangeSet([], 100).split("\n")[4] ?? "", /^- +- +-$/);
  });

  it("knows CloudFormation's words for an empty change set, and the terminal statuses", () => {
    assert.equal(
      isEmptyChangeSetReason(
        "The submitted information didn't contain changes. Submit different information to create a change set.",
      ),
      true,
    );
    assert.equal(isEmptyChangeSetReason("No updates are to be performed."), true);
    assert.equal(isEmptyChangeSetReason("Template format error"), false);
    assert.equal(isEmptyChangeSetReason(undefined), false);
    for (const status of [
      "CREATE_COMPLETE",
      "ROLLBACK_COMPLETE",
      "UPDATE_ROLLBACK_COMPLETE",
      "DELETE_FAILED",
    ]) {
      assert.equal(isTerminalStatus(status), true, status);
    }
    for (const status of [
      "CREATE_IN_PROGRESS",
      "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS",
      "REVIEW_IN_PROGRESS",
    ]) {
      assert.equal(isTerminalStatus(status), false, status);
    }
  });

  it("gives both local forms of an API's URL, with no stage segment for $default", () => {
    assert.deepEqual(executeApiUrls("http://127.0.0.1:4566", "a1b2c3", "$default"), {
      pathUrl: "http://127.0.0.1:4566/_aws/execute-api/a1b2c3/",
      hostUrl: "http://a1b2c3.execute-api.localhost:4566/",
    });
    assert.deepEqual(executeApiUrls("http://localhost:5000", "r3st", "Prod"), {
      pathUrl: "http://localhost:5000/_aws/execute-api/r3st/Prod/",
      hostUrl: "http://r3st.execute-api.localhost:5000/Prod/",
    });
    assert.equal(
      functionUrlPathForm("http://127.0.0.1:4566", "http://abcdef.lambda-url.us-east-1.localhost:4566/"),
      "http://127.0.0.1:4566/_aws/lambda-url/abcdef/",
    );
  });

  it("finds the stack's APIs with their stages, and its function URLs", async () => {
    const resources = [
      { LogicalResourceId: "ItemsApi", PhysicalResourceId: "h77p", ResourceType: "AWS::ApiGatewayV2::Api" },
      {
        LogicalResourceId: "ItemsApiApiGatewayDefaultStage",
        PhysicalResourceId: "$default",
        ResourceType: "AWS::ApiGatewayV2::Stage",
      },
      {
        LogicalResourceId: "ServerlessRestApi",
        PhysicalResourceId: "r3st",
        ResourceType: "AWS::ApiGateway::RestApi",
      },
      {
        LogicalResourceId: "ServerlessRestApiProdStage",
        PhysicalResourceId: "Prod",
        ResourceType: "AWS::ApiGateway::Stage",
      },
      { LogicalResourceId: "Fn", PhysicalResourceId: "hello-Fn-ABC", ResourceType: "AWS::Lambda::Function" },
      {
        LogicalResourceId: "FnUrl",
        PhysicalResourceId: "arn:aws:lambda:us-east-1:000000000000:function:hello-Fn-ABC",
        ResourceType: "AWS::Lambda::Url",
      },
    ];
    const askedStages: string[] = [];
    const endpoints = await findLocalEndpoints(
      "http://127.0.0.1:4566",
      resources,
      async (kind, apiId) => {
        askedStages.push(`${kind}:${apiId}`);
        // The v2 API answers; the REST API's stages come from the stack's Stage resources.
        return kind === "v2" ? ["$default", "beta"] : undefined;
      },
      async (name) =>
        name === "hello-Fn-ABC" ? "http://u7l.lambda-url.us-east-1.localhost:4566/" : undefined,
    );
    assert.deepEqual(askedStages, ["v2:h77p", "v1:r3st"]);
    assert.deepEqual(
      endpoints.map((e) => [e.logicalId, e.stage, e.pathUrl, e.hostUrl]),
      [
        [
          "ItemsApi",
          "$default",
          "http://127.0.0.1:4566/_aws/execute-api/h77p/",
          "http://h77p.execute-api.localhost:4566/",
        ],
        [
          "ItemsApi",
          "beta",
          "http://127.0.0.1:4566/_aws/execute-api/h77p/beta/",
          "http://h77p.execute-api.localhost:4566/beta/",
        ],
        [
          "ServerlessRestApi",
          "Prod",
          "http://127.0.0.1:4566/_aws/execute-api/r3st/Prod/",
          "http://r3st.execute-api.localhost:4566/Prod/",
        ],
        [
          "Fn",
          undefined,
          "http://127.0.0.1:4566/_aws/lambda-url/u7l/",
          "http://u7l.lambda-url.us-east-1.localhost:4566/",
        ],
      ],
    );
    const text = renderEndpoints(endpoints, 80);
    assert.match(text, /^ItemsApi \(AWS::ApiGatewayV2::Api, stage \$default\)$/m);
    assert.match(text, /^ {2}http:\/\/127\.0\.0\.1:4566\/_aws\/execute-api\/h77p\/$/m);
    assert.match(text, /^Fn \(AWS::Lambda::Url\)$/m);
  });
});
