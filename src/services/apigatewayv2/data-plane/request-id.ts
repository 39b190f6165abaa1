/**
 * HTTP API request ids: 16 characters, base64 of 11 bytes with its one `=` of padding, as
 * `apigw-requestid` and requestContext.requestId show them on AWS ("Mc7UVioPPHcEKPA=" in the
 * developer guide's JWT troubleshooting page; "P8zkDiQ8oAMEJsQ=" in captured events). Payload 1.0
 * events carry the same value as requestId and extendedRequestId.
 */
import { shortRequestId } from "../../execute-api/request-ids.ts";

/** Cut from a pool of random text (request-ids.ts): encoding 11 random bytes per request cost ~1 µs. */
export function httpApiRequestId(): string {
  return shortRequestId();
}
