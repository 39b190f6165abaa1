/**
 * Access logs (developer guide, "Configuring logging for HTTP APIs" and "Customizing HTTP API access
 * logs"): a stage with accessLogSettings {destinationArn, format} writes one event per request to
 * the CloudWatch Logs group its ARN names (`arn:aws:logs:{region}:{account}:log-group:{name}`), with
 * every `$context.name` (or `${context.name}`) of the format replaced by its value, `-` when it has
 * none. Requests that match no stage are not logged ("does not generate CloudWatch logs").
 *
 * ## By design
 * - Events go to the stream `{apiId}_{stage}` of the group, created with the group when missing
 *   (AWS names its streams itself; their names are not documented).
 * - Writing is fire-and-forget after the answer; a failure is logged at debug level.
 */
import type { Logger } from "../../../log.ts";
import type { LogsStore } from "../../logs/store.ts";
import { contextVariable } from "./context-variables.ts";
import type { ServedRequest } from "./served-request.ts";

const LOG_GROUP_ARN = /^arn:[^:]+:logs:([^:]+):([0-9]{12}):log-group:([^:]+)(:\*)?$/;

export function formatAccessLog(format: string, served: ServedRequest): string {
  return format.replace(
    /\$\{context\.([A-Za-z0-9_.:-]+)\}|\$context\.([A-Za-z0-9_.:-]*[A-Za-z0-9_])/g,
    (_, braced?: string, bare?: string) => {
      return contextVariable(braced ?? bare ?? "", served) ?? "-";
    },
  );
}

export function writeAccessLog(logs: LogsStore, logger: Logger, served: ServedRequest): void {
  const settings = served.snapshot?.stage.accessLogSettings;
  if (settings?.destinationArn === undefined || settings.format === undefined) return;
  const arn = LOG_GROUP_ARN.exec(settings.destinationArn);
  if (arn === null) return;
  const [, region = "", account = "", group = ""] = arn;
  const message = formatAccessLog(settings.format, served);
  const stream = `${served.apiId}_${served.stageName ?? "$default"}`;
  logs
    .appendEvents(account, region, group, stream, [
      { timestamp: served.request.receivedAt.getTime(), message },
    ])
    .catch((error: unknown) =>
      logger.debug(`HTTP API ${served.apiId}: access log not written: ${String(error)}`),
    );
}
