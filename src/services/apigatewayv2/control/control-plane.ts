/**
 * HTTP API control plane (apigatewayv2, restJson1 under /v2/): the operations Stratus implements, each
 * bound to the AWS model's HTTP bindings through restJsonHandler, and the stage snapshots the data
 * plane serves. Every other apigatewayv2 operation (domain names, VPC links, models, route and
 * integration responses, portals) answers the edge's honest "not implemented" error.
 */
import { type RestJsonOperation, restJsonHandler } from "../../../aws/protocols/rest-json-operation.ts";
import type { ApiGatewayParts } from "../../execute-api/parts.ts";
import type { OperationHandler } from "../../service.ts";
import type { HttpApiSnapshots } from "../snapshot.ts";
import { apiOperations } from "./apis.ts";
import { authorizerOperations } from "./authorizers.ts";
import { deploymentOperations } from "./deployments.ts";
import { importExportOperations } from "./import-export.ts";
import { integrationOperations } from "./integrations.ts";
import { routeOperations } from "./routes.ts";
import { httpApiSnapshots } from "./snapshots.ts";
import { stageOperations } from "./stages.ts";
import { tagOperations } from "./tags.ts";

export interface HttpApiControlPlane {
  operations: Record<string, OperationHandler>;
  snapshots: HttpApiSnapshots;
}

export function httpApiControlPlane(parts: ApiGatewayParts): HttpApiControlPlane {
  const store = parts.deps.storage;
  // biome-ignore lint/suspicious/noExplicitAny: each operation declares its own input type.
  const typed: Record<string, RestJsonOperation<any>> = {
    ...apiOperations(store),
    ...routeOperations(store),
    ...integrationOperations(store),
    ...authorizerOperations(store),
    ...stageOperations(store),
    ...deploymentOperations(store),
    ...tagOperations(store),
    ...importExportOperations(store),
  };
  const operations: Record<string, OperationHandler> = {};
  for (const [name, run] of Object.entries(typed)) operations[name] = restJsonHandler(parts.model, name, run);
  return { operations, snapshots: httpApiSnapshots };
}
