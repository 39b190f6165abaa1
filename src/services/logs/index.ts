/**
 * CloudWatch Logs (awsJson1_1, X-Amz-Target Logs_20140328.*): log groups, streams and events over one
 * LogsStore (store.ts), which other services append to in-process (`appendEvents`: Lambda's function
 * logs). Every other operation of the model answers AWS's "unknown operation" error.
 *
 * ## Gaps
 * - Each operation file lists its own gaps; docs/logs.md has the whole table.
 * - No metric filters, subscription filters, Logs Insights queries, exports, tags, resource policies,
 *   data protection, anomaly detection or live tail (StartLiveTail): not implemented.
 * - No quotas on group or stream counts, no per-stream PutLogEvents rate limit.
 *
 * ## By design
 * - Events become readable as soon as PutLogEvents returns (AWS takes seconds).
 */
import { jsonHandler } from "../../aws/protocols/json-operation.ts";
import type { OperationHandler, ServiceDeps } from "../service.ts";
import { getLogEvents, putLogEvents } from "./operations/events.ts";
import { filterLogEvents } from "./operations/filter.ts";
import {
  createLogGroup,
  deleteLogGroup,
  deleteRetentionPolicy,
  describeLogGroups,
  putRetentionPolicy,
} from "./operations/groups.ts";
import { createLogStream, deleteLogStream, describeLogStreams } from "./operations/streams.ts";
import { LogsStore, type LogsStoreOptions } from "./store.ts";

export type { AppendEvent } from "./store.ts";
export { LogsStore } from "./store.ts";

export interface LogsService {
  /** Other services append events through `store.appendEvents(account, region, group, stream, events)`. */
  store: LogsStore;
  operations: Record<string, OperationHandler>;
}

export function createLogsService(deps: ServiceDeps, options: LogsStoreOptions = {}): LogsService {
  const store = new LogsStore(deps, options);
  store.start();
  deps.onClose(() => store.stop());
  return {
    store,
    operations: {
      CreateLogGroup: jsonHandler(createLogGroup(store)),
      DeleteLogGroup: jsonHandler(deleteLogGroup(store)),
      DescribeLogGroups: jsonHandler(describeLogGroups(store)),
      PutRetentionPolicy: jsonHandler(putRetentionPolicy(store)),
      DeleteRetentionPolicy: jsonHandler(deleteRetentionPolicy(store)),
      CreateLogStream: jsonHandler(createLogStream(store)),
      DeleteLogStream: jsonHandler(deleteLogStream(store)),
      DescribeLogStreams: jsonHandler(describeLogStreams(store)),
      PutLogEvents: jsonHandler(putLogEvents(store)),
      GetLogEvents: jsonHandler(getLogEvents(store)),
      FilterLogEvents: jsonHandler(filterLogEvents(store)),
    },
  };
}
