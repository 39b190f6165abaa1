/**
 * An engine over an in-memory store with fake resource providers, for tests of the stack flows
 * (create, update, rollback, delete, change sets) without the real services.
 *
 * `AWS::Test::Thing` records what exists in `harness.things`: create fails when Properties.Fail is true,
 * update fails when Properties.FailUpdate is true, delete when Properties.FailDelete is true; a changed
 * `Name` replaces it. Attributes: `Arn`.
 */
import type { RequestContext } from "../../../../src/aws/context.ts";
import { AwsError } from "../../../../src/aws/errors.ts";
import { CloudFormationEngine } from "../../../../src/services/cloudformation/engine/engine.ts";
import type { EngineDeps } from "../../../../src/services/cloudformation/engine/stack-run.ts";
import { StackStore } from "../../../../src/services/cloudformation/engine/store.ts";
import type { ResourceProvider } from "../../../../src/services/cloudformation/providers/types.ts";
import type { ServiceCaller } from "../../../../src/services/in-process-caller.ts";
import type { KvStore } from "../../../../src/storage/kv.ts";
import { openMemoryStore } from "../../../../src/storage/memory-engine.ts";

export const ACCOUNT = "000000000000";
export const REGION = "us-east-1";

export interface Harness {
  readonly engine: CloudFormationEngine;
  readonly storage: KvStore;
  /** Live fake resources: physical id → properties. */
  readonly things: Map<string, Record<string, unknown>>;
  /** Every provider call, in order: `create A`, `update A`, `delete A` (by Name property or logical id). */
  readonly calls: string[];
  readonly context: RequestContext;
}

export function createHarness(storage: KvStore = openMemoryStore()): Harness {
  const things = new Map<string, Record<string, unknown>>();
  const calls: string[] = [];
  let counter = 0;
  const thing: ResourceProvider = {
    replaceOn: ["Name"],
    async create(context, properties) {
      calls.push(`create ${context.logicalId}`);
      if (properties.Fail === true || properties.Fail === "true") {
        throw new AwsError("ValidationException", `${context.logicalId} was told to fail`, 400);
      }
      const physicalId = String(properties.Name ?? `${context.stackName}-${context.logicalId}-${++counter}`);
      things.set(physicalId, properties);
      return { physicalId, attributes: { Arn: `arn:test:${physicalId}` } };
    },
    async update(context, current, properties) {
      calls.push(`update ${context.logicalId}`);
      if (properties.FailUpdate === true || properties.FailUpdate === "true") {
        throw new AwsError("ValidationException", `${context.logicalId} refused the update`, 400);
      }
      things.set(current.physicalId, properties);
      return { physicalId: current.physicalId, attributes: current.attributes };
    },
    async delete(context, current) {
      calls.push(`delete ${context.logicalId}`);
      if (current.properties.FailDelete === true) {
        throw new AwsError("ResourceInUseException", `${context.logicalId} will not go`, 400);
      }
      things.delete(current.physicalId);
    },
  };
  const noCaller: ServiceCaller = {
    call: () => Promise.reject(new Error("no services in unit tests")),
    callRaw: () => Promise.reject(new Error("no services in unit tests")),
  };
  const deps: EngineDeps = {
    store: new StackStore(storage),
    storage,
    clock: { now: () => new Date() },
    logger: { level: "silent", debug() {}, info() {}, warn() {}, error() {} },
    callerFor: () => noCaller,
    providerFor: (type) => (type === "AWS::Test::Thing" ? thing : undefined),
    concurrency: 4,
  };
  const context: RequestContext = {
    requestId: "req",
    accountId: ACCOUNT,
    region: REGION,
    accessKeyId: "test",
    receivedAt: new Date(),
    clock: deps.clock,
  };
  return { engine: new CloudFormationEngine(deps), storage, things, calls, context };
}

/** A JSON template of AWS::Test::Thing resources (and any others given). */
export function template(resources: Record<string, unknown>, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ Resources: resources, ...extra });
}
