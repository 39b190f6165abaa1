/**
 * awsQuery (STS, IAM, CloudFormation): a form-encoded `Action=...&Version=...` body (or query string),
 * XML results wrapped in `<{Action}Response>`, errors in `<ErrorResponse>`.
 */
import { AwsError } from "../errors.ts";
import type { ServiceModel } from "../models/index.ts";
import type { EncodedResponse, ErrorStyle, OperationResolution, ProtocolRequest } from "./protocol.ts";
import { firstValue, parseForm } from "./query-string.ts";
import { escapeXml, XML_DECLARATION, xmlFields } from "./xml.ts";

/** The request's parameters: the form body of a POST, else the query string. */
export async function queryParameters(request: ProtocolRequest): Promise<ReadonlyMap<string, string[]>> {
  if (request.method === "POST") {
    const body = await request.readBody();
    if (body.length > 0) return parseForm(body.toString("utf8"));
  }
  return request.query;
}

export async function resolveQueryOperation(
  model: ServiceModel,
  request: ProtocolRequest,
): Promise<OperationResolution> {
  const params = await queryParameters(request);
  const action = firstValue(params, "Action");
  if (action === undefined || action === "") {
    return { error: new AwsError("MissingAction", "Missing Action", 400) };
  }
  if (!(action in model.operations)) {
    const version = firstValue(params, "Version") ?? model.metadata.apiVersion;
    return {
      error: new AwsError("InvalidAction", `Could not find operation ${action} for version ${version}`, 400),
    };
  }
  return { operation: action, pathParams: {} };
}

export function encodeQueryError(error: AwsError, style: ErrorStyle, requestId: string): EncodedResponse {
  const xmlns = style.xmlNamespace ? ` xmlns="${style.xmlNamespace}"` : "";
  const body =
    `${XML_DECLARATION}<ErrorResponse${xmlns}><Error><Type>${error.fault}</Type>` +
    `<Code>${escapeXml(error.code)}</Code><Message>${escapeXml(error.message)}</Message>${xmlFields(error.fields)}` +
    `</Error><RequestId>${escapeXml(requestId)}</RequestId></ErrorResponse>`;
  return {
    status: error.status,
    headers: { ...error.headers, "x-amzn-RequestId": requestId, "Content-Type": "text/xml" },
    body,
  };
}

/**
 * An awsQuery result document: `<{Op}Response xmlns><{Op}Result>…</{Op}Result><ResponseMetadata>`.
 * `resultXml` is the already-written inside of `<{Op}Result>`.
 */
export function encodeQueryResult(
  operation: string,
  resultXml: string,
  xmlNamespace: string | undefined,
  requestId: string,
): { status: number; headers: Record<string, string>; body: string } {
  const xmlns = xmlNamespace ? ` xmlns="${xmlNamespace}"` : "";
  return {
    status: 200,
    headers: { "Content-Type": "text/xml" },
    body:
      `${XML_DECLARATION}<${operation}Response${xmlns}><${operation}Result>${resultXml}</${operation}Result>` +
      `<ResponseMetadata><RequestId>${escapeXml(requestId)}</RequestId></ResponseMetadata></${operation}Response>`,
  };
}
