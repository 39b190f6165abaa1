/**
 * Templates SAM refuses: our TemplateError must carry SAM's message word for word (checked against
 * AWS's translator), and what Stratus does not support yet is refused in SAM's error format with an
 * honest reason.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { transformSam } from "../../../../src/services/cloudformation/sam/transform.ts";
import { type Template, TemplateError } from "../../../../src/services/cloudformation/template/types.ts";
import { ORACLE_SKIP, runOracle, runOurs, samContext } from "./oracle-harness.ts";

const TRANSFORM = "AWS::Serverless-2016-10-31";

function withFunction(properties: Record<string, unknown>, extra: Record<string, unknown> = {}): Template {
  return {
    Transform: TRANSFORM,
    Resources: {
      F: {
        Type: "AWS::Serverless::Function",
        Properties: { CodeUri: "s3://a/b", Handler: "a.b", Runtime: "nodejs20.x", ...properties },
      },
      ...(extra as Template["Resources"]),
    },
  };
}

const lambdaAuthorizer = { FunctionArn: "arn:aws:lambda:us-east-1:000000000000:function:auth" };
const apiEvent = (auth?: unknown) => ({
  A: {
    Type: "Api",
    Properties: {
      RestApiId: { Ref: "Api" },
      Path: "/a",
      Method: "get",
      ...(auth === undefined ? {} : { Auth: auth }),
    },
  },
});

const SAM_ERRORS: [string, Template][] = [
  ["a local CodeUri (the CLI packages it first)", withFunction({ CodeUri: "./src" })],
  [
    "no code at all",
    {
      Transform: TRANSFORM,
      Resources: { F: { Type: "AWS::Serverless::Function", Properties: { Handler: "a.b", Runtime: "x" } } },
    },
  ],
  ["an unknown Globals section", { ...withFunction({}), Globals: { Bar: {} } }],
  ["a Globals key SAM does not take", { ...withFunction({}), Globals: { Function: { Events: {} } } }],
  ["a Globals section that is not a map", { ...withFunction({}), Globals: { Function: [] } }],
  [
    "an S3 event on a bucket of another template",
    withFunction({
      Events: { E: { Type: "S3", Properties: { Bucket: "x", Events: "s3:ObjectCreated:*" } } },
    }),
  ],
  ["an event type SAM does not know", withFunction({ Events: { E: { Type: "Bogus" } } })],
  ["a policy template without its parameter", withFunction({ Policies: [{ S3ReadPolicy: {} }] })],
  ["an unknown policy template", withFunction({ Policies: [{ Nope: {} }] })],
  ["policy template values that are not a map", withFunction({ Policies: [{ SQSPollerPolicy: "q" }] })],
  [
    "a REST method defined twice",
    withFunction({
      Events: {
        A: { Type: "Api", Properties: { Path: "/a", Method: "get" } },
        B: { Type: "Api", Properties: { Path: "/a", Method: "GET" } },
      },
    }),
  ],
  [
    "an HTTP route defined twice",
    withFunction({
      Events: {
        A: { Type: "HttpApi", Properties: { Path: "/a", Method: "get" } },
        B: { Type: "HttpApi", Properties: { Path: "/a", Method: "get" } },
      },
    }),
  ],
  [
    "Authorizer NONE without a DefaultAuthorizer",
    withFunction(
      { Events: apiEvent({ Authorizer: "NONE" }) },
      { Api: { Type: "AWS::Serverless::Api", Properties: { StageName: "s" } } },
    ),
  ],
  [
    "an event naming an authorizer the API lacks",
    withFunction(
      { Events: apiEvent({ Authorizer: "Missing" }) },
      {
        Api: {
          Type: "AWS::Serverless::Api",
          Properties: { StageName: "s", Auth: { Authorizers: { A: lambdaAuthorizer } } },
        },
      },
    ),
  ],
  [
    "an event naming an authorizer on an API without any",
    withFunction(
      { Events: apiEvent({ Authorizer: "Missing" }) },
      { Api: { Type: "AWS::Serverless::Api", Properties: { StageName: "s" } } },
    ),
  ],
  [
    "a DefaultAuthorizer that is not defined",
    withFunction(
      { Events: apiEvent() },
      {
        Api: {
          Type: "AWS::Serverless::Api",
          Properties: {
            StageName: "s",
            Auth: { DefaultAuthorizer: "Nope", Authorizers: { A: lambdaAuthorizer } },
          },
        },
      },
    ),
  ],
  [
    "a REQUEST authorizer without identity sources",
    withFunction(
      {},
      {
        Api: {
          Type: "AWS::Serverless::Api",
          Properties: {
            StageName: "s",
            Auth: { Authorizers: { A: { ...lambdaAuthorizer, FunctionPayloadType: "REQUEST" } } },
          },
        },
      },
    ),
  ],
  [
    "an unknown Cors key",
    withFunction(
      {},
      { Api: { Type: "AWS::Serverless::Api", Properties: { StageName: "s", Cors: { Nope: 1 } } } },
    ),
  ],
  [
    "a JWT authorizer without IdentitySource",
    withFunction(
      { Events: { A: { Type: "HttpApi", Properties: { ApiId: { Ref: "H" }, Path: "/a", Method: "get" } } } },
      {
        H: {
          Type: "AWS::Serverless::HttpApi",
          Properties: { Auth: { Authorizers: { J: { JwtConfiguration: { issuer: "x" } } } } },
        },
      },
    ),
  ],
  [
    "a Lambda HTTP authorizer without AuthorizerPayloadFormatVersion",
    withFunction(
      { Events: { A: { Type: "HttpApi", Properties: { ApiId: { Ref: "H" }, Path: "/a", Method: "get" } } } },
      {
        H: {
          Type: "AWS::Serverless::HttpApi",
          Properties: { Auth: { Authorizers: { L: { FunctionArn: "arn" } } } },
        },
      },
    ),
  ],
  [
    "a SimpleTable key type DynamoDB lacks",
    {
      Transform: TRANSFORM,
      Resources: {
        T: { Type: "AWS::Serverless::SimpleTable", Properties: { PrimaryKey: { Name: "k", Type: "Bool" } } },
      },
    },
  ],
  [
    "an unknown RetentionPolicy",
    {
      Transform: TRANSFORM,
      Resources: {
        L: {
          Type: "AWS::Serverless::LayerVersion",
          Properties: { ContentUri: "s3://a/b", RetentionPolicy: "Keep" },
        },
      },
    },
  ],
  [
    "both DefinitionUri and DefinitionBody",
    {
      Transform: TRANSFORM,
      Resources: {
        A: {
          Type: "AWS::Serverless::Api",
          Properties: { StageName: "s", DefinitionUri: "s3://a/b", DefinitionBody: { swagger: "2.0" } },
        },
      },
    },
  ],
  ["a FunctionUrlConfig AuthType Lambda lacks", withFunction({ FunctionUrlConfig: { AuthType: "BAD" } })],
  ["an AutoPublishAlias with a dot", withFunction({ AutoPublishAlias: "v1.0" })],
  [
    "a FilterCriteria of the wrong shape",
    withFunction({
      Events: {
        D: {
          Type: "DynamoDB",
          Properties: { Stream: "arn:s", StartingPosition: "LATEST", FilterCriteria: { Nope: [] } },
        },
      },
    }),
  ],
  ["a function property SAM does not know", withFunction({ Foo: 1 })],
  [
    "an event property SAM does not know",
    withFunction({ Events: { E: { Type: "Api", Properties: { Path: "/", Method: "get", Foo: 1 } } } }),
  ],
  [
    "a SimpleTable property SAM does not know",
    {
      Transform: TRANSFORM,
      Resources: { T: { Type: "AWS::Serverless::SimpleTable", Properties: { Foo: 1 } } },
    },
  ],
  [
    "an Image function with a Handler",
    withFunction({ CodeUri: undefined, PackageType: "Image", ImageUri: "repo:tag" }),
  ],
  [
    "an Image function without ImageUri",
    withFunction({ CodeUri: undefined, Handler: undefined, Runtime: undefined, PackageType: "Image" }),
  ],
  ["a Zip function without Runtime", withFunction({ Runtime: undefined })],
  ["a template without Resources", { Transform: TRANSFORM } as unknown as Template],
  ["a template with empty Resources", { Transform: TRANSFORM, Resources: {} }],
  [
    "a resource that is not an object",
    { Transform: TRANSFORM, Resources: { A: "x" } } as unknown as Template,
  ],
  [
    "SAM resource Properties that are not a map",
    {
      Transform: TRANSFORM,
      Resources: { A: { Type: "AWS::Serverless::Function", Properties: "x" } },
    } as unknown as Template,
  ],
  [
    "a RequestModel naming a model the API lacks",
    withFunction(
      {
        Events: {
          A: {
            Type: "Api",
            Properties: {
              RestApiId: { Ref: "Api" },
              Path: "/a",
              Method: "post",
              RequestModel: { Model: "Nope" },
            },
          },
        },
      },
      {
        Api: {
          Type: "AWS::Serverless::Api",
          Properties: { StageName: "s", Models: { Pet: { type: "object" } } },
        },
      },
    ),
  ],
  [
    "a GatewayResponses entry with an unknown property",
    withFunction(
      {},
      {
        Api: {
          Type: "AWS::Serverless::Api",
          Properties: { StageName: "s", GatewayResponses: { DEFAULT_4XX: { Nope: 1 } } },
        },
      },
    ),
  ],
  [
    "a UsagePlan with an unknown CreateUsagePlan",
    withFunction(
      {},
      {
        Api: {
          Type: "AWS::Serverless::Api",
          Properties: { StageName: "s", Auth: { UsagePlan: { CreateUsagePlan: "ALL" } } },
        },
      },
    ),
  ],
  [
    "a DynamoDB event without StartingPosition",
    withFunction({ Events: { A: { Type: "DynamoDB", Properties: { Stream: "s" } } } }),
  ],
  [
    "a DynamoDB OnFailure Type DynamoDB lacks",
    withFunction({
      Events: {
        A: {
          Type: "DynamoDB",
          Properties: {
            Stream: "s",
            StartingPosition: "LATEST",
            DestinationConfig: { OnFailure: { Type: "X", Destination: "d" } },
          },
        },
      },
    }),
  ],
  [
    "an Api event without Method",
    withFunction({ Events: { A: { Type: "Api", Properties: { Path: "/x" } } } }),
  ],
  [
    "an S3 event without Events",
    withFunction(
      { Events: { A: { Type: "S3", Properties: { Bucket: { Ref: "B" } } } } },
      { B: { Type: "AWS::S3::Bucket" } },
    ),
  ],
  [
    "an Api event whose RestApiId names no resource",
    withFunction({
      Events: { A: { Type: "Api", Properties: { RestApiId: "abc123", Path: "/x", Method: "get" } } },
    }),
  ],
  [
    "an Api event whose RestApiId is not a Ref",
    withFunction({
      Events: {
        A: { Type: "Api", Properties: { RestApiId: { "Fn::ImportValue": "x" }, Path: "/x", Method: "get" } },
      },
    }),
  ],
  [
    "an HttpApi event whose ApiId names no resource",
    withFunction({
      Events: { A: { Type: "HttpApi", Properties: { ApiId: "zzz", Path: "/x", Method: "get" } } },
    }),
  ],
];

describe("SAM transform errors", () => {
  for (const [name, template] of SAM_ERRORS) {
    it(`refuses ${name} with SAM's message`, { skip: ORACLE_SKIP }, () => {
      const oracle = runOracle(template);
      assert.ok("error" in oracle, "SAM accepted the template");
      assert.deepEqual(runOurs(template), { error: oracle.error });
    });
  }

  it("throws TemplateError in SAM's document format", () => {
    assert.throws(
      () => transformSam(withFunction({ CodeUri: "./src" }), samContext(withFunction({}))),
      (error: unknown) =>
        error instanceof TemplateError &&
        error.message.startsWith(
          "Transform AWS::Serverless-2016-10-31 failed with: Invalid Serverless Application Specification document. Number of errors found: 1. Resource with id [F] is invalid. ",
        ),
    );
  });

  it("refuses event types Stratus does not support yet, naming the type", () => {
    const result = runOurs(
      withFunction({
        Events: { Q: { Type: "SQS", Properties: { Queue: "arn:aws:sqs:us-east-1:000000000000:q" } } },
      }),
    );
    assert.deepEqual(result, {
      error:
        "Transform AWS::Serverless-2016-10-31 failed with: Invalid Serverless Application Specification document. Number of errors found: 1. Resource with id [F] is invalid. Event with id [Q] is invalid. Stratus does not support event type 'SQS' yet (supported: Api, HttpApi, DynamoDB, S3).",
    });
  });

  it("refuses DeploymentPreference rather than ignoring it", () => {
    const result = runOurs(
      withFunction({ AutoPublishAlias: "live", DeploymentPreference: { Type: "AllAtOnce" } }),
    );
    assert.ok("error" in result);
    assert.match(
      result.error,
      /Resource with id \[F\] is invalid\. Stratus does not support the 'DeploymentPreference' property of AWS::Serverless::Function yet\.$/,
    );
  });

  it("refuses SAM properties it does not expand yet instead of dropping them", () => {
    const result = runOurs(withFunction({ EventInvokeConfig: { MaximumRetryAttempts: 0 } }));
    assert.ok("error" in result);
    assert.match(
      result.error,
      /Resource with id \[F\] is invalid\. Stratus does not support the 'EventInvokeConfig' property of AWS::Serverless::Function yet\.$/,
    );
  });

  it("refuses SAM policy templates it does not define yet, naming them", () => {
    const result = runOurs(withFunction({ Policies: [{ AthenaQueryPolicy: { WorkGroupName: "w" } }] }));
    assert.ok("error" in result);
    assert.match(
      result.error,
      /Resource with id \[F\] is invalid\. Stratus does not support the policy template 'AthenaQueryPolicy' yet\.$/,
    );
  });

  it("refuses embedded Connectors", () => {
    const template = withFunction({});
    Object.assign(template.Resources.F as object, {
      Connectors: { Read: { Properties: { Destination: { Id: "T" }, Permissions: ["Read"] } } },
    });
    const result = runOurs(template);
    assert.ok("error" in result);
    assert.match(
      result.error,
      /Resource with id \[F\] is invalid\. Stratus does not support SAM Connectors yet\.$/,
    );
  });

  it("refuses SAM resource types it does not expand", () => {
    const result = runOurs({
      Transform: TRANSFORM,
      Resources: { S: { Type: "AWS::Serverless::StateMachine", Properties: { Definition: {} } } },
    });
    assert.ok("error" in result);
    assert.match(
      result.error,
      /Resource with id \[S\] is invalid\. Stratus does not support resource type 'AWS::Serverless::StateMachine' yet\.$/,
    );
  });
});
