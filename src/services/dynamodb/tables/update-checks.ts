/**
 * UpdateTable's checks that need no table (they come before the table lookup, as in DynamoDB): at
 * least one change; SSE, TableClass and DeletionProtection changes alone; throughput bounds; one action
 * per GlobalSecondaryIndexUpdate and one update per index; the stream specification's own rules; and the
 * combinations DynamoDB refuses (stream and index changes, throughput and either). Texts: errors.ts and
 * the ack-api-quirks catalogue.
 */
import { exclusiveUpdate, invalidParameter, onlineIndexLimit, updateTableNothingToDo } from "../errors.ts";
import type { KeyType } from "../keys.ts";
import { checkCapacityBounds, readThroughput } from "./create-spec.ts";
import { bool, type Json, list, obj, objects, str } from "./input.ts";
import type { AttributeDefinition } from "./record.ts";

export interface GsiAction {
  kind: "Create" | "Update" | "Delete";
  name: string;
  action: Json;
}

export interface UpdateRequest {
  billingMode?: "PROVISIONED" | "PAY_PER_REQUEST";
  throughput?: { read: number; write: number };
  gsiActions: GsiAction[];
  stream?: { enabled: boolean; viewType?: string };
  sse?: { enabled: boolean; kmsMasterKeyId?: string };
  tableClass?: string;
  deletionProtection?: boolean;
  onDemand?: Json;
  /** As given in the request (new GSIs' key attributes must be declared here). */
  attributeDefinitions?: AttributeDefinition[];
}

const ACTIONS = ["Update", "Create", "Delete"] as const;

export function validateUpdateTable(input: Json): UpdateRequest {
  const gsiUpdates = list(input.GlobalSecondaryIndexUpdates);
  const present = {
    throughput: input.ProvisionedThroughput !== undefined,
    billing: input.BillingMode !== undefined,
    stream: input.StreamSpecification !== undefined,
    gsis: gsiUpdates !== undefined && gsiUpdates.length > 0,
    sse: input.SSESpecification !== undefined,
    replicas: input.ReplicaUpdates !== undefined,
    deletionProtection: input.DeletionProtectionEnabled !== undefined,
    onDemand: input.OnDemandThroughput !== undefined,
    warm: input.WarmThroughput !== undefined,
    tableClass: input.TableClass !== undefined,
    consistency: input.MultiRegionConsistency !== undefined,
  };
  const changes = Object.values(present).filter(Boolean).length;
  if (changes === 0) throw updateTableNothingToDo();
  if (present.sse && changes > 1) throw exclusiveUpdate("Server-Side Encryption");
  if (present.tableClass && changes > 1) throw exclusiveUpdate("TableClass");
  if (present.deletionProtection && changes > 1) throw exclusiveUpdate("DeletionProtection");

  const billingMode = str(input.BillingMode) as UpdateRequest["billingMode"];
  const throughput = readThroughput(input.ProvisionedThroughput);
  if (billingMode === "PROVISIONED" && !throughput) {
    throw invalidParameter("ProvisionedThroughput must be specified when BillingMode is PROVISIONED");
  }
  checkCapacityBounds(throughput);

  const gsiActions: GsiAction[] = [];
  const seen = new Set<string>();
  for (const update of objects(gsiUpdates)) {
    const given = ACTIONS.filter((kind) => obj(update[kind]) !== undefined);
    if (given.length === 0) {
      throw invalidParameter(
        "One of GlobalSecondaryIndexUpdate.Update, GlobalSecondaryIndexUpdate.Create, GlobalSecondaryIndexUpdate.Delete must not be null",
      );
    }
    if (given.length > 1) {
      throw invalidParameter(
        "Only one global secondary index action is allowed per GlobalSecondaryIndexUpdate object",
      );
    }
    const kind = given[0]!;
    const action = obj(update[kind])!;
    const name = str(action.IndexName) ?? "";
    if (seen.has(name)) {
      throw invalidParameter(
        `Only one global secondary index update per index is allowed simultaneously. Index: ${name}`,
      );
    }
    seen.add(name);
    gsiActions.push({ kind, name, action });
  }
  const indexChanges = gsiActions.filter((action) => action.kind !== "Update").length;
  if (indexChanges > 1) throw onlineIndexLimit();

  const streamSpec = obj(input.StreamSpecification);
  let stream: UpdateRequest["stream"];
  if (streamSpec) {
    const enabled = bool(streamSpec.StreamEnabled) ?? false;
    const viewType = str(streamSpec.StreamViewType);
    if (enabled && viewType === undefined) {
      throw invalidParameter("If stream is being enabled then UpdateViewType is required");
    }
    if (!enabled && viewType !== undefined) {
      throw invalidParameter("If stream is being disabled, then UpdateViewType must not be specified");
    }
    stream = { enabled, ...(viewType !== undefined && { viewType }) };
    if (indexChanges > 0)
      throw invalidParameter("You cannot create or delete index while changing stream status");
  }
  if (throughput && stream)
    throw invalidParameter("You cannot modify stream status while updating table IOPS");
  if (throughput && indexChanges > 0) {
    throw invalidParameter("You cannot create or delete index while updating table IOPS");
  }

  const sseSpec = obj(input.SSESpecification);
  const definitions = list(input.AttributeDefinitions);
  return {
    ...(billingMode !== undefined && { billingMode }),
    ...(throughput && { throughput }),
    gsiActions,
    ...(stream && { stream }),
    ...(sseSpec && {
      sse: {
        enabled: bool(sseSpec.Enabled) ?? false,
        ...(str(sseSpec.KMSMasterKeyId) !== undefined && { kmsMasterKeyId: str(sseSpec.KMSMasterKeyId) }),
      },
    }),
    ...(str(input.TableClass) !== undefined && { tableClass: str(input.TableClass) }),
    ...(bool(input.DeletionProtectionEnabled) !== undefined && {
      deletionProtection: bool(input.DeletionProtectionEnabled),
    }),
    ...(obj(input.OnDemandThroughput) && { onDemand: obj(input.OnDemandThroughput) }),
    ...(definitions && {
      attributeDefinitions: objects(definitions).map((d) => ({
        AttributeName: str(d.AttributeName) ?? "",
        AttributeType: (str(d.AttributeType) ?? "S") as KeyType,
      })),
    }),
  };
}
