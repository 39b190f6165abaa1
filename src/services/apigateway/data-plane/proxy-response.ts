/**
 * A Lambda proxy integration's answer → the HTTP response. The function must answer a JSON object
 * whose members are among statusCode, headers, multiValueHeaders, body and isBase64Encoded (none is
 * required: no statusCode is 200); anything else — not JSON, a bare string, an unknown member such as
 * a function error's errorMessage, a non-numeric statusCode, a header value that is not a string or a
 * boolean — is API Gateway's 502 {"message": "Internal server error"}.
 *
 * Sources: LocalStack's test_aws_proxy_response_payload_format_validation recorded against AWS
 * (/work/shared/fixtures/aws-recorded/apigw-v1-proxy-response-validation.localstack-snapshot.json):
 * boolean header values sent as "true"; multiValueHeaders values, then a `headers` value of the same
 * name after them (the recording's client joined the repeated lines with ", "; Stratus sends one line
 * per value, which is what lets Set-Cookie repeat); the name's case from multiValueHeaders; a base64
 * body sent as its text unless binary media types apply.
 */
import { isBinaryMediaType } from "./proxy-event.ts";

const ALLOWED = new Set(["statusCode", "headers", "multiValueHeaders", "body", "isBase64Encoded"]);

export interface ProxyAnswer {
  status: number;
  /** Repeated headers (Set-Cookie from multiValueHeaders) as arrays: one header line per value. */
  headers: Record<string, string | string[]>;
  body: Buffer;
}

function headerText(value: unknown): string | undefined {
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "string") return value;
  if (typeof value === "number") return String(value);
  return undefined;
}

/** The response, or undefined when the answer is malformed (502). */
export function mapProxyResponse(
  payload: Buffer,
  accept: string | undefined,
  binaryMediaTypes: readonly string[],
): ProxyAnswer | undefined {
  let answer: unknown;
  try {
    answer = JSON.parse(payload.toString("utf8"));
  } catch {
    return undefined;
  }
  if (answer === null || typeof answer !== "object" || Array.isArray(answer)) return undefined;
  const members = answer as Record<string, unknown>;
  if (Object.keys(members).some((k) => !ALLOWED.has(k))) return undefined;

  let status = 200;
  if (members.statusCode !== undefined && members.statusCode !== null) {
    const n = Number(members.statusCode);
    if (!Number.isInteger(n) || n < 100 || n > 599) return undefined;
    status = n;
  }

  // multiValueHeaders first, then headers of the same name appended, the first spelling kept.
  const collected = new Map<string, { name: string; values: string[] }>();
  const add = (name: string, value: string) => {
    const entry = collected.get(name.toLowerCase());
    if (entry) entry.values.push(value);
    else collected.set(name.toLowerCase(), { name, values: [value] });
  };
  const multi = members.multiValueHeaders;
  if (multi !== undefined && multi !== null) {
    if (typeof multi !== "object" || Array.isArray(multi)) return undefined;
    for (const [name, values] of Object.entries(multi)) {
      const list = Array.isArray(values) ? values : [values];
      for (const value of list) {
        const text = headerText(value);
        if (text === undefined) return undefined;
        add(name, text);
      }
    }
  }
  const single = members.headers;
  if (single !== undefined && single !== null) {
    if (typeof single !== "object" || Array.isArray(single)) return undefined;
    for (const [name, value] of Object.entries(single)) {
      const text = headerText(value);
      if (text === undefined) return undefined;
      add(name, text);
    }
  }
  const headers: Record<string, string | string[]> = {};
  for (const { name, values } of collected.values())
    headers[name] = values.length === 1 ? (values[0] ?? "") : values;
  if (!Object.keys(headers).some((n) => n.toLowerCase() === "content-type")) {
    headers["Content-Type"] = "application/json";
  }

  const body = members.body;
  if (body !== undefined && body !== null && typeof body !== "string") return undefined;
  const text = typeof body === "string" ? body : "";
  const contentTypeValue = Object.entries(headers).find(([n]) => n.toLowerCase() === "content-type")?.[1];
  const contentType = Array.isArray(contentTypeValue) ? contentTypeValue[0] : contentTypeValue;
  // A base64 body is decoded only when binary support applies to the response (the client's Accept or
  // the response's Content-Type is a binary media type); otherwise its text goes out as it is.
  const decode =
    members.isBase64Encoded === true &&
    (isBinaryMediaType(accept, binaryMediaTypes) || isBinaryMediaType(contentType, binaryMediaTypes));
  return { status, headers, body: decode ? Buffer.from(text, "base64") : Buffer.from(text, "utf8") };
}
