/** The Query and Scan operations, registered by the service's index.ts. */
import type { OperationHandler } from "../../../service.ts";
import type { DynamoDbStore } from "../../store.ts";

export function readsOperations(_store: DynamoDbStore): Record<string, OperationHandler> {
  return {};
}
