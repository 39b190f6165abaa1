/**
 * Keeps one poller running per enabled mapping: started by Create/Update, resumed for every stored
 * mapping when Stratus starts, stopped at shutdown. A poller reads its mapping before every attempt,
 * so it follows updates on its own and ends once its mapping is disabled or deleted; when one ends
 * while its mapping is (again) enabled, a new one takes over, so a quick disable/enable never leaves
 * a mapping without a poller nor with two.
 */
import type { MappingRecord } from "./mapping-store.ts";
import { getMapping, listAllMappings } from "./mapping-store.ts";
import { type MappingKey, type PollerDeps, StreamPoller } from "./poller.ts";

/** How long shutdown waits for invokes in flight before closing storage under them. */
const CLOSE_WAIT_MS = 2000;

export class MappingPollers {
  readonly #deps: PollerDeps;
  readonly #running = new Map<string, StreamPoller>();
  #closed = false;

  constructor(deps: PollerDeps) {
    this.#deps = deps;
  }

  static keyOf(key: MappingKey): string {
    return `${key.accountId}\0${key.region}\0${key.uuid}`;
  }

  /** Starts the mapping's poller unless it is disabled or one already runs. */
  ensure(record: MappingRecord): void {
    if (this.#closed || !record.enabled) return;
    const key = MappingPollers.keyOf(record);
    if (this.#running.has(key)) return;
    const poller = new StreamPoller(this.#deps, {
      accountId: record.accountId,
      region: record.region,
      uuid: record.uuid,
    });
    this.#running.set(key, poller);
    void poller.done.then(() => this.#ended(key, poller, record));
  }

  /** Stops a deleted mapping's poller at once (it would notice on its next read anyway). */
  stop(key: MappingKey): void {
    this.#running.get(MappingPollers.keyOf(key))?.stop();
  }

  async #ended(key: string, poller: StreamPoller, record: MappingRecord): Promise<void> {
    if (this.#running.get(key) === poller) this.#running.delete(key);
    if (this.#closed) return;
    try {
      const current = await getMapping(this.#deps.storage, record.accountId, record.region, record.uuid);
      if (current) this.ensure(current);
    } catch (error) {
      this.#deps.logger.warn(`event source mapping ${record.uuid}: ${String(error)}`);
    }
  }

  /** Resumes the pollers of every stored mapping (at startup). */
  async resumeAll(): Promise<void> {
    for (const record of await listAllMappings(this.#deps.storage)) this.ensure(record);
  }

  async close(): Promise<void> {
    this.#closed = true;
    const done = [...this.#running.values()].map((poller) => {
      poller.stop();
      return poller.done;
    });
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled(done),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, CLOSE_WAIT_MS);
      }),
    ]);
    clearTimeout(timer);
  }
}
