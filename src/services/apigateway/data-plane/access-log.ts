/**
 * Access logs of REST API stages (developer guide, "Set up CloudWatch logging for REST APIs" and
 * "$context variables for access logging"): a stage with accessLogSettings {destinationArn, format}
 * writes one event per request to the CloudWatch Logs group its ARN names
 * (`arn:aws:logs:{region}:{account}:log-group:{name}`), each `$context.name` (or `${context.name}`)
 * of the format replaced by its value, `-` when it has none. Requests to no stage are not logged.
 *
 * Besides the requestContext members, the format can read status, responseLength, responseLatency,
 * integrationStatus, integrationLatency, error.message, error.responseType and authorizer.*.
 *
 * ## By design
 * - Events go to the stream `{apiId}_{stage}`, created with the group when missing (AWS names its
 *   streams itself), as HTTP APIs' access logs in Stratus do.
 * - Writing is fire-and-forget after the answer; a failure is logged at debug level.
 */
import type { DataPlaneResponse } from "../../../edge/data-plane.ts";
import type { Logger } from "../../../log.ts";
import type { LogsStore } from "../../logs/store.ts";
import { contextVariables, type Invocation } from "./invocation.ts";

const LOG_GROUP_ARN = /^arn:[^:]+:logs:([^:]+):([0-9]{12}):log-group:([^:]+)(:\*)?$/;

/** What happened, for the access log's extra variables. */
export interface Outcome {
  response: DataPlaneResponse;
  latencyMs: number;
}

function lookup(path: string, root: Record<string, unknown>): string | undefined {
  let value: unknown = root;
  for (const part of path.split(".")) {
    value =
      value !== null && typeof value === "object" ? (value as Record<string, unknown>)[part] : undefined;
  }
  if (value === undefined || value === null || value === "" || typeof value === "object") return undefined;
  return String(value);
}

export function formatAccessLog(format: string, invocation: Invocation, outcome: Outcome): string {
  const body = outcome.response.body;
  const context: Record<string, unknown> = {
    ...contextVariables(invocation),
    status: outcome.response.status,
    responseLength: body === undefined ? 0 : Buffer.byteLength(body),
    responseLatency: outcome.latencyMs,
    integrationStatus: invocation.integrationStatus,
    integrationLatency: invocation.integrationLatencyMs,
    error:
      invocation.error === undefined
        ? {}
        : { message: invocation.error.message, responseType: invocation.error.type },
  };
  return format.replace(
    /\$\{context\.([A-Za-z0-9_.:-]+)\}|\$context\.([A-Za-z0-9_.:-]*[A-Za-z0-9_])/g,
    (_, braced?: string, bare?: string) => lookup(braced ?? bare ?? "", context) ?? "-",
  );
}

export function writeAccessLog(
  logs: LogsStore,
  logger: Logger,
  invocation: Invocation,
  outcome: Outcome,
): void {
  const settings = invocation.stage.accessLogSettings as
    | { destinationArn?: string; format?: string }
    | undefined;
  if (settings?.destinationArn === undefined || settings.format === undefined) return;
  const arn = LOG_GROUP_ARN.exec(settings.destinationArn);
  if (arn === null) return;
  const [, region = "", account = "", group = ""] = arn;
  const message = formatAccessLog(settings.format, invocation, outcome);
  const stream = `${invocation.apiId}_${invocation.stage.stageName}`;
  logs
    .appendEvents(account, region, group, stream, [
      { timestamp: invocation.request.receivedAt.getTime(), message },
    ])
    .catch((error: unknown) =>
      logger.debug(`REST API ${invocation.apiId}: access log not written: ${String(error)}`),
    );
}
