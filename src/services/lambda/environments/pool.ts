// The execution environments of one function version: reuse a warm idle one (most recently used
// first, so the rest go cold and get reaped), start a new one only when every one is busy, refuse
// past `concurrencyMax`, reap environments idle longer than `idleMs`, kill everything on dispose.
// Reserved and account concurrency are the caller's business: it sets `concurrencyMax` to what is
// left for this version and maps ConcurrencyLimitError to TooManyRequestsException.
import { performance } from "node:perf_hooks";
import {
  EnvironmentGoneError,
  type EnvironmentOptions,
  ExecutionEnvironment,
  type FunctionRuntimeConfig,
  type InvokeOptions,
  type InvokeResult,
} from "./environment.ts";

export interface PoolLimits {
  /** Environments (= concurrent invokes) at most. */
  concurrencyMax: number;
  /** An environment idle this long is stopped. */
  idleMs: number;
}

/** Every environment is busy and the pool is at concurrencyMax. */
export class ConcurrencyLimitError extends Error {
  constructor(readonly concurrencyMax: number) {
    super(`Rate Exceeded. (${concurrencyMax} concurrent executions)`);
  }
}

export class EnvironmentPool {
  readonly config: FunctionRuntimeConfig;
  #limits: PoolLimits;
  #options: EnvironmentOptions;
  #idle: ExecutionEnvironment[] = [];
  #busy = new Set<ExecutionEnvironment>();
  #starting = 0;
  /**
   * One reaper timer per environment, armed at its first release and re-armed when it fires early,
   * rather than a new timer per invoke (a setTimeout and a clearTimeout on every warm invoke).
   */
  #reapers = new Map<ExecutionEnvironment, NodeJS.Timeout>();
  /** When each idle environment went idle (performance.now()). */
  #idleSince = new Map<ExecutionEnvironment, number>();
  #disposed = false;

  constructor(config: FunctionRuntimeConfig, limits: PoolLimits, options: EnvironmentOptions = {}) {
    this.config = config;
    this.#limits = limits;
    this.#options = options;
  }

  /** Environments alive (idle, busy or starting). */
  get size(): number {
    return this.#idle.length + this.#busy.size + this.#starting;
  }

  get busyCount(): number {
    return this.#busy.size + this.#starting;
  }

  setLimits(limits: Partial<PoolLimits>): void {
    this.#limits = { ...this.#limits, ...limits };
  }

  /**
   * Runs one invocation in a warm environment or a new one. Rejects with ConcurrencyLimitError
   * when all are busy at the limit; everything the function does resolves as an InvokeResult.
   */
  async invoke(payload: Buffer, options: InvokeOptions): Promise<InvokeResult> {
    for (let attempt = 0; ; attempt++) {
      // A warm environment is taken without an await (most invokes; a new one is awaited), so the
      // Invoke request reaches the Runtime API's write in the microtask that resolved the function.
      // With the other changes of docs/benchmarks.md "Session 5: invoke cost": 11–17% less CPU of
      // the main process per warm invoke at 16 and 32 connections (bench/lambda-cpu.ts).
      const env = this.#takeIdle() ?? (await this.#start());
      try {
        return await env.invoke(payload, options);
      } catch (err) {
        if (!(err instanceof EnvironmentGoneError) || attempt >= 2) throw err;
      } finally {
        this.#release(env);
      }
    }
  }

  /** The most recently used idle environment that is still alive, now busy; undefined: none. */
  #takeIdle(): ExecutionEnvironment | undefined {
    if (this.#disposed) throw new Error("environment pool is disposed");
    while (this.#idle.length > 0) {
      const env = this.#idle.pop()!;
      this.#idleSince.delete(env);
      if (env.alive) {
        this.#busy.add(env);
        return env;
      }
      this.#cancelReaper(env);
      void env.dispose();
    }
    return undefined;
  }

  /** A new environment, busy; ConcurrencyLimitError past concurrencyMax. */
  async #start(): Promise<ExecutionEnvironment> {
    if (this.size >= this.#limits.concurrencyMax)
      throw new ConcurrencyLimitError(this.#limits.concurrencyMax);
    this.#starting++;
    try {
      const env = await ExecutionEnvironment.start(this.config, this.#options);
      this.#busy.add(env);
      return env;
    } finally {
      this.#starting--;
    }
  }

  #release(env: ExecutionEnvironment): void {
    this.#busy.delete(env);
    if (this.#disposed || !env.alive) {
      this.#cancelReaper(env);
      void env.dispose();
      return;
    }
    this.#idle.push(env);
    this.#idleSince.set(env, performance.now());
    if (!this.#reapers.has(env)) this.#armReaper(env, this.#limits.idleMs);
  }

  /** Stops `env` once it has been idle for idleMs; an environment in use since is checked again later. */
  #armReaper(env: ExecutionEnvironment, delayMs: number): void {
    const timer = setTimeout(() => {
      this.#reapers.delete(env);
      const since = this.#idleSince.get(env);
      if (since === undefined) {
        // Busy now (or gone): its next release arms a new reaper.
        return;
      }
      const leftMs = since + this.#limits.idleMs - performance.now();
      if (leftMs > 0) {
        this.#armReaper(env, leftMs);
        return;
      }
      this.#idleSince.delete(env);
      const index = this.#idle.indexOf(env);
      if (index >= 0) this.#idle.splice(index, 1);
      void env.dispose();
    }, delayMs);
    timer.unref();
    this.#reapers.set(env, timer);
  }

  #cancelReaper(env: ExecutionEnvironment): void {
    const timer = this.#reapers.get(env);
    if (timer) clearTimeout(timer);
    this.#reapers.delete(env);
  }

  /** Kills every environment, busy ones included (their invokes end as Runtime.ExitError). */
  async dispose(): Promise<void> {
    this.#disposed = true;
    for (const timer of this.#reapers.values()) clearTimeout(timer);
    this.#reapers.clear();
    this.#idleSince.clear();
    const all = [...this.#idle, ...this.#busy];
    this.#idle = [];
    await Promise.all(all.map((env) => env.dispose()));
  }
}
