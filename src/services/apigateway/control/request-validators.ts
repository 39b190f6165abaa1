/**
 * Request validators: CreateRequestValidator (201), GetRequestValidator(s), UpdateRequestValidator
 * (replace /name, /validateRequestParameters, /validateRequestBody), DeleteRequestValidator (202).
 * Both flags default to false. Texts recorded against AWS (LocalStack's
 * TestApiGatewayApiRequestValidator snapshots), including the unknown-API answers: Create says
 * "Invalid REST API identifier specified" (400), Get and Delete name the validator.
 */
import type { KvStore } from "../../../storage/kv.ts";
import { randomId } from "../../execute-api/api-ids.ts";
import type { OperationHandler } from "../../service.ts";
import { badRequest, validatorNotFound } from "./errors.ts";
import { bool, defined, type Json, limitOf, operation, page, str } from "./http.ts";
import { patchBool, patchOperations, unsupportedPatch } from "./patch.ts";
import { editApi, readApi, requireApi } from "./store.ts";

export function buildRequestValidator(body: Json): Json {
  return defined({
    id: randomId(6),
    name: str(body, "name"),
    validateRequestBody: bool(body, "validateRequestBody") ?? false,
    validateRequestParameters: bool(body, "validateRequestParameters") ?? false,
  });
}

export function requestValidatorOperations(storage: KvStore): Record<string, OperationHandler> {
  return {
    CreateRequestValidator: operation(async (request) => {
      const { accountId, region } = request.context;
      const validator = buildRequestValidator(request.body);
      await editApi(
        storage,
        accountId,
        region,
        request.label("restapi_id"),
        (state) => {
          state.requestValidators[String(validator.id)] = validator;
        },
        () => badRequest("Invalid REST API identifier specified"),
      );
      return { status: 201, body: validator };
    }),

    GetRequestValidator: operation(async (request) => {
      const { accountId, region } = request.context;
      const state = await readApi(storage, accountId, region, request.label("restapi_id"));
      const validator = state?.requestValidators[request.label("requestvalidator_id")];
      if (validator === undefined) throw validatorNotFound();
      return { body: validator };
    }),

    GetRequestValidators: operation(async (request) => {
      const { accountId, region } = request.context;
      const state = await requireApi(storage, accountId, region, request.label("restapi_id"));
      const items = Object.values(state.requestValidators);
      return { body: page(items, request.query("position"), limitOf(request)) };
    }),

    UpdateRequestValidator: operation(async (request) => {
      const { accountId, region } = request.context;
      const ops = patchOperations(request.body, "updateRequestValidatorInput");
      const id = request.label("requestvalidator_id");
      const out = await editApi(
        storage,
        accountId,
        region,
        request.label("restapi_id"),
        (state) => {
          const current = state.requestValidators[id];
          if (current === undefined) throw validatorNotFound();
          const next = { ...current };
          const paths = ["/name", "/validateRequestParameters", "/validateRequestBody"];
          for (const op of ops) {
            if (op.op !== "replace" || !paths.includes(op.path ?? "")) throw unsupportedPatch(op, paths);
            if (op.path === "/name") {
              if (!op.value) throw badRequest("Request Validator name cannot be blank");
              next.name = op.value;
            } else next[(op.path as string).slice(1)] = patchBool(op);
          }
          state.requestValidators[id] = next;
          return next;
        },
        validatorNotFound,
      );
      return { body: out };
    }),

    DeleteRequestValidator: operation(async (request) => {
      const { accountId, region } = request.context;
      const id = request.label("requestvalidator_id");
      await editApi(
        storage,
        accountId,
        region,
        request.label("restapi_id"),
        (state) => {
          if (state.requestValidators[id] === undefined) throw validatorNotFound();
          delete state.requestValidators[id];
        },
        validatorNotFound,
      );
      return { status: 202 };
    }),
  };
}
