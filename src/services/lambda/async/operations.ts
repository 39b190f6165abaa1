/** Put/Get/Update/Delete/ListFunctionEventInvokeConfig(s): retries, event age and destinations of async invokes. */
import type { OperationHandler } from "../../service.ts";
import type { LambdaParts } from "../parts.ts";

export function asyncInvokeConfigOperations(_parts: LambdaParts): Record<string, OperationHandler> {
  return {};
}
