/**
 * Create/Get/Update/Delete/ListEventSourceMappings: DynamoDB Streams to Lambda (mappings.ts), and the
 * pollers that deliver the records (pollers.ts), resumed for every stored mapping when Stratus starts
 * and stopped at shutdown.
 */
import { restJsonHandler } from "../../../aws/protocols/rest-json-operation.ts";
import type { OperationHandler } from "../../service.ts";
import type { LambdaParts } from "../parts.ts";
import {
  createEventSourceMapping,
  deleteEventSourceMapping,
  getEventSourceMapping,
  listEventSourceMappings,
  type MappingDeps,
  updateEventSourceMapping,
} from "./mappings.ts";
import { MappingPollers } from "./pollers.ts";

export function eventSourceMappingOperations(parts: LambdaParts): Record<string, OperationHandler> {
  const { model, store, dynamodb } = parts;
  // The address requests came in on most recently: after a restart on another port, the first
  // request to these operations tells the pollers where Stratus now is.
  let latestEndpoint: string | undefined;
  const pollers =
    dynamodb === undefined
      ? undefined
      : new MappingPollers({
          storage: store.storage,
          dynamodb,
          invoker: parts.invoker,
          logger: parts.logger,
          ...(parts.s3 !== undefined ? { s3: parts.s3 } : {}),
          nowMs: () => store.nowMs(),
          endpointUrl: (record) => latestEndpoint ?? record.endpointUrl,
        });
  if (pollers) {
    pollers.resumeAll().catch((error: unknown) => {
      parts.logger.warn(`event source mappings: could not resume pollers: ${String(error)}`);
    });
    parts.deps.onClose(() => pollers.close());
  }
  const deps: MappingDeps = {
    store,
    dynamodb,
    pollers,
    sawEndpoint: (url) => {
      latestEndpoint = url;
    },
  };
  return {
    CreateEventSourceMapping: restJsonHandler(
      model,
      "CreateEventSourceMapping",
      createEventSourceMapping(deps),
    ),
    GetEventSourceMapping: restJsonHandler(model, "GetEventSourceMapping", getEventSourceMapping(deps)),
    UpdateEventSourceMapping: restJsonHandler(
      model,
      "UpdateEventSourceMapping",
      updateEventSourceMapping(deps),
    ),
    DeleteEventSourceMapping: restJsonHandler(
      model,
      "DeleteEventSourceMapping",
      deleteEventSourceMapping(deps),
    ),
    ListEventSourceMappings: restJsonHandler(model, "ListEventSourceMappings", listEventSourceMappings(deps)),
  };
}
