/**
 * Every resource type a stack can hold, by CloudFormation type name. A type not listed here fails its
 * stack with CloudFormation's words for an unsupported type (engine). Each family lives in its own
 * folder.
 */
import { apiGatewayProviders } from "./apigateway/index.ts";
import { apiGatewayV2Providers } from "./apigatewayv2/index.ts";
import { cdkProviders } from "./cdk/index.ts";
import { cloudFormationProviders } from "./cloudformation/index.ts";
import { dynamodbProviders } from "./dynamodb/index.ts";
import { iamProviders } from "./iam/index.ts";
import { lambdaProviders } from "./lambda/index.ts";
import { logsProviders } from "./logs/index.ts";
import { s3Providers } from "./s3/index.ts";
import type { ProviderTable, ResourceProvider } from "./types.ts";

export const PROVIDERS: ProviderTable = {
  ...lambdaProviders,
  ...iamProviders,
  ...logsProviders,
  ...apiGatewayProviders,
  ...apiGatewayV2Providers,
  ...dynamodbProviders,
  ...s3Providers,
  ...cdkProviders,
  ...cloudFormationProviders,
};

/** `Custom::Name` types are custom resources, as AWS::CloudFormation::CustomResource is. */
const CUSTOM_RESOURCE = "AWS::CloudFormation::CustomResource";

export function providerFor(type: string): ResourceProvider | undefined {
  const known = type.startsWith("Custom::") ? CUSTOM_RESOURCE : type;
  return Object.hasOwn(PROVIDERS, known) ? PROVIDERS[known] : undefined;
}
