/** REST API control plane (apigateway, restJson1): to be built. */
import type { ApiGatewayParts } from "../../execute-api/parts.ts";
import type { OperationHandler } from "../../service.ts";
import type { RestApiSnapshots } from "../snapshot.ts";

export interface RestApiControlPlane {
  operations: Record<string, OperationHandler>;
  snapshots: RestApiSnapshots;
}

export function restApiControlPlane(_parts: ApiGatewayParts): RestApiControlPlane {
  return {
    operations: {},
    snapshots: {
      stageSnapshot: async () => undefined,
      apiKeyByValue: async () => undefined,
      usagePlansForStage: async () => [],
    },
  };
}
