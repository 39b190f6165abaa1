/**
 * Making deployments: a deployment freezes the API's routes, integrations and authorizers; a stage
 * serves the one it points to. Stages with autoDeploy get a fresh deployment (autoDeployed: true) after
 * every change to routes, integrations or authorizers — what AWS does for the `$default` stage of a
 * quick-created API and for any stage created with AutoDeploy.
 *
 * Texts: "Successfully deployed stage with deployment ID '{id}'" is the stage's
 * lastDeploymentStatusMessage as AWS writes it (get-stage outputs quoted in AWS re:Post threads); the
 * automatic deployment's description "Automatic deployment triggered by changes to the Api
 * configuration" likewise. The failure message of an automatic deployment is unconfirmed.
 */
import type { KvTransaction } from "../../../storage/kv.ts";
import type { AuthorizerRecord, IntegrationRecord, RouteRecord } from "../snapshot.ts";
import { noRoutesToDeploy } from "./errors.ts";
import { childId, type StoredDeployment, type StoredStage } from "./records.ts";
import { type ApiScope, listChildren, putChild } from "./store.ts";

export const AUTO_DEPLOY_DESCRIPTION = "Automatic deployment triggered by changes to the Api configuration";

/** Freezes the API as it is into a new deployment; AWS refuses when the API has no route. */
export async function createDeploymentRecord(
  tx: KvTransaction,
  scope: ApiScope,
  createdDate: string,
  options: { description?: string; autoDeployed: boolean },
): Promise<StoredDeployment> {
  const routes = await listChildren<RouteRecord>(tx, scope, "route");
  if (routes.length === 0) throw noRoutesToDeploy();
  const integrations: Record<string, IntegrationRecord> = {};
  for (const integration of await listChildren<IntegrationRecord>(tx, scope, "integration")) {
    integrations[integration.integrationId] = integration;
  }
  const authorizers: Record<string, AuthorizerRecord> = {};
  for (const authorizer of await listChildren<AuthorizerRecord>(tx, scope, "authorizer")) {
    authorizers[authorizer.authorizerId] = authorizer;
  }
  const deployment: StoredDeployment = {
    deploymentId: childId(6),
    createdDate,
    deploymentStatus: "DEPLOYED",
    autoDeployed: options.autoDeployed,
    ...(options.description === undefined ? {} : { description: options.description }),
    snapshot: { routes, integrations, authorizers },
  };
  putChild(tx, scope, "deployment", deployment.deploymentId, deployment);
  return deployment;
}

/** Points the stage at the deployment (the stage is written by the caller or here). */
export function pointStage(stage: StoredStage, deploymentId: string, now: string): StoredStage {
  return {
    ...stage,
    deploymentId,
    lastUpdatedDate: now,
    lastDeploymentStatusMessage: `Successfully deployed stage with deployment ID '${deploymentId}'`,
  };
}

/** Deploys one auto-deploy stage now; an API without routes leaves the stage on its old deployment. */
export async function autoDeployStage(
  tx: KvTransaction,
  scope: ApiScope,
  stage: StoredStage,
  now: string,
): Promise<StoredStage> {
  const routes = await listChildren<RouteRecord>(tx, scope, "route");
  if (routes.length === 0) {
    return {
      ...stage,
      lastDeploymentStatusMessage:
        "Deployment attempt failed: Unable to deploy API because no routes exist in this API",
    };
  }
  const deployment = await createDeploymentRecord(tx, scope, now, {
    autoDeployed: true,
    description: AUTO_DEPLOY_DESCRIPTION,
  });
  return pointStage(stage, deployment.deploymentId, now);
}

/** After a change to routes, integrations or authorizers: redeploys every auto-deploy stage. */
export async function autoDeploy(tx: KvTransaction, scope: ApiScope, now: string): Promise<void> {
  for (const stage of await listChildren<StoredStage>(tx, scope, "stage")) {
    if (stage.autoDeploy !== true) continue;
    const updated = await autoDeployStage(tx, scope, stage, now);
    putChild(tx, scope, "stage", stage.stageName, updated);
  }
}
