/**
 * AWS::Serverless::SimpleTable → AWS::DynamoDB::Table with a single hash key (PrimaryKey, default
 * `{Name: id, Type: String}`), on-demand billing unless ProvisionedThroughput is given.
 */
import type { TemplateResource } from "../template/types.ts";
import { invalidResource } from "./errors.ts";
import { compact, type Expansion } from "./expansion.ts";
import { isObject, type JsonObject, tagList } from "./json.ts";

const ATTRIBUTE_TYPES: Record<string, string> = { String: "S", Number: "N", Binary: "B" };

export function expandSimpleTable(expansion: Expansion, logicalId: string, resource: TemplateResource): void {
  const properties = (resource.Properties ?? {}) as JsonObject;
  let keyName: unknown = "id";
  let keyType = "S";
  if (isObject(properties.PrimaryKey)) {
    const { Name, Type } = properties.PrimaryKey;
    if (Name === undefined || Name === null)
      throw invalidResource(logicalId, "Property 'PrimaryKey.Name' is required.");
    if (Type === undefined || Type === null)
      throw invalidResource(logicalId, "Property 'PrimaryKey.Type' is required.");
    const converted = typeof Type === "string" ? ATTRIBUTE_TYPES[Type] : undefined;
    if (converted === undefined) throw invalidResource(logicalId, `Invalid 'Type' "${String(Type)}".`);
    keyName = Name;
    keyType = converted;
  }
  const hasTags = isObject(properties.Tags) && Object.keys(properties.Tags).length > 0;
  const table: TemplateResource = {
    Type: "AWS::DynamoDB::Table",
    Properties: compact({
      AttributeDefinitions: [{ AttributeName: keyName, AttributeType: keyType }],
      KeySchema: [{ AttributeName: keyName, KeyType: "HASH" }],
      PointInTimeRecoverySpecification: properties.PointInTimeRecoverySpecification || undefined,
      ProvisionedThroughput: properties.ProvisionedThroughput || undefined,
      BillingMode: properties.ProvisionedThroughput ? undefined : "PAY_PER_REQUEST",
      SSESpecification: properties.SSESpecification || undefined,
      TableName: properties.TableName || undefined,
      Tags: hasTags ? tagList(properties.Tags) : undefined,
    }),
  };
  for (const attribute of [
    "Condition",
    "DeletionPolicy",
    "UpdateReplacePolicy",
    "DependsOn",
    "Metadata",
  ] as const) {
    if (resource[attribute] !== undefined) Object.assign(table, { [attribute]: resource[attribute] });
  }
  expansion.output[logicalId] = table;
}
