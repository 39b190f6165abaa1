/**
 * The API Gateway (REST API, v1) resource providers, by CloudFormation type name.
 */
import type { ProviderTable } from "../types.ts";
import { accountProvider } from "./account.ts";
import { apiKeyProvider } from "./api-key.ts";
import { authorizerProvider } from "./authorizer.ts";
import { customDomainUnsupported } from "./custom-domains.ts";
import { deploymentProvider } from "./deployment.ts";
import { gatewayResponseProvider } from "./gateway-response.ts";
import { methodProvider } from "./method.ts";
import { modelProvider } from "./model.ts";
import { requestValidatorProvider } from "./request-validator.ts";
import { resourceProvider } from "./resource.ts";
import { restApiProvider } from "./rest-api.ts";
import { stageProvider } from "./stage.ts";
import { usagePlanProvider } from "./usage-plan.ts";
import { usagePlanKeyProvider } from "./usage-plan-key.ts";

export const apiGatewayProviders: ProviderTable = {
  "AWS::ApiGateway::RestApi": restApiProvider,
  "AWS::ApiGateway::Resource": resourceProvider,
  "AWS::ApiGateway::Method": methodProvider,
  "AWS::ApiGateway::Deployment": deploymentProvider,
  "AWS::ApiGateway::Stage": stageProvider,
  "AWS::ApiGateway::Authorizer": authorizerProvider,
  "AWS::ApiGateway::ApiKey": apiKeyProvider,
  "AWS::ApiGateway::UsagePlan": usagePlanProvider,
  "AWS::ApiGateway::UsagePlanKey": usagePlanKeyProvider,
  "AWS::ApiGateway::Model": modelProvider,
  "AWS::ApiGateway::RequestValidator": requestValidatorProvider,
  "AWS::ApiGateway::GatewayResponse": gatewayResponseProvider,
  "AWS::ApiGateway::Account": accountProvider,
  "AWS::ApiGateway::DomainName": customDomainUnsupported("AWS::ApiGateway::DomainName"),
  "AWS::ApiGateway::BasePathMapping": customDomainUnsupported("AWS::ApiGateway::BasePathMapping"),
};
