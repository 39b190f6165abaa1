/**
 * Checks shared by the table's key schema and each index's (CreateTable, UpdateTable's GSI Create), in
 * DynamoDB's order: key attributes defined, distinct names, HASH then RANGE; then projections.
 */
import { hashAndRangeSameName, invalidKeySchema, invalidParameter } from "../errors.ts";
import { list, obj, str } from "./input.ts";
import type { KeySchemaElement } from "./record.ts";

export function keyNames(schema: readonly KeySchemaElement[]): string[] {
  return schema.map((element) => element.AttributeName);
}

/** `keyTypes` are the KeyTypes as sent (the model's enum check leaves them unchecked for indexes). */
export function checkKeySchemaShape(
  keys: string[],
  keyTypes: (string | undefined)[],
  defined: string[],
): void {
  if (keys.some((key) => !defined.includes(key))) {
    throw invalidParameter(
      `Some index key attributes are not defined in AttributeDefinitions. Keys: [${keys.join(", ")}], ` +
        `AttributeDefinitions: [${defined.join(", ")}]`,
    );
  }
  if (keys.length === 2 && keys[0] === keys[1]) throw hashAndRangeSameName();
  if (keyTypes[0] !== "HASH") throw invalidKeySchema("The first KeySchemaElement is not a HASH key type");
  if (keyTypes.length > 1 && keyTypes[1] !== "RANGE") {
    throw invalidKeySchema("The second KeySchemaElement is not a RANGE key type");
  }
}

export interface ProjectionInput {
  ProjectionType?: string;
  NonKeyAttributes?: string[];
}

export function readProjection(value: unknown): ProjectionInput {
  const projection = obj(value) ?? {};
  const type = str(projection.ProjectionType);
  const nonKey = list(projection.NonKeyAttributes)?.map((name) => String(name));
  return { ...(type !== undefined && { ProjectionType: type }), ...(nonKey && { NonKeyAttributes: nonKey }) };
}

export function checkIndexProjection(projection: ProjectionInput): void {
  const type = projection.ProjectionType;
  if (type === undefined) throw invalidParameter("Unknown ProjectionType: null");
  if (projection.NonKeyAttributes !== undefined && type !== "INCLUDE") {
    throw invalidParameter(`ProjectionType is ${type}, but NonKeyAttributes is specified`);
  }
  if (type === "INCLUDE" && projection.NonKeyAttributes === undefined) {
    throw invalidParameter("ProjectionType is INCLUDE, but NonKeyAttributes is not specified");
  }
  const names = projection.NonKeyAttributes ?? [];
  const duplicate = names.find((name, i) => names.indexOf(name) !== i);
  if (duplicate !== undefined) throw invalidParameter(`Duplicate element in NonKeyAttributes: ${duplicate}`);
}
