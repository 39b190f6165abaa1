/**
 * Documentation parts: CreateDocumentationPart (201), GetDocumentationPart, GetDocumentationParts
 * (type, path, name filters), UpdateDocumentationPart (replace /properties), DeleteDocumentationPart
 * (202). `properties` is a JSON string, answered as given. Texts recorded against AWS (LocalStack's
 * TestApiGatewayApiDocumentationPart snapshots), including coral's enum order for location.type.
 *
 * ## Gaps
 * - Documentation versions, ImportDocumentationParts and x-amazon-apigateway-documentation in
 *   OpenAPI documents are not implemented; two parts for one location are not refused.
 */
import type { KvStore } from "../../../storage/kv.ts";
import { randomId } from "../../execute-api/api-ids.ts";
import type { OperationHandler } from "../../service.ts";
import { badRequest, enumViolation, notFound, validationErrors } from "./errors.ts";
import { defined, type Json, limitOf, operation, page, str } from "./http.ts";
import { patchOperations, unsupportedPatch } from "./patch.ts";
import { editApi, readApi, requireApi } from "./store.ts";

const LOCATION_TYPES = [
  "RESPONSE_BODY",
  "RESPONSE",
  "METHOD",
  "MODEL",
  "AUTHORIZER",
  "RESPONSE_HEADER",
  "RESOURCE",
  "PATH_PARAMETER",
  "REQUEST_BODY",
  "QUERY_PARAMETER",
  "API",
  "REQUEST_HEADER",
];

const partNotFound = () => notFound("Invalid Documentation part identifier specified");

function locationOf(body: Json): Json {
  const raw = body.location;
  const location = raw !== null && typeof raw === "object" && !Array.isArray(raw) ? (raw as Json) : {};
  const type = str(location, "type");
  if (type === undefined) {
    throw validationErrors([
      "Value null at 'createDocumentationPartInput.location.type' failed to satisfy constraint: Member must not be null",
    ]);
  }
  if (!LOCATION_TYPES.includes(type)) {
    throw validationErrors([
      enumViolation(type, "createDocumentationPartInput.location.type", LOCATION_TYPES),
    ]);
  }
  return defined({
    method: str(location, "method"),
    name: str(location, "name"),
    path: str(location, "path"),
    statusCode: str(location, "statusCode"),
    type,
  });
}

function checkProperties(value: string | undefined): string {
  try {
    const parsed = value === undefined ? undefined : JSON.parse(value);
    if (parsed !== null && typeof parsed === "object" && !Array.isArray(parsed)) return value as string;
  } catch {
    // answered below
  }
  throw badRequest("Documentation part properties must be a JSON object");
}

export function documentationPartOperations(storage: KvStore): Record<string, OperationHandler> {
  return {
    CreateDocumentationPart: operation(async (request) => {
      const { accountId, region } = request.context;
      const apiId = request.label("restapi_id");
      await requireApi(storage, accountId, region, apiId);
      const part = {
        id: randomId(6),
        location: locationOf(request.body),
        properties: checkProperties(str(request.body, "properties")),
      };
      await editApi(storage, accountId, region, apiId, (state) => {
        state.documentationParts = { ...(state.documentationParts ?? {}), [part.id]: part };
      });
      return { status: 201, body: part };
    }),

    GetDocumentationPart: operation(async (request) => {
      const { accountId, region } = request.context;
      const state = await readApi(storage, accountId, region, request.label("restapi_id"));
      const part = state?.documentationParts?.[request.label("part_id")];
      if (part === undefined) throw partNotFound();
      return { body: part };
    }),

    GetDocumentationParts: operation(async (request) => {
      const { accountId, region } = request.context;
      const state = await requireApi(storage, accountId, region, request.label("restapi_id"));
      const type = request.query("type");
      const path = request.query("path");
      const name = request.query("name");
      const items = Object.values(state.documentationParts ?? {}).filter((part) => {
        const location = part.location as Json;
        return (
          (type === undefined || location.type === type) &&
          (path === undefined || location.path === path) &&
          (name === undefined || String(location.name ?? "").startsWith(name))
        );
      });
      return { body: page(items, request.query("position"), limitOf(request)) };
    }),

    UpdateDocumentationPart: operation(async (request) => {
      const { accountId, region } = request.context;
      const ops = patchOperations(request.body, "updateDocumentationPartInput");
      const id = request.label("part_id");
      const out = await editApi(
        storage,
        accountId,
        region,
        request.label("restapi_id"),
        (state) => {
          const current = state.documentationParts?.[id];
          if (current === undefined) throw partNotFound();
          const next = { ...current };
          for (const op of ops) {
            if (op.op !== "replace" || op.path !== "/properties") throw unsupportedPatch(op, ["/properties"]);
            next.properties = checkProperties(op.value);
          }
          state.documentationParts = { ...(state.documentationParts ?? {}), [id]: next };
          return next;
        },
        partNotFound,
      );
      return { body: out };
    }),

    DeleteDocumentationPart: operation(async (request) => {
      const { accountId, region } = request.context;
      const id = request.label("part_id");
      await editApi(storage, accountId, region, request.label("restapi_id"), (state) => {
        if (state.documentationParts?.[id] === undefined) throw partNotFound();
        delete state.documentationParts[id];
      });
      return { status: 202 };
    }),
  };
}
