/**
 * AWS::Lambda::Function's configuration properties as CreateFunction / UpdateFunctionConfiguration
 * members. The names match Lambda's except KmsKeyArn (KMSKeyArn on the wire).
 *
 * On update CloudFormation sends the whole desired configuration, so a property removed from the
 * template goes back to Lambda's default (Timeout 3, MemorySize 128, no environment, no layers,
 * PassThrough tracing, 512 MB /tmp, Text logs to /aws/lambda/NAME) rather than keeping its old value.
 *
 * VpcConfig, DeadLetterConfig and KMSKeyArn are passed to Lambda as given; Stratus's Lambda accepts and
 * ignores them today (no VPCs, no dead-letter queues, no KMS), so GetFunction does not show them.
 */

import {
  defined,
  integerValue,
  objectValue,
  type Properties,
  stringList,
  stringMap,
  stringValue,
  tagMap,
  validationFailure,
} from "../property-values.ts";
import type { ProviderContext } from "../types.ts";

/** The properties UpdateFunctionConfiguration applies (a change to any of them calls it). */
export const CONFIGURATION_PROPERTIES = [
  "Runtime",
  "Role",
  "Handler",
  "Description",
  "Timeout",
  "MemorySize",
  "Environment",
  "Layers",
  "TracingConfig",
  "EphemeralStorage",
  "LoggingConfig",
  "VpcConfig",
  "DeadLetterConfig",
  "KmsKeyArn",
] as const;

/** The properties UpdateFunctionCode applies (Architectures belongs to the code call in Lambda's API). */
export const CODE_PROPERTIES = ["Code", "Architectures"] as const;

function structure(
  context: ProviderContext,
  properties: Properties,
  name: string,
): Record<string, unknown> | undefined {
  return objectValue(context, properties[name], name);
}

function loggingConfig(context: ProviderContext, properties: Properties) {
  const logging = structure(context, properties, "LoggingConfig");
  if (logging === undefined) return undefined;
  return defined({
    LogFormat: stringValue(context, logging.LogFormat, "LoggingConfig/LogFormat"),
    LogGroup: stringValue(context, logging.LogGroup, "LoggingConfig/LogGroup"),
    ApplicationLogLevel: stringValue(
      context,
      logging.ApplicationLogLevel,
      "LoggingConfig/ApplicationLogLevel",
    ),
    SystemLogLevel: stringValue(context, logging.SystemLogLevel, "LoggingConfig/SystemLogLevel"),
  });
}

function environment(context: ProviderContext, properties: Properties) {
  const value = structure(context, properties, "Environment");
  if (value === undefined) return undefined;
  return { Variables: stringMap(context, value.Variables, "Environment/Variables") ?? {} };
}

/** The Role pattern of AWS::Lambda::Function's resource schema, checked before Lambda is called. */
const ROLE_ARN = /^arn:(aws[a-zA-Z-]*)?:iam::\d{12}:role\/?[a-zA-Z_0-9+=,.@\-_/]+$/;

function roleArn(context: ProviderContext, value: unknown): string | undefined {
  const role = stringValue(context, value, "Role");
  if (role !== undefined && !ROLE_ARN.test(role)) {
    throw validationFailure(context, "#/Role: failed validation constraint for keyword [pattern]");
  }
  return role;
}

/** The configuration members the template gives (undefined members left out). */
export function configurationMembers(
  context: ProviderContext,
  properties: Properties,
): Record<string, unknown> {
  const tracing = structure(context, properties, "TracingConfig");
  const ephemeral = structure(context, properties, "EphemeralStorage");
  return defined({
    Runtime: stringValue(context, properties.Runtime, "Runtime"),
    Role: roleArn(context, properties.Role),
    Handler: stringValue(context, properties.Handler, "Handler"),
    Description: stringValue(context, properties.Description, "Description"),
    Timeout: integerValue(context, properties.Timeout, "Timeout"),
    MemorySize: integerValue(context, properties.MemorySize, "MemorySize"),
    Environment: environment(context, properties),
    Layers: stringList(context, properties.Layers, "Layers"),
    TracingConfig:
      tracing === undefined
        ? undefined
        : defined({ Mode: stringValue(context, tracing.Mode, "TracingConfig/Mode") }),
    EphemeralStorage:
      ephemeral === undefined
        ? undefined
        : defined({ Size: integerValue(context, ephemeral.Size, "EphemeralStorage/Size") }),
    LoggingConfig: loggingConfig(context, properties),
    VpcConfig: structure(context, properties, "VpcConfig"),
    DeadLetterConfig: structure(context, properties, "DeadLetterConfig"),
    KMSKeyArn: stringValue(context, properties.KmsKeyArn, "KmsKeyArn"),
  });
}

/** UpdateFunctionConfiguration's members: the template's, with Lambda's defaults for removed ones. */
export function updateConfigurationMembers(
  context: ProviderContext,
  functionName: string,
  properties: Properties,
): Record<string, unknown> {
  return {
    Description: "",
    Timeout: 3,
    MemorySize: 128,
    Environment: { Variables: {} },
    Layers: [],
    TracingConfig: { Mode: "PassThrough" },
    EphemeralStorage: { Size: 512 },
    LoggingConfig: { LogFormat: "Text", LogGroup: `/aws/lambda/${functionName}` },
    ...configurationMembers(context, properties),
  };
}

/**
 * The tags CloudFormation puts on a function: the template's, plus the stack tags it adds to every
 * taggable resource (aws:cloudformation:stack-name, logical-id, stack-id).
 */
export function functionTags(context: ProviderContext, properties: Properties): Record<string, string> {
  return {
    ...tagMap(context, properties.Tags),
    "aws:cloudformation:stack-name": context.stackName,
    "aws:cloudformation:logical-id": context.logicalId,
    "aws:cloudformation:stack-id": context.stackId,
  };
}
