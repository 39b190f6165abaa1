/**
 * The REST API control plane (apigateway, restJson1): every operation it implements, by AWS name, and
 * the snapshots the data plane serves from. Operations not listed here answer the edge's honest "not
 * implemented" error (docs/apigateway.md lists them).
 */
import type { ApiGatewayParts } from "../../execute-api/parts.ts";
import type { OperationHandler } from "../../service.ts";
import type { RestApiSnapshots } from "../snapshot.ts";
import { accountOperations } from "./account.ts";
import { apiKeyOperations } from "./api-keys.ts";
import { authorizerOperations } from "./authorizers.ts";
import { deploymentOperations } from "./deployments.ts";
import { documentationPartOperations } from "./documentation-parts.ts";
import { gatewayResponseOperations } from "./gateway-responses.ts";
import { importExportOperations } from "./import-export.ts";
import { integrationOperations } from "./integrations.ts";
import { methodOperations } from "./methods.ts";
import { modelOperations } from "./models.ts";
import { requestValidatorOperations } from "./request-validators.ts";
import { resourceOperations } from "./resources.ts";
import { restApiOperations } from "./rest-apis.ts";
import { restApiSnapshots } from "./snapshots.ts";
import { stageOperations } from "./stages.ts";
import { tagOperations } from "./tags.ts";
import { usagePlanOperations } from "./usage-plans.ts";

export interface RestApiControlPlane {
  operations: Record<string, OperationHandler>;
  snapshots: RestApiSnapshots;
}

export function restApiControlPlane(parts: ApiGatewayParts): RestApiControlPlane {
  const storage = parts.deps.storage;
  return {
    operations: {
      ...restApiOperations(storage),
      ...resourceOperations(storage),
      ...methodOperations(storage),
      ...integrationOperations(storage),
      ...authorizerOperations(storage),
      ...modelOperations(storage),
      ...requestValidatorOperations(storage),
      ...gatewayResponseOperations(storage),
      ...deploymentOperations(storage),
      ...stageOperations(storage),
      ...apiKeyOperations(storage),
      ...usagePlanOperations(storage),
      ...tagOperations(storage),
      ...importExportOperations(storage),
      ...accountOperations(storage),
      ...documentationPartOperations(storage),
    },
    snapshots: restApiSnapshots,
  };
}
