/**
 * AWS::ApiGateway::Deployment: CreateDeployment, which with StageName also creates (or moves) that
 * stage; StageDescription's settings go to that stage (description, cache cluster, tracing and
 * variables through CreateDeployment, the rest through UpdateStage). Update: the description in place
 * and the stage pointed at this deployment with StageDescription re-applied; RestApiId is
 * create-only. Delete removes the stage StageName made when it still serves this deployment (API
 * Gateway refuses to delete a deployment a stage serves), then the deployment.
 * Ref is the deployment id; GetAtt DeploymentId.
 */
import { isAwsError } from "../../../../aws/errors.ts";
import type { ProviderContext, ResourceProvider } from "../types.ts";
import { ignoringNotFound, mapPatch, type PatchOperation, replaceIfChanged } from "./calls.ts";
import {
  optBool,
  optObject,
  optString,
  optStringMap,
  type Properties,
  reqString,
  tagMap,
} from "./properties.ts";
import {
  accessLogPatch,
  accessLogSettingOf,
  methodSettingsPatch,
  stageWideSettingsPatch,
} from "./stage-settings.ts";
import { apiGatewayArn, retag } from "./tags.ts";

function stageDescription(props: Readonly<Properties>): Properties {
  return optObject(props as Properties, "StageDescription") ?? {};
}

/** StageDescription's members CreateDeployment cannot take, as UpdateStage operations. */
function stageSettingsPatch(description: Properties, deploymentId?: string): PatchOperation[] {
  const ops: PatchOperation[] = [];
  if (deploymentId !== undefined) ops.push({ op: "replace", path: "/deploymentId", value: deploymentId });
  const text = optString(description, "Description");
  if (text !== undefined && deploymentId !== undefined)
    ops.push({ op: "replace", path: "/description", value: text });
  for (const [name, path] of [
    ["CacheClusterSize", "/cacheClusterSize"],
    ["ClientCertificateId", "/clientCertificateId"],
    ["DocumentationVersion", "/documentationVersion"],
  ] as const) {
    ops.push(...replaceIfChanged(path, undefined, optString(description, name)));
  }
  if (deploymentId !== undefined) {
    for (const [name, path] of [
      ["CacheClusterEnabled", "/cacheClusterEnabled"],
      ["TracingEnabled", "/tracingEnabled"],
    ] as const) {
      ops.push(...replaceIfChanged(path, undefined, optBool(description, name)));
    }
    ops.push(...mapPatch("/variables", undefined, optStringMap(description, "Variables"), "replace"));
  }
  ops.push(...accessLogPatch(undefined, accessLogSettingOf(description)));
  ops.push(...stageWideSettingsPatch(description));
  ops.push(...methodSettingsPatch(undefined, description.MethodSettings));
  return ops;
}

/** Canary deployments are not served by Stratus's data plane: saying so beats pretending. */
function refuseCanary(props: Properties): void {
  if (props.DeploymentCanarySettings !== undefined || stageDescription(props).CanarySetting !== undefined) {
    throw new Error(
      "Canary deployments (DeploymentCanarySettings, CanarySetting) are not supported by Stratus.",
    );
  }
}

async function stageOf(context: ProviderContext, restApiId: string, stageName: string) {
  try {
    return await context.call.call("apigateway", "GetStage", { restApiId, stageName });
  } catch (error) {
    if (isAwsError(error) && error.code === "NotFoundException") return undefined;
    throw error;
  }
}

async function tagStage(
  context: ProviderContext,
  restApiId: string,
  stageName: string,
  before: Properties,
  after: Properties,
) {
  await retag(
    context,
    "apigateway",
    apiGatewayArn(context, `/restapis/${restApiId}/stages/${stageName}`),
    tagMap(before),
    tagMap(after),
  );
}

export const deploymentProvider: ResourceProvider = {
  replaceOn: ["RestApiId", "DeploymentCanarySettings"],

  async create(context, props) {
    refuseCanary(props);
    const restApiId = reqString(props, "RestApiId");
    const stageName = optString(props, "StageName");
    const description = stageDescription(props);
    const created = await context.call.call("apigateway", "CreateDeployment", {
      restApiId,
      description: optString(props, "Description"),
      stageName,
      stageDescription: stageName === undefined ? undefined : optString(description, "Description"),
      cacheClusterEnabled: stageName === undefined ? undefined : optBool(description, "CacheClusterEnabled"),
      cacheClusterSize: stageName === undefined ? undefined : optString(description, "CacheClusterSize"),
      tracingEnabled: stageName === undefined ? undefined : optBool(description, "TracingEnabled"),
      variables: stageName === undefined ? undefined : optStringMap(description, "Variables"),
    });
    const deploymentId = String(created.id);
    if (stageName !== undefined) {
      const ops = stageSettingsPatch(description);
      if (ops.length > 0) {
        await context.call.call("apigateway", "UpdateStage", { restApiId, stageName, patchOperations: ops });
      }
      await tagStage(context, restApiId, stageName, {}, description);
    }
    return { physicalId: deploymentId, attributes: { DeploymentId: deploymentId } };
  },

  async update(context, current, props) {
    refuseCanary(props);
    const restApiId = reqString(props, "RestApiId");
    const deploymentId = current.physicalId;
    const ops = replaceIfChanged(
      "/description",
      optString(current.properties, "Description"),
      optString(props, "Description"),
    );
    if (ops.length > 0) {
      await context.call.call("apigateway", "UpdateDeployment", {
        restApiId,
        deploymentId,
        patchOperations: ops,
      });
    }
    const stageName = optString(props, "StageName");
    const stageChanged =
      stageName !== optString(current.properties, "StageName") ||
      JSON.stringify(current.properties.StageDescription) !== JSON.stringify(props.StageDescription);
    if (stageName !== undefined && stageChanged) {
      const description = stageDescription(props);
      if ((await stageOf(context, restApiId, stageName)) === undefined) {
        await context.call.call("apigateway", "CreateStage", {
          restApiId,
          stageName,
          deploymentId,
          description: optString(description, "Description"),
          variables: optStringMap(description, "Variables"),
        });
      }
      const stageOps = stageSettingsPatch(description, deploymentId);
      await context.call.call("apigateway", "UpdateStage", {
        restApiId,
        stageName,
        patchOperations: stageOps,
      });
      await tagStage(context, restApiId, stageName, stageDescription(current.properties), description);
    }
    return { physicalId: deploymentId, attributes: { DeploymentId: deploymentId } };
  },

  async delete(context, current) {
    const restApiId = String(current.properties.RestApiId ?? "");
    const stageName = optString(current.properties, "StageName");
    if (stageName !== undefined) {
      const stage = await stageOf(context, restApiId, stageName).catch(() => undefined);
      if (stage !== undefined && stage.deploymentId === current.physicalId) {
        await ignoringNotFound(() =>
          context.call.call("apigateway", "DeleteStage", { restApiId, stageName }),
        );
      }
    }
    await ignoringNotFound(() =>
      context.call.call("apigateway", "DeleteDeployment", { restApiId, deploymentId: current.physicalId }),
    );
  },
};
