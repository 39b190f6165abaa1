/**
 * The HTTP API control plane's errors, as API Gateway v2 writes them: restJson1, `x-amzn-ErrorType`
 * header and `{"message": ...}` body.
 *
 * Sources of the texts:
 * - "Invalid API identifier specified {accountId}:{apiId}" — recorded from AWS in aws/aws-sdk-js#2458
 *   and aws/aws-sam-cli#7030 (404 NotFoundException).
 * - "Invalid {Route|Integration|Authorizer} identifier specified {id}" — moto's apigatewayv2 catalogue;
 *   the trailing id form is not confirmed against AWS.
 * - "Invalid stage identifier specified" is API Gateway v1's recorded text; v2's suffix (the stage name)
 *   is not confirmed.
 * - "Unable to deploy API because no routes exist in this API" — AWS CLI output quoted in forum posts.
 * - Every other BadRequestException text here is Stratus's own wording (marked "unconfirmed").
 */
import { AwsError } from "../../../aws/errors.ts";

export function notFound(message: string, resourceType?: string): AwsError {
  return new AwsError("NotFoundException", message, 404, {
    fields: resourceType === undefined ? {} : { resourceType },
  });
}

export function badRequest(message: string): AwsError {
  return new AwsError("BadRequestException", message, 400);
}

export function conflict(message: string): AwsError {
  return new AwsError("ConflictException", message, 409);
}

export function apiNotFound(accountId: string, apiId: string): AwsError {
  return notFound(`Invalid API identifier specified ${accountId}:${apiId}`);
}

export function routeNotFound(routeId: string): AwsError {
  return notFound(`Invalid Route identifier specified ${routeId}`);
}

export function integrationNotFound(integrationId: string): AwsError {
  return notFound(`Invalid Integration identifier specified ${integrationId}`);
}

export function authorizerNotFound(authorizerId: string): AwsError {
  return notFound(`Invalid Authorizer identifier specified ${authorizerId}`);
}

export function stageNotFound(stageName: string): AwsError {
  return notFound(`Invalid stage identifier specified ${stageName}`);
}

export function deploymentNotFound(deploymentId: string): AwsError {
  return notFound(`Invalid Deployment identifier specified ${deploymentId}`);
}

export function noRoutesToDeploy(): AwsError {
  return badRequest("Unable to deploy API because no routes exist in this API");
}
