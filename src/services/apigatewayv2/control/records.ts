/**
 * What the control plane stores beyond the seam's records (../snapshot.ts): creation dates, tags and
 * the deployment snapshot, plus the helpers every operation starts with (find the API, make ids).
 */
import type { RequestContext } from "../../../aws/context.ts";
import type { KvReader } from "../../../storage/kv.ts";
import { randomId } from "../../execute-api/api-ids.ts";
import type { ServiceRequest } from "../../service.ts";
import type {
  ApiRecord,
  AuthorizerRecord,
  IntegrationRecord,
  RouteRecord,
  StageRecord,
} from "../snapshot.ts";
import { apiNotFound } from "./errors.ts";
import { type ApiScope, getApi } from "./store.ts";

export interface StoredApi extends ApiRecord {
  createdDate: string;
  tags: Record<string, string>;
}

export interface StoredStage extends StageRecord {
  createdDate: string;
  lastUpdatedDate: string;
  tags: Record<string, string>;
}

/** What a deployment froze: the routes, integrations and authorizers the API had when it was made. */
export interface DeploymentSnapshot {
  routes: RouteRecord[];
  integrations: Record<string, IntegrationRecord>;
  authorizers: Record<string, AuthorizerRecord>;
}

export interface StoredDeployment {
  deploymentId: string;
  createdDate: string;
  deploymentStatus: "DEPLOYED";
  autoDeployed: boolean;
  description?: string;
  /** Not part of the wire shape: stripped by `deploymentAnswer`. */
  snapshot: DeploymentSnapshot;
}

/**
 * Ids of routes and integrations (7 lower-case letters and digits, "0abcdef" in AWS's CLI examples),
 * authorizers and deployments (6: recorded get-stages outputs show deployment ids such as "dty748").
 */
export function childId(length: 6 | 7): string {
  return randomId(length);
}

export function scopeOf(context: RequestContext, apiId: string): ApiScope {
  return { accountId: context.accountId, region: context.region, apiId };
}

/** Dates as API Gateway v2 writes them: ISO 8601 to the second ("2018-11-15T06:23:51Z", CLI examples). */
export function nowIso(context: RequestContext): string {
  return context.clock
    .now()
    .toISOString()
    .replace(/\.\d{3}Z$/, "Z");
}

/** The API, or AWS's NotFoundException naming `{account}:{apiId}`. */
export async function requireApi(reader: KvReader, scope: ApiScope): Promise<StoredApi> {
  const api = await getApi<StoredApi>(reader, scope);
  if (api === undefined) throw apiNotFound(scope.accountId, scope.apiId);
  return api;
}

/**
 * `http://{apiId}.execute-api.localhost:{port}`, with the port the client reached Stratus on (AWS:
 * `https://{apiId}.execute-api.{region}.amazonaws.com`).
 */
export function apiEndpoint(request: ServiceRequest | undefined, apiId: string, fallback?: string): string {
  const host = request?.headers.host;
  if (typeof host !== "string") return fallback ?? `http://${apiId}.execute-api.localhost`;
  const port = /:(\d+)$/.exec(host)?.[1];
  return `http://${apiId}.execute-api.localhost${port === undefined ? "" : `:${port}`}`;
}

/** The API as GetApi answers it (endpoint from this request's Host). */
export function apiAnswer(api: StoredApi, request: ServiceRequest | undefined): Record<string, unknown> {
  const endpoint = apiEndpoint(request, api.apiId, api.apiEndpoint);
  // WebSocket APIs are reached with ws:// (AWS: wss://).
  return {
    ...api,
    apiEndpoint: api.protocolType === "WEBSOCKET" ? endpoint.replace(/^http:/, "ws:") : endpoint,
  };
}

export function deploymentAnswer(deployment: StoredDeployment): Record<string, unknown> {
  const { snapshot: _snapshot, ...wire } = deployment;
  return wire;
}

/** `{items, nextToken?}` for the Get* list operations: MaxResults and NextToken are strings per the model. */
export function page<T>(
  items: T[],
  maxResults: unknown,
  nextToken: unknown,
): { items: T[]; nextToken?: string } {
  const start = typeof nextToken === "string" && /^\d+$/.test(nextToken) ? Number(nextToken) : 0;
  const max = typeof maxResults === "string" && /^\d+$/.test(maxResults) ? Number(maxResults) : undefined;
  if (max === undefined || max <= 0) return { items: items.slice(start) };
  const slice = items.slice(start, start + max);
  const next = start + max < items.length ? String(start + max) : undefined;
  return next === undefined ? { items: slice } : { items: slice, nextToken: next };
}
