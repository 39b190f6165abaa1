/**
 * Walking the operations of an API's OpenAPI/swagger body as SAM does when it adds authorizers or API
 * keys to them: every method of every path (through `Fn::If` alternatives), skipping the path-level
 * `parameters` and the operations without an API Gateway integration.
 */
import { conditionalContents, isObject, type JsonObject } from "./json.ts";

/** Calls `visit` on each integrated operation of `body`, the `options` methods only when `includeOptions`. */
export function forEachIntegratedOperation(
  body: JsonObject,
  includeOptions: boolean,
  visit: (operation: JsonObject, method: string) => void,
): void {
  const paths = isObject(body.paths) ? body.paths : {};
  for (const wrapped of Object.values(paths)) {
    for (const pathItem of conditionalContents(wrapped)) {
      for (const [method, wrappedOperation] of Object.entries(pathItem)) {
        if (method === "parameters") continue;
        if (method === "options" && !includeOptions) continue;
        for (const operation of conditionalContents(wrappedOperation)) {
          if (!("x-amazon-apigateway-integration" in operation)) continue;
          visit(operation, method);
        }
      }
    }
  }
}
