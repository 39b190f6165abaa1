/** PublishLayerVersion, GetLayerVersion(ByArn), ListLayers, ListLayerVersions, DeleteLayerVersion and layer permissions. */
import type { OperationHandler } from "../../service.ts";
import type { LambdaParts } from "../parts.ts";

export function layerOperations(_parts: LambdaParts): Record<string, OperationHandler> {
  return {};
}
