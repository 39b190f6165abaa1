/**
 * Authorizers: CreateAuthorizer (201), GetAuthorizer, GetAuthorizers, UpdateAuthorizer,
 * DeleteAuthorizer (202). TOKEN, REQUEST and COGNITO_USER_POOLS authorizers are stored alike;
 * authorizerResultTtlInSeconds defaults to 300 as on AWS. The data plane runs TOKEN and REQUEST
 * authorizers (Lambda); methods cannot use COGNITO_USER_POOLS yet (methods.ts).
 *
 * CreateAuthorizer on an unknown API answers the ConflictException AWS answers (recorded in
 * LocalStack's test_authorizer_crud_no_api snapshot); the other operations name the API.
 */
import type { KvStore } from "../../../storage/kv.ts";
import { randomId } from "../../execute-api/api-ids.ts";
import type { OperationHandler } from "../../service.ts";
import { authorizerNotFound, badRequest, conflict, enumViolation, validationErrors } from "./errors.ts";
import { defined, int, type Json, limitOf, operation, page, str, stringList } from "./http.ts";
import { invalidPatchPath, type PatchOperation, patchOperations } from "./patch.ts";
import { editApi, requireApi } from "./store.ts";

const TYPES = ["TOKEN", "REQUEST", "COGNITO_USER_POOLS"];
const TTL_SECONDS_MAX = 3600;

function checkTtl(ttl: number | undefined): number {
  if (ttl === undefined) return 300;
  if (ttl < 0 || ttl > TTL_SECONDS_MAX) {
    throw badRequest(
      `Invalid Authorizer TTL specified. Value must be between 0 and ${TTL_SECONDS_MAX} seconds`,
    );
  }
  return ttl;
}

export function buildAuthorizer(body: Json, id = randomId(6)): Json {
  const name = str(body, "name");
  const type = str(body, "type");
  const messages: string[] = [];
  if (name === undefined) {
    messages.push(
      "Value null at 'createAuthorizerInput.name' failed to satisfy constraint: Member must not be null",
    );
  }
  if (type === undefined) {
    messages.push(
      "Value null at 'createAuthorizerInput.type' failed to satisfy constraint: Member must not be null",
    );
  } else if (!TYPES.includes(type)) {
    messages.push(enumViolation(type, "createAuthorizerInput.type", TYPES));
  }
  if (messages.length > 0) throw validationErrors(messages);
  return defined({
    id,
    name,
    type,
    providerARNs: stringList(body, "providerARNs"),
    authType: str(body, "authType"),
    authorizerUri: str(body, "authorizerUri"),
    authorizerCredentials: str(body, "authorizerCredentials"),
    identitySource: str(body, "identitySource"),
    identityValidationExpression: str(body, "identityValidationExpression"),
    authorizerResultTtlInSeconds: checkTtl(int(body, "authorizerResultTtlInSeconds")),
  });
}

function applyAuthorizerPatch(authorizer: Json, op: PatchOperation): void {
  const scalars = [
    "/name",
    "/type",
    "/authType",
    "/authorizerUri",
    "/authorizerCredentials",
    "/identitySource",
    "/identityValidationExpression",
    "/authorizerResultTtlInSeconds",
  ];
  if (op.path !== undefined && scalars.includes(op.path)) {
    const key = op.path.slice(1);
    if (key === "authorizerResultTtlInSeconds") authorizer[key] = checkTtl(Number(op.value ?? "300"));
    else if (key === "type" && !TYPES.includes(op.value ?? "")) {
      throw badRequest(`Invalid authorizer type specified. Valid options are ${TYPES.join(",")}`);
    } else if (op.op === "remove" || op.value === undefined) delete authorizer[key];
    else authorizer[key] = op.value;
    return;
  }
  if (op.path?.startsWith("/providerARNs")) {
    const arns = new Set((authorizer.providerARNs as string[] | undefined) ?? []);
    if (op.op === "add" && op.value) arns.add(op.value);
    else if (op.op === "remove" && op.value) arns.delete(op.value);
    authorizer.providerARNs = [...arns];
    return;
  }
  throw invalidPatchPath(op.path);
}

export function authorizerOperations(storage: KvStore): Record<string, OperationHandler> {
  return {
    CreateAuthorizer: operation(async (request) => {
      const { accountId, region } = request.context;
      const authorizer = buildAuthorizer(request.body);
      await editApi(
        storage,
        accountId,
        region,
        request.label("restapi_id"),
        (state) => {
          state.authorizers[String(authorizer.id)] = authorizer;
        },
        () =>
          conflict("Unable to complete operation due to concurrent modification. Please try again later."),
      );
      return { status: 201, body: authorizer };
    }),

    GetAuthorizer: operation(async (request) => {
      const { accountId, region } = request.context;
      const state = await requireApi(storage, accountId, region, request.label("restapi_id"));
      const authorizer = state.authorizers[request.label("authorizer_id")];
      if (authorizer === undefined) throw authorizerNotFound();
      return { body: authorizer };
    }),

    GetAuthorizers: operation(async (request) => {
      const { accountId, region } = request.context;
      const state = await requireApi(storage, accountId, region, request.label("restapi_id"));
      return { body: page(Object.values(state.authorizers), request.query("position"), limitOf(request)) };
    }),

    UpdateAuthorizer: operation(async (request) => {
      const { accountId, region } = request.context;
      const ops = patchOperations(request.body, "updateAuthorizerInput");
      const out = await editApi(storage, accountId, region, request.label("restapi_id"), (state) => {
        const current = state.authorizers[request.label("authorizer_id")];
        if (current === undefined) throw authorizerNotFound();
        const next = structuredClone(current);
        for (const op of ops) applyAuthorizerPatch(next, op);
        state.authorizers[String(next.id)] = next;
        return next;
      });
      return { body: out };
    }),

    DeleteAuthorizer: operation(async (request) => {
      const { accountId, region } = request.context;
      await editApi(storage, accountId, region, request.label("restapi_id"), (state) => {
        const id = request.label("authorizer_id");
        if (state.authorizers[id] === undefined) throw authorizerNotFound();
        delete state.authorizers[id];
      });
      return { status: 202 };
    }),
  };
}
