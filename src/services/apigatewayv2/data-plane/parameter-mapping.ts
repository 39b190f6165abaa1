/**
 * Parameter mapping of HTTP API integrations (developer guide, "Transforming API requests and
 * responses"): requestParameters change the request before it reaches the backend (an HTTP
 * backend, or the Lambda event)
 * (`append|overwrite|remove:header.{name}`, `append|overwrite|remove:querystring.{name}`,
 * `overwrite:path`); responseParameters, keyed by the integration's status code, change the answer
 * (`append|overwrite|remove:header.{name}`, `overwrite:statuscode`). Values are `$request.header.x`,
 * `$request.querystring.x`, `$request.body.x` (a dotted JSON path), `$request.path`,
 * `$request.path.x`, `$response.header.x`, `$response.body.x`, `$context.x`, `$stageVariables.x`,
 * or static text; `${...}` embeds one in text. Reserved headers (access-control-*, apigw-*,
 * authorization, content-length, x-amz-*, x-amzn-*, x-forwarded-*...) are left alone.
 */
import type { IncomingHttpHeaders } from "node:http";
import { queryParameters } from "../../../aws/http-events/payload-v2.ts";
import { parseQuery } from "../../../aws/protocols/query-string.ts";
import { mergeHeaders } from "../../execute-api/headers.ts";
import { contextVariable } from "./context-variables.ts";
import type { ServedRequest } from "./served-request.ts";

const RESERVED =
  /^(access-control-.*|apigw-.*|authorization|connection|content-encoding|content-length|content-location|forwarded|keep-alive|origin|proxy-authenticate|proxy-authorization|te|trailers|transfer-encoding|upgrade|x-amz-.*|x-amzn-.*|x-forwarded-for|x-forwarded-host|x-forwarded-proto|via)$/i;

export interface MappableRequest {
  headers: [string, string][];
  query: [string, string][];
  /** Set by `overwrite:path`. */
  path?: string;
}

export interface MappableResponse {
  status: number;
  headers: Record<string, string | string[]>;
  body: Buffer;
}

/** Applies requestParameters to a request about to be sent to the backend. */
export function mapRequest(
  parameters: Record<string, string> | undefined,
  served: ServedRequest,
  request: MappableRequest,
): MappableRequest {
  if (parameters === undefined) return request;
  const headers = [...request.headers];
  const query = [...request.query];
  let path = request.path;
  for (const [key, expression] of Object.entries(parameters)) {
    const parsed = /^(append|overwrite|remove):(header|querystring)\.(.+)$/.exec(key);
    if (key === "overwrite:path") {
      path = resolve(expression, served);
      continue;
    }
    if (parsed === null) continue;
    const [, action = "", location = "", name = ""] = parsed;
    if (location === "header" && RESERVED.test(name)) continue;
    const list = location === "header" ? headers : query;
    const same = (entry: [string, string]) =>
      location === "header" ? entry[0].toLowerCase() === name.toLowerCase() : entry[0] === name;
    // overwrite keeps the parameter where it was; append adds it last.
    const at = list.findIndex(same);
    if (action !== "append") removeAll(list, same);
    if (action === "remove") continue;
    const entry: [string, string] = [name, resolve(expression, served)];
    if (action === "overwrite" && at >= 0) list.splice(at, 0, entry);
    else list.push(entry);
  }
  return { headers, query, ...(path !== undefined ? { path } : {}) };
}

/** Applies the responseParameters of the integration's status code to its answer. */
export function mapResponse(
  parameters: Record<string, Record<string, string>> | undefined,
  served: ServedRequest,
  response: MappableResponse,
): MappableResponse {
  const forStatus = parameters?.[String(response.status)];
  if (forStatus === undefined) return response;
  const headers: Record<string, string | string[]> = mergeHeaders(response.headers, {});
  let status = response.status;
  for (const [key, expression] of Object.entries(forStatus)) {
    const value = resolve(expression, served, response);
    if (key === "overwrite:statuscode") {
      const code = Number(value);
      if (Number.isInteger(code) && code >= 200 && code <= 599) status = code;
      continue;
    }
    const parsed = /^(append|overwrite|remove):header\.(.+)$/.exec(key);
    if (parsed === null) continue;
    const [, action = "", name = ""] = parsed;
    if (RESERVED.test(name)) continue;
    const existing = Object.keys(headers).find((h) => h.toLowerCase() === name.toLowerCase());
    const previous = existing === undefined ? undefined : headers[existing];
    if (existing !== undefined && action !== "append") delete headers[existing];
    if (action === "remove") continue;
    if (action === "append" && previous !== undefined && existing !== undefined) {
      headers[existing] = `${Array.isArray(previous) ? previous.join(",") : previous},${value}`;
    } else {
      headers[name] = value;
    }
  }
  return { status, headers, body: response.body };
}

function removeAll(list: [string, string][], match: (entry: [string, string]) => boolean): void {
  for (let i = list.length - 1; i >= 0; i--) if (match(list[i] as [string, string])) list.splice(i, 1);
}

/** A mapping value: one selection expression, static text, or text with `${...}` in it. */
export function resolve(expression: string, served: ServedRequest, response?: MappableResponse): string {
  if (expression.startsWith("$") && !expression.includes("${"))
    return select(expression, served, response) ?? "";
  return expression.replace(
    /\$\{([^}]+)\}/g,
    (_, inner: string) => select(`$${inner}`, served, response) ?? "",
  );
}

function select(expression: string, served: ServedRequest, response?: MappableResponse): string | undefined {
  const { request } = served;
  if (expression.startsWith("$request.header.")) {
    const value = request.headers[expression.slice("$request.header.".length).toLowerCase()];
    return Array.isArray(value) ? value.join(",") : value;
  }
  if (expression.startsWith("$request.querystring.")) {
    return queryParameters(request.rawQuery)?.[expression.slice("$request.querystring.".length)];
  }
  if (expression === "$request.path") return served.path;
  if (expression.startsWith("$request.path.")) {
    return served.match?.pathParameters?.[expression.slice("$request.path.".length)];
  }
  if (expression.startsWith("$request.body."))
    return jsonPath(request.body, expression.slice("$request.body.".length));
  if (expression.startsWith("$response.header.") && response !== undefined) {
    const name = expression.slice("$response.header.".length).toLowerCase();
    const key = Object.keys(response.headers).find((h) => h.toLowerCase() === name);
    const value = key === undefined ? undefined : response.headers[key];
    return Array.isArray(value) ? value.join(",") : value;
  }
  if (expression.startsWith("$response.body.") && response !== undefined) {
    return jsonPath(response.body, expression.slice("$response.body.".length));
  }
  if (expression.startsWith("$context."))
    return contextVariable(expression.slice("$context.".length), served);
  if (expression.startsWith("$stageVariables.")) {
    return served.snapshot?.stage.stageVariables?.[expression.slice("$stageVariables.".length)];
  }
  return expression;
}

/** `a.b[0].c` in a JSON body; objects come back as JSON. */
function jsonPath(body: Buffer, path: string): string | undefined {
  let value: unknown;
  try {
    value = JSON.parse(body.toString("utf8"));
  } catch {
    return undefined;
  }
  for (const part of path.split(/\.|\[(\d+)\]/).filter((p) => p !== undefined && p !== "")) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  if (value === undefined || value === null) return undefined;
  return typeof value === "string" ? value : JSON.stringify(value);
}

/**
 * The request as a Lambda integration sees it after requestParameters: headers, query and (with
 * `overwrite:path`) path rewritten; the served request itself is left as the client sent it.
 */
export function mappedForLambda(
  parameters: Record<string, string> | undefined,
  served: ServedRequest,
): ServedRequest {
  if (parameters === undefined || Object.keys(parameters).length === 0) return served;
  const { request } = served;
  const headers: [string, string][] = [];
  for (let i = 0; i + 1 < request.rawHeaders.length; i += 2) {
    headers.push([request.rawHeaders[i] ?? "", request.rawHeaders[i + 1] ?? ""]);
  }
  const query: [string, string][] = [];
  for (const [key, values] of parseQuery(request.rawQuery))
    for (const value of values) query.push([key, value]);
  const mapped = mapRequest(parameters, served, { headers, query });
  const queryMapped = Object.keys(parameters).some((key) => key.includes(":querystring."));
  const nodeHeaders: IncomingHttpHeaders = {};
  for (const [name, value] of mapped.headers) {
    const key = name.toLowerCase();
    const previous = nodeHeaders[key];
    nodeHeaders[key] = previous === undefined ? value : `${String(previous)}, ${value}`;
  }
  return {
    ...served,
    request: {
      ...request,
      rawHeaders: mapped.headers.flat(),
      headers: nodeHeaders,
      rawQuery: queryMapped
        ? mapped.query
            .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`)
            .join("&")
        : request.rawQuery,
      ...(mapped.path !== undefined
        ? { rawPath: mapped.path.startsWith("/") ? mapped.path : `/${mapped.path}` }
        : {}),
    },
  };
}
