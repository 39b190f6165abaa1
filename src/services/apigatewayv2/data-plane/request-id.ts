/**
 * HTTP API request ids: 16 characters, base64 of 11 bytes with its one `=` of padding, as
 * `apigw-requestid` and requestContext.requestId show them on AWS ("Mc7UVioPPHcEKPA=" in the
 * developer guide's JWT troubleshooting page; "P8zkDiQ8oAMEJsQ=" in captured events). Payload 1.0
 * events carry the same value as requestId and extendedRequestId.
 */
import { randomBytes } from "node:crypto";

export function httpApiRequestId(): string {
  // base64 without + and / (AWS's ids look alphanumeric): redraw the few bytes that would give them.
  for (;;) {
    const id = randomBytes(11).toString("base64");
    if (!/[+/]/.test(id)) return id;
  }
}
