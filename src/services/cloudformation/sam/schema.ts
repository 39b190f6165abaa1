/**
 * Which properties each SAM resource and event source takes (SAM's property_types), and which of those
 * Stratus does not expand yet. A property SAM does not know is SAM's error; one SAM knows but we do not
 * expand is refused with an honest message rather than silently dropped.
 */
import { invalidResource } from "./errors.ts";
import { isObject } from "./json.ts";

interface Schema {
  readonly known: readonly string[];
  readonly unsupported: readonly string[];
}

const SCHEMAS: Record<string, Schema> = {
  "AWS::Serverless::Function": {
    known: [
      "Architectures",
      "AssumeRolePolicyDocument",
      "AutoPublishAlias",
      "AutoPublishAliasAllProperties",
      "AutoPublishCodeSha256",
      "CapacityProviderConfig",
      "CodeSigningConfigArn",
      "CodeUri",
      "DeadLetterQueue",
      "DeploymentPreference",
      "Description",
      "DurableConfig",
      "Environment",
      "EphemeralStorage",
      "EventInvokeConfig",
      "Events",
      "FileSystemConfigs",
      "FunctionName",
      "FunctionScalingConfig",
      "FunctionUrlConfig",
      "Handler",
      "ImageConfig",
      "ImageUri",
      "InlineCode",
      "KmsKeyArn",
      "Layers",
      "LoggingConfig",
      "MemorySize",
      "PackageType",
      "PermissionsBoundary",
      "Policies",
      "PropagateTags",
      "ProvisionedConcurrencyConfig",
      "PublishToLatestPublished",
      "RecursiveLoop",
      "ReservedConcurrentExecutions",
      "Role",
      "RolePath",
      "Runtime",
      "RuntimeManagementConfig",
      "SnapStart",
      "SourceKMSKeyArn",
      "Tags",
      "TenancyConfig",
      "Timeout",
      "Tracing",
      "VersionDeletionPolicy",
      "VersionDescription",
      "VpcConfig",
    ],
    unsupported: [
      "AutoPublishCodeSha256",
      "CapacityProviderConfig",
      "DeploymentPreference",
      "DurableConfig",
      "EventInvokeConfig",
      "FunctionScalingConfig",
      "PropagateTags",
      "PublishToLatestPublished",
      "SourceKMSKeyArn",
      "TenancyConfig",
    ],
  },
  "AWS::Serverless::Api": {
    known: [
      "AccessLogSetting",
      "AlwaysDeploy",
      "ApiKeySourceType",
      "Auth",
      "BinaryMediaTypes",
      "CacheClusterEnabled",
      "CacheClusterSize",
      "CanarySetting",
      "Cors",
      "DefinitionBody",
      "DefinitionUri",
      "Description",
      "DisableExecuteApiEndpoint",
      "Domain",
      "EndpointAccessMode",
      "EndpointConfiguration",
      "FailOnWarnings",
      "GatewayResponses",
      "MergeDefinitions",
      "MethodSettings",
      "MinimumCompressionSize",
      "Mode",
      "Models",
      "Name",
      "OpenApiVersion",
      "Policy",
      "PropagateTags",
      "SecurityPolicy",
      "StageName",
      "Tags",
      "TracingEnabled",
      "Variables",
    ],
    unsupported: ["Domain", "MergeDefinitions", "PropagateTags"],
  },
  "AWS::Serverless::HttpApi": {
    known: [
      "AccessLogSettings",
      "Auth",
      "CorsConfiguration",
      "DefaultRouteSettings",
      "DefinitionBody",
      "DefinitionUri",
      "Description",
      "DisableExecuteApiEndpoint",
      "Domain",
      "FailOnWarnings",
      "Name",
      "PropagateTags",
      "RouteSettings",
      "StageName",
      "StageVariables",
      "Tags",
    ],
    unsupported: ["Domain", "PropagateTags"],
  },
  "AWS::Serverless::SimpleTable": {
    known: [
      "PointInTimeRecoverySpecification",
      "PrimaryKey",
      "ProvisionedThroughput",
      "SSESpecification",
      "TableName",
      "Tags",
    ],
    unsupported: [],
  },
  "AWS::Serverless::LayerVersion": {
    known: [
      "CompatibleArchitectures",
      "CompatibleRuntimes",
      "ContentUri",
      "Description",
      "LayerName",
      "LicenseInfo",
      "PublishLambdaVersion",
      "RetentionPolicy",
    ],
    unsupported: [],
  },
  Api: {
    known: [
      "Auth",
      "Method",
      "Path",
      "RequestModel",
      "RequestParameters",
      "ResponseTransferMode",
      "RestApiId",
      "Stage",
      "TimeoutInMillis",
    ],
    unsupported: [],
  },
  HttpApi: {
    known: [
      "ApiId",
      "Auth",
      "Method",
      "Path",
      "PayloadFormatVersion",
      "RouteSettings",
      "Stage",
      "TimeoutInMillis",
    ],
    unsupported: [],
  },
  S3: { known: ["Bucket", "Events", "Filter"], unsupported: [] },
  DynamoDB: {
    known: [
      "BatchSize",
      "BisectBatchOnFunctionError",
      "ConsumerGroupId",
      "DestinationConfig",
      "Enabled",
      "FilterCriteria",
      "FunctionResponseTypes",
      "KafkaBootstrapServers",
      "KmsKeyArn",
      "LoggingConfig",
      "MaximumBatchingWindowInSeconds",
      "MaximumRecordAgeInSeconds",
      "MaximumRetryAttempts",
      "MetricsConfig",
      "ParallelizationFactor",
      "ProvisionedPollerConfig",
      "Queues",
      "ScalingConfig",
      "SchemaRegistryConfig",
      "SecretsManagerKmsKeyId",
      "SourceAccessConfigurations",
      "StartingPosition",
      "StartingPositionTimestamp",
      "Stream",
      "Topics",
      "TumblingWindowInSeconds",
    ],
    unsupported: [
      "ConsumerGroupId",
      "KafkaBootstrapServers",
      "ProvisionedPollerConfig",
      "Queues",
      "ScalingConfig",
      "SchemaRegistryConfig",
      "SecretsManagerKmsKeyId",
      "SourceAccessConfigurations",
      "Topics",
    ],
  },
};

/**
 * Checks a resource's (or an event's) properties. `errorId` is the id SAM names in its message: the
 * resource's, or for an event the function's id followed by the event's.
 */
export function checkProperties(errorId: string, type: string, properties: unknown): void {
  const schema = SCHEMAS[type];
  if (schema === undefined || !isObject(properties)) return;
  for (const name of Object.keys(properties)) {
    if (!schema.known.includes(name))
      throw invalidResource(errorId, `property ${name} not defined for resource of type ${type}`);
    if (schema.unsupported.includes(name)) {
      throw invalidResource(errorId, `Stratus does not support the '${name}' property of ${type} yet.`);
    }
  }
}
