/**
 * PublishLayerVersion, GetLayerVersion(ByArn), ListLayers, ListLayerVersions, DeleteLayerVersion and
 * layer permissions (versions.ts, permissions.ts; functions use layers through function-layers.ts).
 *
 * Hot reload (code/hot-reload.ts) is wired here too: it is the other half of "where a function's files
 * come from", and this module is the one built from LambdaParts, which hold both the store (whose
 * watchers see the changes) and the environment pools (which must start fresh environments).
 */
import { restJsonHandler } from "../../../aws/protocols/rest-json-operation.ts";
import type { OperationHandler } from "../../service.ts";
import { restartEnvironmentsOnChange } from "../code/hot-reload-restart.ts";
import type { LambdaParts } from "../parts.ts";
import {
  addLayerVersionPermission,
  getLayerVersionPolicy,
  removeLayerVersionPermission,
} from "./permissions.ts";
import {
  deleteLayerVersion,
  getLayerVersionByArn,
  getLayerVersionOperation,
  listLayers,
  listLayerVersionsOperation,
  publishLayerVersion,
} from "./versions.ts";

export function layerOperations(parts: LambdaParts): Record<string, OperationHandler> {
  const { model, store } = parts;
  restartEnvironmentsOnChange(store.hotReload, parts.pools);
  parts.deps.onClose(() => store.hotReload.close());
  return {
    PublishLayerVersion: restJsonHandler(model, "PublishLayerVersion", publishLayerVersion(store, parts.s3)),
    GetLayerVersion: restJsonHandler(model, "GetLayerVersion", getLayerVersionOperation(store)),
    GetLayerVersionByArn: restJsonHandler(model, "GetLayerVersionByArn", getLayerVersionByArn(store)),
    ListLayers: restJsonHandler(model, "ListLayers", listLayers(store)),
    ListLayerVersions: restJsonHandler(model, "ListLayerVersions", listLayerVersionsOperation(store)),
    DeleteLayerVersion: restJsonHandler(model, "DeleteLayerVersion", deleteLayerVersion(store)),
    AddLayerVersionPermission: restJsonHandler(
      model,
      "AddLayerVersionPermission",
      addLayerVersionPermission(store),
    ),
    RemoveLayerVersionPermission: restJsonHandler(
      model,
      "RemoveLayerVersionPermission",
      removeLayerVersionPermission(store),
    ),
    GetLayerVersionPolicy: restJsonHandler(model, "GetLayerVersionPolicy", getLayerVersionPolicy(store)),
  };
}
