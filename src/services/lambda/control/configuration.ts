/**
 * The FunctionConfiguration shape Lambda answers with (CreateFunction, GetFunction's Configuration,
 * GetFunctionConfiguration, ListFunctions' items, the Update* operations), built from the stored
 * record. Field order follows Lambda's responses.
 */
import { type FunctionRecord, type FunctionSettings, functionArn, LATEST } from "../store.ts";

/** Lambda's LastModified: `2024-01-01T00:00:00.000+0000`. */
export function lastModified(ms: number): string {
  return new Date(ms).toISOString().replace("Z", "+0000");
}

export interface ConfigurationView {
  record: FunctionRecord;
  settings: FunctionSettings;
  version: string;
  revisionId: string;
  lastModifiedMs: number;
  /** The state to show (an operation's own answer shows Pending/InProgress). */
  state: "Pending" | "Active";
  lastUpdateStatus: "Successful" | "InProgress";
  /** ListFunctions leaves out State and LastUpdateStatus (as Lambda does). */
  forList?: boolean;
  /** The qualifier of FunctionArn when it is not the version (an alias the request named). */
  arnQualifier?: string;
}

export function configuration(view: ConfigurationView): Record<string, unknown> {
  const { record, settings } = view;
  const unqualified = functionArn(record.region, record.accountId, record.name);
  const out: Record<string, unknown> = {
    FunctionName: record.name,
    FunctionArn:
      view.arnQualifier !== undefined
        ? `${unqualified}:${view.arnQualifier}`
        : view.version === LATEST
          ? unqualified
          : `${unqualified}:${view.version}`,
    Runtime: settings.runtime,
    Role: settings.role,
    Handler: settings.handler,
    CodeSize: settings.code.codeSize,
    Description: settings.description,
    Timeout: settings.timeout,
    MemorySize: settings.memorySize,
    LastModified: lastModified(view.lastModifiedMs),
    CodeSha256: settings.code.codeSha256,
    Version: view.version,
  };
  if (settings.environment !== undefined) out.Environment = { Variables: { ...settings.environment } };
  out.TracingConfig = { Mode: settings.tracingMode };
  out.RevisionId = view.revisionId;
  if (settings.layers?.length)
    out.Layers = settings.layers.map((l) => ({ Arn: l.arn, CodeSize: l.codeSize }));
  if (!view.forList) {
    out.State = view.state;
    if (view.state === "Pending") {
      out.StateReason = "The function is being created.";
      out.StateReasonCode = "Creating";
    }
    // A function still being created has no update status yet.
    if (view.state === "Active") out.LastUpdateStatus = view.lastUpdateStatus;
    if (view.state === "Active" && view.lastUpdateStatus === "InProgress") {
      out.LastUpdateStatusReason = "The function is being created.";
      out.LastUpdateStatusReasonCode = "Creating";
    }
  }
  out.PackageType = "Zip";
  out.Architectures = [...settings.architectures];
  out.EphemeralStorage = { Size: settings.ephemeralStorageSize };
  out.SnapStart = { ApplyOn: "None", OptimizationStatus: "Off" };
  out.LoggingConfig = { LogFormat: settings.logFormat, LogGroup: settings.logGroup };
  return out;
}

/** The configuration of a resolved function version as GetFunction shows it now. */
export function currentConfiguration(
  resolved: {
    record: FunctionRecord;
    settings: FunctionSettings;
    version: string;
    revisionId: string;
    lastModifiedMs: number;
    alias?: string;
  },
  nowMs: number,
  forList = false,
): Record<string, unknown> {
  const latest = resolved.version === LATEST;
  return configuration({
    record: resolved.record,
    settings: resolved.settings,
    version: resolved.version,
    revisionId: resolved.revisionId,
    lastModifiedMs: resolved.lastModifiedMs,
    state: latest && nowMs < resolved.record.activeAtMs ? "Pending" : "Active",
    lastUpdateStatus: latest && nowMs < resolved.record.updatedAtMs ? "InProgress" : "Successful",
    forList,
    ...(resolved.alias !== undefined ? { arnQualifier: resolved.alias } : {}),
  });
}

/** The $LATEST view of a record. */
export function latestView(record: FunctionRecord): {
  record: FunctionRecord;
  settings: FunctionSettings;
  version: string;
  revisionId: string;
  lastModifiedMs: number;
} {
  return {
    record,
    settings: record.settings,
    version: LATEST,
    revisionId: record.revisionId,
    lastModifiedMs: record.lastModifiedMs,
  };
}
