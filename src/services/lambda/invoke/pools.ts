/**
 * The environment pools of every function version that was invoked, and the account's concurrency.
 *
 * A pool is keyed by account, region, name, version, RevisionId and endpoint: UpdateFunctionCode and
 * UpdateFunctionConfiguration give $LATEST a new RevisionId, so the next invoke starts fresh
 * environments with the new code and settings. The previous pools of that version are retired: disposed
 * at once when idle, or as soon as their last running invoke ends. DeleteFunction disposes the pools of
 * the function (or of the deleted version); `disposeAll` kills everything at shutdown.
 *
 * Concurrency: each account has `accountConcurrency` concurrent executions (AWS's default quota is
 * 1000); an invoke past it is refused with TooManyRequestsException ConcurrentInvocationLimitExceeded.
 */

import type { InvokeOptions, InvokeResult } from "../environments/environment.ts";
import { ConcurrencyLimitError, EnvironmentPool } from "../environments/pool.ts";
import type { ResolvedFunction } from "../store.ts";
import { tooManyRequests } from "./errors.ts";

export interface InvokePoolsOptions {
  /** Concurrent executions per account and region. Default 1000 (AWS's default quota). */
  accountConcurrency?: number;
  /** An idle environment is stopped after this long. Default 10 minutes. */
  idleMs?: number;
}

export const DEFAULT_ACCOUNT_CONCURRENCY = 1000;

interface PoolEntry {
  key: string;
  functionKey: string;
  version: string;
  revisionId: string;
  pool: EnvironmentPool;
  running: number;
  retired: boolean;
}

/** What a pool's environments need besides the function's own settings. */
export interface InvokeTarget {
  resolved: ResolvedFunction;
  /** AWS_ENDPOINT_URL: the Stratus endpoint the invoke came in on. */
  endpointUrl: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
}

export class InvokePools {
  readonly accountConcurrency: number;
  readonly idleMs: number;
  #entries = new Map<string, PoolEntry>();
  /** In-flight invokes per account and region. */
  #inFlight = new Map<string, number>();
  /** Retired pools still running an invoke: disposed when it ends, or at shutdown. */
  #retired = new Set<PoolEntry>();
  #closed = false;

  constructor(options: InvokePoolsOptions = {}) {
    this.accountConcurrency = options.accountConcurrency ?? DEFAULT_ACCOUNT_CONCURRENCY;
    this.idleMs = options.idleMs ?? 600_000;
  }

  /**
   * Runs one invocation in an environment of the resolved version. Throws TooManyRequestsException
   * when the account is at its concurrency; everything the function does resolves as an InvokeResult.
   */
  async invoke(target: InvokeTarget, payload: Buffer, options: InvokeOptions): Promise<InvokeResult> {
    if (this.#closed) throw new Error("Lambda is shutting down");
    const { record } = target.resolved;
    const accountKey = `${record.accountId}\0${record.region}`;
    const inFlight = this.#inFlight.get(accountKey) ?? 0;
    if (inFlight >= this.accountConcurrency) throw tooManyRequests("ConcurrentInvocationLimitExceeded");
    const entry = this.#entry(target);
    this.#inFlight.set(accountKey, inFlight + 1);
    entry.running++;
    try {
      return await entry.pool.invoke(payload, options);
    } catch (error) {
      if (error instanceof ConcurrencyLimitError) throw tooManyRequests("ConcurrentInvocationLimitExceeded");
      throw error;
    } finally {
      entry.running--;
      const left = (this.#inFlight.get(accountKey) ?? 1) - 1;
      if (left > 0) this.#inFlight.set(accountKey, left);
      else this.#inFlight.delete(accountKey);
      if (entry.retired && entry.running === 0) {
        this.#retired.delete(entry);
        void entry.pool.dispose();
      }
    }
  }

  #entry(target: InvokeTarget): PoolEntry {
    const { resolved } = target;
    const { record, settings } = resolved;
    const functionKey = `${record.accountId}\0${record.region}\0${record.name}`;
    const key = `${functionKey}\0${resolved.version}\0${resolved.revisionId}\0${target.endpointUrl}`;
    const existing = this.#entries.get(key);
    if (existing) return existing;
    // Another revision of the same version: its environments run old code or settings.
    for (const entry of [...this.#entries.values()]) {
      if (
        entry.functionKey === functionKey &&
        entry.version === resolved.version &&
        entry.revisionId !== resolved.revisionId
      ) {
        this.#retire(entry);
      }
    }
    const pool = new EnvironmentPool(
      {
        functionName: record.name,
        functionVersion: resolved.version,
        functionArn: resolved.functionArn,
        runtime: settings.runtime,
        handler: settings.handler,
        codeDir: resolved.codeDir,
        memorySizeMB: settings.memorySize,
        timeoutSeconds: settings.timeout,
        region: record.region,
        variables: settings.environment ?? {},
        credentials: target.credentials,
        endpointUrl: target.endpointUrl,
      },
      { concurrencyMax: this.accountConcurrency, idleMs: this.idleMs },
    );
    const entry: PoolEntry = {
      key,
      functionKey,
      version: resolved.version,
      revisionId: resolved.revisionId,
      pool,
      running: 0,
      retired: false,
    };
    this.#entries.set(key, entry);
    return entry;
  }

  #retire(entry: PoolEntry): void {
    this.#entries.delete(entry.key);
    entry.retired = true;
    if (entry.running === 0) void entry.pool.dispose();
    else this.#retired.add(entry);
  }

  /** Environments alive for one function (all versions), for tests and diagnostics. */
  poolsOf(accountId: string, region: string, name: string): EnvironmentPool[] {
    const functionKey = `${accountId}\0${region}\0${name}`;
    return [...this.#entries.values()].filter((e) => e.functionKey === functionKey).map((e) => e.pool);
  }

  /** After DeleteFunction: the function's pools, or one version's when `version` is given. */
  async disposeFunction(accountId: string, region: string, name: string, version?: string): Promise<void> {
    const functionKey = `${accountId}\0${region}\0${name}`;
    const doomed = [...this.#entries.values()].filter(
      (e) => e.functionKey === functionKey && (version === undefined || e.version === version),
    );
    for (const entry of doomed) {
      this.#entries.delete(entry.key);
      // Its running invokes end as Runtime.ExitError, as when Lambda deletes a running function.
      entry.retired = true;
    }
    await Promise.all(doomed.map((e) => e.pool.dispose()));
  }

  /** At shutdown: every environment, running ones included. */
  async disposeAll(): Promise<void> {
    this.#closed = true;
    const all = [...this.#entries.values(), ...this.#retired];
    this.#entries.clear();
    this.#retired.clear();
    await Promise.all(all.map((e) => e.pool.dispose()));
  }
}
