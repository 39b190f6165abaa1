/**
 * API Gateway REST APIs (apigateway, restJson1): the control plane (control/) stores APIs, resources,
 * methods, integrations, authorizers, models, validators, gateway responses, deployments, stages, API
 * keys and usage plans; the data plane (data-plane/) serves invoke URLs from deployment snapshots
 * (snapshot.ts is the seam between them) and runs TestInvokeMethod.
 */
import type { ExecuteApiBackend } from "../execute-api/data-plane.ts";
import type { ApiGatewayParts } from "../execute-api/parts.ts";
import type { OperationHandler } from "../service.ts";
import { restApiControlPlane } from "./control/control-plane.ts";
import { restApiDataPlane } from "./data-plane/backend.ts";
import type { RestApiSnapshots } from "./snapshot.ts";

export interface ApiGatewayService {
  operations: Record<string, OperationHandler>;
  snapshots: RestApiSnapshots;
  backend: ExecuteApiBackend;
}

export function createApiGatewayService(parts: ApiGatewayParts): ApiGatewayService {
  const control = restApiControlPlane(parts);
  const data = restApiDataPlane(parts, control.snapshots);
  return {
    operations: { ...control.operations, ...data.operations },
    snapshots: control.snapshots,
    backend: data.backend,
  };
}
