/**
 * Lambda's state, per account and region, over the shared KV store (metadata) and the code store
 * (zips and their extracted directories on disk, code/code-store.ts).
 *
 * Keys (tuple.ts), values JSON with a format number (`v`):
 *   ("lambda", account, region, "function", name)            → FunctionRecord ($LATEST)
 *   ("lambda", account, region, "version", name, n)          → VersionRecord (published version n)
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
import type { KvReader, KvStore, KvTransaction } from "../../storage/kv.ts";
import { tuple, tupleRange } from "../../storage/tuple.ts";
import type { ServiceDeps } from "../service.ts";
import { CodeStore, type StoredCode } from "./code/code-store.ts";
import { locateFunction } from "./control/function-name.ts";
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
  /** The extracted package: LAMBDA_TASK_ROOT. */
  codeDir: string;
  revisionId: string;
  lastModifiedMs: number;
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
  readonly activationMs: number;
  readonly updateMs: number;

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
  publishVersion(tx: KvTransaction, record: FunctionRecord): VersionRecord {
    record.lastVersion += 1;
    const version: VersionRecord = {
      v: FORMAT_VERSION,
      name: record.name,
      version: record.lastVersion,
      settings: record.settings,
      lastModifiedMs: this.nowMs(),
      revisionId: this.newRevisionId(),
      description: record.settings.description,
    };
    this.putVersion(tx, record, version);
    this.put(tx, record);
    return version;
  }

  /** Deletes the function and all its published versions. */
  async delete(tx: KvTransaction, record: FunctionRecord): Promise<void> {
    tx.delete(this.functionKey(record.accountId, record.region, record.name));
    const versions = tupleRange("lambda", record.accountId, record.region, "version", record.name);
    const keys: Uint8Array[] = [];
    for await (const entry of tx.range(versions)) keys.push(entry.key);
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

  /**
   * The function (and version) a request names, or ResourceNotFoundException "Function not found: ARN"
   * (the ARN qualified when a qualifier was given). Aliases are not implemented yet: a qualifier other
   * than $LATEST or a published version number is not found.
   */
  async resolve(
    context: RequestContext,
    functionName: string,
    qualifier?: string,
    reader: KvReader = this.storage,
  ): Promise<ResolvedFunction> {
    const located = locateFunction(context, functionName, qualifier);
    const notFound = () =>
      functionNotFound(functionArn(context.region, located.accountId, located.name, located.qualifier));
    // Another account's function is not reachable with this caller's credentials.
    if (located.accountId !== context.accountId) throw notFound();
    const record = await this.get(reader, context.accountId, context.region, located.name);
    if (!record) throw notFound();
    const arn = functionArn(record.region, record.accountId, record.name);
    if (located.qualifier === undefined || located.qualifier === LATEST) {
      return {
        record,
        version: LATEST,
        settings: record.settings,
        functionArn: arn,
        codeDir: this.code.codeDir(record.settings.code.sha256Hex),
        revisionId: record.revisionId,
        lastModifiedMs: record.lastModifiedMs,
      };
    }
    if (!/^[1-9][0-9]{0,15}$/.test(located.qualifier)) throw notFound();
    const version = await this.getVersion(reader, record, Number(located.qualifier));
    if (!version) throw notFound();
    return {
      record,
      version: String(version.version),
      settings: version.settings,
      functionArn: arn,
      codeDir: this.code.codeDir(version.settings.code.sha256Hex),
      revisionId: version.revisionId,
      lastModifiedMs: version.lastModifiedMs,
    };
  }
}

/** The smallest key after `key` (`key` + 0x00): where a page starting after that function begins. */
function afterKey(key: Uint8Array): Uint8Array {
  const next = new Uint8Array(key.length + 1);
  next.set(key);
  return next;
}
