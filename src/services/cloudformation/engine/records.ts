/**
 * What CloudFormation keeps about stacks, as stored (JSON values in the KV store, store.ts): the stack
 * with its resources, its events, its change sets and the exports of its outputs. Times are ISO
 * strings so that a record reads back exactly as it was written.
 */
import type { CallerIdentity } from "../../in-process-caller.ts";
import type { StackOutput } from "../template/outputs.ts";

export type StackStatus =
  | "CREATE_IN_PROGRESS"
  | "CREATE_FAILED"
  | "CREATE_COMPLETE"
  | "ROLLBACK_IN_PROGRESS"
  | "ROLLBACK_FAILED"
  | "ROLLBACK_COMPLETE"
  | "DELETE_IN_PROGRESS"
  | "DELETE_FAILED"
  | "DELETE_COMPLETE"
  | "UPDATE_IN_PROGRESS"
  | "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS"
  | "UPDATE_COMPLETE"
  | "UPDATE_FAILED"
  | "UPDATE_ROLLBACK_IN_PROGRESS"
  | "UPDATE_ROLLBACK_FAILED"
  | "UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS"
  | "UPDATE_ROLLBACK_COMPLETE"
  | "REVIEW_IN_PROGRESS";

export type ResourceStatus =
  | "CREATE_IN_PROGRESS"
  | "CREATE_FAILED"
  | "CREATE_COMPLETE"
  | "DELETE_IN_PROGRESS"
  | "DELETE_FAILED"
  | "DELETE_COMPLETE"
  | "DELETE_SKIPPED"
  | "UPDATE_IN_PROGRESS"
  | "UPDATE_FAILED"
  | "UPDATE_COMPLETE";

export interface ParameterValue {
  readonly ParameterKey: string;
  readonly ParameterValue: string;
}

export interface Tag {
  readonly Key: string;
  readonly Value: string;
}

/** One resource of a stack as it exists (or last existed). */
export interface ResourceRecord {
  logicalId: string;
  type: string;
  /** Absent until the provider created it (and for a resource whose creation failed). */
  physicalId?: string;
  attributes: Record<string, unknown>;
  /** The resolved properties it was created or last updated with. */
  properties: Record<string, unknown>;
  status: ResourceStatus;
  statusReason?: string;
  updatedAt: string;
  /** The resources it needs (DependsOn, Ref, GetAtt): a stack is deleted in the reverse order. */
  dependsOn: string[];
  description?: string;
  metadata?: unknown;
  deletionPolicy?: string;
  updateReplacePolicy?: string;
}

/** The settings a stack operation runs with, shared by CreateStack, UpdateStack and change sets. */
export interface StackSettings {
  /** The template as submitted (JSON or YAML text): GetTemplate's Original stage. */
  templateBody: string;
  /** The template after transforms, as JSON text: GetTemplate's Processed stage. */
  processedTemplate: string;
  /** Every declared parameter with its value (list types joined with commas), in template order. */
  parameters: ParameterValue[];
  /** Keys of NoEcho parameters, masked as `****` when described. */
  noEchoKeys: string[];
  capabilities: string[];
  tags: Tag[];
  notificationArns: string[];
  description?: string;
  disableRollback: boolean;
  timeoutInMinutes?: number;
  roleArn?: string;
}

export interface StackRecord extends StackSettings {
  stackId: string;
  stackName: string;
  status: StackStatus;
  statusReason?: string;
  creationTime: string;
  lastUpdatedTime?: string;
  deletionTime?: string;
  /** Who made the stack: its resources are made and deleted as this account, region and key. */
  caller: CallerIdentity;
  enableTerminationProtection: boolean;
  resources: Record<string, ResourceRecord>;
  outputs: StackOutput[];
  /** Export names this stack's template imports (Fn::ImportValue), for ListImports and delete checks. */
  imports: string[];
  /** The change set the stack was last created or updated from. */
  changeSetId?: string;
  /** The token of the request that started the latest operation (repeated on its events). */
  clientRequestToken?: string;
  /** The operation that token started (CreateStack, UpdateStack, DeleteStack, ExecuteChangeSet). */
  tokenOperation?: string;
}

export interface EventRecord {
  StackId: string;
  EventId: string;
  StackName: string;
  LogicalResourceId: string;
  PhysicalResourceId?: string;
  ResourceType: string;
  Timestamp: string;
  ResourceStatus: string;
  ResourceStatusReason?: string;
  ResourceProperties?: string;
  ClientRequestToken?: string;
}

export type ChangeAction = "Add" | "Modify" | "Remove";

export interface ResourceChangeDetail {
  Target: {
    Attribute: "Properties" | "Metadata" | "Tags" | "DeletionPolicy" | "UpdateReplacePolicy";
    Name?: string;
    RequiresRecreation: "Never" | "Conditionally" | "Always";
    /** The property values (JSON text), shown only with DescribeChangeSet's IncludePropertyValues. */
    Path?: string;
    BeforeValue?: string;
    AfterValue?: string;
    AttributeChangeType?: "Add" | "Remove" | "Modify";
  };
  Evaluation: "Static" | "Dynamic";
  ChangeSource: "DirectModification" | "ResourceReference" | "ParameterReference" | "ResourceAttribute";
  CausingEntity?: string;
}

export interface PlannedChange {
  Type: "Resource";
  ResourceChange: {
    Action: ChangeAction;
    LogicalResourceId: string;
    PhysicalResourceId?: string;
    ResourceType: string;
    Replacement?: "True" | "False" | "Conditional";
    Scope: string[];
    Details: ResourceChangeDetail[];
    /** `{"Properties":{...}}` before and after (JSON text), shown only with IncludePropertyValues. */
    BeforeContext?: string;
    AfterContext?: string;
  };
}

export type ChangeSetStatus =
  | "CREATE_PENDING"
  | "CREATE_IN_PROGRESS"
  | "CREATE_COMPLETE"
  | "DELETE_COMPLETE"
  | "FAILED";
export type ExecutionStatus =
  | "UNAVAILABLE"
  | "AVAILABLE"
  | "EXECUTE_IN_PROGRESS"
  | "EXECUTE_COMPLETE"
  | "EXECUTE_FAILED"
  | "OBSOLETE";

export interface ChangeSetRecord {
  changeSetId: string;
  changeSetName: string;
  stackId: string;
  stackName: string;
  changeSetType: "CREATE" | "UPDATE";
  description?: string;
  status: ChangeSetStatus;
  statusReason?: string;
  executionStatus: ExecutionStatus;
  creationTime: string;
  settings: StackSettings;
  changes: PlannedChange[];
  clientToken?: string;
  onStackFailure?: string;
}

export interface ExportRecord {
  name: string;
  value: string;
  stackId: string;
}
