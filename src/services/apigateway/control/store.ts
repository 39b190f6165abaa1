/**
 * Where REST APIs live. One record per API holds its whole configuration (resources with their
 * methods and integrations, authorizers, models, validators, gateway responses, deployments' summaries,
 * stages): API Gateway edits are small and whole-API reads are what deployments and exports need.
 * Deployment snapshots are separate records (they are immutable and can be large). API keys and usage
 * plans are account-level records.
 *
 * Keys:
 *   ("apigateway", account, region, "api", apiId)                      → ApiState
 *   ("apigateway", account, region, "deployment", apiId, deploymentId) → RestApiDeploymentSnapshot
 *   ("apigateway", account, region, "apikey", keyId)                   → ApiKey (wire shape + value)
 *   ("apigateway", account, region, "usageplan", planId)               → UsagePlanState
 *
 * Every record carries `v` (FORMAT_VERSION) so that a later layout can migrate it.
 */
import { DecodedReads } from "../../../storage/decoded-reads.ts";
import type { KvReader, KvStore, KvTransaction } from "../../../storage/kv.ts";
import { tuple, tupleRange } from "../../../storage/tuple.ts";
import type { Json, ResourceRecord, RestApiDeploymentSnapshot, StageRecord } from "../snapshot.ts";
import { apiNotFound } from "./errors.ts";

export const FORMAT_VERSION = 1;
const SERVICE = "apigateway";
const encoder = new TextEncoder();
const decoder = new TextDecoder();

export interface ApiState {
  v: number;
  /** The RestApi wire shape (createdDate in epoch seconds). */
  api: Json & { id: string; name: string; rootResourceId: string };
  /** By id; `path` is derived from the parents whenever the API is read out. */
  resources: Record<string, ResourceRecord>;
  authorizers: Record<string, Json>;
  /** By name. */
  models: Record<string, Json>;
  requestValidators: Record<string, Json>;
  /** Only the responses the user put, by responseType. */
  gatewayResponses: Record<string, Json>;
  /** Deployment wire shapes by id. */
  deployments: Record<string, Json>;
  stages: Record<string, StageRecord>;
  /** DocumentationPart wire shapes by id (absent in records written before they existed). */
  documentationParts?: Record<string, Json>;
}

export interface UsagePlanState {
  v: number;
  plan: Json & { id: string };
  /** API key ids in this plan, in the order they were added. */
  keyIds: string[];
}

function encode(value: unknown): Uint8Array {
  return encoder.encode(JSON.stringify(value));
}

function decode<T>(bytes: Uint8Array): T {
  return JSON.parse(decoder.decode(bytes)) as T;
}

const apiKey = (accountId: string, region: string, apiId: string) =>
  tuple(SERVICE, accountId, region, "api", apiId);

export async function readApi(
  reader: KvReader,
  accountId: string,
  region: string,
  apiId: string,
): Promise<ApiState | undefined> {
  const bytes = await reader.get(apiKey(accountId, region, apiId));
  return bytes === undefined ? undefined : decode<ApiState>(bytes);
}

/** The API, or API Gateway's "Invalid API identifier specified {account}:{id}". */
export async function requireApi(
  reader: KvReader,
  accountId: string,
  region: string,
  apiId: string,
): Promise<ApiState> {
  const state = await readApi(reader, accountId, region, apiId);
  if (state === undefined) throw apiNotFound(accountId, apiId);
  return state;
}

export function writeApi(tx: KvTransaction, accountId: string, region: string, state: ApiState): void {
  tx.put(apiKey(accountId, region, state.api.id), encode(state));
}

export function deleteApiRecord(tx: KvTransaction, accountId: string, region: string, apiId: string): void {
  tx.delete(apiKey(accountId, region, apiId));
}

export async function listApis(reader: KvReader, accountId: string, region: string): Promise<ApiState[]> {
  const out: ApiState[] = [];
  for await (const entry of reader.range(tupleRange(SERVICE, accountId, region, "api"))) {
    out.push(decode<ApiState>(entry.value));
  }
  return out;
}

const deploymentKey = (accountId: string, region: string, apiId: string, deploymentId: string) =>
  tuple(SERVICE, accountId, region, "deployment", apiId, deploymentId);

export function writeDeploymentSnapshot(
  tx: KvTransaction,
  accountId: string,
  region: string,
  snapshot: RestApiDeploymentSnapshot,
): void {
  tx.put(deploymentKey(accountId, region, snapshot.api.id, snapshot.deploymentId), encode(snapshot));
}

export async function readDeploymentSnapshot(
  reader: KvReader,
  accountId: string,
  region: string,
  apiId: string,
  deploymentId: string,
): Promise<RestApiDeploymentSnapshot | undefined> {
  const bytes = await reader.get(deploymentKey(accountId, region, apiId, deploymentId));
  return bytes === undefined ? undefined : decode<RestApiDeploymentSnapshot>(bytes);
}

export function deleteDeploymentSnapshot(
  tx: KvTransaction,
  accountId: string,
  region: string,
  apiId: string,
  deploymentId: string,
): void {
  tx.delete(deploymentKey(accountId, region, apiId, deploymentId));
}

const apiKeyRecordKey = (accountId: string, region: string, keyId: string) =>
  tuple(SERVICE, accountId, region, "apikey", keyId);

export async function readApiKey(
  reader: KvReader,
  accountId: string,
  region: string,
  keyId: string,
): Promise<Json | undefined> {
  const bytes = await reader.get(apiKeyRecordKey(accountId, region, keyId));
  return bytes === undefined ? undefined : decode<Json>(bytes);
}

export function writeApiKey(tx: KvTransaction, accountId: string, region: string, key: Json): void {
  tx.put(apiKeyRecordKey(accountId, region, String(key.id)), encode(key));
}

export function deleteApiKeyRecord(
  tx: KvTransaction,
  accountId: string,
  region: string,
  keyId: string,
): void {
  tx.delete(apiKeyRecordKey(accountId, region, keyId));
}

export async function listApiKeys(reader: KvReader, accountId: string, region: string): Promise<Json[]> {
  const out: Json[] = [];
  for await (const entry of reader.range(tupleRange(SERVICE, accountId, region, "apikey"))) {
    out.push(decode<Json>(entry.value));
  }
  return out;
}

const planKey = (accountId: string, region: string, planId: string) =>
  tuple(SERVICE, accountId, region, "usageplan", planId);

export async function readUsagePlan(
  reader: KvReader,
  accountId: string,
  region: string,
  planId: string,
): Promise<UsagePlanState | undefined> {
  const bytes = await reader.get(planKey(accountId, region, planId));
  return bytes === undefined ? undefined : decode<UsagePlanState>(bytes);
}

export function writeUsagePlan(
  tx: KvTransaction,
  accountId: string,
  region: string,
  state: UsagePlanState,
): void {
  tx.put(planKey(accountId, region, state.plan.id), encode(state));
}

export function deleteUsagePlanRecord(
  tx: KvTransaction,
  accountId: string,
  region: string,
  planId: string,
): void {
  tx.delete(planKey(accountId, region, planId));
}

export async function listUsagePlans(
  reader: KvReader,
  accountId: string,
  region: string,
): Promise<UsagePlanState[]> {
  const out: UsagePlanState[] = [];
  for await (const entry of reader.range(tupleRange(SERVICE, accountId, region, "usageplan"))) {
    out.push(decode<UsagePlanState>(entry.value));
  }
  return out;
}

/** The resource's path from its ancestors ("/" for the root). */
export function resourcePath(state: ApiState, resourceId: string): string {
  const parts: string[] = [];
  let current: ResourceRecord | undefined = state.resources[resourceId];
  while (current?.parentId !== undefined) {
    parts.unshift(current.pathPart ?? "");
    current = state.resources[current.parentId];
  }
  return `/${parts.join("/")}`;
}

/** Resources in API Gateway's listing order (by path), each with its path filled in. */
export function resourcesByPath(state: ApiState): ResourceRecord[] {
  return Object.values(state.resources)
    .map((resource) => ({ ...resource, path: resourcePath(state, resource.id) }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * Runs `edit` on the API inside one transaction and writes it back. `missing` is the error an unknown
 * API gets (API Gateway words it differently per operation).
 */
export async function editApi<T>(
  storage: KvStore,
  accountId: string,
  region: string,
  apiId: string,
  edit: (state: ApiState) => T,
  missing: () => Error = () => apiNotFound(accountId, apiId),
): Promise<T> {
  return storage.transaction(async (tx) => {
    const state = await readApi(tx, accountId, region, apiId);
    if (state === undefined) throw missing();
    const out = edit(state);
    writeApi(tx, accountId, region, state);
    return out;
  });
}

/** The data plane's reads: decoded once per stored version (DecodedReads); callers must not modify them. */
const servedReads = new DecodedReads();

export function readApiForServing(
  reader: KvReader,
  accountId: string,
  region: string,
  apiId: string,
): Promise<ApiState | undefined> {
  return servedReads.get<ApiState>(reader, `api\0${accountId}\0${region}\0${apiId}`, () =>
    apiKey(accountId, region, apiId),
  );
}

export function readDeploymentForServing(
  reader: KvReader,
  accountId: string,
  region: string,
  apiId: string,
  deploymentId: string,
): Promise<RestApiDeploymentSnapshot | undefined> {
  return servedReads.get<RestApiDeploymentSnapshot>(
    reader,
    `deployment\0${accountId}\0${region}\0${apiId}\0${deploymentId}`,
    () => deploymentKey(accountId, region, apiId, deploymentId),
  );
}
