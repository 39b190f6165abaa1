/** Reading what an S3 request carries: single header and query values, and its (streamed) body. */
import { Readable } from "node:stream";
import { AwsError } from "../../aws/errors.ts";
import { bodyTerminatedUnexpectedly } from "../../aws/sigv4/body-errors.ts";
import type { ServiceRequest } from "../service.ts";
import { KEY_BYTES_MAX, malformedXml } from "./errors.ts";

export function header(request: ServiceRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(",") : value;
}

export function queryValue(request: ServiceRequest, name: string): string | undefined {
  return request.query.get(name)?.[0];
}

/** Request bodies S3 parses itself (CreateBucketConfiguration, Delete) are small documents. */
const XML_BODY_BYTES_MAX = 2 * 1024 * 1024;

/**
 * Reads a small body (an XML document) whole, through the edge's verifier: a body whose signature or
 * checksum fails rejects with that error. A body over the bound is MalformedXML, as S3 refuses
 * documents beyond its schema's size.
 */
export async function readSmallBody(request: ServiceRequest): Promise<Buffer> {
  const body = request.body;
  if (!(body instanceof Readable)) return body;
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body) {
      size += (chunk as Buffer).length;
      if (size > XML_BODY_BYTES_MAX) {
        throw closing(malformedXml());
      }
      chunks.push(chunk as Buffer);
    }
  } catch (error) {
    throw closing(error);
  }
  return Buffer.concat(chunks, size);
}

/**
 * Reads the rest of a body the operation will not use (it answers an error first), so that a bad
 * signature is still reported as one and the connection stays usable for the client's next request.
 */
export async function discardBody(request: ServiceRequest): Promise<void> {
  const body = request.body;
  if (!(body instanceof Readable) || body.readableEnded || body.destroyed) return;
  try {
    for await (const _ of body) {
      // discarded
    }
  } catch (error) {
    throw closing(error);
  }
}

/**
 * A body that failed part-way leaves unread bytes on the connection: the answer closes it, as S3 does
 * after a broken upload, rather than let the client's next request be read from the middle of this body.
 */
export function closing(error: unknown): unknown {
  if (!(error instanceof AwsError)) return error;
  return new AwsError(error.code, error.message, error.status, {
    fields: { ...error.fields },
    headers: { ...error.headers, Connection: "close" },
    fault: error.fault,
  });
}

/**
 * What a failed body transfer is answered with: the verifier's own S3 error, a file-system failure as
 * itself (a 500), and the socket closing under us (client gone, connection reset) as S3's IncompleteBody.
 */
export function bodyFailure(error: unknown): unknown {
  if (error instanceof AwsError) return closing(error);
  const syscall = (error as NodeJS.ErrnoException | undefined)?.syscall;
  if (syscall !== undefined && syscall !== "read") return error;
  return closing(bodyTerminatedUnexpectedly());
}

/**
 * A listing position (start-after, marker, token) as a key that can be stored: no key is longer than
 * 1024 bytes, so a position past that length is the same as its first 1024 bytes for the listing —
 * and an unbounded one must not become an oversized storage key.
 */
export function clampToKeyLength(text: string): string {
  if (Buffer.byteLength(text) <= KEY_BYTES_MAX) return text;
  let out = "";
  let bytes = 0;
  for (const char of text) {
    const size = Buffer.byteLength(char);
    if (bytes + size > KEY_BYTES_MAX) break;
    out += char;
    bytes += size;
  }
  return out;
}
