/**
 * Route keys of HTTP APIs: `$default`, or `{METHOD} {path}` where METHOD is ANY or an HTTP method and
 * the path is `/`-separated segments, each literal, `{name}`, or — last only — the greedy `{name+}`
 * (API Gateway developer guide, "Working with routes for HTTP APIs"). WebSocket APIs take any key.
 */
import { badRequest } from "./errors.ts";

const METHODS = ["ANY", "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];
const LITERAL = /^[a-zA-Z0-9._~!$&'()*,;=:@%-]+$/;
const PARAM = /^\{[a-zA-Z0-9._-]+\}$/;
const GREEDY = /^\{[a-zA-Z0-9._-]+\+\}$/;

/** Whether the key is one an HTTP API accepts. */
export function isHttpRouteKey(routeKey: string): boolean {
  if (routeKey === "$default") return true;
  const space = routeKey.indexOf(" ");
  if (space < 0) return false;
  const method = routeKey.slice(0, space);
  const path = routeKey.slice(space + 1);
  if (!METHODS.includes(method) || !path.startsWith("/")) return false;
  if (path === "/") return true;
  const segments = path.slice(1).split("/");
  return segments.every((segment, i) => {
    if (LITERAL.test(segment) || PARAM.test(segment)) return true;
    return GREEDY.test(segment) && i === segments.length - 1;
  });
}

/** AWS answers 400 BadRequestException for a malformed route key (text unconfirmed). */
export function checkRouteKey(routeKey: string, protocolType: string): void {
  if (protocolType !== "HTTP") {
    if (routeKey.length === 0) throw badRequest("Route key must not be empty");
    return;
  }
  if (!isHttpRouteKey(routeKey)) throw badRequest(`Invalid route key specified: ${routeKey}`);
}
