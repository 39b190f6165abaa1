/**
 * DynamoDB's data model as it travels on the wire (DynamoDB JSON). Items are kept in this form end to
 * end — parsed once, stored as is, returned as is — so that what a client wrote is what it reads back,
 * number text included (DynamoDB returns numbers canonicalised; see numbers.ts).
 *
 * Binary values (B, BS) are base64 text on the wire and here; compare them by their decoded bytes.
 */
export type AttributeValue =
  | { S: string }
  | { N: string }
  | { B: string }
  | { BOOL: boolean }
  | { NULL: true }
  | { SS: string[] }
  | { NS: string[] }
  | { BS: string[] }
  | { L: AttributeValue[] }
  | { M: Record<string, AttributeValue> };

export type AttributeType = "S" | "N" | "B" | "BOOL" | "NULL" | "SS" | "NS" | "BS" | "L" | "M";

export type Item = Record<string, AttributeValue>;

/** The single type tag of a (validated) attribute value. */
export function typeOf(value: AttributeValue): AttributeType {
  for (const key in value) return key as AttributeType;
  throw new Error("attribute value without a type");
}
