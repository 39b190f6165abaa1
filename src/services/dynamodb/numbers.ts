/**
 * DynamoDB numbers: exact decimals of up to 38 significant digits with magnitudes from 1E-130 to
 * 9.9999999999999999999999999999999999999E+125 (AWS developer guide, "Naming rules and data types").
 * Never JS doubles: "0.1" + "0.2" must be "0.3".
 *
 * Numbers travel as text. DynamoDB stores and returns them canonicalised: plain decimal notation,
 * no exponent, no leading or trailing zeros, no "+", "-0" as "0" ("1.5E2" -> "150", "1E125" -> "1"
 * and 125 zeros; conformance captures 2026). {@link canonicalNumber} produces that text.
 */
import { Decimal } from "decimal.js";
import { validationError } from "./errors.ts";
import { numberTexts } from "./expressions/errors.ts";

/** Enough precision that adding or subtracting two in-range numbers is exact (125 + 130 + 1 digits). */
const Exact = Decimal.clone({
  precision: 300,
  rounding: Decimal.ROUND_HALF_EVEN,
  toExpNeg: -400,
  toExpPos: 400,
});
type Exact = InstanceType<typeof Exact>;

export const significantDigitsMax = 38;
export const exponentMax = 125;
export const exponentMin = -130;

/** Java BigDecimal's syntax, which DynamoDB accepts: sign, digits with an optional point, exponent. */
const NUMBER_SYNTAX = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/**
 * Parses and range-checks DynamoDB number text, throwing DynamoDB's ValidationException texts.
 * The range is checked before the digit count, as DynamoDB does (dynalite checkNum order).
 */
export function parseNumber(text: string): Exact {
  const match = NUMBER_SYNTAX.exec(text);
  const intDigits = match?.[2] ?? "";
  const fracDigits = match?.[3] ?? "";
  if (!match || (intDigits === "" && fracDigits === "")) throw validationError(numberTexts.notANumber(text));
  const digits = (intDigits + fracDigits).replace(/^0+/, "");
  if (digits === "") return new Exact(0);
  // The decimal exponent of the first significant digit, computed on the text so that absurd
  // exponents ("1e99999999999") are judged without building the number.
  const leadingZeros = intDigits.length + fracDigits.length - digits.length;
  const exponentText = match[4] ?? "0";
  const exponent = BigInt(exponentText) + BigInt(intDigits.length - 1 - leadingZeros);
  if (exponent > BigInt(exponentMax)) throw validationError(numberTexts.overflow);
  if (exponent < BigInt(exponentMin)) throw validationError(numberTexts.underflow);
  if (digits.replace(/0+$/, "").length > significantDigitsMax) throw validationError(numberTexts.tooPrecise);
  return new Exact(text);
}

/** Checks a result of arithmetic against the same limits as stored numbers. */
function checkRange(value: Exact): Exact {
  if (value.isZero()) return value;
  if (value.e > exponentMax) throw validationError(numberTexts.overflow);
  if (value.e < exponentMin) throw validationError(numberTexts.underflow);
  if (value.sd() > significantDigitsMax) throw validationError(numberTexts.tooPrecise);
  return value;
}

function format(value: Exact): string {
  return value.isZero() ? "0" : value.toFixed();
}

/** The text DynamoDB returns for a number (validating it on the way). */
export function canonicalNumber(text: string): string {
  return format(parseNumber(text));
}

/** Numeric order of two (valid) number texts: -1, 0 or 1. */
export function compareNumbers(a: string, b: string): number {
  return new Exact(a).comparedTo(new Exact(b));
}

export function numbersEqual(a: string, b: string): boolean {
  return compareNumbers(a, b) === 0;
}

/** a + b, exactly, in canonical text; throws overflow/underflow/precision as DynamoDB does. */
export function addNumbers(a: string, b: string): string {
  return format(checkRange(new Exact(a).plus(new Exact(b))));
}

/** a - b, exactly, in canonical text. */
export function subtractNumbers(a: string, b: string): string {
  return format(checkRange(new Exact(a).minus(new Exact(b))));
}

/**
 * Bytes a number counts towards the item size: 1 byte of exponent, one byte per pair of digits
 * aligned on the decimal point (base-100 digits), and 1 more byte when negative; zero is 1 byte.
 * Matches all 23 literals measured to the byte against eu-west-2 (conformance
 * src/item-size.ts, 2026-08-18), e.g. "1.5" -> 3, "15" -> 2, "3.14159" -> 5, "-42" -> 3, "1E125" -> 2.
 */
export function numberSizeBytes(text: string): number {
  const plain = plainNumberSizeBytes(text);
  if (plain !== undefined) return plain;
  const value = new Exact(text);
  if (value.isZero()) return 1;
  const [mantissa = "", exponentText = "0"] = value.abs().toExponential().split("e");
  const count = mantissa.replace(".", "").replace(/0+$/, "").length;
  const exponent = Number(exponentText);
  // Pair k covers 10^(2k+1) and 10^(2k); count the pairs the significant digits touch.
  const pairs = Math.floor(exponent / 2) - Math.floor((exponent - count + 1) / 2) + 1;
  return 1 + pairs + (value.isNegative() ? 1 : 0);
}

const PLAIN_NUMBER = /^(-?)(\d+)(?:\.(\d+))?$/;

/**
 * numberSizeBytes for the usual text, `[-]digits[.digits]`, read off the digits without a Decimal (every
 * item size counts each number: GetItem's capacity, PutItem's 400 KB check, Query's 1 MB pages). The
 * same arithmetic: the exponent of the first significant digit and the count of significant digits.
 * Anything else (exponents, a leading "+") is undefined, for Decimal to read.
 */
function plainNumberSizeBytes(text: string): number | undefined {
  const match = PLAIN_NUMBER.exec(text);
  if (!match) return undefined;
  const integer = match[2] as string;
  const digits = integer + (match[3] ?? "");
  let first = 0;
  while (first < digits.length && digits.charCodeAt(first) === 48) first++;
  if (first === digits.length) return 1;
  let last = digits.length - 1;
  while (digits.charCodeAt(last) === 48) last--;
  const count = last - first + 1;
  const exponent = integer.length - 1 - first;
  const pairs = Math.floor(exponent / 2) - Math.floor((exponent - count + 1) / 2) + 1;
  return 1 + pairs + (match[1] === "-" ? 1 : 0);
}
