/**
 * Proof 4: updating a deployed application. hello-app (examples/hello-app, code packaged to S3 as
 * `sam package` leaves it) is created, then updated to a version with (a) new code for one function
 * (a new S3 key), (b) one more HTTP route, (c) one table fewer. DescribeStackEvents shows events for
 * exactly the resources that changed — nothing for the unchanged ones — the new code and the new
 * route answer, the data of the kept table is still there, and the dropped table is gone.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isDeepStrictEqual } from "node:util";
import { DeleteStackCommand, waitUntilStackDeleteComplete } from "@aws-sdk/client-cloudformation";
import { DescribeTableCommand } from "@aws-sdk/client-dynamodb";
import { GetFunctionCommand } from "@aws-sdk/client-lambda";
import { useStratus } from "../../../support/stratus.ts";
import {
  call,
  createArtifactBucket,
  createStack,
  fixture,
  invokeUrl,
  latestOperationEvents,
  stackResources,
  updateStack,
  uploadZip,
  WAIT,
  zipOf,
} from "./app-helpers.ts";
import { samExpansion, samResources } from "./sam-oracle.ts";

const STACK = "hello-app";
const ARTIFACTS = "hello-app-artifacts";

/** The logical ids a template change adds, removes or alters, by comparing both expansions. */
function changedLogicalIds(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  const ids = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...ids].filter((id) => !isDeepStrictEqual(before[id], after[id])).sort();
}

describe("CloudFormation apps: updating hello-app", () => {
  const stratus = useStratus({ inMemory: true });
  let v1: Record<string, string> = {};
  let itemId = "";
  let physicalBefore: Record<string, string | undefined> = {};

  it("deploys version 1 from packaged code, serving its three routes", async () => {
    const s3 = stratus.s3();
    await createArtifactBucket(s3, ARTIFACTS);
    await uploadZip(
      s3,
      ARTIFACTS,
      "items-v1.zip",
      zipOf({ "items.mjs": await fixture("http-app/items-v1.mjs") }),
    );
    await uploadZip(
      s3,
      ARTIFACTS,
      "items-v2.zip",
      zipOf({ "items.mjs": await fixture("http-app/items-v2.mjs") }),
    );
    await uploadZip(
      s3,
      ARTIFACTS,
      "list.zip",
      zipOf({ "list_items.py": await fixture("http-app/list_items.py") }),
    );

    const cfn = stratus.cloudformation();
    v1 = await createStack(cfn, STACK, await fixture("http-app/template-v1.yaml"));
    const api = (path: string) => invokeUrl(stratus.url, v1.ApiId ?? "", path);

    const created = await call(api("items"), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "first" }),
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.headers.get("x-code-version"), "v1");
    itemId = (created.body as { id: string }).id;

    const read = await call(api(`items/${itemId}`));
    assert.equal(read.status, 200);
    assert.equal((read.body as { name: string }).name, "first");
    const listed = await call(api("items"));
    assert.equal(listed.status, 200, JSON.stringify(listed.body));
    assert.equal((listed.body as { count: number }).count, 1);

    const missingRoute = await call(api("version"));
    assert.equal(missingRoute.status, 404);
    assert.deepEqual(missingRoute.body, { message: "Not Found" });

    await stratus.dynamodb().send(new DescribeTableCommand({ TableName: v1.AuditTableName }));
    const resources = await stackResources(cfn, STACK);
    assert.deepEqual(
      Object.fromEntries(Object.entries(resources).map(([id, r]) => [id, r.ResourceType ?? ""])),
      await samExpansion(await fixture("http-app/template-v1.yaml")),
    );
    physicalBefore = Object.fromEntries(
      Object.entries(resources).map(([id, r]) => [id, r.PhysicalResourceId]),
    );
  });

  it("updates only the changed function, the API, the new route's permission and the dropped table", async () => {
    const cfn = stratus.cloudformation();
    const [before, after] = [
      await samResources(await fixture("http-app/template-v1.yaml")),
      await samResources(await fixture("http-app/template-v2.yaml")),
    ];
    const expected = ["AuditTable", "ItemsApi", "ItemsFunction", "ItemsFunctionGetVersionPermission"];
    // AWS's translator agrees on what the change touches: this is what CloudFormation acts on.
    assert.deepEqual(changedLogicalIds(before, after), expected);

    await updateStack(cfn, STACK, await fixture("http-app/template-v2.yaml"));
    const events = await latestOperationEvents(cfn, STACK);
    const resourceEvents = events.filter((e) => e.ResourceType !== "AWS::CloudFormation::Stack");
    assert.deepEqual([...new Set(resourceEvents.map((e) => e.LogicalResourceId))].sort(), expected);

    const statusesOf = (id: string) =>
      resourceEvents.filter((e) => e.LogicalResourceId === id).map((e) => e.ResourceStatus);
    assert.deepEqual(statusesOf("ItemsFunction"), ["UPDATE_IN_PROGRESS", "UPDATE_COMPLETE"]);
    assert.deepEqual(statusesOf("ItemsApi"), ["UPDATE_IN_PROGRESS", "UPDATE_COMPLETE"]);
    assert.deepEqual(statusesOf("ItemsFunctionGetVersionPermission"), [
      "CREATE_IN_PROGRESS",
      "CREATE_IN_PROGRESS",
      "CREATE_COMPLETE",
    ]);
    assert.deepEqual(statusesOf("AuditTable"), ["DELETE_IN_PROGRESS", "DELETE_COMPLETE"]);

    // Removed resources go in the cleanup phase, after the new state is complete.
    const stackStatuses = events
      .filter((e) => e.ResourceType === "AWS::CloudFormation::Stack")
      .map((e) => e.ResourceStatus);
    assert.deepEqual(stackStatuses, [
      "UPDATE_IN_PROGRESS",
      "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS",
      "UPDATE_COMPLETE",
    ]);
    const cleanupAt = events.findIndex(
      (e) => String(e.ResourceStatus) === "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS",
    );
    const auditAt = events.findIndex((e) => e.LogicalResourceId === "AuditTable");
    assert.ok(auditAt > cleanupAt, "the dropped table is deleted during cleanup");

    // Updated in place: same physical resources; the table kept is the same table.
    const resources = await stackResources(cfn, STACK);
    for (const id of ["ItemsFunction", "ItemsApi", "ItemsTable", "ListFunction"]) {
      assert.equal(resources[id]?.PhysicalResourceId, physicalBefore[id], id);
    }
    assert.equal(resources.AuditTable, undefined);
  });

  it("answers with the new code and the new route, keeps the data, and the dropped table is gone", async () => {
    const api = (path: string) => invokeUrl(stratus.url, v1.ApiId ?? "", path);
    const version = await call(api("version"));
    assert.equal(version.status, 200, JSON.stringify(version.body));
    assert.deepEqual(version.body, { version: "v2" });

    const read = await call(api(`items/${itemId}`));
    assert.equal(read.status, 200);
    assert.equal(read.headers.get("x-code-version"), "v2");
    assert.equal((read.body as { name: string }).name, "first");
    const listed = await call(api("items"));
    assert.equal((listed.body as { count: number }).count, 1);

    const { Configuration } = await stratus
      .lambda()
      .send(new GetFunctionCommand({ FunctionName: v1.ItemsFunctionName }));
    assert.equal(Configuration?.Runtime, "nodejs22.x");
    await assert.rejects(
      stratus.dynamodb().send(new DescribeTableCommand({ TableName: v1.AuditTableName })),
      { name: "ResourceNotFoundException" },
    );
  });

  it("is deleted", async () => {
    const cfn = stratus.cloudformation();
    await cfn.send(new DeleteStackCommand({ StackName: STACK }));
    await waitUntilStackDeleteComplete({ client: cfn, ...WAIT }, { StackName: STACK });
  });
});
