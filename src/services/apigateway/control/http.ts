/**
 * How the REST API operations read their requests: URI labels by the model's label names
 * (`restapi_id`, `resource_id`...), query parameters, and the JSON body as sent. The shared restJson
 * adapter merges the body with the labels, which loses PutIntegration's body `httpMethod` (the
 * integration's method) under the label `http_method`, and it parses payload bodies (ImportRestApi's
 * OpenAPI document) as JSON; so this service reads the three apart.
 */
import type { RequestContext } from "../../../aws/context.ts";
import { parseJsonBody } from "../../../aws/protocols/json-operation.ts";
import type { OperationHandler } from "../../service.ts";
import { serializationError } from "./errors.ts";

export type Json = Record<string, unknown>;

export interface ControlRequest {
  readonly context: RequestContext;
  /** A URI label, percent-decoded. */
  label(name: string): string;
  query(name: string): string | undefined;
  queryAll(name: string): string[];
  /** A request header (lower-case name). */
  header(name: string): string | undefined;
  /** The JSON body ({} when empty); payload operations read `raw`. */
  readonly body: Json;
  readonly raw: Buffer;
  /** Epoch seconds: API Gateway's timestamps are restJson's default (unixTimestamp). */
  nowSeconds(): number;
}

export interface ControlResult {
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export function operation(
  run: (request: ControlRequest) => Promise<ControlResult>,
  options: { rawBody?: boolean } = {},
): OperationHandler {
  return async (request) => {
    const raw = request.body;
    if (!Buffer.isBuffer(raw)) throw new Error("apigateway operations take buffered bodies");
    const body = options.rawBody ? {} : parseJsonBody(raw);
    const result = await run({
      context: request.context,
      label: (name) => request.pathParams[name] ?? "",
      query: (name) => request.query.get(name)?.[0],
      queryAll: (name) => request.query.get(name) ?? [],
      header: (name) => {
        const value = request.headers[name];
        return Array.isArray(value) ? value[0] : value;
      },
      body,
      raw,
      nowSeconds: () => Math.floor(request.context.clock.now().getTime() / 1000),
    });
    return { status: result.status ?? 200, headers: result.headers, body: result.body };
  };
}

/** A string member, or undefined; a JSON value of another type is coral's SerializationException. */
export function str(body: Json, name: string): string | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw serializationError(value);
  return value;
}

export function bool(body: Json, name: string): boolean | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "boolean") throw serializationError(value);
  return value;
}

export function int(body: Json, name: string): number | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number") throw serializationError(value);
  return Math.trunc(value);
}

export function num(body: Json, name: string): number | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number") throw serializationError(value);
  return value;
}

export function stringMap(body: Json, name: string): Record<string, string> | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "object" || Array.isArray(value)) throw serializationError(value);
  const out: Record<string, string> = {};
  for (const [key, item] of Object.entries(value as Json)) {
    if (typeof item !== "string") throw serializationError(item);
    out[key] = item;
  }
  return out;
}

export function boolMap(body: Json, name: string): Record<string, boolean> | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "object" || Array.isArray(value)) throw serializationError(value);
  const out: Record<string, boolean> = {};
  for (const [key, item] of Object.entries(value as Json)) {
    if (typeof item !== "boolean") throw serializationError(item);
    out[key] = item;
  }
  return out;
}

export function stringList(body: Json, name: string): string[] | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw serializationError(value);
  return value.map((item) => {
    if (typeof item !== "string") throw serializationError(item);
    return item;
  });
}

/** Copies the defined members of `from` into a fresh object, in the order given. */
export function defined(from: Json): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(from)) if (value !== undefined) out[key] = value;
  return out;
}

/** position/limit paging of API Gateway lists: `position` is the next item's index. */
export function page<T>(items: T[], position: string | undefined, limit: number | undefined): Json {
  const size = limit === undefined || limit <= 0 ? 25 : Math.min(limit, 500);
  const start = position === undefined ? 0 : Math.max(0, Number.parseInt(position, 10) || 0);
  const slice = items.slice(start, start + size);
  const out: Json = { item: slice };
  if (start + size < items.length) out.position = String(start + size);
  return out;
}

export function limitOf(request: ControlRequest): number | undefined {
  const value = request.query("limit");
  if (value === undefined) return undefined;
  const n = Number.parseInt(value, 10);
  return Number.isNaN(n) ? undefined : n;
}

/** A list of JSON objects (apiStages, stageKeys), or undefined; anything else is a SerializationException. */
export function objectList(body: Json, name: string): Json[] | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw serializationError(value);
  return value.map((item) => {
    if (item === null || typeof item !== "object" || Array.isArray(item)) throw serializationError(item);
    return item as Json;
  });
}
