/**
 * The CloudFormation engine: what the API operations share. It starts stack operations in the
 * background (the API call returns with the stack *_IN_PROGRESS, as AWS does, and the SDK waiters poll)
 * and keeps track of them so shutdown waits for them to settle.
 *
 * Start-up recovery: a stack operation does not survive a restart (its progress lived in this
 * process). A stack found *_IN_PROGRESS at start-up is moved to the matching failed status (CREATE_FAILED,
 * UPDATE_ROLLBACK_FAILED, DELETE_FAILED, ...) with the reason RESTART_REASON, its resources still in
 * progress likewise, and a change set being executed to EXECUTE_FAILED. The stack can then be deleted
 * (or, from UPDATE_FAILED/UPDATE_ROLLBACK_FAILED, updated or deleted) as after any failure.
 */
import type { RequestContext } from "../../../aws/context.ts";
import { Mutex } from "../../../storage/mutex.ts";
import type { ResourceProvider } from "../providers/types.ts";
import type { StackRecord, StackStatus } from "./records.ts";
import { type EngineDeps, StackRun } from "./stack-run.ts";
import type { Place } from "./store.ts";

export const RESTART_REASON =
  "Stratus restarted while this stack operation was in progress; the operation was stopped.";

/** How long shutdown waits for running stack operations. */
const SETTLE_LIMIT_MS = 30_000;

const AFTER_RESTART: Readonly<Partial<Record<StackStatus, StackStatus>>> = {
  CREATE_IN_PROGRESS: "CREATE_FAILED",
  ROLLBACK_IN_PROGRESS: "ROLLBACK_FAILED",
  DELETE_IN_PROGRESS: "DELETE_FAILED",
  UPDATE_IN_PROGRESS: "UPDATE_FAILED",
  UPDATE_COMPLETE_CLEANUP_IN_PROGRESS: "UPDATE_COMPLETE",
  UPDATE_ROLLBACK_IN_PROGRESS: "UPDATE_ROLLBACK_FAILED",
  UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS: "UPDATE_ROLLBACK_COMPLETE",
};

/** Stack statuses from which UpdateStack and UPDATE change sets may start. */
export const UPDATABLE: ReadonlySet<string> = new Set([
  "CREATE_COMPLETE",
  "UPDATE_COMPLETE",
  "UPDATE_ROLLBACK_COMPLETE",
  "UPDATE_FAILED",
  "IMPORT_COMPLETE",
  "IMPORT_ROLLBACK_COMPLETE",
]);

export class CloudFormationEngine {
  readonly deps: EngineDeps;
  readonly #running = new Set<Promise<void>>();
  readonly #active = new Map<string, StackRun>();
  readonly #changes = new Mutex();
  readonly ready: Promise<void>;

  constructor(deps: EngineDeps) {
    this.deps = deps;
    this.ready = this.#recover().catch((error: unknown) => {
      deps.logger.error(`cloudformation: start-up recovery failed: ${String(error)}`);
    });
  }

  providerFor(type: string): ResourceProvider | undefined {
    return this.deps.providerFor(type);
  }

  place(context: RequestContext): Place {
    return { accountId: context.accountId, region: context.region };
  }

  run(stack: StackRecord): StackRun {
    return new StackRun(this.deps, stack);
  }

  /**
   * Runs an API call that changes stacks or change sets alone: each checks state (a name taken, a
   * stack in progress) and then writes it, which must not interleave with another call doing the same.
   * Only the checks and the first writes are serialised; the stack operations themselves run apart.
   */
  async exclusive<T>(work: () => Promise<T>): Promise<T> {
    await this.#changes.acquire();
    try {
      return await work();
    } finally {
      this.#changes.release();
    }
  }

  /** Runs `run`'s operation (`work`) after the API call returns; failures that escape it are logged. */
  background(run: StackRun, work: () => Promise<unknown>): void {
    const stackId = run.stack.stackId;
    this.#active.set(stackId, run);
    const task = (async () => {
      await this.ready;
      await work();
    })().catch((error: unknown) => {
      this.deps.logger.error(
        `cloudformation: stack ${run.stack.stackName}: ${error instanceof Error ? error.stack : String(error)}`,
      );
    });
    const tracked = task.finally(() => {
      this.#running.delete(tracked);
      if (this.#active.get(stackId) === run) this.#active.delete(stackId);
    });
    this.#running.add(tracked);
  }

  /** The operation running on a stack, if any. */
  activeRun(stackId: string): StackRun | undefined {
    return this.#active.get(stackId);
  }

  /**
   * Waits for the stack operations still running (shutdown), at most `limitMs`: one that does not
   * finish by then is found in progress at the next start and marked failed (start-up recovery).
   */
  async settle(limitMs = SETTLE_LIMIT_MS): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, limitMs);
      timer.unref();
    });
    const all = (async () => {
      while (this.#running.size > 0) await Promise.allSettled([...this.#running]);
    })();
    await Promise.race([all, limit]);
    clearTimeout(timer);
  }

  async #recover(): Promise<void> {
    const interrupted: StackRecord[] = [];
    for await (const stack of this.deps.store.allStacks()) {
      if (AFTER_RESTART[stack.status] !== undefined) interrupted.push(stack);
    }
    for (const stack of interrupted) {
      const run = this.run(stack);
      for (const record of Object.values(stack.resources)) {
        if (!record.status.endsWith("_IN_PROGRESS")) continue;
        record.status = record.status.replace("_IN_PROGRESS", "_FAILED") as typeof record.status;
        record.statusReason = RESTART_REASON;
        record.updatedAt = run.now();
        await run.event(record.logicalId, record.type, record.status, record.physicalId, RESTART_REASON);
      }
      for (const changeSet of await this.deps.store.changeSets(stack.caller, stack.stackId)) {
        if (changeSet.executionStatus !== "EXECUTE_IN_PROGRESS") continue;
        await this.deps.store.putChangeSet(stack.caller, { ...changeSet, executionStatus: "EXECUTE_FAILED" });
      }
      const status = AFTER_RESTART[stack.status]!;
      await run.setStatus(status, RESTART_REASON);
      this.deps.logger.warn(
        `cloudformation: stack ${stack.stackName} was in progress at start-up: now ${status}`,
      );
    }
  }
}
