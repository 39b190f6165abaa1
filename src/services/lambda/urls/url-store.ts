/**
 * Function URL configurations in the KV store, with an index from URL id to configuration (the data
 * plane knows only the id from the host name or the path):
 *
 *   ("lambda", account, region, "url", name, qualifier)  → UrlConfigRecord  (qualifier "$LATEST" or an alias)
 *   ("lambda-url", urlId)                                → UrlIdEntry       (the index, over every account and region)
 *
 * The URL itself is not stored: its port is the one the client used, so answers build it from the
 * request's Host (`urlFor`).
 */
import { randomInt } from "node:crypto";
import type { KvReader, KvTransaction } from "../../../storage/kv.ts";
import { tuple, tupleRange } from "../../../storage/tuple.ts";
import { type FORMAT_VERSION, functionArn, LATEST } from "../store.ts";

export interface UrlCors {
  AllowCredentials?: boolean;
  AllowHeaders?: string[];
  AllowMethods?: string[];
  AllowOrigins?: string[];
  ExposeHeaders?: string[];
  MaxAge?: number;
}

export interface UrlConfigRecord {
  v: typeof FORMAT_VERSION;
  urlId: string;
  accountId: string;
  region: string;
  /** The function's name. */
  name: string;
  /** "$LATEST" or an alias name. */
  qualifier: string;
  authType: "NONE" | "AWS_IAM";
  cors?: UrlCors;
  /** Absent until a request names one (Lambda then leaves it out of CreateFunctionUrlConfig's answer). */
  invokeMode?: "BUFFERED" | "RESPONSE_STREAM";
  /** ISO-8601 with microseconds, as Lambda writes them. */
  creationTime: string;
  lastModifiedTime: string;
}

export interface UrlIdEntry {
  accountId: string;
  region: string;
  name: string;
  qualifier: string;
}

const decoder = new TextDecoder();
const encoder = new TextEncoder();
const ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
/** Lambda's URL ids are 32 lower-case letters and digits. */
export const URL_ID_LENGTH = 32;

export function newUrlId(): string {
  let id = "";
  for (let i = 0; i < URL_ID_LENGTH; i++) id += ID_ALPHABET[randomInt(ID_ALPHABET.length)];
  return id;
}

/** `2026-11-24T18:00:00.123000Z`: Lambda's Function URL timestamps carry microseconds. */
export function urlTimestamp(date: Date): string {
  return date.toISOString().replace(/Z$/, "000Z");
}

function configKey(accountId: string, region: string, name: string, qualifier: string): Uint8Array {
  return tuple("lambda", accountId, region, "url", name, qualifier);
}

function idKey(urlId: string): Uint8Array {
  return tuple("lambda-url", urlId);
}

export async function getUrlConfig(
  reader: KvReader,
  accountId: string,
  region: string,
  name: string,
  qualifier: string,
): Promise<UrlConfigRecord | undefined> {
  const value = await reader.get(configKey(accountId, region, name, qualifier));
  return value === undefined ? undefined : (JSON.parse(decoder.decode(value)) as UrlConfigRecord);
}

export function putUrlConfig(tx: KvTransaction, record: UrlConfigRecord): void {
  tx.put(
    configKey(record.accountId, record.region, record.name, record.qualifier),
    encoder.encode(JSON.stringify(record)),
  );
  const entry: UrlIdEntry = {
    accountId: record.accountId,
    region: record.region,
    name: record.name,
    qualifier: record.qualifier,
  };
  tx.put(idKey(record.urlId), encoder.encode(JSON.stringify(entry)));
}

export function deleteUrlConfig(tx: KvTransaction, record: UrlConfigRecord): void {
  tx.delete(configKey(record.accountId, record.region, record.name, record.qualifier));
  tx.delete(idKey(record.urlId));
}

/** The function's URL configurations: $LATEST's first, then its aliases' by name. */
export async function listUrlConfigs(
  reader: KvReader,
  accountId: string,
  region: string,
  name: string,
): Promise<UrlConfigRecord[]> {
  const out: UrlConfigRecord[] = [];
  for await (const entry of reader.range(tupleRange("lambda", accountId, region, "url", name))) {
    out.push(JSON.parse(decoder.decode(entry.value)) as UrlConfigRecord);
  }
  return out;
}

/** The configuration a URL id names, or undefined. */
export async function findByUrlId(reader: KvReader, urlId: string): Promise<UrlConfigRecord | undefined> {
  const value = await reader.get(idKey(urlId));
  if (value === undefined) return undefined;
  const entry = JSON.parse(decoder.decode(value)) as UrlIdEntry;
  return getUrlConfig(reader, entry.accountId, entry.region, entry.name, entry.qualifier);
}

/** The URL's FunctionArn: unqualified for $LATEST, qualified with the alias otherwise. */
export function urlFunctionArn(record: UrlConfigRecord): string {
  return functionArn(
    record.region,
    record.accountId,
    record.name,
    record.qualifier === LATEST ? undefined : record.qualifier,
  );
}

/** The label function URLs are served under (`{id}.lambda-url.{region}.localhost`, `/_aws/lambda-url/{id}`). */
export const URL_LABEL = "lambda-url";

/**
 * `http://{id}.lambda-url.{region}.localhost:{port}/`: AWS's `https://{id}.lambda-url.{region}.on.aws/`
 * on the port the client reached Stratus on (from its Host header; none when it named no port).
 */
export function urlFor(record: UrlConfigRecord, host: string | undefined): string {
  const port = portOf(host ?? "");
  return `http://${record.urlId}.${URL_LABEL}.${record.region}.localhost${port === undefined ? "" : `:${port}`}/`;
}

function portOf(host: string): string | undefined {
  const match = /:([0-9]+)$/.exec(host);
  return match?.[1];
}
