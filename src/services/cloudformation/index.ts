/**
 * CloudFormation (awsQuery): stacks and change sets built from templates (SAM's transform included),
 * each resource made through its service's own operations by the providers in providers/.
 */
import type { ServiceModel } from "../../aws/models/index.ts";
import type { CallerIdentity, ServiceCaller } from "../in-process-caller.ts";
import type { OperationHandler, ServiceDeps } from "../service.ts";

export interface CloudFormationParts {
  readonly deps: ServiceDeps;
  readonly model: ServiceModel;
  /** In-process calls into the other services, as a stack's account and region. */
  callerFor(identity: CallerIdentity): ServiceCaller;
}

export interface CloudFormationService {
  readonly operations: Record<string, OperationHandler>;
}

export function createCloudFormationService(_parts: CloudFormationParts): CloudFormationService {
  return { operations: {} };
}
