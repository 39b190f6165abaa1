/** Create/Get/Update/Delete/ListEventSourceMappings: DynamoDB Streams to Lambda. */
import type { OperationHandler } from "../../service.ts";
import type { LambdaParts } from "../parts.ts";

export function eventSourceMappingOperations(_parts: LambdaParts): Record<string, OperationHandler> {
  return {};
}
