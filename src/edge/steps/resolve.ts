/**
 * Step 3, resolve the operation with the service's protocol (X-Amz-Target, Action, or the HTTP
 * binding of the AWS model). An unknown operation is answered here, before authentication, as
 * DynamoDB does (recorded by dynalite) and as every model-routed service can.
 */
import { resolveOperation } from "../../aws/protocols/index.ts";
import type { Exchange } from "../exchange.ts";

export async function resolve(exchange: Exchange): Promise<void> {
  const service = exchange.service;
  if (!service) return;
  const resolution = await resolveOperation(service, exchange);
  if ("error" in resolution) {
    exchange.error = resolution.error;
    return;
  }
  exchange.operation = resolution.operation;
  exchange.pathParams = resolution.pathParams;
}
