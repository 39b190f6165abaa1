/**
 * Lambda's state, per account and region, over the shared KV store (metadata) and the code store
 * (zips and their extracted directories on disk, code/code-store.ts).
 *
 * Keys (tuple.ts), values JSON with a format number (`v`):
 *   ("lambda", account, region, "function", name)            → FunctionRecord ($LATEST)
 *   ("lambda", account, region, "version", name, n)          → VersionRecord (published version n)
 *   ("lambda", account, region, "alias", name, alias)        → AliasRecord
 *
 * Status timing: CreateFunction answers State Pending (as Lambda does) and the function is Active
 * `activationMs` later on the injected clock; updates answer LastUpdateStatus InProgress and are
 * Successful `updateMs` later. Both default to 0, since the code is extracted before the operation
 * answers: the SDK waiters (waitUntilFunctionActiveV2, waitUntilFunctionUpdatedV2) then pass on their
 * first poll.
 *
 * The Invoke operation and the execution environments use `resolve()`: configuration plus the
 * extracted code directory of a function named by name, partial or full ARN, and qualifier.
 */
import { randomUUID } from "node:crypto";
import type { Clock } from "../../aws/clock.ts";
import type { RequestContext } from "../../aws/context.ts";
import { DecodedReads } from "../../storage/decoded-reads.ts";
import type { KvReader, KvStore, KvTransaction } from "../../storage/kv.ts";
import { tuple, tupleRange } from "../../storage/tuple.ts";
import type { ServiceDeps } from "../service.ts";
import { CodeStore, type StoredCode } from "./code/code-store.ts";
import { HotReloadWatchers } from "./code/hot-reload.ts";
import { type FunctionLocator, locateFunction } from "./control/function-name.ts";
import { functionNotFound } from "./errors.ts";

export const FORMAT_VERSION = 1;
export const LATEST = "$LATEST";

/** The settings of one function version (the parts UpdateFunctionConfiguration may change, and code). */
export interface FunctionSettings {
  runtime: string;
  handler: string;
  role: string;
  description: string;
  timeout: number;
  memorySize: number;
  /** undefined: no Environment was ever given (Lambda then omits it). */
  environment: Record<string, string> | undefined;
  architectures: string[];
  ephemeralStorageSize: number;
  tracingMode: string;
  logFormat: string;
  logGroup: string;
  code: StoredCode;
  /** Layers (CreateFunction/UpdateFunctionConfiguration), in the function's order; absent = none. */
  layers?: FunctionLayer[];
}

/** A layer version a function uses: what FunctionConfiguration.Layers shows and where its files are. */
export interface FunctionLayer {
  /** The LayerVersionArn. */
  arn: string;
  codeSize: number;
  /** The layer zip's digest: its extracted package in the code store. */
  sha256Hex: string;
}

export interface FunctionRecord {
  v: typeof FORMAT_VERSION;
  name: string;
  accountId: string;
  region: string;
  settings: FunctionSettings;
  tags: Record<string, string>;
  lastModifiedMs: number;
  revisionId: string;
  /** When State turns from Pending to Active (clock ms). */
  activeAtMs: number;
  /** When LastUpdateStatus turns from InProgress to Successful (clock ms); 0 = never updated. */
  updatedAtMs: number;
  /** The highest published version number; 0 = none. */
  lastVersion: number;
  /** PutFunctionConcurrency's ReservedConcurrentExecutions; absent = none reserved. */
  reservedConcurrency?: number;
}

export interface AliasRecord {
  v: typeof FORMAT_VERSION;
  /** The function's name. */
  name: string;
  alias: string;
  /** "$LATEST" or a version number. */
  functionVersion: string;
  description: string;
  /** RoutingConfig.AdditionalVersionWeights: version → weight (0–1); absent = no routing. */
  weights?: Record<string, number>;
  revisionId: string;
}

export interface VersionRecord {
  v: typeof FORMAT_VERSION;
  name: string;
  version: number;
  settings: FunctionSettings;
  lastModifiedMs: number;
  revisionId: string;
  description: string;
}

export interface LambdaStoreOptions {
  /** Milliseconds (injected clock) a new function stays Pending. Default 0. */
  activationMs?: number;
  /** Milliseconds an update stays InProgress. Default 0. */
  updateMs?: number;
}

/** What Invoke needs to run a function. */
export interface ResolvedFunction {
  record: FunctionRecord;
  /** "$LATEST" or a version number as a string. */
  version: string;
  /** The settings of that version. */
  settings: FunctionSettings;
  /** The unqualified ARN. */
  functionArn: string;
  /** The extracted package (or the hot-reload directory): LAMBDA_TASK_ROOT. */
  codeDir: string;
  /** The merged /opt of the version's layers (code/opt-dir.ts); absent without layers. */
  optDir?: string;
  revisionId: string;
  lastModifiedMs: number;
  /** The alias the request named, when it named one (`version` is then the version it routed to). */
  alias?: string;
}

export interface ResolveOptions {
  /**
   * Apply an alias's weighted routing (Invoke). Without it an alias resolves to its FunctionVersion
   * (GetFunction, GetFunctionConfiguration).
   */
  route?: boolean;
  /** A number in [0, 1) for weighted routing; default Math.random(). */
  random?: () => number;
  /**
   * What `locateFunction(context, functionName, qualifier)` returns, when the caller has it already
   * (Invoke locates the function before resolving it: validating the name twice per invoke was
   * wasted work).
   */
  located?: FunctionLocator;
}

const decoder = new TextDecoder();
const encoder = new TextEncoder();

export function functionArn(region: string, accountId: string, name: string, qualifier?: string): string {
  const arn = `arn:aws:lambda:${region}:${accountId}:function:${name}`;
  return qualifier === undefined ? arn : `${arn}:${qualifier}`;
}

export class LambdaStore {
  readonly storage: KvStore;
  readonly clock: Clock;
  readonly code: CodeStore;
  /** The directories of hot-reload functions (code/hot-reload.ts). */
  readonly hotReload = new HotReloadWatchers();
  readonly activationMs: number;
  readonly updateMs: number;
  /** Invoke's records, kept decoded while their bytes are unchanged. */
  readonly #decoded = new DecodedReads();

  constructor(deps: Pick<ServiceDeps, "storage" | "clock" | "blobDir">, options: LambdaStoreOptions = {}) {
    this.storage = deps.storage;
    this.clock = deps.clock;
    this.code = new CodeStore(deps.blobDir);
    this.activationMs = options.activationMs ?? 0;
    this.updateMs = options.updateMs ?? 0;
  }

  nowMs(): number {
    return this.clock.now().getTime();
  }

  newRevisionId(): string {
    return randomUUID();
  }

  functionKey(accountId: string, region: string, name: string): Uint8Array {
    return tuple("lambda", accountId, region, "function", name);
  }

  versionKey(accountId: string, region: string, name: string, version: number): Uint8Array {
    return tuple("lambda", accountId, region, "version", name, version);
  }

  aliasKey(accountId: string, region: string, name: string, alias: string): Uint8Array {
    return tuple("lambda", accountId, region, "alias", name, alias);
  }

  async getAlias(reader: KvReader, record: FunctionRecord, alias: string): Promise<AliasRecord | undefined> {
    const value = await reader.get(this.aliasKey(record.accountId, record.region, record.name, alias));
    return value === undefined ? undefined : (JSON.parse(decoder.decode(value)) as AliasRecord);
  }

  putAlias(tx: KvTransaction, record: FunctionRecord, alias: AliasRecord): void {
    tx.put(
      this.aliasKey(record.accountId, record.region, record.name, alias.alias),
      encoder.encode(JSON.stringify(alias)),
    );
  }

  deleteAlias(tx: KvTransaction, record: FunctionRecord, alias: string): void {
    tx.delete(this.aliasKey(record.accountId, record.region, record.name, alias));
  }

  /** The function's aliases in name order. */
  async listAliases(reader: KvReader, record: FunctionRecord): Promise<AliasRecord[]> {
    const range = tupleRange("lambda", record.accountId, record.region, "alias", record.name);
    const out: AliasRecord[] = [];
    for await (const entry of reader.range(range)) {
      out.push(JSON.parse(decoder.decode(entry.value)) as AliasRecord);
    }
    return out;
  }

  /** The function's published versions in number order. */
  async listVersions(reader: KvReader, record: FunctionRecord): Promise<VersionRecord[]> {
    const range = tupleRange("lambda", record.accountId, record.region, "version", record.name);
    const out: VersionRecord[] = [];
    for await (const entry of reader.range(range)) {
      out.push(JSON.parse(decoder.decode(entry.value)) as VersionRecord);
    }
    return out.sort((a, b) => a.version - b.version);
  }

  /** Every function of one account and region (GetAccountSettings, reserved concurrency totals). */
  async allFunctions(reader: KvReader, accountId: string, region: string): Promise<FunctionRecord[]> {
    const range = tupleRange("lambda", accountId, region, "function");
    const out: FunctionRecord[] = [];
    for await (const entry of reader.range(range)) {
      out.push(JSON.parse(decoder.decode(entry.value)) as FunctionRecord);
    }
    return out;
  }

  async get(
    reader: KvReader,
    accountId: string,
    region: string,
    name: string,
  ): Promise<FunctionRecord | undefined> {
    const value = await reader.get(this.functionKey(accountId, region, name));
    return value === undefined ? undefined : (JSON.parse(decoder.decode(value)) as FunctionRecord);
  }

  put(tx: KvTransaction, record: FunctionRecord): void {
    tx.put(
      this.functionKey(record.accountId, record.region, record.name),
      encoder.encode(JSON.stringify(record)),
    );
  }

  async getVersion(
    reader: KvReader,
    record: FunctionRecord,
    version: number,
  ): Promise<VersionRecord | undefined> {
    const value = await reader.get(this.versionKey(record.accountId, record.region, record.name, version));
    return value === undefined ? undefined : (JSON.parse(decoder.decode(value)) as VersionRecord);
  }

  putVersion(tx: KvTransaction, record: FunctionRecord, version: VersionRecord): void {
    tx.put(
      this.versionKey(record.accountId, record.region, record.name, version.version),
      encoder.encode(JSON.stringify(version)),
    );
  }

  /**
   * Publishes the current $LATEST as the next version number: stores the version and the function's
   * new counter (the caller puts `record` afterwards or has it put here).
   */
  publishVersion(tx: KvTransaction, record: FunctionRecord, description?: string): VersionRecord {
    record.lastVersion += 1;
    const version: VersionRecord = {
      v: FORMAT_VERSION,
      name: record.name,
      version: record.lastVersion,
      settings: description === undefined ? record.settings : { ...record.settings, description },
      lastModifiedMs: this.nowMs(),
      revisionId: this.newRevisionId(),
      description: description ?? record.settings.description,
    };
    this.putVersion(tx, record, version);
    this.put(tx, record);
    return version;
  }

  /** Deletes the function, all its published versions and its aliases. */
  async delete(tx: KvTransaction, record: FunctionRecord): Promise<void> {
    tx.delete(this.functionKey(record.accountId, record.region, record.name));
    const keys: Uint8Array[] = [];
    for (const kind of ["version", "alias"]) {
      const range = tupleRange("lambda", record.accountId, record.region, kind, record.name);
      for await (const entry of tx.range(range)) keys.push(entry.key);
    }
    for (const key of keys) tx.delete(key);
  }

  /** Functions of one account and region in name order, starting after `afterName`. */
  async list(
    reader: KvReader,
    accountId: string,
    region: string,
    afterName: string | undefined,
    limit: number,
  ): Promise<FunctionRecord[]> {
    const range = tupleRange("lambda", accountId, region, "function");
    const start =
      afterName === undefined ? range.start : afterKey(this.functionKey(accountId, region, afterName));
    const records: FunctionRecord[] = [];
    for await (const entry of reader.range({ start, end: range.end, limit })) {
      records.push(JSON.parse(decoder.decode(entry.value)) as FunctionRecord);
    }
    return records;
  }

  /** The $LATEST view of a function, as Invoke runs it. */
  latest(
    record: FunctionRecord,
    arn = functionArn(record.region, record.accountId, record.name),
  ): ResolvedFunction {
    return {
      record,
      version: LATEST,
      settings: record.settings,
      functionArn: arn,
      ...this.#codeLocation(record, record.settings),
      revisionId: record.revisionId,
      lastModifiedMs: record.lastModifiedMs,
    };
  }

  /**
   * Where a version's code and layers are on disk. A hot-reload directory starts being watched here,
   * so after a restart the first invoke (or GetFunction) watches it again.
   */
  #codeLocation(record: FunctionRecord, settings: FunctionSettings): { codeDir: string; optDir?: string } {
    const dir = settings.code.hotReloadDir;
    if (dir !== undefined) {
      this.hotReload.watch(dir, { accountId: record.accountId, region: record.region, name: record.name });
    }
    const layers = settings.layers ?? [];
    return {
      codeDir: this.code.runDir(settings.code),
      ...(layers.length > 0 ? { optDir: this.code.optDir(layers.map((l) => l.sha256Hex)) } : {}),
    };
  }

  /**
   * The function (and version) a request names, or ResourceNotFoundException "Function not found: ARN"
   * (the ARN qualified when a qualifier was given). A qualifier is $LATEST, a published version number
   * or an alias; an alias resolves to its FunctionVersion, or with `options.route` to the version its
   * weighted routing picks (`alias` then names the alias).
   */
  async resolve(
    context: RequestContext,
    functionName: string,
    qualifier?: string,
    reader: KvReader = this.storage,
    options: ResolveOptions = {},
  ): Promise<ResolvedFunction> {
    const located = options.located ?? locateFunction(context, functionName, qualifier);
    // Another account's function is not reachable with this caller's credentials.
    if (located.accountId !== context.accountId) throw resolveNotFound(context, located);
    // Invoke (`route`) reads the store on every call, outside any transaction: it skips the decoding.
    const cached = options.route === true && reader === this.storage;
    const record = cached
      ? await this.#cachedGet<FunctionRecord>(
          `f\0${context.accountId}\0${context.region}\0${located.name}`,
          () => this.functionKey(context.accountId, context.region, located.name),
        )
      : await this.get(reader, context.accountId, context.region, located.name);
    if (!record) throw resolveNotFound(context, located);
    const arn = functionArn(record.region, record.accountId, record.name);
    if (located.qualifier === undefined || located.qualifier === LATEST) return this.latest(record, arn);
    let versionName = located.qualifier;
    let alias: string | undefined;
    if (!/^[0-9]+$/.test(versionName)) {
      const aliasRecord = await this.getAlias(reader, record, versionName);
      if (!aliasRecord) throw resolveNotFound(context, located);
      alias = aliasRecord.alias;
      versionName = options.route
        ? routeAlias(aliasRecord, options.random ?? Math.random)
        : aliasRecord.functionVersion;
      if (versionName === LATEST) {
        return { ...this.latest(record, arn), alias };
      }
    }
    if (!/^[1-9][0-9]{0,15}$/.test(versionName)) throw resolveNotFound(context, located);
    const version = cached
      ? await this.#cachedGet<VersionRecord>(
          `v\0${record.accountId}\0${record.region}\0${record.name}\0${versionName}`,
          () => this.versionKey(record.accountId, record.region, record.name, Number(versionName)),
        )
      : await this.getVersion(reader, record, Number(versionName));
    if (!version) throw resolveNotFound(context, located);
    return {
      ...(alias !== undefined ? { alias } : {}),
      record,
      version: String(version.version),
      settings: version.settings,
      functionArn: arn,
      ...this.#codeLocation(record, version.settings),
      revisionId: version.revisionId,
      lastModifiedMs: version.lastModifiedMs,
    };
  }

  /** The stored value of `key`, decoded (shared: Invoke only reads it). */
  #cachedGet<T>(name: string, key: () => Uint8Array): Promise<T | undefined> {
    return this.#decoded.get<T>(this.storage, name, key);
  }
}

/**
 * ResourceNotFoundException "Function not found: ARN" for what `resolve` was asked. A module function
 * rather than a closure inside `resolve`: tsx keeps function names (esbuild's keepNames), so creating
 * a named closure costs a defineProperty call, on every invoke (about 1% of the main thread's profile
 * under warm load).
 */
function resolveNotFound(
  context: RequestContext,
  located: { accountId: string; name: string; qualifier?: string | undefined },
): Error {
  return functionNotFound(functionArn(context.region, located.accountId, located.name, located.qualifier));
}

/**
 * The version an alias sends one invocation to: an additional version with its weight's probability,
 * the alias's FunctionVersion otherwise.
 */
export function routeAlias(alias: AliasRecord, random: () => number): string {
  let draw = random();
  for (const [version, weight] of Object.entries(alias.weights ?? {})) {
    if (draw < weight) return version;
    draw -= weight;
  }
  return alias.functionVersion;
}

/** The smallest key after `key` (`key` + 0x00): where a page starting after that function begins. */
function afterKey(key: Uint8Array): Uint8Array {
  const next = new Uint8Array(key.length + 1);
  next.set(key);
  return next;
}
