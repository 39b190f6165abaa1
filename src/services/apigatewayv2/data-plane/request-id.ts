/**
 * HTTP API request ids: 16 characters, base64 of 11 bytes with its one `=` of padding, as
 * `apigw-requestid` and requestContext.requestId show them on AWS ("Mc7UVioPPHcEKPA=" in the
 * developer guide's JWT troubleshooting page; "P8zkDiQ8oAMEJsQ=" in captured events). Payload 1.0
 * events carry the same value as requestId and extendedRequestId.
 */
import { apiGatewayShortId } from "../../../aws/ids.ts";

export function httpApiRequestId(): string {
  return apiGatewayShortId();
}
