/**
 * One stack operation while it runs in the background: the stack record it changes (saved after every
 * step, in order, so DescribeStacks and the SDK waiters see progress), the events it records, and the
 * single-resource steps the create, update and delete flows are made of (create one resource, update
 * or replace one, delete one), each with CloudFormation's events and status reasons.
 */
import { randomUUID } from "node:crypto";
import { isDeepStrictEqual } from "node:util";
import type { Clock } from "../../../aws/clock.ts";
import type { Logger } from "../../../log.ts";
import type { KvStore } from "../../../storage/kv.ts";
import type { CallerIdentity, ServiceCaller } from "../../in-process-caller.ts";
import type { ProviderContext, ResourceProvider } from "../providers/types.ts";
import { resolveValue } from "../template/resolve.ts";
import type { ResolveScope } from "../template/types.ts";
import { decideUpdate, isLive } from "./diff.ts";
import { failureReason, UnsupportedResourceType } from "./failure-reason.ts";
import { maskNoEcho } from "./no-echo.ts";
import type { PreparedTemplate } from "./prepare.ts";
import { createProviderContext } from "./provider-context.ts";
import type { ResourceRecord, ResourceStatus, StackRecord, StackStatus } from "./records.ts";
import type { StackStore } from "./store.ts";

export interface EngineDeps {
  readonly store: StackStore;
  readonly storage: KvStore;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Where Stratus listens (`http://127.0.0.1:4566`), once it does: URLs handed to functions. */
  readonly endpoint?: { readonly url: string | undefined };
  callerFor(identity: CallerIdentity): ServiceCaller;
  providerFor(type: string): ResourceProvider | undefined;
  /** How many resources are created or deleted at once. */
  readonly concurrency: number;
}

export const STACK_TYPE = "AWS::CloudFormation::Stack";

/** What an update did to one resource, undone in reverse by a rollback. */
export type Applied =
  | { kind: "created"; logicalId: string }
  | { kind: "updated"; logicalId: string; before: ResourceRecord }
  | { kind: "replaced"; logicalId: string; before: ResourceRecord; after: ResourceRecord };

/**
 * A resource named in the template (its `{Type}Name` property: TableName, FunctionName, RoleName, ...)
 * cannot be replaced under the same name: the new one would collide with the old. CloudFormation
 * refuses before creating anything.
 */
function refuseCustomNamedReplacement(
  before: ResourceRecord,
  type: string,
  properties: Readonly<Record<string, unknown>>,
): void {
  if (before.type !== type) return;
  const nameProperty = `${type.split("::").at(-1)}Name`;
  const name = properties[nameProperty];
  if (name === undefined || !isDeepStrictEqual(before.properties[nameProperty], name)) return;
  throw new Error(
    `CloudFormation cannot update a stack when a custom-named resource requires replacing. Rename ${String(name)} and update the stack again.`,
  );
}

export class StackRun {
  readonly deps: EngineDeps;
  readonly stack: StackRecord;
  #saving: Promise<void> = Promise.resolve();
  #lastEventMs = 0;
  /** DeleteStack arrived while the stack was being created: stop creating, then delete it. */
  deleteRequested = false;
  /** CancelUpdateStack arrived: stop updating, then roll back. */
  cancelRequested = false;

  constructor(deps: EngineDeps, stack: StackRecord) {
    this.deps = deps;
    this.stack = stack;
  }

  now(): string {
    return this.deps.clock.now().toISOString();
  }

  /** Saves the stack as it is now; saves happen in call order. */
  save(): Promise<void> {
    const snapshot = structuredClone(this.stack);
    this.#saving = this.#saving.then(() => this.deps.store.putStack(snapshot));
    return this.#saving;
  }

  async event(
    logicalId: string,
    type: string,
    status: string,
    physicalId?: string,
    reason?: string,
    properties?: Record<string, unknown>,
  ): Promise<void> {
    // Strictly increasing per operation, so events sort as they happened and resource event ids
    // (`{logicalId}-{status}-{timestamp}`) never repeat within a millisecond.
    const ms = Math.max(this.deps.clock.now().getTime(), this.#lastEventMs + 1);
    this.#lastEventMs = ms;
    const timestamp = new Date(ms).toISOString();
    const isStack = type === STACK_TYPE && logicalId === this.stack.stackName;
    await this.deps.store.appendEvent(this.stack.caller, {
      StackId: this.stack.stackId,
      EventId: isStack ? randomUUID() : `${logicalId}-${status}-${timestamp}`,
      StackName: this.stack.stackName,
      LogicalResourceId: logicalId,
      ...(physicalId === undefined ? {} : { PhysicalResourceId: physicalId }),
      ResourceType: type,
      Timestamp: timestamp,
      ResourceStatus: status,
      ...(reason === undefined ? {} : { ResourceStatusReason: reason }),
      ...(properties === undefined
        ? {}
        : {
            ResourceProperties: maskNoEcho(
              JSON.stringify(properties),
              this.stack.parameters,
              this.stack.noEchoKeys,
            ),
          }),
      ...(this.stack.clientRequestToken === undefined
        ? {}
        : { ClientRequestToken: this.stack.clientRequestToken }),
    });
  }

  /** Moves the stack to `status`: saved, then its own event. */
  async setStatus(status: StackStatus, reason?: string): Promise<void> {
    this.stack.status = status;
    this.stack.statusReason = reason;
    if (status === "DELETE_COMPLETE") this.stack.deletionTime = this.now();
    await this.save();
    await this.event(this.stack.stackName, STACK_TYPE, status, this.stack.stackId, reason);
  }

  context(logicalId: string, type: string): ProviderContext {
    const caller = this.stack.caller;
    return createProviderContext({
      call: this.deps.callerFor(caller),
      storage: this.deps.storage,
      clock: this.deps.clock,
      accountId: caller.accountId,
      region: caller.region,
      stackName: this.stack.stackName,
      stackId: this.stack.stackId,
      logicalId,
      type,
      endpointUrl: () => this.deps.endpoint?.url,
    });
  }

  async #resourceStatus(record: ResourceRecord, status: ResourceStatus, reason?: string): Promise<void> {
    record.status = status;
    record.statusReason = reason;
    record.updatedAt = this.now();
    await this.save();
    await this.event(record.logicalId, record.type, status, record.physicalId, reason);
  }

  #providerOf(type: string): ResourceProvider {
    const provider = this.deps.providerFor(type);
    if (!provider) throw new UnsupportedResourceType(type);
    return provider;
  }

  /** Creates one resource of `prepared`; false when it failed (the reason is on its events). */
  async createResource(prepared: PreparedTemplate, logicalId: string, scope: ResolveScope): Promise<boolean> {
    const definition = prepared.template.Resources[logicalId]!;
    const record = this.#newRecord(prepared, logicalId);
    this.stack.resources[logicalId] = record;
    await this.save();
    // The first event carries the resolved properties (ResourceProperties), when they resolve.
    let resolved: { properties: Record<string, unknown> } | { error: unknown };
    try {
      resolved = { properties: resolveValue(definition.Properties ?? {}, scope) as Record<string, unknown> };
    } catch (error) {
      resolved = { error };
    }
    const shown = "properties" in resolved ? resolved.properties : undefined;
    await this.event(logicalId, definition.Type, "CREATE_IN_PROGRESS", undefined, undefined, shown);
    try {
      if ("error" in resolved) throw resolved.error;
      const properties = resolved.properties;
      record.properties = properties;
      const provider = this.#providerOf(definition.Type);
      const made = await provider.create(this.context(logicalId, definition.Type), properties);
      record.physicalId = made.physicalId;
      record.attributes = { ...made.attributes };
      await this.event(
        logicalId,
        definition.Type,
        "CREATE_IN_PROGRESS",
        made.physicalId,
        "Resource creation Initiated",
      );
      await this.#resourceStatus(record, "CREATE_COMPLETE");
      return true;
    } catch (error) {
      this.deps.logger.debug(`cloudformation: ${logicalId} failed to create: ${failureReason(error)}`);
      await this.#resourceStatus(record, "CREATE_FAILED", failureReason(error));
      return false;
    }
  }

  /**
   * Brings one resource to `prepared`'s definition during an update: creates it when new, leaves it
   * alone when its resolved properties did not change, else updates it in place or replaces it.
   */
  async updateResource(
    prepared: PreparedTemplate,
    logicalId: string,
    scope: ResolveScope,
    applied: Applied[],
  ): Promise<boolean> {
    const before = this.stack.resources[logicalId];
    if (!isLive(before)) {
      applied.push({ kind: "created", logicalId });
      return this.createResource(prepared, logicalId, scope);
    }
    const definition = prepared.template.Resources[logicalId]!;
    const kept = structuredClone(before);
    let properties: Record<string, unknown>;
    try {
      properties = resolveValue(definition.Properties ?? {}, scope) as Record<string, unknown>;
    } catch (error) {
      await this.#failUpdate(before, kept, error);
      return false;
    }
    const provider = this.deps.providerFor(definition.Type);
    const decision = decideUpdate(provider, before.type, definition.Type, before.properties, properties);
    const policies = this.#newRecord(prepared, logicalId);
    if (decision.changed.length === 0 && !decision.replace) {
      // Unchanged: no events, but the template's policies and dependencies are the new ones.
      Object.assign(before, {
        dependsOn: policies.dependsOn,
        deletionPolicy: policies.deletionPolicy,
        updateReplacePolicy: policies.updateReplacePolicy,
        metadata: policies.metadata,
      });
      return true;
    }
    before.status = "UPDATE_IN_PROGRESS";
    before.updatedAt = this.now();
    await this.save();
    await this.event(
      logicalId,
      definition.Type,
      "UPDATE_IN_PROGRESS",
      before.physicalId,
      undefined,
      properties,
    );
    try {
      const live = this.#providerOf(definition.Type);
      if (decision.replace) {
        refuseCustomNamedReplacement(before, definition.Type, properties);
        await this.event(
          logicalId,
          definition.Type,
          "UPDATE_IN_PROGRESS",
          before.physicalId,
          "Requested update requires the creation of a new physical resource; hence creating one.",
        );
        const made = await live.create(this.context(logicalId, definition.Type), properties);
        const after: ResourceRecord = {
          ...policies,
          physicalId: made.physicalId,
          attributes: { ...made.attributes },
          properties,
        };
        this.stack.resources[logicalId] = after;
        applied.push({ kind: "replaced", logicalId, before: kept, after });
        await this.event(
          logicalId,
          definition.Type,
          "UPDATE_IN_PROGRESS",
          made.physicalId,
          "Resource creation Initiated",
        );
        await this.#resourceStatus(after, "UPDATE_COMPLETE");
      } else {
        const made = await live.update!(
          this.context(logicalId, definition.Type),
          { physicalId: before.physicalId!, attributes: before.attributes, properties: before.properties },
          properties,
        );
        Object.assign(before, {
          ...policies,
          physicalId: made.physicalId,
          attributes: { ...made.attributes },
          properties,
        });
        applied.push({ kind: "updated", logicalId, before: kept });
        await this.#resourceStatus(before, "UPDATE_COMPLETE");
      }
      return true;
    } catch (error) {
      await this.#failUpdate(before, kept, error);
      return false;
    }
  }

  async #failUpdate(record: ResourceRecord, kept: ResourceRecord, error: unknown): Promise<void> {
    this.deps.logger.debug(`cloudformation: ${record.logicalId} failed to update: ${failureReason(error)}`);
    // The service refused, so the resource is still as it was.
    Object.assign(record, kept);
    this.stack.resources[record.logicalId] = record;
    await this.#resourceStatus(record, "UPDATE_FAILED", failureReason(error));
  }

  /** Puts back what an update changed in place, as part of its rollback. */
  async revertUpdate(current: ResourceRecord, before: ResourceRecord): Promise<boolean> {
    await this.event(current.logicalId, current.type, "UPDATE_IN_PROGRESS", current.physicalId);
    try {
      const made = await this.#providerOf(before.type).update!(
        this.context(before.logicalId, before.type),
        { physicalId: current.physicalId!, attributes: current.attributes, properties: current.properties },
        before.properties,
      );
      Object.assign(current, before, { physicalId: made.physicalId, attributes: { ...made.attributes } });
      await this.#resourceStatus(current, "UPDATE_COMPLETE");
      return true;
    } catch (error) {
      await this.#resourceStatus(current, "UPDATE_FAILED", failureReason(error));
      return false;
    }
  }

  /**
   * Deletes one resource (or skips it: Retain policy, `retain`), recording its events on `record`,
   * which need not be in the stack's map (the old half of a replacement). False when it failed.
   */
  async deleteResource(record: ResourceRecord, retain: boolean): Promise<boolean> {
    if (record.status === "DELETE_COMPLETE" || record.status === "DELETE_SKIPPED") return true;
    if (record.physicalId === undefined) {
      // Never created (it failed, or its creation never started): nothing to delete.
      await this.#resourceStatus(record, "DELETE_COMPLETE");
      return true;
    }
    if (retain) {
      await this.#resourceStatus(record, "DELETE_SKIPPED");
      return true;
    }
    await this.#resourceStatus(record, "DELETE_IN_PROGRESS");
    try {
      await this.#providerOf(record.type).delete(this.context(record.logicalId, record.type), {
        physicalId: record.physicalId,
        attributes: record.attributes,
        properties: record.properties,
      });
      await this.#resourceStatus(record, "DELETE_COMPLETE");
      return true;
    } catch (error) {
      this.deps.logger.debug(`cloudformation: ${record.logicalId} failed to delete: ${failureReason(error)}`);
      await this.#resourceStatus(record, "DELETE_FAILED", failureReason(error));
      return false;
    }
  }

  #newRecord(prepared: PreparedTemplate, logicalId: string): ResourceRecord {
    const definition = prepared.template.Resources[logicalId]!;
    return {
      logicalId,
      type: definition.Type,
      attributes: {},
      properties: {},
      status: "CREATE_IN_PROGRESS",
      updatedAt: this.now(),
      dependsOn: [...(prepared.dependencies.get(logicalId) ?? [])],
      ...(definition.DeletionPolicy === undefined ? {} : { deletionPolicy: definition.DeletionPolicy }),
      ...(definition.UpdateReplacePolicy === undefined
        ? {}
        : { updateReplacePolicy: definition.UpdateReplacePolicy }),
      ...(definition.Metadata === undefined ? {} : { metadata: definition.Metadata }),
    };
  }
}
