/**
 * API Gateway HTTP APIs (apigatewayv2, restJson1 under /v2/): the control plane (control/) stores APIs,
 * routes, integrations, authorizers, stages and deployment snapshots; the data plane (data-plane/)
 * serves invoke URLs from those snapshots (snapshot.ts is the seam between them).
 */
import type { ExecuteApiBackend } from "../execute-api/data-plane.ts";
import type { ApiGatewayParts } from "../execute-api/parts.ts";
import type { OperationHandler } from "../service.ts";
import { httpApiControlPlane } from "./control/control-plane.ts";
import { httpApiBackend } from "./data-plane/backend.ts";
import type { HttpApiSnapshots } from "./snapshot.ts";

export interface ApiGatewayV2Service {
  operations: Record<string, OperationHandler>;
  snapshots: HttpApiSnapshots;
  backend: ExecuteApiBackend;
}

export function createApiGatewayV2Service(parts: ApiGatewayParts): ApiGatewayV2Service {
  const control = httpApiControlPlane(parts);
  return {
    operations: control.operations,
    snapshots: control.snapshots,
    backend: httpApiBackend(parts, control.snapshots),
  };
}
