/**
 * CloudFormation (awsQuery): stacks and change sets built from templates (SAM's transform included),
 * each resource made through its service's own operations by the providers in providers/.
 *
 * operations/ answers the API (checks, then starts stack operations); engine/ runs them in the
 * background and keeps the state durable in the KV store, with start-up recovery of operations a
 * restart interrupted (engine/engine.ts).
 */
import type { ServiceModel } from "../../aws/models/index.ts";
import type { CallerIdentity, ServiceCaller } from "../in-process-caller.ts";
import type { OperationHandler, ServiceDeps } from "../service.ts";
import { CloudFormationEngine } from "./engine/engine.ts";
import type { EngineDeps } from "./engine/stack-run.ts";
import { StackStore } from "./engine/store.ts";
import { cloudFormationOperations } from "./operations/index.ts";
import { providerFor } from "./providers/index.ts";
import type { ResourceProvider } from "./providers/types.ts";

/** How many resources of one stack are created or deleted at once. */
const RESOURCE_CONCURRENCY = 4;

export interface CloudFormationParts {
  readonly deps: ServiceDeps;
  readonly model: ServiceModel;
  /** In-process calls into the other services, as a stack's account and region. */
  callerFor(identity: CallerIdentity): ServiceCaller;
  /** The resource providers by type; the real ones unless a test injects its own. */
  providerFor?(type: string): ResourceProvider | undefined;
}

export interface CloudFormationService {
  readonly operations: Record<string, OperationHandler>;
  readonly engine: CloudFormationEngine;
}

export function createCloudFormationService(parts: CloudFormationParts): CloudFormationService {
  const engineDeps: EngineDeps = {
    store: new StackStore(parts.deps.storage),
    storage: parts.deps.storage,
    clock: parts.deps.clock,
    logger: parts.deps.logger,
    endpoint: parts.deps.endpoint,
    callerFor: parts.callerFor,
    providerFor: parts.providerFor ?? providerFor,
    concurrency: RESOURCE_CONCURRENCY,
  };
  const engine = new CloudFormationEngine(engineDeps);
  parts.deps.onClose(() => engine.settle());
  return { operations: cloudFormationOperations(engine, parts.model), engine };
}
