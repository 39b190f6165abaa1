/**
 * The API Gateway V2 (HTTP and WebSocket APIs) resource providers, by CloudFormation type name.
 */
import { customDomainUnsupported } from "../apigateway/custom-domains.ts";
import type { ProviderTable } from "../types.ts";
import { apiProvider } from "./api.ts";
import { authorizerProvider } from "./authorizer.ts";
import { deploymentProvider } from "./deployment.ts";
import { integrationProvider } from "./integration.ts";
import { routeProvider } from "./route.ts";
import { stageProvider } from "./stage.ts";

export const apiGatewayV2Providers: ProviderTable = {
  "AWS::ApiGatewayV2::Api": apiProvider,
  "AWS::ApiGatewayV2::Route": routeProvider,
  "AWS::ApiGatewayV2::Integration": integrationProvider,
  "AWS::ApiGatewayV2::Stage": stageProvider,
  "AWS::ApiGatewayV2::Authorizer": authorizerProvider,
  "AWS::ApiGatewayV2::Deployment": deploymentProvider,
  "AWS::ApiGatewayV2::DomainName": customDomainUnsupported("AWS::ApiGatewayV2::DomainName"),
  "AWS::ApiGatewayV2::ApiMapping": customDomainUnsupported("AWS::ApiGatewayV2::ApiMapping"),
};
