/**
 * AWS::Serverless::Function → AWS::Lambda::Function plus what SAM generates around it: the execution
 * role `<Fn>Role` (unless Role is given), AutoPublishAlias's `<Fn>Version<hash>` and `<Fn>Alias<Name>`,
 * FunctionUrlConfig's `<Fn>Url` and its public permissions, and each event source's resources.
 */
import type { TemplateResource } from "../template/types.ts";
import { s3Location } from "./code-uri.ts";
import { invalidResource } from "./errors.ts";
import { expandEvent, validateEvents } from "./events/index.ts";
import type { FunctionTarget, GeneratedRole } from "./events/target.ts";
import { compact, type Expansion, passthroughAttributes } from "./expansion.ts";
import { deepClone, getAtt, isObject, type JsonObject, ref, resolveParameterRefs, tagList } from "./json.ts";
import { hashedLogicalId } from "./logical-ids.ts";
import { expandPolicy, managedPolicyArn } from "./policies.ts";

/** Function properties SAM copies to AWS::Lambda::Function under the same name. */
const PASSTHROUGH_PROPERTIES = [
  "Handler",
  "Runtime",
  "Description",
  "MemorySize",
  "Timeout",
  "Environment",
  "Layers",
  "Architectures",
  "ReservedConcurrentExecutions",
  "FunctionName",
  "KmsKeyArn",
  "VpcConfig",
  "EphemeralStorage",
  "LoggingConfig",
  "SnapStart",
  "RuntimeManagementConfig",
  "FileSystemConfigs",
  "CodeSigningConfigArn",
  "ImageConfig",
  "PackageType",
  "RecursiveLoop",
] as const;

const LAMBDA_ASSUME_ROLE_POLICY = {
  Version: "2012-10-17",
  Statement: [
    { Action: ["sts:AssumeRole"], Effect: "Allow", Principal: { Service: ["lambda.amazonaws.com"] } },
  ],
};

const SAM_TAG = { Key: "lambda:createdBy", Value: "SAM" };

export function expandFunction(expansion: Expansion, functionId: string, resource: TemplateResource): void {
  const properties = (resource.Properties ?? {}) as JsonObject;
  if (properties.DeploymentPreference !== undefined) {
    throw invalidResource(
      functionId,
      "Stratus does not support 'DeploymentPreference' (CodeDeploy gradual deployments) yet.",
    );
  }
  const events = validateEvents(functionId, properties.Events);

  const lambda: Record<string, unknown> = {};
  for (const name of PASSTHROUGH_PROPERTIES) lambda[name] = properties[name];
  lambda.Code = functionCode(expansion, functionId, properties);
  validatePackageType(functionId, lambda);
  if (properties.Tracing !== undefined) lambda.TracingConfig = { Mode: properties.Tracing };
  if (isObject(properties.DeadLetterQueue))
    lambda.DeadLetterConfig = { TargetArn: properties.DeadLetterQueue.TargetArn };
  const tags = [SAM_TAG, ...tagList(properties.Tags)];
  lambda.Tags = tags;

  let role: GeneratedRole | undefined;
  if (properties.Role !== undefined) {
    lambda.Role = properties.Role;
  } else {
    role = generatedRole(expansion, functionId, properties);
    lambda.Role = getAtt(`${functionId}Role`, "Arn");
  }
  const attributes = passthroughAttributes(resource);
  const lambdaResource: TemplateResource = {
    Type: "AWS::Lambda::Function",
    ...attributes,
    Properties: compact(lambda),
  };
  if (resource.DependsOn !== undefined) lambdaResource.DependsOn = resource.DependsOn;
  if (resource.Metadata !== undefined) lambdaResource.Metadata = resource.Metadata;
  expansion.output[functionId] = lambdaResource;

  const alias = autoPublishAlias(expansion, functionId, resource, properties, lambda);
  const target: FunctionTarget = {
    functionId,
    resource,
    nameOrArn: alias === undefined ? ref(functionId) : ref(alias),
    arnSubExpression: alias === undefined ? `${functionId}.Arn` : alias,
    arn: alias === undefined ? getAtt(functionId, "Arn") : ref(alias),
    role,
  };
  if (properties.FunctionUrlConfig !== undefined)
    functionUrl(expansion, target, properties.FunctionUrlConfig);
  for (const [eventId, type, eventProperties] of events)
    expandEvent(expansion, target, eventId, type, eventProperties);

  if (role !== undefined) {
    const roleProperties: Record<string, unknown> = {
      AssumeRolePolicyDocument: properties.AssumeRolePolicyDocument ?? deepClone(LAMBDA_ASSUME_ROLE_POLICY),
      ManagedPolicyArns: role.managedPolicyArns,
      Policies: role.policies.length > 0 ? role.policies : undefined,
      Path: properties.RolePath,
      PermissionsBoundary: properties.PermissionsBoundary,
      Tags: tags,
    };
    expansion.output[`${functionId}Role`] = {
      Type: "AWS::IAM::Role",
      ...attributes,
      Properties: compact(roleProperties),
    };
  }
}

/**
 * The function's Code by PackageType (SAM's _construct_code_dict): Zip takes InlineCode (→ ZipFile) or
 * CodeUri (→ the S3 location, parameter Refs resolved), Image takes ImageUri.
 */
function functionCode(expansion: Expansion, functionId: string, properties: JsonObject): JsonObject {
  const packageType = properties.PackageType ?? "Zip";
  if (packageType !== "Zip" && packageType !== "Image") {
    throw invalidResource(functionId, `invalid 'PackageType' : ${String(packageType)}`);
  }
  if (packageType === "Image") {
    if (properties.ImageUri === undefined) throw invalidResource(functionId, "'ImageUri' must be set.");
    return { ImageUri: properties.ImageUri };
  }
  if (properties.InlineCode !== undefined) return { ZipFile: properties.InlineCode };
  if (properties.CodeUri === undefined)
    throw invalidResource(functionId, "Only one of 'InlineCode' or 'CodeUri' can be set.");
  return s3Location(functionId, "CodeUri", properties.CodeUri, expansion.context.parameters, {
    bucket: "S3Bucket",
    key: "S3Key",
    version: "S3ObjectVersion",
  });
}

/** SAM's _validate_package_type: what a Zip or an Image function must and must not have. */
function validatePackageType(functionId: string, lambda: Record<string, unknown>): void {
  const code = lambda.Code as JsonObject;
  if ((lambda.PackageType ?? "Zip") === "Zip") {
    if (!lambda.Runtime || !lambda.Handler) {
      throw invalidResource(
        functionId,
        "Runtime and Handler needs to be present when PackageType is of type `Zip`",
      );
    }
    if (code.ImageUri || lambda.ImageConfig) {
      throw invalidResource(
        functionId,
        "ImageUri or ImageConfig cannot be present when PackageType is of type `Zip`",
      );
    }
    return;
  }
  if (lambda.Handler || lambda.Runtime || lambda.Layers) {
    throw invalidResource(
      functionId,
      "Runtime, Handler, Layers cannot be present when PackageType is of type `Image`",
    );
  }
}

/** The role's managed policies and inline policies from Policies, Tracing and VpcConfig, in SAM's order. */
function generatedRole(expansion: Expansion, functionId: string, properties: JsonObject): GeneratedRole {
  const partition = expansion.context.partition;
  const managedPolicyArns: unknown[] = [managedPolicyArn("AWSLambdaBasicExecutionRole", partition)];
  if (
    properties.Tracing !== undefined &&
    resolveParameterRefs(properties.Tracing, expansion.context.parameters) !== "Disabled"
  ) {
    managedPolicyArns.push(managedPolicyArn("AWSXrayWriteOnlyAccess", partition));
  }
  if (properties.VpcConfig !== undefined)
    managedPolicyArns.push(managedPolicyArn("AWSLambdaVPCAccessExecutionRole", partition));
  const policies: JsonObject[] = [];
  if (isObject(properties.DeadLetterQueue)) {
    const action = properties.DeadLetterQueue.Type === "SNS" ? "sns:Publish" : "sqs:SendMessage";
    policies.push({
      PolicyName: "DeadLetterQueuePolicy",
      PolicyDocument: {
        Version: "2012-10-17",
        Statement: [{ Action: action, Resource: properties.DeadLetterQueue.TargetArn, Effect: "Allow" }],
      },
    });
  }
  const entries =
    properties.Policies === undefined
      ? []
      : Array.isArray(properties.Policies)
        ? properties.Policies
        : [properties.Policies];
  entries.forEach((entry, index) => {
    const expanded = expandPolicy(functionId, index, entry, partition);
    if (expanded.kind === "document") {
      policies.push({ PolicyName: `${functionId}RolePolicy${index}`, PolicyDocument: expanded.document });
    } else if (!managedPolicyArns.some((arn) => JSON.stringify(arn) === JSON.stringify(expanded.arn))) {
      managedPolicyArns.push(expanded.arn);
    }
  });
  return { managedPolicyArns, policies };
}

/**
 * AutoPublishAlias: a Version whose logical id hashes the code location (and Environment, MemorySize) so
 * a change publishes a new one, and an Alias pointing at it. Returns the alias's logical id.
 */
function autoPublishAlias(
  expansion: Expansion,
  functionId: string,
  resource: TemplateResource,
  properties: JsonObject,
  lambda: Record<string, unknown>,
): string | undefined {
  if (properties.AutoPublishAlias === undefined) return undefined;
  const { parameters } = expansion.context;
  const aliasName = resolveParameterRefs(properties.AutoPublishAlias, parameters);
  if (typeof aliasName !== "string") {
    throw invalidResource(functionId, "'AutoPublishAlias' must be a string or a Ref to a template parameter");
  }
  if (aliasName === "") throw invalidResource(functionId, "Alias name is required to create an alias");
  if (!/^(?!^[0-9]+$)([a-zA-Z0-9\-_]+)$/.test(aliasName)) {
    throw invalidResource(
      functionId,
      `AutoPublishAlias name ('${aliasName}') must contain only alphanumeric characters, hyphens, or underscores matching (?!^[0-9]+$)([a-zA-Z0-9-_]+) pattern.`,
    );
  }
  let hashData: JsonObject;
  if (properties.AutoPublishAliasAllProperties === true) {
    // SAM hashes the function's properties before it points Role at the role it generates.
    hashData = compact({ ...lambda, Role: properties.Role });
    // A layer with PublishLambdaVersion publishes a new function version when the layer changes: its
    // (SAM) properties join the hash under its logical id.
    for (const layer of Array.isArray(lambda.Layers) ? lambda.Layers : []) {
      const layerId = logicalIdOf(layer);
      const layerProperties = layerId === undefined ? undefined : expansion.resources[layerId]?.Properties;
      if (layerId !== undefined && isObject(layerProperties) && layerProperties.PublishLambdaVersion) {
        hashData[layerId] = layerProperties;
      }
    }
  } else {
    hashData = { ...(resolveParameterRefs(lambda.Code, parameters) as JsonObject) };
    if (isObject(lambda.Environment)) Object.assign(hashData, lambda.Environment);
    if (lambda.MemorySize !== undefined && lambda.MemorySize !== 0) hashData.MemorySize = lambda.MemorySize;
    if (isObject(lambda.SnapStart) && (lambda.SnapStart.ApplyOn ?? "None") !== "None")
      hashData.SnapStart = lambda.SnapStart;
  }
  const versionId =
    typeof properties.CodeSha256 === "string"
      ? `${functionId}Version${properties.CodeSha256.slice(0, 10)}`
      : hashedLogicalId(`${functionId}Version`, hashData);
  const attributes = passthroughAttributes(resource);
  expansion.output[versionId] = {
    Type: "AWS::Lambda::Version",
    ...attributes,
    DeletionPolicy:
      attributes.DeletionPolicy ??
      (properties.VersionDeletionPolicy as TemplateResource["DeletionPolicy"]) ??
      "Retain",
    Properties: compact({ FunctionName: ref(functionId), Description: properties.VersionDescription }),
  };
  // A logical id is alphanumeric: SAM spells '-' as D and '_' as U.
  const aliasId = `${functionId}Alias${aliasName.replace(/-/g, "D").replace(/_/g, "U")}`;
  expansion.output[aliasId] = {
    Type: "AWS::Lambda::Alias",
    ...attributes,
    Properties: compact({
      Name: aliasName,
      FunctionName: ref(functionId),
      FunctionVersion: getAtt(versionId, "Version"),
      ProvisionedConcurrencyConfig: properties.ProvisionedConcurrencyConfig,
    }),
  };
  expansion.samReferences.set(`${functionId}.Alias`, aliasId);
  expansion.samReferences.set(`${functionId}.Version`, versionId);
  return aliasId;
}

/** The logical id a `Ref` or `Fn::GetAtt` names (SAM's get_logical_id_from_intrinsic). */
function logicalIdOf(value: unknown): string | undefined {
  if (!isObject(value)) return undefined;
  if (typeof value.Ref === "string") return value.Ref;
  const getAtt = value["Fn::GetAtt"];
  if (Array.isArray(getAtt) && typeof getAtt[0] === "string") return getAtt[0];
  if (typeof getAtt === "string") return getAtt.split(".")[0];
  return undefined;
}

/** FunctionUrlConfig → AWS::Lambda::Url `<Fn>Url`; AuthType NONE adds SAM's two public permissions. */
function functionUrl(expansion: Expansion, target: FunctionTarget, config: unknown): void {
  const { functionId } = target;
  if (!isObject(config)) throw invalidResource(functionId, "Property 'FunctionUrlConfig' should be a map.");
  const authType = config.AuthType;
  if (authType !== "NONE" && authType !== "AWS_IAM" && typeof authType === "string") {
    throw invalidResource(
      functionId,
      "AuthType is required to configure function property `FunctionUrlConfig`. Please provide either AWS_IAM or NONE.",
    );
  }
  if (authType === undefined) {
    throw invalidResource(
      functionId,
      "AuthType is required to configure function property `FunctionUrlConfig`. Please provide either AWS_IAM or NONE.",
    );
  }
  const attributes = passthroughAttributes(target.resource);
  expansion.output[`${functionId}Url`] = {
    Type: "AWS::Lambda::Url",
    ...attributes,
    Properties: compact({
      TargetFunctionArn: target.nameOrArn,
      AuthType: authType,
      Cors: config.Cors,
      InvokeMode: config.InvokeMode,
    }),
  };
  if (authType !== "NONE") return;
  expansion.output[`${functionId}UrlPublicPermissions`] = {
    Type: "AWS::Lambda::Permission",
    ...attributes,
    Properties: {
      Action: "lambda:InvokeFunctionUrl",
      FunctionName: target.nameOrArn,
      Principal: "*",
      FunctionUrlAuthType: "NONE",
    },
  };
  expansion.output[`${functionId}URLInvokeAllowPublicAccess`] = {
    Type: "AWS::Lambda::Permission",
    ...attributes,
    Properties: {
      Action: "lambda:InvokeFunction",
      FunctionName: target.nameOrArn,
      Principal: "*",
      InvokedViaFunctionUrl: true,
    },
  };
}
