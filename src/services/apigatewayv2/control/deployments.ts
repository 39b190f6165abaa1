/**
 * Deployments: CreateDeployment (201; with StageName it also points that stage at the new deployment),
 * GetDeployment, GetDeployments, UpdateDeployment (description), DeleteDeployment (204; refused while a
 * stage serves it). Automatic deployments are made in deploy.ts.
 *
 * Texts: "Active stages pointing to this deployment must be moved or deleted" is API Gateway v1's
 * recorded text, assumed for v2 (unconfirmed).
 */
import type { RequestContext } from "../../../aws/context.ts";
import type { RestJsonResult } from "../../../aws/protocols/rest-json-operation.ts";
import type { KvStore } from "../../../storage/kv.ts";
import { createDeploymentRecord, pointStage } from "./deploy.ts";
import { badRequest, deploymentNotFound, stageNotFound } from "./errors.ts";
import { optString } from "./input.ts";
import {
  deploymentAnswer,
  nowIso,
  page,
  requireApi,
  type StoredDeployment,
  type StoredStage,
  scopeOf,
} from "./records.ts";
import { deleteChild, getChild, listChildren, putChild } from "./store.ts";

type Body = Record<string, unknown> & { ApiId: string; DeploymentId?: string };

export function deploymentOperations(store: KvStore) {
  return {
    CreateDeployment: async (body: Body, context: RequestContext): Promise<RestJsonResult> => {
      const scope = scopeOf(context, body.ApiId);
      const now = nowIso(context);
      const deployment = await store.transaction(async (tx) => {
        await requireApi(tx, scope);
        const stageName = optString(body, "stageName");
        const stage =
          stageName === undefined ? undefined : await getChild<StoredStage>(tx, scope, "stage", stageName);
        if (stageName !== undefined && stage === undefined) throw stageNotFound(stageName);
        const description = optString(body, "description");
        const record = await createDeploymentRecord(tx, scope, now, {
          autoDeployed: false,
          ...(description === undefined ? {} : { description }),
        });
        if (stage !== undefined)
          putChild(tx, scope, "stage", stage.stageName, pointStage(stage, record.deploymentId, now));
        return record;
      });
      return { status: 201, body: deploymentAnswer(deployment) };
    },
    GetDeployment: async (body: Body, context: RequestContext): Promise<RestJsonResult> => {
      const scope = scopeOf(context, body.ApiId);
      await requireApi(store, scope);
      const id = body.DeploymentId ?? "";
      const deployment = await getChild<StoredDeployment>(store, scope, "deployment", id);
      if (deployment === undefined) throw deploymentNotFound(id);
      return { body: deploymentAnswer(deployment) };
    },
    GetDeployments: async (body: Body, context: RequestContext): Promise<RestJsonResult> => {
      const scope = scopeOf(context, body.ApiId);
      await requireApi(store, scope);
      const all = await listChildren<StoredDeployment>(store, scope, "deployment");
      const items = all.sort((a, b) => a.createdDate.localeCompare(b.createdDate)).map(deploymentAnswer);
      return { body: page(items, body.MaxResults, body.NextToken) };
    },
    UpdateDeployment: async (body: Body, context: RequestContext): Promise<RestJsonResult> => {
      const scope = scopeOf(context, body.ApiId);
      const deployment = await store.transaction(async (tx) => {
        await requireApi(tx, scope);
        const id = body.DeploymentId ?? "";
        const current = await getChild<StoredDeployment>(tx, scope, "deployment", id);
        if (current === undefined) throw deploymentNotFound(id);
        const description = optString(body, "description");
        const record = description === undefined ? current : { ...current, description };
        putChild(tx, scope, "deployment", id, record);
        return record;
      });
      return { body: deploymentAnswer(deployment) };
    },
    DeleteDeployment: async (body: Body, context: RequestContext): Promise<RestJsonResult> => {
      const scope = scopeOf(context, body.ApiId);
      await store.transaction(async (tx) => {
        await requireApi(tx, scope);
        const id = body.DeploymentId ?? "";
        if ((await getChild(tx, scope, "deployment", id)) === undefined) throw deploymentNotFound(id);
        const stages = await listChildren<StoredStage>(tx, scope, "stage");
        if (stages.some((stage) => stage.deploymentId === id)) {
          throw badRequest("Active stages pointing to this deployment must be moved or deleted");
        }
        deleteChild(tx, scope, "deployment", id);
      });
      return { status: 204 };
    },
  };
}
