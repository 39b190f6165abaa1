/**
 * Proof 7: an application in plain CloudFormation (no transform): a REST API built resource by
 * resource (RestApi, Resource, Method with AWS_PROXY, Deployment, Stage), the Lambda permission, the
 * function and its IAM role, and a DynamoDB table. Deployed through a CREATE change set (as `aws
 * cloudformation deploy` does), its Fn::Sub/GetAtt outputs name the real resources, and the API
 * answers: a note written through it lands in the table and reads back.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { APIGatewayClient, GetResourcesCommand, GetStageCommand } from "@aws-sdk/client-api-gateway";
import {
  CreateChangeSetCommand,
  DeleteStackCommand,
  DescribeChangeSetCommand,
  ExecuteChangeSetCommand,
  waitUntilChangeSetCreateComplete,
  waitUntilStackCreateComplete,
  waitUntilStackDeleteComplete,
  waitUntilStackUpdateComplete,
} from "@aws-sdk/client-cloudformation";
import { DescribeTableCommand, GetItemCommand } from "@aws-sdk/client-dynamodb";
import { GetFunctionCommand, GetPolicyCommand } from "@aws-sdk/client-lambda";
import { useStratus } from "../../../support/stratus.ts";
import {
  CAPABILITIES,
  call,
  fixture,
  invokeUrl,
  parametersOf,
  stackOutputs,
  stackResources,
  WAIT,
} from "./app-helpers.ts";

const STACK = "notes-app";

describe("CloudFormation apps: plain CloudFormation REST API, Lambda and DynamoDB", () => {
  const stratus = useStratus({ inMemory: true });
  let outputs: Record<string, string> = {};

  it("deploys through a change set listing every resource to add", async () => {
    const cfn = stratus.cloudformation();
    const { Id } = await cfn.send(
      new CreateChangeSetCommand({
        StackName: STACK,
        ChangeSetName: "first-deploy",
        ChangeSetType: "CREATE",
        TemplateBody: await fixture("plain-rest-app.yaml"),
        Parameters: parametersOf({ StageName: "prod" }),
        Capabilities: [...CAPABILITIES],
      }),
    );
    await waitUntilChangeSetCreateComplete({ client: cfn, ...WAIT }, { ChangeSetName: Id });
    const { Changes = [] } = await cfn.send(new DescribeChangeSetCommand({ ChangeSetName: Id }));
    assert.deepEqual(
      Changes.map((c) => `${c.ResourceChange?.Action} ${c.ResourceChange?.LogicalResourceId}`).sort(),
      [
        "Add ApiInvokePermission",
        "Add CreateNoteMethod",
        "Add GetNoteMethod",
        "Add NoteResource",
        "Add NotesApi",
        "Add NotesDeployment",
        "Add NotesFunction",
        "Add NotesResource",
        "Add NotesRole",
        "Add NotesStage",
        "Add NotesTable",
      ],
    );
    await cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: Id }));
    await waitUntilStackCreateComplete({ client: cfn, ...WAIT }, { StackName: STACK });
    outputs = await stackOutputs(cfn, STACK);
  });

  it("resolves its Fn::Sub and Fn::GetAtt outputs to the real resources", async () => {
    const cfn = stratus.cloudformation();
    const resources = await stackResources(cfn, STACK);
    const physical = (id: string) => resources[id]?.PhysicalResourceId ?? "";
    assert.equal(outputs.ApiId, physical("NotesApi"));
    assert.equal(outputs.NotesUrl, `https://${outputs.ApiId}.execute-api.us-east-1.amazonaws.com/prod/notes`);
    assert.equal(physical("NotesStage"), "prod");

    const { Table } = await stratus
      .dynamodb()
      .send(new DescribeTableCommand({ TableName: physical("NotesTable") }));
    assert.equal(outputs.TableArn, Table?.TableArn);
    const { Configuration } = await stratus
      .lambda()
      .send(new GetFunctionCommand({ FunctionName: physical("NotesFunction") }));
    assert.equal(outputs.FunctionArn, Configuration?.FunctionArn);
    assert.equal(Configuration?.Role, outputs.RoleArn);
    assert.match(outputs.RoleArn ?? "", /^arn:aws:iam::\d{12}:role\/notes-app-NotesRole-[A-Za-z0-9]+$/);
    assert.equal(Configuration?.Environment?.Variables?.TABLE, physical("NotesTable"));

    const { Policy } = await stratus
      .lambda()
      .send(new GetPolicyCommand({ FunctionName: physical("NotesFunction") }));
    const [statement] = (JSON.parse(Policy ?? "{}") as { Statement: Record<string, unknown>[] }).Statement;
    assert.deepEqual(statement?.Principal, { Service: "apigateway.amazonaws.com" });
    assert.equal(statement?.Sid, physical("ApiInvokePermission"));

    const apigateway = new APIGatewayClient(stratus.clientConfig());
    try {
      const { items = [] } = await apigateway.send(new GetResourcesCommand({ restApiId: outputs.ApiId }));
      const byPath = Object.fromEntries(items.map((r) => [r.path, r]));
      assert.deepEqual(Object.keys(byPath).sort(), ["/", "/notes", "/notes/{id}"]);
      assert.equal(byPath["/"]?.id, outputs.RootResourceId);
      assert.equal(byPath["/notes"]?.id, physical("NotesResource"));
      assert.equal(byPath["/notes/{id}"]?.id, physical("NoteResource"));
      assert.equal(byPath["/notes"]?.resourceMethods?.POST !== undefined, true);
      const stage = await apigateway.send(
        new GetStageCommand({ restApiId: outputs.ApiId, stageName: "prod" }),
      );
      assert.equal(stage.deploymentId, physical("NotesDeployment"));
      assert.deepEqual(stage.variables, { table: physical("NotesTable") });
    } finally {
      apigateway.destroy();
    }
  });

  it("answers on its invoke URL: a note written through the API is in the table and reads back", async () => {
    const notes = invokeUrl(stratus.url, outputs.ApiId ?? "", "prod/notes");
    const created = await call(notes, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ id: "n1", text: "plain CloudFormation works" }),
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.deepEqual(created.body, { id: "n1", stage: "prod" });

    const resources = await stackResources(stratus.cloudformation(), STACK);
    const { Item } = await stratus
      .dynamodb()
      .send(
        new GetItemCommand({ TableName: resources.NotesTable?.PhysicalResourceId, Key: { id: { S: "n1" } } }),
      );
    assert.equal(Item?.text?.S, "plain CloudFormation works");

    const read = await call(`${notes}/n1`);
    assert.equal(read.status, 200, JSON.stringify(read.body));
    assert.deepEqual(read.body, { id: "n1", text: "plain CloudFormation works" });
    const missing = await call(`${notes}/n2`);
    assert.equal(missing.status, 404);

    // A method the API does not define: API Gateway's own answer, the function is not called.
    const undefinedMethod = await call(notes, { method: "DELETE" });
    assert.equal(undefinedMethod.status, 403);
    assert.deepEqual(undefinedMethod.body, { message: "Missing Authentication Token" });
  });

  it("renames its stage through an UPDATE change set: the stage is replaced, the API answers there", async () => {
    const cfn = stratus.cloudformation();
    const { Id } = await cfn.send(
      new CreateChangeSetCommand({
        StackName: STACK,
        ChangeSetName: "rename-stage",
        ChangeSetType: "UPDATE",
        UsePreviousTemplate: true,
        Parameters: parametersOf({ StageName: "live" }),
        Capabilities: [...CAPABILITIES],
      }),
    );
    await waitUntilChangeSetCreateComplete({ client: cfn, ...WAIT }, { ChangeSetName: Id });
    const { Changes = [] } = await cfn.send(new DescribeChangeSetCommand({ ChangeSetName: Id }));
    assert.equal(Changes.length, 1, JSON.stringify(Changes));
    const change = Changes[0]?.ResourceChange;
    assert.equal(change?.LogicalResourceId, "NotesStage");
    assert.equal(change?.Action, "Modify");
    assert.equal(change?.Replacement, "True");
    assert.deepEqual(change?.Scope, ["Properties"]);
    assert.ok(
      change?.Details?.some(
        (d) =>
          d.Target?.Name === "StageName" &&
          d.Target.RequiresRecreation === "Always" &&
          d.ChangeSource === "ParameterReference" &&
          d.CausingEntity === "StageName",
      ),
      JSON.stringify(change?.Details),
    );

    await cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: Id }));
    await waitUntilStackUpdateComplete({ client: cfn, ...WAIT }, { StackName: STACK });
    outputs = await stackOutputs(cfn, STACK);
    assert.equal(outputs.NotesUrl, `https://${outputs.ApiId}.execute-api.us-east-1.amazonaws.com/live/notes`);

    const read = await call(invokeUrl(stratus.url, outputs.ApiId ?? "", "live/notes/n1"));
    assert.equal(read.status, 200, JSON.stringify(read.body));
    assert.deepEqual(read.body, { id: "n1", text: "plain CloudFormation works" });
    const oldStage = await call(invokeUrl(stratus.url, outputs.ApiId ?? "", "prod/notes/n1"));
    assert.notEqual(oldStage.status, 200, "the replaced stage is gone");
  });

  it("is deleted", async () => {
    const cfn = stratus.cloudformation();
    await cfn.send(new DeleteStackCommand({ StackName: STACK }));
    await waitUntilStackDeleteComplete({ client: cfn, ...WAIT }, { StackName: STACK });
    const answer = await call(invokeUrl(stratus.url, outputs.ApiId ?? "", "live/notes/n1"));
    assert.notEqual(answer.status, 200);
  });
});
