/**
 * The Lambda resource types a stack can hold, each provider in its own file: functions and what hangs
 * off them (versions, aliases, permissions, event source mappings, URLs) and layers.
 */
import type { ProviderTable } from "../types.ts";
import { aliasProvider } from "./alias.ts";
import { eventSourceMappingProvider } from "./event-source-mapping.ts";
import { functionProvider } from "./function.ts";
import { layerVersionProvider } from "./layer-version.ts";
import { layerVersionPermissionProvider } from "./layer-version-permission.ts";
import { permissionProvider } from "./permission.ts";
import { urlProvider } from "./url.ts";
import { versionProvider } from "./version.ts";

export const lambdaProviders: ProviderTable = {
  "AWS::Lambda::Function": functionProvider,
  "AWS::Lambda::Version": versionProvider,
  "AWS::Lambda::Alias": aliasProvider,
  "AWS::Lambda::Permission": permissionProvider,
  "AWS::Lambda::EventSourceMapping": eventSourceMappingProvider,
  "AWS::Lambda::Url": urlProvider,
  "AWS::Lambda::LayerVersion": layerVersionProvider,
  "AWS::Lambda::LayerVersionPermission": layerVersionPermissionProvider,
};
