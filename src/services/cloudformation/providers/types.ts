/**
 * A resource provider creates, updates and deletes one resource type (AWS::Lambda::Function, ...) on
 * behalf of a stack, through the services' own operations (`context.call`), so a resource created by
 * a template is the same as one created by an SDK, with the same validation and errors.
 *
 * Properties arrive resolved: intrinsic functions already evaluated, AWS::NoValue removed. An error a
 * provider throws fails that resource (and so the stack operation, which then rolls back); its
 * message becomes the event's ResourceStatusReason, so AwsErrors thrown by a service pass through as
 * they are and the engine words them as CloudFormation does.
 */
import type { Clock } from "../../../aws/clock.ts";
import type { KvStore } from "../../../storage/kv.ts";
import type { ServiceCaller } from "../../in-process-caller.ts";

export interface ProviderContext {
  /** Calls other services in-process as the stack's account and region. */
  readonly call: ServiceCaller;
  readonly accountId: string;
  readonly region: string;
  readonly partition: string;
  readonly stackName: string;
  readonly stackId: string;
  readonly logicalId: string;
  /** The resource's type as the template gives it (`AWS::Lambda::Function`, `Custom::Seed`). */
  readonly resourceType: string;
  /**
   * Stratus's own URL (`http://127.0.0.1:4566`) once it listens: for URLs a function is given to call
   * back (a custom resource's ResponseURL). Undefined before, and in tests that build no server.
   */
  endpointUrl(): string | undefined;
  readonly clock: Clock;
  /**
   * A name for a resource whose template gives none, made as CloudFormation makes them:
   * `{stackName}-{logicalId}-{13 random upper-case letters and digits}`, stack name and logical id
   * shortened so the whole fits in `maxLength`; `lowercase` for types that take no capitals (S3).
   */
  physicalName(options?: { maxLength?: number; lowercase?: boolean; separator?: string }): string;
  /**
   * A small durable key-value space per provider type, for resources no service stores yet (IAM
   * roles and policies): JSON values under string keys.
   */
  readonly records: ProviderRecords;
}

export interface ProviderRecords {
  get<T>(key: string): Promise<T | undefined>;
  put(key: string, value: unknown): Promise<void>;
  delete(key: string): Promise<void>;
}

/** A resource as it exists: what Ref returns and what Fn::GetAtt can read. */
export interface ProvisionedResource {
  /** The physical id, which is also what `Ref` of the resource returns. */
  readonly physicalId: string;
  /** Fn::GetAtt values by attribute name (`Arn`, `StreamArn`, `Endpoint.Address`, ...). */
  readonly attributes: Readonly<Record<string, unknown>>;
}

export interface CurrentResource extends ProvisionedResource {
  /** The resolved properties it was last created or updated with. */
  readonly properties: Readonly<Record<string, unknown>>;
}

export interface ResourceProvider {
  /**
   * Top-level properties whose change replaces the resource (AWS's "Update requires: Replacement"),
   * e.g. TableName, FunctionName. A change to any other property is an update in place.
   */
  readonly replaceOn?: readonly string[];
  create(context: ProviderContext, properties: Record<string, unknown>): Promise<ProvisionedResource>;
  /** In-place update. Absent: any property change replaces the resource. */
  update?(
    context: ProviderContext,
    current: CurrentResource,
    properties: Record<string, unknown>,
  ): Promise<ProvisionedResource>;
  /** Must succeed when the resource is already gone (a retried delete, a rollback). */
  delete(context: ProviderContext, current: CurrentResource): Promise<void>;
}

export type ProviderTable = Readonly<Record<string, ResourceProvider>>;

/** Not a provider's concern, but every provider file needs one to build contexts in its tests. */
export interface ProviderDeps {
  readonly storage: KvStore;
  readonly clock: Clock;
}
