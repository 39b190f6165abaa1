/**
 * What AWS::ApiGateway::Stage and a Deployment's StageDescription set on a stage beyond CreateStage's
 * members: MethodSettings, AccessLogSetting and (StageDescription only) the stage-wide logging,
 * metrics, caching and throttling switches, all as UpdateStage patch operations. A method setting
 * is addressed `/{resourcePath}/{httpMethod}/{group}/{setting}`, the resource path JSON-pointer escaped
 * and `/*` written `*` (API Gateway's own key for "every resource").
 */
import type { PatchOperation } from "./calls.ts";
import { optObject, optString, type Properties } from "./properties.ts";

/** MethodSetting property → its UpdateStage path suffix. */
const SETTING_PATHS: Record<string, string> = {
  CacheDataEncrypted: "caching/dataEncrypted",
  CacheTtlInSeconds: "caching/ttlInSeconds",
  CachingEnabled: "caching/enabled",
  DataTraceEnabled: "logging/dataTrace",
  LoggingLevel: "logging/loglevel",
  MetricsEnabled: "metrics/enabled",
  ThrottlingBurstLimit: "throttling/burstLimit",
  ThrottlingRateLimit: "throttling/rateLimit",
};

function settingKey(setting: Properties): string {
  const resourcePath = optString(setting, "ResourcePath") ?? "/*";
  const httpMethod = optString(setting, "HttpMethod") ?? "*";
  const resource = resourcePath === "/*" ? "*" : resourcePath.replace(/~/g, "~0").replace(/\//g, "~1");
  return `/${resource}/${httpMethod}`;
}

function settingsList(value: unknown): Properties[] {
  if (!Array.isArray(value)) return [];
  return value.filter((item): item is Properties => item !== null && typeof item === "object");
}

/** Operations for one setting's given members (replace each). */
function settingOps(key: string, setting: Properties): PatchOperation[] {
  const ops: PatchOperation[] = [];
  for (const [property, suffix] of Object.entries(SETTING_PATHS)) {
    const value = setting[property];
    if (value !== undefined && value !== null)
      ops.push({ op: "replace", path: `${key}/${suffix}`, value: String(value) });
  }
  return ops;
}

/** From the previous MethodSettings list to the new one: settings gone are removed, the rest set. */
export function methodSettingsPatch(before: unknown, after: unknown): PatchOperation[] {
  const next = settingsList(after);
  const nextKeys = new Set(next.map(settingKey));
  const ops: PatchOperation[] = [];
  for (const old of settingsList(before)) {
    const key = settingKey(old);
    if (!nextKeys.has(key)) ops.push({ op: "remove", path: key });
  }
  for (const setting of next) ops.push(...settingOps(settingKey(setting), setting));
  return ops;
}

/** StageDescription's stage-wide switches (LoggingLevel, MetricsEnabled...) are the `*` / `*` setting. */
export function stageWideSettingsPatch(description: Properties): PatchOperation[] {
  return settingOps("/*/*", description);
}

/** AccessLogSetting {DestinationArn, Format} set, or removed when the template dropped it. */
export function accessLogPatch(
  before: Properties | undefined,
  after: Properties | undefined,
): PatchOperation[] {
  if (after === undefined) return before === undefined ? [] : [{ op: "remove", path: "/accessLogSettings" }];
  const ops: PatchOperation[] = [];
  const destination = optString(after, "DestinationArn");
  const format = optString(after, "Format");
  if (destination !== undefined && destination !== optString(before ?? {}, "DestinationArn")) {
    ops.push({ op: "replace", path: "/accessLogSettings/destinationArn", value: destination });
  }
  if (format !== undefined && format !== optString(before ?? {}, "Format")) {
    ops.push({ op: "replace", path: "/accessLogSettings/format", value: format });
  }
  return ops;
}

export function accessLogSettingOf(props: Properties, name = "AccessLogSetting"): Properties | undefined {
  return optObject(props, name);
}
