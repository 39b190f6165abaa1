/**
 * Every service Stratus answers for, listed explicitly (no discovery by reflection). A service that
 * implements no operation yet is still registered: requests to it are routed, authenticated and
 * answered with AWS's own "unknown operation"/"not implemented" error of its protocol.
 *
 * Body limits are AWS's (sources in each entry); errors for bodies over them use the service's words.
 */
import { AwsError } from "../aws/errors.ts";
import { loadModel, type ModelName } from "../aws/models/index.ts";
import type { DataPlane } from "../edge/data-plane.ts";
import { createApiGatewayService } from "./apigateway/index.ts";
import { createApiGatewayV2Service } from "./apigatewayv2/index.ts";
import { createCloudFormationService } from "./cloudformation/index.ts";
import { createDynamoDbService } from "./dynamodb/index.ts";
import { createDynamoDbStreamsService } from "./dynamodbstreams/index.ts";
import { executeApiDataPlane } from "./execute-api/data-plane.ts";
import { type CallerIdentity, createServiceCaller, type ServiceCaller } from "./in-process-caller.ts";
import { createLambdaService, type LambdaService } from "./lambda/index.ts";
import { functionUrlDataPlane } from "./lambda/urls/data-plane.ts";
import { createLogsService, type LogsService } from "./logs/index.ts";
import { createS3Service, type S3Service } from "./s3/index.ts";
import { lambdaNotificationTarget } from "./s3/notifications/lambda-target.ts";
import { s3UnmodelledOperation } from "./s3/sharing.ts";
import { websiteDataPlane } from "./s3/website/data-plane.ts";
import type { OperationHandler, ServiceDefinition, ServiceDeps } from "./service.ts";
import { STS_XML_NAMESPACE, stsOperations } from "./sts/index.ts";

const MiB = 1024 * 1024;

interface ServiceParts {
  id: ModelName;
  bodyBytesMax: number;
  operationBodyBytesMax?: Record<string, number>;
  requestIdStyle?: ServiceDefinition["requestIdStyle"];
  errorStyle?: ServiceDefinition["errorStyle"];
  streamsBody?: boolean;
  bodyTooLarge?: ServiceDefinition["bodyTooLarge"];
  operations?: Record<string, OperationHandler>;
  acceptsAnonymous?: boolean;
  unmodelledOperation?: ServiceDefinition["unmodelledOperation"];
}

/** The coral-style 413 that JSON services answer to an oversized body. */
function entityTooLarge(limitBytes: number): AwsError {
  return new AwsError(
    "RequestEntityTooLargeException",
    `Request must be smaller than ${limitBytes} bytes.`,
    413,
  );
}

/**
 * Lambda's error bodies: its own errors are `{"Type":"User","Message":…}` (recorded in
 * shared/fixtures/aws-recorded/lambda-invoke-errors), the 413 is `{"Message":…}`, and the signature
 * errors of its front door are `{"message":…}` like every restJson service's.
 */
function lambdaErrorBody(error: AwsError): Record<string, unknown> {
  if (error.status === 403) return { message: error.message, ...error.fields };
  if (error.status === 413) return { Message: error.message };
  return { Type: error.fault === "Sender" ? "User" : "Service", Message: error.message, ...error.fields };
}

function define(parts: ServiceParts): ServiceDefinition {
  const model = loadModel(parts.id);
  return {
    id: parts.id,
    model,
    protocol: model.metadata.protocol,
    requestIdStyle: parts.requestIdStyle ?? "uuid",
    errorStyle: parts.errorStyle ?? {},
    bodyBytesMax: parts.bodyBytesMax,
    operationBodyBytesMax: parts.operationBodyBytesMax,
    bodyTooLarge: parts.bodyTooLarge ?? entityTooLarge,
    streamsBody: parts.streamsBody ?? false,
    operations: parts.operations ?? {},
    ...(parts.acceptsAnonymous ? { acceptsAnonymous: true } : {}),
    ...(parts.unmodelledOperation ? { unmodelledOperation: parts.unmodelledOperation } : {}),
  };
}

const DYNAMODB_NAMESPACE = "com.amazonaws.dynamodb.v20120810";
/** Errors DynamoDB's own model declares; everything else (auth, serialization) is coral's. */
const DYNAMODB_COMMON = new Set([
  "UnknownOperationException",
  "SerializationException",
  "InvalidSignatureException",
  "MissingAuthenticationTokenException",
  "UnrecognizedClientException",
  "IncompleteSignatureException",
  "AccessDeniedException",
  "RequestEntityTooLargeException",
]);

/** The `__type` namespace of DynamoDB's (and DynamoDB Streams') errors: coral's for its own codes. */
function dynamodbErrorNamespace(code: string): string {
  if (DYNAMODB_COMMON.has(code)) return "com.amazon.coral.service";
  return code === "ValidationException" ? "com.amazon.coral.validate" : DYNAMODB_NAMESPACE;
}

/** Lambda's own limits, quoted in its errors (Lambda quotas page; RequestTooLargeException). */
const LAMBDA_INVOKE_BYTES_MAX = 6 * MiB;
const LAMBDA_CREATE_BYTES_MAX = 69905067;

/** Services that other parts of Stratus use in-process, next to their definitions. */
export interface ServiceRegistry {
  readonly definitions: ServiceDefinition[];
  /** CloudWatch Logs' store: `logs.store.appendEvents(account, region, group, stream, events)`. */
  readonly logs: LogsService;
  /** Lambda: `lambda.invoker` runs functions for other services (notifications, integrations). */
  readonly lambda: LambdaService;
  /** S3: `s3.api` reads and writes objects for other services (Lambda code, templates, the CDN). */
  readonly s3: S3Service;
  /** The unsigned front doors (src/edge/data-plane.ts): Lambda function URLs. */
  readonly dataPlanes: DataPlane[];
  /** Calls any registered service's operations in-process, as `identity` (CloudFormation's providers). */
  callerFor(identity: CallerIdentity): ServiceCaller;
}

export function createServiceRegistry(deps: ServiceDeps): ServiceDefinition[] {
  return createServices(deps).definitions;
}

export function createServices(deps: ServiceDeps): ServiceRegistry {
  // One DynamoDB store, shared by DynamoDB Streams, which reads its stream records.
  const dynamodb = createDynamoDbService(deps);
  const dynamodbStreams = createDynamoDbStreamsService(dynamodb.store);
  // Created before Lambda so that Lambda can be handed `logs.store` for its function logs.
  const logs = createLogsService(deps);
  // S3 before Lambda: functions and layers can take their code from S3 (`s3.api`).
  const s3 = createS3Service(deps);
  const lambda = createLambdaService(deps, { logs: logs.store, dynamodb: dynamodb.store, s3: s3.api });
  // S3 event notifications go to Lambda, which exists only now.
  s3.connectNotifications(lambdaNotificationTarget(lambda, deps));
  const apiGatewayParts = (id: "apigateway" | "apigatewayv2") => ({
    deps,
    model: loadModel(id),
    lambda,
    logs: logs.store,
  });
  const restApis = createApiGatewayService(apiGatewayParts("apigateway"));
  const httpApis = createApiGatewayV2Service(apiGatewayParts("apigatewayv2"));
  // The caller reads `definitions` when it calls, by which time the list below exists.
  let definitions: ServiceDefinition[] = [];
  const callerFor = (identity: CallerIdentity) =>
    createServiceCaller(
      () => definitions,
      deps.clock,
      () => identity,
      () => deps.endpoint.url,
    );
  const cloudformation = createCloudFormationService({ deps, model: loadModel("cloudformation"), callerFor });
  definitions = [
    define({
      id: "dynamodb",
      operations: dynamodb.operations,
      // "The total request size exceeds 16 MB" (BatchWriteItem/TransactWriteItems limits).
      bodyBytesMax: 16 * MiB,
      requestIdStyle: "dynamodb",
      errorStyle: { crc32: true, jsonType: dynamodbErrorNamespace },
    }),
    define({
      id: "dynamodbstreams",
      operations: dynamodbStreams.operations,
      bodyBytesMax: 16 * MiB,
      requestIdStyle: "dynamodb",
      // Streams errors carry DynamoDB's namespace: `com.amazonaws.dynamodb.v20120810#ResourceNotFoundException`.
      errorStyle: { crc32: true, jsonType: dynamodbErrorNamespace },
    }),
    define({
      id: "lambda",
      operations: lambda.operations,
      bodyBytesMax: LAMBDA_CREATE_BYTES_MAX,
      operationBodyBytesMax: { Invoke: LAMBDA_INVOKE_BYTES_MAX },
      errorStyle: { restJsonBody: lambdaErrorBody },
      // Captured from Lambda: 413, X-Amzn-Errortype RequestEntityTooLargeException,
      // {"Message":"Request must be smaller than 6291456 bytes for the InvokeFunction operation"}.
      bodyTooLarge: (limit, operation) =>
        new AwsError(
          "RequestEntityTooLargeException",
          `Request must be smaller than ${limit} bytes for the ${operation === "Invoke" ? "InvokeFunction" : (operation ?? "requested")} operation`,
          413,
        ),
    }),
    define({
      id: "s3",
      operations: s3.operations,
      // A single PUT carries at most 5 GB (S3 quotas); object bodies are streamed, never buffered.
      bodyBytesMax: 5 * 1024 * MiB,
      requestIdStyle: "s3",
      errorStyle: { xmlEnvelope: "s3" },
      streamsBody: true,
      // Public objects and CORS preflights are served to unsigned requests (s3/sharing.ts decides).
      acceptsAnonymous: true,
      unmodelledOperation: s3UnmodelledOperation,
      bodyTooLarge: () =>
        new AwsError("EntityTooLarge", "Your proposed upload exceeds the maximum allowed size", 400),
    }),
    // API Gateway imports OpenAPI documents of up to 6 MB (API Gateway quotas).
    define({ id: "apigateway", bodyBytesMax: 6 * MiB, operations: restApis.operations }),
    define({ id: "apigatewayv2", bodyBytesMax: 6 * MiB, operations: httpApis.operations }),
    define({
      id: "cloudformation",
      bodyBytesMax: 2 * MiB,
      operations: cloudformation.operations,
      errorStyle: { xmlNamespace: "http://cloudformation.amazonaws.com/doc/2010-05-15/" },
    }),
    define({
      id: "iam",
      bodyBytesMax: 2 * MiB,
      errorStyle: { xmlNamespace: "https://iam.amazonaws.com/doc/2010-05-08/" },
    }),
    define({
      id: "sts",
      bodyBytesMax: 2 * MiB,
      errorStyle: { xmlNamespace: STS_XML_NAMESPACE },
      operations: stsOperations,
    }),
    // PutLogEvents batches are at most 1,048,576 bytes of messages (CloudWatch Logs quotas), checked by
    // the operation in AWS's words; the JSON around them (escapes, timestamps) needs room on top.
    define({ id: "logs", bodyBytesMax: 8 * MiB, operations: logs.operations }),
    define({ id: "cloudfront", bodyBytesMax: 1 * MiB, errorStyle: { xmlEnvelope: "errorResponse" } }),
  ];
  const dataPlanes = [
    functionUrlDataPlane({ store: lambda.store, invoker: lambda.invoker, deps }),
    websiteDataPlane(s3.parts),
    executeApiDataPlane(deps.storage, {
      rest: restApis.backend,
      http: httpApis.backend,
      websocket: httpApis.backend,
    }),
  ];
  return { definitions, logs, lambda, s3, dataPlanes, callerFor };
}
