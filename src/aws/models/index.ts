/**
 * The trimmed AWS API models (generated from botocore by scripts/gen-service-models.py; model data is
 * AWS's, Apache-2.0, see NOTICE). They tell the edge which operations each service has and how each is
 * bound to HTTP, so that routing and "not implemented" answers follow AWS's own definitions, and they
 * carry every operation's input shapes so that src/aws/validation checks requests as AWS does.
 */
import { readFileSync } from "node:fs";
import { packagePath } from "../../package-root.ts";
import type { ProtocolName } from "../protocols/protocol.ts";

export interface OperationBinding {
  method: string;
  /** e.g. `/2015-03-31/functions/{FunctionName}/invocations` or `/{Bucket}/{Key+}?uploads` */
  requestUri: string;
  /** Query keys the input requires (bound with `location: querystring`). */
  requiredQuery?: string[];
  /** Lower-case header names the input requires. */
  requiredHeaders?: string[];
  deprecated?: boolean;
  /** Name of the operation's input shape in `ServiceModel.shapes` (absent: the operation takes none). */
  input?: string;
}

/** Where a REST service binds a member (absent: the body). */
export type MemberLocation = "uri" | "querystring" | "header" | "headers" | "statusCode";

export interface MemberRef {
  shape: string;
  location?: MemberLocation;
  /** The header, query key or URI label the member is bound to. */
  locationName?: string;
}

/** Constraints a shape may carry: lengths for strings, blobs, lists and maps; values for numbers. */
interface ShapeConstraints {
  min?: number;
  max?: number;
  /** A Java regular expression the whole string must match. */
  pattern?: string;
  enum?: string[];
}

export interface StructureShape extends ShapeConstraints {
  type: "structure";
  /** Members in the model's order (the order AWS lists their violations in, as far as we know). */
  members: Record<string, MemberRef>;
  required?: string[];
  union?: boolean;
  /** A free-form JSON document: any value, never checked. */
  document?: boolean;
}

export interface ListShape extends ShapeConstraints {
  type: "list";
  member: string;
}

export interface MapShape extends ShapeConstraints {
  type: "map";
  key: string;
  value: string;
}

export interface ScalarShape extends ShapeConstraints {
  type: "string" | "boolean" | "integer" | "long" | "float" | "double" | "blob" | "timestamp";
}

export type Shape = StructureShape | ListShape | MapShape | ScalarShape;

export interface ServiceModel {
  botocoreVersion: string;
  metadata: {
    apiVersion: string;
    protocol: ProtocolName;
    signingName: string;
    endpointPrefix: string;
    targetPrefix: string | null;
    serviceId: string | null;
  };
  operations: Record<string, OperationBinding>;
  /** The input shapes of every operation and the shapes they reach, by name. */
  shapes: Record<string, Shape>;
}

export const MODEL_NAMES = [
  "dynamodb",
  "dynamodbstreams",
  "lambda",
  "s3",
  "apigateway",
  "apigatewayv2",
  "cloudformation",
  "iam",
  "sts",
  "logs",
  "cloudfront",
] as const;
export type ModelName = (typeof MODEL_NAMES)[number];

const cache = new Map<ModelName, ServiceModel>();

export function loadModel(name: ModelName): ServiceModel {
  let model = cache.get(name);
  if (!model) {
    model = JSON.parse(
      readFileSync(packagePath("src", "aws", "models", `${name}.json`), "utf8"),
    ) as ServiceModel;
    cache.set(name, model);
  }
  return model;
}
