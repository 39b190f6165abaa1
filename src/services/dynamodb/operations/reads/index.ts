/** The Query and Scan operations, registered by the service's index.ts. */
import { jsonHandler } from "../../../../aws/protocols/json-operation.ts";
import type { OperationHandler } from "../../../service.ts";
import type { DynamoDbStore } from "../../store.ts";
import { query } from "./query.ts";
import { scan } from "./scan.ts";

export function readsOperations(store: DynamoDbStore): Record<string, OperationHandler> {
  return {
    Query: jsonHandler(query(store)),
    Scan: jsonHandler(scan(store)),
  };
}
