/**
 * Updating a table in place, as CloudFormation does: DynamoDB takes one kind of change per UpdateTable
 * (throughput or billing mode, one GSI created or deleted, the stream on or off), so each change is
 * its own call, and the table (with its indexes) is waited ACTIVE before the next. Changes are found
 * by comparing the template with the table as DynamoDB describes it, so only what differs is called
 * and a retried update does not fail on "nothing to change".
 *
 * Order: removed or redefined GSIs are deleted first (a redefined one is created again under its
 * name), then billing mode and throughput, then new GSIs one at a time, GSI throughput, the stream
 * (a changed view type is off then on), encryption, table class, deletion protection, on-demand
 * limits, TTL, tags.
 */

import { boolean, defined, type Props, record, records, sameJson, text } from "../property-values.ts";
import type { ProviderContext } from "../types.ts";
import {
  attributeDefinitions,
  globalIndexes,
  onDemandThroughput,
  sseInput,
  streamInput,
  tagsInput,
  throughput,
  ttlInput,
} from "./table-request.ts";
import { waitForActive } from "./table-wait.ts";

interface Step {
  readonly context: ProviderContext;
  readonly tableName: string;
}

async function updateTable(step: Step, input: Props): Promise<Props> {
  await step.context.call.call("dynamodb", "UpdateTable", { TableName: step.tableName, ...input });
  return waitForActive(step.context, step.tableName);
}

/** The parts of an index definition whose change needs the index deleted and created again. */
function indexShape(index: Props): Props {
  const projection = record(index.Projection) ?? {};
  return {
    KeySchema: records(index.KeySchema).map((k) => ({ AttributeName: k.AttributeName, KeyType: k.KeyType })),
    Projection: defined({
      ProjectionType: projection.ProjectionType,
      NonKeyAttributes: Array.isArray(projection.NonKeyAttributes)
        ? [...(projection.NonKeyAttributes as string[])].sort()
        : undefined,
    }),
  };
}

function liveThroughput(value: unknown): Props | undefined {
  const live = record(value);
  if (!live) return undefined;
  return { ReadCapacityUnits: live.ReadCapacityUnits, WriteCapacityUnits: live.WriteCapacityUnits };
}

function billingModeOf(table: Props): string {
  return text(record(table.BillingModeSummary)?.BillingMode) ?? "PROVISIONED";
}

/** Changing a key attribute's type would change the table's keys: AWS cannot do that in place either. */
function checkKeyAttributeTypes(table: Props, after: Props): void {
  const keyNames = new Set(records(table.KeySchema).map((k) => text(k.AttributeName)));
  const liveTypes = new Map(
    records(table.AttributeDefinitions).map((d) => [text(d.AttributeName), text(d.AttributeType)]),
  );
  for (const definition of attributeDefinitions(after.AttributeDefinitions) ?? []) {
    const name = text(definition.AttributeName);
    const live = liveTypes.get(name);
    if (keyNames.has(name) && live !== undefined && live !== definition.AttributeType) {
      throw new Error(
        `Cannot update AttributeDefinitions of table ${text(table.TableName)} in place: the type of key attribute ${name} cannot change.`,
      );
    }
  }
}

async function updateIndexesAndBilling(step: Step, table: Props, after: Props): Promise<Props> {
  const wanted = new Map(globalIndexes(after).map((index) => [text(index.IndexName), index]));
  const live = records(table.GlobalSecondaryIndexes);
  const redefined = live.filter((index) => {
    const target = wanted.get(text(index.IndexName));
    return target === undefined || !sameJson(indexShape(index), indexShape(target));
  });
  for (const index of redefined) {
    table = await updateTable(step, {
      GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: index.IndexName } }],
    });
  }
  const kept = new Set(
    records(table.GlobalSecondaryIndexes)
      .map((index) => text(index.IndexName))
      .filter((name) => wanted.has(name)),
  );

  const mode = text(after.BillingMode) ?? "PROVISIONED";
  const tableThroughput = throughput(after.ProvisionedThroughput);
  let gsiThroughputDone = false;
  if (mode !== billingModeOf(table)) {
    const indexUpdates =
      mode === "PROVISIONED"
        ? [...kept].map((name) => ({
            Update: { IndexName: name, ProvisionedThroughput: wanted.get(name)?.ProvisionedThroughput },
          }))
        : [];
    gsiThroughputDone = true;
    table = await updateTable(
      step,
      defined({
        BillingMode: mode,
        ProvisionedThroughput: mode === "PROVISIONED" ? tableThroughput : undefined,
        GlobalSecondaryIndexUpdates: indexUpdates.length > 0 ? indexUpdates : undefined,
      }),
    );
  } else if (
    mode === "PROVISIONED" &&
    tableThroughput &&
    !sameJson(tableThroughput, liveThroughput(table.ProvisionedThroughput))
  ) {
    table = await updateTable(step, { ProvisionedThroughput: tableThroughput });
  }

  const definitions = attributeDefinitions(after.AttributeDefinitions);
  for (const [name, index] of wanted) {
    if (kept.has(name)) continue;
    table = await updateTable(
      step,
      defined({ AttributeDefinitions: definitions, GlobalSecondaryIndexUpdates: [{ Create: index }] }),
    );
  }

  if (!gsiThroughputDone && mode === "PROVISIONED") {
    const liveByName = new Map(records(table.GlobalSecondaryIndexes).map((i) => [text(i.IndexName), i]));
    const updates = [...kept]
      .map((name) => ({ name, target: wanted.get(name)?.ProvisionedThroughput }))
      .filter(
        ({ name, target }) =>
          target !== undefined &&
          !sameJson(target, liveThroughput(liveByName.get(name)?.ProvisionedThroughput)),
      )
      .map(({ name, target }) => ({ Update: { IndexName: name, ProvisionedThroughput: target } }));
    if (updates.length > 0) table = await updateTable(step, { GlobalSecondaryIndexUpdates: updates });
  }
  return table;
}

async function updateStream(step: Step, table: Props, after: Props): Promise<Props> {
  const live = record(table.StreamSpecification);
  const liveOn = boolean(live?.StreamEnabled) === true;
  const wanted = streamInput(after);
  const same = wanted !== undefined && liveOn && wanted.StreamViewType === text(live?.StreamViewType);
  if (same) return table;
  if (liveOn) table = await updateTable(step, { StreamSpecification: { StreamEnabled: false } });
  if (wanted) table = await updateTable(step, { StreamSpecification: wanted });
  return table;
}

async function updateSettings(step: Step, table: Props, before: Props, after: Props): Promise<Props> {
  const sseBefore = sseInput(before);
  const sseAfter = sseInput(after);
  if (!sameJson(sseBefore, sseAfter)) {
    const wanted = sseAfter ?? { Enabled: false };
    // Turning off KMS encryption of a table that has none is DynamoDB's error: only change what is.
    if (wanted.Enabled === true || table.SSEDescription !== undefined) {
      table = await updateTable(step, { SSESpecification: wanted });
    }
  }
  const tableClass = text(after.TableClass) ?? "STANDARD";
  if (tableClass !== (text(record(table.TableClassSummary)?.TableClass) ?? "STANDARD")) {
    table = await updateTable(step, { TableClass: tableClass });
  }
  const protection = boolean(after.DeletionProtectionEnabled) ?? false;
  if (protection !== (boolean(table.DeletionProtectionEnabled) ?? false)) {
    table = await updateTable(step, { DeletionProtectionEnabled: protection });
  }
  const onDemand = onDemandThroughput(after.OnDemandThroughput);
  if (onDemand && !sameJson(onDemandThroughput(before.OnDemandThroughput), onDemand)) {
    table = await updateTable(step, { OnDemandThroughput: onDemand });
  }
  return table;
}

export async function applyTimeToLive(step: Step, after: Props): Promise<void> {
  const answer = await step.context.call.call("dynamodb", "DescribeTimeToLive", {
    TableName: step.tableName,
  });
  const live = record(answer.TimeToLiveDescription) ?? {};
  const liveOn = live.TimeToLiveStatus === "ENABLED" || live.TimeToLiveStatus === "ENABLING";
  const liveAttribute = text(live.AttributeName);
  const wanted = ttlInput(after);
  const wantedOn = wanted?.Enabled === true;
  if (liveOn && wantedOn && liveAttribute === wanted.AttributeName) return;
  const ttl = (spec: Props) =>
    step.context.call.call("dynamodb", "UpdateTimeToLive", {
      TableName: step.tableName,
      TimeToLiveSpecification: spec,
    });
  if (liveOn) await ttl({ Enabled: false, AttributeName: liveAttribute });
  if (wantedOn) await ttl({ Enabled: true, AttributeName: wanted.AttributeName });
}

async function updateTags(step: Step, table: Props, after: Props): Promise<void> {
  const arn = text(table.TableArn);
  const answer = await step.context.call.call("dynamodb", "ListTagsOfResource", { ResourceArn: arn });
  const live = new Map(records(answer.Tags).map((tag) => [text(tag.Key), text(tag.Value)]));
  const wanted = tagsInput(after.Tags);
  const wantedKeys = new Set(wanted.map((tag) => tag.Key));
  const removed = [...live.keys()].filter((key) => key !== undefined && !wantedKeys.has(key));
  const changed = wanted.filter((tag) => live.get(tag.Key) !== tag.Value);
  if (removed.length > 0) {
    await step.context.call.call("dynamodb", "UntagResource", { ResourceArn: arn, TagKeys: removed });
  }
  if (changed.length > 0) {
    await step.context.call.call("dynamodb", "TagResource", { ResourceArn: arn, Tags: changed });
  }
}

/** Brings the table to `after` in place; answers its description once ACTIVE. */
export async function updateTableInPlace(
  context: ProviderContext,
  tableName: string,
  before: Props,
  after: Props,
): Promise<Props> {
  const step: Step = { context, tableName };
  let table = await waitForActive(context, tableName);
  checkKeyAttributeTypes(table, after);
  table = await updateIndexesAndBilling(step, table, after);
  table = await updateStream(step, table, after);
  table = await updateSettings(step, table, before, after);
  await applyTimeToLive(step, after);
  await updateTags(step, table, after);
  return waitForActive(context, tableName);
}
