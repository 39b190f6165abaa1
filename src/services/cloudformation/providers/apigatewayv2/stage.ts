/**
 * AWS::ApiGatewayV2::Stage: CreateStage (`$default` for HTTP APIs' default stage); update through
 * UpdateStage with what changed, DeleteRouteSettings for route settings the template dropped and
 * DeleteAccessLogSettings when it dropped AccessLogSettings; tags by key. ApiId and StageName are
 * create-only. Ref is the stage name.
 */
import { ignoringNotFound } from "../apigateway/calls.ts";
import {
  optBool,
  optInt,
  optNumber,
  optObject,
  optString,
  optStringMap,
  type Properties,
  reqString,
} from "../apigateway/properties.ts";
import { apiGatewayArn, retag } from "../apigateway/tags.ts";
import { defined } from "../property-values.ts";
import type { ResourceProvider } from "../types.ts";

function routeSettingsOf(value: Properties | undefined): Properties | undefined {
  if (value === undefined) return undefined;
  return defined({
    dataTraceEnabled: optBool(value, "DataTraceEnabled"),
    detailedMetricsEnabled: optBool(value, "DetailedMetricsEnabled"),
    loggingLevel: optString(value, "LoggingLevel"),
    throttlingBurstLimit: optInt(value, "ThrottlingBurstLimit"),
    throttlingRateLimit: optNumber(value, "ThrottlingRateLimit"),
  });
}

function routeSettingsMap(props: Properties): Record<string, Properties> | undefined {
  const map = optObject(props, "RouteSettings");
  if (map === undefined) return undefined;
  const out: Record<string, Properties> = {};
  for (const [routeKey, value] of Object.entries(map))
    out[routeKey] = routeSettingsOf((value ?? {}) as Properties) ?? {};
  return out;
}

function stageMembers(props: Readonly<Properties>): Properties {
  const p = props as Properties;
  const logs = optObject(p, "AccessLogSettings");
  return defined({
    autoDeploy: optBool(p, "AutoDeploy"),
    deploymentId: optString(p, "DeploymentId"),
    description: optString(p, "Description"),
    clientCertificateId: optString(p, "ClientCertificateId"),
    stageVariables: optStringMap(p, "StageVariables"),
    defaultRouteSettings: routeSettingsOf(optObject(p, "DefaultRouteSettings")),
    routeSettings: routeSettingsMap(p),
    accessLogSettings:
      logs === undefined
        ? undefined
        : defined({ destinationArn: optString(logs, "DestinationArn"), format: optString(logs, "Format") }),
  });
}

/** A map of tags: this type's Tags is a JSON object, not a Key/Value list. */
function tagsOf(props: Readonly<Properties>): Record<string, string> | undefined {
  return optStringMap(props as Properties, "Tags");
}

export const stageProvider: ResourceProvider = {
  replaceOn: ["ApiId", "StageName"],

  async create(context, props) {
    const stageName = reqString(props, "StageName");
    await context.call.call("apigatewayv2", "CreateStage", {
      apiId: reqString(props, "ApiId"),
      stageName,
      ...stageMembers(props),
      tags: tagsOf(props),
    });
    return { physicalId: stageName, attributes: {} };
  },

  async update(context, current, props) {
    const apiId = reqString(props, "ApiId");
    const stageName = current.physicalId;
    const before = stageMembers(current.properties);
    const after = stageMembers(props);
    const update: Properties = {};
    for (const [key, value] of Object.entries(after)) {
      if (JSON.stringify(before[key]) !== JSON.stringify(value)) update[key] = value;
    }
    // Members the template dropped go back to their defaults (stage variables: none).
    if (before.stageVariables !== undefined && after.stageVariables === undefined) update.stageVariables = {};
    if (before.description !== undefined && after.description === undefined) update.description = "";
    if (before.autoDeploy === true && after.autoDeploy === undefined) update.autoDeploy = false;
    if (Object.keys(update).length > 0) {
      await context.call.call("apigatewayv2", "UpdateStage", { apiId, stageName, ...update });
    }
    const oldRoutes = Object.keys((before.routeSettings ?? {}) as Properties);
    const newRoutes = (after.routeSettings ?? {}) as Properties;
    for (const routeKey of oldRoutes) {
      if (!(routeKey in newRoutes)) {
        await ignoringNotFound(() =>
          context.call.call("apigatewayv2", "DeleteRouteSettings", { apiId, stageName, routeKey }),
        );
      }
    }
    if (before.accessLogSettings !== undefined && after.accessLogSettings === undefined) {
      await context.call.call("apigatewayv2", "DeleteAccessLogSettings", { apiId, stageName });
    }
    await retag(
      context,
      "apigatewayv2",
      apiGatewayArn(context, `/apis/${apiId}/stages/${stageName}`),
      tagsOf(current.properties),
      tagsOf(props),
    );
    return { physicalId: stageName, attributes: {} };
  },

  async delete(context, current) {
    const apiId = String(current.properties.ApiId ?? "");
    await ignoringNotFound(() =>
      context.call.call("apigatewayv2", "DeleteStage", { apiId, stageName: current.physicalId }),
    );
  },
};
