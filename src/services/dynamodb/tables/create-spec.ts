/**
 * CreateTable's own checks, after the model validation, in DynamoDB's order (dynalite's recorded
 * order: billing and throughput, key schema against AttributeDefinitions, LSIs, GSIs, then unused
 * definitions), turning the input into a typed spec. Texts: errors.ts and the calls below.
 */
import {
  attributeNameDuplicated,
  constraintText,
  invalidKeySchema,
  invalidParameter,
  throughputOutOfBounds,
  validationErrors,
} from "../errors.ts";
import type { KeyType } from "../keys.ts";
import { bool, type Json, list, num, obj, objects, str } from "./input.ts";
import type { AttributeDefinition, KeySchemaElement, OnDemandThroughput, Projection } from "./record.ts";
import { checkIndexProjection, checkKeySchemaShape, keyNames, readProjection } from "./schema-checks.ts";

/** Largest provisioned capacity DynamoDB accepts in a request (above it: "out of bounds"). */
export const CAPACITY_UNITS_MAX = 1_000_000_000_000;
const LSI_COUNT_MAX = 5;
const GSI_COUNT_MAX = 20;

export interface IndexSpec {
  name: string;
  keySchema: KeySchemaElement[];
  projection: Projection;
  throughput?: { read: number; write: number };
  onDemand?: OnDemandThroughput;
}

export interface CreateTableSpec {
  keySchema: KeySchemaElement[];
  attributeDefinitions: AttributeDefinition[];
  billingMode: "PROVISIONED" | "PAY_PER_REQUEST";
  throughput?: { read: number; write: number };
  lsis: IndexSpec[];
  gsis: IndexSpec[];
  stream?: { viewType: string };
  sse?: { kmsMasterKeyId?: string };
  tableClass?: string;
  deletionProtection: boolean;
  onDemand?: OnDemandThroughput;
}

export function readKeySchema(value: unknown): KeySchemaElement[] {
  // KeyType is checked against the raw input by checkKeySchemaShape; the cast only names the type.
  return objects(value).map((element) => ({
    AttributeName: str(element.AttributeName) ?? "",
    KeyType: (str(element.KeyType) ?? "") as KeySchemaElement["KeyType"],
  }));
}

export function readThroughput(value: unknown): { read: number; write: number } | undefined {
  const throughput = obj(value);
  if (!throughput) return undefined;
  return { read: num(throughput.ReadCapacityUnits) ?? 0, write: num(throughput.WriteCapacityUnits) ?? 0 };
}

export function checkCapacityBounds(throughput: { read: number; write: number } | undefined): void {
  if (!throughput) return;
  if (throughput.read > CAPACITY_UNITS_MAX) throw throughputOutOfBounds(throughput.read, "ReadCapacityUnits");
  if (throughput.write > CAPACITY_UNITS_MAX)
    throw throughputOutOfBounds(throughput.write, "WriteCapacityUnits");
}

export function readOnDemand(value: unknown): OnDemandThroughput | undefined {
  const given = obj(value);
  const read = num(given?.MaxReadRequestUnits);
  const write = num(given?.MaxWriteRequestUnits);
  if (read === undefined && write === undefined) return undefined; // `{}` is the same as absent
  return {
    ...(read !== undefined && { MaxReadRequestUnits: read }),
    ...(write !== undefined && { MaxWriteRequestUnits: write }),
  };
}

/** OnDemandThroughput goes with PAY_PER_REQUEST only, and its members must be at least 1 at creation. */
export function checkOnDemand(
  onDemand: OnDemandThroughput | undefined,
  billingMode: string,
  target: string,
): void {
  if (!onDemand) return;
  const members = [
    ["MaxReadRequestUnits", onDemand.MaxReadRequestUnits],
    ["MaxWriteRequestUnits", onDemand.MaxWriteRequestUnits],
  ] as const;
  const first = members.find(([, value]) => value !== undefined);
  if (first && billingMode === "PROVISIONED") {
    throw invalidParameter(
      `${first[0]} for OnDemandThroughput cannot be specified when table BillingMode is PROVISIONED.`,
    );
  }
  for (const [member, value] of members) {
    if (value !== undefined && value < 1) {
      throw invalidParameter(
        `Requested ${member} for OnDemandThroughput for ${target} is outside of valid range`,
      );
    }
  }
}

export function validateCreateTable(input: Json): CreateTableSpec {
  const missing: string[] = [];
  if (!list(input.AttributeDefinitions))
    missing.push(constraintText("attributeDefinitions", undefined, "Member must not be null"));
  if (!list(input.KeySchema)) missing.push(constraintText("keySchema", undefined, "Member must not be null"));
  if (missing.length > 0) throw validationErrors(missing);

  const billingMode = str(input.BillingMode) === "PAY_PER_REQUEST" ? "PAY_PER_REQUEST" : "PROVISIONED";
  const throughput = readThroughput(input.ProvisionedThroughput);
  if (billingMode === "PAY_PER_REQUEST" && throughput) {
    throw invalidParameter(
      "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST",
    );
  }
  if (billingMode === "PROVISIONED" && !throughput) {
    throw invalidParameter(
      "ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED",
    );
  }
  checkCapacityBounds(throughput);

  const attributeDefinitions: AttributeDefinition[] = objects(input.AttributeDefinitions).map((d) => ({
    AttributeName: str(d.AttributeName) ?? "",
    AttributeType: (str(d.AttributeType) ?? "S") as KeyType,
  }));
  const defined = attributeDefinitions.map((d) => d.AttributeName);
  const duplicate = defined.find((name, i) => defined.indexOf(name) !== i);
  if (duplicate !== undefined) throw attributeNameDuplicated(duplicate);

  const keySchema = readKeySchema(input.KeySchema);
  const rawKeyTypes = objects(input.KeySchema).map((element) => str(element.KeyType));
  const keys = keyNames(keySchema);
  if (keys.length > defined.length) throw invalidKeySchema("Some index key attribute have no definition");
  checkKeySchemaShape(keys, rawKeyTypes, defined);

  const lsis = input.LocalSecondaryIndexes === undefined ? undefined : objects(input.LocalSecondaryIndexes);
  const gsis = input.GlobalSecondaryIndexes === undefined ? undefined : objects(input.GlobalSecondaryIndexes);
  const indexNames = new Set<string>();
  const lsiSpecs: IndexSpec[] = [];
  if (lsis) {
    if (lsis.length === 0) throw invalidParameter("List of LocalSecondaryIndexes is empty");
    if (keySchema.length !== 2) {
      throw invalidParameter(
        "Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex",
      );
    }
    for (const lsi of lsis) {
      const name = str(lsi.IndexName) ?? "";
      const schema = readKeySchema(lsi.KeySchema);
      const indexKeys = keyNames(schema);
      checkKeySchemaShape(
        indexKeys,
        objects(lsi.KeySchema).map((e) => str(e.KeyType)),
        defined,
      );
      if (schema.length !== 2)
        throw invalidParameter(`Index KeySchema does not have a range key for index: ${name}`);
      if (indexKeys[0] !== keys[0]) {
        throw invalidParameter(
          `Index KeySchema does not have the same leading hash key as table KeySchema for index: ${name}. ` +
            `index hash key: ${indexKeys[0]}, table hash key: ${keys[0]}`,
        );
      }
      const projection = readProjection(lsi.Projection);
      checkIndexProjection(projection);
      if (indexNames.has(name)) throw invalidParameter(`Duplicate index name: ${name}`);
      indexNames.add(name);
      lsiSpecs.push({ name, keySchema: schema, projection: projection as Projection });
    }
    if (lsis.length > LSI_COUNT_MAX) {
      throw invalidParameter(`Number of LocalSecondaryIndexes exceeds per-table limit of ${LSI_COUNT_MAX}`);
    }
  }
  const gsiSpecs: IndexSpec[] = [];
  if (gsis) {
    if (gsis.length === 0) throw invalidParameter("List of GlobalSecondaryIndexes is empty");
    for (const gsi of gsis) {
      gsiSpecs.push(checkNewGsi(gsi, defined, billingMode, indexNames, "create"));
    }
    if (gsis.length > GSI_COUNT_MAX) {
      throw invalidParameter(`GlobalSecondaryIndex count exceeds the per-table limit of ${GSI_COUNT_MAX}`);
    }
  }

  const used = [...keys];
  for (const index of [...lsiSpecs, ...gsiSpecs]) {
    for (const name of keyNames(index.keySchema)) if (!used.includes(name)) used.push(name);
  }
  if (!lsis && !gsis && keys.length !== defined.length) {
    throw invalidParameter(
      "Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions",
    );
  }
  if (defined.some((name) => !used.includes(name))) {
    throw invalidParameter(
      `Some AttributeDefinitions are not used. AttributeDefinitions: [${defined.join(", ")}], keys used: [${used.join(", ")}]`,
    );
  }

  const streamSpec = obj(input.StreamSpecification);
  const viewType = str(streamSpec?.StreamViewType);
  let stream: CreateTableSpec["stream"];
  if (streamSpec && bool(streamSpec.StreamEnabled)) {
    if (viewType === undefined) {
      throw invalidParameter("Table is being created with a stream enabled, UpdateViewType is required");
    }
    stream = { viewType };
  } else if (streamSpec && viewType !== undefined) {
    throw invalidParameter(
      "Table is being created with a stream disabled, UpdateViewType should not be specified",
    );
  }

  const onDemand = readOnDemand(input.OnDemandThroughput);
  checkOnDemand(onDemand, billingMode, "table");
  return {
    keySchema,
    attributeDefinitions,
    billingMode,
    ...(throughput && { throughput }),
    lsis: lsiSpecs,
    gsis: gsiSpecs,
    ...(stream && { stream }),
    ...readSse(input.SSESpecification),
    ...(str(input.TableClass) !== undefined && { tableClass: str(input.TableClass) }),
    deletionProtection: bool(input.DeletionProtectionEnabled) ?? false,
    ...(onDemand && { onDemand }),
  };
}

/** A GSI of CreateTable, or of an UpdateTable Create action (whose errors differ a little). */
export function checkNewGsi(
  gsi: Json,
  defined: string[],
  billingMode: string,
  indexNames: Set<string>,
  operation: "create" | "update",
): IndexSpec {
  const name = str(gsi.IndexName) ?? "";
  const schema = readKeySchema(gsi.KeySchema);
  const keys = keyNames(schema);
  checkKeySchemaShape(
    keys,
    objects(gsi.KeySchema).map((e) => str(e.KeyType)),
    defined,
  );
  const projection = readProjection(gsi.Projection);
  checkIndexProjection(projection);
  const throughput = readThroughput(gsi.ProvisionedThroughput);
  if (billingMode === "PAY_PER_REQUEST" && throughput) {
    throw invalidParameter(
      operation === "create"
        ? `ProvisionedThroughput should not be specified for index: ${name} when BillingMode is PAY_PER_REQUEST`
        : `Neither ReadCapacityUnits nor WriteCapacityUnits can be specified for index: ${name} when BillingMode is PAY_PER_REQUEST`,
    );
  }
  if (billingMode === "PROVISIONED" && !throughput) {
    throw invalidParameter(
      operation === "create"
        ? `ProvisionedThroughput is not specified for index: ${name}`
        : `ProvisionedThroughput must be specified for index: ${name}`,
    );
  }
  if (operation === "create") {
    if (indexNames.has(name)) throw invalidParameter(`Duplicate index name: ${name}`);
    indexNames.add(name);
  }
  const onDemand = readOnDemand(gsi.OnDemandThroughput);
  checkOnDemand(onDemand, billingMode, `index : ${name}`);
  return {
    name,
    keySchema: schema,
    projection: projection as Projection,
    ...(throughput && { throughput }),
    ...(onDemand && { onDemand }),
  };
}

function readSse(value: unknown): { sse?: { kmsMasterKeyId?: string } } {
  const sse = obj(value);
  if (!sse) return {};
  const enabled = bool(sse.Enabled) ?? false;
  const type = str(sse.SSEType);
  const key = str(sse.KMSMasterKeyId);
  if (!enabled && type !== undefined)
    throw invalidParameter("SSEType can not be specified if Enabled is false");
  if (!enabled && key !== undefined)
    throw invalidParameter("KMSMasterKeyId can not be specified if Enabled is false");
  if (type === "AES256") throw invalidParameter("SSEType AES256 is not supported");
  if (!enabled) return {};
  return { sse: key === undefined ? {} : { kmsMasterKeyId: key } };
}
