/**
 * The lines Lambda writes around each invocation's own output, as they appear in CloudWatch Logs and
 * in LogType=Tail:
 *
 *   START RequestId: <id> Version: $LATEST
 *   <the function's output>
 *   END RequestId: <id>
 *   REPORT RequestId: <id>\tDuration: 1.23 ms\tBilled Duration: 2 ms\tMemory Size: 128 MB\tMax Memory Used: 40 MB\tInit Duration: 60.12 ms\t
 *
 * Init Duration only on a cold start. Billed Duration is the duration rounded up to the millisecond.
 * After a timeout Lambda writes `<timestamp> <id> Task timed out after 1.00 seconds` before END and
 * REPORT ends with `Status: timeout`; after a crash the error line and `Status: error\tError Type:
 * Runtime.ExitError` (the Status fields are from AWS's documentation of the log format, unconfirmed
 * against a recording).
 */
import type { InvokeResult } from "../environments/environment.ts";

export interface InvocationLogContext {
  requestId: string;
  version: string;
  memorySizeMB: number;
  timeoutSeconds: number;
  /** Clock time the invoke ended, for the timeout line. */
  now: Date;
}

export function invocationLog(result: InvokeResult, ctx: InvocationLogContext): string {
  const { requestId } = ctx;
  let text = `START RequestId: ${requestId} Version: ${ctx.version}\n`;
  text += result.logs;
  if (result.logs.length > 0 && !result.logs.endsWith("\n")) text += "\n";
  let status = "";
  if (result.ending === "timeout") {
    text += `${ctx.now.toISOString()} ${requestId} Task timed out after ${ctx.timeoutSeconds.toFixed(2)} seconds\n`;
    status = "Status: timeout\t";
  } else if (result.ending === "exit" || result.ending === "outOfMemory") {
    const error = errorFields(result.payload);
    if (error) text += `${error.errorMessage}\n${error.errorType}\n`;
    status = `Status: error\tError Type: ${error?.errorType ?? "Runtime.ExitError"}\t`;
  }
  text += `END RequestId: ${requestId}\n`;
  text += `${reportLine(result, ctx)}${status}\n`;
  return text;
}

export function reportLine(result: InvokeResult, ctx: InvocationLogContext): string {
  let line = `REPORT RequestId: ${ctx.requestId}\tDuration: ${result.durationMs.toFixed(2)} ms\tBilled Duration: ${Math.max(1, Math.ceil(result.durationMs))} ms\tMemory Size: ${ctx.memorySizeMB} MB\tMax Memory Used: ${result.maxMemoryUsedMB} MB\t`;
  if (result.initDurationMs !== undefined) line += `Init Duration: ${result.initDurationMs.toFixed(2)} ms\t`;
  return line;
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
