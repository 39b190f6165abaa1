/**
 * InvocationType Event: the accepted events, run in the background in this process. An event the
 * account has no concurrency for waits and is tried again (1 s, doubling up to 60 s, as long as Stratus
 * runs); a function error is logged and dropped.
 *
 * ## Gaps
 * - No retries after function errors (AWS: two, with backoff), no MaximumEventAgeInSeconds, no
 *   OnSuccess/OnFailure destinations or DLQ yet.
 * - The queue lives in memory: events accepted but not yet run are lost when Stratus stops.
 */
import type { Logger } from "../../../log.ts";

export type AsyncJob = () => Promise<void>;

/** Thrown by a job that should be tried again later (throttled). */
export class RetryLater extends Error {}

export class AsyncInvokeQueue {
  #logger: Logger;
  #running = new Set<Promise<void>>();
  #timers = new Set<NodeJS.Timeout>();
  #closed = false;

  constructor(logger: Logger) {
    this.#logger = logger;
  }

  /** Events accepted and not finished. */
  get pending(): number {
    return this.#running.size + this.#timers.size;
  }

  enqueue(job: AsyncJob): void {
    if (this.#closed) return;
    this.#start(job, 0);
  }

  #start(job: AsyncJob, attempt: number): void {
    const run = (async () => {
      try {
        await job();
      } catch (error) {
        if (error instanceof RetryLater && !this.#closed) {
          this.#later(job, attempt + 1);
          return;
        }
        this.#logger.warn(`lambda async invoke failed: ${(error as Error).message}`);
      }
    })();
    this.#running.add(run);
    void run.finally(() => this.#running.delete(run));
  }

  #later(job: AsyncJob, attempt: number): void {
    const delayMs = Math.min(60_000, 1000 * 2 ** Math.min(attempt - 1, 6));
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      if (!this.#closed) this.#start(job, attempt);
    }, delayMs);
    timer.unref();
    this.#timers.add(timer);
  }

  /** Drops waiting events; running ones end when their environments are disposed. */
  close(): void {
    this.#closed = true;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }
}
