/**
 * Deployments: CreateDeployment (201; with stageName it creates the stage or points it at the new
 * deployment), GetDeployment, GetDeployments, UpdateDeployment (replace /description),
 * DeleteDeployment (202; refused while a stage serves it).
 *
 * A deployment freezes the API's resources, methods, integrations, authorizers, models, validators and
 * gateway responses into a RestApiDeploymentSnapshot (snapshot.ts): edits after it change nothing a
 * stage serves until the next deployment, as on AWS.
 *
 * Texts: "The REST API doesn't contain any methods" and "No integration defined for method"
 * (BadRequestException, as users of Terraform and CloudFormation report them from AWS); "Active stages
 * pointing to this deployment must be moved or deleted" is AWS's DeleteDeployment refusal.
 */
import type { KvStore } from "../../../storage/kv.ts";
import { randomId } from "../../execute-api/api-ids.ts";
import type { OperationHandler } from "../../service.ts";
import type { RestApiDeploymentSnapshot, StageRecord } from "../snapshot.ts";
import { badRequest, deploymentNotFound } from "./errors.ts";
import { bool, defined, type Json, limitOf, operation, page, str, stringMap } from "./http.ts";
import { invalidPatchPath, patchOperations } from "./patch.ts";
import { checkStageName, checkVariables, newStage } from "./stages.ts";
import {
  type ApiState,
  deleteDeploymentSnapshot,
  editApi,
  requireApi,
  resourcesByPath,
  writeApi,
  writeDeploymentSnapshot,
} from "./store.ts";

/** The API's configuration as a deployment would freeze it (also the "current" snapshot). */
export function snapshotOf(state: ApiState, deploymentId: string): RestApiDeploymentSnapshot {
  return structuredClone({
    api: state.api,
    deploymentId,
    resources: resourcesByPath(state),
    authorizers: state.authorizers,
    models: state.models,
    requestValidators: state.requestValidators,
    gatewayResponses: state.gatewayResponses,
  });
}

function checkDeployable(state: ApiState): void {
  const methods = Object.values(state.resources).flatMap((r) => Object.values(r.resourceMethods ?? {}));
  if (methods.length === 0) throw badRequest("The REST API doesn't contain any methods");
  if (methods.some((m) => m.methodIntegration === undefined))
    throw badRequest("No integration defined for method");
}

export function deploymentOperations(storage: KvStore): Record<string, OperationHandler> {
  return {
    CreateDeployment: operation(async (request) => {
      const { accountId, region } = request.context;
      const apiId = request.label("restapi_id");
      const body = request.body;
      const stageName = str(body, "stageName");
      if (stageName !== undefined) checkStageName(stageName);
      const variables = stringMap(body, "variables");
      if (variables !== undefined) checkVariables(variables);
      const now = request.nowSeconds();
      const deployment = await storage.transaction(async (tx) => {
        const state = await requireApi(tx, accountId, region, apiId);
        checkDeployable(state);
        const id = randomId(6);
        const created = defined({ id, description: str(body, "description"), createdDate: now });
        state.deployments[id] = created;
        writeDeploymentSnapshot(tx, accountId, region, snapshotOf(state, id));
        if (stageName !== undefined) {
          const existing = state.stages[stageName];
          const stage: StageRecord = existing
            ? { ...existing, deploymentId: id, lastUpdatedDate: now }
            : newStage(
                {
                  stageName,
                  deploymentId: id,
                  description: str(body, "stageDescription"),
                  cacheClusterEnabled: bool(body, "cacheClusterEnabled"),
                  tracingEnabled: bool(body, "tracingEnabled"),
                },
                now,
              );
          if (variables !== undefined) stage.variables = { ...(stage.variables ?? {}), ...variables };
          state.stages[stageName] = stage;
        }
        writeApi(tx, accountId, region, state);
        return created;
      });
      return { status: 201, body: deployment };
    }),

    GetDeployment: operation(async (request) => {
      const { accountId, region } = request.context;
      const state = await requireApi(storage, accountId, region, request.label("restapi_id"));
      const deployment = state.deployments[request.label("deployment_id")];
      if (deployment === undefined) throw deploymentNotFound();
      return { body: deployment };
    }),

    GetDeployments: operation(async (request) => {
      const { accountId, region } = request.context;
      const state = await requireApi(storage, accountId, region, request.label("restapi_id"));
      const items = Object.values(state.deployments).sort(
        (a, b) => Number(a.createdDate) - Number(b.createdDate),
      );
      return { body: page(items, request.query("position"), limitOf(request)) };
    }),

    UpdateDeployment: operation(async (request) => {
      const { accountId, region } = request.context;
      const ops = patchOperations(request.body, "updateDeploymentInput");
      const out = await editApi(storage, accountId, region, request.label("restapi_id"), (state) => {
        const id = request.label("deployment_id");
        const current = state.deployments[id];
        if (current === undefined) throw deploymentNotFound();
        const next: Json = { ...current };
        for (const op of ops) {
          if (op.path !== "/description") throw invalidPatchPath(op.path);
          if (op.op === "remove" || !op.value) delete next.description;
          else next.description = op.value;
        }
        state.deployments[id] = next;
        return next;
      });
      return { body: out };
    }),

    DeleteDeployment: operation(async (request) => {
      const { accountId, region } = request.context;
      const apiId = request.label("restapi_id");
      const id = request.label("deployment_id");
      await storage.transaction(async (tx) => {
        const state = await requireApi(tx, accountId, region, apiId);
        if (state.deployments[id] === undefined) throw deploymentNotFound();
        if (Object.values(state.stages).some((stage) => stage.deploymentId === id)) {
          throw badRequest("Active stages pointing to this deployment must be moved or deleted");
        }
        delete state.deployments[id];
        deleteDeploymentSnapshot(tx, accountId, region, apiId, id);
        writeApi(tx, accountId, region, state);
      });
      return { status: 202 };
    }),
  };
}
