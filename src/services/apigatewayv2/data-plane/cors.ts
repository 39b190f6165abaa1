/**
 * CORS from the API's corsConfiguration (developer guide, "Configuring CORS for an HTTP API"): API
 * Gateway answers preflight OPTIONS requests itself, "even if there isn't an OPTIONS route", adds the
 * configured headers to integration responses for allowed origins, and ignores CORS headers the
 * integration returns. Without a corsConfiguration, OPTIONS is routed like any other method.
 *
 * ## By design (from other emulators and browser rules; unconfirmed against AWS)
 * - The preflight answer is 204 without a body; for an origin or method the configuration does not
 *   allow it carries no Access-Control-* headers, which browsers treat as a refusal.
 * - AllowOrigins may hold `*` and scheme wildcards such as `https://*`; `*` is answered as `*` unless
 *   allowCredentials is set, otherwise the request's Origin is echoed with `Vary: Origin`.
 */
import type { IncomingHttpHeaders } from "node:http";
import type { ApiRecord } from "../snapshot.ts";

export type CorsConfiguration = NonNullable<ApiRecord["corsConfiguration"]>;

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

function originAllowed(allowed: string, origin: string): boolean {
  if (allowed === "*") return true;
  if (allowed.endsWith("://*")) return origin.toLowerCase().startsWith(allowed.slice(0, -1).toLowerCase());
  return allowed.toLowerCase() === origin.toLowerCase();
}

function allowOrigin(
  cors: CorsConfiguration,
  origin: string | undefined,
): Record<string, string> | undefined {
  if (origin === undefined) return undefined;
  const origins = cors.allowOrigins ?? [];
  if (!origins.some((allowed) => originAllowed(allowed, origin))) return undefined;
  if (origins.includes("*") && cors.allowCredentials !== true) return { "access-control-allow-origin": "*" };
  return { "access-control-allow-origin": origin, vary: "Origin" };
}

/** The headers of the 204 answer to a preflight. */
export function preflightHeaders(
  cors: CorsConfiguration,
  headers: IncomingHttpHeaders,
): Record<string, string> {
  const allowed = allowOrigin(cors, header(headers, "origin"));
  const method = (header(headers, "access-control-request-method") ?? "").toUpperCase();
  const methods = (cors.allowMethods ?? []).map((m) => m.toUpperCase());
  if (!allowed || !(methods.includes("*") || methods.includes(method))) return {};
  const out: Record<string, string> = { ...allowed, "access-control-allow-methods": methods.join(",") };
  const allowHeaders = cors.allowHeaders ?? [];
  if (allowHeaders.length > 0) out["access-control-allow-headers"] = allowHeaders.join(",");
  if (cors.maxAge !== undefined && cors.maxAge >= 0) out["access-control-max-age"] = String(cors.maxAge);
  if (cors.allowCredentials === true) out["access-control-allow-credentials"] = "true";
  return out;
}

/**
 * An integration's response headers with the configured CORS headers: the integration's own
 * Access-Control-* headers are dropped whenever a configuration exists.
 */
export function withCorsHeaders(
  cors: CorsConfiguration,
  requestHeaders: IncomingHttpHeaders,
  responseHeaders: Record<string, string | string[]>,
): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(responseHeaders)) {
    if (!name.toLowerCase().startsWith("access-control-")) out[name] = value;
  }
  const allowed = allowOrigin(cors, header(requestHeaders, "origin"));
  if (!allowed) return out;
  Object.assign(out, allowed);
  const expose = cors.exposeHeaders ?? [];
  if (expose.length > 0) out["access-control-expose-headers"] = expose.join(",");
  if (cors.allowCredentials === true) out["access-control-allow-credentials"] = "true";
  return out;
}
