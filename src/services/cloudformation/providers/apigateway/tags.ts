/**
 * Tags of API Gateway resources (REST APIs, stages, API keys, usage plans; HTTP APIs and their
 * stages): CloudFormation's `Tags` as given at create, and on update only the keys that changed are
 * tagged or untagged (TagResource/UntagResource), as the resource handlers do.
 */
import type { ModelName } from "../../../../aws/models/index.ts";
import type { ProviderContext } from "../types.ts";

export async function retag(
  context: ProviderContext,
  service: Extract<ModelName, "apigateway" | "apigatewayv2">,
  resourceArn: string,
  before: Readonly<Record<string, string>> | undefined,
  after: Readonly<Record<string, string>> | undefined,
): Promise<void> {
  const old = before ?? {};
  const next = after ?? {};
  const removed = Object.keys(old).filter((key) => !(key in next));
  const set: Record<string, string> = {};
  for (const [key, value] of Object.entries(next)) if (old[key] !== value) set[key] = value;
  if (removed.length > 0)
    await context.call.call(service, "UntagResource", { resourceArn, tagKeys: removed });
  if (Object.keys(set).length > 0)
    await context.call.call(service, "TagResource", { resourceArn, tags: set });
}

/** The ARN API Gateway tags a REST API, API key, usage plan or stage by. */
export function apiGatewayArn(context: ProviderContext, path: string): string {
  return `arn:${context.partition}:apigateway:${context.region}::${path}`;
}
