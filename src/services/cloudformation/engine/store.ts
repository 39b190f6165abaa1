/**
 * CloudFormation's durable state over the shared KV store, per account and region, so that stacks
 * survive a restart as they survive in AWS.
 *
 * Layout (tuple keys, JSON values):
 *   ("cloudformation", account, region, "stack", stackId)               StackRecord (resources inside)
 *   ("cloudformation", account, region, "stack-name", name)             stackId of the live stack so named
 *   ("cloudformation", account, region, "event", stackId, seq)          EventRecord (seq from 1, per stack)
 *   ("cloudformation", account, region, "changeset", stackId, name)     ChangeSetRecord
 *   ("cloudformation", account, region, "changeset-id", changeSetId)    [stackId, name]
 *   ("cloudformation", account, region, "export", name)                 ExportRecord
 * A deleted stack keeps its record and events (DescribeStacks by stack id, ListStacks) but loses its
 * name, which a new stack may take.
 */
import type { KvStore, KvTransaction } from "../../../storage/kv.ts";
import { decodeTuple, tuple, tupleRange } from "../../../storage/tuple.ts";
import type { ChangeSetRecord, EventRecord, ExportRecord, StackRecord } from "./records.ts";

const SERVICE = "cloudformation";
const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();
const encode = (value: unknown) => utf8.encode(JSON.stringify(value));
const decode = <T>(bytes: Uint8Array): T => JSON.parse(fromUtf8.decode(bytes)) as T;

/** Where a stack lives: its account and region. */
export interface Place {
  readonly accountId: string;
  readonly region: string;
}

export class StackStore {
  readonly #storage: KvStore;

  constructor(storage: KvStore) {
    this.#storage = storage;
  }

  #key(place: Place, ...items: (string | number)[]): Uint8Array {
    return tuple(SERVICE, place.accountId, place.region, ...items);
  }

  // Stacks

  async getStack(place: Place, stackId: string): Promise<StackRecord | undefined> {
    const bytes = await this.#storage.get(this.#key(place, "stack", stackId));
    return bytes && decode<StackRecord>(bytes);
  }

  /** The live stack of that name, or any stack (deleted ones too) by its id. */
  async findStack(place: Place, nameOrId: string): Promise<StackRecord | undefined> {
    if (nameOrId.startsWith("arn:")) return this.getStack(place, nameOrId);
    const id = await this.#storage.get(this.#key(place, "stack-name", nameOrId));
    return id && this.getStack(place, fromUtf8.decode(id));
  }

  async putStack(stack: StackRecord): Promise<void> {
    await this.#storage.transaction((tx) => this.putStackIn(tx, stack));
  }

  async putStackIn(tx: KvTransaction, stack: StackRecord): Promise<void> {
    const place = stack.caller;
    tx.put(this.#key(place, "stack", stack.stackId), encode(stack));
    const nameKey = this.#key(place, "stack-name", stack.stackName);
    if (stack.status === "DELETE_COMPLETE") {
      const current = await tx.get(nameKey);
      if (current && fromUtf8.decode(current) === stack.stackId) tx.delete(nameKey);
    } else {
      tx.put(nameKey, utf8.encode(stack.stackId));
    }
  }

  async *stacks(place: Place): AsyncGenerator<StackRecord> {
    for await (const entry of this.#storage.range(
      tupleRange(SERVICE, place.accountId, place.region, "stack"),
    )) {
      yield decode<StackRecord>(entry.value);
    }
  }

  /** Every stack of every account and region (start-up recovery). */
  async *allStacks(): AsyncGenerator<StackRecord> {
    for await (const entry of this.#storage.range(tupleRange(SERVICE))) {
      const items = decodeTuple(entry.key);
      if (items.length === 5 && items[3] === "stack") yield decode<StackRecord>(entry.value);
    }
  }

  // Events

  async appendEvent(place: Place, event: EventRecord): Promise<void> {
    await this.#storage.transaction(async (tx) => {
      let last = 0;
      const range = tupleRange(SERVICE, place.accountId, place.region, "event", event.StackId);
      for await (const entry of tx.range({ ...range, reverse: true, limit: 1 })) {
        last = decodeTuple(entry.key).at(-1) as number;
      }
      tx.put(this.#key(place, "event", event.StackId, last + 1), encode(event));
    });
  }

  /** A stack's events, newest first. */
  async *events(place: Place, stackId: string): AsyncGenerator<EventRecord> {
    const range = tupleRange(SERVICE, place.accountId, place.region, "event", stackId);
    for await (const entry of this.#storage.range({ ...range, reverse: true })) {
      yield decode<EventRecord>(entry.value);
    }
  }

  // Change sets

  async getChangeSet(place: Place, stackId: string, name: string): Promise<ChangeSetRecord | undefined> {
    const bytes = await this.#storage.get(this.#key(place, "changeset", stackId, name));
    return bytes && decode<ChangeSetRecord>(bytes);
  }

  async getChangeSetById(place: Place, changeSetId: string): Promise<ChangeSetRecord | undefined> {
    const bytes = await this.#storage.get(this.#key(place, "changeset-id", changeSetId));
    if (!bytes) return undefined;
    const [stackId, name] = decode<[string, string]>(bytes);
    return this.getChangeSet(place, stackId, name);
  }

  async putChangeSet(place: Place, changeSet: ChangeSetRecord): Promise<void> {
    await this.#storage.transaction((tx) => {
      tx.put(this.#key(place, "changeset", changeSet.stackId, changeSet.changeSetName), encode(changeSet));
      tx.put(
        this.#key(place, "changeset-id", changeSet.changeSetId),
        encode([changeSet.stackId, changeSet.changeSetName]),
      );
    });
  }

  async deleteChangeSet(place: Place, changeSet: ChangeSetRecord): Promise<void> {
    await this.#storage.transaction((tx) => {
      tx.delete(this.#key(place, "changeset", changeSet.stackId, changeSet.changeSetName));
      tx.delete(this.#key(place, "changeset-id", changeSet.changeSetId));
    });
  }

  async changeSets(place: Place, stackId: string): Promise<ChangeSetRecord[]> {
    const found: ChangeSetRecord[] = [];
    const range = tupleRange(SERVICE, place.accountId, place.region, "changeset", stackId);
    for await (const entry of this.#storage.range(range)) found.push(decode<ChangeSetRecord>(entry.value));
    return found;
  }

  // Exports

  async exports(place: Place): Promise<ExportRecord[]> {
    const found: ExportRecord[] = [];
    const range = tupleRange(SERVICE, place.accountId, place.region, "export");
    for await (const entry of this.#storage.range(range)) found.push(decode<ExportRecord>(entry.value));
    return found;
  }

  /** Replaces the exports of `stackId` with `exports` (none when the stack is gone). */
  async replaceExports(place: Place, stackId: string, exports: readonly ExportRecord[]): Promise<void> {
    await this.#storage.transaction(async (tx) => {
      const range = tupleRange(SERVICE, place.accountId, place.region, "export");
      for await (const entry of tx.range(range)) {
        if (decode<ExportRecord>(entry.value).stackId === stackId) tx.delete(entry.key);
      }
      for (const record of exports) tx.put(this.#key(place, "export", record.name), encode(record));
    });
  }
}
