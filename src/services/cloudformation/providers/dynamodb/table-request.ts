/**
 * AWS::DynamoDB::Table's properties as DynamoDB's API takes them. The CloudFormation shapes differ from
 * the API's in a few places: StreamSpecification has no StreamEnabled (its presence turns the stream
 * on), SSESpecification says SSEEnabled, TimeToLiveSpecification is a separate call, and numbers or
 * booleans may arrive as strings.
 *
 * Properties Stratus cannot honour fail plainly (ImportSourceSpecification, KinesisStreamSpecification);
 * properties with no effect on a local table are accepted and not applied:
 * PointInTimeRecoverySpecification (Stratus's DynamoDB has no backups, so there is nothing to restore
 * from), ContributorInsightsSpecification (no CloudWatch metrics), WarmThroughput (no capacity
 * model) and ResourcePolicy (IAM is not enforced).
 */
import { boolean, defined, integer, type Props, record, records, text, texts } from "../property-values.ts";

export const TABLE_TYPE = "AWS::DynamoDB::Table";

/** Properties naming a feature Stratus does not emulate, with what to say about each. */
const UNSUPPORTED: Readonly<Record<string, string>> = {
  ImportSourceSpecification: "importing a table from S3 is not emulated by Stratus's DynamoDB",
  KinesisStreamSpecification: "Kinesis Data Streams destinations are not emulated (Stratus has no Kinesis)",
};

export function checkSupported(properties: Props): void {
  for (const [name, reason] of Object.entries(UNSUPPORTED)) {
    if (properties[name] !== undefined) {
      throw new Error(`Property ${name} of ${TABLE_TYPE} is not supported by Stratus: ${reason}.`);
    }
  }
}

export function keySchema(value: unknown): Props[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return records(value).map((element) =>
    defined({ AttributeName: text(element.AttributeName), KeyType: text(element.KeyType) }),
  );
}

export function attributeDefinitions(value: unknown): Props[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return records(value).map((definition) =>
    defined({ AttributeName: text(definition.AttributeName), AttributeType: text(definition.AttributeType) }),
  );
}

export function throughput(value: unknown): Props | undefined {
  const given = record(value);
  if (!given) return undefined;
  return defined({
    ReadCapacityUnits: integer(given.ReadCapacityUnits),
    WriteCapacityUnits: integer(given.WriteCapacityUnits),
  });
}

export function onDemandThroughput(value: unknown): Props | undefined {
  const given = record(value);
  if (!given) return undefined;
  return defined({
    MaxReadRequestUnits: integer(given.MaxReadRequestUnits),
    MaxWriteRequestUnits: integer(given.MaxWriteRequestUnits),
  });
}

function projection(value: unknown): Props | undefined {
  const given = record(value);
  if (!given) return undefined;
  return defined({
    ProjectionType: text(given.ProjectionType),
    NonKeyAttributes: texts(given.NonKeyAttributes),
  });
}

/** The definition of a GSI (or LSI) as CreateTable and UpdateTable's Create action take it. */
export function indexInput(index: Props): Props {
  return defined({
    IndexName: text(index.IndexName),
    KeySchema: keySchema(index.KeySchema),
    Projection: projection(index.Projection),
    ProvisionedThroughput: throughput(index.ProvisionedThroughput),
    OnDemandThroughput: onDemandThroughput(index.OnDemandThroughput),
  });
}

export function globalIndexes(properties: Props): Props[] {
  return records(properties.GlobalSecondaryIndexes).map(indexInput);
}

/** `{StreamEnabled, StreamViewType}` when the template asks for a stream, else undefined. */
export function streamInput(properties: Props): { StreamEnabled: true; StreamViewType?: string } | undefined {
  const stream = record(properties.StreamSpecification);
  if (!stream) return undefined;
  const viewType = text(stream.StreamViewType);
  return { StreamEnabled: true, ...(viewType !== undefined && { StreamViewType: viewType }) };
}

export function sseInput(properties: Props): Props | undefined {
  const sse = record(properties.SSESpecification);
  if (!sse) return undefined;
  return defined({
    Enabled: boolean(sse.SSEEnabled),
    SSEType: text(sse.SSEType),
    KMSMasterKeyId: text(sse.KMSMasterKeyId),
  });
}

export function ttlInput(properties: Props): { Enabled: boolean; AttributeName: string } | undefined {
  const ttl = record(properties.TimeToLiveSpecification);
  if (!ttl) return undefined;
  return { Enabled: boolean(ttl.Enabled) ?? false, AttributeName: text(ttl.AttributeName) ?? "" };
}

export function tagsInput(value: unknown): { Key: string; Value: string }[] {
  return records(value).map((tag) => ({ Key: text(tag.Key) ?? "", Value: text(tag.Value) ?? "" }));
}

/** CreateTable's input for the template's properties (TTL follows as its own call). */
export function createTableInput(tableName: string, properties: Props): Props {
  const gsis = properties.GlobalSecondaryIndexes === undefined ? undefined : globalIndexes(properties);
  const lsis =
    properties.LocalSecondaryIndexes === undefined
      ? undefined
      : records(properties.LocalSecondaryIndexes).map(indexInput);
  const tags = properties.Tags === undefined ? undefined : tagsInput(properties.Tags);
  return defined({
    TableName: tableName,
    KeySchema: keySchema(properties.KeySchema),
    AttributeDefinitions: attributeDefinitions(properties.AttributeDefinitions),
    BillingMode: text(properties.BillingMode),
    ProvisionedThroughput: throughput(properties.ProvisionedThroughput),
    OnDemandThroughput: onDemandThroughput(properties.OnDemandThroughput),
    GlobalSecondaryIndexes: gsis,
    LocalSecondaryIndexes: lsis,
    StreamSpecification: streamInput(properties),
    SSESpecification: sseInput(properties),
    TableClass: text(properties.TableClass),
    DeletionProtectionEnabled: boolean(properties.DeletionProtectionEnabled),
    Tags: tags !== undefined && tags.length > 0 ? tags : undefined,
  });
}
