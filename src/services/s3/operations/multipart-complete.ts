/**
 * CompleteMultipartUpload: checks the listed parts (ascending, uploaded, ETags matching, all but the
 * last at least 5 MiB), writes the parts one after another into a new body file — streamed, never
 * held in memory — and commits the object while removing the upload in the same transaction.
 *
 * The ETag is S3's multipart ETag: the MD5 of the parts' binary MD5s, then `-<number of parts>`. The
 * checksum: with a COMPOSITE upload, the upload's algorithm over the parts' binary checksums, then
 * `-<parts>`; otherwise a FULL_OBJECT checksum computed over the whole body as it is written
 * (CRC64NVME when the upload named none, as S3 does by default).
 */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { Readable } from "node:stream";
import { createChecksum } from "../../../aws/sigv4/checksums.ts";
import type { OperationHandler } from "../../service.ts";
import type { S3Parts } from "../context.ts";
import {
  entityTooSmall,
  invalidPart,
  invalidPartOrder,
  malformedXml,
  PART_BYTES_MIN,
  PART_NUMBER_MAX,
} from "../errors.ts";
import type { PartRecord, UploadRecord } from "../multipart-store.ts";
import { notifyObjectEvent } from "../notifications/emit.ts";
import { checksumHeaders, quotedEtag } from "../object-headers.ts";
import { commitObject, removeBlobs, versionHeader, writeConditionsOf } from "../object-writes.ts";
import { header, queryValue, readSmallBody } from "../request.ts";
import type { ObjectRecord, StoredChecksum } from "../store.ts";
import { DigestTap } from "../upload-digest.ts";
import { child, el, parseXml, xmlDocument } from "../xml.ts";
import { wholeSeconds } from "./put-object.ts";
import { bucketOf, keyOf, xmlResponse } from "./shared.ts";

interface ListedPart {
  partNumber: number;
  etag: string;
}

export function completeMultipartUpload(s3: S3Parts): OperationHandler {
  return async (request) => {
    const bucket = await bucketOf(s3, request);
    const listed = listedParts((await readSmallBody(request)).toString("utf8"));
    const key = keyOf(request);
    const uploadId = queryValue(request, "uploadId") ?? "";
    const conditions = writeConditionsOf(request);
    const upload = await s3.multipart.requireUpload(s3.store.storage, bucket.name, key, uploadId);
    const stored = new Map<number, PartRecord>();
    for await (const part of s3.multipart.parts(s3.store.storage, uploadId))
      stored.set(part.partNumber, part);
    const parts = listed.map((entry, index) => {
      const part = stored.get(entry.partNumber);
      if (!part || part.etag !== entry.etag) throw invalidPart(entry.partNumber, entry.etag);
      if (index < listed.length - 1 && part.size < PART_BYTES_MIN)
        throw entityTooSmall(part.size, part.partNumber, part.etag);
      return part;
    });

    const blob = s3.blobs.newId();
    const composite = upload.checksumType === "COMPOSITE" && upload.checksumAlgorithm !== undefined;
    const tap = new DigestTap(composite ? "crc64nvme" : (upload.checksumAlgorithm ?? "crc64nvme"));
    const temp = await s3.blobs.receive(blob, Readable.from(concatenated(s3, parts)), [tap]);
    await s3.blobs.publish(temp, blob);
    const digests = await tap.digests();
    const checksum: StoredChecksum = composite ? await compositeChecksum(upload, parts) : digests.checksum;
    const record: ObjectRecord = {
      v: 1,
      key,
      blob,
      size: digests.size,
      etag: multipartEtag(parts),
      lastModified: wholeSeconds(request.context.clock.now().getTime()),
      contentType: upload.contentType,
      ...optionalHeaders(upload),
      metadata: upload.metadata,
      ...(upload.tags ? { tags: upload.tags } : {}),
      checksum,
      owner: upload.owner,
    };
    let removedParts: PartRecord[] = [];
    const committed = await commitObject(s3, bucket.name, record, {
      conditions,
      alongside: async (tx) => {
        // The parts written must still be the upload's: a part replaced or an upload aborted meanwhile
        // makes this completion stale.
        const current = await s3.multipart.requireUpload(tx, bucket.name, key, uploadId);
        for (const part of parts) {
          const now = await s3.multipart.getPart(tx, uploadId, part.partNumber);
          if (now?.blob !== part.blob) throw invalidPart(part.partNumber, part.etag);
        }
        removedParts = await s3.multipart.deleteUpload(tx, bucket.name, current);
      },
    });
    await removeBlobs(
      s3,
      removedParts.map((part) => part.blob),
    );
    await notifyObjectEvent(s3, request, bucket.name, "ObjectCreated:CompleteMultipartUpload", {
      key,
      ...committed,
    });
    const host = header(request, "host") ?? "localhost";
    const result =
      el("Location", `http://${host}/${bucket.name}/${encodeURI(key)}`) +
      el("Bucket", bucket.name) +
      el("Key", key) +
      el("ETag", quotedEtag(record)) +
      el(`Checksum${checksum.algorithm.toUpperCase()}`, checksum.value) +
      el("ChecksumType", checksum.type ?? "FULL_OBJECT");
    const headers: Record<string, string> = {
      "x-amz-server-side-encryption": "AES256",
      ...versionHeader(committed),
    };
    if (upload.checksumAlgorithm) Object.assign(headers, checksumHeaders(record));
    return xmlResponse(xmlDocument("CompleteMultipartUploadResult", result), 200, headers);
  };
}

/** The `<CompleteMultipartUpload>` document's parts: at least one, in strictly ascending order. */
function listedParts(body: string): ListedPart[] {
  const root = parseXml(body.trim());
  if (root.name !== "CompleteMultipartUpload") throw malformedXml();
  const parts = root.children
    .filter((c) => c.name === "Part")
    .map((part): ListedPart => {
      const number = child(part, "PartNumber")?.text.trim() ?? "";
      const etag = child(part, "ETag")?.text.trim() ?? "";
      if (!/^\d+$/.test(number) || Number(number) < 1 || Number(number) > PART_NUMBER_MAX || etag === "")
        throw malformedXml();
      return { partNumber: Number(number), etag: etag.replace(/^"(.*)"$/, "$1") };
    });
  if (parts.length === 0) throw malformedXml();
  for (let i = 1; i < parts.length; i++) {
    if ((parts[i] as ListedPart).partNumber <= (parts[i - 1] as ListedPart).partNumber)
      throw invalidPartOrder();
  }
  return parts;
}

/** The parts' bytes in order, one file at a time. */
async function* concatenated(s3: S3Parts, parts: PartRecord[]): AsyncGenerator<Buffer> {
  for (const part of parts) {
    try {
      for await (const chunk of createReadStream(s3.blobs.pathOf(part.blob))) yield chunk as Buffer;
    } catch (error) {
      // A part replaced (its file removed) while being read: the listed part is gone.
      if ((error as NodeJS.ErrnoException).code === "ENOENT") throw invalidPart(part.partNumber, part.etag);
      throw error;
    }
  }
}

function multipartEtag(parts: PartRecord[]): string {
  const md5 = createHash("md5");
  for (const part of parts) md5.update(Buffer.from(part.etag, "hex"));
  return `${md5.digest("hex")}-${parts.length}`;
}

async function compositeChecksum(upload: UploadRecord, parts: PartRecord[]): Promise<StoredChecksum> {
  const algorithm = upload.checksumAlgorithm ?? "crc32";
  const checksum = createChecksum(algorithm);
  for (const part of parts) checksum.update(Buffer.from(part.checksum.value, "base64"));
  return { algorithm, value: `${await checksum.digest()}-${parts.length}`, type: "COMPOSITE" };
}

function optionalHeaders(upload: UploadRecord): Partial<ObjectRecord> {
  const headers: Partial<ObjectRecord> = {};
  if (upload.contentEncoding !== undefined) headers.contentEncoding = upload.contentEncoding;
  if (upload.contentDisposition !== undefined) headers.contentDisposition = upload.contentDisposition;
  if (upload.contentLanguage !== undefined) headers.contentLanguage = upload.contentLanguage;
  if (upload.cacheControl !== undefined) headers.cacheControl = upload.cacheControl;
  if (upload.expires !== undefined) headers.expires = upload.expires;
  return headers;
}
