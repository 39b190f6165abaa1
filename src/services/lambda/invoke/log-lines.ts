/**
 * The lines Lambda writes around each invocation's own output, as they appear in CloudWatch Logs and
 * in LogType=Tail:
 *
 *   INIT_START Runtime Version: nodejs:20.v1\tRuntime Version ARN: arn:aws:lambda:REGION::runtime:HASH
 *   START RequestId: <id> Version: $LATEST
 *   <the function's output>
 *   END RequestId: <id>
 *   REPORT RequestId: <id>\tDuration: 1.23 ms\tBilled Duration: 2 ms\tMemory Size: 128 MB\tMax Memory Used: 40 MB\tInit Duration: 60.12 ms\t
 *
 * INIT_START once per execution environment, before its init output (CloudWatch Logs only: the Tail
 * header never shows it). Init Duration only on a cold start. Duration is the invoke phase alone;
 * Billed Duration is Duration plus Init Duration rounded up to the millisecond, as Lambda bills the
 * init phase since August 2025 (a recorded cold start: `Duration: 20.65 ms\tBilled Duration: 2678
 * ms\t…\tInit Duration: 2656.67 ms`). After a timeout Lambda writes `<timestamp> <id> Task timed out after 1.00
 * seconds` before END and REPORT ends with `Status: timeout`; after a crash the error line and
 * `Status: error\tError Type: Runtime.ExitError` (the Status fields are from AWS's documentation of
 * the log format, unconfirmed against a recording).
 *
 * The INIT_START shape (tab between the two fields) is from CloudWatch events of real functions
 * quoted in public projects; AWS's docs show the line in runtime-management-identify.
 */
import { createHash } from "node:crypto";
import type { InvokeResult } from "../environments/environment.ts";

export interface InvocationLogContext {
  requestId: string;
  version: string;
  memorySizeMB: number;
  timeoutSeconds: number;
  /** Clock time the invoke ended, for the timeout line. */
  now: Date;
}

/** The whole text of one invocation, as LogType=Tail shows it before it is cut to 4 KB. */
export function invocationLog(result: InvokeResult, ctx: InvocationLogContext): string {
  let text = `${startLine(ctx.requestId, ctx.version)}\n`;
  text += result.logs;
  if (result.logs.length > 0 && !result.logs.endsWith("\n")) text += "\n";
  for (const line of closingLines(result, ctx)) text += `${line}\n`;
  return text;
}

export function startLine(requestId: string, version: string): string {
  return `START RequestId: ${requestId} Version: ${version}`;
}

/**
 * What follows the function's output (each line without its newline): the timeout or crash lines
 * when the invoke ended that way, END, and REPORT.
 */
export function closingLines(result: InvokeResult, ctx: InvocationLogContext): string[] {
  const { requestId } = ctx;
  const lines: string[] = [];
  let status = "";
  if (result.ending === "timeout") {
    lines.push(
      `${ctx.now.toISOString()} ${requestId} Task timed out after ${ctx.timeoutSeconds.toFixed(2)} seconds`,
    );
    status = "Status: timeout\t";
  } else if (result.ending === "exit" || result.ending === "outOfMemory") {
    const error = errorFields(result.payload);
    if (error) lines.push(error.errorMessage, error.errorType);
    status = `Status: error\tError Type: ${error?.errorType ?? "Runtime.ExitError"}\t`;
  }
  lines.push(`END RequestId: ${requestId}`, `${reportLine(result, ctx)}${status}`);
  return lines;
}

export function reportLine(result: InvokeResult, ctx: InvocationLogContext): string {
  const billedMs = Math.max(1, Math.ceil(result.durationMs + (result.initDurationMs ?? 0)));
  let line = `REPORT RequestId: ${ctx.requestId}\tDuration: ${result.durationMs.toFixed(2)} ms\tBilled Duration: ${billedMs} ms\tMemory Size: ${ctx.memorySizeMB} MB\tMax Memory Used: ${result.maxMemoryUsedMB} MB\t`;
  if (result.initDurationMs !== undefined) line += `Init Duration: ${result.initDurationMs.toFixed(2)} ms\t`;
  return line;
}

/**
 * `INIT_START Runtime Version: nodejs:20.v1\tRuntime Version ARN: arn:aws:lambda:us-east-1::runtime:…`.
 * AWS names its runtime builds `family:version.vN` (nodejs:20.v23, python:3.12.v40,
 * provided:al2023.v9); Stratus's bootstraps are build v1 of each, and the ARN's 64 hex characters are
 * a hash of the runtime identifier, so they are stable across restarts.
 */
export function initStartLine(runtime: string, region: string): string {
  const hash = createHash("sha256").update(`stratus-runtime:${runtime}`).digest("hex");
  return `INIT_START Runtime Version: ${runtimeVersionName(runtime)}\tRuntime Version ARN: arn:aws:lambda:${region}::runtime:${hash}`;
}

/** nodejs20.x → nodejs:20.v1, python3.12 → python:3.12.v1, provided.al2023 → provided:al2023.v1. */
function runtimeVersionName(runtime: string): string {
  const match = /^([a-z]+)\.?(.*?)(?:\.x)?$/.exec(runtime);
  const family = match?.[1] ?? runtime;
  const version = match?.[2] ?? "";
  return version === "" ? `${family}:v1` : `${family}:${version}.v1`;
}

function errorFields(payload: Buffer): { errorType: string; errorMessage: string } | undefined {
  try {
    const value = JSON.parse(payload.toString("utf8")) as Record<string, unknown>;
    if (typeof value.errorType === "string" && typeof value.errorMessage === "string") {
      return { errorType: value.errorType, errorMessage: value.errorMessage };
    }
  } catch {
    // Not an error document.
  }
  return undefined;
}
