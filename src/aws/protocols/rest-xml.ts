/**
 * restXml (S3, CloudFront): operations bound to method + path (+ literal query keys); errors are XML
 * documents. S3 writes a bare `<Error>` with `<RequestId>` and `<HostId>` inside; CloudFront wraps it in
 * `<ErrorResponse>`.
 */
import { AwsError } from "../errors.ts";
import type { EncodedResponse, ErrorStyle } from "./protocol.ts";
import { escapeXml, XML_DECLARATION, xmlFields } from "./xml.ts";

export function encodeRestXmlError(
  error: AwsError,
  style: ErrorStyle,
  requestId: string,
  hostId: string | undefined,
  method: string,
): EncodedResponse {
  const headers: Record<string, string> = { ...error.headers, "Content-Type": "application/xml" };
  const code = `<Code>${escapeXml(error.code)}</Code><Message>${escapeXml(error.message)}</Message>`;
  let body: string;
  if (style.xmlEnvelope === "errorResponse") {
    headers["x-amzn-RequestId"] = requestId;
    body = `${XML_DECLARATION}<ErrorResponse><Error><Type>${error.fault}</Type>${code}${xmlFields(error.fields)}</Error><RequestId>${escapeXml(requestId)}</RequestId></ErrorResponse>`;
  } else {
    headers["x-amz-request-id"] = requestId;
    if (hostId) headers["x-amz-id-2"] = hostId;
    body = `${XML_DECLARATION}<Error>${code}${xmlFields(error.fields)}<RequestId>${escapeXml(requestId)}</RequestId>${hostId ? `<HostId>${escapeXml(hostId)}</HostId>` : ""}</Error>`;
  }
  // A HEAD response has no body; S3 still sends the status and the request-id headers.
  return { status: error.status, headers, body: method === "HEAD" ? undefined : body };
}

/** No S3 operation is bound to this method on this kind of resource (source: S3 error codes list). */
export function methodNotAllowed(method: string, resourceType: string): AwsError {
  return new AwsError("MethodNotAllowed", "The specified method is not allowed against this resource.", 405, {
    fields: { Method: method, ResourceType: resourceType },
  });
}

/** S3's answer for functionality it does not implement (source: S3 error codes list). */
export function notImplemented(operation: string): AwsError {
  return new AwsError(
    "NotImplemented",
    "A header you provided implies functionality that is not implemented.",
    501,
    {
      fields: { Header: operation },
    },
  );
}
