import { AwsError } from "../../../aws/errors.ts";
import type { OperationHandler, ServiceRequest } from "../../service.ts";
import type { S3Parts } from "../context.ts";
import { headerNotImplemented, missingContentLength } from "../errors.ts";
import { checksumHeaders, contentHeadersOf, quotedEtag, userMetadataOf } from "../object-headers.ts";
import { commitObject, receiveBody, writeConditionsOf } from "../object-writes.ts";
import { discardBody, header } from "../request.ts";
import type { ObjectRecord } from "../store.ts";
import { expectedDigests } from "../upload-digest.ts";
import { bucketOf, keyOf } from "./shared.ts";

export function putObject(s3: S3Parts): OperationHandler {
  return async (request) => {
    const bucket = await bucketOf(s3, request);
    let prepared: ReturnType<typeof prepare>;
    try {
      prepared = prepare(request);
    } catch (error) {
      await discardBody(request);
      throw error;
    }
    const { key, expected, contentHeaders, metadata, conditions } = prepared;
    const { blob, digests } = await receiveBody(s3, request.body, expected);
    const record: ObjectRecord = {
      v: 1,
      key,
      blob,
      size: digests.size,
      etag: digests.md5Hex,
      lastModified: wholeSeconds(request.context.clock.now().getTime()),
      ...contentHeaders,
      metadata,
      checksum: digests.checksum,
      owner: request.context.accountId,
    };
    await commitObject(s3, bucket.name, record, { conditions });
    const headers: Record<string, string> = {
      ETag: quotedEtag(record),
      "x-amz-server-side-encryption": "AES256",
    };
    // S3 echoes the checksum when the client asked for one (header, trailer or algorithm).
    if (expected.clientAlgorithm !== undefined) Object.assign(headers, checksumHeaders(record));
    return { status: 200, headers };
  };
}

/** Everything checked before the first byte of the body is read. */
function prepare(request: ServiceRequest) {
  const key = keyOf(request);
  if (
    header(request, "content-length") === undefined &&
    header(request, "x-amz-decoded-content-length") === undefined
  ) {
    throw missingContentLength();
  }
  // Customer-provided keys change what is stored and how it is read back: not emulated, so refused.
  if (header(request, "x-amz-server-side-encryption-customer-algorithm") !== undefined) {
    throw headerNotImplemented("x-amz-server-side-encryption-customer-algorithm");
  }
  const expected = expectedDigests(request);
  if (expected instanceof AwsError) throw expected;
  return {
    key,
    expected,
    contentHeaders: contentHeadersOf(request),
    metadata: userMetadataOf(request),
    conditions: writeConditionsOf(request),
  };
}

export function wholeSeconds(ms: number): number {
  return Math.floor(ms / 1000) * 1000;
}
