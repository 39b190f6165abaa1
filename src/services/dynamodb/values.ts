/**
 * DynamoDB attribute values as DynamoDB compares, measures and validates them.
 *
 * - Equality: numbers by value ("1" = "1.0"), binaries by bytes, sets regardless of order, lists in
 *   order, maps by keys. Ordering exists for S, N and B only: numbers by value, strings and
 *   binaries by their UTF-8 bytes / raw bytes (AWS developer guide, "Comparison operators").
 * - size(): S counts UTF-16 code units (checked against DynamoDB by ExtendDB#60: size("é𝄞") = 3),
 *   B raw bytes, sets/lists elements, maps keys.
 * - Item size: UTF-8 bytes of every attribute name plus its value; N by numberSizeBytes; B raw
 *   bytes; BOOL/NULL 1; sets the sum of their members; L and M 3 bytes plus 1 per element (and the
 *   key's bytes for M) (AWS developer guide "Item sizes and formats"; dynalite db/index.js).
 * - Validation of a value from JSON: exactly one type, numbers in range, NULL true, sets non-empty
 *   and without duplicates, checked in DynamoDB's order (dynalite validateAttributeValue). JSON
 *   member types (S is a string...) are the model layer's job (SerializationException).
 */
import type { AttributeType, AttributeValue, Item } from "./attribute-value.ts";
import { typeOf } from "./attribute-value.ts";
import { validationError } from "./errors.ts";
import { valueTexts } from "./expressions/errors.ts";
import { canonicalNumber, compareNumbers, numberSizeBytes } from "./numbers.ts";

const TYPES: readonly AttributeType[] = ["S", "N", "B", "BOOL", "NULL", "SS", "NS", "BS", "L", "M"];

export function isAttributeType(name: string): name is AttributeType {
  return (TYPES as readonly string[]).includes(name);
}

function bytesOf(base64: string): Buffer {
  return Buffer.from(base64, "base64");
}

/** Order of two strings by UTF-8 bytes, which is code point order (not UTF-16 unit order). */
export function compareStrings(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.codePointAt(i) ?? 0;
    const y = b.codePointAt(i) ?? 0;
    if (x !== y) return x < y ? -1 : 1;
    if (x > 0xffff) i++;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

export function compareBinaries(a: string, b: string): number {
  return Buffer.compare(bytesOf(a), bytesOf(b));
}

/** Order of two scalars of the same type S, N or B; undefined when DynamoDB cannot order them. */
export function compareValues(a: AttributeValue, b: AttributeValue): number | undefined {
  if ("S" in a && "S" in b) return compareStrings(a.S, b.S);
  if ("N" in a && "N" in b) return compareNumbers(a.N, b.N);
  if ("B" in a && "B" in b) return compareBinaries(a.B, b.B);
  return undefined;
}

function sameMembers<T>(a: readonly T[], b: readonly T[], equal: (x: T, y: T) => boolean): boolean {
  return a.length === b.length && a.every((x) => b.some((y) => equal(x, y)));
}

const numberEqual = (x: string, y: string) => compareNumbers(x, y) === 0;
const binaryEqual = (x: string, y: string) => x === y || compareBinaries(x, y) === 0;

/** DynamoDB equality: same type and same value (see header). */
export function valuesEqual(a: AttributeValue, b: AttributeValue): boolean {
  if ("S" in a) return "S" in b && a.S === b.S;
  if ("N" in a) return "N" in b && numberEqual(a.N, b.N);
  if ("B" in a) return "B" in b && binaryEqual(a.B, b.B);
  if ("BOOL" in a) return "BOOL" in b && a.BOOL === b.BOOL;
  if ("NULL" in a) return "NULL" in b;
  if ("SS" in a) return "SS" in b && sameMembers(a.SS, b.SS, (x, y) => x === y);
  if ("NS" in a) return "NS" in b && sameMembers(a.NS, b.NS, numberEqual);
  if ("BS" in a) return "BS" in b && sameMembers(a.BS, b.BS, binaryEqual);
  if ("L" in a)
    return (
      "L" in b && a.L.length === b.L.length && a.L.every((x, i) => valuesEqual(x, b.L[i] as AttributeValue))
    );
  const am = a.M;
  if (!("M" in b)) return false;
  const keys = Object.keys(am);
  return (
    keys.length === Object.keys(b.M).length &&
    keys.every((k) => k in b.M && valuesEqual(am[k] as AttributeValue, b.M[k] as AttributeValue))
  );
}

/** Whether a set (SS/NS/BS) holds a scalar of its member type. */
export function setContains(set: AttributeValue, member: AttributeValue): boolean {
  if ("SS" in set) return "S" in member && set.SS.includes(member.S);
  if ("NS" in set) return "N" in member && set.NS.some((n) => numberEqual(n, member.N));
  if ("BS" in set) return "B" in member && set.BS.some((b) => binaryEqual(b, member.B));
  return false;
}

/** The size() function; undefined for types it does not apply to (N, BOOL, NULL). */
export function sizeOf(value: AttributeValue): number | undefined {
  if ("S" in value) return value.S.length;
  if ("B" in value) return Buffer.byteLength(value.B, "base64");
  if ("SS" in value) return value.SS.length;
  if ("NS" in value) return value.NS.length;
  if ("BS" in value) return value.BS.length;
  if ("L" in value) return value.L.length;
  if ("M" in value) return Object.keys(value.M).length;
  return undefined;
}

const utf8 = (text: string) => Buffer.byteLength(text, "utf8");
const containerOverheadBytes = 3;
const elementOverheadBytes = 1;

/** Bytes a value counts towards its item's size (without its attribute name). */
export function valueSizeBytes(value: AttributeValue): number {
  if ("S" in value) return utf8(value.S);
  if ("N" in value) return numberSizeBytes(value.N);
  if ("B" in value) return Buffer.byteLength(value.B, "base64");
  if ("BOOL" in value || "NULL" in value) return 1;
  if ("SS" in value) return value.SS.reduce((sum, s) => sum + utf8(s), 0);
  if ("NS" in value) return value.NS.reduce((sum, n) => sum + numberSizeBytes(n), 0);
  if ("BS" in value) return value.BS.reduce((sum, b) => sum + Buffer.byteLength(b, "base64"), 0);
  if ("L" in value) {
    return value.L.reduce((sum, v) => sum + elementOverheadBytes + valueSizeBytes(v), containerOverheadBytes);
  }
  return Object.entries(value.M).reduce(
    (sum, [k, v]) => sum + elementOverheadBytes + utf8(k) + valueSizeBytes(v),
    containerOverheadBytes,
  );
}

/** An item's size as DynamoDB counts it against the 400 KB limit (409,600 bytes allowed). */
export function itemSizeBytes(item: Item): number {
  let size = 0;
  for (const name in item) size += utf8(name) + valueSizeBytes(item[name] as AttributeValue);
  return size;
}

export const itemSizeBytesMax = 409_600;

// ---- validation ------------------------------------------------------------------------------

function firstDuplicate<T>(list: readonly T[], key: (x: T) => string): boolean {
  const seen = new Set<string>();
  for (const x of list) {
    const k = key(x);
    if (seen.has(k)) return true;
    seen.add(k);
  }
  return false;
}

function asList(raw: unknown): unknown[] {
  return Array.isArray(raw) ? raw : [];
}

/**
 * Validates an attribute value decoded from JSON and returns it normalised the way DynamoDB
 * stores it: numbers canonical (see numbers.ts). Throws DynamoDB's ValidationException texts.
 * Members whose value is null are ignored, as DynamoDB's deserialiser does.
 */
export function validateAttributeValue(raw: unknown): AttributeValue {
  const value = (raw ?? {}) as Record<string, unknown>;
  let result: AttributeValue | undefined;
  let types = 0;
  for (const type in value) {
    const member = value[type];
    if (!isAttributeType(type) || member == null) continue;
    types++;
    result = validateMember(type, member);
  }
  if (types === 0 || !result) throw validationError(valueTexts.empty);
  if (types > 1) throw validationError(valueTexts.manyTypes);
  return result;
}

function validateMember(type: AttributeType, member: unknown): AttributeValue {
  switch (type) {
    case "S":
      return { S: member as string };
    case "B":
      return { B: member as string };
    case "BOOL":
      return { BOOL: member as boolean };
    case "N":
      return { N: canonicalNumber(member as string) };
    case "NULL":
      if (member !== true) throw validationError(valueTexts.nullNotTrue);
      return { NULL: true };
    case "SS": {
      const list = asList(member) as string[];
      if (list.length === 0) throw validationError(valueTexts.emptyStringSet);
      if (firstDuplicate(list, (s) => s)) throw validationError(valueTexts.duplicateStrings(list));
      return { SS: [...list] };
    }
    case "NS": {
      const list = asList(member) as string[];
      if (list.length === 0) throw validationError(valueTexts.emptyNumberSet);
      const numbers = list.map(canonicalNumber);
      if (firstDuplicate(numbers, (n) => n)) throw validationError(valueTexts.duplicateNumbers);
      return { NS: numbers };
    }
    case "BS": {
      const list = asList(member) as string[];
      if (list.length === 0) throw validationError(valueTexts.emptyBinarySet);
      if (firstDuplicate(list, (b) => bytesOf(b).toString("base64"))) {
        throw validationError(valueTexts.duplicateBinaries(list));
      }
      return { BS: [...list] };
    }
    case "L":
      return { L: asList(member).map(validateAttributeValue) };
    case "M": {
      const map: Record<string, AttributeValue> = {};
      for (const [k, v] of Object.entries(member as Record<string, unknown>))
        map[k] = validateAttributeValue(v);
      return { M: map };
    }
  }
}

/** Validates every attribute of an item (Item, Key, ExclusiveStartKey...), returning it normalised. */
export function validateItem(raw: Record<string, unknown>): Item {
  const item: Item = {};
  for (const [name, value] of Object.entries(raw)) item[name] = validateAttributeValue(value);
  return item;
}

/** `{S:a}`, `{N:1}`: how DynamoDB prints a scalar inside BETWEEN error messages. */
export function describeValue(value: AttributeValue): string {
  const type = typeOf(value);
  const inner = (value as Record<string, unknown>)[type];
  return `{${type}:${Array.isArray(inner) ? `[${inner.join(", ")}]` : String(inner)}}`;
}

/** A deep copy (items are JSON-shaped; used before mutating a working copy). */
export function cloneValue(value: AttributeValue): AttributeValue {
  if ("L" in value) return { L: value.L.map(cloneValue) };
  if ("M" in value) return { M: cloneItem(value.M) };
  if ("SS" in value) return { SS: [...value.SS] };
  if ("NS" in value) return { NS: [...value.NS] };
  if ("BS" in value) return { BS: [...value.BS] };
  return { ...value } as AttributeValue;
}

export function cloneItem(item: Item): Item {
  const copy: Item = {};
  for (const name in item) copy[name] = cloneValue(item[name] as AttributeValue);
  return copy;
}
