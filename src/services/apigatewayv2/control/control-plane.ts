/** HTTP API control plane (apigatewayv2, restJson1 under /v2/): to be built. */
import type { ApiGatewayParts } from "../../execute-api/parts.ts";
import type { OperationHandler } from "../../service.ts";
import type { HttpApiSnapshots } from "../snapshot.ts";

export interface HttpApiControlPlane {
  operations: Record<string, OperationHandler>;
  snapshots: HttpApiSnapshots;
}

export function httpApiControlPlane(_parts: ApiGatewayParts): HttpApiControlPlane {
  return {
    operations: {},
    snapshots: { stageSnapshot: async () => undefined, stageNames: async () => [] },
  };
}
