/**
 * Resources: CreateResource (201), GetResource, GetResources (embed=methods), UpdateResource (replace
 * /parentId, /pathPart), DeleteResource (202, with its descendants).
 *
 * Path-part rules and texts recorded against AWS (LocalStack's test_apigateway_api snapshots): one
 * variable part ({name} or {name+}) per parent, no children under a greedy {name+}, unique names per
 * parent, no cycles, the root keeps its place. The path-part character rule's text is moto's.
 */
import type { KvStore } from "../../../storage/kv.ts";
import { randomId } from "../../execute-api/api-ids.ts";
import type { OperationHandler } from "../../service.ts";
import type { ResourceRecord } from "../snapshot.ts";
import { badRequest, conflict, resourceNotFound } from "./errors.ts";
import { type Json, limitOf, operation, page, str } from "./http.ts";
import { type PatchOperation, patchOperations, unsupportedPatch } from "./patch.ts";
import { type ApiState, readApi, requireApi, resourcePath, resourcesByPath, writeApi } from "./store.ts";

const PATH_PART = /^(\{[a-zA-Z0-9._-]+\+?\}|[a-zA-Z0-9._:-]+)$/;

const isVariable = (pathPart: string | undefined) => pathPart?.startsWith("{") ?? false;
const isGreedy = (pathPart: string | undefined) => pathPart?.endsWith("+}") ?? false;

/** A resource as API Gateway answers it; methods in full with embed=methods, else as `{}` each. */
export function resourceView(state: ApiState, resource: ResourceRecord, embedMethods: boolean): Json {
  const out: Json = { id: resource.id };
  if (resource.parentId !== undefined) out.parentId = resource.parentId;
  if (resource.pathPart !== undefined) out.pathPart = resource.pathPart;
  out.path = resourcePath(state, resource.id);
  const methods = resource.resourceMethods ?? {};
  if (Object.keys(methods).length > 0) {
    out.resourceMethods = Object.fromEntries(
      Object.entries(methods).map(([verb, method]) => [verb, embedMethods ? method : {}]),
    );
  }
  return out;
}

/** The API's resource, or "Invalid Resource identifier specified" (also for an unknown API). */
export async function requireResource(
  reader: Parameters<typeof readApi>[0],
  accountId: string,
  region: string,
  apiId: string,
  resourceId: string,
): Promise<{ state: ApiState; resource: ResourceRecord }> {
  const state = await readApi(reader, accountId, region, apiId);
  const resource = state?.resources[resourceId];
  if (state === undefined || resource === undefined) throw resourceNotFound();
  return { state, resource };
}

function checkPathPart(pathPart: string | undefined): string {
  if (pathPart === undefined || !PATH_PART.test(pathPart)) {
    throw badRequest(
      "Resource's path part only allow a-zA-Z0-9._- and curly braces at the beginning and the end and an optional plus sign before the closing brace.",
    );
  }
  return pathPart;
}

/** The placement rules for `pathPart` under `parentId` (ignoring the resource itself when it moves). */
function checkPlacement(state: ApiState, parentId: string, pathPart: string, selfId?: string): void {
  const parent = state.resources[parentId];
  if (parent === undefined) throw resourceNotFound();
  if (isGreedy(parent.pathPart)) {
    throw badRequest(`Cannot create a child of a resource with a greedy path variable: ${parent.pathPart}`);
  }
  for (const sibling of Object.values(state.resources)) {
    if (sibling.parentId !== parentId || sibling.id === selfId) continue;
    if (sibling.pathPart === pathPart) {
      throw conflict(`Another resource with the same parent already has this name: ${pathPart}`);
    }
    if (isVariable(pathPart) && isVariable(sibling.pathPart)) {
      throw badRequest(
        `A sibling (${sibling.pathPart}) of this resource already has a variable path part -- only one is allowed`,
      );
    }
  }
}

function applyResourcePatch(state: ApiState, resource: ResourceRecord, op: PatchOperation): void {
  const paths = ["/parentId", "/pathPart"];
  if (op.op !== "replace" || !paths.includes(op.path ?? "")) throw unsupportedPatch(op, paths);
  const isRoot = resource.parentId === undefined;
  if (op.path === "/pathPart") {
    if (isRoot) throw badRequest("Root resource cannot update its pathPart.");
    const pathPart = checkPathPart(op.value);
    checkPlacement(state, resource.parentId as string, pathPart, resource.id);
    resource.pathPart = pathPart;
    return;
  }
  if (isRoot) throw badRequest("Root resource cannot update its parentId.");
  const parentId = op.value ?? "";
  if (state.resources[parentId] === undefined) throw resourceNotFound();
  for (let at: string | undefined = parentId; at !== undefined; at = state.resources[at]?.parentId) {
    if (at === resource.id) throw badRequest("Resources cannot be cyclical.");
  }
  checkPlacement(state, parentId, resource.pathPart as string, resource.id);
  resource.parentId = parentId;
}

export function resourceOperations(storage: KvStore): Record<string, OperationHandler> {
  return {
    CreateResource: operation(async (request) => {
      const { accountId, region } = request.context;
      const pathPart = checkPathPart(str(request.body, "pathPart"));
      const out = await storage.transaction(async (tx) => {
        const { state, resource: parent } = await requireResource(
          tx,
          accountId,
          region,
          request.label("restapi_id"),
          request.label("parent_id"),
        );
        checkPlacement(state, parent.id, pathPart);
        const resource: ResourceRecord = { id: randomId(6), parentId: parent.id, pathPart, path: "" };
        state.resources[resource.id] = resource;
        writeApi(tx, accountId, region, state);
        return resourceView(state, resource, false);
      });
      return { status: 201, body: out };
    }),

    GetResource: operation(async (request) => {
      const { accountId, region } = request.context;
      const { state, resource } = await requireResource(
        storage,
        accountId,
        region,
        request.label("restapi_id"),
        request.label("resource_id"),
      );
      return { body: resourceView(state, resource, request.queryAll("embed").includes("methods")) };
    }),

    GetResources: operation(async (request) => {
      const { accountId, region } = request.context;
      const state = await requireApi(storage, accountId, region, request.label("restapi_id"));
      const embed = request.queryAll("embed").some((e) => e.split(",").includes("methods"));
      const items = resourcesByPath(state).map((resource) => resourceView(state, resource, embed));
      return { body: page(items, request.query("position"), limitOf(request)) };
    }),

    UpdateResource: operation(async (request) => {
      const { accountId, region } = request.context;
      const ops = patchOperations(request.body, "updateResourceInput");
      const out = await storage.transaction(async (tx) => {
        const { state, resource } = await requireResource(
          tx,
          accountId,
          region,
          request.label("restapi_id"),
          request.label("resource_id"),
        );
        for (const op of ops) applyResourcePatch(state, resource, op);
        writeApi(tx, accountId, region, state);
        return resourceView(state, resource, false);
      });
      return { body: out };
    }),

    DeleteResource: operation(async (request) => {
      const { accountId, region } = request.context;
      await storage.transaction(async (tx) => {
        const { state, resource } = await requireResource(
          tx,
          accountId,
          region,
          request.label("restapi_id"),
          request.label("resource_id"),
        );
        if (resource.parentId === undefined) throw badRequest("Cannot delete root resource");
        const doomed = new Set([resource.id]);
        // Descendants: repeat until no resource's parent is newly doomed.
        for (let grew = true; grew; ) {
          grew = false;
          for (const candidate of Object.values(state.resources)) {
            if (
              candidate.parentId !== undefined &&
              doomed.has(candidate.parentId) &&
              !doomed.has(candidate.id)
            ) {
              doomed.add(candidate.id);
              grew = true;
            }
          }
        }
        for (const id of doomed) delete state.resources[id];
        writeApi(tx, accountId, region, state);
      });
      return { status: 202 };
    }),
  };
}
