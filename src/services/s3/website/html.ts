/**
 * The HTML pages S3 website endpoints answer errors with (`text/html; charset=utf-8`), as captured
 * from S3 in public write-ups: a title and heading with the status, a list of Code, Message, the
 * resource (Key or BucketName) when there is one, RequestId and HostId, and — when the error document
 * itself could not be read — a second list under "An Error Occurred While Attempting to Retrieve a
 * Custom Error Document".
 */
import { escapeXml } from "../../../aws/protocols/xml.ts";

export interface PageError {
  status: number;
  title: string;
  code: string;
  message: string;
  /** `["Key", "a/b"]`, `["BucketName", "b"]`, `["Method", "POST"]`... in page order. */
  fields: [string, string][];
}

export interface NestedError {
  code: string;
  message: string;
  key: string;
}

export function errorPage(
  error: PageError,
  ids: { requestId: string; hostId: string },
  nested?: NestedError,
): string {
  const items = [
    ["Code", error.code],
    ["Message", error.message],
    ...error.fields,
    ["RequestId", ids.requestId],
    ["HostId", ids.hostId],
  ]
    .map(([name, value]) => `<li>${name}: ${escapeXml(value ?? "")}</li>\n`)
    .join("");
  const inner = nested
    ? `<h3>An Error Occurred While Attempting to Retrieve a Custom Error Document</h3>\n<ul>\n<li>Code: ${escapeXml(nested.code)}</li>\n<li>Message: ${escapeXml(nested.message)}</li>\n<li>Key: ${escapeXml(nested.key)}</li>\n</ul>\n`
    : "";
  const heading = `${error.status} ${error.title}`;
  return `<html>\n<head><title>${heading}</title></head>\n<body>\n<h1>${heading}</h1>\n<ul>\n${items}</ul>\n${inner}<hr/>\n</body>\n</html>\n`;
}

export const NOT_FOUND_KEY = (key: string): PageError => ({
  status: 404,
  title: "Not Found",
  code: "NoSuchKey",
  message: "The specified key does not exist.",
  fields: [["Key", key]],
});

export const NO_SUCH_BUCKET = (bucket: string): PageError => ({
  status: 404,
  title: "Not Found",
  code: "NoSuchBucket",
  message: "The specified bucket does not exist",
  fields: [["BucketName", bucket]],
});

export const NO_WEBSITE = (bucket: string): PageError => ({
  status: 404,
  title: "Not Found",
  code: "NoSuchWebsiteConfiguration",
  message: "The specified bucket does not have a website configuration",
  fields: [["BucketName", bucket]],
});

export const FORBIDDEN: PageError = {
  status: 403,
  title: "Forbidden",
  code: "AccessDenied",
  message: "Access Denied",
  fields: [],
};

/** LocalStack's page for a method other than GET/HEAD (ResourceType OBJECT). */
export const METHOD_NOT_ALLOWED = (method: string): PageError => ({
  status: 405,
  title: "Method Not Allowed",
  code: "MethodNotAllowed",
  message: "The specified method is not allowed against this resource.",
  fields: [
    ["Method", method.toUpperCase()],
    ["ResourceType", "OBJECT"],
  ],
});
