/**
 * CORS at a function URL's front door, from the URL's Cors configuration: preflight requests (OPTIONS
 * with Origin and Access-Control-Request-Method) are answered without invoking the function, and the
 * configured headers are added to every response to an allowed origin, replacing any Access-Control-*
 * header the function set ("the configured CORS headers on the function URL take precedence", Lambda
 * developer guide, "Cross-origin resource sharing (CORS)"). A URL without Cors passes OPTIONS to its
 * function like any other method.
 *
 * ## By design (unconfirmed against Lambda)
 * - A preflight from an origin (or for a method) the configuration does not allow gets 200 without
 *   Access-Control-* headers, which browsers treat as a refusal.
 * - AllowOrigins `*` answers `*` unless AllowCredentials is set (browsers refuse `*` with credentials);
 *   otherwise the request's Origin is echoed, with `Vary: Origin`.
 */
import type { IncomingHttpHeaders } from "node:http";
import type { UrlCors } from "./url-store.ts";

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export function isPreflight(method: string, headers: IncomingHttpHeaders): boolean {
  return (
    method === "OPTIONS" &&
    header(headers, "origin") !== undefined &&
    header(headers, "access-control-request-method") !== undefined
  );
}

/** Access-Control-Allow-Origin for `origin`, or undefined when the configuration does not allow it. */
function allowOrigin(cors: UrlCors, origin: string | undefined): Record<string, string> | undefined {
  if (origin === undefined) return undefined;
  const origins = cors.AllowOrigins ?? [];
  if (origins.includes("*") && cors.AllowCredentials !== true) return { "Access-Control-Allow-Origin": "*" };
  if (origins.includes("*") || origins.some((o) => o.toLowerCase() === origin.toLowerCase())) {
    return { "Access-Control-Allow-Origin": origin, Vary: "Origin" };
  }
  return undefined;
}

/** The headers of the 200 answer to a preflight. */
export function preflightHeaders(cors: UrlCors, headers: IncomingHttpHeaders): Record<string, string> {
  const allowed = allowOrigin(cors, header(headers, "origin"));
  const method = (header(headers, "access-control-request-method") ?? "").toUpperCase();
  const methods = (cors.AllowMethods ?? []).map((m) => m.toUpperCase());
  if (!allowed || !(methods.includes("*") || methods.includes(method))) return {};
  const out: Record<string, string> = { ...allowed, "Access-Control-Allow-Methods": methods.join(",") };
  if (cors.AllowHeaders !== undefined && cors.AllowHeaders.length > 0) {
    out["Access-Control-Allow-Headers"] = cors.AllowHeaders.join(",");
  }
  if (cors.MaxAge !== undefined) out["Access-Control-Max-Age"] = String(cors.MaxAge);
  if (cors.AllowCredentials === true) out["Access-Control-Allow-Credentials"] = "true";
  return out;
}

/**
 * The function's response headers with the configured CORS headers for the request's origin: the
 * function's own Access-Control-* headers are dropped when the configuration answers for the origin.
 */
export function withCorsHeaders(
  cors: UrlCors,
  requestHeaders: IncomingHttpHeaders,
  responseHeaders: Record<string, string | string[]>,
): Record<string, string | string[]> {
  const allowed = allowOrigin(cors, header(requestHeaders, "origin"));
  if (!allowed) return responseHeaders;
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(responseHeaders)) {
    if (!name.toLowerCase().startsWith("access-control-")) out[name] = value;
  }
  Object.assign(out, allowed);
  if (cors.ExposeHeaders !== undefined && cors.ExposeHeaders.length > 0) {
    out["Access-Control-Expose-Headers"] = cors.ExposeHeaders.join(",");
  }
  if (cors.AllowCredentials === true) out["Access-Control-Allow-Credentials"] = "true";
  return out;
}
