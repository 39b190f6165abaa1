/** The BatchGetItem, BatchWriteItem, TransactGetItems, TransactWriteItems operations, registered by the service's index.ts. */
import type { OperationHandler } from "../../../service.ts";
import type { DynamoDbStore } from "../../store.ts";

export function batchOperations(_store: DynamoDbStore): Record<string, OperationHandler> {
  return {};
}
