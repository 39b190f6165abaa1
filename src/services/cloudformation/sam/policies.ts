// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub strings are written with ${...} on purpose.
/**
 * The Policies property of a SAM function: AWS managed policy names → ARNs, inline statements, and
 * SAM's policy templates (https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/
 * serverless-policy-template-list.html) expanded to the statements SAM documents for them. Each template
 * is a statement list in which `{Ref: <Parameter>}` stands for the value the user gave.
 */
import { invalidResource } from "./errors.ts";
import { fnSub, isIntrinsic, isObject, type JsonObject } from "./json.ts";

/** `arn:${AWS::Partition}:<service>:${AWS::Region}:${AWS::AccountId}:<resource>` with `${name}` from the parameter. */
function regionalArn(service: string, resource: string, variables: Record<string, string>): JsonObject {
  const bound: JsonObject = {};
  for (const [variable, parameter] of Object.entries(variables)) bound[variable] = { Ref: parameter };
  return fnSub(`arn:\${AWS::Partition}:${service}:\${AWS::Region}:\${AWS::AccountId}:${resource}`, bound);
}

function tableAndIndexes(): JsonObject[] {
  return [
    regionalArn("dynamodb", "table/${tableName}", { tableName: "TableName" }),
    regionalArn("dynamodb", "table/${tableName}/index/*", { tableName: "TableName" }),
  ];
}

function bucketAndObjects(): JsonObject[] {
  return [
    fnSub("arn:${AWS::Partition}:s3:::${bucketName}", { bucketName: { Ref: "BucketName" } }),
    fnSub("arn:${AWS::Partition}:s3:::${bucketName}/*", { bucketName: { Ref: "BucketName" } }),
  ];
}

function allow(action: string[] | string, resource: unknown): JsonObject {
  return { Action: action, Effect: "Allow", Resource: resource };
}

interface PolicyTemplate {
  readonly parameters: readonly string[];
  readonly statements: () => JsonObject[];
}

const POLICY_TEMPLATES: Record<string, PolicyTemplate> = {
  DynamoDBCrudPolicy: {
    parameters: ["TableName"],
    statements: () => [
      allow(
        [
          "dynamodb:GetItem",
          "dynamodb:DeleteItem",
          "dynamodb:PutItem",
          "dynamodb:Scan",
          "dynamodb:Query",
          "dynamodb:UpdateItem",
          "dynamodb:BatchWriteItem",
          "dynamodb:BatchGetItem",
          "dynamodb:DescribeTable",
          "dynamodb:ConditionCheckItem",
        ],
        tableAndIndexes(),
      ),
    ],
  },
  DynamoDBReadPolicy: {
    parameters: ["TableName"],
    statements: () => [
      allow(
        [
          "dynamodb:GetItem",
          "dynamodb:Scan",
          "dynamodb:Query",
          "dynamodb:BatchGetItem",
          "dynamodb:DescribeTable",
        ],
        tableAndIndexes(),
      ),
    ],
  },
  DynamoDBWritePolicy: {
    parameters: ["TableName"],
    statements: () => [
      allow(["dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:BatchWriteItem"], tableAndIndexes()),
    ],
  },
  DynamoDBStreamReadPolicy: {
    parameters: ["StreamName", "TableName"],
    statements: () => [
      allow(
        ["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator"],
        regionalArn("dynamodb", "table/${tableName}/stream/${streamName}", {
          streamName: "StreamName",
          tableName: "TableName",
        }),
      ),
      allow(
        ["dynamodb:ListStreams"],
        regionalArn("dynamodb", "table/${tableName}/stream/*", { tableName: "TableName" }),
      ),
    ],
  },
  S3ReadPolicy: {
    parameters: ["BucketName"],
    statements: () => [
      allow(
        [
          "s3:GetObject",
          "s3:ListBucket",
          "s3:GetBucketLocation",
          "s3:GetObjectVersion",
          "s3:GetLifecycleConfiguration",
        ],
        bucketAndObjects(),
      ),
    ],
  },
  S3WritePolicy: {
    parameters: ["BucketName"],
    statements: () => [
      allow(["s3:PutObject", "s3:PutObjectAcl", "s3:PutLifecycleConfiguration"], bucketAndObjects()),
    ],
  },
  S3CrudPolicy: {
    parameters: ["BucketName"],
    statements: () => [
      allow(
        [
          "s3:GetObject",
          "s3:ListBucket",
          "s3:GetBucketLocation",
          "s3:GetObjectVersion",
          "s3:PutObject",
          "s3:PutObjectAcl",
          "s3:GetLifecycleConfiguration",
          "s3:PutLifecycleConfiguration",
          "s3:DeleteObject",
        ],
        bucketAndObjects(),
      ),
    ],
  },
  LambdaInvokePolicy: {
    parameters: ["FunctionName"],
    statements: () => [
      allow(
        ["lambda:InvokeFunction"],
        regionalArn("lambda", "function:${functionName}*", { functionName: "FunctionName" }),
      ),
    ],
  },
  CloudWatchPutMetricPolicy: {
    parameters: [],
    statements: () => [allow(["cloudwatch:PutMetricData"], "*")],
  },
  SQSSendMessagePolicy: {
    parameters: ["QueueName"],
    statements: () => [
      allow(["sqs:SendMessage*"], regionalArn("sqs", "${queueName}", { queueName: "QueueName" })),
    ],
  },
  SQSPollerPolicy: {
    parameters: ["QueueName"],
    statements: () => [
      allow(
        [
          "sqs:ChangeMessageVisibility",
          "sqs:ChangeMessageVisibilityBatch",
          "sqs:DeleteMessage",
          "sqs:DeleteMessageBatch",
          "sqs:GetQueueAttributes",
          "sqs:ReceiveMessage",
        ],
        regionalArn("sqs", "${queueName}", { queueName: "QueueName" }),
      ),
    ],
  },
  SNSPublishMessagePolicy: {
    parameters: ["TopicName"],
    statements: () => [
      allow(["sns:Publish"], regionalArn("sns", "${topicName}", { topicName: "TopicName" })),
    ],
  },
  SSMParameterReadPolicy: {
    parameters: ["ParameterName"],
    statements: () => [
      allow(["ssm:DescribeParameters"], "*"),
      allow(
        ["ssm:GetParameters", "ssm:GetParameter", "ssm:GetParametersByPath"],
        regionalArn("ssm", "parameter/${parameterName}", { parameterName: "ParameterName" }),
      ),
    ],
  },
  AWSSecretsManagerGetSecretValuePolicy: {
    parameters: ["SecretArn"],
    statements: () => [
      allow(["secretsmanager:GetSecretValue"], fnSub("${secretArn}", { secretArn: { Ref: "SecretArn" } })),
    ],
  },
  StepFunctionsExecutionPolicy: {
    parameters: ["StateMachineName"],
    statements: () => [
      allow(
        ["states:StartExecution"],
        regionalArn("states", "stateMachine:${stateMachineName}", { stateMachineName: "StateMachineName" }),
      ),
    ],
  },
  EventBridgePutEventsPolicy: {
    parameters: ["EventBusName"],
    statements: () => [
      allow(
        "events:PutEvents",
        regionalArn("events", "event-bus/${eventBusName}", { eventBusName: "EventBusName" }),
      ),
    ],
  },
  KMSDecryptPolicy: {
    parameters: ["KeyId"],
    statements: () => [allow("kms:Decrypt", regionalArn("kms", "key/${keyId}", { keyId: "KeyId" }))],
  },
};

/** Every policy template SAM documents; the ones not in POLICY_TEMPLATES are refused honestly. */
const SAM_POLICY_TEMPLATE_NAMES = new Set([
  "AMIDescribePolicy",
  "AWSSecretsManagerGetSecretValuePolicy",
  "AWSSecretsManagerRotationPolicy",
  "AcmGetCertificatePolicy",
  "AthenaQueryPolicy",
  "CloudFormationDescribeStacksPolicy",
  "CloudWatchDashboardPolicy",
  "CloudWatchDescribeAlarmHistoryPolicy",
  "CloudWatchPutMetricPolicy",
  "CodeCommitCrudPolicy",
  "CodeCommitReadPolicy",
  "CodePipelineLambdaExecutionPolicy",
  "CodePipelineReadOnlyPolicy",
  "ComprehendBasicAccessPolicy",
  "CostExplorerReadOnlyPolicy",
  "DynamoDBBackupFullAccessPolicy",
  "DynamoDBCrudPolicy",
  "DynamoDBReadPolicy",
  "DynamoDBReconfigurePolicy",
  "DynamoDBRestoreFromBackupPolicy",
  "DynamoDBStreamReadPolicy",
  "DynamoDBWritePolicy",
  "EC2CopyImagePolicy",
  "EC2DescribePolicy",
  "EFSWriteAccessPolicy",
  "EKSDescribePolicy",
  "EcsRunTaskPolicy",
  "ElasticMapReduceAddJobFlowStepsPolicy",
  "ElasticMapReduceCancelStepsPolicy",
  "ElasticMapReduceModifyInstanceFleetPolicy",
  "ElasticMapReduceModifyInstanceGroupsPolicy",
  "ElasticMapReduceSetTerminationProtectionPolicy",
  "ElasticMapReduceTerminateJobFlowsPolicy",
  "ElasticsearchHttpPostPolicy",
  "EventBridgePutEventsPolicy",
  "FilterLogEventsPolicy",
  "FirehoseCrudPolicy",
  "FirehoseWritePolicy",
  "KMSDecryptPolicy",
  "KMSEncryptPolicy",
  "KMSEncryptPolicy_v2",
  "KinesisCrudPolicy",
  "KinesisStreamReadPolicy",
  "LambdaInvokePolicy",
  "MobileAnalyticsWriteOnlyAccessPolicy",
  "OrganizationsListAccountsPolicy",
  "PinpointEndpointAccessPolicy",
  "PollyFullAccessPolicy",
  "RekognitionDetectOnlyPolicy",
  "RekognitionFacesManagementPolicy",
  "RekognitionFacesPolicy",
  "RekognitionLabelsPolicy",
  "RekognitionNoDataAccessPolicy",
  "RekognitionReadPolicy",
  "RekognitionWriteOnlyAccessPolicy",
  "Route53ChangeResourceRecordSetsPolicy",
  "S3CrudPolicy",
  "S3FullAccessPolicy",
  "S3ReadPolicy",
  "S3WritePolicy",
  "SESBulkTemplatedCrudPolicy",
  "SESBulkTemplatedCrudPolicy_v2",
  "SESCrudPolicy",
  "SESEmailTemplateCrudPolicy",
  "SESSendBouncePolicy",
  "SNSCrudPolicy",
  "SNSPublishMessagePolicy",
  "SQSPollerPolicy",
  "SQSSendMessagePolicy",
  "SSMParameterReadPolicy",
  "SSMParameterWithSlashPrefixReadPolicy",
  "SageMakerCreateEndpointConfigPolicy",
  "SageMakerCreateEndpointPolicy",
  "ServerlessRepoReadWriteAccessPolicy",
  "StepFunctionsCallbackPolicy",
  "StepFunctionsExecutionPolicy",
  "StepFunctionsExecutionPolicy_v2",
  "TextractDetectAnalyzePolicy",
  "TextractGetResultPolicy",
  "TextractPolicy",
  "VPCAccessPolicy",
]);

/**
 * AWS managed policies whose ARN has a path. SAM looks names up in a bundled map of every AWS managed
 * policy; we keep the ones Lambda functions use, and give any other name the root path (most AWS managed
 * policies have none). An ARN is used as is.
 */
const MANAGED_POLICY_PATHS: Record<string, string> = {
  AWSLambdaBasicExecutionRole: "service-role/",
  AWSLambdaDynamoDBExecutionRole: "service-role/",
  AWSLambdaKinesisExecutionRole: "service-role/",
  AWSLambdaSQSQueueExecutionRole: "service-role/",
  AWSLambdaVPCAccessExecutionRole: "service-role/",
  AWSLambdaMSKExecutionRole: "service-role/",
  AWSLambdaRole: "service-role/",
  AWSLambdaENIManagementAccess: "service-role/",
  AWSLambdaBasicDurableExecutionRolePolicy: "service-role/",
  AmazonAPIGatewayPushToCloudWatchLogs: "service-role/",
  AWSAppSyncPushToCloudWatchLogs: "service-role/",
  AWSIoTRuleActions: "service-role/",
  AWSConfigRulesExecutionRole: "service-role/",
  AmazonS3ObjectLambdaExecutionRolePolicy: "service-role/",
  AdministratorAccess: "",
  PowerUserAccess: "",
  ReadOnlyAccess: "",
  ViewOnlyAccess: "job-function/",
  DatabaseAdministrator: "job-function/",
  DataScientist: "job-function/",
  NetworkAdministrator: "job-function/",
  SystemAdministrator: "job-function/",
  SupportUser: "job-function/",
  Billing: "job-function/",
};

export function managedPolicyArn(name: string, partition: string): string {
  if (name.startsWith("arn:")) return name;
  return `arn:${partition}:iam::aws:policy/${MANAGED_POLICY_PATHS[name] ?? ""}${name}`;
}

/** What one entry of Policies contributes to the generated role. */
export type PolicyEntry =
  | { readonly kind: "managed"; readonly arn: unknown }
  | { readonly kind: "document"; readonly document: unknown };

/** Classifies and expands one Policies entry as SAM's ResourcePolicies + policy template processor do. */
export function expandPolicy(
  functionId: string,
  index: number,
  entry: unknown,
  partition: string,
): PolicyEntry {
  if (typeof entry === "string") return { kind: "managed", arn: managedPolicyArn(entry, partition) };
  if (isIntrinsic(entry))
    return { kind: "managed", arn: mapIfBranches(entry, (name) => managedPolicyArn(name, partition)) };
  if (isObject(entry) && "Statement" in entry) return { kind: "document", document: entry };
  if (isObject(entry) && Object.keys(entry).length === 1) {
    const [name, values] = Object.entries(entry)[0] as [string, unknown];
    const template = POLICY_TEMPLATES[name];
    if (template !== undefined)
      return { kind: "document", document: { Statement: instantiate(functionId, name, template, values) } };
    if (SAM_POLICY_TEMPLATE_NAMES.has(name)) {
      throw invalidResource(functionId, `Stratus does not support the policy template '${name}' yet.`);
    }
  }
  throw invalidResource(functionId, `Policy at index ${index} in the 'Policies' property is not valid`);
}

function instantiate(
  functionId: string,
  name: string,
  template: PolicyTemplate,
  values: unknown,
): JsonObject[] {
  if (!isObject(values)) {
    throw invalidResource(functionId, `Must specify valid parameter values for policy template '${name}'`);
  }
  const missing = template.parameters.filter((parameter) => !(parameter in values));
  if (missing.length > 0) {
    throw invalidResource(
      functionId,
      `Following required parameters of template '${name}' don't have values: [${missing.map((m) => `'${m}'`).join(", ")}]`,
    );
  }
  return template.statements().map((statement) => substituteParameters(statement, values) as JsonObject);
}

/** Replaces the template's `{Ref: Parameter}` placeholders by the user's values. */
function substituteParameters(value: unknown, values: JsonObject): unknown {
  if (Array.isArray(value)) return value.map((item) => substituteParameters(item, values));
  if (!isObject(value)) return value;
  if (isIntrinsic(value) && typeof value.Ref === "string" && value.Ref in values) return values[value.Ref];
  const out: JsonObject = {};
  for (const [key, item] of Object.entries(value)) out[key] = substituteParameters(item, values);
  return out;
}

/** `Fn::If` of managed policy names: SAM converts both string branches. */
function mapIfBranches(value: JsonObject, convert: (name: string) => string): unknown {
  const branches = value["Fn::If"];
  if (!Array.isArray(branches) || branches.length !== 3) return value;
  const [condition, whenTrue, whenFalse] = branches;
  const map = (branch: unknown): unknown => (typeof branch === "string" ? convert(branch) : branch);
  return { "Fn::If": [condition, map(whenTrue), map(whenFalse)] };
}
