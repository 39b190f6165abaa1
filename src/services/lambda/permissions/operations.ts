/** AddPermission, RemovePermission, GetPolicy: the function's resource-based policy. */
import type { OperationHandler } from "../../service.ts";
import type { LambdaParts } from "../parts.ts";

export function permissionOperations(_parts: LambdaParts): Record<string, OperationHandler> {
  return {};
}
