/**
 * `$context.*` variables of HTTP APIs, as identity sources and access-log formats read them
 * (developer guide, "Customizing HTTP API access logs": the variable list). A variable with no value
 * for the request is undefined; access logs write it as `-`.
 */
import { requestTime } from "../../../aws/http-events/payload-v2.ts";
import type { ServedRequest } from "./served-request.ts";

export function contextVariable(name: string, served: ServedRequest): string | undefined {
  const { request } = served;
  if (name.startsWith("authorizer.")) return authorizerVariable(name.slice("authorizer.".length), served);
  switch (name) {
    case "accountId":
      return served.owner.accountId;
    case "apiId":
      return served.apiId;
    case "domainName":
      return served.domainName;
    case "domainPrefix":
      return served.domainPrefix;
    case "requestId":
    case "extendedRequestId":
      return served.requestId;
    case "httpMethod":
      return request.method;
    case "identity.sourceIp":
      return request.sourceIp;
    case "identity.userAgent":
      return headerValue(served, "user-agent");
    case "path":
      return request.rawPath;
    case "protocol":
      return request.protocol;
    case "requestTime":
      return requestTime(request.receivedAt);
    case "requestTimeEpoch":
      return String(Math.floor(request.receivedAt.getTime() / 1000));
    case "routeKey":
      return served.match?.route.routeKey;
    case "stage":
      return served.stageName;
    case "status":
      return served.status === undefined ? undefined : String(served.status);
    case "responseLength":
      return served.responseLength === undefined ? undefined : String(served.responseLength);
    case "responseLatency":
      return served.doneAt === undefined
        ? undefined
        : String(served.doneAt.getTime() - request.receivedAt.getTime());
    case "integrationStatus":
    case "integration.integrationStatus":
    case "integration.status":
      return served.integration?.status === undefined ? undefined : String(served.integration.status);
    case "integrationLatency":
    case "integration.latency":
      return served.integration?.latencyMs === undefined ? undefined : String(served.integration.latencyMs);
    case "integration.requestId":
      return served.integration?.requestId;
    case "integrationErrorMessage":
    case "integration.error":
      return served.integration?.error;
    case "error.message":
    case "error.messageString":
      return served.errorMessage === undefined
        ? undefined
        : name === "error.messageString"
          ? JSON.stringify(served.errorMessage)
          : served.errorMessage;
    case "error.responseType":
      return served.errorResponseType;
    default:
      return undefined;
  }
}

function authorizerVariable(name: string, served: ServedRequest): string | undefined {
  const authorizer = served.authorizer;
  if (authorizer === undefined) return undefined;
  if (name === "error") return authorizer.error;
  if (name === "principalId") return authorizer.principalId;
  if (name.startsWith("claims.")) return stringOf(authorizer.claims?.[name.slice("claims.".length)]);
  return stringOf(authorizer.context?.[name]);
}

function stringOf(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  return typeof value === "string" ? value : JSON.stringify(value);
}

function headerValue(served: ServedRequest, name: string): string | undefined {
  const value = served.request.headers[name];
  return Array.isArray(value) ? value.join(",") : value;
}
