/**
 * Step 3, resolve the operation with the service's protocol (X-Amz-Target, Action, or the HTTP
 * binding of the AWS model). An unknown operation is answered here, before authentication, as
 * DynamoDB does (recorded by dynalite) and as every model-routed service can.
 */
import { resolveOperation } from "../../aws/protocols/index.ts";
import type { OperationResolution } from "../../aws/protocols/protocol.ts";
import type { ServiceDefinition } from "../../services/service.ts";
import type { Exchange } from "../exchange.ts";

export function resolve(exchange: Exchange): void | Promise<void> {
  const service = exchange.service;
  if (!service) return;
  const resolution = resolveOperation(service, exchange);
  // Only awsQuery resolves asynchronously (it reads the body); the others stay off the microtask queue.
  if (resolution instanceof Promise) return resolution.then((settled) => apply(exchange, service, settled));
  apply(exchange, service, resolution);
}

function apply(exchange: Exchange, service: ServiceDefinition, resolution: OperationResolution): void {
  if ("error" in resolution) {
    // A request the model has no operation for may still be the service's own (S3's OPTIONS preflight).
    const extra = service.unmodelledOperation?.(exchange);
    if (extra) {
      exchange.operation = extra.operation;
      exchange.pathParams = extra.pathParams;
      return;
    }
    exchange.error = resolution.error;
    return;
  }
  exchange.operation = resolution.operation;
  exchange.pathParams = resolution.pathParams;
}
