/**
 * Layer versions in the KV store, per account and region (values JSON with a format number `v`):
 *
 *   ("lambda", account, region, "layer", name)                 → LayerRecord (the version counter)
 *   ("lambda", account, region, "layer-version", name, n)      → LayerVersionRecord
 *
 * The counter outlives its versions: after DeleteLayerVersion the next PublishLayerVersion still takes
 * the next number, as Lambda never reuses a layer version number. The zip itself is in the code store
 * (content-addressed, shared with functions), so a function keeps its layer's files after the layer
 * version is deleted, as on AWS.
 */
import type { KvReader, KvTransaction } from "../../../storage/kv.ts";
import { tuple, tupleRange } from "../../../storage/tuple.ts";
import type { StoredCode } from "../code/code-store.ts";

export const LAYER_FORMAT_VERSION = 1;

export interface LayerRecord {
  v: typeof LAYER_FORMAT_VERSION;
  name: string;
  /** The highest version number ever published. */
  lastVersion: number;
}

/** One statement of a layer version's resource policy (AddLayerVersionPermission). */
export interface LayerStatement {
  sid: string;
  action: string;
  /** As given: an account id, `*` or `arn:aws:iam::ACCOUNT:root`. */
  principal: string;
  organizationId?: string;
}

export interface LayerPolicy {
  revisionId: string;
  statements: LayerStatement[];
}

export interface LayerVersionRecord {
  v: typeof LAYER_FORMAT_VERSION;
  accountId: string;
  region: string;
  name: string;
  version: number;
  description: string;
  licenseInfo?: string;
  compatibleRuntimes?: string[];
  compatibleArchitectures?: string[];
  createdMs: number;
  code: StoredCode;
  policy?: LayerPolicy;
}

const decoder = new TextDecoder();
const encoder = new TextEncoder();

function decode<T>(value: Uint8Array | undefined): T | undefined {
  return value === undefined ? undefined : (JSON.parse(decoder.decode(value)) as T);
}

export function layerArn(region: string, accountId: string, name: string): string {
  return `arn:aws:lambda:${region}:${accountId}:layer:${name}`;
}

export function layerVersionArn(
  record: Pick<LayerVersionRecord, "region" | "accountId" | "name" | "version">,
) {
  return `${layerArn(record.region, record.accountId, record.name)}:${record.version}`;
}

export const layerKeys = {
  layer: (accountId: string, region: string, name: string) =>
    tuple("lambda", accountId, region, "layer", name),
  version: (accountId: string, region: string, name: string, version: number) =>
    tuple("lambda", accountId, region, "layer-version", name, version),
};

export async function getLayer(
  reader: KvReader,
  accountId: string,
  region: string,
  name: string,
): Promise<LayerRecord | undefined> {
  return decode<LayerRecord>(await reader.get(layerKeys.layer(accountId, region, name)));
}

export function putLayer(tx: KvTransaction, accountId: string, region: string, layer: LayerRecord): void {
  tx.put(layerKeys.layer(accountId, region, layer.name), encoder.encode(JSON.stringify(layer)));
}

export async function getLayerVersion(
  reader: KvReader,
  accountId: string,
  region: string,
  name: string,
  version: number,
): Promise<LayerVersionRecord | undefined> {
  return decode<LayerVersionRecord>(await reader.get(layerKeys.version(accountId, region, name, version)));
}

export function putLayerVersion(tx: KvTransaction, record: LayerVersionRecord): void {
  tx.put(
    layerKeys.version(record.accountId, record.region, record.name, record.version),
    encoder.encode(JSON.stringify(record)),
  );
}

export function deleteLayerVersionRecord(
  tx: KvTransaction,
  accountId: string,
  region: string,
  name: string,
  version: number,
): void {
  tx.delete(layerKeys.version(accountId, region, name, version));
}

/** Every version of one layer (name given) or of all layers, in name then version order. */
export async function listLayerVersions(
  reader: KvReader,
  accountId: string,
  region: string,
  name?: string,
): Promise<LayerVersionRecord[]> {
  const range =
    name === undefined
      ? tupleRange("lambda", accountId, region, "layer-version")
      : tupleRange("lambda", accountId, region, "layer-version", name);
  const out: LayerVersionRecord[] = [];
  for await (const entry of reader.range(range)) {
    out.push(JSON.parse(decoder.decode(entry.value)) as LayerVersionRecord);
  }
  return out;
}
