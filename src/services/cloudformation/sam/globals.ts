/**
 * SAM's Globals section: properties declared once for every AWS::Serverless::<Section> resource.
 * Validation (which sections and keys exist) and the merge rules are SAM's: a map is merged key by key
 * (recursively), lists are concatenated (globals first), and anything else — scalars, intrinsic
 * functions, or values of different kinds — is taken from the resource.
 */
import { invalidGlobals } from "./errors.ts";
import { isIntrinsic, isObject, type JsonObject } from "./json.ts";

/** SAM's supported Globals keys per section (its order, since its error message lists them). */
const SUPPORTED_PROPERTIES: Record<string, readonly string[]> = {
  Function: [
    "Handler",
    "Runtime",
    "CodeUri",
    "DeadLetterQueue",
    "Description",
    "MemorySize",
    "Timeout",
    "VpcConfig",
    "Environment",
    "Tags",
    "PropagateTags",
    "Tracing",
    "KmsKeyArn",
    "AutoPublishAlias",
    "AutoPublishAliasAllProperties",
    "Layers",
    "DeploymentPreference",
    "RolePath",
    "PermissionsBoundary",
    "ReservedConcurrentExecutions",
    "ProvisionedConcurrencyConfig",
    "AssumeRolePolicyDocument",
    "EventInvokeConfig",
    "FileSystemConfigs",
    "CodeSigningConfigArn",
    "Architectures",
    "SnapStart",
    "EphemeralStorage",
    "FunctionUrlConfig",
    "RuntimeManagementConfig",
    "LoggingConfig",
    "RecursiveLoop",
    "SourceKMSKeyArn",
    "TenancyConfig",
    "DurableConfig",
    "CapacityProviderConfig",
    "FunctionScalingConfig",
    "PublishToLatestPublished",
    "VersionDeletionPolicy",
  ],
  Api: [
    "Auth",
    "Name",
    "DefinitionUri",
    "CacheClusterEnabled",
    "CacheClusterSize",
    "MergeDefinitions",
    "Variables",
    "EndpointConfiguration",
    "MethodSettings",
    "BinaryMediaTypes",
    "MinimumCompressionSize",
    "Cors",
    "GatewayResponses",
    "AccessLogSetting",
    "CanarySetting",
    "TracingEnabled",
    "OpenApiVersion",
    "Domain",
    "AlwaysDeploy",
    "PropagateTags",
    "SecurityPolicy",
    "EndpointAccessMode",
  ],
  HttpApi: [
    "Auth",
    "AccessLogSettings",
    "StageVariables",
    "Tags",
    "CorsConfiguration",
    "DefaultRouteSettings",
    "Domain",
    "RouteSettings",
    "FailOnWarnings",
    "PropagateTags",
  ],
  SimpleTable: ["SSESpecification"],
  StateMachine: ["PropagateTags"],
  LayerVersion: ["PublishLambdaVersion"],
  CapacityProvider: [
    "VpcConfig",
    "OperatorRole",
    "Tags",
    "InstanceRequirements",
    "ScalingConfig",
    "KmsKeyArn",
    "PropagateTags",
  ],
  WebSocketApi: [
    "AccessLogSettings",
    "ApiKeySelectionExpression",
    "DefaultRouteSettings",
    "DisableExecuteApiEndpoint",
    "DisableSchemaValidation",
    "Domain",
    "FailOnWarnings",
    "IpAddressType",
    "PropagateTags",
    "RouteSelectionExpression",
    "RouteSettings",
    "StageVariables",
    "Tags",
  ],
};

/** Python's repr of a list of strings, as SAM's messages print them: ['a', 'b']. */
export function pythonStringList(items: readonly string[]): string {
  return `[${items.map((item) => `'${item}'`).join(", ")}]`;
}

/** The validated Globals: section name (Function, Api, ...) → its properties. */
export type GlobalsSections = ReadonlyMap<string, JsonObject>;

export function parseGlobals(globals: unknown): GlobalsSections {
  const sections = new Map<string, JsonObject>();
  if (globals === undefined) return sections;
  if (!isObject(globals)) throw invalidGlobals("It must be a non-empty dictionary");
  for (const [section, properties] of Object.entries(globals)) {
    const supported = SUPPORTED_PROPERTIES[section];
    if (supported === undefined) {
      const names = Object.keys(SUPPORTED_PROPERTIES).sort();
      throw invalidGlobals(
        `'${section}' is not supported. Must be one of the following values - ${pythonStringList(names)}`,
      );
    }
    // SAM's message really says "${section}": its format string lacks the f prefix.
    // biome-ignore lint/suspicious/noTemplateCurlyInString: SAM's literal text.
    if (!isObject(properties)) throw invalidGlobals("Value of ${section} must be a dictionary");
    for (const key of Object.keys(properties)) {
      if (!supported.includes(key)) {
        throw invalidGlobals(
          `'${key}' is not a supported property of '${section}'. Must be one of the following values - ${pythonStringList(supported)}`,
        );
      }
    }
    sections.set(section, properties);
  }
  return sections;
}

/** The resource's properties with the section's globals merged under them. */
export function mergeGlobals(globalProperties: JsonObject | undefined, local: JsonObject): JsonObject {
  if (globalProperties === undefined) return local;
  return mergeValue(globalProperties, local) as JsonObject;
}

type Token = "primitive" | "dict" | "list";

function tokenOf(value: unknown): Token {
  if (Array.isArray(value)) return "list";
  if (isObject(value) && !isIntrinsic(value)) return "dict";
  return "primitive";
}

function mergeValue(globalValue: unknown, localValue: unknown): unknown {
  const token = tokenOf(globalValue);
  if (token !== tokenOf(localValue) || token === "primitive") return localValue;
  if (token === "list") return [...(globalValue as unknown[]), ...(localValue as unknown[])];
  const merged: JsonObject = { ...(globalValue as JsonObject) };
  for (const [key, value] of Object.entries(localValue as JsonObject)) {
    merged[key] = key in merged ? mergeValue(merged[key], value) : value;
  }
  return merged;
}
