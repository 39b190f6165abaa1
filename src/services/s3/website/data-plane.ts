/**
 * S3 website endpoints as an edge data plane (label `s3-website`): `http://{bucket}.s3-website.localhost:PORT/`,
 * `http://{bucket}.s3-website.{region}.localhost:PORT/` and `/_aws/s3-website/{bucket}/…`. Anonymous,
 * GET and HEAD only, public objects only (access/anonymous.ts), answering errors with S3's HTML pages.
 *
 * Request handling, in S3's order (S3 user guide: index documents, custom error documents,
 * redirects; LocalStack's website handler for the order of checks):
 * 1. RedirectAllRequestsTo → 301 to that host (and protocol), same path and query.
 * 2. A routing rule whose only condition is KeyPrefixEquals (or none) → its redirect.
 * 3. A key ending in `/` (or empty) gets the index document suffix.
 * 4. The object: public → served (304 for a matching If-None-Match/If-Modified-Since), or 301 to its
 *    x-amz-website-redirect-location; not public → 403.
 * 5. Missing: a key without a trailing slash whose `key/` index document exists → 302 to `/key/`;
 *    then routing rules with HttpErrorCodeReturnedEquals; then the error document (served with the
 *    error's status), or the HTML page. A missing key in a bucket everyone may not list is 403, as S3.
 *
 * ## Gaps
 * - Bodies are read whole into memory before being answered (the data plane answers with bytes).
 * - No Range requests; conditional requests are If-None-Match and If-Modified-Since only.
 */
import { randomBytes } from "node:crypto";
import type { DataPlane, DataPlaneRequest, DataPlaneResponse } from "../../../edge/data-plane.ts";
import { mayList, mayReadObject } from "../access/anonymous.ts";
import { readWholeBody } from "../body-reads.ts";
import type { S3Parts } from "../context.ts";
import { KEY_BYTES_MAX } from "../errors.ts";
import { couldBeBucketName } from "../names.ts";
import { httpDate, quotedEtag } from "../object-headers.ts";
import type { BucketRecord, ObjectRecord } from "../store.ts";
import { bucketWebsite, type Redirect, type RoutingRule, type WebsiteConfig } from "./config.ts";
import {
  errorPage,
  FORBIDDEN,
  METHOD_NOT_ALLOWED,
  type NestedError,
  NO_SUCH_BUCKET,
  NO_WEBSITE,
  NOT_FOUND_KEY,
  type PageError,
} from "./html.ts";

export const WEBSITE_LABEL = "s3-website";

export function websiteDataPlane(s3: S3Parts): DataPlane {
  return {
    name: "S3 website endpoint",
    label: WEBSITE_LABEL,
    // GET and HEAD carry no body worth reading.
    bodyBytesMax: 1024 * 1024,
    bodyTooLarge: () => ({ status: 413, headers: {}, body: "" }),
    handle: (request) => serve(s3, request),
  };
}

interface Ids {
  requestId: string;
  hostId: string;
}

async function serve(s3: S3Parts, request: DataPlaneRequest): Promise<DataPlaneResponse> {
  const ids: Ids = {
    requestId: randomBytes(8).toString("hex").toUpperCase(),
    hostId: randomBytes(48).toString("base64"),
  };
  const head = request.method === "HEAD";
  const page = (error: PageError, nested?: NestedError) => htmlAnswer(error, ids, head, nested);
  if (request.method !== "GET" && !head) return page(METHOD_NOT_ALLOWED(request.method));
  const name = request.id;
  const bucket = couldBeBucketName(name) ? await s3.store.getBucket(s3.store.storage, name) : undefined;
  if (!bucket) return page(NO_SUCH_BUCKET(name));
  const config = await bucketWebsite(s3, s3.store.storage, name);
  if (!config) return page(NO_WEBSITE(name));

  const query = request.rawQuery === "" ? "" : `?${request.rawQuery}`;
  if (config.redirectAll) {
    const protocol = config.redirectAll.protocol ?? "http";
    return redirect(301, `${protocol}://${config.redirectAll.hostName}${request.rawPath}${query}`, ids);
  }
  let key: string;
  try {
    key = decodeURIComponent(request.rawPath.slice(1));
  } catch {
    return page(NOT_FOUND_KEY(request.rawPath.slice(1)));
  }
  const early = config.routingRules?.find(
    (rule) => rule.condition?.httpErrorCodeReturnedEquals === undefined && prefixMatches(rule, key),
  );
  if (early) return ruleRedirect(early, key, request, ids);

  const suffix = config.indexSuffix ?? "index.html";
  const objectKey = key === "" || key.endsWith("/") ? `${key}${suffix}` : key;
  const record = await lookup(s3, name, objectKey);
  if (record) {
    if (!(await mayReadObject(s3, bucket, record)))
      return failure(s3, bucket, config, FORBIDDEN, key, request, ids);
    return objectAnswer(s3, record, request, ids, 200);
  }
  if (!key.endsWith("/") && key !== "" && (await lookup(s3, name, `${key}/${suffix}`))) {
    return redirect(302, `/${encodeKey(key)}/`, ids);
  }
  const error = (await mayList(s3, bucket)) ? NOT_FOUND_KEY(objectKey) : FORBIDDEN;
  return failure(s3, bucket, config, error, key, request, ids);
}

/** An error after the lookup: a routing rule on its status, else the error document, else the page. */
async function failure(
  s3: S3Parts,
  bucket: BucketRecord,
  config: WebsiteConfig,
  error: PageError,
  key: string,
  request: DataPlaneRequest,
  ids: Ids,
): Promise<DataPlaneResponse> {
  const rule = config.routingRules?.find(
    (r) => r.condition?.httpErrorCodeReturnedEquals === String(error.status) && prefixMatches(r, key),
  );
  if (rule) return ruleRedirect(rule, key, request, ids);
  const head = request.method === "HEAD";
  if (config.errorKey === undefined) return htmlAnswer(error, ids, head);
  const document = await lookup(s3, bucket.name, config.errorKey);
  if (document && (await mayReadObject(s3, bucket, document))) {
    if (document.websiteRedirectLocation) return redirect(301, document.websiteRedirectLocation, ids);
    return objectAnswer(s3, document, request, ids, error.status);
  }
  const nested: NestedError = document
    ? { code: "AccessDenied", message: "Access Denied", key: config.errorKey }
    : { code: "NoSuchKey", message: "The specified key does not exist.", key: config.errorKey };
  return htmlAnswer(error, ids, head, nested);
}

function prefixMatches(rule: RoutingRule, key: string): boolean {
  const prefix = rule.condition?.keyPrefixEquals;
  return prefix === undefined || key.startsWith(prefix);
}

/** A routing rule's redirect: its protocol and host (else the request's), its key replacement, its code (301 by default). */
function ruleRedirect(
  rule: RoutingRule,
  key: string,
  request: DataPlaneRequest,
  ids: Ids,
): DataPlaneResponse {
  const r: Redirect = rule.redirect;
  const host = r.hostName ?? request.host;
  const protocol = r.protocol ?? "http";
  let target = key;
  if (r.replaceKeyWith !== undefined) target = r.replaceKeyWith;
  else if (r.replaceKeyPrefixWith !== undefined) {
    target = r.replaceKeyPrefixWith + key.slice((rule.condition?.keyPrefixEquals ?? "").length);
  }
  // The path form keeps its prefix when the redirect stays on this endpoint.
  const base = request.pathForm && r.hostName === undefined ? `/_aws/${WEBSITE_LABEL}/${request.id}` : "";
  return redirect(
    Number(r.httpRedirectCode ?? 301),
    `${protocol}://${host}${base}/${encodeKey(target)}`,
    ids,
  );
}

function encodeKey(key: string): string {
  return key.split("/").map(encodeURIComponent).join("/");
}

async function lookup(s3: S3Parts, bucket: string, key: string): Promise<ObjectRecord | undefined> {
  if (Buffer.byteLength(key) > KEY_BYTES_MAX) return undefined;
  return s3.store.getObject(s3.store.storage, bucket, key);
}

function redirect(status: number, location: string, ids: Ids): DataPlaneResponse {
  return { status, headers: { Location: location, ...idHeaders(ids), "Content-Length": "0" }, body: "" };
}

function idHeaders(ids: Ids): Record<string, string> {
  return { "x-amz-request-id": ids.requestId, "x-amz-id-2": ids.hostId, Server: "AmazonS3" };
}

function htmlAnswer(error: PageError, ids: Ids, head: boolean, nested?: NestedError): DataPlaneResponse {
  const body = errorPage(error, ids, nested);
  return {
    status: error.status,
    headers: {
      "Content-Type": "text/html; charset=utf-8",
      "x-amz-error-code": error.code,
      "x-amz-error-message": error.message,
      ...idHeaders(ids),
      ...(head ? { "Content-Length": String(Buffer.byteLength(body)) } : {}),
    },
    body: head ? "" : body,
  };
}

async function objectAnswer(
  s3: S3Parts,
  record: ObjectRecord,
  request: DataPlaneRequest,
  ids: Ids,
  status: number,
): Promise<DataPlaneResponse> {
  if (record.websiteRedirectLocation) return redirect(301, record.websiteRedirectLocation, ids);
  const etag = quotedEtag(record);
  const headers: Record<string, string> = {
    "Content-Type": record.contentType,
    ETag: etag,
    "Last-Modified": httpDate(record.lastModified),
    ...idHeaders(ids),
  };
  if (record.contentEncoding) headers["Content-Encoding"] = record.contentEncoding;
  if (record.cacheControl) headers["Cache-Control"] = record.cacheControl;
  if (status === 200 && notModified(request, record, etag)) {
    return {
      status: 304,
      headers: { ETag: etag, "Last-Modified": headers["Last-Modified"] as string, ...idHeaders(ids) },
    };
  }
  headers["Content-Length"] = String(record.size);
  if (request.method === "HEAD" || record.size === 0) return { status, headers, body: "" };
  const body = await readWholeBody(s3, record);
  if (!body) return htmlAnswer(NOT_FOUND_KEY(record.key), ids, false);
  return { status, headers, body };
}

function notModified(request: DataPlaneRequest, record: ObjectRecord, etag: string): boolean {
  const ifNoneMatch = request.headers["if-none-match"];
  if (typeof ifNoneMatch === "string") {
    return ifNoneMatch.split(",").some((t) => {
      const tag = t.trim();
      return tag === "*" || tag === etag || tag === record.etag;
    });
  }
  const since = request.headers["if-modified-since"];
  if (typeof since === "string") {
    const at = Date.parse(since);
    return !Number.isNaN(at) && record.lastModified <= at;
  }
  return false;
}
