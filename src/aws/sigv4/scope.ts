/**
 * The credential scope of a request, read without verifying anything: the edge uses it to tell which
 * service and region a request is for before it knows the request is genuine.
 */
import type { IncomingHttpHeaders } from "node:http";
import { headerValue, parseAuthorization, parseCredential, parseQuery, queryParam } from "./parse.ts";

export interface CredentialScope {
  accessKeyId: string;
  /** YYYYMMDD */
  date: string;
  region: string;
  service: string;
  presigned: boolean;
}

/**
 * From `Authorization: AWS4-HMAC-SHA256 Credential=…` or, without that header, the `X-Amz-Credential`
 * query parameter. Undefined when neither carries a well-formed five-part credential.
 */
export function readCredentialScope(
  headers: IncomingHttpHeaders,
  rawQuery: string,
): CredentialScope | undefined {
  const authorization = headerValue(headers, "authorization");
  if (authorization !== undefined) {
    const credential = parseAuthorization(authorization).params.get("Credential");
    const parts = credential === undefined ? undefined : parseCredential(credential);
    return parts && scopeOf(parts, false);
  }
  if (!rawQuery.includes("X-Amz-Credential")) return undefined;
  const credential = queryParam(parseQuery(rawQuery), "X-Amz-Credential");
  const parts = credential === undefined ? undefined : parseCredential(credential);
  return parts && scopeOf(parts, true);
}

function scopeOf(
  parts: NonNullable<ReturnType<typeof parseCredential>>,
  presigned: boolean,
): CredentialScope {
  return {
    accessKeyId: parts.accessKeyId,
    date: parts.date,
    region: parts.region,
    service: parts.service,
    presigned,
  };
}
