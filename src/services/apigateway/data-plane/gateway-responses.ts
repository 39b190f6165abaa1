/**
 * Gateway responses: what API Gateway answers itself (no route, refused authorisation, throttling,
 * integration failures), customisable per API with PutGatewayResponse.
 *
 * A failure is a `GatewayError` of one response type; it is rendered from the API's own gateway
 * response for that type, else its DEFAULT_4XX/DEFAULT_5XX (which lends its template, parameters and
 * status, but the type keeps its own default status when the DEFAULT_* has none), else AWS's default:
 * the type's status and the template `{"message":$context.error.messageString}`.
 *
 * Sources: API Gateway developer guide, "Gateway response types" (types and default status codes:
 * DEFAULT_4XX/5XX have none); AWS knowledge center "How do I troubleshoot HTTP 403 errors from API
 * Gateway?" (x-amzn-ErrorType values: MissingAuthenticationTokenException, AccessDeniedException,
 * ForbiddenException for API keys; the authorizer deny texts and their capitalised `Message` key,
 * which the default template does not produce: AWS writes those bodies itself); LocalStack's
 * AWS-validated gateway-response tests (status fallback through DEFAULT_4XX/DEFAULT_5XX).
 */
import type { DataPlaneResponse } from "../../../edge/data-plane.ts";
import { mergeHeaders } from "../../execute-api/headers.ts";
import type { Json } from "../snapshot.ts";
import { renderTemplate } from "./vtl.ts";

export type GatewayResponseType =
  | "ACCESS_DENIED"
  | "API_CONFIGURATION_ERROR"
  | "AUTHORIZER_CONFIGURATION_ERROR"
  | "AUTHORIZER_FAILURE"
  | "BAD_REQUEST_PARAMETERS"
  | "BAD_REQUEST_BODY"
  | "DEFAULT_4XX"
  | "DEFAULT_5XX"
  | "EXPIRED_TOKEN"
  | "INTEGRATION_FAILURE"
  | "INTEGRATION_TIMEOUT"
  | "INVALID_API_KEY"
  | "INVALID_SIGNATURE"
  | "MISSING_AUTHENTICATION_TOKEN"
  | "QUOTA_EXCEEDED"
  | "REQUEST_TOO_LARGE"
  | "RESOURCE_NOT_FOUND"
  | "THROTTLED"
  | "UNAUTHORIZED"
  | "UNSUPPORTED_MEDIA_TYPE"
  | "WAF_FILTERED";

/** Default status of each type ("Gateway response types"); DEFAULT_4XX/5XX have none. */
const DEFAULT_STATUS: Record<GatewayResponseType, number | undefined> = {
  ACCESS_DENIED: 403,
  API_CONFIGURATION_ERROR: 500,
  AUTHORIZER_CONFIGURATION_ERROR: 500,
  AUTHORIZER_FAILURE: 500,
  BAD_REQUEST_PARAMETERS: 400,
  BAD_REQUEST_BODY: 400,
  DEFAULT_4XX: undefined,
  DEFAULT_5XX: undefined,
  EXPIRED_TOKEN: 403,
  INTEGRATION_FAILURE: 504,
  INTEGRATION_TIMEOUT: 504,
  INVALID_API_KEY: 403,
  INVALID_SIGNATURE: 403,
  MISSING_AUTHENTICATION_TOKEN: 403,
  QUOTA_EXCEEDED: 429,
  REQUEST_TOO_LARGE: 413,
  RESOURCE_NOT_FOUND: 404,
  THROTTLED: 429,
  UNAUTHORIZED: 401,
  UNSUPPORTED_MEDIA_TYPE: 415,
  WAF_FILTERED: 403,
};

const DEFAULT_TEMPLATE = '{"message":$context.error.messageString}';

/** A failure API Gateway answers itself. */
export class GatewayError extends Error {
  /** $context.error.message: null for authorizer configuration errors (their body is {"message": null}). */
  readonly text: string | null;

  constructor(
    readonly type: GatewayResponseType,
    message: string | null,
    /** x-amzn-ErrorType. */
    readonly errorType: string,
    /** The status when it is not the type's default (DEFAULT_5XX for a 502). */
    readonly status?: number,
    /**
     * A body AWS writes in place of the default template (the authorizer refusals' `{"Message":...}`);
     * a customised gateway response still wins over it.
     */
    readonly fixedBody?: string,
  ) {
    super(message ?? "null");
    this.text = message;
  }
}

export const missingAuthenticationToken = () =>
  new GatewayError(
    "MISSING_AUTHENTICATION_TOKEN",
    "Missing Authentication Token",
    "MissingAuthenticationTokenException",
  );
export const unauthorized = () => new GatewayError("UNAUTHORIZED", "Unauthorized", "UnauthorizedException");
export const explicitDeny = () => {
  const message =
    "User is not authorized to access this resource with an explicit deny in an identity-based policy";
  return new GatewayError(
    "ACCESS_DENIED",
    message,
    "AccessDeniedException",
    undefined,
    JSON.stringify({ Message: message }),
  );
};
export const noAllow = () => {
  const message = "User is not authorized to access this resource";
  return new GatewayError(
    "ACCESS_DENIED",
    message,
    "AccessDeniedException",
    undefined,
    JSON.stringify({ Message: message }),
  );
};
export const invalidApiKey = () => new GatewayError("INVALID_API_KEY", "Forbidden", "ForbiddenException");
export const throttled = () => new GatewayError("THROTTLED", "Too Many Requests", "TooManyRequestsException");
export const quotaExceeded = () =>
  new GatewayError("QUOTA_EXCEEDED", "Limit Exceeded", "LimitExceededException");
export const internalServerError = () =>
  new GatewayError("DEFAULT_5XX", "Internal server error", "InternalServerErrorException", 502);
export const integrationTimeout = () =>
  new GatewayError("INTEGRATION_TIMEOUT", "Endpoint request timed out", "InternalServerErrorException");
export const unsupportedMediaType = () =>
  new GatewayError("UNSUPPORTED_MEDIA_TYPE", "Unsupported Media Type", "UnsupportedMediaTypeException");
export const apiConfigurationError = () =>
  new GatewayError("API_CONFIGURATION_ERROR", "Internal server error", "InternalServerErrorException");
export const invalidSignature = (message: string) =>
  new GatewayError("INVALID_SIGNATURE", message, "InvalidSignatureException");

/** What a gateway response template and its parameters can read. */
export interface GatewayResponseScope {
  /** $context (error is filled in here). */
  context: Record<string, unknown>;
  stageVariables: Record<string, string>;
  /** method.request.header/querystring/path values for responseParameters. */
  requestValue(location: string, name: string): string | undefined;
}

function isClientError(type: GatewayResponseType, status: number | undefined): boolean {
  const code = status ?? DEFAULT_STATUS[type];
  if (code !== undefined) return code < 500;
  return type === "DEFAULT_4XX";
}

/** The gateway response that answers `error`: the user's own, their DEFAULT_4XX/5XX, or AWS's. */
function chooseResponse(
  error: GatewayError,
  configured: Record<string, Json>,
): { status: number; parameters: Record<string, string>; templates: Record<string, string> | undefined } {
  const own = configured[error.type];
  const fallback = configured[isClientError(error.type, error.status) ? "DEFAULT_4XX" : "DEFAULT_5XX"];
  const chosen = own ?? fallback;
  const defaultStatus =
    error.status ?? DEFAULT_STATUS[error.type] ?? (error.type === "DEFAULT_4XX" ? 400 : 500);
  const status = Number(chosen?.statusCode ?? defaultStatus);
  return {
    status: Number.isInteger(status) && status >= 100 && status <= 599 ? status : defaultStatus,
    parameters: (chosen?.responseParameters as Record<string, string> | undefined) ?? {},
    templates: chosen?.responseTemplates as Record<string, string> | undefined,
  };
}

/** The HTTP answer for a gateway error, customisations applied. */
export function renderGatewayError(
  error: GatewayError,
  configured: Record<string, Json>,
  scope: GatewayResponseScope,
  baseHeaders: Record<string, string>,
): DataPlaneResponse {
  const chosen = chooseResponse(error, configured);
  const customised = chosen.templates !== undefined && Object.keys(chosen.templates).length > 0;
  const template = chosen.templates?.["application/json"] ?? Object.values(chosen.templates ?? {})[0];
  const context = {
    ...scope.context,
    error: {
      message: error.text,
      messageString: JSON.stringify(error.text),
      responseType: error.type,
      validationErrorString: "",
    },
  };
  let body: string;
  if (!customised && error.fixedBody !== undefined) body = error.fixedBody;
  else {
    try {
      body = renderTemplate(template ?? DEFAULT_TEMPLATE, { context, stageVariables: scope.stageVariables });
    } catch {
      body = JSON.stringify({ message: error.text });
    }
  }
  const headers: Record<string, string> = mergeHeaders(baseHeaders, {
    "Content-Type": "application/json",
    "x-amzn-ErrorType": error.errorType,
  });
  for (const [target, source] of Object.entries(chosen.parameters)) {
    const name = /^gatewayresponse\.header\.(.+)$/.exec(target)?.[1];
    if (name === undefined) continue;
    const value = parameterValue(source, scope, context);
    if (value !== undefined) headers[name] = value;
  }
  return { status: chosen.status, headers, body };
}

/** 'literal', method.request.{header|querystring|path}.X, stageVariables.X, context.X. */
function parameterValue(
  source: string,
  scope: GatewayResponseScope,
  context: Record<string, unknown>,
): string | undefined {
  const literal = /^'(.*)'$/s.exec(source);
  if (literal) return literal[1];
  const request = /^method\.request\.(header|querystring|path)\.(.+)$/.exec(source);
  if (request) return scope.requestValue(request[1] ?? "", request[2] ?? "");
  const stageVariable = /^stageVariables\.(.+)$/.exec(source);
  if (stageVariable) return scope.stageVariables[stageVariable[1] ?? ""];
  const contextVariable = /^context\.(.+)$/.exec(source);
  if (contextVariable) {
    let value: unknown = context;
    for (const part of (contextVariable[1] ?? "").split(".")) {
      value =
        value !== null && typeof value === "object" ? (value as Record<string, unknown>)[part] : undefined;
    }
    return value === undefined || value === null ? undefined : String(value);
  }
  return undefined;
}
