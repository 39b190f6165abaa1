/**
 * AWS::ApiGateway::UsagePlan: CreateUsagePlan (a generated name when UsagePlanName is absent); update
 * through UpdateUsagePlan's patch operations (name, description, throttle, quota, API stages) and
 * tags. Ref is the usage plan id; GetAtt Id.
 */

import { defined } from "../property-values.ts";
import type { ResourceProvider } from "../types.ts";
import { ignoringNotFound, type PatchOperation, replaceIfChanged } from "./calls.ts";
import { optInt, optList, optNumber, optObject, optString, type Properties, tagMap } from "./properties.ts";
import { apiGatewayArn, retag } from "./tags.ts";

function throttleOf(value: Properties | undefined): Properties | undefined {
  if (value === undefined) return undefined;
  return defined({ burstLimit: optInt(value, "BurstLimit"), rateLimit: optNumber(value, "RateLimit") });
}

function quotaOf(value: Properties | undefined): Properties | undefined {
  if (value === undefined) return undefined;
  return defined({
    limit: optInt(value, "Limit"),
    offset: optInt(value, "Offset"),
    period: optString(value, "Period"),
  });
}

function apiStagesOf(props: Readonly<Properties>): Properties[] {
  return (optList(props as Properties, "ApiStages") ?? []).map((item) => {
    const stage = (item ?? {}) as Properties;
    const throttle = optObject(stage, "Throttle");
    const perMethod: Record<string, Properties | undefined> = {};
    for (const [path, settings] of Object.entries(throttle ?? {})) {
      perMethod[path] = throttleOf((settings ?? {}) as Properties);
    }
    return defined({
      apiId: optString(stage, "ApiId"),
      stage: optString(stage, "Stage"),
      throttle: throttle === undefined ? undefined : perMethod,
    });
  });
}

/** replace of each member of a throttle/quota, or its removal when the template dropped it. */
function groupPatch(
  group: string,
  before: Properties | undefined,
  after: Properties | undefined,
): PatchOperation[] {
  if (after === undefined) return before === undefined ? [] : [{ op: "remove", path: `/${group}` }];
  const ops: PatchOperation[] = [];
  for (const [member, value] of Object.entries(after)) {
    ops.push(...replaceIfChanged(`/${group}/${member}`, before?.[member], value));
  }
  return ops;
}

function usagePlanPatch(before: Readonly<Properties>, after: Properties, name: string): PatchOperation[] {
  const ops: PatchOperation[] = [
    ...replaceIfChanged("/name", optString(before as Properties, "UsagePlanName") ?? name, name),
    ...replaceIfChanged(
      "/description",
      optString(before as Properties, "Description") ?? "",
      optString(after, "Description") ?? "",
    ),
    ...groupPatch(
      "throttle",
      throttleOf(optObject(before as Properties, "Throttle")),
      throttleOf(optObject(after, "Throttle")),
    ),
    ...groupPatch(
      "quota",
      quotaOf(optObject(before as Properties, "Quota")),
      quotaOf(optObject(after, "Quota")),
    ),
  ];
  const key = (stage: Properties) => `${String(stage.apiId)}:${String(stage.stage)}`;
  const old = new Map(apiStagesOf(before).map((stage) => [key(stage), stage]));
  const next = new Map(apiStagesOf(after).map((stage) => [key(stage), stage]));
  for (const [id, stage] of old) {
    if (JSON.stringify(next.get(id)) !== JSON.stringify(stage))
      ops.push({ op: "remove", path: "/apiStages", value: id });
  }
  for (const [id, stage] of next) {
    if (JSON.stringify(old.get(id)) !== JSON.stringify(stage))
      ops.push({ op: "add", path: "/apiStages", value: id });
  }
  return ops;
}

export const usagePlanProvider: ResourceProvider = {
  async create(context, props) {
    const created = await context.call.call("apigateway", "CreateUsagePlan", {
      name: optString(props, "UsagePlanName") ?? context.physicalName({ maxLength: 255 }),
      description: optString(props, "Description"),
      apiStages: apiStagesOf(props),
      throttle: throttleOf(optObject(props, "Throttle")),
      quota: quotaOf(optObject(props, "Quota")),
      tags: tagMap(props),
    });
    const id = String(created.id);
    return { physicalId: id, attributes: { Id: id } };
  },

  async update(context, current, props) {
    const usagePlanId = current.physicalId;
    const plan = await context.call.call("apigateway", "GetUsagePlan", { usagePlanId });
    const ops = usagePlanPatch(
      current.properties,
      props,
      optString(props, "UsagePlanName") ?? String(plan.name),
    );
    if (ops.length > 0)
      await context.call.call("apigateway", "UpdateUsagePlan", { usagePlanId, patchOperations: ops });
    await retag(
      context,
      "apigateway",
      apiGatewayArn(context, `/usageplans/${usagePlanId}`),
      tagMap(current.properties),
      tagMap(props),
    );
    return { physicalId: usagePlanId, attributes: { Id: usagePlanId } };
  },

  async delete(context, current) {
    await ignoringNotFound(() =>
      context.call.call("apigateway", "DeleteUsagePlan", { usagePlanId: current.physicalId }),
    );
  },
};
