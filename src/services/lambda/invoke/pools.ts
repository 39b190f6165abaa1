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
 * A function with reserved concurrency (PutFunctionConcurrency) runs at most that many invokes at once
 * over all its versions (0: none), past it ReservedFunctionConcurrentInvocationLimitExceeded; functions
 * without a reservation share the account's concurrency minus every reservation. Reservations come
 * from `setReservation` (the control plane) and from the function record each invoke resolves, so a
 * restarted Stratus learns another function's reservation at its first invoke.
 *
 * Logs: with a `functionLogs` sink every environment writes its stream in CloudWatch Logs (group
 * LoggingConfig.LogGroup, default /aws/lambda/NAME; stream = the environment's
 * AWS_LAMBDA_LOG_STREAM_NAME), whichever path invoked it.
 */

import type { EnvironmentOptions, InvokeOptions, InvokeResult } from "../environments/environment.ts";
import { ConcurrencyLimitError, EnvironmentPool } from "../environments/pool.ts";
import { EnvironmentLog } from "../logs/environment-log.ts";
import type { FunctionLogSink } from "../logs/log-sink.ts";
import type { ResolvedFunction } from "../store.ts";
import { tooManyRequests } from "./errors.ts";

export interface InvokePoolsOptions {
  /** Concurrent executions per account and region. Default 1000 (AWS's default quota). */
  accountConcurrency?: number;
  /** An idle environment is stopped after this long. Default 10 minutes. */
  idleMs?: number;
  /** Where function logs go (CloudWatch Logs); none: only the Tail header sees them. */
  functionLogs?: FunctionLogSink;
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
  readonly #functionLogs: FunctionLogSink | undefined;
  #entries = new Map<string, PoolEntry>();
  /** In-flight invokes per account and region. */
  #inFlight = new Map<string, number>();
  /** In-flight invokes per function (all versions). */
  #functionInFlight = new Map<string, number>();
  /** In-flight invokes of functions without a reservation, per account and region. */
  #unreservedInFlight = new Map<string, number>();
  /** Reserved concurrency per function, and the sum per account and region. */
  #reservations = new Map<string, number>();
  #reservedTotal = new Map<string, number>();
  /** Retired pools still running an invoke: disposed when it ends, or at shutdown. */
  #retired = new Set<PoolEntry>();
  #closed = false;

  constructor(options: InvokePoolsOptions = {}) {
    this.accountConcurrency = options.accountConcurrency ?? DEFAULT_ACCOUNT_CONCURRENCY;
    this.idleMs = options.idleMs ?? 600_000;
    this.#functionLogs = options.functionLogs;
  }

  /**
   * Runs one invocation in an environment of the resolved version. Throws TooManyRequestsException
   * when the account is at its concurrency; everything the function does resolves as an InvokeResult.
   */
  async invoke(target: InvokeTarget, payload: Buffer, options: InvokeOptions): Promise<InvokeResult> {
    if (this.#closed) throw new Error("Lambda is shutting down");
    const { record } = target.resolved;
    const accountKey = `${record.accountId}\0${record.region}`;
    const functionKey = `${accountKey}\0${record.name}`;
    if (this.#reservations.get(functionKey) !== record.reservedConcurrency) {
      this.setReservation(record.accountId, record.region, record.name, record.reservedConcurrency);
    }
    const reserved = record.reservedConcurrency;
    const inFlight = this.#inFlight.get(accountKey) ?? 0;
    const functionInFlight = this.#functionInFlight.get(functionKey) ?? 0;
    const unreservedInFlight = this.#unreservedInFlight.get(accountKey) ?? 0;
    if (reserved !== undefined) {
      if (functionInFlight >= reserved) {
        throw tooManyRequests("ReservedFunctionConcurrentInvocationLimitExceeded");
      }
    } else if (
      inFlight >= this.accountConcurrency ||
      unreservedInFlight >= this.accountConcurrency - (this.#reservedTotal.get(accountKey) ?? 0)
    ) {
      throw tooManyRequests("ConcurrentInvocationLimitExceeded");
    }
    const entry = this.#entry(target);
    this.#inFlight.set(accountKey, inFlight + 1);
    this.#functionInFlight.set(functionKey, functionInFlight + 1);
    if (reserved === undefined) this.#unreservedInFlight.set(accountKey, unreservedInFlight + 1);
    entry.running++;
    try {
      return await entry.pool.invoke(payload, options);
    } catch (error) {
      if (error instanceof ConcurrencyLimitError) throw tooManyRequests("ConcurrentInvocationLimitExceeded");
      throw error;
    } finally {
      entry.running--;
      decrement(this.#inFlight, accountKey);
      decrement(this.#functionInFlight, functionKey);
      if (reserved === undefined) decrement(this.#unreservedInFlight, accountKey);
      if (entry.retired && entry.running === 0) {
        this.#retired.delete(entry);
        void entry.pool.dispose();
      }
    }
  }

  /** A function's reserved concurrency changed (undefined: none reserved any more). */
  setReservation(accountId: string, region: string, name: string, reserved: number | undefined): void {
    const accountKey = `${accountId}\0${region}`;
    const functionKey = `${accountKey}\0${name}`;
    const previous = this.#reservations.get(functionKey) ?? 0;
    if (reserved === undefined) this.#reservations.delete(functionKey);
    else this.#reservations.set(functionKey, reserved);
    const total = (this.#reservedTotal.get(accountKey) ?? 0) - previous + (reserved ?? 0);
    if (total > 0) this.#reservedTotal.set(accountKey, total);
    else this.#reservedTotal.delete(accountKey);
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
        ...(resolved.optDir !== undefined ? { layerDirs: [resolved.optDir] } : {}),
        logGroup: settings.logGroup || `/aws/lambda/${record.name}`,
      },
      { concurrencyMax: this.accountConcurrency, idleMs: this.idleMs },
      this.#environmentOptions(target),
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

  /** Each environment of the pool opens its own log stream in the function's log group. */
  #environmentOptions(target: InvokeTarget): EnvironmentOptions {
    const sink = this.#functionLogs;
    if (sink === undefined) return {};
    const { record, settings, version } = target.resolved;
    return {
      functionLog: (env) =>
        new EnvironmentLog(
          sink,
          {
            accountId: record.accountId,
            region: record.region,
            // Records written before LoggingConfig existed have no group: AWS's default.
            group: settings.logGroup || `/aws/lambda/${record.name}`,
            stream: env.logStreamName,
          },
          {
            runtime: settings.runtime,
            version,
            memorySizeMB: settings.memorySize,
            timeoutSeconds: settings.timeout,
          },
        ),
    };
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
    if (version === undefined) this.setReservation(accountId, region, name, undefined);
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

function decrement(counts: Map<string, number>, key: string): void {
  const left = (counts.get(key) ?? 1) - 1;
  if (left > 0) counts.set(key, left);
  else counts.delete(key);
}
