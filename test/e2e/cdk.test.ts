/**
 * A real CDK app deployed to Stratus: test/fixtures/cdk-app (aws-cdk-lib, synthesized offline by
 * `app.synth()`, no CDK CLI) holds a DynamoDB table, a Node.js Lambda function from a folder asset
 * and an API in front of it, in two variants: an HTTP API (apigatewayv2 + HttpLambdaIntegration) and
 * a REST API (LambdaRestApi, with the CloudWatch role and AWS::ApiGateway::Account the CDK adds by
 * default). The test does what `cdk deploy` does, against Stratus:
 *
 *   1. synthesize the cloud assembly;
 *   2. publish its file assets to Stratus's S3 (publishCdkAssets: the bootstrap bucket
 *      `cdk-hnb659fds-assets-ACCOUNT-REGION`, created on the way, since Stratus has no bootstrap stack);
 *   3. CreateStack with the synthesized template as it is (CAPABILITY_IAM) and wait for it;
 *   4. read the outputs, call the API through its local path-form invoke URL built from the API id
 *      (the REST API's output URL names amazonaws.com) and find the item the function wrote in the
 *      table, and the Lambda permissions the CDK granted the API;
 *   5. (HTTP API) edit the function's code, synthesize, publish and UpdateStack, as a second
 *      `cdk deploy` does: the new asset's key changes the function's Code, updated in place;
 *   6. DeleteStack and check that the table, function, API and stack are gone.
 *
 * Steps share state and run in order; after a failing step the rest are skipped, so the report names
 * the first step that does not work. A failed stack reports every failed resource's reason.
 */
import assert from "node:assert/strict";
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it, type TestContext } from "node:test";
import { APIGatewayClient, GetRestApiCommand } from "@aws-sdk/client-api-gateway";
import { ApiGatewayV2Client, GetApiCommand } from "@aws-sdk/client-apigatewayv2";
import {
  CreateStackCommand,
  DeleteStackCommand,
  DescribeStackEventsCommand,
  DescribeStackResourceCommand,
  DescribeStacksCommand,
  ListStackResourcesCommand,
  type StackResourceSummary,
  UpdateStackCommand,
  waitUntilStackCreateComplete,
  waitUntilStackDeleteComplete,
  waitUntilStackUpdateComplete,
} from "@aws-sdk/client-cloudformation";
import { DescribeTableCommand, GetItemCommand } from "@aws-sdk/client-dynamodb";
import { GetFunctionCommand, GetPolicyCommand } from "@aws-sdk/client-lambda";
import { cdkStackOfTemplate, publishCdkAssets } from "../../src/cli/deploy/cdk-assets.ts";
import { type ApiKind, LAMBDA_CODE_DIR, STACK_NAME, synthesizeApp } from "../fixtures/cdk-app/stack.ts";
import { TEST_ACCOUNT } from "../support/provider-context.ts";
import { useStratus } from "../support/stratus.ts";

const WAIT = { maxWaitTime: 120, minDelay: 1, maxDelay: 2 };
const INVOKE_TIMEOUT_MS = 60_000;

/** What differs between the two variants of the app. */
interface Variant {
  readonly api: ApiKind;
  readonly apiType: string;
  /** Resources in the stack: table, role, policy, function, CDKMetadata and the API's. */
  readonly resourceCount: number;
  /** The invoke URL's stage segment: none for an HTTP API's `$default` stage. */
  readonly stagePath: string;
  /** The execute-api ARN suffixes (after `{apiId}/`) the Lambda permissions allow. */
  readonly sourceArnSuffixes: readonly string[];
  /** Whether to run the code-update step (once is enough: it is the same Lambda path). */
  readonly update: boolean;
}

const VARIANTS: readonly Variant[] = [
  {
    api: "http",
    apiType: "AWS::ApiGatewayV2::Api",
    resourceCount: 10,
    stagePath: "",
    sourceArnSuffixes: ["*/*"],
    update: true,
  },
  {
    api: "rest",
    apiType: "AWS::ApiGateway::RestApi",
    resourceCount: 17,
    stagePath: "prod/",
    // The root's ANY method and the {proxy+} resource's, for the stage and for the console's test invoke.
    sourceArnSuffixes: ["prod/*/", "prod/*/*", "test-invoke-stage/*/", "test-invoke-stage/*/*"],
    update: false,
  },
];

for (const variant of VARIANTS) describeCdkDeploy(variant);

function describeCdkDeploy(variant: Variant): void {
  describe(`a CDK app with ${variant.api === "http" ? "an HTTP" : "a REST"} API, deployed through the CloudFormation API`, () => {
    const stratus = useStratus();
    const DEPLOYED_STACK = `cdk-e2e-${variant.api}-${process.pid}`;
    let workDir = "";
    let templatePath = "";
    let failed = false;
    let outputs: Record<string, string> = {};
    let resources: StackResourceSummary[] = [];

    before(async () => {
      workDir = await mkdtemp(join(tmpdir(), "stratus-cdk-e2e-"));
    });
    after(async () => {
      await rm(workDir, { recursive: true, force: true });
    });

    /** Runs a step unless an earlier one failed. */
    function step(name: string, body: (t: TestContext) => Promise<void>) {
      it(name, async (t) => {
        if (failed) {
          t.skip("an earlier step failed");
          return;
        }
        try {
          await body(t);
        } catch (error) {
          failed = true;
          throw error;
        }
      });
    }

    const physicalIdOf = (type: string) =>
      resources.find((resource) => resource.ResourceType === type)?.PhysicalResourceId;

    /** The failure reasons of a stack's events, for a failed create or delete. */
    async function failureReasons(stackName: string): Promise<string> {
      const { StackEvents = [] } = await stratus
        .cloudformation()
        .send(new DescribeStackEventsCommand({ StackName: stackName }));
      return StackEvents.filter((event) => event.ResourceStatus?.endsWith("_FAILED"))
        .map(
          (event) =>
            `${event.LogicalResourceId} (${event.ResourceType}) ${event.ResourceStatus}: ${event.ResourceStatusReason}`,
        )
        .reverse()
        .join("\n");
    }

    /** What `cdk deploy` does before it deploys: publish the stack's file assets. */
    async function publishAssetsOf(template: string) {
      const stack = cdkStackOfTemplate(template);
      assert.ok(stack, "the template is a CDK stack with an asset manifest");
      assert.equal(stack.stackName, STACK_NAME);
      return publishCdkAssets(stack.assemblyDir, stack.stackArtifactId, {
        s3: stratus.s3(),
        accountId: TEST_ACCOUNT,
        region: stratus.region,
      });
    }

    async function callApi(method: string, body?: unknown): Promise<{ status: number; json: unknown }> {
      const url = `${stratus.url}/_aws/execute-api/${outputs.ApiId}/${variant.stagePath}notes`;
      const response = await fetch(url, {
        method,
        ...(body === undefined
          ? {}
          : { headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(INVOKE_TIMEOUT_MS),
      });
      const text = await response.text();
      assert.match(response.headers.get("content-type") ?? "", /^application\/json/, text);
      return { status: response.status, json: JSON.parse(text) };
    }

    step("synthesizes the app offline into a cloud assembly", async () => {
      const assemblyDir = synthesizeApp(join(workDir, "cdk.out"), { api: variant.api });
      templatePath = join(assemblyDir, `${STACK_NAME}.template.json`);
      const template = JSON.parse(await readFile(templatePath, "utf8")) as {
        Resources: Record<string, { Type: string }>;
        Parameters?: Record<string, unknown>;
        Rules?: Record<string, unknown>;
      };
      const types = Object.values(template.Resources).map((resource) => resource.Type);
      for (const type of [
        "AWS::DynamoDB::Table",
        "AWS::Lambda::Function",
        variant.apiType,
        "AWS::CDK::Metadata",
      ]) {
        assert.ok(types.includes(type), `the template holds ${type}`);
      }
      // generateBootstrapVersionRule: false: no BootstrapVersion SSM parameter, no CheckBootstrapVersion rule.
      assert.equal(template.Parameters?.BootstrapVersion, undefined);
      assert.equal(template.Rules, undefined);
    });

    step("publishes the assets to the bootstrap bucket in Stratus's S3", async () => {
      const published = await publishAssetsOf(templatePath);
      assert.ok(published.some((asset) => asset.objectKey.endsWith(".zip")));
      for (const asset of published) {
        assert.equal(asset.bucketName, `cdk-hnb659fds-assets-${TEST_ACCOUNT}-${stratus.region}`);
      }
    });

    step("creates the stack from the synthesized template", async () => {
      const cfn = stratus.cloudformation();
      // The CDK's role and policy need CAPABILITY_IAM (`cdk deploy` always passes it), as on AWS.
      await assert.rejects(
        cfn.send(
          new CreateStackCommand({
            StackName: DEPLOYED_STACK,
            TemplateBody: await readFile(templatePath, "utf8"),
          }),
        ),
        { name: "InsufficientCapabilitiesException", message: "Requires capabilities : [CAPABILITY_IAM]" },
      );
      await cfn.send(
        new CreateStackCommand({
          StackName: DEPLOYED_STACK,
          TemplateBody: await readFile(templatePath, "utf8"),
          Capabilities: ["CAPABILITY_IAM"],
        }),
      );
      try {
        await waitUntilStackCreateComplete({ client: cfn, ...WAIT }, { StackName: DEPLOYED_STACK });
      } catch (error) {
        assert.fail(
          `stack create did not complete: ${(error as Error).message}\n${await failureReasons(DEPLOYED_STACK)}`,
        );
      }
      const { Stacks = [] } = await cfn.send(new DescribeStacksCommand({ StackName: DEPLOYED_STACK }));
      outputs = Object.fromEntries(
        (Stacks[0]?.Outputs ?? []).map((output) => [output.OutputKey, output.OutputValue]),
      );
      resources =
        (await cfn.send(new ListStackResourcesCommand({ StackName: DEPLOYED_STACK })))
          .StackResourceSummaries ?? [];
      assert.equal(resources.length, variant.resourceCount);
      assert.ok(resources.every((resource) => resource.ResourceStatus === "CREATE_COMPLETE"));
      // The region condition of AWS::CDK::Metadata holds in us-east-1: it is a resource of the stack.
      assert.equal(
        resources.find((resource) => resource.LogicalResourceId === "CDKMetadata")?.ResourceType,
        "AWS::CDK::Metadata",
      );
      // The CDK's resource Metadata comes back as the template gave it.
      const { StackResourceDetail } = await cfn.send(
        new DescribeStackResourceCommand({
          StackName: DEPLOYED_STACK,
          LogicalResourceId: "NotesHandlerA6E3704E",
        }),
      );
      const metadata = JSON.parse(StackResourceDetail?.Metadata ?? "{}") as Record<string, unknown>;
      assert.equal(metadata["aws:cdk:path"], `${STACK_NAME}/NotesHandler/Resource`);
      assert.equal(metadata["aws:asset:property"], "Code");
    });

    step("names the API and the table in its outputs", async () => {
      assert.match(outputs.ApiId ?? "", /^[a-z0-9]{10}$/);
      if (variant.api === "rest") {
        // The CDK builds this URL itself from the API's id, AWS::Region, AWS::URLSuffix and the stage.
        assert.equal(
          outputs.ApiUrl,
          `https://${outputs.ApiId}.execute-api.${stratus.region}.amazonaws.com/prod/`,
        );
        assert.equal(outputs.ApiStage, "prod");
      } else {
        // The API's ApiEndpoint attribute: Stratus's API Gateway v2 names its own local endpoint where
        // AWS answers `https://{id}.execute-api.{region}.amazonaws.com`; the port is missing when the
        // API was made in-process (the resource providers' calls carry no Host header).
        const port = new URL(stratus.url).port;
        assert.match(
          outputs.ApiUrl ?? "",
          new RegExp(`^http://${outputs.ApiId}\\.execute-api\\.localhost(:${port})?$`),
        );
      }
      assert.equal(outputs.ApiId, physicalIdOf(variant.apiType));
      assert.equal(outputs.TableName, physicalIdOf("AWS::DynamoDB::Table"));
      assert.match(outputs.TableName ?? "", new RegExp(`^${DEPLOYED_STACK}-Notes5BB3582F-[A-Z0-9]+$`));
    });

    step("answers over HTTP through the function, which writes to the table", async () => {
      const answer = await callApi("POST", { id: "note-1", text: "deployed by the CDK" });
      assert.deepEqual(answer, {
        status: 201,
        json: {
          stored: { id: "note-1", text: "deployed by the CDK", path: "/notes" },
          table: outputs.TableName,
        },
      });
      const { Item } = await stratus
        .dynamodb()
        .send(new GetItemCommand({ TableName: outputs.TableName, Key: { id: { S: "note-1" } } }));
      assert.deepEqual(Item, {
        id: { S: "note-1" },
        text: { S: "deployed by the CDK" },
        path: { S: "/notes" },
      });

      // The AWS::Lambda::Permission resources let this API invoke the function, with SourceArns the
      // CDK joins from the partition, region, account, API id (and stage).
      const { Policy } = await stratus
        .lambda()
        .send(new GetPolicyCommand({ FunctionName: physicalIdOf("AWS::Lambda::Function") }));
      const statements = (JSON.parse(Policy ?? "{}") as { Statement: Record<string, unknown>[] }).Statement;
      const arnPrefix = `arn:aws:execute-api:${stratus.region}:${TEST_ACCOUNT}:${outputs.ApiId}/`;
      for (const statement of statements) {
        assert.deepEqual(statement.Principal, { Service: "apigateway.amazonaws.com" });
      }
      assert.deepEqual(
        statements
          .map(
            (statement) =>
              (statement.Condition as { ArnLike: Record<string, string> }).ArnLike["AWS:SourceArn"],
          )
          .sort(),
        variant.sourceArnSuffixes.map((suffix) => `${arnPrefix}${suffix}`).sort(),
      );
    });

    if (variant.update)
      step("updates the function in place after its code changed (a second cdk deploy)", async () => {
        const codeDir = join(workDir, "lambda-v2");
        await cp(LAMBDA_CODE_DIR, codeDir, { recursive: true });
        const handler = join(codeDir, "index.mjs");
        await writeFile(
          handler,
          (await readFile(handler, "utf8")).replace('"hello from CDK"', '"hello again from CDK"'),
        );
        const assemblyDir = synthesizeApp(join(workDir, "cdk.out.v2"), { codeDir, api: variant.api });
        const template = join(assemblyDir, `${STACK_NAME}.template.json`);
        const published = await publishAssetsOf(template);
        // Only the new code (and the new template) are uploaded.
        assert.deepEqual(
          published.map((asset) => asset.uploaded),
          [true, true],
        );

        const functionName = physicalIdOf("AWS::Lambda::Function");
        const before = await stratus.lambda().send(new GetFunctionCommand({ FunctionName: functionName }));
        const cfn = stratus.cloudformation();
        await cfn.send(
          new UpdateStackCommand({
            StackName: DEPLOYED_STACK,
            TemplateBody: await readFile(template, "utf8"),
            Capabilities: ["CAPABILITY_IAM"],
          }),
        );
        try {
          await waitUntilStackUpdateComplete({ client: cfn, ...WAIT }, { StackName: DEPLOYED_STACK });
        } catch (error) {
          assert.fail(
            `stack update did not complete: ${(error as Error).message}\n${await failureReasons(DEPLOYED_STACK)}`,
          );
        }
        const afterUpdate = await stratus
          .lambda()
          .send(new GetFunctionCommand({ FunctionName: functionName }));
        assert.notEqual(afterUpdate.Configuration?.CodeSha256, before.Configuration?.CodeSha256);

        const answer = await callApi("POST");
        assert.equal(answer.status, 201);
        assert.equal((answer.json as { stored: { text: string } }).stored.text, "hello again from CDK");
      });

    step("deletes the stack and everything it created", async () => {
      const cfn = stratus.cloudformation();
      const functionName = physicalIdOf("AWS::Lambda::Function");
      assert.ok(functionName);
      await cfn.send(new DeleteStackCommand({ StackName: DEPLOYED_STACK }));
      try {
        await waitUntilStackDeleteComplete({ client: cfn, ...WAIT }, { StackName: DEPLOYED_STACK });
      } catch (error) {
        assert.fail(
          `stack delete did not complete: ${(error as Error).message}\n${await failureReasons(DEPLOYED_STACK)}`,
        );
      }
      await assert.rejects(cfn.send(new DescribeStacksCommand({ StackName: DEPLOYED_STACK })), {
        name: "ValidationError",
        message: `Stack with id ${DEPLOYED_STACK} does not exist`,
      });
      await assert.rejects(
        stratus.dynamodb().send(new DescribeTableCommand({ TableName: outputs.TableName })),
        {
          name: "ResourceNotFoundException",
        },
      );
      await assert.rejects(stratus.lambda().send(new GetFunctionCommand({ FunctionName: functionName })), {
        name: "ResourceNotFoundException",
      });
      if (variant.api === "rest") {
        const apigateway = new APIGatewayClient(stratus.clientConfig());
        try {
          await assert.rejects(apigateway.send(new GetRestApiCommand({ restApiId: outputs.ApiId })), {
            name: "NotFoundException",
          });
        } finally {
          apigateway.destroy();
        }
      } else {
        const apigateway = new ApiGatewayV2Client(stratus.clientConfig());
        try {
          await assert.rejects(apigateway.send(new GetApiCommand({ ApiId: outputs.ApiId })), {
            name: "NotFoundException",
          });
        } finally {
          apigateway.destroy();
        }
      }
    });
  });
}
