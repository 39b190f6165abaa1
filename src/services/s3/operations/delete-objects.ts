/**
 * DeleteObject (204 whether or not the key existed) and DeleteObjects (up to 1,000 keys per request,
 * `Quiet` reporting only failures). Each key's metadata goes in one transaction per request; the
 * bodies are removed after it commits.
 *
 * ## Gaps
 * - Versioning is not emulated: a VersionId other than `null` is an error for that key.
 * - DeleteObjects does not insist on Content-MD5 or a checksum header (S3 does); one that is sent
 *   is checked.
 */
import { AwsError } from "../../../aws/errors.ts";
import type { OperationHandler } from "../../service.ts";
import { etagMatches } from "../conditions.ts";
import type { S3Parts } from "../context.ts";
import { invalidVersionId, KEY_BYTES_MAX, malformedXml, noSuchKey, preconditionFailed } from "../errors.ts";
import { removeBlobs } from "../object-writes.ts";
import { header, queryValue, readSmallBody } from "../request.ts";
import type { ObjectRecord } from "../store.ts";
import { digestMismatch, digestsOf, expectedDigests } from "../upload-digest.ts";
import { child, el, parseXml, xmlDocument } from "../xml.ts";
import { bucketOf, keyOf, xmlResponse } from "./shared.ts";

/** DeleteObjects API reference: "up to 1,000 keys". */
const KEYS_PER_REQUEST_MAX = 1000;

export function deleteObject(s3: S3Parts): OperationHandler {
  return async (request) => {
    const bucket = await bucketOf(s3, request);
    const key = keyOf(request);
    const versionId = queryValue(request, "versionId");
    if (versionId !== undefined && versionId !== "null") throw invalidVersionId(versionId);
    const ifMatch = header(request, "if-match");
    const removed = await s3.store.storage.transaction(async (tx) => {
      await s3.store.requireBucket(tx, bucket.name);
      if (ifMatch !== undefined) {
        const existing = await s3.store.getObject(tx, bucket.name, key);
        if (!existing) throw noSuchKey(key);
        if (!etagMatches(ifMatch, existing.etag)) throw preconditionFailed("If-Match");
      }
      return s3.store.deleteObject(tx, bucket.name, key);
    });
    if (removed) await removeBlobs(s3, [removed.blob]);
    return { status: 204 };
  };
}

interface DeleteEntry {
  key: string;
  versionId?: string;
}

export function deleteObjects(s3: S3Parts): OperationHandler {
  return async (request) => {
    const bucket = await bucketOf(s3, request);
    const { entries, quiet } = await readDeleteDocument(request);
    const deleted: DeleteEntry[] = [];
    const failed: { entry: DeleteEntry; error: AwsError }[] = [];
    const removed = await s3.store.storage.transaction(async (tx) => {
      await s3.store.requireBucket(tx, bucket.name);
      const records: ObjectRecord[] = [];
      for (const entry of entries) {
        const problem = entryProblem(entry);
        if (problem) {
          failed.push({ entry, error: problem });
          continue;
        }
        const record = await s3.store.deleteObject(tx, bucket.name, entry.key);
        if (record) records.push(record);
        deleted.push(entry);
      }
      return records;
    });
    await removeBlobs(
      s3,
      removed.map((record) => record.blob),
    );
    const deletedXml = quiet
      ? ""
      : deleted
          .map((entry) => `<Deleted>${el("Key", entry.key)}${el("VersionId", entry.versionId)}</Deleted>`)
          .join("");
    const errorsXml = failed
      .map(
        ({ entry, error }) =>
          `<Error>${el("Key", entry.key)}${el("VersionId", entry.versionId)}${el("Code", error.code)}${el("Message", error.message)}</Error>`,
      )
      .join("");
    return xmlResponse(xmlDocument("DeleteResult", deletedXml + errorsXml));
  };
}

function entryProblem(entry: DeleteEntry): AwsError | undefined {
  if (Buffer.byteLength(entry.key) > KEY_BYTES_MAX)
    return new AwsError("KeyTooLongError", "Your key is too long", 400);
  if (entry.versionId !== undefined && entry.versionId !== "null") return invalidVersionId(entry.versionId);
  return undefined;
}

/** The `<Delete>` document: 1 to 1,000 `<Object><Key>` entries, optional `<Quiet>`. */
async function readDeleteDocument(
  request: Parameters<OperationHandler>[0],
): Promise<{ entries: DeleteEntry[]; quiet: boolean }> {
  const expected = expectedDigests(request);
  if (expected instanceof AwsError) {
    await readSmallBody(request).catch(() => undefined);
    throw expected;
  }
  const body = await readSmallBody(request);
  const mismatch = digestMismatch(expected, await digestsOf(body, expected.algorithm));
  if (mismatch) throw mismatch;
  const root = parseXml(body.toString("utf8"));
  if (root.name !== "Delete") throw malformedXml();
  const objects = root.children.filter((c) => c.name === "Object");
  if (objects.length === 0 || objects.length > KEYS_PER_REQUEST_MAX) throw malformedXml();
  const entries = objects.map((object): DeleteEntry => {
    const key = child(object, "Key");
    if (!key || key.text === "") throw malformedXml();
    const versionId = child(object, "VersionId")?.text;
    return versionId === undefined ? { key: key.text } : { key: key.text, versionId };
  });
  const quiet = child(root, "Quiet")?.text.trim().toLowerCase() === "true";
  return { entries, quiet };
}
