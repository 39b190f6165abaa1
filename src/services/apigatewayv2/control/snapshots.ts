/**
 * The control plane's side of ../snapshot.ts: what a stage serves is the API record (for CORS and
 * disableExecuteApiEndpoint, live), the stage and the deployment it points to (frozen routes,
 * integrations, authorizers).
 */
import type { KvReader } from "../../../storage/kv.ts";
import type { HttpApiSnapshots, HttpApiStageSnapshot } from "../snapshot.ts";
import type { StoredApi, StoredDeployment, StoredStage } from "./records.ts";
import { getApiForServing, getChildForServing } from "./store.ts";

export const httpApiSnapshots: HttpApiSnapshots = {
  async stageSnapshot(
    reader: KvReader,
    accountId: string,
    region: string,
    apiId: string,
    stageName: string,
  ): Promise<HttpApiStageSnapshot | undefined> {
    const scope = { accountId, region, apiId };
    const api = await getApiForServing<StoredApi>(reader, scope);
    if (api === undefined) return undefined;
    const stage = await getChildForServing<StoredStage>(reader, scope, "stage", stageName);
    if (stage?.deploymentId === undefined) return undefined;
    const deployment = await getChildForServing<StoredDeployment>(
      reader,
      scope,
      "deployment",
      stage.deploymentId,
    );
    if (deployment === undefined) return undefined;
    return {
      api,
      stage,
      deploymentId: deployment.deploymentId,
      routes: deployment.snapshot.routes,
      integrations: deployment.snapshot.integrations,
      authorizers: deployment.snapshot.authorizers,
    };
  },
  async hasStage(reader, accountId, region, apiId, stageName) {
    const scope = { accountId, region, apiId };
    return (await getChildForServing<StoredStage>(reader, scope, "stage", stageName)) !== undefined;
  },
};
