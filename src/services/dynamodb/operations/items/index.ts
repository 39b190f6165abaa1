/** The PutItem, GetItem, UpdateItem, DeleteItem operations, registered by the service's index.ts. */
import { jsonHandler } from "../../../../aws/protocols/json-operation.ts";
import type { OperationHandler } from "../../../service.ts";
import type { DynamoDbStore } from "../../store.ts";
import { deleteItem } from "./delete-item.ts";
import { getItem } from "./get-item.ts";
import { putItem } from "./put-item.ts";
import { updateItem } from "./update-item.ts";

export function itemsOperations(store: DynamoDbStore): Record<string, OperationHandler> {
  return {
    PutItem: jsonHandler(putItem(store)),
    GetItem: jsonHandler(getItem(store)),
    UpdateItem: jsonHandler(updateItem(store)),
    DeleteItem: jsonHandler(deleteItem(store)),
  };
}
