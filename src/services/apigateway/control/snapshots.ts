/**
 * What the data plane reads (snapshot.ts's RestApiSnapshots): a stage with the deployment it serves,
 * API keys by value, the usage plans of a stage, and the API's current configuration for
 * TestInvokeMethod. All reads, no writes.
 */
import type { KvReader } from "../../../storage/kv.ts";
import type { RestApiSnapshots } from "../snapshot.ts";
import { snapshotOf } from "./deployments.ts";
import {
  listApiKeys,
  listUsagePlans,
  readApi,
  readApiForServing,
  readDeploymentForServing,
} from "./store.ts";

export const restApiSnapshots: Required<RestApiSnapshots> = {
  async stageSnapshot(reader, accountId, region, apiId, stageName) {
    const state = await readApiForServing(reader, accountId, region, apiId);
    const stage = state?.stages[stageName];
    if (stage === undefined) return undefined;
    const deployment = await readDeploymentForServing(reader, accountId, region, apiId, stage.deploymentId);
    return deployment === undefined ? undefined : { stage, deployment };
  },

  async apiKeyByValue(reader: KvReader, accountId, region, value) {
    return (await listApiKeys(reader, accountId, region)).find((key) => key.value === value);
  },

  async usagePlansForStage(reader, accountId, region, apiId, stageName) {
    return (await listUsagePlans(reader, accountId, region))
      .filter((state) =>
        ((state.plan.apiStages as { apiId: string; stage: string }[] | undefined) ?? []).some(
          (s) => s.apiId === apiId && s.stage === stageName,
        ),
      )
      .map((state) => ({ plan: state.plan, keyIds: [...state.keyIds] }));
  },

  async currentSnapshot(reader, accountId, region, apiId) {
    const state = await readApi(reader, accountId, region, apiId);
    return state === undefined ? undefined : snapshotOf(state, "");
  },
};
