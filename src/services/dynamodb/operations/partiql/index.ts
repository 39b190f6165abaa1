/** The ExecuteStatement, BatchExecuteStatement, ExecuteTransaction operations, registered by the service's index.ts. */
import type { OperationHandler } from "../../../service.ts";
import type { DynamoDbStore } from "../../store.ts";

export function partiqlOperations(_store: DynamoDbStore): Record<string, OperationHandler> {
  return {};
}
