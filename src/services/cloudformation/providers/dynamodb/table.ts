/**
 * AWS::DynamoDB::Table: CreateTable (then TTL, which DynamoDB sets by its own call), waited ACTIVE with
 * its indexes; updates in place (table-update.ts); DeleteTable, waited until the table is gone.
 *
 * Ref is the table name; Fn::GetAtt Arn, and StreamArn (the latest stream's ARN) while a stream is on.
 * The name, key schema and local secondary indexes cannot change in place ("Update requires:
 * Replacement" in the resource reference), nor can an import source.
 */

import { boolean, type Props, record, text } from "../property-values.ts";
import type { CurrentResource, ProviderContext, ProvisionedResource, ResourceProvider } from "../types.ts";
import { checkSupported, createTableInput } from "./table-request.ts";
import { applyTimeToLive, updateTableInPlace } from "./table-update.ts";
import { isNotFound, waitForActive, waitForGone } from "./table-wait.ts";

/** DynamoDB table names: 3 to 255 of [a-zA-Z0-9_.-], which generated names keep to. */
const TABLE_NAME_MAX = 255;

function provisioned(table: Props): ProvisionedResource {
  const streamOn = boolean(record(table.StreamSpecification)?.StreamEnabled) === true;
  return {
    physicalId: text(table.TableName) ?? "",
    attributes: {
      Arn: table.TableArn,
      ...(streamOn && table.LatestStreamArn !== undefined && { StreamArn: table.LatestStreamArn }),
    },
  };
}

/** A table that failed half-way through creation is removed, so a rollback leaves nothing behind. */
async function discard(context: ProviderContext, tableName: string): Promise<void> {
  try {
    await context.call.call("dynamodb", "DeleteTable", { TableName: tableName });
  } catch {
    // Best effort: the create's own error is the one to report.
  }
}

async function deleteTable(context: ProviderContext, tableName: string): Promise<void> {
  try {
    // DeleteTable refuses a table still CREATING or backfilling an index: let it settle first.
    await waitForActive(context, tableName);
    await context.call.call("dynamodb", "DeleteTable", { TableName: tableName });
  } catch (error) {
    if (isNotFound(error)) return;
    throw error;
  }
  await waitForGone(context, tableName);
}

export const tableProvider: ResourceProvider = {
  replaceOn: ["TableName", "KeySchema", "LocalSecondaryIndexes", "ImportSourceSpecification"],

  async create(context, properties) {
    checkSupported(properties);
    const tableName = text(properties.TableName) ?? context.physicalName({ maxLength: TABLE_NAME_MAX });
    await context.call.call("dynamodb", "CreateTable", createTableInput(tableName, properties));
    try {
      await waitForActive(context, tableName);
      await applyTimeToLive({ context, tableName }, properties);
      return provisioned(await waitForActive(context, tableName));
    } catch (error) {
      await discard(context, tableName);
      throw error;
    }
  },

  async update(context, current: CurrentResource, properties) {
    checkSupported(properties);
    const table = await updateTableInPlace(context, current.physicalId, current.properties, properties);
    return provisioned(table);
  },

  async delete(context, current) {
    await deleteTable(context, current.physicalId);
  },
};
