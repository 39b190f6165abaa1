/**
 * RestApis and Resources through @aws-sdk/client-api-gateway: defaults, paging, patch operations, the
 * shared API id space, resource placement rules and AWS's exact errors (texts recorded against AWS in
 * LocalStack's test_apigateway_api snapshots).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  CreateResourceCommand,
  CreateRestApiCommand,
  DeleteResourceCommand,
  DeleteRestApiCommand,
  GetResourceCommand,
  GetResourcesCommand,
  GetRestApiCommand,
  GetRestApisCommand,
  PutMethodCommand,
  UpdateResourceCommand,
  UpdateRestApiCommand,
} from "@aws-sdk/client-api-gateway";
import { lookupApiId } from "../../../../src/services/execute-api/api-ids.ts";
import { useStratus } from "../../../support/stratus.ts";
import { accountOf, apigateway, newApi, rejects, uniqueName } from "./helpers.ts";

describe("REST APIs", () => {
  const stratus = useStratus({ inMemory: true });

  it("creates an API with AWS's defaults, a root resource and the Empty and Error models", async () => {
    const client = apigateway(stratus);
    const name = uniqueName();
    const api = await client.send(new CreateRestApiCommand({ name, description: "d", tags: { team: "x" } }));
    assert.equal(api.$metadata.httpStatusCode, 201);
    assert.match(api.id ?? "", /^[a-z0-9]{10}$/);
    assert.equal(api.name, name);
    assert.equal(api.apiKeySource, "HEADER");
    assert.equal(api.disableExecuteApiEndpoint, false);
    assert.deepEqual(api.endpointConfiguration, { types: ["EDGE"], ipAddressType: "ipv4" });
    assert.deepEqual(api.tags, { team: "x" });
    assert.ok(api.createdDate instanceof Date && Math.abs(api.createdDate.getTime() - Date.now()) < 60_000);
    const owner = await lookupApiId(stratus.server.storage, api.id as string);
    assert.equal(owner?.kind, "rest");
    const resources = await client.send(new GetResourcesCommand({ restApiId: api.id }));
    assert.deepEqual(resources.items, [{ id: api.rootResourceId, path: "/" }]);
    const got = await client.send(new GetRestApiCommand({ restApiId: api.id }));
    assert.equal(got.name, name);
    assert.equal(got.createdDate?.getTime(), api.createdDate?.getTime());
  });

  it("answers AWS's errors for bad attributes and unknown ids", async () => {
    const client = apigateway(stratus);
    const account = await accountOf(stratus);
    await rejects(
      client.send(new CreateRestApiCommand({ name: "x", description: "" })),
      "BadRequestException",
      "Description cannot be an empty string",
      400,
    );
    await rejects(
      client.send(new CreateRestApiCommand({ name: "x", minimumCompressionSize: -1 })),
      "BadRequestException",
      "Invalid minimum compression size, must be between 0 and 10485760",
      400,
    );
    await rejects(
      client.send(
        new CreateRestApiCommand({ name: "x", endpointConfiguration: { types: ["EDGE", "REGIONAL"] } }),
      ),
      "BadRequestException",
      "Cannot create an api with multiple Endpoint Types.",
      400,
    );
    await rejects(
      client.send(new GetRestApiCommand({ restApiId: "nope123456" })),
      "NotFoundException",
      `Invalid API identifier specified ${account}:nope123456`,
      404,
    );
    const privateApi = await client.send(
      new CreateRestApiCommand({ name: uniqueName(), endpointConfiguration: { types: ["PRIVATE"] } }),
    );
    assert.deepEqual(privateApi.endpointConfiguration, { types: ["PRIVATE"], ipAddressType: "dualstack" });
  });

  it("pages GetRestApis with position and limit", async () => {
    const client = apigateway(stratus);
    for (let i = 0; i < 3; i++) await newApi(client);
    const all = await client.send(new GetRestApisCommand({ limit: 500 }));
    const first = await client.send(new GetRestApisCommand({ limit: 2 }));
    assert.equal(first.items?.length, 2);
    assert.ok(first.position);
    const second = await client.send(new GetRestApisCommand({ limit: 500, position: first.position }));
    assert.deepEqual(
      [...(first.items ?? []), ...(second.items ?? [])].map((a) => a.id),
      (all.items ?? []).map((a) => a.id),
    );
    assert.equal(second.position, undefined);
  });

  it("applies UpdateRestApi patch operations", async () => {
    const client = apigateway(stratus);
    const { apiId } = await newApi(client, { description: "before" });
    const updated = await client.send(
      new UpdateRestApiCommand({
        restApiId: apiId,
        patchOperations: [
          { op: "replace", path: "/description", value: "after" },
          { op: "add", path: "/binaryMediaTypes/image~1png", value: "" },
          { op: "add", path: "/binaryMediaTypes/image~1jpeg", value: "" },
          { op: "replace", path: "/minimumCompressionSize", value: "10" },
          { op: "replace", path: "/apiKeySource", value: "AUTHORIZER" },
        ],
      }),
    );
    assert.equal(updated.description, "after");
    assert.deepEqual(updated.binaryMediaTypes, ["image/png", "image/jpeg"]);
    assert.equal(updated.minimumCompressionSize, 10);
    assert.equal(updated.apiKeySource, "AUTHORIZER");
    const replaced = await client.send(
      new UpdateRestApiCommand({
        restApiId: apiId,
        patchOperations: [
          { op: "replace", path: "/binaryMediaTypes/image~1png", value: "image/gif" },
          { op: "remove", path: "/binaryMediaTypes/image~1jpeg" },
          { op: "replace", path: "/minimumCompressionSize", value: "" },
        ],
      }),
    );
    assert.deepEqual(replaced.binaryMediaTypes, ["image/gif"]);
    assert.equal(replaced.minimumCompressionSize, undefined);
    await rejects(
      client.send(
        new UpdateRestApiCommand({
          restApiId: apiId,
          patchOperations: [{ op: "add", path: "/minimumCompressionSize", value: "1" }],
        }),
      ),
      "BadRequestException",
      "Invalid patch operation specified. Must be one of: [replace]",
      400,
    );
    await rejects(
      client.send(
        new UpdateRestApiCommand({
          restApiId: apiId,
          patchOperations: [{ op: "add", path: "/binaryMediaTypes" }],
        }),
      ),
      "BadRequestException",
      "Invalid patch path /binaryMediaTypes",
      400,
    );
    await rejects(
      client.send(
        new UpdateRestApiCommand({
          restApiId: apiId,
          patchOperations: [
            { op: "wrong" as never, path: "/name" },
            { op: "wrong" as never, path: "/name" },
          ],
        }),
      ),
      "ValidationException",
      "2 validation errors detected: Value 'wrong' at 'updateRestApiInput.patchOperations.1.member.op' failed to satisfy constraint: Member must satisfy enum value set: [add, remove, move, test, replace, copy]; Value 'wrong' at 'updateRestApiInput.patchOperations.2.member.op' failed to satisfy constraint: Member must satisfy enum value set: [add, remove, move, test, replace, copy]",
      400,
    );
  });

  it("deletes an API with 202 and frees its id", async () => {
    const client = apigateway(stratus);
    const account = await accountOf(stratus);
    const { apiId } = await newApi(client);
    const deleted = await client.send(new DeleteRestApiCommand({ restApiId: apiId }));
    assert.equal(deleted.$metadata.httpStatusCode, 202);
    assert.equal(await lookupApiId(stratus.server.storage, apiId), undefined);
    await rejects(
      client.send(new DeleteRestApiCommand({ restApiId: apiId })),
      "NotFoundException",
      `Invalid API identifier specified ${account}:${apiId}`,
      404,
    );
  });
});

describe("Resources", () => {
  const stratus = useStratus({ inMemory: true });

  it("creates, lists (by path), moves, renames and deletes resources with their children", async () => {
    const client = apigateway(stratus);
    const { apiId, rootId } = await newApi(client);
    const pets = await client.send(
      new CreateResourceCommand({ restApiId: apiId, parentId: rootId, pathPart: "pets" }),
    );
    assert.equal(pets.$metadata.httpStatusCode, 201);
    assert.equal(pets.path, "/pets");
    assert.equal(pets.parentId, rootId);
    const sub = await client.send(
      new CreateResourceCommand({ restApiId: apiId, parentId: pets.id, pathPart: "{id}" }),
    );
    assert.equal(sub.path, "/pets/{id}");
    const proxy = await client.send(
      new CreateResourceCommand({ restApiId: apiId, parentId: rootId, pathPart: "{proxy+}" }),
    );
    const listed = await client.send(new GetResourcesCommand({ restApiId: apiId }));
    assert.deepEqual(
      listed.items?.map((r) => r.path),
      ["/", "/pets", "/pets/{id}", "/{proxy+}"],
    );
    const renamed = await client.send(
      new UpdateResourceCommand({
        restApiId: apiId,
        resourceId: pets.id,
        patchOperations: [{ op: "replace", path: "/pathPart", value: "dogs" }],
      }),
    );
    assert.equal(renamed.path, "/dogs");
    const child = await client.send(new GetResourceCommand({ restApiId: apiId, resourceId: sub.id }));
    assert.equal(child.path, "/dogs/{id}");
    const deleted = await client.send(new DeleteResourceCommand({ restApiId: apiId, resourceId: pets.id }));
    assert.equal(deleted.$metadata.httpStatusCode, 202);
    const after = await client.send(new GetResourcesCommand({ restApiId: apiId }));
    assert.deepEqual(
      after.items?.map((r) => r.id),
      [rootId, proxy.id],
    );
  });

  it("keeps every one of many concurrent edits of one API", async () => {
    const client = apigateway(stratus);
    const { apiId, rootId } = await newApi(client);
    const parts = Array.from({ length: 20 }, (_, i) => `p${i}`);
    await Promise.all(
      parts.map((pathPart) =>
        client.send(new CreateResourceCommand({ restApiId: apiId, parentId: rootId, pathPart })),
      ),
    );
    const listed = await client.send(new GetResourcesCommand({ restApiId: apiId, limit: 500 }));
    assert.deepEqual(
      listed.items
        ?.map((r) => r.pathPart)
        .filter((p) => p !== undefined)
        .sort(),
      [...parts].sort(),
    );
  });

  it("embeds methods with embed=methods only", async () => {
    const client = apigateway(stratus);
    const { apiId, rootId } = await newApi(client);
    await client.send(
      new PutMethodCommand({
        restApiId: apiId,
        resourceId: rootId,
        httpMethod: "GET",
        authorizationType: "NONE",
      }),
    );
    const plain = await client.send(new GetResourcesCommand({ restApiId: apiId }));
    assert.deepEqual(plain.items?.[0]?.resourceMethods, { GET: {} });
    const embedded = await client.send(new GetResourcesCommand({ restApiId: apiId, embed: ["methods"] }));
    assert.deepEqual(embedded.items?.[0]?.resourceMethods?.GET, {
      httpMethod: "GET",
      authorizationType: "NONE",
      apiKeyRequired: false,
    });
  });

  it("enforces API Gateway's placement rules with its texts", async () => {
    const client = apigateway(stratus);
    const { apiId, rootId } = await newApi(client);
    const proxy = await client.send(
      new CreateResourceCommand({ restApiId: apiId, parentId: rootId, pathPart: "{proxy+}" }),
    );
    await rejects(
      client.send(new CreateResourceCommand({ restApiId: apiId, parentId: rootId, pathPart: "{id}" })),
      "BadRequestException",
      "A sibling ({proxy+}) of this resource already has a variable path part -- only one is allowed",
      400,
    );
    await rejects(
      client.send(new CreateResourceCommand({ restApiId: apiId, parentId: proxy.id, pathPart: "x" })),
      "BadRequestException",
      "Cannot create a child of a resource with a greedy path variable: {proxy+}",
      400,
    );
    const pets = await client.send(
      new CreateResourceCommand({ restApiId: apiId, parentId: rootId, pathPart: "pets" }),
    );
    await rejects(
      client.send(new CreateResourceCommand({ restApiId: apiId, parentId: rootId, pathPart: "pets" })),
      "ConflictException",
      "Another resource with the same parent already has this name: pets",
      409,
    );
    const child = await client.send(
      new CreateResourceCommand({ restApiId: apiId, parentId: pets.id, pathPart: "c" }),
    );
    await rejects(
      client.send(
        new UpdateResourceCommand({
          restApiId: apiId,
          resourceId: pets.id,
          patchOperations: [{ op: "replace", path: "/parentId", value: child.id }],
        }),
      ),
      "BadRequestException",
      "Resources cannot be cyclical.",
      400,
    );
    await rejects(
      client.send(
        new UpdateResourceCommand({
          restApiId: apiId,
          resourceId: pets.id,
          patchOperations: [{ op: "replace", path: "/invalid", value: "x" }],
        }),
      ),
      "BadRequestException",
      "Invalid patch path  '/invalid' specified for op 'replace'. Must be one of: [/parentId, /pathPart]",
      400,
    );
    await rejects(
      client.send(
        new UpdateResourceCommand({
          restApiId: apiId,
          resourceId: pets.id,
          patchOperations: [{ op: "add", path: "/pathPart", value: "x" }],
        }),
      ),
      "BadRequestException",
      "Invalid patch path  '/pathPart' specified for op 'add'. Please choose supported operations",
      400,
    );
    await rejects(
      client.send(
        new UpdateResourceCommand({
          restApiId: apiId,
          resourceId: rootId,
          patchOperations: [{ op: "replace", path: "/pathPart", value: "x" }],
        }),
      ),
      "BadRequestException",
      "Root resource cannot update its pathPart.",
      400,
    );
    await rejects(
      client.send(new CreateResourceCommand({ restApiId: apiId, parentId: "nope00", pathPart: "x" })),
      "NotFoundException",
      "Invalid Resource identifier specified",
      404,
    );
  });
});
