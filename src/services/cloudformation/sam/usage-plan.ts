/**
 * Auth.UsagePlan of an AWS::Serverless::Api: SAM's usage plan, API key and usage-plan key, either one set
 * per API (`<Api>UsagePlan`, `<Api>ApiKey`, `<Api>UsagePlanKey`) or one set SHARED by every API that asks
 * for it (`ServerlessUsagePlan`, `ServerlessApiKey`, `ServerlessUsagePlanKey`), whose stages accumulate.
 */
import { invalidResource } from "./errors.ts";
import { compact, type Expansion, passthroughAttributes, type RestApiState } from "./expansion.ts";
import { isObject, type JsonObject, ref } from "./json.ts";

const USAGE_PLAN_PROPERTIES = [
  "CreateUsagePlan",
  "Description",
  "Quota",
  "Tags",
  "Throttle",
  "UsagePlanName",
];
const CREATE_OPTIONS = ["SHARED", "PER_API", "NONE"];

/** The SHARED plan's accumulated state across the template's APIs. */
interface SharedUsagePlan {
  readonly dependsOn: string[];
  readonly apiStages: JsonObject[];
  readonly stageKeys: JsonObject[];
}

const sharedPlans = new WeakMap<Expansion, SharedUsagePlan>();

export function expandUsagePlan(expansion: Expansion, api: RestApiState, stageId: string): void {
  const { logicalId, properties, resource } = api;
  const auth = properties.Auth;
  if (!isObject(auth) || auth.UsagePlan === undefined) return;
  const plan = auth.UsagePlan;
  if (!isObject(plan)) throw invalidResource(logicalId, "'UsagePlan' must be a dictionary");
  if (!Object.keys(plan).every((key) => USAGE_PLAN_PROPERTIES.includes(key))) {
    throw invalidResource(logicalId, "Invalid property for 'UsagePlan'");
  }
  const create = plan.CreateUsagePlan;
  if (create === undefined || create === null) {
    throw invalidResource(logicalId, "'CreateUsagePlan' is a required field for UsagePlan.");
  }
  if (typeof create !== "string" || !CREATE_OPTIONS.includes(create)) {
    throw invalidResource(logicalId, "'CreateUsagePlan' accepts one of ['SHARED', 'PER_API', 'NONE'].");
  }
  if (create === "NONE") return;
  const attributes = passthroughAttributes(resource);
  const apiStage = { ApiId: ref(logicalId), Stage: ref(stageId) };
  const stageKey = { RestApiId: ref(logicalId), StageName: ref(stageId) };
  const settings: JsonObject = {};
  for (const name of ["UsagePlanName", "Description", "Quota", "Tags", "Throttle"])
    if (plan[name]) settings[name] = plan[name];

  if (create === "PER_API") {
    const planId = `${logicalId}UsagePlan`;
    writePlan(
      expansion,
      planId,
      [logicalId],
      [apiStage],
      [stageKey],
      settings,
      `${logicalId}ApiKey`,
      `${logicalId}UsagePlanKey`,
      attributes,
    );
    return;
  }
  // SHARED: conditional APIs would need SAM's combined conditions, which Stratus does not reproduce.
  if (resource.Condition !== undefined) {
    throw invalidResource(
      logicalId,
      "Stratus does not support a SHARED UsagePlan on an API with a Condition yet.",
    );
  }
  let shared = sharedPlans.get(expansion);
  if (shared === undefined) {
    shared = { dependsOn: [], apiStages: [], stageKeys: [] };
    sharedPlans.set(expansion, shared);
  }
  if (!shared.dependsOn.includes(logicalId)) shared.dependsOn.push(logicalId);
  shared.apiStages.push(apiStage);
  shared.stageKeys.push(stageKey);
  writePlan(
    expansion,
    "ServerlessUsagePlan",
    shared.dependsOn,
    shared.apiStages,
    shared.stageKeys,
    settings,
    "ServerlessApiKey",
    "ServerlessUsagePlanKey",
    {},
  );
}

function writePlan(
  expansion: Expansion,
  planId: string,
  dependsOn: string[],
  apiStages: JsonObject[],
  stageKeys: JsonObject[],
  settings: JsonObject,
  apiKeyId: string,
  planKeyId: string,
  attributes: JsonObject,
): void {
  expansion.output[planId] = {
    Type: "AWS::ApiGateway::UsagePlan",
    ...attributes,
    DependsOn: [...dependsOn],
    Properties: compact({ ApiStages: [...apiStages], ...settings }),
  };
  expansion.output[apiKeyId] = {
    Type: "AWS::ApiGateway::ApiKey",
    ...attributes,
    DependsOn: [planId],
    Properties: { Enabled: true, StageKeys: [...stageKeys] },
  };
  expansion.output[planKeyId] = {
    Type: "AWS::ApiGateway::UsagePlanKey",
    ...attributes,
    DependsOn: [apiKeyId],
    Properties: { KeyId: ref(apiKeyId), KeyType: "API_KEY", UsagePlanId: ref(planId) },
  };
}
