/** The PutItem, GetItem, UpdateItem, DeleteItem operations, registered by the service's index.ts. */
import type { OperationHandler } from "../../../service.ts";
import type { DynamoDbStore } from "../../store.ts";

export function itemsOperations(_store: DynamoDbStore): Record<string, OperationHandler> {
  return {};
}
