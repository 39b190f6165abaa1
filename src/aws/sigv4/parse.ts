/**
 * Reading the raw pieces SigV4 is made of — headers, the query string, the Authorization header, the
 * credential scope — without judging them. `scope.ts` and `verify.ts` decide what is wrong.
 */
import type { IncomingHttpHeaders } from "node:http";

/** A header's value; Node keeps repeated headers as arrays, which SigV4 joins with commas. */
export function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value.join(",") : value;
}

/**
 * Percent-decoding that leaves '+' alone: SigV4 clients encode spaces as %20, and a literal '+' must
 * be re-encoded as %2B in the canonical query. Broken escapes are kept as written rather than thrown on.
 */
export function percentDecode(text: string): string {
  if (!text.includes("%")) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    const bytes: number[] = [];
    for (let i = 0; i < text.length; i++) {
      const hex = text.slice(i + 1, i + 3);
      if (text[i] === "%" && /^[0-9a-fA-F]{2}$/.test(hex)) {
        bytes.push(Number.parseInt(hex, 16));
        i += 2;
      } else {
        bytes.push(...Buffer.from(text[i] ?? "", "utf8"));
      }
    }
    return Buffer.from(bytes).toString("utf8");
  }
}

/** The query string as decoded name/value pairs, in wire order; `?acl` gives `["acl", ""]`. */
export function parseQuery(rawQuery: string): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (const part of rawQuery.split("&")) {
    if (part === "") continue;
    const eq = part.indexOf("=");
    pairs.push(
      eq < 0
        ? [percentDecode(part), ""]
        : [percentDecode(part.slice(0, eq)), percentDecode(part.slice(eq + 1))],
    );
  }
  return pairs;
}

/** The last value of a query parameter (names are case-sensitive, as in AWS). */
export function queryParam(pairs: ReadonlyArray<[string, string]>, name: string): string | undefined {
  let found: string | undefined;
  for (const [key, value] of pairs) if (key === name) found = value;
  return found;
}

export interface ParsedAuthorization {
  algorithm: string;
  /** `Credential`, `SignedHeaders`, `Signature` (and anything else the client sent). */
  params: ReadonlyMap<string, string>;
  /** The first comma-separated component without '=', if any. */
  badComponent?: string;
}

/**
 * The last header parsed and its result. The edge parses each request's Authorization twice, in one
 * synchronous run: to learn the service from the credential scope (identify) and to verify it
 * (authenticate); the second is answered from here (~4 µs of a 1 KB S3 GET). Results are shared, so
 * callers only read them.
 */
let lastAuthorization: string | undefined;
let lastParsed: ParsedAuthorization | undefined;

/** `AWS4-HMAC-SHA256 Credential=AKID/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-date, Signature=…` */
export function parseAuthorization(value: string): ParsedAuthorization {
  if (value === lastAuthorization && lastParsed !== undefined) return lastParsed;
  const parsed = parseAuthorizationText(value);
  lastAuthorization = value;
  lastParsed = parsed;
  return parsed;
}

function parseAuthorizationText(value: string): ParsedAuthorization {
  const trimmed = value.trim();
  const space = trimmed.indexOf(" ");
  const algorithm = space < 0 ? trimmed : trimmed.slice(0, space);
  const params = new Map<string, string>();
  let badComponent: string | undefined;
  for (const raw of space < 0 ? [] : trimmed.slice(space + 1).split(",")) {
    const component = raw.trim();
    if (component === "") continue;
    const eq = component.indexOf("=");
    if (eq < 0) {
      badComponent ??= component;
      continue;
    }
    params.set(component.slice(0, eq).trim(), component.slice(eq + 1).trim());
  }
  return badComponent === undefined ? { algorithm, params } : { algorithm, params, badComponent };
}

export interface CredentialParts {
  accessKeyId: string;
  /** YYYYMMDD */
  date: string;
  region: string;
  service: string;
  /** Always `aws4_request` when well formed. */
  terminator: string;
}

/** `AKID/YYYYMMDD/region/service/aws4_request`, exactly five non-empty parts, or undefined. */
export function parseCredential(value: string): CredentialParts | undefined {
  const parts = value.split("/");
  if (parts.length !== 5) return undefined;
  const [accessKeyId = "", date = "", region = "", service = "", terminator = ""] = parts;
  if (accessKeyId === "" || date === "" || region === "" || service === "" || terminator === "")
    return undefined;
  return { accessKeyId, date, region, service, terminator };
}

/** `20130524T000000Z` (ISO 8601 basic format, UTC) → Date, or undefined when not exactly that. */
export function parseAmzDate(value: string): Date | undefined {
  // Digit arithmetic instead of a regular expression and seven Number() conversions: every signed
  // request's date passes here.
  if (value.length !== 16 || value.charCodeAt(8) !== 84 /* T */ || value.charCodeAt(15) !== 90 /* Z */)
    return undefined;
  const y = digits(value, 0, 4);
  const mo = digits(value, 4, 6);
  const d = digits(value, 6, 8);
  const h = digits(value, 9, 11);
  const mi = digits(value, 11, 13);
  const s = digits(value, 13, 15);
  if (y < 0 || mo < 0 || d < 0 || h < 0 || mi < 0 || s < 0) return undefined;
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  // Reject dates that roll over (20130231T…): they would be re-formatted differently when signing.
  // Comparing the fields is that round trip (formatAmzDate(date) === value) without building strings.
  return date.getUTCFullYear() === y &&
    date.getUTCMonth() + 1 === mo &&
    date.getUTCDate() === d &&
    date.getUTCHours() === h &&
    date.getUTCMinutes() === mi &&
    date.getUTCSeconds() === s
    ? date
    : undefined;
}

/** The decimal number written by the ASCII digits value[start..end), or -1 if any is not a digit. */
function digits(value: string, start: number, end: number): number {
  let n = 0;
  for (let i = start; i < end; i++) {
    const c = value.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

/** Date → `20130524T000000Z`. */
export function formatAmzDate(date: Date): string {
  const year = date.getUTCFullYear();
  // Years toISOString writes with a sign and six digits keep its exact output.
  if (!(year >= 0 && year <= 9999)) {
    return date
      .toISOString()
      .replace(/\.\d{3}Z$/, "Z")
      .replace(/[-:]/g, "");
  }
  // Plain arithmetic instead of toISOString() and two regular-expression replaces (a hot path: every
  // signed request formats its date).
  return `${pad(year, 4)}${pad(date.getUTCMonth() + 1, 2)}${pad(date.getUTCDate(), 2)}T${pad(
    date.getUTCHours(),
    2,
  )}${pad(date.getUTCMinutes(), 2)}${pad(date.getUTCSeconds(), 2)}Z`;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, "0");
}
