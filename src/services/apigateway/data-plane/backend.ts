/**
 * The REST API data plane: invoke URLs (invoke.ts, reached through the execute-api data plane for APIs
 * of kind "rest") and the operations that run a method from the control plane (TestInvokeMethod).
 * Authorizer results, throttling buckets and quota counters live here, for the life of the process.
 */
import type { ExecuteApiBackend } from "../../execute-api/data-plane.ts";
import type { ApiGatewayParts } from "../../execute-api/parts.ts";
import type { OperationHandler } from "../../service.ts";
import type { RestApiSnapshots } from "../snapshot.ts";
import { AuthorizerRunner } from "./authorizers.ts";
import { type RestInvokeDeps, serveRestApi } from "./invoke.ts";
import { testInvokeOperations } from "./test-invoke.ts";
import { UsageLimits } from "./usage-limits.ts";

export interface RestApiDataPlane {
  backend: ExecuteApiBackend;
  /** TestInvokeMethod, TestInvokeAuthorizer. */
  operations: Record<string, OperationHandler>;
}

export function restApiDataPlane(parts: ApiGatewayParts, snapshots: RestApiSnapshots): RestApiDataPlane {
  const { deps } = parts;
  const invokeDeps: RestInvokeDeps = {
    storage: deps.storage,
    snapshots,
    authorizers: new AuthorizerRunner(deps.clock),
    limits: new UsageLimits(deps.clock),
    credentials: deps.credentials,
    clock: deps.clock,
    logger: deps.logger,
    invoker: parts.lambda.invoker,
    logs: parts.logs,
  };
  return {
    backend: { handle: (request, owner) => serveRestApi(invokeDeps, request, owner) },
    operations: testInvokeOperations(parts, snapshots, invokeDeps),
  };
}
