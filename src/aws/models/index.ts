/**
 * The trimmed AWS API models (generated from botocore by scripts/gen-service-models.py; model data is
 * AWS's, Apache-2.0, see NOTICE). They tell the edge which operations each service has and how each is
 * bound to HTTP, so that routing and "not implemented" answers follow AWS's own definitions.
 */
import { readFileSync } from "node:fs";
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
}

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
    model = JSON.parse(readFileSync(new URL(`./${name}.json`, import.meta.url), "utf8")) as ServiceModel;
    cache.set(name, model);
  }
  return model;
}
