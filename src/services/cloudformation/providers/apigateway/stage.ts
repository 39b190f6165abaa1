/**
 * AWS::ApiGateway::Stage: CreateStage, then MethodSettings and AccessLogSetting through UpdateStage
 * (CreateStage takes neither). Update: only what changed, as UpdateStage patch operations, and tags.
 * RestApiId and StageName are create-only. Ref is the stage name (generated when the template gives
 * none); the type has no Fn::GetAtt attributes.
 */
import type { ResourceProvider } from "../types.ts";
import {
  completeOrUndo,
  ignoringNotFound,
  mapPatch,
  type PatchOperation,
  replaceIfChanged,
} from "./calls.ts";
import {
  changed,
  optBool,
  optString,
  optStringMap,
  type Properties,
  reqString,
  tagMap,
} from "./properties.ts";
import { accessLogPatch, accessLogSettingOf, methodSettingsPatch } from "./stage-settings.ts";
import { apiGatewayArn, retag } from "./tags.ts";

/** Stage members patched as plain `replace /{member}` (template name → patch path). */
const SCALARS: Record<string, string> = {
  Description: "/description",
  DeploymentId: "/deploymentId",
  CacheClusterEnabled: "/cacheClusterEnabled",
  CacheClusterSize: "/cacheClusterSize",
  TracingEnabled: "/tracingEnabled",
  ClientCertificateId: "/clientCertificateId",
  DocumentationVersion: "/documentationVersion",
};

function scalarValue(props: Readonly<Properties>, name: string): string | boolean | undefined {
  return name === "CacheClusterEnabled" || name === "TracingEnabled"
    ? optBool(props as Properties, name)
    : optString(props as Properties, name);
}

/** UpdateStage operations from `before` to `after` (both template property sets). */
export function stagePatch(before: Readonly<Properties>, after: Properties): PatchOperation[] {
  const ops: PatchOperation[] = [];
  for (const [name, path] of Object.entries(SCALARS)) {
    const old = scalarValue(before, name);
    const next = scalarValue(after, name);
    if (next === undefined && old !== undefined) {
      const value = typeof old === "boolean" ? "false" : "";
      ops.push({ op: "replace", path, value });
    } else ops.push(...replaceIfChanged(path, old, next));
  }
  ops.push(
    ...mapPatch(
      "/variables",
      optStringMap(before as Properties, "Variables"),
      optStringMap(after, "Variables"),
    ),
  );
  if (changed(before, after, "AccessLogSetting")) {
    ops.push(...accessLogPatch(accessLogSettingOf(before as Properties), accessLogSettingOf(after)));
  }
  if (changed(before, after, "MethodSettings")) {
    ops.push(...methodSettingsPatch(before.MethodSettings, after.MethodSettings));
  }
  return ops;
}

/** A canary stage is stored by API Gateway in Stratus but never served: refused plainly. */
function refuseCanary(props: Properties): void {
  if (props.CanarySetting !== undefined) {
    throw new Error("Canary deployments (CanarySetting) are not supported by Stratus.");
  }
}

export const stageProvider: ResourceProvider = {
  replaceOn: ["RestApiId", "StageName"],

  async create(context, props) {
    refuseCanary(props);
    const restApiId = reqString(props, "RestApiId");
    const stageName = optString(props, "StageName") ?? context.physicalName({ maxLength: 128 });
    await context.call.call("apigateway", "CreateStage", {
      restApiId,
      stageName,
      deploymentId: optString(props, "DeploymentId"),
      description: optString(props, "Description"),
      cacheClusterEnabled: optBool(props, "CacheClusterEnabled"),
      cacheClusterSize: optString(props, "CacheClusterSize"),
      tracingEnabled: optBool(props, "TracingEnabled"),
      variables: optStringMap(props, "Variables"),
      documentationVersion: optString(props, "DocumentationVersion"),
      clientCertificateId: optString(props, "ClientCertificateId"),
      tags: tagMap(props),
    });
    const ops = [
      ...accessLogPatch(undefined, accessLogSettingOf(props)),
      ...methodSettingsPatch(undefined, props.MethodSettings),
    ];
    if (ops.length > 0) {
      await completeOrUndo(
        () => context.call.call("apigateway", "UpdateStage", { restApiId, stageName, patchOperations: ops }),
        () => context.call.call("apigateway", "DeleteStage", { restApiId, stageName }),
      );
    }
    return { physicalId: stageName, attributes: {} };
  },

  async update(context, current, props) {
    refuseCanary(props);
    const restApiId = reqString(props, "RestApiId");
    const stageName = current.physicalId;
    const ops = stagePatch(current.properties, props);
    if (ops.length > 0) {
      await context.call.call("apigateway", "UpdateStage", { restApiId, stageName, patchOperations: ops });
    }
    await retag(
      context,
      "apigateway",
      apiGatewayArn(context, `/restapis/${restApiId}/stages/${stageName}`),
      tagMap(current.properties),
      tagMap(props),
    );
    return { physicalId: stageName, attributes: {} };
  },

  async delete(context, current) {
    const restApiId = String(current.properties.RestApiId ?? "");
    await ignoringNotFound(() =>
      context.call.call("apigateway", "DeleteStage", { restApiId, stageName: current.physicalId }),
    );
  },
};
