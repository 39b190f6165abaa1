/** The BatchGetItem, BatchWriteItem, TransactGetItems, TransactWriteItems operations, registered by the service's index.ts. */
import { jsonHandler } from "../../../../aws/protocols/json-operation.ts";
import type { OperationHandler } from "../../../service.ts";
import type { DynamoDbStore } from "../../store.ts";
import { batchGetItem } from "./batch-get.ts";
import { batchWriteItem } from "./batch-write.ts";
import { transactGetItems } from "./transact-get.ts";
import { transactWriteItems } from "./transact-write.ts";

export function batchOperations(store: DynamoDbStore): Record<string, OperationHandler> {
  return {
    BatchGetItem: jsonHandler(batchGetItem(store)),
    BatchWriteItem: jsonHandler(batchWriteItem(store)),
    TransactGetItems: jsonHandler(transactGetItems(store)),
    TransactWriteItems: jsonHandler(transactWriteItems(store)),
  };
}
